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
//!
//! A code followed by its address (`〒100-0001 東京都千代田区…`, an export
//! that wrote both in one field) is the code; the text from the first
//! character that is not ASCII on is the address ([`Rest::Address`]), which
//! the row's address is read from when its address column is empty.

use super::note::without_notes;
use super::text::{is_dash, prepare, without_zero_fraction};
use super::{Outcome, Scratch};

/// What a postal code column's value held after its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    /// Nothing but the code (or no usable code).
    Nothing,
    /// An address after the code.
    Address,
}

/// Normalizes a postal code into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut String) -> Outcome {
    normalize_with_rest(raw, scratch, out).0
}

/// [`normalize`], and whether an address followed the code.
pub fn normalize_with_rest(raw: &str, scratch: &mut Scratch, out: &mut String) -> (Outcome, Rest) {
    out.clear();
    if raw.is_empty() {
        return (Outcome::Missing, Rest::Nothing);
    }
    scratch.text.clear();
    let _ = prepare(raw, &mut scratch.aux, &mut scratch.text);
    // A full stop after the code is the sentence's it was copied from.
    let text = scratch.text.trim().trim_end_matches(['.', '。']);
    let text = text[without_notes(text)].trim();
    let text = without_zero_fraction(text.strip_prefix("郵便番号").unwrap_or(text));
    // Only a bare number can have lost its leading zero in a spreadsheet.
    let bare_number = text.bytes().all(|b| b.is_ascii_digit());
    let mut rest = Rest::Nothing;
    for c in text.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if out.len() == POSTAL_DIGITS && !c.is_ascii() && !is_dash(c) && !matches!(c, '〒' | '〠') {
            rest = Rest::Address;
            break;
        } else if !(matches!(c, '〒' | '〠' | ':') || c.is_whitespace() || is_dash(c)) {
            out.clear();
            return (Outcome::Invalid, Rest::Nothing);
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
    if out.len() == POSTAL_DIGITS && out.bytes().any(|b| b != b'0') {
        (Outcome::Value, rest)
    } else {
        out.clear();
        (Outcome::Invalid, Rest::Nothing)
    }
}

/// The digits of a Japanese postal code.
const POSTAL_DIGITS: usize = 7;

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

    #[test]
    fn an_address_after_the_code_is_the_rows_address_where_its_column_is_empty() {
        use crate::normalize::{normalize_fields, Field};
        let both = "〒100-0001 東京都千代田区千代田1-1";
        let record = normalize_fields(&[(Field::PostalCode, both)]);
        assert_eq!(record.postal_code, "1000001");
        let parts = &record.address;
        assert_eq!((&*parts.city, &*parts.town, &*parts.numbers), ("千代田区", "千代田", "1-1"));
        // The address column's own text wins.
        let record = normalize_fields(&[(Field::PostalCode, both), (Field::Address, "大阪府大阪市北区梅田1-2")]);
        assert_eq!((&*record.postal_code, &*record.address.numbers), ("1000001", "1-2"));
        // A code alone leaves the address missing.
        let record = normalize_fields(&[(Field::PostalCode, "〒100-0001")]);
        assert!(record.address.full.is_empty());
    }
}
