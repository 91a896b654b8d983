//! Unit tests of `matching::compare`.

use super::*;
use crate::input::Field;
use crate::normalize::normalize_fields as record;
use crate::normalize::NormalizedRecord;

fn level(a: &NormalizedRecord, b: &NormalizedRecord, comparison: Comparison) -> &'static str {
    let (a, b) = (&a.view(), &b.view());
    let forward = compare(a, b).level(comparison);
    assert_eq!(forward, compare(b, a).level(comparison), "compare is symmetric");
    comparison.level_names()[forward as usize]
}

#[test]
fn a_name_that_is_one_part_of_the_others_is_not_compared() {
    let full = record(&[
        (Field::NameKanji, "岡村 冬威"),
        (Field::NameKana, "オカムラ トウイ"),
        (Field::NameRomaji, "OKAMURA TOI"),
    ]);
    let surname = record(&[(Field::NameKanji, "岡村"), (Field::NameKana, "オカムラ"), (Field::NameRomaji, "OKAMURA")]);
    assert_eq!(level(&full, &surname, Comparison::Name), "missing");
    // Each script alone, and the given name alone.
    for (field, part) in [
        (Field::NameKanji, "岡村"),
        (Field::NameKana, "オカムラ"),
        (Field::NameRomaji, "OKAMURA"),
        (Field::NameKana, "トウイ"),
        (Field::NameKanji, "冬威"),
    ] {
        assert_eq!(level(&full, &record(&[(field, part)]), Comparison::Name), "missing", "{part}");
    }
    // Another surname, a part in one script and another name in the other,
    // or both names in one part: compared.
    let other = record(&[(Field::NameKanji, "中村"), (Field::NameKana, "ナカムラ")]);
    assert_eq!(level(&full, &other, Comparison::Name), "kanji_different");
    let mixed = record(&[(Field::NameKanji, "岡村"), (Field::NameKana, "ナカムラ")]);
    assert_ne!(level(&full, &mixed, Comparison::Name), "missing");
    let unsplit = record(&[(Field::NameKana, "オカムラトウイ")]);
    assert_eq!(level(&full, &unsplit, Comparison::Name), "strict_exact");
    // Two rows of one part each are compared as they are.
    assert_eq!(level(&surname, &surname, Comparison::Name), "kanji_exact");
    // Across scripts, a kanji surname alone is read whole (岡村 オカムラ),
    // not as 岡 + 村; against a reading in two parts it is not compared.
    let kanji_surname = record(&[(Field::NameKanji, "岡村")]);
    let reading = |kana| record(&[(Field::NameKana, kana)]);
    assert_eq!(level(&kanji_surname, &reading("オカムラ"), Comparison::Name), "reading_agrees");
    assert_eq!(level(&kanji_surname, &reading("オカムラ トウイ"), Comparison::Name), "no_common_script");
    assert_eq!(level(&kanji_surname, &reading("ナカムラ"), Comparison::Name), "reading_differs");
}

