//! Field-by-field comparison of two normalized records into graded
//! agreement levels (SPEC section 5).
//!
//! Each [`Comparison`] has its own level enum (`levels.rs`), from strongest
//! agreement to disagreement, then the levels without evidence (weight 0):
//! `missing` when either side lacks the field, and for names
//! `no_common_script`. Similarity runs on the normalized keys, character by
//! character (Jaro–Winkler and Levenshtein from the rapidfuzz crate), never on raw bytes.
//!
//! Invariant: [`compare`] is symmetric and deterministic.

pub use super::levels::{
    AddressLevel, AgreeLevel, BirthLevel, Comparison, ComparisonVector, ContactLevel, EmailLevel, Level, NameLevel,
    PartLevel, PhoneLevel, PostalLevel,
};
mod name;

use self::name::{compare_name, compare_parts, is_name_handle, surname_reading_agrees, within_edits};
pub use self::name::{given_names_differ, has_name, has_reading, name_part, Parts, NAME_SIMILARITY_THRESHOLD};
use crate::normalize::address::same_house;
use crate::normalize::{Date, Gender, RecordView};

/// The eight digits of YYYYMMDD.
fn digits(date: Date) -> [u8; 8] {
    let mut out = [0u8; 8];
    let (year, month, day) = (date.year() as u32, date.month() as u32, date.day() as u32);
    let value = year * 10_000 + month * 100 + day;
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = (value / 10u32.pow(7 - k as u32) % 10) as u8;
    }
    out
}

pub fn compare_birth(a: Option<Date>, b: Option<Date>) -> BirthLevel {
    let (Some(a), Some(b)) = (a, b) else {
        return BirthLevel::Missing;
    };
    if a == b {
        return BirthLevel::Exact;
    }
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    let one_digit = digits(a).iter().zip(digits(b).iter()).filter(|(x, y)| x != y).count() == 1;
    if swapped || one_digit {
        BirthLevel::SwappedOrOneDigit
    } else if a.year() == b.year() {
        BirthLevel::SameYear
    } else {
        BirthLevel::Different
    }
}

fn compare_email(a: &RecordView<'_>, b: &RecordView<'_>) -> EmailLevel {
    let (x, y) = (&a.email.key, &b.email.key);
    if x.is_empty() || y.is_empty() {
        EmailLevel::Missing
    } else if x == y {
        EmailLevel::Exact
    } else {
        fn local(key: &str) -> &str {
            key.split('@').next().unwrap_or_default()
        }
        let (p, q) = (local(x), local(y));
        let kept = if p == q {
            EmailLevel::SameLocalPart
        } else if similar_local_parts(p, q) {
            EmailLevel::SimilarLocalPart
        } else {
            return EmailLevel::Different;
        };
        // A handle made of the name alone, beside two names: every
        // namesake's at some provider, so no evidence the name is not.
        let shorter = if p.len() <= q.len() { p } else { q };
        if has_name(a) && has_name(b) && is_name_handle(shorter, a, b) {
            EmailLevel::Missing
        } else {
            kept
        }
    }
}

/// The shortest local part that counts as similar to another: shorter
/// handles (taro, info) are too many people's to say anything held inside
/// another or one letter off.
const MIN_SIMILAR_LOCAL_PART: usize = 5;

/// Local parts one of a person's habits apart: one holds the other
/// (taro.yamada, taro.yamada2, new.taro.yamada), or one typo (an edit:
/// taro.yamada, taro_yamada, taroyamada), the shorter at least
/// [`MIN_SIMILAR_LOCAL_PART`] long.
///
/// Not Jaro–Winkler, which graded them before: it rewards a shared start,
/// and local parts made of the owner's name (takashiikeda1346,
/// takashiikeda9455) share the name, so two namesakes' mailboxes came out
/// "similar" (+5.7 bits) beside the name that already agreed, the same
/// fact counted twice. On the second generator's files (200,000 persons,
/// whose mailboxes are the name and four digits), booking and record links
/// graded similar by Jaro–Winkler alone were another person's in 2,344 of
/// 2,346, those where one local part holds the other right in 21,266 of
/// 21,267; on the grid no link was similar by Jaro–Winkler alone.
fn similar_local_parts(p: &str, q: &str) -> bool {
    let (short, long) = if p.len() <= q.len() { (p, q) } else { (q, p) };
    short.chars().count() >= MIN_SIMILAR_LOCAL_PART && (long.contains(short) || within_edits(p, q, 1))
}

