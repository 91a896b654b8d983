//! Character primitives shared by the field normalizers: the pipeline of the
//! research notes section 1.3 up to NFKC, and the character classes the
//! field rules use after it.
//!
//! [`prepare`] joins spacing voiced marks to the kana before them, removes
//! the characters no one writes on purpose ([`is_invisible`]: control
//! characters, zero-width spaces and joiners, direction marks, soft
//! hyphens, variation selectors), and applies NFKC. Dashes, tildes and
//! spaces are left to each field, because their meaning depends on the field: a `－`
//! is a long vowel in a kana name but a hyphen in a phone number (never the
//! jaconv/neologdn mapping of － to ー outside kana).
//!
//! Invariant: these only append to the output buffer they are given. ASCII
//! input and input that passes the NFKC quick check take a copy-only fast
//! path, which is where most rows go.

use std::sync::LazyLock;

pub use crate::input::invisible::is_invisible;
use crate::input::invisible::is_invisible_ascii;
use unicode_normalization::char::compose;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Appends the NFKC form of `raw` to `out` (no Japanese pre-fixes).
///
/// Fast path: text made only of characters whose NFKC is themselves (ASCII,
/// kana, CJK ideographs, Japanese punctuation) or a plain width fold
/// (full-width ASCII, the ideographic space) is copied or folded by offset.
/// Anything else (half-width kana, combining marks, compatibility
/// characters) takes the full NFKC.
pub fn nfkc_into(raw: &str, out: &mut String) {
    if !push_fast(raw, out) {
        if is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
            out.push_str(raw);
        } else {
            out.extend(raw.nfkc());
        }
    }
}

/// The fast path of [`nfkc_into`]: appends and returns `true`, or appends
/// nothing and returns `false` when `raw` needs the full NFKC (or, for
/// [`prepare`], a pre-fix).
fn push_fast(raw: &str, out: &mut String) -> bool {
    if is_plain_ascii(raw) {
        out.push_str(raw);
        return true;
    }
    // First a check only, on bytes: most Japanese values need no change at
    // all, and are then copied in one go.
    let bytes = raw.as_bytes();
    let mut needs_width_fold = false;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        match lead {
            0x00..=0x7F if !is_invisible_ascii(lead) => i += 1,
            // U+4000..=U+9FFF: CJK ideographs (and hexagrams), all stable.
            0xE4..=0xE9 => i += 3,
            // U+3000..=U+3FFF and U+F000..=U+FFFF: look at the character.
            0xE3 | 0xEF => {
                let c =
                    u32::from(lead & 0x0F) << 12 | u32::from(bytes[i + 1] & 0x3F) << 6 | u32::from(bytes[i + 2] & 0x3F);
                match char::from_u32(c) {
                    Some('\u{FF61}'..='\u{FF9F}') => needs_width_fold = true,
                    Some(c) => match fast_nfkc(c) {
                        Some(read) => needs_width_fold |= read != c,
                        None => return false,
                    },
                    None => return false,
                }
                i += 3;
            }
            _ => return false,
        }
    }
    if !needs_width_fold {
        out.push_str(raw);
        return true;
    }
    let start = out.len();
    for c in raw.chars() {
        match c {
            // Half-width voiced marks compose with the kana before them
            // (ｶﾞ = ガ); after anything else NFKC leaves a combining mark,
            // which the full path handles.
            '\u{FF9E}' | '\u{FF9F}' => {
                let mark = if c == '\u{FF9E}' { '\u{3099}' } else { '\u{309A}' };
                let composed = out[start..].chars().next_back().and_then(|base| compose(base, mark));
                let Some(composed) = composed else {
                    out.truncate(start);
                    return false;
                };
                out.pop();
                out.push(composed);
            }
            '\u{FF61}'..='\u{FF9D}' => out.push(HALF_WIDTH_KANA_NFKC[(c as u32 - 0xFF61) as usize]),
            // Checked above: fast_nfkc reads every other character.
            _ => out.push(fast_nfkc(c).unwrap_or(c)),
        }
    }
    true
}

/// One character as the fast path of [`prepare`] reads it: itself, or its
/// width fold (full-width ASCII, the ideographic space); `None` when the
/// text needs the full path (anything the fast path does not copy or fold,
/// and half-width kana, whose voiced marks depend on their neighbour). A
/// text whose every character gives `Some` prepares to those characters.
pub fn fast_nfkc(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{7F}' if !is_invisible_ascii(c as u8) => Some(c),
        '\u{4000}'..='\u{9FFF}' => Some(c),
        '\u{3000}' => Some(' '),
        // NFKC maps U+FF01..=U+FF5E to U+0021..=U+007E.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        c if is_nfkc_stable_japanese(c) => Some(c),
        _ => None,
    }
}

