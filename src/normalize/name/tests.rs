//! Unit tests of `normalize::name` (table cases in fixtures/normalize/).

use super::*;
use crate::normalize::table_test;

fn scratch() -> Scratch {
    Scratch::default()
}

#[test]
fn a_row_written_given_name_first_reads_surname_first_in_kanji_and_kana() {
    use crate::input::Field;
    let keys = |kanji: &str, kana: &str| {
        let record = crate::normalize::normalize_fields(&[(Field::NameKanji, kanji), (Field::NameKana, kana)]);
        (record.name_kanji.strict, record.name_kana.strict, record.name_kana.romaji.surname)
    };
    let surname_first = keys("宇佐見 伸幸", "ウサミ ノブユキ");
    assert_eq!(surname_first, ("宇佐見伸幸".into(), "ウサミノブユキ".into(), "USAMI".into()));
    assert_eq!(keys("伸幸 宇佐見", "ノブユキ ウサミ"), surname_first);
    // JMnedict's listing 花子 and ハナコ among surnames does not count.
    let yamada_hanako = keys("山田 花子", "ヤマダ ハナコ");
    assert_eq!(keys("花子 山田", "ハナコ ヤマダ"), yamada_hanako);
    assert_eq!(keys("山田 花子", "ハナコ ヤマダ"), yamada_hanako, "the kana alone");
    // A part known both ways in common use (和泉 is a surname and a given
    // name) leaves the order as written: both columns stay as they are.
    assert_eq!(keys("和泉 山田", "イズミ ヤマダ").1, "イズミヤマダ");
}

/// Where a kanji key's given name starts: after the first part written,
/// or, for a name turned surname first, after the part written second; no
/// split for a name written in one part. The parts are the ones written
/// (hand-written from the inputs, not from the keys).
#[test]
fn a_kanji_key_knows_where_its_given_name_starts() {
    let parts = |raw: &str| {
        let mut out = KanjiName::default();
        normalize_kanji(raw, &mut scratch(), &mut out);
        let cut = usize::from(out.given_start);
        (out.strict[..cut].to_string(), out.strict[cut..].to_string())
    };
    let split = |surname: &str, given: &str| (surname.to_string(), given.to_string());
    assert_eq!(parts("山田 太郎"), split("山田", "太郎"));
    assert_eq!(parts("山田　太郎"), split("山田", "太郎"));
    assert_eq!(parts("花子 山田"), split("山田", "花子"), "turned surname first");
    assert_eq!(parts("秀松 東"), split("秀松", "東"), "order not told: as written");
    assert_eq!(parts("髙橋 一郎 様"), split("高橋", "一郎"), "the general path, an honorific dropped");
    assert_eq!(parts("伸幸 宇佐見 様"), split("宇佐見", "伸幸"), "the general path, turned");
    assert_eq!(parts("山田太郎"), split("", "山田太郎"), "one part: no split");
    assert_eq!(parts("山田 太郎 次郎"), split("", "山田太郎次郎"), "three parts: no split");
}

#[test]
fn kanji_table() {
    table_test::run("name_kanji", |raw| {
        let mut out = KanjiName::default();
        normalize_kanji(raw, &mut scratch(), &mut out);
        format!("{}|{}", out.strict, out.loose).trim_matches('|').to_string()
    });
}

#[test]
fn kana_table() {
    table_test::run("name_kana", |raw| {
        let mut out = KanaName::default();
        normalize_kana(raw, &mut scratch(), &mut out);
        if out.strict.is_empty() {
            return String::new();
        }
        let r = &out.romaji;
        format!("{}|{}|{}|{}|{}|{}", out.strict, out.loose, r.surname, r.given, r.strict, r.loose)
    });
}

#[test]
fn kana_split_by_kanji_table() {
    table_test::run("kana_split_by_kanji", |row| {
        let (kanji_raw, kana_raw) = row.split_once('|').unwrap_or((row, ""));
        let mut s = scratch();
        let (mut kanji, mut kana) = (KanjiName::default(), KanaName::default());
        normalize_kanji(kanji_raw, &mut s, &mut kanji);
        normalize_kana(kana_raw, &mut s, &mut kana);
        split_kana_by_kanji(&kanji, &mut s, &mut kana);
        format!("{}|{}", kana.romaji.surname, kana.romaji.given)
    });
}

#[test]
fn kana_and_romaji_in_any_order_share_a_loose_key() {
    let mut kana = KanaName::default();
    normalize_kana("やまだ　たろう", &mut scratch(), &mut kana);
    for raw in ["YAMADA/TARO MR", "Taro Yamada", "Yamada, Taro", "YAMADATARO", "yamada taroh"] {
        let mut romaji = RomajiField::default();
        normalize_romaji(raw, &mut scratch(), &mut romaji);
        let keys = [&romaji.romaji.loose, &romaji.romaji.swapped_loose];
        assert!(keys.contains(&&kana.romaji.loose), "{raw}: {:?} vs {}", keys, kana.romaji.loose);
    }
}
