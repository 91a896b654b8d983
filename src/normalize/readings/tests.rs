//! Unit tests of `normalize::readings`.

use super::*;
use rustc_hash::FxHashSet;

use crate::input::Field;
use crate::normalize::kanji::fold_strict;
use crate::normalize::name::{normalize_kana, normalize_kanji, KanaName, KanjiName};
use crate::normalize::normalize_fields as record;
use crate::normalize::Scratch;

#[test]
fn a_kanji_name_is_read_whole_as_the_loose_key_of_its_kana() {
    let mut keys = WholeNameKeys::default();
    for (kanji, kana) in
        [("佐藤 花子", "サトウ ハナコ"), ("髙橋 一郎", "たかはし いちろう"), ("小鳥遊 心愛", "タカナシ ココア")]
            .into_iter()
            // A given name of many readings (亮: the name dataset's seventh
            // is リョウ) beside a surname with rare variants (松本): the
            // usual readings before the rare ones, within the cap.
            .chain([("松本 亮", "マツモト リョウ"), ("中島 亮", "ナカジマ リョウ")])
    {
        let kanji = record(&[(Field::NameKanji, kanji)]);
        let kana = record(&[(Field::NameKana, kana)]);
        keys.fill(kanji.name_kanji.strict.as_str(), 16);
        let keys = keys.keys();
        assert!(keys.contains(&kana.name_kana.romaji.loose), "{keys:?} lacks {}", kana.name_kana.romaji.loose);
    }
    keys.fill("佐藤 花子".replace(' ', "").as_str(), 1);
    assert_eq!(keys.keys().len(), 1, "capped");
    keys.fill("鬮鬮鬮鬮", 16);
    assert!(keys.keys().is_empty(), "unknown kanji: no reading");
}

#[test]
fn the_kinds_of_a_part_are_what_the_tables_say() {
    let table = &*TABLE;
    let exact = |text: &str| Kinds {
        surname: table.surnames.knows_in_common_use(text),
        given_name: table.given_names.knows_in_common_use(text),
        surname_anywhere: table.surnames.contains_key(text),
        given_name_anywhere: table.given_names.contains_key(text),
    };
    let mut seen = [0usize; 4];
    for text in table.surnames.part_texts().chain(table.given_names.part_texts()) {
        let kinds = table.kinds(text);
        assert_eq!(kinds, exact(text), "{text}");
        seen[usize::from(kinds.surname) + 2 * usize::from(kinds.given_name)] += 1;
    }
    assert!(seen[1] > 0 && seen[2] > 0 && seen[3] > 0, "surnames only, given names only, both: {seen:?}");
    // 花子 and ハナコ are JMnedict surnames, not the name dataset's.
    let given = Kinds { surname: false, given_name: true, surname_anywhere: true, given_name_anywhere: true };
    assert_eq!((table.kinds("花子"), table.kinds("ハナコ")), (given, given));
    for unknown in ["", "鬮鬮鬮鬮", "ABC", "佐藤花子", "ハナコサトウ"] {
        assert_eq!(table.kinds(unknown), Kinds::default(), "{unknown}");
    }
    assert_eq!(table.kinds.collisions(), 0, "no two texts of the shipped tables share a hash");
}

/// A `close` that finds no typo.
fn no_typo(_: &str, _: &str) -> bool {
    false
}