/// The NFKC of the half-width katakana and punctuation U+FF61..=U+FF9D
/// (the voiced marks U+FF9E, U+FF9F apart), one full-width character each,
/// taken from the Unicode tables of `unicode-normalization` once.
static HALF_WIDTH_KANA_NFKC: LazyLock<Vec<char>> =
    LazyLock::new(|| ('\u{FF61}'..='\u{FF9D}').map(|c| c.nfkc().next().unwrap_or(c)).collect());

/// Characters that NFKC leaves alone and that never combine with a
/// neighbour: 、。〃々〆〇, the brackets 〈〉《》「」『』【】, 〒, 〓, hiragana,
/// ゝゞ, katakana, ー, ヽヾ, CJK ideographs.
fn is_nfkc_stable_japanese(c: char) -> bool {
    matches!(
        c,
        '\u{3001}'..='\u{3013}'
            | '\u{3041}'..='\u{3096}'
            | '\u{309D}'..='\u{309E}'
            | '\u{30A1}'..='\u{30FA}'
            | '\u{30FC}'..='\u{30FE}'
            | '\u{4E00}'..='\u{9FFF}'
    )
}

/// Whether `c` needs a fix before NFKC: a spacing voiced mark (which NFKC
/// turns into a space plus a combining mark) or an invisible character.
fn needs_pre_fix(c: char) -> bool {
    matches!(c, '\u{309B}' | '\u{309C}') || is_invisible(c)
}

/// ASCII without an invisible character: its own prepared form.
fn is_plain_ascii(raw: &str) -> bool {
    raw.is_ascii() && !raw.bytes().any(is_invisible_ascii)
}

/// Appends the prepared form of `raw` to `out`: spacing ゛゜ after kana made
/// combining, invisible characters ([`is_invisible`]) removed, then NFKC.
/// `aux` is scratch.
/// Returns [`Prepared::Plain`] when the text took the fast path, which
/// guarantees it holds no combining mark (callers then skip that check).
pub fn prepare(raw: &str, aux: &mut String, out: &mut String) -> Prepared {
    // The fast path never accepts a character that needs a pre-fix.
    if push_fast(raw, out) {
        return Prepared::Plain;
    }
    if !raw.chars().any(needs_pre_fix) {
        nfkc_into(raw, out);
        return Prepared::MayHaveMarks;
    }
    aux.clear();
    let mut previous: Option<char> = None;
    for c in raw.chars() {
        match c {
            c if is_invisible(c) => continue,
            '\u{309B}' | '\u{309C}' if previous.is_some_and(is_kana_letter) => {
                aux.push(if c == '\u{309B}' { '\u{3099}' } else { '\u{309A}' });
            }
            _ => aux.push(c),
        }
        previous = Some(c);
    }
    out.extend(aux.nfkc());
    Prepared::MayHaveMarks
}

/// The prepared form of `raw` for fields that read it once: `raw` itself
/// when ASCII without a control character (its own NFKC, nothing to fix:
/// most emails, phones and dates), else [`prepare`] into `buffer` (cleared
/// first).
pub fn prepared<'a>(raw: &'a str, aux: &mut String, buffer: &'a mut String) -> &'a str {
    if is_plain_ascii(raw) {
        return raw;
    }
    buffer.clear();
    let _ = prepare(raw, aux, buffer);
    buffer
}

/// A whole number as a column of floats writes it (`9012345678.0`,
/// `1000001.0`): the digits before the point. pandas writes every integer
/// column that has a missing value as floats, and a spreadsheet's number
/// cell can carry a decimal place; left on, the `.0` made a postal code or
/// a birth date (`19800102.0`) unusable and a phone a wrong number (the
/// point dropped, `312345678.0` read as `03123456780`). Anything else (a
/// point between digits that are not all zeros after it: `090.1234.5678`,
/// `1980.1.2`) is returned as it is.
pub fn without_zero_fraction(text: &str) -> &str {
    match text.split_once('.') {
        Some((whole, fraction))
            if !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b == b'0') =>
        {
            whole
        }
        _ => text,
    }
}

/// What [`prepare`] can promise about its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prepared {
    /// Only ASCII, kana, ideographs and Japanese punctuation: no combining mark.
    Plain,
    /// Anything else.
    MayHaveMarks,
}

