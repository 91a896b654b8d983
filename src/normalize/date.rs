//! Dates (birth dates, passport issue dates).
//!
//! First version: Western forms `1980-01-02`, `1980/1/2`, `1980.1.2`,
//! `19800102`, `1980年1月2日`, with an optional time part after a space or `T`
//! (spreadsheet exports). Impossible dates (month 13, 2月30日) are invalid.
//! The Japanese eras come with the issue "Japanese normalization, complete".

pub use jiff::civil::Date;

use super::text::nfkc_into;
use super::Outcome;

/// Parses a date into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut Option<Date>) -> Outcome {
    *out = None;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    match parse_western(scratch.trim()) {
        Some(date) => {
            *out = Some(date);
            Outcome::Value
        }
        None => Outcome::Invalid,
    }
}

/// Parses an ISO `YYYY-MM-DD` date (the command line's `--as-of`).
pub fn parse_iso(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    parse_western(text)
}

fn parse_western(text: &str) -> Option<Date> {
    // Cut a time part: "1980/01/02 0:00:00", "1980-01-02T00:00:00".
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let year = date_part[..4].parse().ok()?;
        let month = date_part[4..6].parse().ok()?;
        let day = date_part[6..].parse().ok()?;
        return make(year, month, day);
    }
    let date_part = date_part.strip_suffix('日').unwrap_or(date_part);
    let mut parts = date_part.split(['-', '/', '.', '年', '月']);
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    make(year, month, day)
}

fn number(text: &str, min_digits: usize, max_digits: usize) -> Option<i32> {
    let ok = (min_digits..=max_digits).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if ok {
        text.parse().ok()
    } else {
        None
    }
}

fn make(year: i32, month: i32, day: i32) -> Option<Date> {
    // Years outside 1800..=2200 are typing errors in this domain, and the
    // bound keeps the casts below in range.
    if !(1800..=2200).contains(&year) {
        return None;
    }
    Date::new(year as i16, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn date_table() {
        table_test::run("date", |raw| {
            let (mut scratch, mut out) = (String::new(), None);
            normalize(raw, &mut scratch, &mut out);
            out.map(|d| d.to_string()).unwrap_or_default()
        });
    }

    #[test]
    fn iso_parser_is_strict() {
        assert_eq!(parse_iso("2016-06-14").map(|d| d.to_string()), Some("2016-06-14".into()));
        assert_eq!(parse_iso("2016/06/14"), None);
        assert_eq!(parse_iso("2016-6-14"), None);
        assert_eq!(parse_iso("2016-02-30"), None);
    }
}
