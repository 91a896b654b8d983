//! Character primitives shared by the field normalizers.
//!
//! Invariant: these only append to the output buffer they are given; callers
//! own clearing. ASCII input takes a fast path that skips NFKC (NFKC is the
//! identity on ASCII).

use unicode_normalization::UnicodeNormalization;

/// Appends the NFKC form of `raw` to `out`.
pub fn nfkc_into(raw: &str, out: &mut String) {
    if raw.is_ascii() {
        out.push_str(raw);
    } else {
        out.extend(raw.nfkc());
    }
}

/// The dash class of the research notes §1.3: hyphens, dashes, minus signs,
/// box-drawing lines and long-vowel marks that data entry uses interchangeably.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{2500}'
            | '\u{2501}'
            | '\u{30FC}'
            | '\u{FE63}'
            | '\u{FF0D}'
            | '\u{FF70}'
            | '\u{2043}'
            | '\u{207B}'
            | '\u{208B}'
            | '\u{02D7}'
            | '\u{058A}'
            | '\u{23AF}'
            | '\u{23E4}'
            | '\u{FE58}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_full_width_ascii_and_half_width_kana() {
        let mut out = String::new();
        nfkc_into("ＡＢＣ１２３ ｶﾞｯｺｳ", &mut out);
        assert_eq!(out, "ABC123 ガッコウ");
    }

    #[test]
    fn every_common_dash_is_in_the_class() {
        for c in ['-', '‐', '–', '—', '―', '−', 'ー', '－', 'ｰ', '─'] {
            assert!(is_dash(c), "{c:?}");
        }
        assert!(!is_dash('_'));
    }
}
