//! Dates: birth dates and passport issue dates (SPEC section 4, research
//! notes section 5).
//!
//! Accepted after NFKC (which also expands ㍻ ㋿ and full-width digits) and
//! with spaces removed:
//! - Western: `1980-01-02`, `1980/1/2`, `1980.1.2`, `19800102`,
//!   `1980年1月2日`, kanji numerals (`一九八〇年一月二日`), an optional time part
//!   (`1980/01/02 0:00:00`, `1980-01-02T00:00`), an optional weekday in
//!   brackets as Japanese calendars and forms print it (`1980年1月2日(水)`,
//!   `(水曜日)`, `（水）`), an optional trailing 生 / 生まれ (born) and full
//!   stop (`1980.1.2.`, `1980年1月2日。`); another
//!   note in brackets after the date is dropped (`1980/1/2（42歳）`,
//!   `normalize::note`);
//! - the year in both calendars, either first (`昭和55年(1980年)1月2日`,
//!   `1980年（昭和55年）1月2日`), as Japanese forms print it: read as
//!   the other forms, and unusable when the two years disagree;
//! - eras by name, abbreviation or letter, any case: `昭和55年1月2日`,
//!   `昭和五十五年一月二日`, `平成元年5月1日`, `S55.1.2`, `S.55.1.2`, `H2/3/4`,
//!   `R1.5.1`, `昭55.1.2`, JIS X 0301 `H16.04.01`, the legacy 7-digit
//!   `GYYMMDD` code (`3550102` = S55-01-02);
//! - the month's English name: airline/passport forms `02JAN1980`,
//!   `02 JAN 80`, a spreadsheet's `2-Jan-80`, English `January 2, 1980`,
//!   `Jan 2nd 1980`, `2 January 1980`;
//! - a spreadsheet's date serial written as a number (`29222`, five
//!   digits: 1927-05-18 onwards);
//! - the year last, month or day first, where the numbers show which
//!   (`12/25/1980`, `25.12.1980`; `01/02/1980` is unusable: [`year_last`]).
//!
//! An era date must fall between the era's first and last day (昭和64年1月8日
//! is not a date; 大正15年12月25日 is, the day the era changed to 昭和, see
//! `tables/eras.tsv`); the table lets an era run
//! on after its end where systems were not updated (平成31年5月1日 is read as
//! 2019-05-01 and flagged). Impossible dates (2月30日, month 13), dates after
//! the reference date (`--as-of`: a birth or issue date cannot lie in the
//! future) and dates on or before 1900-01-01 (the zero dates systems write
//! for no date, `SYSTEM_ZERO_DATE`) are unusable. A numeric date needs a
//! four-digit year unless it has an era; in `02JAN80` the year is the
//! latest `…80` not after the reference date.

use std::ops::Range;
use std::sync::LazyLock;

pub use jiff::civil::Date;
use jiff::civil::Weekday;

use super::note::without_notes;
use super::text::{is_dash, is_kanji_numeral, is_space, parse_number, prepared, push_mapped, without_zero_fraction};
use super::{Outcome, Scratch};

/// One era of `tables/eras.tsv`.
#[derive(Debug)]
struct Era {
    names: [String; 2],
    letter: u8,
    legacy_code: u8,
    first_day: Date,
    /// `None` for the era of today.
    last_day: Option<Date>,
    accept_until: Option<Date>,
}

static ERAS: LazyLock<Vec<Era>> = LazyLock::new(|| {
    include_str!("tables/eras.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let date = |text: &str| parse_iso(text).expect("eras.tsv: ISO date");
            Era {
                names: [f[1].to_string(), f[2].to_string()],
                letter: f[3].as_bytes()[0],
                legacy_code: f[4].parse().expect("eras.tsv: legacy code"),
                first_day: date(f[5]),
                last_day: f.get(6).filter(|t| !t.is_empty()).map(|t| date(t)),
                accept_until: f.get(7).filter(|t| !t.is_empty()).map(|t| date(t)),
            }
        })
        .collect()
});

