//! How headers appear in messages, reject reasons and counts.json: as
//! written, unless a cell looks like a value, which is cited by its place
//! only. A file without a header row has its first customer's values where
//! the headers go, and no output shows personal data.

use crate::input::any_width_digit;

/// Whether a header cell holds what looks like a value, not a column's
/// name: an `@` (an email) or [`VALUE_DIGITS`] digits or more (a date, a
/// phone, a postal code, a passport number). A file without a header row
/// has its first customer's values there, and no message shows personal
/// data: such a cell is shown by its place only ([`shown_headers`]).
pub fn looks_like_a_value(header: &str) -> bool {
    let digits = header.chars().filter(|&c| any_width_digit(c).is_some()).count();
    header.contains(['@', '＠']) || digits >= VALUE_DIGITS
}

/// Digits that make a header cell look like a value: a header may number
/// its column (電話番号1, tel01, 住所2), and no name of one holds a date's,
/// a phone's or a postal code's four digits or more.
const VALUE_DIGITS: usize = 4;

/// Whether the header row is a data row: a cell with an `@`, or two
/// that look like values ([`looks_like_a_value`]), which one header with a
/// year in it (2024年度) is not.
pub(super) fn holds_values(headers: &[String]) -> bool {
    headers.iter().any(|h| h.contains(['@', '＠'])) || headers.iter().filter(|h| looks_like_a_value(h)).count() >= 2
}

/// The headers at `indexes` as messages and counts.json show them: each
/// as written, or `column N (a value, not shown)` where it looks like a
/// value ([`looks_like_a_value`]).
pub fn shown_headers(headers: &[String], indexes: impl IntoIterator<Item = usize>) -> String {
    shown_header_list(headers, indexes).join(", ")
}

/// [`shown_headers`] as a list.
pub fn shown_header_list(headers: &[String], indexes: impl IntoIterator<Item = usize>) -> Vec<String> {
    indexes.into_iter().map(|i| shown_header(headers, i)).collect()
}

/// The header of column `index` (0-based) as messages show it: as
/// written, or `column N (a value, not shown)` ([`looks_like_a_value`]).
pub fn shown_header(headers: &[String], index: usize) -> String {
    match readable_header(headers, index) {
        Some(header) => header.to_string(),
        None => format!("column {} (a value, not shown)", index + 1),
    }
}

/// The header of column `index` (0-based) when there is one and it does
/// not look like a value ([`looks_like_a_value`]): what a message may show.
pub fn readable_header(headers: &[String], index: usize) -> Option<&str> {
    headers.get(index).map(String::as_str).filter(|header| !looks_like_a_value(header))
}
