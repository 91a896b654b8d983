//! Passport numbers and passport status.
//!
//! A Japanese passport number is two letters and seven digits. The value is
//! NFKC'd, upper-cased, and spaces and dashes are dropped; a digit 0 or 1 in
//! the letter part is read as O or I, and a letter O or I in the digit part
//! as 0 or 1 (the classic misreadings). A note in brackets before or after
//! it (`TK1234567（旧）`, `(失効)TK1234567`) says something of the passport, as
//! beside a name or an email, and is not the number. Any other shape is
//! unusable, as are seven equal digits (`TK0000000`: a dummy,
//! `is_dummy_number`).
//! Passport numbers are compared but never written to an output unless
//! `--include-sensitive`.
//!
//! Status as of a date (SPEC section 5, research notes section 7): 10-year
//! passports exist from 1995-11-01, only for holders aged 20 or more at issue
//! (18 or more from 2022-04-01); everyone else gets 5 years. A passport is
//! `valid` up to and including issue + the shortest possible term,
//! `possibly_valid` up to and including issue + the longest term the holder
//! could have had, `expired` after. An unknown birth date allows both terms.
//! Without a usable issue date, or with one after the as-of date or before
//! the birth date, the status is `none`.

use super::date::Date;
use super::note::without_notes_either_side;
use super::text::{is_dash, prepare};
use super::{Outcome, Scratch};

/// Normalizes a passport number into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    let _ = prepare(raw, &mut scratch.aux, &mut scratch.text);
    let text = &scratch.text[without_notes_either_side(&scratch.text)];
    let cleaned = text.chars().filter(|c| !(c.is_whitespace() || is_dash(*c))).map(|c| c.to_ascii_uppercase());
    for (position, c) in cleaned.enumerate() {
        let fixed = match (position < 2, c) {
            (true, '0') => 'O',
            (true, '1') => 'I',
            (false, 'O') => '0',
            (false, 'I') => '1',
            (_, other) => other,
        };
        out.push(fixed);
    }
    let bytes = out.as_bytes();
    let shaped =
        bytes.len() == 9 && bytes[..2].iter().all(u8::is_ascii_uppercase) && bytes[2..].iter().all(u8::is_ascii_digit);
    if shaped && !is_dummy_number(&bytes[2..]) {
        Outcome::Value
    } else {
        out.clear();
        Outcome::Invalid
    }
}

/// Whether a passport number's seven digits are one digit repeated
/// (`TK0000000`, `XX9999999`): what a form writes for "no passport" or "not
/// asked". An exact passport number is near-personal evidence, and two
/// customers given one dummy would be joined by it; a real number is so
/// only once in a million.
fn is_dummy_number(digits: &[u8]) -> bool {
    digits.iter().all(|&d| d == digits[0])
}

/// Passport validity of a person as of a date. Ordered from least to most
/// reason to notify, so the status of a person with several rows is the max.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum PassportStatus {
    #[default]
    None,
    Expired,
    PossiblyValid,
    Valid,
}

impl PassportStatus {
    /// The value written to the outputs.
    pub fn name(self) -> &'static str {
        match self {
            PassportStatus::None => "none",
            PassportStatus::Expired => "expired",
            PassportStatus::PossiblyValid => "possibly_valid",
            PassportStatus::Valid => "valid",
        }
    }
}

const TEN_YEAR_PASSPORTS_FROM: (i16, i8, i8) = (1995, 11, 1);
const ADULT_AT_18_FROM: (i16, i8, i8) = (2022, 4, 1);
const SHORT_TERM_YEARS: i16 = 5;
const LONG_TERM_YEARS: i16 = 10;

/// The passport status of one record.
pub fn status(issue: Option<Date>, birth: Option<Date>, as_of: Date) -> PassportStatus {
    let Some(issue) = issue else {
        return PassportStatus::None;
    };
    if issue > as_of || birth.is_some_and(|b| issue < b) {
        return PassportStatus::None;
    }
    let long_term_possible = if ymd(issue) < TEN_YEAR_PASSPORTS_FROM {
        false
    } else {
        let adult_age = if ymd(issue) < ADULT_AT_18_FROM { 20 } else { 18 };
        birth.is_none_or(|b| full_years(b, issue) >= adult_age)
    };
    if as_of <= add_years(issue, SHORT_TERM_YEARS) {
        PassportStatus::Valid
    } else if long_term_possible && as_of <= add_years(issue, LONG_TERM_YEARS) {
        PassportStatus::PossiblyValid
    } else {
        PassportStatus::Expired
    }
}

