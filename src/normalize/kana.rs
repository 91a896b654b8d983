//! Kana primitives: hiragana→katakana and kana classification.
//!
//! Invariant: conversions are per character and total (a non-kana character
//! maps to itself), so they can never fail or panic.

/// Maps a hiragana letter to its katakana; any other character unchanged.
pub fn to_katakana(c: char) -> char {
    match c {
        // ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana.
        '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is a katakana letter or the long-vowel mark (after NFKC and
/// [`to_katakana`]).
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FE}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hiragana_becomes_katakana() {
        let converted: String = "やまだ たろう ゔ".chars().map(to_katakana).collect();
        assert_eq!(converted, "ヤマダ タロウ ヴ");
    }

    #[test]
    fn katakana_and_kanji_are_unchanged() {
        assert_eq!(to_katakana('ア'), 'ア');
        assert_eq!(to_katakana('山'), '山');
        assert!(is_katakana('ー') && is_katakana('ヴ') && !is_katakana('あ'));
    }
}