#[test]
fn names_grade_from_kanji_to_similar() {
    let taro = record(&[(Field::NameKanji, "山田 太郎"), (Field::NameKana, "ヤマダ タロウ")]);
    let variant = record(&[(Field::NameKanji, "山田　太郎"), (Field::NameKana, "やまだ たろう")]);
    let romaji = record(&[(Field::NameRomaji, "YAMADA/TARO MR")]);
    // タロ would equal タロウ in passport Hepburn (long vowels dropped).
    let typo = record(&[(Field::NameKana, "ヤマダ タロミ")]);
    let other = record(&[(Field::NameKana, "スズキ イチロウ")]);
    assert_eq!(level(&taro, &variant, Comparison::Name), "kanji_exact");
    assert_eq!(level(&taro, &romaji, Comparison::Name), "strict_exact");
    assert_eq!(level(&taro, &typo, Comparison::Name), "similar");
    assert_eq!(level(&taro, &other, Comparison::Name), "different");
    assert_eq!(level(&taro, &record(&[]), Comparison::Name), "missing");
    // No script in common: not comparable, not different.
    let kanji_only = record(&[(Field::NameKanji, "鬮鬮 鬮鬮")]);
    let kana_only = record(&[(Field::NameKana, "コウダ ヨウコ")]);
    let romaji_only = record(&[(Field::NameRomaji, "KODA YOKO")]);
    assert_eq!(level(&kanji_only, &kana_only, Comparison::Name), "no_common_script");
    assert_eq!(level(&kanji_only, &romaji_only, Comparison::Name), "no_common_script");
    assert_eq!(level(&kana_only, &romaji_only, Comparison::Name), "strict_exact");
    // A romaji name with a plain space is in an unknown order: read the
    // other way round, it is the same name (both directions; Hepburn
    // spellings fold alike). So is a kana name in two parts, whose order
    // only the reading tables tell: against a name whose order the slash
    // declares, the same two parts the other way round are still one
    // name, never two persons' (a surname that is another's given name
    // and the reverse).
    for given_first in ["Yoko Koda", "YOUKO KOUDA", "YOKO/KODA"] {
        let given_first = record(&[(Field::NameRomaji, given_first)]);
        assert_eq!(level(&kana_only, &given_first, Comparison::Name), "strict_exact");
        assert_eq!(level(&given_first, &kana_only, Comparison::Name), "strict_exact");
    }
    let another = record(&[(Field::NameRomaji, "YOKO/SUZUKI")]);
    assert_eq!(level(&kana_only, &another, Comparison::Name), "different");
    // Kanji whose readings are known meet their kana and romaji.
    let sato = record(&[(Field::NameKanji, "佐藤 花子")]);
    assert_eq!(level(&sato, &record(&[(Field::NameKana, "サトウ ハナコ")]), Comparison::Name), "reading_agrees");
    assert_eq!(level(&sato, &record(&[(Field::NameRomaji, "SATO HANAKO")]), Comparison::Name), "reading_agrees");
    assert_eq!(level(&sato, &record(&[(Field::NameKana, "スズキ ハナコ")]), Comparison::Name), "reading_differs");
    // One part's reading agrees and the other's is one kana off: a kana
    // typo, similar as between two kana rows; both parts off is not.
    for typo in ["サトウ ハナミ", "サトミ ハナコ"] {
        assert_eq!(level(&sato, &record(&[(Field::NameKana, typo)]), Comparison::Name), "similar", "{typo}");
    }
    assert_eq!(level(&sato, &record(&[(Field::NameKana, "サトミ ハナミ")]), Comparison::Name), "reading_differs");
    let akita = record(&[(Field::NameKanji, "秋田 岸子")]);
    assert_eq!(level(&akita, &record(&[(Field::NameKana, "アキマ キシコ")]), Comparison::Name), "similar");
    // A reading that agrees reads both parts as the other row's; one
    // that differs, or no common script, compares no part.
    let sato_kana = record(&[(Field::NameKana, "サトウハナコ")]);
    for part in [Comparison::Surname, Comparison::GivenName] {
        assert_eq!(level(&sato, &sato_kana, part), "exact");
        assert_eq!(level(&sato_kana, &sato, part), "exact");
        assert_eq!(level(&sato, &record(&[(Field::NameKana, "スズキ ハナコ")]), part), "missing");
        assert_eq!(level(&kanji_only, &kana_only, part), "missing");
    }
}

/// Where both rows give the name in kana, a given name one kana off is
/// a typo however far apart its romaji (HOSHITERU, HOKATERU), and two
/// kana off is another name however close its romaji (SATOSHI,
/// TSUYOSHI: three letters, within the romaji's allowance for one kana).
/// A surname two kana off, or a name with a long-vowel mark, is left to
/// the romaji.
#[test]
fn the_kana_decide_whether_a_given_name_is_a_typo() {
    let kana = |name| record(&[(Field::NameKana, name)]);
    let cases = [
        ("カトウ サトシ", "カトウ ツヨシ", "exact", "different", "different"),
        ("カトウ ホシテル", "カトウ ホカテル", "exact", "similar", "similar"),
        ("カトウ サトシ", "カトウ サトミ", "exact", "similar", "similar"),
        ("カトウ サトシ", "カトウ サトシ", "exact", "exact", "strict_exact"),
        ("シラハタ ノリミ", "シマハマ ノリミ", "similar", "exact", "similar"),
        ("カトウ ユーコ", "カトウ ユウカ", "exact", "similar", "similar"),
    ];
    for (a, b, surname, given, name) in cases {
        assert_eq!(level(&kana(a), &kana(b), Comparison::Surname), surname, "{a} {b}");
        assert_eq!(level(&kana(a), &kana(b), Comparison::GivenName), given, "{a} {b}");
        assert_eq!(level(&kana(a), &kana(b), Comparison::Name), name, "{a} {b}");
    }
    // Without kana on one side the romaji decide: the same two names in
    // romaji only are three letters apart, within the allowance.
    let romaji = record(&[(Field::NameRomaji, "KATO/TSUYOSHI")]);
    assert_eq!(level(&kana("カトウ サトシ"), &romaji, Comparison::GivenName), "similar");
}

