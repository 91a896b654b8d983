//! Unit tests of the blocking keys: what each key needs, the one text a
//! key is written as, and the index entries.

use super::*;
use crate::normalize::address::Address;
use crate::normalize::date::parse_iso;
use crate::normalize::store::RecordStore;
use crate::normalize::NormalizedRecord;
use jiff::civil::date;

#[test]
fn birth_keys_need_a_birth_date() {
    let mut record = NormalizedRecord::default();
    record.name_kanji.strict = "山田太郎";
    let mut buf = String::new();
    assert!(!KeyKind::KanjiBirth.write_key(&record, 0, &mut buf));
    record.birth_date = parse_iso("1980-01-02");
    assert!(KeyKind::KanjiBirth.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "山田太郎|19800102");
}

#[test]
fn a_birth_date_is_written_as_one_number_per_date() {
    let written = |date: Date| {
        let mut buf = String::new();
        push_birth(&mut buf, date);
        buf
    };
    let dates = [date(2016, 6, 14), date(1000, 1, 1), date(999, 12, 31), date(0, 1, 1), date(-1, 12, 31)];
    let texts: Vec<String> = dates.iter().map(|&d| written(d)).collect();
    assert_eq!(texts, ["|20160614", "|10000101", "|9991231", "|101", "|-8769"]);
    let distinct: std::collections::HashSet<&String> = texts.iter().collect();
    assert_eq!(distinct.len(), dates.len());
}

#[test]
fn same_key_agrees_with_comparing_written_keys() {
    let mut a = NormalizedRecord { birth_date: parse_iso("1980-01-02"), ..Default::default() };
    a.name_kana.romaji.loose = "YAMADATARO";
    a.name_romaji.romaji.loose = "YAMADATARO";
    a.name_kana.romaji.order = NameOrder::SurnameFirst;
    a.name_kana.romaji.surname = "YAMADA";
    a.name_kana.romaji.given = "TARO";
    a.postal_code = "1000001";
    let mut b = a.clone();
    b.birth_date = parse_iso("1980-01-03");
    let (mut x, mut y) = (String::new(), String::new());
    for kind in KeyKind::ALL.into_iter().chain(KeyKind::LINK) {
        for (left, right) in [(&a, &a), (&a, &b), (&b, &a)] {
            for va in 0..kind.variants() {
                for vb in 0..kind.variants() {
                    let written = left.clone();
                    let by_text = kind.write_key(&written, va, &mut x) && kind.write_key(right, vb, &mut y) && x == y;
                    // write_key skips a variant repeating an earlier one; same_key does not.
                    if by_text {
                        assert!(kind.same_key(left, va, right, vb), "{kind:?} {va} {vb}");
                    }
                    if kind.same_key(left, va, right, vb) {
                        assert_eq!(kind.value(left, va), kind.value(right, vb));
                    }
                }
            }
        }
    }
    assert!(KeyKind::SurnamePostal.same_key(&a, 0, &b, 0));
    assert!(!KeyKind::NameBirth.same_key(&a, 0, &b, 0), "another birth date");
}

#[test]
fn surname_postal_and_birth_address_keys_need_both_parts() {
    let mut record = NormalizedRecord::default();
    record.name_kana.romaji.order = NameOrder::SurnameFirst;
    record.name_kana.romaji.surname = "YAMADA";
    record.postal_code = "1000001";
    let mut buf = String::new();
    assert!(KeyKind::SurnamePostal.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "YAMADA|1000001");
    assert!(!KeyKind::SurnameInitialPostal.write_key(&record, 0, &mut buf), "no given name");
    record.name_kana.romaji.given = "TARO";
    record.postal_code = "";
    assert!(!KeyKind::SurnamePostal.write_key(&record, 0, &mut buf), "no postal code");
    assert!(!KeyKind::SurnameInitialPostal.write_key(&record, 0, &mut buf), "no postal code");
    record.postal_code = "1000001";
    assert!(KeyKind::SurnameInitialPostal.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "YAMADA|1000001|T");
    let mut brother = record.clone();
    brother.name_kana.romaji.given = "JIRO";
    assert!(KeyKind::SurnamePostal.same_key(&record, 0, &brother, 0), "one neighbourhood");
    assert!(!KeyKind::SurnameInitialPostal.same_key(&record, 0, &brother, 0), "another initial");
    brother.name_kana.romaji.given = "TAROU";
    assert!(KeyKind::SurnameInitialPostal.same_key(&record, 0, &brother, 0), "a variant past the first letter");
    record.address.numbers = "1-2-3";
    assert!(!KeyKind::BirthAddress.write_key(&record, 0, &mut buf), "no town, no birth date");
    record.address.town = "丸の内";
    record.birth_date = parse_iso("1980-01-02");
    assert!(KeyKind::BirthAddress.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "1-2-3|丸の内|19800102");
}

