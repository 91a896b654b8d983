//! Postal codes to seven ASCII digits: `〒100-0001` → `1000001`.
//!
//! NFKC first (full-width digits, 〶→〒), then the postal marks 〒 and 〠,
//! the label 郵便番号, spaces, colons, any dash, a full stop after the code and
//! a note in brackets (`100-0001（東京都千代田区）`, `normalize::note`) are
//! dropped. Six digits are
//! padded with a leading 0, five (not starting with 0) with two:
//! spreadsheets drop them from Hokkaido's 0xx and 00x codes,
//! and this normalizer only ever sees the postal-code column. Anything else,
//! another count of digits, or the dummy 000-0000 makes the value unusable.

use super::note::without_notes;
use super::text::{is_dash, prepare, without_zero_fraction};
use super::{Outcome, Scratch};

/// Normalizes a postal code into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    let _ = prepare(raw, &mut scratch.aux, &mut scratch.text);
    // A full stop after the code is the sentence's it was copied from.
    let text = scratch.text.trim().trim_end_matches(['.', '。']);
    let text = text[without_notes(text)].trim();
    let text = without_zero_fraction(text.strip_prefix("郵便番号").unwrap_or(text));
    // Only a bare number can have lost its leading zero in a spreadsheet.
    let bare_number = text.bytes().all(|b| b.is_ascii_digit());
    for c in text.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !(matches!(c, '〒' | '〠' | ':') || c.is_whitespace() || is_dash(c)) {
            out.clear();
            return Outcome::Invalid;
        }
    }
    // A code kept as a number loses its leading zeros: one for the 0xx
    // codes of Hokkaido, two for 001 to 009, Sapporo's wards (001-0010
    // stored as 10010). Five digits are nothing else: a bare number has no
    // leading zero of its own.
    if bare_number && out.len() == 6 {
        out.insert(0, '0');
    } else if bare_number && out.len() == 5 && !out.starts_with('0') {
        out.insert_str(0, "00");
    }
    // 000-0000 is no area's code (Japan's begin at 001): a form's dummy.
    if out.len() == 7 && out.bytes().any(|b| b != b'0') {
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
            let mut out = String::new();
            normalize(raw, &mut Scratch::default(), &mut out);
            out
        });
    }
}