#[test]
fn a_mailbox_name_is_similar_when_kept_not_when_it_shares_the_owners_name() {
    let email = |address| record(&[(Field::Email, address)]);
    let cases = [
        ("taro.yamada@example.jp", "taro.yamada@example.jp", "exact"),
        ("taro.yamada@docomo.ne.jp", "taro.yamada@example.jp", "same_local_part"),
        // A prefix or digits added, a separator changed or dropped.
        ("new.taro.yamada@example.jp", "taro.yamada@docomo.ne.jp", "similar_local_part"),
        ("taro.yamada2@example.jp", "taro.yamada@example.jp", "similar_local_part"),
        ("taro_yamada@example.jp", "taro.yamada@docomo.ne.jp", "similar_local_part"),
        ("taroyamada@example.jp", "taro.yamada@docomo.ne.jp", "similar_local_part"),
        // Two namesakes' mailboxes made of the name and other digits
        // share a long start (Jaro–Winkler 0.95), not a mailbox.
        ("takashiikeda1346@icloud.com", "takashiikeda9455@docomo.ne.jp", "different"),
        ("yamada.taro@example.jp", "taro.yamada@example.jp", "different"),
        // Handles under five letters are too many people's.
        ("taro@example.jp", "taro2@example.jp", "different"),
        ("taro@example.jp", "", "missing"),
    ];
    for (a, b, expected) in cases {
        assert_eq!(level(&email(a), &email(b), Comparison::Email), expected, "{a} / {b}");
    }
}

#[test]
fn a_handle_of_the_name_alone_is_no_evidence_beside_two_names() {
    let named = |kana, email| record(&[(Field::NameKana, kana), (Field::Email, email)]);
    let kanji = |name, email| record(&[(Field::NameKanji, name), (Field::Email, email)]);
    let sato = "サトウ ケンイチ";
    let cases = [
        // The name in either order, any spelling of its long vowels.
        (named(sato, "kenichi.sato@docomo.ne.jp"), named(sato, "kenichi.sato@example.jp"), "missing"),
        (named(sato, "satou_kenichi@docomo.ne.jp"), named(sato, "satou_kenichi@example.jp"), "missing"),
        (named(sato, "new.kenichi.sato@docomo.ne.jp"), named(sato, "kenichi.sato@example.jp"), "missing"),
        // Digits or anything beyond the name are the owner's choice.
        (named(sato, "kenichi.sato1980@docomo.ne.jp"), named(sato, "kenichi.sato1980@example.jp"), "same_local_part"),
        (named(sato, "ken.sato@docomo.ne.jp"), named(sato, "ken.sato@example.jp"), "same_local_part"),
        // Kanji on both sides: the handle is a reading of the name.
        (kanji("山田 太郎", "taro.yamada@docomo.ne.jp"), kanji("山田太郎", "taro.yamada@example.jp"), "missing"),
        (
            kanji("山田 太郎", "jiro.yamada@docomo.ne.jp"),
            kanji("山田太郎", "jiro.yamada@example.jp"),
            "same_local_part",
        ),
        // The same mailbox is one owner's, whatever it is made of.
        (named(sato, "kenichi.sato@example.jp"), named(sato, "kenichi.sato@example.jp"), "exact"),
        // Without a name on one side the handle is the only trace of one.
        (
            record(&[(Field::Email, "kenichi.sato@docomo.ne.jp")]),
            named(sato, "kenichi.sato@example.jp"),
            "same_local_part",
        ),
    ];
    for (a, b, expected) in cases {
        assert_eq!(level(&a, &b, Comparison::Email), expected, "{:?} / {:?}", a.email, b.email);
    }
}