#[test]
fn the_birth_date_and_postal_code_key_needs_both_and_no_name() {
    let mut record = NormalizedRecord { postal_code: "6308352", ..Default::default() };
    let mut buf = String::new();
    assert!(!KeyKind::BirthPostal.write_key(&record, 0, &mut buf), "no birth date");
    record.birth_date = parse_iso("1958-09-25");
    assert!(KeyKind::BirthPostal.write_key(&record, 0, &mut buf), "a row without a name is keyed");
    assert_eq!(buf, "6308352|19580925");
    let mut named = record.clone();
    named.name_kanji.strict = "山口陽子";
    assert!(KeyKind::BirthPostal.same_key(&record, 0, &named, 0));
    named.birth_date = parse_iso("1958-09-26");
    assert!(!KeyKind::BirthPostal.same_key(&record, 0, &named, 0), "another birth date");
    record.postal_code = "";
    assert!(!KeyKind::BirthPostal.write_key(&record, 0, &mut buf), "no postal code");
}

#[test]
fn surname_birth_and_address_keys_find_a_typo_in_a_name() {
    let mut record = NormalizedRecord { birth_date: parse_iso("1966-12-20"), ..Default::default() };
    record.name_kana.romaji.order = NameOrder::SurnameFirst;
    record.name_kana.romaji.surname = "NAKAYAMA";
    record.name_kana.romaji.given = "KUMEYO";
    record.address.numbers = "3-23-14";
    let mut buf = String::new();
    assert!(!KeyKind::Address.write_key(&record, 0, &mut buf), "no town");
    record.address.town = "霞が関";
    assert!(!KeyKind::Address.write_key(&record, 0, &mut buf), "no city");
    record.address.city = "千代田区";
    assert!(KeyKind::Address.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "3-23-14|霞が関|千代田区");
    assert!(KeyKind::SurnameBirth.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "NAKAYAMA|19661220");
    let mut typo = record.clone();
    typo.name_kana.romaji.given = "KUKAYO";
    assert!(KeyKind::SurnameBirth.same_key(&record, 0, &typo, 0));
    assert!(!KeyKind::GivenBirth.same_key(&record, 0, &typo, 0));
    // The address key holds without a name: a household's rows meet.
    let mut nameless = NormalizedRecord { address: record.address.clone(), ..Default::default() };
    assert!(KeyKind::Address.same_key(&record, 0, &nameless, 0));
    assert!(!KeyKind::SurnameBirth.same_key(&record, 0, &nameless, 0), "no surname, no birth date");
    nameless.address.city = "中央区";
    assert!(!KeyKind::Address.same_key(&record, 0, &nameless, 0), "another city");
}

#[test]
fn the_surname_and_address_key_pairs_a_typo_in_the_given_name_at_one_home() {
    let mut record = NormalizedRecord::default();
    record.name_kana.romaji.order = NameOrder::SurnameFirst;
    record.name_kana.romaji.surname = "YAMAMOTO";
    record.name_kana.romaji.given = "SOYOKA";
    record.name_kana.romaji.loose = "YAMAMOTOSOYOKA";
    let mut buf = String::new();
    assert!(!KeyKind::SurnameAddress.write_key(&record, 0, &mut buf), "no address");
    record.address.town = "市野瀬";
    record.address.numbers = "5-8-2";
    assert!(KeyKind::SurnameAddress.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "YAMAMOTO|市野瀬|5-8-2");
    let mut typo = record.clone();
    typo.name_kana.romaji.given = "NAYOKA";
    typo.name_kana.romaji.loose = "YAMAMOTONAYOKA";
    assert!(KeyKind::SurnameAddress.same_key(&record, 0, &typo, 0));
    assert!(!KeyKind::NameAddress.same_key(&record, 0, &typo, 0), "the whole names differ");
    let mut neighbour = typo.clone();
    neighbour.address.numbers = "5-8-3";
    assert!(!KeyKind::SurnameAddress.same_key(&record, 0, &neighbour, 0), "another house");
    let nameless = NormalizedRecord { address: record.address.clone(), ..Default::default() };
    assert!(!KeyKind::SurnameAddress.write_key(&nameless, 0, &mut buf), "no surname");
    assert!(KeyKind::ALL.contains(&KeyKind::SurnameAddress) && !KeyKind::LINK.contains(&KeyKind::SurnameAddress));
}