/// Digits of a phone number that identify the line whatever its prefix
/// was written as (080-1234-5678 and 090-1234-5678 share them).
const PHONE_SAME_TAIL_DIGITS: usize = 8;

fn compare_phone(x: &str, y: &str) -> PhoneLevel {
    let tail = PHONE_SAME_TAIL_DIGITS;
    if x.is_empty() || y.is_empty() {
        PhoneLevel::Missing
    } else if x == y {
        PhoneLevel::Exact
    } else if x.len() >= tail && y.len() >= tail && x[x.len() - tail..] == y[y.len() - tail..] {
        PhoneLevel::SameLast8
    } else {
        PhoneLevel::Different
    }
}

fn compare_postal(x: &str, y: &str) -> PostalLevel {
    if x.is_empty() || y.is_empty() {
        PostalLevel::Missing
    } else if x == y {
        PostalLevel::Exact
    } else if x.get(..3) == y.get(..3) {
        PostalLevel::SameFirst3
    } else {
        PostalLevel::Different
    }
}

fn compare_address(a: &RecordView<'_>, b: &RecordView<'_>) -> AddressLevel {
    let (x, y) = (&a.address, &b.address);
    if x.full.is_empty() || y.full.is_empty() {
        return AddressLevel::Missing;
    }
    let same = |p: &str, q: &str| !p.is_empty() && p == q;
    // One town name and house number in two cities (本町1-2-3) are two
    // houses. A city given on one side only, or as its ward alone on one
    // (中区 and 横浜市中区, 大衡村 and 黒川郡大衡村), does not say so.
    let one_city = || x.city.is_empty() || y.city.is_empty() || x.city.ends_with(y.city) || y.city.ends_with(x.city);
    let one_prefecture = || x.prefecture.is_empty() || y.prefecture.is_empty() || x.prefecture == y.prefecture;
    // The house, not the room: a room on one side only is missing there.
    if same_house(x.numbers, y.numbers) && same_town(x.town, y.town) && one_city() && one_prefecture() {
        AddressLevel::NumbersAndTown
    } else if same(x.city, y.city) {
        AddressLevel::City
    } else if same(x.prefecture, y.prefecture) {
        AddressLevel::Prefecture
    } else {
        AddressLevel::Different
    }
}

/// The mark of a small section (字, koaza) inside a town: 長倉字大原 is the
/// section 大原 of the town 長倉 (the parse has dropped a leading 大字/字).
const SECTION_MARK: char = '字';

/// Whether two towns, both given, are one: equal, equal but for the
/// section marks (長倉字大原 = 長倉大原: many write the section without its
/// mark), or one the other with its section left out (長倉字大原 = 長倉:
/// land lots are numbered within the town in most of Japan, so many leave
/// the section out; the house numbers and the city must agree besides).
/// A 字 that is part of a name (十文字町, 栗沢町万字) is taken out of both
/// sides alike, so it cannot make two towns one.
fn same_town(x: &str, y: &str) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if x == y {
        return true;
    }
    if !x.contains(SECTION_MARK) && !y.contains(SECTION_MARK) {
        return false;
    }
    let section_left_out = |long: &str, short: &str| {
        long.strip_prefix(short)
            .and_then(|rest| rest.strip_prefix(SECTION_MARK))
            .is_some_and(|section| !section.is_empty())
    };
    let unmarked = |c: &char| *c != SECTION_MARK;
    x.chars().filter(unmarked).eq(y.chars().filter(unmarked)) || section_left_out(x, y) || section_left_out(y, x)
}

fn compare_exact(x: &str, y: &str) -> AgreeLevel {
    if x.is_empty() || y.is_empty() {
        AgreeLevel::Missing
    } else if x == y {
        AgreeLevel::Agree
    } else {
        AgreeLevel::Disagree
    }
}

fn compare_gender(a: Gender, b: Gender) -> AgreeLevel {
    match (a, b) {
        (Gender::Unknown, _) | (_, Gender::Unknown) => AgreeLevel::Missing,
        (x, y) if x == y => AgreeLevel::Agree,
        _ => AgreeLevel::Disagree,
    }
}