#[test]
fn a_kanji_name_with_a_part_in_kana_is_read_against_the_other_rows_reading() {
    let kana_part = record(&[(Field::NameKanji, "山田 はなこ")]);
    let hanako = record(&[(Field::NameKanji, "山田 花子"), (Field::NameKana, "ヤマダ ハナコ")]);
    let keiko = record(&[(Field::NameKanji, "山田 花子"), (Field::NameKana, "ヤマダ ケイコ")]);
    assert_eq!(level(&kana_part, &hanako, Comparison::Name), "reading_agrees");
    // A reading that is another name's, or no reading on either side:
    // the kanji names differ as written.
    assert_eq!(level(&kana_part, &keiko, Comparison::Name), "kanji_different");
    assert_eq!(level(&kana_part, &record(&[(Field::NameKanji, "山田 花子")]), Comparison::Name), "kanji_different");
    // Two kanji names without kana stay kanji against kanji (華子 reads
    // ハナコ too, but is written otherwise).
    let other_kanji = record(&[(Field::NameKanji, "山田 華子")]);
    assert_eq!(level(&other_kanji, &hanako, Comparison::Name), "kanji_different");
}

/// Two kana that differ beyond a typo, one beside a kanji name whose
/// reading its own kana is a typo of: the kanji is read against the other
/// row's kana, each kana maybe a typo of its reading (力朗 リキロウ, loose
/// RIKIRO: リキロタ and リキドウ, a letter or two from it). A reading a typo away is `similar`, the differing
/// part then a typo too; two kana a typo apart stay `similar` by their
/// parts. A kanji row whose own kana is a reading of its kanji (タテミ of
/// 樹美), or nowhere near one, is read by its kana: another kana is another
/// name, however close one of the kanji's other readings comes.
#[test]
fn the_kanji_beside_a_kana_is_read_against_the_other_rows_kana() {
    let booking = record(&[(Field::NameKanji, "間宮 力朗"), (Field::NameKana, "マミヤ リキロタ")]);
    let kana = |name| record(&[(Field::NameKana, name)]);
    for (other, name, given) in [
        ("マミヤ リキドウ", "similar", "similar"),
        ("マミヤ リキロウ", "similar", "similar"),
        ("マミヤ ハナコ", "different", "different"),
    ] {
        assert_eq!(level(&booking, &kana(other), Comparison::Name), name, "{other}");
        assert_eq!(level(&kana(other), &booking, Comparison::GivenName), given, "{other} (turned)");
    }
    let not_a_typo = record(&[(Field::NameKanji, "間宮 力朗"), (Field::NameKana, "マミヤ ハナコ")]);
    assert_eq!(level(&not_a_typo, &kana("マミヤ リキロウ"), Comparison::Name), "different");
    let own_reading = record(&[(Field::NameKanji, "柴 樹美"), (Field::NameKana, "シバ タテミ")]);
    assert_eq!(level(&own_reading, &kana("シバ ハツネ"), Comparison::Name), "different");
    // Both rows with kanji: the kanji decide, not a reading.
    let kanji_both = record(&[(Field::NameKanji, "間宮 花子"), (Field::NameKana, "マミヤ リキマウ")]);
    assert_eq!(level(&booking, &kanji_both, Comparison::Name), "kanji_different");
}

/// A kana typo beside a long vowel written another way is one typo: the
/// ウ, the ー and the doubled vowel are notations of one sound. Two kana
/// changed beside it are still two names.
#[test]
fn a_kana_typo_beside_a_long_vowel_written_otherwise_is_one_typo() {
    let kana = |name| record(&[(Field::NameKana, name)]);
    for (x, y, given) in [
        ("ノグチ チョウイチ", "のぐち ちょーいあ", "similar"),
        ("オオノ ユウコ", "オオノ ユーカ", "similar"),
        ("オオノ トオル", "オオノ トーマ", "similar"),
        ("ネギシ ソーナ", "ネギシ ナウナ", "similar"),
        ("オオノ チョウイチ", "オオノ チョーハナ", "different"),
    ] {
        assert_eq!(level(&kana(x), &kana(y), Comparison::GivenName), given, "{x} {y}");
        assert_eq!(level(&kana(y), &kana(x), Comparison::GivenName), given, "{y} {x}");
    }
}

