//! CSV cell helpers shared by every output table.
//!
//! Invariant: every cell that carries input text passes through
//! [`escape_formula`], so a spreadsheet never runs it as a formula; cells we
//! compute (ids, counts, scores) do not, so a negative score stays a number.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Separator inside list cells (record_ids, booking_ids, channels, emails).
pub const LIST_SEPARATOR: &str = ";";
/// Output buffer size of the result CSV writers (`StagingDir::csv_file`);
/// larger than csv's 8 KiB default to cut syscalls.
pub const WRITE_BUFFER_BYTES: usize = 256 * 1024;

/// A cell that a spreadsheet would run as a formula (leading `=` `+` `-` `@`,
/// or a tab or carriage return, per OWASP) gets a leading `'`.
pub fn escape_formula(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// [`escape_formula`] on a cell of its own.
pub fn escape_formula_in_place(cell: &mut String) {
    if starts_like_formula(cell) {
        cell.insert(0, '\'');
    }
}

fn starts_like_formula(cell: &str) -> bool {
    matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Joins list items with [`LIST_SEPARATOR`].
pub fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    join_into(&mut out, items);
    out
}

/// [`join`] into `out` (cleared first): a buffer reused row after row.
pub fn join_into<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.clear();
    for item in items {
        if !out.is_empty() {
            out.push_str(LIST_SEPARATOR);
        }
        out.push_str(item);
    }
}

/// `text` padded with spaces to `columns` terminal columns (a kanji or a
/// full-width kana takes two), for aligned text tables.
pub fn pad(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}

/// Formats a score with two decimals (stable across platforms).
pub fn score(value: f64) -> String {
    let mut out = String::new();
    score_into(&mut out, value);
    out
}

/// [`score`] into `out` (cleared first).
pub fn score_into(out: &mut String, value: f64) {
    out.clear();
    // Writing into a String cannot fail.
    let _ = write!(out, "{value:.2}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped() {
        for cell in ["=1+1", "+81", "-x", "@SUM(A1)", "\tx"] {
            assert_eq!(escape_formula(cell), format!("'{cell}"));
        }
        assert_eq!(escape_formula("山田"), "山田");
        assert_eq!(escape_formula(""), "");
    }

    #[test]
    fn lists_join_with_semicolons() {
        assert_eq!(join(["a", "b", "c"]), "a;b;c");
        assert_eq!(join(Vec::<&str>::new()), "");
    }
}
