//! Placeholders: what a form or an export writes in a field it has no
//! value for (`-`, `なし`, `N/A`, `NULL`, `未記入`). Such a value is missing,
//! not unusable: it says nothing about the person, and counted as an
//! invalid phone or email it made the data-quality counts report errors
//! where the export only marked an empty field. The raw text is kept for
//! the outputs as any raw value is.
//!
//! Invariant: only a whole value is a placeholder (a dash inside a phone
//! number or a `なし` inside an address is text), compared after the
//! trimming every raw value gets; ASCII words in any case.

use super::text::{is_dash, is_invisible};

/// Placeholders written in Japanese, compared exactly (a lone dash is one
/// too: [`is_lone_dash`]).
const MARKS: [&str; 9] = ["なし", "無し", "ナシ", "未記入", "未入力", "記載なし", "該当なし", "不明", "＊"];

/// Placeholders written in ASCII, compared in any case (`null`, `NULL`),
/// among them what data tools write for a missing value turned into text
/// (pandas `nan`, `NaT` for a date, `<NA>`; JavaScript `undefined`).
/// Kept as values, `<NA>` was an address that compared different from the
/// person's own, and `NaT` an unusable birth date.
const WORDS: [&str; 9] = ["n/a", "#n/a", "null", "none", "nil", "nan", "nat", "<na>", "undefined"];

/// The longest placeholder, in bytes: longer values are not compared.
const MAX_PLACEHOLDER_BYTES: usize = 12;

/// Whether `value` (trimmed) is a placeholder for no value.
pub fn is_placeholder(value: &str) -> bool {
    value.len() <= MAX_PLACEHOLDER_BYTES
        && (is_lone_dash(value) || MARKS.contains(&value) || WORDS.iter().any(|word| value.eq_ignore_ascii_case(word)))
}

/// Whether `value` is one dash, hyphen, minus or long-vowel sign of any
/// width (the dash class the normalizers share, `text::is_dash`).
fn is_lone_dash(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(is_dash) && chars.next().is_none()
}

/// `value`, or the empty string when it is a placeholder or holds only
/// invisible characters (`text::is_invisible`: a field of NULs in a damaged
/// restore is an empty field, not an unusable value).
pub fn or_missing(value: &str) -> &str {
    if is_placeholder(value) || value.chars().all(is_invisible) {
        ""
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn placeholder_table() {
        table_test::run("placeholder", |raw| if or_missing(raw).is_empty() { "missing" } else { "value" }.to_string());
    }

    #[test]
    fn no_placeholder_is_longer_than_the_bound() {
        for placeholder in MARKS.iter().chain(&WORDS) {
            assert!(placeholder.len() <= MAX_PLACEHOLDER_BYTES, "{placeholder}");
        }
    }
}