/// Parses a date into `out`, judged against `scratch.reference_date`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut Option<Date>) -> Outcome {
    *out = None;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    let Scratch { text, aux, tmp, dashed, reference_date, .. } = scratch;
    // Every dash reads as `-` (`1980‐01‐02`, `1980−01−02`, `1980ー01ー02`:
    // a word processor's hyphen, an input method's minus sign or long
    // vowel); a date has no other use for them.
    let raw = if raw.contains(|c: char| c != '-' && is_dash(c)) {
        dashed.clear();
        push_mapped(raw, dashed, |c| Some(if is_dash(c) { '-' } else { c }));
        dashed.as_str()
    } else {
        raw
    };
    // A full stop after the date is the sentence's it was copied from
    // (`1980.1.2.`, `1980年1月2日。`), as after an email.
    let prepared = without_zero_fraction(prepared(raw, aux, text).trim()).trim_end_matches(['.', '。']);
    let (date_part, weekday) = cut_weekday(cut_born(cut_time(prepared)));
    // A "born" may come before the note as well (`1980年1月2日生まれ（満45歳）`).
    let date_part = cut_born(&date_part[without_notes(date_part)]);
    let compact = if date_part.chars().any(is_space) {
        aux.clear();
        push_mapped(date_part, aux, |c| (!is_space(c)).then_some(c));
        aux.as_str()
    } else {
        date_part
    };
    // The year in the other calendar, in brackets after the year.
    let (compact, paired_year) = match paired_year(compact) {
        Some(brackets) => {
            let Some(year) = year_of(&compact[brackets.start + 1..brackets.end - 1]) else {
                return Outcome::Invalid;
            };
            tmp.clear();
            tmp.push_str(&compact[..brackets.start]);
            tmp.push_str(&compact[brackets.end..]);
            (tmp.as_str(), Some(year))
        }
        None => (compact, None),
    };
    let parsed = parse(compact, date_part, *reference_date);
    match parsed {
        Some((date, _)) if date > *reference_date || date <= SYSTEM_ZERO_DATE => Outcome::Invalid,
        Some((date, _)) if paired_year.is_some_and(|year| year != i32::from(date.year())) => Outcome::Invalid,
        Some((date, _)) if weekday.is_some_and(|written| written != date.weekday()) => Outcome::Invalid,
        Some((date, flagged)) => {
            *out = Some(date);
            if flagged {
                Outcome::Flagged
            } else {
                Outcome::Value
            }
        }
        None => Outcome::Invalid,
    }
}

/// Parses an ISO `YYYY-MM-DD` date (the command line's `--as-of`).
pub fn parse_iso(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    make(text[..4].parse().ok()?, text[5..7].parse().ok()?, text[8..].parse().ok()?)
}

/// A date and whether it was read past its era's end: `text` without its
/// spaces, `spaced` with them (an English date's parts are apart).
fn parse(text: &str, spaced: &str, reference: Date) -> Option<(Date, bool)> {
    // The common case first: the rules below read YYYY-MM-DD the same way.
    if let Some(date) = parse_iso(text) {
        return Some((date, false));
    }
    if let Some(result) = parse_era(text) {
        return result;
    }
    if let Some(date) = parse_month_name(spaced, reference) {
        return Some((date, false));
    }
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((spreadsheet_serial(text)?, false));
    }
    if text.len() == 7 && text.bytes().all(|b| b.is_ascii_digit()) {
        return parse_legacy_code(text);
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((make(text[..4].parse().ok()?, text[4..6].parse().ok()?, text[6..].parse().ok()?)?, false));
    }
    // A numeric date needs a four-digit year, first or last: `55.1.2`
    // without an era is Shōwa 55 in some systems and 2055 or 1955 in others.
    match three_numbers(text) {
        Some(((year, 4), month, day)) => Some((make(year as i32, month, day)?, false)),
        _ => year_last(text).map(|date| (date, false)),
    }
}

/// A date written year last, the month first as American forms write it
/// (`12/25/1980`) or the day first as European ones do (`25/12/1980`,
/// `25.12.1980`): read only where the numbers show the order, one of the
/// first two being over 12 and so no month, or the two being equal
/// (`05/05/1980`). `01/02/1980` is either; read one way it would be
/// another person's birth date half the time, so it is unusable.
fn year_last(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '/', '.']);
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, most: usize| (1..=most).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(first, 2) || !digits(second, 2) || year.len() != 4 || !digits(year, 4) {
        return None;
    }
    let (first, second): (u32, u32) = (first.parse().ok()?, second.parse().ok()?);
    let (month, day) = match (first <= 12, second <= 12) {
        (true, false) => (first, second),
        (false, true) => (second, first),
        (true, true) if first == second => (first, second),
        _ => return None,
    };
    make(year.parse().ok()?, month, day)
}