/// Appends `text` with each character mapped by `map` (`None` drops it),
/// copying the runs of characters it leaves as they are in one go rather
/// than character by character.
pub fn push_mapped(text: &str, out: &mut String, mut map: impl FnMut(char) -> Option<char>) {
    let mut unchanged_from = 0;
    for (at, c) in text.char_indices() {
        let mapped = map(c);
        if mapped != Some(c) {
            out.push_str(&text[unchanged_from..at]);
            out.extend(mapped);
            unchanged_from = at + c.len_utf8();
        }
    }
    out.push_str(&text[unchanged_from..]);
}

/// A combining mark left without a base after NFKC (its base was a space
/// or it started the value). Keys drop them: once a separator between two
/// marks is removed, NFKC would reorder them and the key would not be
/// idempotent.
pub fn is_stray_mark(c: char) -> bool {
    // Most characters here are ASCII, kana or kanji: no table look-up.
    if c.is_ascii() || is_nfkc_stable_japanese(c) {
        return false;
    }
    unicode_normalization::char::canonical_combining_class(c) != 0
}

/// Hiragana or katakana letters (full or half width), not marks.
pub fn is_kana_letter(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{FF66}'..='\u{FF9D}')
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

/// Tildes and wave dashes (〜 U+301C and ～ U+FF5E are the CP932/JIS split).
pub fn is_tilde(c: char) -> bool {
    matches!(c, '~' | '\u{301C}' | '\u{FF5E}' | '\u{223C}' | '\u{223E}' | '\u{3030}')
}

/// Separators between parts of a name or an address that carry no meaning.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

/// Kanji numerals used in dates and addresses.
pub fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// An ideograph (the CJK blocks Japanese text uses) or 々.
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
}

/// Whether `c` can be part of a kanji number (digits and 十百千).
pub fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// Appends `value` in decimal without the formatting machinery (this runs
/// for every number of every address and every birth-date key). itoa
/// writes the digits two at a time into a stack buffer and they are copied
/// in once; pushing them char by char was 1.8% of a 1,000,000-person run.
pub fn push_decimal(value: u32, out: &mut String) {
    out.push_str(itoa::Buffer::new().format(value));
}

