//! Property tests of the normalizers: on any input they never panic, their
//! keys hold only their documented alphabet, and each is idempotent on its
//! own output.
//!
//! Inputs mix arbitrary Unicode with the characters Japanese data is made of
//! (kana of both widths, kanji and their variants, full-width ASCII, every
//! dash and tilde, voiced marks, variation selectors, era names, separators),
//! so the interesting paths are reached, not just the ASCII fast path.

use proptest::prelude::*;

use super::address::{self, Address};
use super::date::{self, Date};
use super::email::{self, Email};
use super::gender::{self, Gender};
use super::name::{self, KanaName, KanjiName, RomajiField};
use super::name_columns;
use super::part_memo::{Join, PartMemo, PartText};
use super::romaji::{fold, FoldScratch, Strength};
use super::{passport, phone, postal, Outcome, Scratch};

const JAPANESE: &str = "あいうかがきしじたちっつてでなのはばぱまやゃゆょらわをんゝゞアイウカガキシジタチッツテデナノハバパマヤャユョラワヲンヴヵヶヽヾーｱｶﾞﾊﾟｯｰﾞﾟ゛゜山田髙﨑邉邊齋斎斉澤沢濱浜々一二三十百千〇丁目番地号市区町村郡都道府県大字様殿年月日元明治大正昭和平成令和㍻㋿〒〶ＡＺａｚ０９＠．－―‐−～〜・　／，、";
const ASCII: &str = "abcxyzABCOHNMTSRI0123456789 -/.,:'+@()";

fn interesting_char() -> impl Strategy<Value = char> {
    let japanese: Vec<char> = JAPANESE.chars().collect();
    let ascii: Vec<char> = ASCII.chars().collect();
    prop_oneof![
        3 => proptest::sample::select(japanese),
        2 => proptest::sample::select(ascii),
        1 => any::<char>(),
        1 => proptest::sample::select(vec!['\u{FE00}', '\u{E0100}', '\u{3099}', '\u{309A}', '\u{0304}', '\u{200B}']),
    ]
}

fn input() -> impl Strategy<Value = String> {
    proptest::collection::vec(interesting_char(), 0..24).prop_map(String::from_iter)
}

/// A name part made of the letters the romaji rules act on.
fn romaji_part() -> impl Strategy<Value = String> {
    let focused = proptest::collection::vec(proptest::sample::select(b"AIOUNHMKTCSBY".to_vec()), 0..6);
    let broad = proptest::collection::vec(proptest::sample::select(b"AEIOUNMHSTCKYWZJDBPRGFVL".to_vec()), 0..9);
    prop_oneof![focused, broad].prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

fn scratch() -> Scratch {
    Scratch::new(Date::constant(2026, 11, 22))
}

fn is_key_alphabet(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_uppercase())
}

/// Kana names the way most rows write them, and the near misses: katakana
/// (small ones, ッ, ー, ヵヶ and ヴ among them) around zero to two separators.
fn katakana_name() -> impl Strategy<Value = String> {
    let letters: Vec<char> = "アイカキサシタツナハマヤラワンヴァィゥェォッャュョヮヵヶー".chars().collect();
    let part = proptest::collection::vec(proptest::sample::select(letters), 0..5);
    let separator = proptest::sample::select(vec!["", " ", "\u{3000}", "  ", "・"]);
    (part.clone(), separator.clone(), part.clone(), separator, part).prop_map(|(a, s, b, t, c)| {
        let mut name: String = a.into_iter().collect();
        name.push_str(s);
        name.extend(b);
        name.push_str(t);
        name.extend(c);
        name
    })
}

/// An honorific as written after a name, on it or apart.
fn honorific() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec!["様", " 様", "\u{3000}様", "殿", "さん", " さん"])
}