/// The passport status of one row: [`status`] when the row has a usable
/// passport number, `None` otherwise (an issue date alone is no passport
/// anyone can use or be warned about).
pub fn status_of_row(number: &str, issue: Option<Date>, birth: Option<Date>, as_of: Date) -> PassportStatus {
    if number.is_empty() {
        return PassportStatus::None;
    }
    status(issue, birth, as_of)
}

fn ymd(date: Date) -> (i16, i8, i8) {
    (date.year(), date.month(), date.day())
}

/// Completed years from `from` to `to`.
fn full_years(from: Date, to: Date) -> i16 {
    let before_birthday = (to.month(), to.day()) < (from.month(), from.day());
    to.year() - from.year() - i16::from(before_birthday)
}

/// The same calendar day `years` later; 29 February becomes 28 February.
fn add_years(date: Date, years: i16) -> Date {
    let year = date.year() + years;
    Date::new(year, date.month(), date.day()).or_else(|_| Date::new(year, date.month(), date.day() - 1)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    fn d(text: &str) -> Date {
        crate::normalize::date::parse_iso(text).unwrap()
    }

    #[test]
    fn passport_number_table() {
        table_test::run("passport_number", |raw| {
            let mut out = String::new();
            normalize(raw, &mut Scratch::default(), &mut out);
            out
        });
    }

    #[test]
    fn an_issue_date_without_a_usable_number_is_no_passport() {
        let (issue, birth, as_of) = (Some(d("2012-01-01")), Some(d("1980-01-01")), d("2016-06-14"));
        assert_eq!(status_of_row("", issue, birth, as_of), PassportStatus::None);
        assert_eq!(status_of_row("TK1234567", issue, birth, as_of), PassportStatus::Valid);
    }

    #[test]
    fn within_five_years_is_valid() {
        assert_eq!(status(Some(d("2012-01-01")), Some(d("1980-01-01")), d("2016-06-14")), PassportStatus::Valid);
    }

    #[test]
    fn adult_between_five_and_ten_years_is_possibly_valid() {
        assert_eq!(
            status(Some(d("2008-01-01")), Some(d("1980-01-01")), d("2016-06-14")),
            PassportStatus::PossiblyValid
        );
    }

    #[test]
    fn minor_at_issue_gets_five_years_only() {
        // 15 at issue in 2008: only a 5-year passport was possible.
        assert_eq!(status(Some(d("2008-01-01")), Some(d("1993-01-01")), d("2016-06-14")), PassportStatus::Expired);
    }

    #[test]
    fn before_november_1995_there_were_no_ten_year_passports() {
        assert_eq!(status(Some(d("1995-10-31")), None, d("2001-01-01")), PassportStatus::Expired);
        assert_eq!(status(Some(d("1995-11-01")), None, d("2001-01-01")), PassportStatus::PossiblyValid);
    }

    #[test]
    fn eighteen_year_olds_may_hold_ten_year_passports_from_april_2022() {
        let birth = Some(d("2004-01-01"));
        assert_eq!(status(Some(d("2022-03-31")), birth, d("2028-01-01")), PassportStatus::Expired);
        assert_eq!(status(Some(d("2022-04-01")), birth, d("2028-01-01")), PassportStatus::PossiblyValid);
    }

    #[test]
    fn expiry_day_itself_is_still_valid() {
        assert_eq!(status(Some(d("2011-06-14")), None, d("2016-06-14")), PassportStatus::Valid);
        assert_eq!(status(Some(d("2011-06-13")), None, d("2016-06-14")), PassportStatus::PossiblyValid);
    }

    #[test]
    fn impossible_issue_dates_give_none() {
        assert_eq!(status(Some(d("2017-01-01")), None, d("2016-06-14")), PassportStatus::None);
        assert_eq!(status(Some(d("1979-01-01")), Some(d("1980-01-01")), d("2016-06-14")), PassportStatus::None);
        assert_eq!(status(None, None, d("2016-06-14")), PassportStatus::None);
    }

    #[test]
    fn leap_day_issue_expires_on_28_february() {
        assert_eq!(add_years(d("2012-02-29"), 5), d("2017-02-28"));
    }
}
