//! Phone numbers to national digits: `+81 90-1234-5678` → `09012345678`.
//!
//! NFKC first (full-width digits and parentheses), then digits only (any
//! dash, space or bracket goes). The country code 81, written `+81`, `0081`,
//! `01081` (Japan's international prefix) or a bare `81` before 10–11 more
//! digits, becomes the trunk 0; `+81(0)90…` keeps a single 0. A result whose
//! length does not fit its prefix (11 digits for 070/080/090/050/020/0800,
//! 10 for the rest) is kept as written but flagged (`NATIONAL_DIGITS`: it
//! is still one number wherever it is written alike); one of another
//! length is unusable. A number of 9 or 10 digits without its
//! leading 0 gets it back (a spreadsheet or a lost +81 dropped it). A number with an
//! extension (`内線12`, `ext.12`, `#12`) is unusable: it is an office's
//! switchboard, shared by everyone who works there, not a customer's line.
//! So is a dummy number (`000-0000-0000`, `090-0000-0000`: `is_dummy_number`).

use super::text::{prepared, without_zero_fraction};
use super::{Outcome, Scratch};

/// Normalizes a phone number into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    let Scratch { text, aux, tmp: digits, .. } = scratch;
    let prepared = without_zero_fraction(prepared(raw, aux, text).trim());
    let has_plus = prepared.starts_with('+');
    digits.clear();
    digits.extend(prepared.bytes().filter(u8::is_ascii_digit).map(char::from));
    let digits = digits.as_str();
    match after_country_code(digits, has_plus) {
        Some(rest) => {
            out.push('0');
            out.push_str(rest.trim_start_matches('0'));
        }
        None if has_plus => return Outcome::Invalid,
        None => {
            if lost_trunk_zero(digits) {
                out.push('0');
            }
            out.push_str(digits);
        }
    }
    if is_dummy_number(out) {
        out.clear();
        Outcome::Invalid
    } else if !out.is_empty() && out.len() == national_length(out) {
        Outcome::Value
    } else if out.starts_with('0') && NATIONAL_DIGITS.contains(&out.len()) && !more_than_one_line(prepared) {
        // Kept as written, and counted: compared, it is the same number
        // wherever it is written the same way.
        Outcome::Flagged
    } else {
        out.clear();
        Outcome::Invalid
    }
}

/// The digits after the country code 81 where it is written: after `+81`
/// (`has_plus`: the text began with a plus), `0081` or `01081` (Japan's
/// international prefix), or a bare `81` before 9–10 more digits; `None`
/// when no country code is written. The chains' raw phone key reads the
/// code the same way (`bookings::raw_keys`).
pub fn after_country_code(digits: &str, has_plus: bool) -> Option<&str> {
    if has_plus {
        digits.strip_prefix("81")
    } else if let Some(rest) = digits.strip_prefix("01081").or_else(|| digits.strip_prefix("0081")) {
        Some(rest)
    } else if digits.starts_with("81") && (11..=12).contains(&digits.len()) {
        Some(&digits[2..])
    } else {
        None
    }
}

/// Digits of a subscriber number: the last eight of a national number
/// (`03-1234-5678`, `090-1234-5678`).
const SUBSCRIBER_DIGITS: usize = 8;

/// Whether the subscriber number (the last [`SUBSCRIBER_DIGITS`] digits) of
/// `digits` is zeros only, as in a dummy number.
pub fn subscriber_is_zeros(digits: &str) -> bool {
    digits.len() >= SUBSCRIBER_DIGITS && digits.bytes().rev().take(SUBSCRIBER_DIGITS).all(|digit| digit == b'0')
}

/// Whether a national number is one a form or an export writes for "no
/// number": `00…` (no national number begins so: 00 opens a carrier's or
/// the international prefix, so `000-0000-0000` is none), or a subscriber
/// number of zeros only (`090-0000-0000`, `03-0000-0000`). Kept, two
/// namesakes given it agreed on a phone neither has.
fn is_dummy_number(national: &str) -> bool {
    national.starts_with("00") || subscriber_is_zeros(national)
}

