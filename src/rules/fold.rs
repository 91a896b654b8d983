//! How rule values are compared: one folded form for channel, booking_method,
//! payment_place and product values, and for the rules file's patterns.
//!
//! Folding: NFKC (full-width ASCII, half-width kana with their voiced marks,
//! full-width brackets and colons), every white-space and invisible
//! character (`text::is_invisible`: controls, zero-width spaces) removed,
//! lower case, hiragana → katakana, and one form for the dash class
//! (ー － - ‐ ― …): `ー` after a katakana letter or `ー` (a long vowel, as in
//! ホームページ written ホ-ムペ-ジ), `-` anywhere else (as in e-mail).
//! Brackets and their content are kept as text: `JTB旅物語（国内）` folds to
//! `jtb旅物語(国内)`, which a prefix pattern `JTB旅物語*` still matches.
//!
//! Invariant: folding is idempotent and total (never fails, never panics);
//! two values that differ only in width, script of kana, case, spacing or
//! dash form fold to the same text.

use crate::normalize::kana::{is_katakana, to_katakana};
use crate::normalize::text::{is_dash, is_invisible, is_space, nfkc_into};

/// The folded form of `raw`.
pub fn fold_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut scratch = String::new();
    fold_value_into(raw, &mut scratch, &mut out);
    out
}

/// [`fold_value`] into reused buffers (the per-booking hot path): `scratch`
/// holds the NFKC text, `out` receives the folded value.
pub fn fold_value_into(raw: &str, scratch: &mut String, out: &mut String) {
    scratch.clear();
    out.clear();
    nfkc_into(raw, scratch);
    let mut previous: Option<char> = None;
    for c in scratch.chars() {
        if is_space(c) || is_invisible(c) {
            continue;
        }
        let c = to_katakana(c);
        let folded = if is_dash(c) {
            // A dash after a katakana letter (or after a long-vowel mark) is a long vowel.
            if previous.is_some_and(is_katakana) {
                'ー'
            } else {
                '-'
            }
        } else {
            c
        };
        if folded.is_ascii() {
            out.push(folded.to_ascii_lowercase());
        } else {
            // Kana and kanji have no case and map to themselves.
            out.extend(folded.to_lowercase());
        }
        previous = Some(folded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_script_case_spaces_and_dashes_fold_together() {
        for (a, b) in [
            ("JTBホームページ", "ＪＴＢﾎｰﾑﾍﾟｰｼﾞ"),
            ("JTBホームページ", "JTBホ-ムペ-ジ"),
            ("JTBホームページ", "JTBホ－ムペ－ジ"),
            ("JTBホームページ", "jtb ほーむぺーじ"),
            ("るるぶトラベル", "ﾙﾙﾌﾞﾄﾗﾍﾞﾙ"),
            ("JAPANiCAN", "japanican"),
            ("海外ダイナミックパッケージ", "海外ダイナミックパッケ－ジ"),
            ("海外ダイナミックパッケージ", "海外ダイナミックパッケ―ジ"),
            ("ネット予約・店舗精算", "ネット予約･店舗精算"),
            ("WEB予約", "ｗｅｂ 予約"),
            // Invisible characters: a NUL of a damaged export, a zero-width
            // space and a byte order mark pasted with the value.
            ("JTBホームページ", "JTBホームページ\u{0}"),
            ("JTB店舗", "\u{FEFF}JTB\u{200B}店舗"),
        ] {
            assert_eq!(fold_value(a), fold_value(b), "{a} / {b}");
        }
    }

    #[test]
    fn brackets_stay_as_text_and_dashes_outside_kana_are_hyphens() {
        assert_eq!(fold_value("JTB旅物語（国内）"), "jtb旅物語(国内)");
        assert_eq!(fold_value("E－mail"), "e-mail");
        assert_eq!(fold_value("提携サイト：楽天トラベル"), "提携サイト:楽天トラベル");
    }

    #[test]
    fn folding_is_idempotent() {
        for raw in ["ＪＴＢﾎｰﾑﾍﾟｰｼﾞ", "JTB旅物語（国内）", "ネット予約・店舗精算", "  Ｏｎｌｉｎｅ ", "ホ--ム"]
        {
            let once = fold_value(raw);
            assert_eq!(fold_value(&once), once, "{raw}");
        }
    }

    /// Rule-value texts: ASCII letters and digits, katakana (with small
    /// ones and ー), the dash class, brackets, colons and spaces.
    fn rule_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let characters: Vec<char> = "aZ09jtbWEBカタホムペジッャーヴヶ旅物語-－‐―()（）:：・ 　".chars().collect();
        proptest::collection::vec(proptest::sample::select(characters), 0..12).prop_map(String::from_iter)
    }

    /// Katakana letters as hiragana, ASCII in full width and upper case, a
    /// space after every character: what the fold is said to ignore.
    /// (The generator's writers: the forms it writes are the forms the
    /// fold must undo.)
    fn variants(text: &str) -> [String; 4] {
        use crate::generate::render::{full_width, hiragana};
        let spaced = text.chars().flat_map(|c| [c, ' ']).collect();
        [hiragana(text), full_width(text), text.to_ascii_uppercase(), spaced]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1024, ..Default::default() })]

        /// The invariant of the module on any such text: idempotent, and
        /// blind to kana script, width, case and spacing.
        #[test]
        fn the_fold_is_idempotent_and_blind_to_script_width_case_and_spaces(text in rule_text()) {
            let folded = fold_value(&text);
            proptest::prop_assert_eq!(fold_value(&folded), folded.clone());
            for variant in variants(&text) {
                proptest::prop_assert_eq!(fold_value(&variant), folded.clone(), "{} / {}", text, variant);
            }
        }
    }
}
