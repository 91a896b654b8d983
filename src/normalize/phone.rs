//! Phone numbers to national digits: `+81 90-1234-5678` → `09012345678`.
//!
//! NFKC first (full-width digits), then digits only. The country code 81
//! (written `+81`, `0081`, or a bare `81` before 10–11 more digits) becomes the
//! trunk 0; `+81(0)90…` keeps a single 0. A result that is not 10 or 11 digits
//! starting with 0 is unusable.

use super::text::nfkc_into;
use super::Outcome;

/// Normalizes a phone number into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    let has_plus = scratch.trim_start().starts_with('+');
    scratch.retain(|c| c.is_ascii_digit());
    let digits = scratch.as_str();
    let national = if has_plus {
        digits.strip_prefix("81")
    } else if let Some(rest) = digits.strip_prefix("0081") {
        Some(rest)
    } else if digits.starts_with("81") && (11..=12).contains(&digits.len()) {
        Some(&digits[2..])
    } else {
        None
    };
    match national {
        Some(rest) => {
            out.push('0');
            out.push_str(rest.trim_start_matches('0'));
        }
        None if has_plus => return Outcome::Invalid,
        None => out.push_str(digits),
    }
    if out.starts_with('0') && (10..=11).contains(&out.len()) {
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
    fn phone_table() {
        table_test::run("phone", |raw| {
            let (mut scratch, mut out) = (String::new(), String::new());
            normalize(raw, &mut scratch, &mut out);
            out
        });
    }
}
