//! Unit and property tests of the name comparison: the bound that skips
//! Jaro–Winkler and Levenshtein, and the one-edit test.

use super::*;
use proptest::prelude::*;

#[test]
fn parts_with_few_letters_in_common_are_answered_by_the_bound() {
    for (x, y) in [("TANAKA", "SUZUKI"), ("HANAKO", "ICHIRO"), ("KO", "TARO"), ("YAMADA", "YAMAMOTOYOSHIKO")] {
        assert!(!may_be_close(x, y) && !similar(x, y) && !close_spelling(x, y), "{x} {y}");
    }
    // One kana apart (two edits), a transposition, a long vowel, kana.
    for (x, y) in [("MEGUMU", "NAGUMU"), ("TAROU", "TAORU"), ("SATOU", "SATO"), ("サトウ", "カトウ")] {
        assert!(may_be_close(x, y), "{x} {y}");
    }
    assert!(close_spelling("MEGUMU", "NAGUMU") && similar("SATOU", "SATO"));
}

#[test]
fn long_vowels_are_written_one_way_in_their_place() {
    let alike = |kana: &str| {
        let mut out = [' '; LONG_VOWEL_KANA_CAPACITY];
        write_long_vowels_alike(kana, &mut out).map(|chars| chars.iter().collect::<String>())
    };
    for (kana, expected) in [
        ("ユーコ", "ユウコ"),
        ("ユウコ", "ユウコ"),
        ("トオル", "トウル"),
        ("トール", "トウル"),
        ("ニーナ", "ニイナ"),
        ("ソーナ", "ソウナ"),
        ("チョーイア", "チョウイア"),
        ("チヨーイチ", "チヨウイチ"),
        ("カーー", "カアア"),
        // Not a long vowel: kept as written.
        ("サエコ", "サエコ"),
        ("ナウナ", "ナウナ"),
        ("ーナ", "ーナ"),
    ] {
        assert_eq!(alike(kana).as_deref(), Some(expected), "{kana}");
    }
    assert_eq!(alike(&"カ".repeat(LONG_VOWEL_KANA_CAPACITY + 1)), None);
}

/// `x` with random edits applied: (where, what, insert / replace /
/// delete), each kept within the text.
fn edited<T: Copy>(x: impl IntoIterator<Item = T>, edits: Vec<(usize, T, u8)>) -> Vec<T> {
    let mut y: Vec<T> = x.into_iter().collect();
    for (at, item, kind) in edits {
        let at = at.min(y.len());
        match kind {
            0 => y.insert(at, item),
            1 if at < y.len() => y[at] = item,
            _ if at < y.len() => drop(y.remove(at)),
            _ => y.push(item),
        }
    }
    y
}

/// A part and a part a few random edits from it: close pairs are common.
fn near_pairs() -> impl Strategy<Value = (String, String)> {
    let letters = "[AEIKNORSTU]{0,12}";
    (letters, prop::collection::vec((0usize..12, prop::sample::select(b"AEIKNORSTUY".to_vec()), 0u8..3), 0..5))
        .prop_map(|(x, edits)| {
            let y = edited(x.clone().into_bytes(), edits);
            (x, String::from_utf8(y).unwrap_or_default())
        })
}

proptest! {
    /// The one-edit test answers as the general algorithm does, on kana
    /// strings (a few random edits apart) and on identical ones.
    #[test]
    fn within_one_edit_is_levenshtein_at_most_one(
        x in "[アイウカキサシ]{0,6}",
        edits in prop::collection::vec((0usize..7, prop::sample::select(vec!['ア', 'カ', 'ン']), 0u8..3), 0..3),
    ) {
        let y: String = edited(x.chars(), edits).into_iter().collect();
        prop_assert_eq!(within_one_edit(&x, &y), within_edits(&x, &y, 1), "{} {}", x, y);
        prop_assert_eq!(within_one_edit(&y, &x), within_edits(&x, &y, 1), "{} {}", y, x);
    }

    /// The bound never says "not close" of parts the full tests find
    /// similar or a typo apart: the levels are what they were without it.
    #[test]
    fn the_bound_never_hides_a_similar_part(
        (x, y) in prop_oneof![near_pairs(), ("[A-Z]{0,14}", "[A-Z]{0,14}")],
    ) {
        if !may_be_close(&x, &y) {
            prop_assert!(!similar(&x, &y) && !close_spelling(&x, &y), "{} {}", x, y);
        }
    }
}