#[test]
fn merging_sorted_entries_keeps_them_sorted_and_all_there() {
    let entry = |hash: u64, record: u32| KeyEntry::new(KeyKind::NameBirth, hash << 20, record, 0);
    for (a, b) in
        [(vec![1, 3, 5, 7], vec![2, 3, 8]), (vec![], vec![1, 2]), (vec![4, 5], vec![]), (vec![5, 6], vec![1, 2])]
    {
        let mut entries: Vec<KeyEntry> = a.iter().map(|&h| entry(h, 0)).collect();
        let extra: Vec<KeyEntry> = b.iter().map(|&h| entry(h, 1)).collect();
        let mut expected = [entries.clone(), extra.clone()].concat();
        expected.sort_unstable();
        merge_sorted(&mut entries, &extra);
        assert_eq!(entries, expected, "{a:?} + {b:?}");
    }
}

#[test]
fn name_key_variants_are_emitted_once_each() {
    let mut record = NormalizedRecord { birth_date: parse_iso("1980-01-02"), ..Default::default() };
    record.name_kana.romaji.loose = "YAMADATARO";
    record.name_romaji.romaji.loose = "YAMADATARO";
    record.name_romaji.romaji.swapped_loose = "TAROYAMADA";
    let mut buf = String::new();
    let mut keys = Vec::new();
    for variant in 0..KeyKind::NameBirth.variants() {
        if KeyKind::NameBirth.write_key(&record, variant, &mut buf) {
            keys.push(buf.clone());
        }
    }
    assert_eq!(keys, ["YAMADATARO|19800102", "TAROYAMADA|19800102"]);
}

#[test]
fn a_room_on_one_side_keeps_the_address_keys() {
    let mut house = NormalizedRecord { birth_date: parse_iso("1980-01-02"), ..Default::default() };
    house.name_kana.romaji.loose = "YAMADATARO";
    house.address.city = "渋谷区";
    house.address.town = "神宮前";
    house.address.numbers = "1-2-3";
    let flat = NormalizedRecord { address: Address { numbers: "1-2-3-101", ..house.address.clone() }, ..house.clone() };
    let other_flat =
        NormalizedRecord { address: Address { numbers: "1-2-3-102", ..house.address.clone() }, ..house.clone() };
    let next_house =
        NormalizedRecord { address: Address { numbers: "1-2-4", ..house.address.clone() }, ..house.clone() };
    // The keys hold for a room on one side or two rooms (the comparison
    // tells the flats apart), not for the next house.
    for kind in [KeyKind::NameAddress, KeyKind::BirthAddress, KeyKind::Address] {
        for (other, holds) in [(&flat, true), (&other_flat, true), (&next_house, false)] {
            assert_eq!(kind.same_key(&house, 0, other, 0), holds, "{kind:?} {}", other.address.numbers);
        }
    }
    let (mut x, mut y) = (String::new(), String::new());
    assert!(KeyKind::NameAddress.write_key(&house, 0, &mut x) && KeyKind::NameAddress.write_key(&flat, 0, &mut y));
    assert_eq!(x, y);
}

#[test]
fn a_kanji_only_name_keys_its_address_and_postal_code() {
    let mut record = NormalizedRecord::default();
    record.name_kanji.strict = "中島恵";
    record.postal_code = "6791106";
    record.address = Address { town: "中区高岸", numbers: "6-22-3", ..Default::default() };
    let mut buf = String::new();
    assert!(KeyKind::KanjiPostal.write_key(&record, 0, &mut buf));
    assert_eq!(buf, "中島恵|6791106");
    let mut written = Vec::new();
    for variant in 0..KeyKind::NameAddress.variants() {
        if KeyKind::NameAddress.write_key(&record, variant, &mut buf) {
            written.push((variant, buf.clone()));
        }
    }
    assert_eq!(written, [(3, "中島恵|中区高岸|6-22-3".to_string())]);
    // Both kinds pair the recovered records.
    assert!(KeyKind::ALL.contains(&KeyKind::KanjiPostal) && KeyKind::ALL.contains(&KeyKind::NameAddress));
}