/// Cuts a time part: `1980/01/02 0:00:00`, `1980-01-02T00:00`.
fn cut_time(text: &str) -> &str {
    if let Some(colon) = text.find(':') {
        if let Some(separator) = text[..colon].rfind([' ', 'T']) {
            return text[..separator].trim_end();
        }
    }
    text
}

/// The weekdays as a Japanese date writes them, Monday first.
const WEEKDAYS: [(char, Weekday); 7] = [
    ('月', Weekday::Monday),
    ('火', Weekday::Tuesday),
    ('水', Weekday::Wednesday),
    ('木', Weekday::Thursday),
    ('金', Weekday::Friday),
    ('土', Weekday::Saturday),
    ('日', Weekday::Sunday),
];

/// Cuts a trailing weekday in brackets (`(水)`, `(水曜)`, `(水曜日)`; NFKC has
/// made full-width brackets ASCII) and says which day it named.
fn cut_weekday(text: &str) -> (&str, Option<Weekday>) {
    let Some(open) = text.strip_suffix(')').and_then(|t| t.rfind('(')) else {
        return (text, None);
    };
    let name = text[open + 1..text.len() - 1].trim();
    let name = name.strip_suffix("曜日").or_else(|| name.strip_suffix('曜')).unwrap_or(name);
    let mut chars = name.chars();
    let named = match (chars.next(), chars.next()) {
        (Some(day), None) => WEEKDAYS.iter().find(|(written, _)| *written == day),
        _ => None,
    };
    match named {
        Some((_, weekday)) => (text[..open].trim_end(), Some(*weekday)),
        None => (text, None),
    }
}

/// Where the brackets of a year in the other calendar are, after the year
/// (`昭和55年(1980年)…`, `1980年(昭和55年)…`; spaces removed, NFKC has made
/// full-width brackets ASCII).
fn paired_year(text: &str) -> Option<Range<usize>> {
    let open = text.find("年(")? + '年'.len_utf8();
    let close = open + text[open..].find(')')?;
    Some(open..close + 1)
}

/// The Western year of a year written alone, Western or in an era
/// (`1980年`, `1980`, `昭和55年`, `S55`, `平成元年`).
fn year_of(text: &str) -> Option<i32> {
    let number = text.strip_suffix('年').unwrap_or(text);
    if number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()) {
        return number.parse().ok();
    }
    let (era, year) = ERAS.iter().find_map(|era| {
        let by_letter = || number.as_bytes().first().is_some_and(|b| b.to_ascii_uppercase() == era.letter);
        let rest = era
            .names
            .iter()
            .find_map(|name| number.strip_prefix(name.as_str()))
            .or_else(|| by_letter().then(|| &number[1..]))?;
        let year = if rest == "元" { 1 } else { parse_number(rest)? };
        Some((era, year))
    })?;
    Some(i32::from(era.first_day.year()) + year as i32 - 1)
}

/// Cuts a trailing "born" (`1980年1月2日生`, `…生まれ`, `…生れ`), as forms
/// print a birth date.
fn cut_born(text: &str) -> &str {
    ["生まれ", "生れ", "生"].iter().find_map(|born| text.strip_suffix(born)).map_or(text, str::trim_end)
}

/// Splits `Y?M?D` on -, /, ., 年, 月 (with an optional trailing 日) into
/// three numbers; the year comes with its digit count.
fn three_numbers(text: &str) -> Option<((u32, usize), u32, u32)> {
    let text = text.strip_suffix('日').unwrap_or(text);
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    let year_text = parts.next()?;
    let month = parse_number(parts.next()?)?;
    let day = parse_number(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    let year = if year_text == "元" { 1 } else { parse_number(year_text)? };
    Some(((year, year_text.chars().count()), month, day))
}

/// Era-prefixed dates; `None` when the text has no era prefix,
/// `Some(None)` when it has one but is not a valid date.
fn parse_era(text: &str) -> Option<Option<(Date, bool)>> {
    let (era, rest) = ERAS.iter().find_map(|era| {
        for name in &era.names {
            if let Some(rest) = text.strip_prefix(name.as_str()) {
                return Some((era, rest));
            }
        }
        let first = *text.as_bytes().first().filter(|b| b.is_ascii_alphabetic())?;
        let rest = &text[1..];
        let next_is_number =
            rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '元' || is_kanji_numeral(c));
        (first.to_ascii_uppercase() == era.letter && next_is_number).then_some((era, rest))
    })?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let Some(((year, _), month, day)) = three_numbers(rest) else {
        return Some(None);
    };
    Some(era_date(era, year, month, day))
}