#[test]
fn a_reading_with_one_part_a_typo_away_is_close() {
    let kanji = record(&[(Field::NameKanji, "佐藤 花子")]);
    let one_letter = |a: &str, b: &str| rapidfuzz::distance::levenshtein::distance(a.chars(), b.chars()) == 1;
    for (reading, expected) in [
        ("サトウ ハナゴ", ReadingMatch::Close),
        ("サトイ ハナコ", ReadingMatch::Close),
        ("サトイ ハナゴ", ReadingMatch::Differs),
        ("スズキ ハナコ", ReadingMatch::Differs),
        ("サトウ ハナコ", ReadingMatch::Agrees),
        // Written without a space, the whole key is read as the parts are.
        ("サトウハナゴ", ReadingMatch::Close),
        ("サトイハナコ", ReadingMatch::Close),
        ("サトイハナゴ", ReadingMatch::Differs),
        ("サトウ", ReadingMatch::Differs),
        ("SATOHANAGO", ReadingMatch::Close),
    ] {
        let field = if reading.is_ascii() { Field::NameRomaji } else { Field::NameKana };
        let theirs = record(&[(field, reading)]);
        assert_eq!(compare(&kanji.view(), &theirs.view(), one_letter), expected, "{reading}");
    }
    // A given name's typo that no split of the whole key can find: the
    // table knows 長野 and 陽長, the kana ナガノハルナマ is one kana off.
    let rare = record(&[(Field::NameKanji, "長野 陽長")]);
    for (reading, expected) in [("ナガノハルナマ", ReadingMatch::Close), ("ナカノハルナガ", ReadingMatch::Close)]
    {
        let theirs = record(&[(Field::NameKana, reading)]);
        assert_eq!(compare(&rare.view(), &theirs.view(), one_letter), expected, "{reading}");
    }
    let typo = record(&[(Field::NameKana, "サトウ ハナゴ")]);
    assert_eq!(compare(&kanji.view(), &typo.view(), no_typo), ReadingMatch::Differs, "close decides");
}

#[test]
fn a_kanji_name_meets_its_reading_in_kana_and_romaji() {
    let kanji = record(&[(Field::NameKanji, "佐藤 花子")]);
    for (field, reading, expected) in [
        (Field::NameKana, "サトウ ハナコ", ReadingMatch::Agrees),
        (Field::NameKana, "さとう はなこ", ReadingMatch::Agrees),
        (Field::NameKana, "サトウハナコ", ReadingMatch::Agrees),
        (Field::NameRomaji, "HANAKO SATO", ReadingMatch::Agrees),
        (Field::NameRomaji, "SATOU/HANAKO", ReadingMatch::Agrees),
        (Field::NameKana, "スズキ ハナコ", ReadingMatch::Differs),
    ] {
        assert_eq!(compare(&kanji.view(), &(record(&[(field, reading)])).view(), no_typo), expected, "{reading}");
    }
    // A part the kanji column writes in kana is its own reading (a name
    // all in kana there is read as a kana name, `name_columns`).
    for (written, reading) in
        [("山下さくら", "ヤマシタ サクラ"), ("山下 サクラ", "やました さくら"), ("さくら 花子", "サクラ ハナコ")]
    {
        let mixed = record(&[(Field::NameKanji, written)]);
        let theirs = record(&[(Field::NameKana, reading)]);
        assert_eq!(compare(&mixed.view(), &theirs.view(), no_typo), ReadingMatch::Agrees, "{written}");
    }
    // A part the tables write with 々 or in hiragana meets the name's
    // key, which writes 々 out and kana in katakana.
    for (written, reading) in
        [("野々村 太郎", "ノノムラ タロウ"), ("佐藤 くみ子", "サトウ クミコ"), ("山田 ちえ子", "ヤマダ チエコ")]
    {
        let mixed = record(&[(Field::NameKanji, written)]);
        let theirs = record(&[(Field::NameKana, reading)]);
        assert_eq!(compare(&mixed.view(), &theirs.view(), no_typo), ReadingMatch::Agrees, "{written}");
    }
    let mixed = record(&[(Field::NameKanji, "山下さくら")]);
    let other = record(&[(Field::NameKana, "ヤマシタ ヒカリ")]);
    assert_eq!(compare(&mixed.view(), &other.view(), no_typo), ReadingMatch::Differs);
    // Variant kanji fold first (髙 is 高).
    let variant = record(&[(Field::NameKanji, "髙橋 一郎")]);
    assert_eq!(
        compare(&variant.view(), &(record(&[(Field::NameKana, "タカハシ イチロウ")])).view(), no_typo),
        ReadingMatch::Agrees
    );
    // Names only JMnedict knows (rare surnames read as no dataset would).
    let rare = record(&[(Field::NameKanji, "小鳥遊 心愛")]);
    assert_eq!(
        compare(&rare.view(), &(record(&[(Field::NameKana, "タカナシ ココア")])).view(), no_typo),
        ReadingMatch::Agrees
    );
    let rare = record(&[(Field::NameKanji, "四月一日 花子")]);
    assert_eq!(
        compare(&rare.view(), &(record(&[(Field::NameRomaji, "WATANUKI HANAKO")])).view(), no_typo),
        ReadingMatch::Agrees
    );
    // An unusual given name: the surname alone is read.
    let unusual = record(&[(Field::NameKanji, "佐藤 鬮鬮")]);
    assert_eq!(
        compare(&unusual.view(), &(record(&[(Field::NameKana, "サトウ クジ")])).view(), no_typo),
        ReadingMatch::Unknown
    );
    assert!(only_surname_agrees(&unusual.view(), &(record(&[(Field::NameKana, "サトウ クジ")])).view()));
    assert!(!only_surname_agrees(&unusual.view(), &(record(&[(Field::NameKana, "スズキ クジ")])).view()));
    assert!(!only_surname_agrees(&unusual.view(), &(record(&[(Field::NameKana, "サトウクジ")])).view()), "no parts");
    assert!(
        !only_surname_agrees(&kanji.view(), &(record(&[(Field::NameKana, "サトウ タロウ")])).view()),
        "a known given name"
    );
    // A name the table does not know compares nothing.
    let unknown = record(&[(Field::NameKanji, "鬮鬮 鬮鬮")]);
    assert_eq!(
        compare(&unknown.view(), &(record(&[(Field::NameKana, "サトウ ハナコ")])).view(), no_typo),
        ReadingMatch::Unknown
    );
}

