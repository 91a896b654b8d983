//! The characters a value holds without anyone having written them, which
//! every reader of a value drops: control characters but white space, and
//! Unicode's default-ignorable code points (`tables/invisible.tsv`,
//! generated from the Unicode Character Database). Here, upstream of both,
//! so that header matching and normalization share one class.
//!
//! Invariant: white space is never invisible (it separates words), and the
//! class is exactly the table's ranges.

use std::sync::LazyLock;

/// The ranges of `tables/invisible.tsv` (first and last code point), sorted.
static INVISIBLE: LazyLock<Vec<(u32, u32)>> = LazyLock::new(|| {
    let hex = |field: Option<&str>| field.and_then(|f| u32::from_str_radix(f, 16).ok());
    let mut ranges: Vec<(u32, u32)> = include_str!("tables/invisible.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some((hex(fields.next())?, hex(fields.next())?))
        })
        .collect();
    ranges.sort_unstable();
    ranges
});

/// Whether `c` is a character that a value holds without anyone having
/// written it, dropped before anything reads the value: a control
/// character (the NUL of a damaged restore, a DEL) or a code point shown
/// as nothing (a zero-width space or joiner, a direction mark, a soft
/// hyphen, a byte order mark inside the text, a variation selector of a
/// kanji); `tables/invisible.tsv`. Kept, such a character made `山田\u{200B}太郎`
/// another name than 山田太郎 and `taro@example.jp\u{0}` an unusable email.
/// White space (tab, line feed and the like) is not dropped: it separates
/// words (a surname and a given name) as a space does.
pub fn is_invisible(c: char) -> bool {
    let code = c as u32;
    if code < 0x80 {
        return is_invisible_ascii(code as u8);
    }
    // Kana and the common ideographs (most of a Japanese value) are none.
    if ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    let ranges = &*INVISIBLE;
    let at = ranges.partition_point(|&(_, last)| last < code);
    ranges.get(at).is_some_and(|&(first, _)| first <= code)
}

/// [`is_invisible`] for an ASCII byte: a control character but white space.
pub(crate) fn is_invisible_ascii(byte: u8) -> bool {
    matches!(byte, 0x00..=0x08 | 0x0E..=0x1F | 0x7F)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts for ASCII, kana and ideographs say what the table says,
    /// for every code point.
    #[test]
    fn every_code_point_as_the_table_says() {
        let ranges = &*INVISIBLE;
        assert!(ranges.windows(2).all(|w| w[0].1 < w[1].0), "ranges sorted and apart");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let in_table = ranges.iter().any(|&(first, last)| (first..=last).contains(&(c as u32)));
            assert_eq!(is_invisible(c), in_table, "U+{:04X}", c as u32);
        }
    }

    /// White space separates words: never invisible (PropList White_Space).
    #[test]
    fn white_space_is_kept() {
        for c in ['\t', '\n', '\u{B}', '\u{C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{2028}', '\u{3000}'] {
            assert!(!is_invisible(c), "U+{:04X}", c as u32);
        }
    }
}
