//! Kana: hiragana→katakana, the rare forms (ヵヶ, ヷヸヹヺ), iteration marks,
//! and small-kana enlargement for the loose key.
//!
//! Invariant: conversions are total (a non-kana character maps to itself) and
//! never panic; [`to_katakana_key`] is idempotent.

use unicode_normalization::char::compose;

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

/// A katakana letter (not ー, not an iteration mark).
fn is_kana_letter(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}')
}

/// Small kana that only follow another kana (ャュョ, small vowels, ヮ).
pub fn is_small_kana(c: char) -> bool {
    matches!(c, 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ')
}

/// Small kana and their full-size forms (the loose key enlarges them).
pub fn enlarge(c: char) -> char {
    match c {
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        _ => c,
    }
}

/// Appends the katakana key form of one prepared (NFKC'd) character to
/// `out`: hiragana→katakana, ヵ→カ and ヶ→ケ (in names they are read ka/ke),
/// ヷヸヹヺ→ヴァヴィヴェヴォ, and the iteration marks ヽヾ (ゝゞ) expanded
/// to the character before them (dropped when there is none).
pub fn push_katakana_key(c: char, out: &mut String) {
    match to_katakana(c) {
        'ヵ' => out.push('カ'),
        'ヶ' => out.push('ケ'),
        'ヷ' => out.push_str("ヴァ"),
        'ヸ' => out.push_str("ヴィ"),
        'ヹ' => out.push_str("ヴェ"),
        'ヺ' => out.push_str("ヴォ"),
        // The kana repeated is the last one written, across a separator.
        // With nothing before it to repeat, the mark is stray and dropped:
        // kept, it repeated whatever a later step put before it (a name
        // turned round: ヽ゛わキ read ワキヽ, then ワキキ), so the key was
        // not its own key.
        mark @ ('ヽ' | 'ヾ') => {
            if let Some(previous) = out.chars().rev().find(|p| *p != ' ').filter(|p| is_kana_letter(*p)) {
                // ヾ repeats the previous kana voiced (ハヾ → ハバ); ヽ repeats it
                // unvoiced (ガヽ → ガカ).
                let base = unvoiced(previous);
                let repeated = if mark == 'ヾ' { compose(base, '\u{3099}').unwrap_or(base) } else { base };
                // Through the same mapping, so ワヾ gives ワヴァ as ワヷ would.
                push_katakana_key(repeated, out);
            }
        }
        other => out.push(other),
    }
}

/// The unvoiced form of a voiced kana (ガ→カ), else the kana itself.
fn unvoiced(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let mut decomposed = std::iter::once(c).nfd();
    match (decomposed.next(), decomposed.next()) {
        (Some(base), Some('\u{3099}' | '\u{309A}')) => base,
        _ => c,
    }
}

/// Converts prepared text to its katakana key form (see [`push_katakana_key`]).
pub fn to_katakana_key(text: &str, out: &mut String) {
    for c in text.chars() {
        push_katakana_key(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        let mut out = String::new();
        to_katakana_key(text, &mut out);
        out
    }

    #[test]
    fn hiragana_becomes_katakana() {
        assert_eq!(key("やまだ たろう ゔ"), "ヤマダ タロウ ヴ");
    }

    #[test]
    fn rare_forms_and_iteration_marks() {
        assert_eq!(key("ヶ"), "ケ");
        assert_eq!(key("ヷ"), "ヴァ");
        assert_eq!(key("いすゞ"), "イスズ");
        assert_eq!(key("ささき"), key("さゝき"));
        // A mark with nothing before it repeats nothing.
        assert_eq!(key("ゝ"), "");
        assert_eq!(key("ゝわき"), "ワキ");
    }

    #[test]
    fn katakana_key_is_idempotent() {
        for text in ["さゝき", "いすゞ", "ヷイオリン", "ヶ丘"] {
            assert_eq!(key(&key(text)), key(text), "{text}");
        }
    }

    #[test]
    fn small_kana_enlarge() {
        let enlarged: String = "シャッ".chars().map(enlarge).collect();
        assert_eq!(enlarged, "シヤツ");
        assert!(is_katakana('ー') && is_katakana('ヴ') && !is_katakana('あ'));
    }
}