/// The (folded kanji, loose reading key) pairs of one source table file,
/// by part (what the keys file is made of, by a test);
/// and each distinct reading as a part of its own, in kana: a part the
/// kanji column writes in kana (さくら in 山下さくら) is its own reading, and a kanji name with such a part
/// then meets its reading as any other (it was "no common script").
/// A part is keyed as a kanji name's key holds it (`normalize_kanji`):
/// 々 written out (野々村 is 野野村 there) and kana in katakana (くみ子 is
/// クミ子), else such a part was never found; a part the normalizer
/// makes nothing of keeps its characters folded.
/// Tried and not kept: normalizing each of the some 94,000 distinct
/// readings once rather than each of the 367,000 lines (the per-worker
/// part memo already remembers a reading's parts; the map of readings cost
/// what it saved).
fn read_lines(text: &str, source: Source, surnames: &mut PartTableBuilder, given_names: &mut PartTableBuilder) {
    let (mut scratch, mut kana_scratch) = (Scratch::default(), Scratch::default());
    let mut kana = KanaName::default();
    let mut kanji_name = KanjiName::default();
    let mut folded = String::new();
    let mut fold_part = |text: &str, folded: &mut String| {
        folded.clear();
        normalize_kanji(text, &mut scratch, &mut kanji_name);
        if kanji_name.strict.is_empty() {
            folded.extend(text.chars().map(fold_strict));
        } else {
            folded.push_str(&kanji_name.strict);
        }
    };
    let (mut kana_surnames, mut kana_given_names) = (FxHashSet::default(), FxHashSet::default());
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let mut cells = line.split('\t');
        let (Some(part), Some(kanji), Some(reading)) = (cells.next(), cells.next(), cells.next()) else {
            continue;
        };
        normalize_kana(reading, &mut kana_scratch, &mut kana);
        let key = &kana.romaji.loose;
        if key.is_empty() {
            continue;
        }
        fold_part(kanji, &mut folded);
        let (builder, kana_parts) =
            if part == "S" { (&mut *surnames, &mut kana_surnames) } else { (&mut *given_names, &mut kana_given_names) };
        builder.push(&folded, key, source);
        fold_part(reading, &mut folded);
        if !kana_parts.contains(folded.as_str()) {
            builder.push(&folded, key, source);
            kana_parts.insert(folded.clone());
        }
    }
}