#[test]
fn a_given_name_key_that_held_on_the_surname_is_a_surname_key() {
    // Twins, each written in romaji of unknown order (TANIGUCHI AIHITSU,
    // TANIGUCHI MUGIHEI), born the same day: the given name + birth date
    // key meets them on the variant that reads each name the other way
    // round, their shared surname.
    let romaji = |given: &'static str| {
        let mut record = NormalizedRecord { birth_date: parse_iso("2003-11-23"), ..Default::default() };
        let name = &mut record.name_romaji.romaji;
        (name.order, name.surname, name.given) = (NameOrder::Ambiguous, "TANIGUCHI", given);
        record
    };
    let (twin, other_twin) = (romaji("AIHITSU"), romaji("MUGIHEI"));
    let variants = 0..KeyKind::GivenBirth.variants();
    let held: Vec<(u8, u8)> = variants
        .clone()
        .flat_map(|a| variants.clone().map(move |b| (a, b)))
        .filter(|&(a, b)| KeyKind::GivenBirth.same_key(&twin, a, &other_twin, b))
        .collect();
    assert_eq!(held, [(AMBIGUOUS_ORDER_VARIANT, AMBIGUOUS_ORDER_VARIANT)]);
    assert!(held.iter().all(|&(a, b)| KeyKind::GivenBirth.may_hold_on_surname(a, b)));
    // The same customer's kana row meets the romaji row on the given name
    // itself: a given-name key, scored as any.
    let mut kana = NormalizedRecord { birth_date: twin.birth_date, ..Default::default() };
    let name = &mut kana.name_kana.romaji;
    (name.order, name.surname, name.given) = (NameOrder::SurnameFirst, "TANIGUCHI", "AIHITSU");
    let given_name_met = variants
        .clone()
        .flat_map(|a| variants.clone().map(move |b| (a, b)))
        .filter(|&(a, b)| KeyKind::GivenBirth.same_key(&kana, a, &twin, b))
        .any(|(a, b)| !KeyKind::GivenBirth.may_hold_on_surname(a, b));
    assert!(given_name_met);
    assert!(KeyKind::SurnameBirth.may_hold_on_surname(0, 0));
    assert!(!KeyKind::NameBirth.may_hold_on_surname(AMBIGUOUS_ORDER_VARIANT, AMBIGUOUS_ORDER_VARIANT));
}

#[test]
fn a_name_and_a_mailbox_alone_are_keyed_by_the_name_and_the_provider() {
    use crate::input::Field;
    use crate::normalize::normalize_fields;
    let sparse = normalize_fields(&[(Field::NameKanji, "藤田 太郎"), (Field::Email, "taro.fujita764@yahoo.co.jp")]);
    let booking = normalize_fields(&[
        (Field::NameKanji, "藤田 太郎"),
        (Field::NameKana, "フジタ タロウ"),
        (Field::BirthDate, "1954-06-01"),
        (Field::Email, "new605.taro.fujita764@yahoo.co.jp"),
    ]);
    let elsewhere = normalize_fields(&[(Field::NameKanji, "藤田 太郎"), (Field::Email, "taro.fujita764@gmail.com")]);
    let records: RecordStore = [sparse, booking, elsewhere].into_iter().collect();
    let (sparse, booking, elsewhere) = (records.get(0), records.get(1), records.get(2));
    let kind = KeyKind::NameEmailDomain;
    // The kanji variant (3) meets; another provider does not.
    assert!(kind.same_key(&sparse, 3, &booking, 3) && !kind.same_key(&sparse, 3, &elsewhere, 3));
    let (mut x, mut y) = (String::new(), String::new());
    assert!(kind.write_key(&sparse, 3, &mut x) && kind.write_key(&booking, 3, &mut y));
    assert_eq!((x.as_str(), y.as_str()), ("藤田太郎|yahoo.co.jp", "藤田太郎|yahoo.co.jp"));
    // Only the sparse row is indexed by it; the booking, with its birth
    // date, probes it.
    assert!(kind.indexes(&sparse) && !kind.indexes(&booking));
    let entries = key_entries_over(&records, &[0, 1, 2], &[kind]);
    let mut keyed: Vec<u32> = entries.iter().map(|entry| entry.record()).collect();
    keyed.sort_unstable();
    assert_eq!(keyed, [0, 2]);
}