/// `text` with `honorific` after it normalizes as `text` alone, when that
/// is a name.
fn honorific_leaves_the_name<N: Default + PartialEq + std::fmt::Debug>(
    text: &str,
    honorific: &str,
    normalize: fn(&str, &mut Scratch, &mut N) -> Outcome,
) -> Result<(), TestCaseError> {
    let (mut bare, mut addressed) = (N::default(), N::default());
    if normalize(text, &mut scratch(), &mut bare) == Outcome::Value {
        let outcome = normalize(&format!("{text}{honorific}"), &mut scratch(), &mut addressed);
        prop_assert_eq!(outcome, Outcome::Value);
        prop_assert_eq!(bare, addressed);
    }
    Ok(())
}

/// Kanji names and their near misses: ideographs with and without
/// variants, honorifics, 々, kana, separators, a party note's words.
fn kanji_name() -> impl Strategy<Value = String> {
    let characters: Vec<char> = "山田太郎髙橋﨑邉邊齋斎斉澤沢一様殿君々さんの 　・ー他外名人2".chars().collect();
    proptest::collection::vec(proptest::sample::select(characters), 0..8).prop_map(String::from_iter)
}

/// Romaji names and their near misses: words of letters in either case,
/// titles alone or glued on, spaces, slashes, commas.
fn romaji_name() -> impl Strategy<Value = String> {
    let pieces = vec![
        "TARO", "yamada", "Sato", "O", "N", "A", "MR", "mrs", "MS", "DR", "MISS", "MSTR", " ", " ", "  ", "/", ",", "'",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..6).prop_map(|pieces| pieces.concat())
}

/// A field's text for whole records: any text, or a name in one of the
/// scripts.
fn record_field() -> impl Strategy<Value = String> {
    prop_oneof![input(), kanji_name(), katakana_name(), romaji_name(), name_column_text()]
}