/// The two sources, one table, made as the keys file was: a name
/// dataset (MIT) and JMnedict's surnames and given names (CC BY-SA
/// 4.0, EDRDG), each with its licence in its header.
fn from_sources() -> Table {
    let (mut surnames, mut given_names) = (PartTableBuilder::default(), PartTableBuilder::default());
    let sources = [
        (include_str!("../tables/name_readings.tsv"), Source::Common),
        (include_str!("../tables/name_readings_jmnedict.tsv"), Source::Rare),
    ];
    for (text, source) in sources {
        read_lines(text, source, &mut surnames, &mut given_names);
    }
    Table::new(surnames, given_names)
}

/// The keys file of `table` ([`Table::from_keys`]), parts in text order.
fn keys_file(table: &Table) -> String {
    let mut out = String::from(KEYS_FILE_HEADER);
    for (kind, parts) in [("S", &table.surnames), ("G", &table.given_names)] {
        let mut texts: Vec<&str> = parts.part_texts().collect();
        texts.sort_unstable();
        for part in texts {
            let readings = parts.get(part).expect("a part of the table");
            let (mut common, mut rare) = (Vec::new(), Vec::new());
            for (index, key) in readings.iter().enumerate() {
                assert!(!key.contains([',', '|', '\t', '\n']), "{part}");
                match readings.source(index) {
                    Source::Common => common.push(key),
                    Source::Rare => rare.push(key),
                }
            }
            assert!(!part.contains([',', '|', '\t', '\n']), "{part}");
            let rare = if rare.is_empty() { String::new() } else { format!("|{}", rare.join(",")) };
            out.push_str(&format!("{kind}\t{part}\t{}{rare}\n", common.join(",")));
        }
    }
    out
}

const KEYS_FILE_HEADER: &str = "\
# Loose romaji keys of the readings of kanji surnames (S) and given names (G), and of each
# reading as a kana part of its own: kind<TAB>part<TAB>keys, comma-separated in the sources' order,
# the name dataset's before a `|` and JMnedict's after it.
# Made by leakmatch's normalizer from name_readings.tsv (PyPI japanese-personal-name-dataset 0.4.0,
# MIT License, Copyright (c) 2022 shuheilocale) and name_readings_jmnedict.tsv (JMnedict, the
# property of the Electronic Dictionary Research and Development Group, used under its licence,
# https://www.edrdg.org/edrdg/licence.html: CC BY-SA 4.0, which this derived table keeps).
# Do not edit: remake with `LEAKMATCH_BLESS=1 cargo test --locked --lib reading_keys_file`.
";

#[test]
fn the_reading_keys_file_is_what_the_normalizer_makes() {
    let made = keys_file(&from_sources());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/normalize/tables/name_reading_keys.tsv");
    if std::env::var_os("LEAKMATCH_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, &made).expect("write the keys file");
        return;
    }
    let shipped = include_str!("../tables/name_reading_keys.tsv");
    let first_difference = made.lines().zip(shipped.lines()).position(|(m, s)| m != s).map(|at| at + 1);
    assert!(
        made == shipped,
        "tables/name_reading_keys.tsv is stale (first differing line {first_difference:?}, {} lines made, {} \
         shipped): remake it with LEAKMATCH_BLESS=1 cargo test --locked --lib reading_keys_file",
        made.lines().count(),
        shipped.lines().count()
    );
    // Read back, it is the same table.
    assert_eq!(keys_file(&Table::from_keys(shipped)), made);
}
