//! Addresses. First version: NFKC, spaces removed, every dash between digits
//! made `-`. The structured address key (prefecture, city, town, numbers
//! tuple) comes with the issue "Japanese normalization, complete".

use super::text::{is_dash, nfkc_into};
use super::Outcome;

/// Normalizes an address into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    for c in scratch.chars() {
        if c.is_whitespace() {
            continue;
        }
        out.push(if is_dash(c) && out.ends_with(|p: char| p.is_ascii_digit()) { '-' } else { c });
    }
    if out.is_empty() {
        Outcome::Invalid
    } else {
        Outcome::Value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn address_table() {
        table_test::run("address", |raw| {
            let (mut scratch, mut out) = (String::new(), String::new());
            normalize(raw, &mut scratch, &mut out);
            out
        });
    }
}