/// The lengths of a national number (10 for fixed lines, 11 for mobiles).
/// A number of such a length that fits no prefix of the numbering plan
/// (`086-…` with 11 digits, `090-1234-567` with 10, `86-6661-7603` as
/// Python Faker's ja_JP phones are a quarter of the time) is still read as
/// written: two rows that give it give one number, which is as much
/// evidence as a valid one, while a number dropped as unusable made rows
/// whose only contact it was unlinkable. It is a line of no known kind
/// ([`Line::Other`], never a personal mobile), and `normalize` returns
/// [`Outcome::Flagged`] for it (counts.json `phones_outside_numbering_plan`).
const NATIONAL_DIGITS: std::ops::RangeInclusive<usize> = 10..=11;

/// Whether the text holds more than one line's number: an extension
/// (`内線12`, `ext.12`, `#12`: an office switchboard's, shared by its staff)
/// or a second number after a separator (`/`, `,`, `、`, `;`). A number
/// that fits its prefix has its length checked instead.
fn more_than_one_line(text: &str) -> bool {
    text.contains("内線")
        || text.contains(['#', '/', ',', '、', ';'])
        || text.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"ext"))
}

/// Whether a number lost its trunk 0: every Japanese national number
/// starts with 0, so 9 or 10 digits without it are a number with the 0
/// dropped. A spreadsheet drops it from a bare number it stores as a
/// number (`9012345678` for 090-1234-5678), and an international number
/// that lost its `+81` keeps the number without it (`90-1234-5678`,
/// `3-1234-5678`). The length check after restoring the 0 keeps only
/// numbers that fit their prefix (postal codes lose their zero the same
/// way, `postal.rs`).
fn lost_trunk_zero(digits: &str) -> bool {
    !digits.starts_with('0') && (9..=10).contains(&digits.len())
}

/// What kind of line a national number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// 070, 080, 090: one person's handset, whose number goes with them
    /// through a move and a change of carrier (number portability).
    Mobile,
    /// A fixed line (it changes with the address and is a household's), an
    /// IP, M2M or free-dial number, or no number.
    Other,
}

/// Mobile prefixes of the Japanese numbering plan (11 digits)…
const MOBILE_PREFIXES: [&str; 3] = ["070", "080", "090"];
/// …out of which 0800 is carved for free dial (11 digits too).
const FREE_DIAL_ELEVEN_PREFIX: &str = "0800";
/// The other 11-digit prefixes: IP telephony (050) and M2M (020).
const OTHER_ELEVEN_DIGIT_PREFIXES: [&str; 2] = ["050", "020"];

fn has_prefix(number: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| number.starts_with(p))
}

/// The kind of line of a normalized national number (digits, leading 0).
pub fn line(number: &str) -> Line {
    let mobile_prefix = has_prefix(number, &MOBILE_PREFIXES) && !number.starts_with(FREE_DIAL_ELEVEN_PREFIX);
    if number.len() == 11 && mobile_prefix {
        Line::Mobile
    } else {
        Line::Other
    }
}

/// The length of a national number by its prefix: mobile (070/080/090),
/// IP (050), M2M (020) and 0800 numbers have 11 digits, every other number
/// (fixed lines, 0120, 0570) 10. A number not starting with 0 has none.
fn national_length(number: &str) -> usize {
    if !number.starts_with('0') {
        0
    } else if has_prefix(number, &MOBILE_PREFIXES) || has_prefix(number, &OTHER_ELEVEN_DIGIT_PREFIXES) {
        // 0800 is within the 080 prefix.
        11
    } else {
        10
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn phone_table() {
        table_test::run("phone", |raw| {
            let mut out = String::new();
            normalize(raw, &mut Scratch::default(), &mut out);
            out
        });
    }

    #[test]
    fn a_number_outside_the_plan_is_kept_and_flagged_and_no_mobile() {
        let mut out = String::new();
        let outcome = normalize("86-6661-7603", &mut Scratch::default(), &mut out);
        assert_eq!((outcome, out.as_str(), line(&out)), (Outcome::Flagged, "08666617603", Line::Other));
        let outcome = normalize("090-1234-567", &mut Scratch::default(), &mut out);
        assert_eq!((outcome, out.as_str(), line(&out)), (Outcome::Flagged, "0901234567", Line::Other));
        assert_eq!(normalize("090-1234-5678", &mut Scratch::default(), &mut out), Outcome::Value);
    }

    #[test]
    fn phone_line_table() {
        table_test::run("phone_line", |number| match line(number) {
            Line::Mobile => "mobile".to_owned(),
            Line::Other => "other".to_owned(),
        });
    }
}