/// A name written given name first where the reading tables cannot
/// tell its order (東 and モリ are surnames and given names in common
/// use) is kept as written; against the same name written surname
/// first it is the same name, in kanji (either row split), in kana
/// (split or not) and in its parts, a kana typo still a typo. A name
/// that agrees turned round in one part only is read as written: a
/// household member's differs in both parts.
#[test]
fn a_name_written_the_other_way_round_is_the_same_name() {
    let kanji = |name| record(&[(Field::NameKanji, name)]);
    let kana = |name| record(&[(Field::NameKana, name)]);
    for written in ["東 秀松", "東秀松", "東　秀松"] {
        assert_eq!(level(&kanji("秀松 東"), &kanji(written), Comparison::Name), "kanji_exact", "{written}");
    }
    assert_eq!(level(&kanji("秀松 東"), &kanji("東 秀樹"), Comparison::Name), "kanji_different");
    assert_eq!(level(&kanji("秀松 東"), &kanji("松秀東"), Comparison::Name), "kanji_different");
    for written in ["オオキ ヒデツナ", "オオキヒデツナ", "ohki hidetsuna"] {
        assert_eq!(level(&kana("ヒデツナ オオキ"), &kana(written), Comparison::Name), "strict_exact", "{written}");
    }
    let tomiko = kana("トミコ モリ");
    let typo = kana("モリ サミコ");
    assert_eq!(level(&tomiko, &typo, Comparison::Surname), "exact");
    assert_eq!(level(&tomiko, &typo, Comparison::GivenName), "similar");
    let husband = kana("モリ タロウ");
    assert_eq!(level(&tomiko, &husband, Comparison::Surname), "different");
    assert_eq!(level(&tomiko, &husband, Comparison::GivenName), "different");
    // A kanji-only name against a reading written the other way round:
    // both parts agree turned; a typo is asked only as written.
    let takeda = kanji("武田 保志");
    assert_eq!(level(&takeda, &kana("ホシ タケダ"), Comparison::Name), "reading_agrees");
    // ホシノ is a surname, so the kana stays as written: one part's
    // reading agrees turned round, the other is a kana off.
    assert_eq!(level(&takeda, &kana("ホシノ タケダ"), Comparison::Name), "reading_differs");
}

#[test]
fn a_household_member_differs_on_the_given_name_only() {
    let taro = record(&[(Field::NameKana, "ヤマダ タロウ")]);
    let hanako = record(&[(Field::NameKana, "ヤマダ ハナコ")]);
    assert_eq!(level(&taro, &hanako, Comparison::Surname), "exact");
    assert_eq!(level(&taro, &hanako, Comparison::GivenName), "different");
}

#[test]
fn the_parts_are_read_from_whichever_reading_agrees_best() {
    // The kana carries a surname typo (マジマ for コジマ), the romaji
    // beside it does not; the other row's kana has a typo of its own.
    let both = record(&[(Field::NameKana, "マジマ モリミ"), (Field::NameRomaji, "KOJIMA/MORIMI")]);
    let kana = record(&[(Field::NameKana, "コジナ モリミ")]);
    for (a, b) in [(&both, &kana), (&kana, &both)] {
        assert_eq!(level(a, b, Comparison::Surname), "similar");
        assert_eq!(level(a, b, Comparison::GivenName), "exact");
        assert_eq!(level(a, b, Comparison::Name), "similar");
    }
    // Another given name in every reading stays another given name.
    let sister = record(&[(Field::NameKana, "コジマ ハナコ")]);
    assert_eq!(level(&both, &sister, Comparison::GivenName), "different");
}