fn era_date(era: &Era, year: u32, month: u32, day: u32) -> Option<(Date, bool)> {
    if year == 0 {
        return None;
    }
    let western = era.first_day.year() as u32 + year - 1;
    let date = make(western as i32, month, day)?;
    if date < era.first_day {
        return None;
    }
    match era.last_day {
        Some(last) if date > last => match era.accept_until {
            Some(until) if date <= until => Some((date, true)),
            _ => None,
        },
        _ => Some((date, false)),
    }
}

/// Where a spreadsheet's date serials count from: Excel's day 1 is
/// 1900-01-01 and its day 60 a 29 February 1900 that never was, so from
/// day 61 (1900-03-01) on, serial `n` is this date plus `n` days;
/// LibreOffice and Google Sheets count from this date for every day.
const SPREADSHEET_DAY_ZERO: (i16, i8, i8) = (1899, 12, 30);

/// A spreadsheet's date serial written as a number (a date cell exported
/// as General or Number): `29222` is 1980-01-02. Five digits only: from
/// 10000 (1927-05-18) on, whereas four digits are a year written alone and
/// fewer than a lifetime of days; no other date form is five digits.
fn spreadsheet_serial(text: &str) -> Option<Date> {
    if text.starts_with('0') {
        return None;
    }
    let days: i32 = text.parse().ok()?;
    let (year, month, day) = SPREADSHEET_DAY_ZERO;
    let zero = Date::new(year, month, day).ok()?;
    zero.checked_add(jiff::Span::new().days(days)).ok()
}

/// `GYYMMDD` with G the era's legacy code (1 Meiji … 5 Reiwa).
fn parse_legacy_code(text: &str) -> Option<(Date, bool)> {
    let code = text.as_bytes()[0] - b'0';
    let era = ERAS.iter().find(|e| e.legacy_code == code)?;
    era_date(era, text[1..3].parse().ok()?, text[3..5].parse().ok()?, text[5..].parse().ok()?)
}

/// The months as English writes them; a month is also any beginning of
/// its name of three letters or more (`Jan`, `Sept`).
const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

/// The endings of an English ordinal day (`2nd`, `1st`).
const ORDINALS: [&str; 4] = ["ST", "ND", "RD", "TH"];

/// Dates with the month's English name, any case, the parts run together
/// or apart (space, comma, dash, slash, full stop): passports' and
/// airlines' `02JAN1980` and `02 JAN 80`, a spreadsheet's `2-Jan-80`,
/// English `January 2, 1980`, `Jan 2nd 1980`, `2 January 1980`, and
/// `1980 Jan 02`. The day before the month takes a four- or two-digit year
/// after it; the month first takes a four-digit year only (`Jan 2 80`
/// could be 1980-01-02 or, read as `Jan 80`, something else).
fn parse_month_name(text: &str, reference: Date) -> Option<Date> {
    let mut parts = [""; 3];
    let mut count = 0;
    for token in english_tokens(text) {
        let token = token?;
        let after_day = count > 0 && parts[count - 1].bytes().all(|b| b.is_ascii_digit());
        if after_day && ORDINALS.iter().any(|o| token.eq_ignore_ascii_case(o)) {
            continue;
        }
        *parts.get_mut(count)? = token;
        count += 1;
    }
    if count != 3 {
        return None;
    }
    let month_at = parts.iter().position(|p| p.bytes().all(|b| b.is_ascii_alphabetic()))?;
    let month = month_number(parts[month_at])?;
    let digits = |text: &str, lengths: &[usize]| {
        (lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse::<u32>().ok())?
    };
    let (day, year) = match month_at {
        0 => (digits(parts[1], &[1, 2])?, digits(parts[2], &[4])?),
        1 => match (digits(parts[0], &[1, 2]), digits(parts[0], &[4])) {
            (Some(day), _) => {
                let year = parts[2];
                let year = digits(year, &[4]).or_else(|| digits(year, &[2]).map(|yy| two_digit_year(yy, reference)))?;
                (day, year)
            }
            (None, Some(year)) => (digits(parts[2], &[1, 2])?, year),
            (None, None) => return None,
        },
        _ => return None,
    };
    make(year as i32, month, day)
}

