//! Postal codes to seven ASCII digits: `〒100-0001` → `1000001`.
//!
//! NFKC first (full-width digits, 〶→〒), then the postal mark, spaces and
//! any dash are dropped. Anything else, or a count other than seven digits,
//! makes the value unusable.

use super::text::{is_dash, nfkc_into};
use super::Outcome;

/// Normalizes a postal code into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    for c in scratch.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !(c == '〒' || c.is_whitespace() || is_dash(c)) {
            out.clear();
            return Outcome::Invalid;
        }
    }
    if out.len() == 7 {
        Outcome::Value
    } else {
        out.clear();
        Outcome::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn postal_table() {
        table_test::run("postal_code", |raw| {
            let (mut scratch, mut out) = (String::new(), String::new());
            normalize(raw, &mut scratch, &mut out);
            out
        });
    }
}