#[test]
fn a_name_without_a_separator_is_cut_at_either_part() {
    let split = record(&[(Field::NameKana, "ｷｶﾗ ｱﾂｶ")]);
    // The surname carries the typo: the name is cut before the given
    // name it ends with.
    let unsplit = record(&[(Field::NameKana, "ｷﾑﾗｱﾂｶ")]);
    assert_eq!(level(&split, &unsplit, Comparison::Surname), "similar");
    assert_eq!(level(&split, &unsplit, Comparison::GivenName), "exact");
    assert_eq!(level(&split, &unsplit, Comparison::Name), "similar");
    // Cut after the surname it starts with: another given name.
    let sister = record(&[(Field::NameKana, "ｷｶﾗﾊﾅｺ")]);
    assert_eq!(level(&split, &sister, Comparison::Surname), "exact");
    assert_eq!(level(&split, &sister, Comparison::GivenName), "different");
    assert_eq!(level(&split, &sister, Comparison::Name), "different");
    // The kana cut as the romaji is: a typo in the given name's kana.
    let hirano = record(&[(Field::NameKana, "ヒラノ カノ")]);
    let unsplit_typo = record(&[(Field::NameKana, "ひらのちの")]);
    assert_eq!(level(&hirano, &unsplit_typo, Comparison::GivenName), "similar");
    assert_eq!(level(&unsplit_typo, &hirano, Comparison::GivenName), "similar");
    // A romaji name in either order cuts a name without a separator
    // in the order that fits: a surname typo, the given name exact.
    let soga_typo = record(&[(Field::NameKana, "ハガツネジロウ")]);
    let romaji = record(&[(Field::NameRomaji, "SOGA TSUNEJIRO")]);
    assert_eq!(level(&soga_typo, &romaji, Comparison::GivenName), "exact");
    assert_eq!(level(&romaji, &soga_typo, Comparison::Surname), "similar");
    assert_eq!(level(&soga_typo, &record(&[(Field::NameRomaji, "TSUNEJIRO SOGA")]), Comparison::Name), "similar");
    // When the kana with a separator carries a surname typo, the romaji
    // beside it still cuts: ハトー イミコ does not cut かとういめこ, KATO
    // IMIKO does (a typo in the given name, which Jaro–Winkler read
    // backwards does not forgive on the whole key). かとういめこ, as イメコ
    // is no given name in common use: a name the tables read as a surname
    // and a given name in common use (かとういまこ) is split when
    // normalized, and its parts are then the kana's own (surname similar).
    let kato = record(&[(Field::NameKana, "ハトー イミコ"), (Field::NameRomaji, "KATO IMIKO")]);
    let kato_unsplit = record(&[(Field::NameKana, "かとういめこ")]);
    for (a, b) in [(&kato, &kato_unsplit), (&kato_unsplit, &kato)] {
        assert_eq!(level(a, b, Comparison::Surname), "exact");
        assert_eq!(level(a, b, Comparison::GivenName), "similar");
        assert_eq!(level(a, b, Comparison::Name), "similar");
    }
    // Neither cut: two unsplit names one kana apart are a typo, as two
    // parts one kana apart are (the whole keys read backwards differ).
    let whole = record(&[(Field::NameKana, "サトサタユ")]);
    assert_eq!(level(&whole, &record(&[(Field::NameKana, "ｻﾄｳﾀﾕ")]), Comparison::Name), "similar");
    assert_eq!(level(&whole, &record(&[(Field::NameKana, "サイトウタエ")]), Comparison::Name), "different");
    // Neither part found, and no surname and given name in common use
    // that the tables read it as (ｽｽﾞｷｲﾁﾛｳ they split): nothing to cut,
    // parts not compared.
    let other = record(&[(Field::NameKana, "ｽｽﾞｷﾇﾁﾛｳ")]);
    assert_eq!(level(&split, &other, Comparison::Surname), "missing");
    assert_eq!(level(&split, &other, Comparison::Name), "different");
}

#[test]
fn birth_dates_grade() {
    let d = |t: &str| record(&[(Field::BirthDate, t)]);
    assert_eq!(level(&d("1980-01-02"), &d("1980-01-02"), Comparison::BirthDate), "exact");
    assert_eq!(level(&d("1980-01-02"), &d("1980-02-01"), Comparison::BirthDate), "swapped_or_one_digit");
    assert_eq!(level(&d("1980-01-02"), &d("1981-01-02"), Comparison::BirthDate), "swapped_or_one_digit");
    assert_eq!(level(&d("1980-01-02"), &d("1980-07-15"), Comparison::BirthDate), "same_year");
    assert_eq!(level(&d("1980-01-02"), &d("1975-07-15"), Comparison::BirthDate), "different");
}