/// The runs of ASCII letters and of ASCII digits of `text`, split at
/// spaces, commas, dashes, slashes and full stops; `None` for any other
/// character (the text is then not an English date).
fn english_tokens(text: &str) -> impl Iterator<Item = Option<&str>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', ',', '-', '/', '.']);
        let first = rest.bytes().next()?;
        let same_class = |b: u8| {
            if first.is_ascii_digit() {
                b.is_ascii_digit()
            } else {
                b.is_ascii_alphabetic()
            }
        };
        if !first.is_ascii_alphanumeric() {
            rest = "";
            return Some(None);
        }
        let len = rest.bytes().take_while(|&b| same_class(b)).count();
        let (token, after) = rest.split_at(len);
        rest = after;
        Some(Some(token))
    })
}

/// The month (1–12) a name or its abbreviation stands for.
fn month_number(name: &str) -> Option<u32> {
    if name.len() < 3 {
        return None;
    }
    let at = MONTHS.iter().position(|m| m.len() >= name.len() && m[..name.len()].eq_ignore_ascii_case(name))?;
    Some(at as u32 + 1)
}

/// The latest year ending in `yy` that is not after the reference year.
fn two_digit_year(yy: u32, reference: Date) -> u32 {
    let reference_year = reference.year() as u32;
    let candidate = reference_year - reference_year % 100 + yy;
    if candidate > reference_year {
        candidate - 100
    } else {
        candidate
    }
}

/// The last of the dates systems write for "no date": 1900-01-01 (SQL
/// Server's datetime and Excel's day 1), 1899-12-31 (Excel's day 0) and
/// 1899-12-30 (the OLE Automation date zero, Excel for Windows' serial 0).
/// A date on or before it is unusable: as a birth date it would make two
/// namesakes whose systems wrote it agree on their birth date, and no
/// customer of the data's years was born before 1900 (the oldest living
/// were, at most, about then), nor was a passport issued.
const SYSTEM_ZERO_DATE: Date = jiff::civil::date(1900, 1, 1);

fn make(year: i32, month: u32, day: u32) -> Option<Date> {
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

    fn read(raw: &str) -> (Outcome, String) {
        let mut scratch = Scratch::new(parse_iso("2026-11-22").unwrap());
        let mut out = None;
        let outcome = normalize(raw, &mut scratch, &mut out);
        (outcome, out.map(|d| d.to_string()).unwrap_or_default())
    }

    #[test]
    fn date_table() {
        table_test::run("date", |raw| read(raw).1);
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(read("昭和64年1月7日").1, "1989-01-07");
        assert_eq!(read("昭和64年1月8日"), (Outcome::Invalid, String::new()));
        assert_eq!(read("平成元年1月8日").1, "1989-01-08");
        assert_eq!(read("平成元年1月7日").0, Outcome::Invalid);
        assert_eq!(read("平成31年4月30日"), (Outcome::Value, "2019-04-30".into()));
        assert_eq!(read("平成31年5月1日"), (Outcome::Flagged, "2019-05-01".into()));
        assert_eq!(read("平成32年1月1日").0, Outcome::Invalid);
        assert_eq!(read("令和元年5月1日").1, "2019-05-01");
        assert_eq!(read("令和元年4月30日").0, Outcome::Invalid);
        assert_eq!(read("大正15年12月24日").1, "1926-12-24");
        // The era changed on the day the emperor died: that day is in both.
        assert_eq!(read("大正15年12月25日"), (Outcome::Value, "1926-12-25".into()));
        assert_eq!(read("大正15年12月26日").0, Outcome::Invalid);
        assert_eq!(read("昭和元年12月25日").1, "1926-12-25");
        assert_eq!(read("明治45年7月30日"), (Outcome::Value, "1912-07-30".into()));
        assert_eq!(read("明治45年7月31日").0, Outcome::Invalid);
    }

    #[test]
    fn future_dates_are_unusable() {
        assert_eq!(read("2026-11-22").0, Outcome::Value);
        assert_eq!(read("2026-11-23").0, Outcome::Invalid);
        assert_eq!(read("R9.1.1").0, Outcome::Invalid);
    }

    #[test]
    fn iso_parser_is_strict() {
        assert_eq!(parse_iso("2016-06-14").map(|d| d.to_string()), Some("2016-06-14".into()));
        assert_eq!(parse_iso("2016/06/14"), None);
        assert_eq!(parse_iso("2016-6-14"), None);
        assert_eq!(parse_iso("2016-02-30"), None);
    }
}