/// Name texts near the edges of the scripts: kanji, kana and Latin
/// letters, the kana marks that are no letters (ゝヽヾ゛), brackets,
/// slashes, honorifics, digits, half-width kana, full-width letters.
fn name_column_text() -> impl Strategy<Value = String> {
    let characters: Vec<char> = "山田々様さんアヤマダぁゎーゝヽヾ゛・ 　()（）/／|aZ1ｱﾞＹ".chars().collect();
    proptest::collection::vec(proptest::sample::select(characters), 0..10).prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The shortcut for plainly written kanji names gives what the general
    /// path gives.
    #[test]
    fn plain_kanji_names_key_as_the_general_path(text in kanji_name()) {
        let (mut fast, mut general) = (KanjiName::default(), KanjiName::default());
        let outcome = name::normalize_kanji(&text, &mut scratch(), &mut fast);
        if !text.is_empty() {
            prop_assert_eq!(outcome, name::normalize_kanji_general(&text, &mut scratch(), &mut general));
            prop_assert_eq!(fast, general);
        }
    }

    /// An honorific after a name, written on or apart, does not change
    /// its key (nor its order: `太郎 山田 様` is keyed as `太郎 山田`).
    #[test]
    fn an_honorific_after_a_name_leaves_its_key(text in kanji_name(), honorific in honorific()) {
        honorific_leaves_the_name(&text, honorific, name::normalize_kanji)?;
    }

    /// The same for a kana name: every key and the split.
    #[test]
    fn an_honorific_after_a_kana_name_leaves_its_keys(text in katakana_name(), honorific in honorific()) {
        honorific_leaves_the_name(&text, honorific, name::normalize_kana)?;
    }

    /// A romaji name with a title after it keys as without it (its gender
    /// hint aside).
    #[test]
    fn a_title_after_a_romaji_name_leaves_its_keys(
        text in romaji_name(),
        title in proptest::sample::select(vec![" MR", " MRS", " MS", " (MR)", " DR", " MSTR"]),
    ) {
        let (mut bare, mut titled) = (RomajiField::default(), RomajiField::default());
        if name::normalize_romaji(&text, &mut scratch(), &mut bare) == Outcome::Value {
            let outcome = name::normalize_romaji(&format!("{text}{title}"), &mut scratch(), &mut titled);
            prop_assert_eq!(outcome, Outcome::Value);
            prop_assert_eq!(&bare.display, &titled.display);
            prop_assert_eq!(&bare.romaji, &titled.romaji);
        }
    }

    /// The shortcut for plainly written romaji names gives what the general
    /// path gives.
    #[test]
    fn plain_romaji_names_key_as_the_general_path(text in romaji_name()) {
        let (mut fast, mut general) = (RomajiField::default(), RomajiField::default());
        let outcome = name::normalize_romaji(&text, &mut scratch(), &mut fast);
        if !text.is_empty() {
            prop_assert_eq!(outcome, name::normalize_romaji_general(&text, &mut scratch(), &mut general));
            prop_assert_eq!(fast, general);
        }
    }

    /// The shortcut for plainly written katakana names gives what the
    /// general path gives, every key and the split.
    #[test]
    fn plain_katakana_names_key_as_the_general_path(text in katakana_name()) {
        let (mut fast, mut general) = (KanaName::default(), KanaName::default());
        let outcome = name::normalize_kana(&text, &mut scratch(), &mut fast);
        if !text.is_empty() {
            prop_assert_eq!(outcome, name::normalize_kana_general(&text, &mut scratch(), &mut general));
            prop_assert_eq!(fast, general);
        }
    }

    #[test]
    fn the_nfkc_fast_path_equals_full_nfkc(text in input()) {
        use unicode_normalization::UnicodeNormalization;
        let mut fast = String::new();
        super::text::nfkc_into(&text, &mut fast);
        prop_assert_eq!(fast, text.nfkc().collect::<String>());
    }

    #[test]
    fn romaji_fold_is_idempotent_and_a_to_z(text in input()) {
        for strength in [Strength::Strict, Strength::Loose] {
            let (mut once, mut twice) = (String::new(), String::new());
            fold(&text, strength, &mut FoldScratch::default(), &mut once);
            fold(&once, strength, &mut FoldScratch::default(), &mut twice);
            prop_assert!(is_key_alphabet(&once), "{once:?}");
            prop_assert_eq!(&once, &twice);
        }
    }

    #[test]
    fn kanji_key_is_idempotent(text in input()) {
        let mut out = KanjiName::default();
        if name::normalize_kanji(&text, &mut scratch(), &mut out).is_usable() {
            let mut again = KanjiName::default();
            name::normalize_kanji(&out.strict, &mut scratch(), &mut again);
            prop_assert_eq!(&again.strict, &out.strict);
            name::normalize_kanji(&out.loose, &mut scratch(), &mut again);
            prop_assert_eq!(&again.loose, &out.loose);
            prop_assert!(!out.strict.chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn kana_key_is_katakana_and_idempotent(text in input()) {
        let mut out = KanaName::default();
        if name::normalize_kana(&text, &mut scratch(), &mut out).is_usable() {
            prop_assert!(out.strict.chars().all(super::kana::is_katakana), "{:?}", out.strict);
            prop_assert!(is_key_alphabet(&out.romaji.strict) && is_key_alphabet(&out.romaji.loose));
            let mut again = KanaName::default();
            name::normalize_kana(&out.strict, &mut scratch(), &mut again);
            prop_assert_eq!(&again.strict, &out.strict);
            prop_assert_eq!(&again.romaji.loose, &out.romaji.loose);
        }
    }

    #[test]
    fn romaji_name_display_is_idempotent(text in input()) {
        let mut out = RomajiField::default();
        if name::normalize_romaji(&text, &mut scratch(), &mut out).is_usable() {
            let mut again = RomajiField::default();
            name::normalize_romaji(&out.display, &mut scratch(), &mut again);
            prop_assert_eq!(&again.display, &out.display);
            prop_assert_eq!(&again.romaji.strict, &out.romaji.strict);
            prop_assert!(is_key_alphabet(&out.romaji.strict) && is_key_alphabet(&out.romaji.swapped_loose));
        }
    }

    #[test]
    fn dates_are_idempotent_and_never_after_the_reference(text in input()) {
        let mut out = None;
        if date::normalize(&text, &mut scratch(), &mut out).is_usable() {
            let first = out.expect("a usable date");
            prop_assert!(first <= Date::constant(2026, 11, 22));
            let mut again = None;
            prop_assert_eq!(date::normalize(&first.to_string(), &mut scratch(), &mut again), Outcome::Value);
            prop_assert_eq!(again, Some(first));
        }
    }

    #[test]
    fn phones_postal_codes_and_passports_keep_their_shape(text in input()) {
        let mut out = String::new();
        if phone::normalize(&text, &mut scratch(), &mut out).is_usable() {
            prop_assert!(out.starts_with('0') && (10..=11).contains(&out.len()) && out.bytes().all(|b| b.is_ascii_digit()));
            let mut again = String::new();
            phone::normalize(&out, &mut scratch(), &mut again);
            prop_assert_eq!(&again, &out);
        }
        if postal::normalize(&text, &mut scratch(), &mut out).is_usable() {
            prop_assert!(out.len() == 7 && out.bytes().all(|b| b.is_ascii_digit()));
            let mut again = String::new();
            postal::normalize(&out, &mut scratch(), &mut again);
            prop_assert_eq!(&again, &out);
        }
        if passport::normalize(&text, &mut scratch(), &mut out).is_usable() {
            let b = out.as_bytes();
            prop_assert!(b.len() == 9 && b[..2].iter().all(u8::is_ascii_uppercase) && b[2..].iter().all(u8::is_ascii_digit));
            let mut again = String::new();
            passport::normalize(&out, &mut scratch(), &mut again);
            prop_assert_eq!(&again, &out);
        }
    }

    #[test]
    fn emails_are_lower_case_single_at_and_idempotent(text in input()) {
        let mut out = Email::default();
        if email::normalize(&text, &mut scratch(), &mut out).is_usable() {
            prop_assert_eq!(out.address.matches('@').count(), 1);
            prop_assert!(!out.address.chars().any(|c| c.is_whitespace() || c.is_uppercase()));
            let mut again = Email::default();
            email::normalize(&out.address, &mut scratch(), &mut again);
            prop_assert_eq!(&again, &out);
        }
    }

    #[test]
    fn addresses_are_idempotent(text in input()) {
        let mut out = Address::default();
        if address::normalize(&text, &mut scratch(), &mut out).is_usable() {
            prop_assert!(out.numbers.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
            let mut again = Address::default();
            address::normalize(&out.full, &mut scratch(), &mut again);
            prop_assert_eq!(&again, &out);
        }
    }

    #[test]
    fn gender_never_panics(text in input()) {
        let mut out = Gender::Unknown;
        gender::normalize(&text, &mut scratch(), &mut out);
    }

    /// The byte-level shortcut for rows whose names are each in their own
    /// column sorts as the general path does.
    #[test]
    fn name_columns_shortcut_sorts_as_the_general_path(
        kanji in prop_oneof![kanji_name(), katakana_name(), name_column_text(), input()],
        kana in prop_oneof![katakana_name(), kanji_name(), name_column_text(), input()],
        romaji in prop_oneof![romaji_name(), name_column_text(), input()],
    ) {
        prop_assert_eq!(
            name_columns::sort_columns(&kanji, &kana, &romaji),
            name_columns::sort_columns_general(&kanji, &kana, &romaji)
        );
    }

    /// A worker's scratch (its memos, its buffers) carries nothing from
    /// one row to the next: rows normalized one after another on one
    /// scratch give what each gives on a fresh one. (Output that does not
    /// depend on the thread count rests on it.)
    #[test]
    fn a_warm_scratch_normalizes_as_a_fresh_one(
        first in proptest::collection::vec(record_field(), crate::input::Field::COUNT),
        second in proptest::collection::vec(record_field(), crate::input::Field::COUNT),
    ) {
        // The same texts again, and mixed, so the memos answer from what
        // they kept.
        let mixed: Vec<String> =
            first.iter().zip(&second).enumerate().map(|(i, (a, b))| if i % 2 == 0 { a } else { b }.clone()).collect();
        let mut warm = scratch();
        for fields in [&first, &second, &first, &mixed, &second] {
            let mut raw = crate::input::record::RawFields::default();
            for (field, value) in crate::input::Field::ALL.into_iter().zip(fields) {
                raw.set(field, value);
            }
            let (mut after_others, mut alone) = (super::NormalizedRecord::default(), super::NormalizedRecord::default());
            let warm_flags = super::normalize_record(&raw, &mut warm, &mut after_others);
            let fresh_flags = super::normalize_record(&raw, &mut scratch(), &mut alone);
            prop_assert_eq!(warm_flags, fresh_flags);
            prop_assert_eq!(after_others, alone);
        }
    }

    #[test]
    fn whole_records_never_panic(fields in proptest::collection::vec(input(), crate::input::Field::COUNT)) {
        let mut raw = crate::input::record::RawFields::default();
        for (field, value) in crate::input::Field::ALL.into_iter().zip(&fields) {
            raw.set(field, value);
        }
        let mut out = super::NormalizedRecord::default();
        super::normalize_record(&raw, &mut scratch(), &mut out);
    }
}

proptest! {
    // Cheap cases, and the boundary letters must meet often enough to
    // catch a wrong shortcut (allowing OH breaks within a few hundred).
    #![proptest_config(ProptestConfig { cases: 20000, ..ProptestConfig::default() })]

    /// The shortcut of name keys (part_memo.rs, `PartEnd::joins`): when two
    /// parts join, folding them as one text gives their keys end to end
    /// (the loose keys with the letter they meet on written once). Parts are
    /// drawn from the letters the rules act on, so the boundary cases (OU,
    /// OO, OH, NN, MB, TCH, doubled letters) come up often.
    #[test]
    fn parts_that_join_cleanly_fold_as_one_text(first in romaji_part(), second in romaji_part()) {
        let (joined, whole) = joined_and_whole(&first, &second);
        prop_assert_eq!(joined, whole);
    }
}

/// The keys `PartEnd::joins` says the two parts read as one text have, and
/// the keys of folding the text whole (equal when the join is `Fold`).
fn joined_and_whole(first: &str, second: &str) -> ((String, String), (String, String)) {
    let (mut memo, mut scratch) = (PartMemo::default(), FoldScratch::default());
    let (mut strict, mut loose) = (String::new(), String::new());
    fold(&format!("{first}{second}"), Strength::Strict, &mut scratch, &mut strict);
    fold(&strict, Strength::Loose, &mut scratch, &mut loose);
    let a = memo.keys(first, PartText::Romaji, &mut scratch);
    let (a_strict, a_loose, a_end) = (a.strict.to_string(), a.loose.to_string(), a.end());
    let b = memo.keys(second, PartText::Romaji, &mut scratch);
    let joined = match a_end.joins(b.start()) {
        Join::Clean => (format!("{a_strict}{}", b.strict), format!("{a_loose}{}", b.loose)),
        Join::LooseMeet => (format!("{a_strict}{}", b.strict), format!("{a_loose}{}", &b.loose[1..])),
        Join::Fold => (strict.clone(), loose.clone()),
    };
    (joined, (strict, loose))
}

/// The boundaries that matter, each way they can go (a key that starts
/// unlike its text, WO read O; an H that rule 7 may drop or not; loose keys
/// meeting on a letter).
#[test]
fn boundary_pairs_join_as_their_whole_text_folds() {
    let pairs = [
        ("O", "WOS"),
        ("SATO", "WOKA"),
        ("SATO", "HIROSHI"),
        ("SATOU", "HIROSHI"),
        ("SATO", "HUMIKO"),
        ("ITO", "HYOMA"),
        ("KATO", "HN"),
        ("YAMADA", "AKIRA"),
        ("SAKURAI", "IKUO"),
        ("ONO", "OSAMU"),
        ("ENDO", "UTA"),
        ("HONDA", "ASAMI"),
        ("MORI", "RIN"),
        ("SENOO", "TARO"),
        ("JUN", "NA"),
        ("KEN", "ICHI"),
        ("TARO", "HONDA"),
        ("ICHIRO", "OTA"),
    ];
    for (first, second) in pairs {
        let (joined, whole) = joined_and_whole(first, second);
        assert_eq!(joined, whole, "{first} + {second}");
    }
}