/// Compares two records field by field.
pub fn compare(a: &RecordView<'_>, b: &RecordView<'_>) -> ComparisonVector {
    compare_reading_parts(a, b).0
}

/// [`compare`], with the name parts of both records as the comparison
/// read them (for the term-frequency adjustment, which would otherwise
/// read them again).
pub fn compare_reading_parts<'a>(
    a: &RecordView<'a>,
    b: &RecordView<'a>,
) -> (ComparisonVector, Option<(Parts<'a>, Parts<'a>)>) {
    let mut vector = ComparisonVector::default();
    let (parts, (surname, given)) = compare_parts(a, b);
    vector.set(Comparison::Surname, surname);
    vector.set(Comparison::GivenName, given);
    let name = compare_name(a, b, (surname, given));
    vector.set(Comparison::Name, name);
    match name {
        // A reading of the whole kanji name is the other row's name: each
        // part is read as the other row's, so the rules that ask whether
        // the given names differ (a household member, a namesake) see the
        // same name. The parts weigh nothing beside it, as beside any
        // whole-name agreement (`score`, dependency rule 1): the name level
        // carries the evidence, with the discount for a kanji name read
        // several ways.
        NameLevel::ReadingAgrees => {
            vector.set(Comparison::Surname, PartLevel::Exact);
            vector.set(Comparison::GivenName, PartLevel::Exact);
        }
        NameLevel::NoCommonScript if surname_reading_agrees(a, b) => {
            vector.set(Comparison::Surname, PartLevel::Exact);
        }
        _ => {}
    }
    vector.set(Comparison::BirthDate, compare_birth(a.birth_date, b.birth_date));
    vector.set(Comparison::Email, compare_email(a, b));
    vector.set(Comparison::Phone, compare_phone(a.phone, b.phone));
    vector.set(Comparison::PostalCode, compare_postal(a.postal_code, b.postal_code));
    vector.set(Comparison::Address, compare_address(a, b));
    vector.set(Comparison::Passport, compare_exact(a.passport_number, b.passport_number));
    vector.set(Comparison::Gender, compare_gender(a.gender, b.gender));
    let contact = ContactLevel::of(vector.email(), vector.phone(), vector.address());
    vector.set(Comparison::Contact, contact);
    (vector, parts)
}

#[cfg(test)]
mod tests {
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
        // spellings fold alike); the swap of a name whose order is known
        // (the slash puts the surname first) is not the name.
        for given_first in ["Yoko Koda", "YOUKO KOUDA"] {
            let given_first = record(&[(Field::NameRomaji, given_first)]);
            assert_eq!(level(&kana_only, &given_first, Comparison::Name), "strict_exact");
            assert_eq!(level(&given_first, &kana_only, Comparison::Name), "strict_exact");
        }
        let slash = record(&[(Field::NameRomaji, "YOKO/KODA")]);
        assert_eq!(level(&kana_only, &slash, Comparison::Name), "different");
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
            (
                named(sato, "kenichi.sato1980@docomo.ne.jp"),
                named(sato, "kenichi.sato1980@example.jp"),
                "same_local_part",
            ),
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
        // beside it still cuts: ハトー イミコ does not cut かとういまこ, KATO
        // IMIKO does (a typo in the given name, which Jaro–Winkler read
        // backwards does not forgive on the whole key).
        let kato = record(&[(Field::NameKana, "ハトー イミコ"), (Field::NameRomaji, "KATO IMIKO")]);
        let kato_unsplit = record(&[(Field::NameKana, "かとういまこ")]);
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
        // Neither part found: nothing to cut, parts not compared.
        let other = record(&[(Field::NameKana, "ｽｽﾞｷｲﾁﾛｳ")]);
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
        let a = record(&[
            (Field::Email, "taro@example.jp"),
            (Field::Phone, "090-1234-5678"),
            (Field::PostalCode, "100-0001"),
        ]);
        let b = record(&[
            (Field::Email, "taro@other.jp"),
            (Field::Phone, "080-1234-5678"),
            (Field::PostalCode, "100-0005"),
        ]);
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
}