#[test]
fn contacts_grade() {
    let a =
        record(&[(Field::Email, "taro@example.jp"), (Field::Phone, "090-1234-5678"), (Field::PostalCode, "100-0001")]);
    let b =
        record(&[(Field::Email, "taro@other.jp"), (Field::Phone, "080-1234-5678"), (Field::PostalCode, "100-0005")]);
    assert_eq!(level(&a, &b, Comparison::Email), "same_local_part");
    assert_eq!(level(&a, &b, Comparison::Phone), "same_last_8");
    assert_eq!(level(&a, &b, Comparison::PostalCode), "same_first_3");
}

#[test]
fn addresses_and_passports_grade() {
    let a = record(&[
        (Field::Address, "東京都千代田区丸の内1-1-1"),
        (Field::PassportNumber, "TK1234567"),
        (Field::Gender, "男"),
    ]);
    let b = record(&[
        (Field::Address, "千代田区丸ノ内一丁目1番1号"),
        (Field::PassportNumber, "TK7654321"),
        (Field::Gender, "女"),
    ]);
    let c = record(&[(Field::Address, "東京都千代田区永田町2-3-1")]);
    assert_eq!(level(&a, &b, Comparison::Address), "numbers_and_town");
    assert_eq!(level(&a, &c, Comparison::Address), "city");
    // A room on one side only is the same house; two rooms, two flats.
    let flat = |text| record(&[(Field::Address, text)]);
    let (room, no_room) = (flat("東京都渋谷区神宮前1-2-3-101"), flat("渋谷区神宮前一丁目2番3号 メゾン101"));
    assert_eq!(level(&room, &no_room, Comparison::Address), "numbers_and_town");
    assert_eq!(level(&room, &flat("東京都渋谷区神宮前1丁目2番3号102号室"), Comparison::Address), "city");
    // So are two rooms after one building's name; a room after the name on
    // one side and as a fourth number on the other is not judged.
    assert_eq!(level(&no_room, &flat("渋谷区神宮前1-2-3 メゾン102号室"), Comparison::Address), "city");
    assert_eq!(level(&no_room, &flat("渋谷区神宮前1-2-3 メゾン101号室"), Comparison::Address), "numbers_and_town");
    assert_eq!(level(&no_room, &flat("渋谷区神宮前1-2-3-102"), Comparison::Address), "numbers_and_town");
    // One town name and house number in two cities are two houses; a
    // ward written without its city is the same city.
    let honcho = flat("神奈川県横浜市中区本町1-2-3");
    assert_eq!(level(&honcho, &flat("中区本町一丁目2番3号"), Comparison::Address), "numbers_and_town");
    assert_eq!(level(&honcho, &flat("神奈川県川崎市川崎区本町1-2-3"), Comparison::Address), "prefecture");
    assert_eq!(level(&honcho, &flat("大阪府大阪市中区本町1-2-3"), Comparison::Address), "different");
    assert_eq!(level(&a, &b, Comparison::Passport), "disagree");
    assert_eq!(level(&a, &b, Comparison::Gender), "disagree");
}

#[test]
fn a_small_section_written_or_left_out_is_one_town() {
    let flat = |text| record(&[(Field::Address, text)]);
    let full = flat("長野県北佐久郡軽井沢町大字長倉字大原123番地");
    for same in ["北佐久郡軽井沢町長倉大原123", "軽井沢町長倉123番地", "長野県北佐久郡軽井沢町字長倉字大原１２３"]
    {
        assert_eq!(level(&full, &flat(same), Comparison::Address), "numbers_and_town", "{same}");
    }
    // Another section, another house number, or a town that only
    // starts like it, is not the same house.
    for other in ["北佐久郡軽井沢町長倉字小原123", "北佐久郡軽井沢町長倉字大原124", "北佐久郡軽井沢町長倉原123"]
    {
        assert_eq!(level(&full, &flat(other), Comparison::Address), "city", "{other}");
    }
    // A 字 of a name is no section mark, on both sides alike.
    let jumonji = flat("秋田県横手市十文字町十文字1-2-3");
    assert_eq!(level(&jumonji, &flat("横手市十文字町十文字一丁目2番3号"), Comparison::Address), "numbers_and_town");
    assert_eq!(level(&jumonji, &flat("横手市十文字町1-2-3"), Comparison::Address), "city");
}