/// Parses a number written in ASCII digits, kanji digit by digit (一九八〇),
/// or kanji with 十百千 (五十五, 百二十三). `None` if empty or malformed
/// (two digits in a row, a unit after a smaller or the same: 十二十).
pub fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return if text.len() <= 9 { text.parse().ok() } else { None };
    }
    let positional = text.chars().any(|c| matches!(c, '十' | '百' | '千'));
    if !positional {
        let mut value: u32 = 0;
        for c in text.chars() {
            value = value.checked_mul(10)?.checked_add(kanji_digit(c)?)?;
        }
        return Some(value);
    }
    // Units come largest first, each once (千百十): 四十二十五 is no number
    // but the end of a town's name (赤岩四十二) and a number (十五).
    let (mut total, mut pending, mut last_unit) = (0u32, None::<u32>, u32::MAX);
    for c in text.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(kanji_digit(c)?);
                continue;
            }
        };
        if unit >= last_unit {
            return None;
        }
        last_unit = unit;
        total += pending.take().unwrap_or(1) * unit;
    }
    Some(total + pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(raw: &str) -> String {
        let (mut aux, mut out) = (String::new(), String::new());
        prepare(raw, &mut aux, &mut out);
        out
    }

    #[test]
    fn nfkc_folds_full_width_ascii_and_half_width_kana() {
        assert_eq!(prepared("ＡＢＣ１２３ ｶﾞｯｺｳ"), "ABC123 ガッコウ");
    }

    #[test]
    fn spacing_voiced_marks_join_the_kana_before_them() {
        assert_eq!(prepared("か゛き゜う゛"), "が\u{304D}\u{309A}ゔ".nfc().collect::<String>());
        assert_eq!(prepared("ハ゜ン"), "パン");
    }

    #[test]
    fn variation_selectors_are_removed() {
        assert_eq!(prepared("葛\u{E0100}飾"), "葛飾");
        assert_eq!(prepared("辻\u{FE00}"), "辻");
    }

    /// Values from the Unicode Character Database (DerivedCoreProperties,
    /// UnicodeData, PropList), not from the table the code reads.
    #[test]
    fn invisible_characters_are_dropped_and_white_space_kept() {
        let invisible = ['\u{0}', '\u{1F}', '\u{7F}', '\u{9F}', '\u{AD}', '\u{200B}', '\u{200D}', '\u{200E}'];
        let more = ['\u{202E}', '\u{2060}', '\u{FE0F}', '\u{FEFF}', '\u{E0001}', '\u{E0100}', '\u{E0FFF}'];
        for c in invisible.into_iter().chain(more) {
            assert!(is_invisible(c), "U+{:04X}", c as u32);
            assert_eq!(prepared(&format!("山{c}田")), "山田", "U+{:04X}", c as u32);
            assert_eq!(prepared(&format!("a{c}b")), "ab", "U+{:04X}", c as u32);
        }
        for c in
            ['\t', '\n', '\u{B}', '\u{C}', '\r', ' ', '\u{85}', '\u{3000}', 'a', '山', 'ー', '\u{200A}', '\u{2010}']
        {
            assert!(!is_invisible(c), "U+{:04X}", c as u32);
        }
        assert_eq!(prepared("taro@example.jp\u{0}"), "taro@example.jp");
    }

    #[test]
    fn every_common_dash_is_in_the_class() {
        for c in ['-', '‐', '–', '—', '―', '−', 'ー', '－', 'ｰ', '─'] {
            assert!(is_dash(c), "{c:?}");
        }
        assert!(!is_dash('_') && is_tilde('〜') && is_tilde('～'));
    }

    #[test]
    fn fast_path_agrees_with_full_nfkc() {
        let samples = [
            "山田　太郎",
            "ＡＢＣ１２３＠ｅｘ．ｊｐ～",
            "やまだ たろう",
            "ヤマダ・タロウー",
            "佐々木〇",
            "ｶﾞｯｺｳ",
            "①㍻",
            "か\u{3099}",
            "〜－",
        ];
        for sample in samples {
            let mut fast = String::new();
            nfkc_into(sample, &mut fast);
            assert_eq!(fast, sample.nfkc().collect::<String>(), "{sample}");
        }
    }

    /// Every character the fast path copies as it is must be its own NFKC
    /// and never combine: checked over the whole set, not by samples.
    #[test]
    fn stable_set_is_nfkc_stable() {
        let stable = (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| is_nfkc_stable_japanese(c));
        for c in stable {
            assert_eq!(c.nfkc().collect::<String>(), c.to_string(), "{c:?} U+{:04X}", c as u32);
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "{c:?}");
        }
    }

    /// The half-width kana path against the full NFKC: every half-width
    /// character after every kind of base, and the voiced marks alone,
    /// doubled and after letters (which the fast path leaves to the full one).
    #[test]
    fn half_width_kana_agree_with_full_nfkc() {
        let half_width = ('\u{FF61}'..='\u{FF9F}').collect::<Vec<_>>();
        let bases = ["", "ｶ", "カ", "か", "ﾜ", "ｳ", "ﾊ", "a", "山", "ー", "ｶﾞ"];
        for base in bases {
            for &c in &half_width {
                for tail in ["", "ﾞ", "ﾟ", "ﾞﾞ", "ｱ"] {
                    let sample = format!("{base}{c}{tail}");
                    let mut fast = String::new();
                    nfkc_into(&sample, &mut fast);
                    assert_eq!(fast, sample.nfkc().collect::<String>(), "{sample}");
                }
            }
        }
    }

    /// fast_nfkc character by character is the fast path of `prepare`.
    #[test]
    fn fast_nfkc_agrees_with_prepare() {
        for code in 0..=0x10FFFF {
            let Some(c) = char::from_u32(code) else { continue };
            if let Some(read) = fast_nfkc(c) {
                assert_eq!(prepared(&c.to_string()), read.to_string(), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn push_mapped_maps_drops_and_copies() {
        let mut out = String::from(">");
        push_mapped("a-bc-d", &mut out, |c| match c {
            '-' => None,
            'c' => Some('C'),
            _ => Some(c),
        });
        assert_eq!(out, ">abCd");
        out.clear();
        push_mapped("山田", &mut out, Some);
        assert_eq!(out, "山田");
    }

    #[test]
    fn kanji_numbers() {
        for (text, value) in [
            ("五十五", 55),
            ("十二", 12),
            ("十", 10),
            ("一九八〇", 1980),
            ("百二十三", 123),
            ("二千十六", 2016),
            ("31", 31),
        ] {
            assert_eq!(parse_number(text), Some(value), "{text}");
        }
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("五五十"), None);
        assert_eq!(parse_number("x"), None);
    }
}
