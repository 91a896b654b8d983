//! Unit tests of the scoring: the contact identity and whole-name rules,
//! the contact pattern, the weight table and the order of a pair.

use super::*;
use crate::input::Field;
use crate::matching::compare::{compare, BirthLevel};
use crate::normalize::normalize_fields as record;
use crate::normalize::NormalizedRecord;

/// The identity rule on two records, as the linker applies it.
fn identity(a: &RecordView<'_>, b: &RecordView<'_>) -> Option<Identity> {
    let vector = compare(a, b);
    contact_identity(&vector, agreed_phone_line(&vector, || a.phone))
}

/// `name_and_personal_contact_agree` on two records.
fn agree(a: &[(Field, &str)], b: &[(Field, &str)]) -> bool {
    let (a, b) = (record(a), record(b));
    let vector = compare(&a.view(), &b.view());
    name_and_personal_contact_agree(&vector, agreed_phone_line(&vector, || a.view().phone))
}

/// The leaked row the name-and-contact tests compare with.
const TARO: [(Field, &str); 5] = [
    (Field::NameKanji, "山田 太郎"),
    (Field::Email, "taro@example.jp"),
    (Field::BirthDate, "1980-01-02"),
    (Field::PostalCode, "100-0001"),
    (Field::Address, "東京都千代田区千代田1-1-1"),
];

#[test]
fn one_name_and_one_mailbox_or_handset_are_one_customer() {
    let leak = TARO;
    // After a move, a new phone, no birth date given: still the customer.
    let moved = [
        (Field::NameKanji, "山田太郎"),
        (Field::Email, "TARO@example.jp"),
        (Field::Phone, "090-1111-2222"),
        (Field::PostalCode, "530-0001"),
        (Field::Address, "大阪府大阪市北区梅田1-2-3"),
    ];
    assert!(agree(&leak, &moved));
    // A reading of the kanji is the name too.
    assert!(agree(&leak, &[(Field::NameKana, "ヤマダ タロウ"), (Field::Email, "taro@example.jp")]));
    // Another given name (a household's mailbox), another birth date
    // (a namesake sharing it), another mailbox: not by this rule.
    assert!(!agree(&leak, &[(Field::NameKanji, "山田 花子"), (Field::Email, "taro@example.jp")]));
    let other_birth =
        [(Field::NameKanji, "山田 太郎"), (Field::Email, "taro@example.jp"), (Field::BirthDate, "1991-07-08")];
    assert!(!agree(&leak, &other_birth));
    assert!(!agree(&leak, &[(Field::NameKanji, "山田 太郎"), (Field::Email, "yamada@example.jp")]));
    // No name on one side: the contact identity rule's case, not this one.
    assert!(!agree(&leak, &[(Field::Email, "taro@example.jp")]));
    // A mobile number is a person's; a fixed line a household's.
    let with_phone = |phone| [(Field::NameKanji, "山田 太郎"), (Field::Phone, phone)];
    assert!(agree(&with_phone("090-1111-2222"), &moved));
    let landline = [
        (Field::NameKanji, "山田 太郎"),
        (Field::Phone, "03-1111-2222"),
        (Field::Address, "東京都千代田区千代田1-1-1"),
    ];
    let landline_moved = [
        (Field::NameKanji, "山田 太郎"),
        (Field::Phone, "03-1111-2222"),
        (Field::Address, "大阪府大阪市北区梅田1-2-3"),
    ];
    assert!(!agree(&landline, &landline_moved));
}

#[test]
fn one_name_and_one_home_are_one_customer() {
    let leak = TARO;
    let with_phone = |phone| [(Field::NameKanji, "山田 太郎"), (Field::Phone, phone)];
    // The home (postal code and street address to the house number) is
    // a personal contact beside the whole name, with the mailbox moved
    // to another provider; not under another given name or birth
    // date, nor with the postal code or the house number another.
    let home = |name, postal, address| {
        [
            (Field::NameKanji, name),
            (Field::Email, "taro@example.com"),
            (Field::PostalCode, postal),
            (Field::Address, address),
        ]
    };
    assert!(agree(&leak, &home("山田 太郎", "1000001", "千代田区千代田1丁目1番1号")));
    assert!(agree(
        &leak,
        &[
            (Field::NameRomaji, "TARO YAMADA"),
            (Field::PostalCode, "100-0001"),
            (Field::Address, "東京都千代田区千代田1-1-1")
        ]
    ));
    assert!(!agree(&leak, &home("山田 花子", "100-0001", "東京都千代田区千代田1-1-1")));
    assert!(!agree(&leak, &home("山田 太郎", "100-0002", "東京都千代田区千代田1-1-1")));
    // A postal code given on one side only does not speak against the
    // home; the street address in another city does.
    let no_postal = [(Field::NameKanji, "山田 太郎"), (Field::Address, "千代田区千代田1-1-1")];
    assert!(agree(&leak, &no_postal));
    assert!(!agree(&leak, &[(Field::NameKanji, "山田 太郎"), (Field::Address, "大阪府大阪市北区千代田1-1-1")]));
    assert!(!agree(&leak, &home("山田 太郎", "100-0001", "東京都千代田区千代田1-1-2")));
    let mut dated = home("山田 太郎", "100-0001", "東京都千代田区千代田1-1-1").to_vec();
    dated.push((Field::BirthDate, "1991-07-08"));
    assert!(!agree(&leak, &dated));
    // Beside another mailbox, the handset and the home are a
    // household's: a father and son of one name share them.
    let mut son = home("山田 太郎", "100-0001", "東京都千代田区千代田1-1-1").to_vec();
    son[1] = (Field::Email, "yamada.jr@example.jp");
    son.push((Field::Phone, "090-1111-2222"));
    assert!(!agree(&leak, &son));
    assert!(!agree(&with_phone("090-1111-2222"), &son[1..]));
}

#[test]
fn one_passport_number_is_one_customer_unless_the_name_or_birth_date_disagrees() {
    // Named on both sides: the name and the passport number, whatever the
    // contacts say (a kana-only booking without a contact the row gives).
    let leak =
        [(Field::NameKanji, "鈴木 陽子"), (Field::NameKana, "スズキ ヨウコ"), (Field::PassportNumber, "TK9081789")];
    let booking =
        [(Field::NameKana, "スズキ ヨウコ"), (Field::PassportNumber, "tk-9081789"), (Field::Phone, "090-1111-2222")];
    assert!(agree(&leak, &booking));
    assert!(!agree(&leak, &[(Field::NameKana, "スズキ ヨウコ"), (Field::PassportNumber, "TK9081780")]));
    assert!(!agree(&leak, &[(Field::NameKana, "スズキ ハナコ"), (Field::PassportNumber, "TK9081789")]));
    let dated =
        [(Field::NameKanji, "鈴木 陽子"), (Field::PassportNumber, "TK9081789"), (Field::BirthDate, "1998-09-27")];
    let other_birth =
        [(Field::NameKana, "スズキ ヨウコ"), (Field::PassportNumber, "TK9081789"), (Field::BirthDate, "1970-01-02")];
    assert!(!agree(&dated, &other_birth));
    // Without a name on one side: the passport number alone links.
    let nameless = record(&[(Field::PassportNumber, "TK9081789"), (Field::Phone, "080-3333-4444")]);
    assert_eq!(identity(&nameless.view(), &record(&booking).view()), Some(Identity::Passport));
    let other_gender = record(&[(Field::PassportNumber, "TK9081789"), (Field::Gender, "男")]);
    let female =
        record(&[(Field::NameKanji, "鈴木 陽子"), (Field::PassportNumber, "TK9081789"), (Field::Gender, "女")]);
    assert_eq!(identity(&other_gender.view(), &female.view()), None, "a gender that disagrees");
}

#[test]
fn an_exact_email_or_phone_links_a_row_without_a_name_unless_something_disagrees() {
    let leak = record(&[(Field::Email, "taro@example.jp")]);
    let booking =
        record(&[(Field::NameKanji, "山田太郎"), (Field::Email, "Taro@example.jp"), (Field::Phone, "090-1111-2222")]);
    assert_eq!(identity(&leak.view(), &booking.view()), Some(Identity::Email));
    // A changed phone does not veto the email; a birth date does.
    let other_phone = record(&[(Field::Email, "taro@example.jp"), (Field::Phone, "080-9999-8888")]);
    assert_eq!(identity(&other_phone.view(), &booking.view()), Some(Identity::Email));
    let mut booking_fields = vec![(Field::NameKanji, "山田太郎"), (Field::Email, "Taro@example.jp")];
    booking_fields.extend([(Field::Phone, "090-1111-2222"), (Field::BirthDate, "1980-01-02")]);
    let dated = record(&booking_fields);
    let other_birth = record(&[(Field::Email, "taro@example.jp"), (Field::BirthDate, "1991-07-08")]);
    assert_eq!(identity(&other_birth.view(), &dated.view()), None, "a birth date that disagrees");
    let named = record(&[(Field::NameKanji, "山田花子"), (Field::Email, "taro@example.jp")]);
    assert_eq!(identity(&named.view(), &booking.view()), None, "names on both sides decide");
    // The phone links with the birth date, or alone when nothing else
    // can be compared; not beside another email. Beside another address
    // a mobile links (a move), a fixed line does not.
    let phone_only = record(&[(Field::Phone, "09011112222")]);
    assert_eq!(identity(&phone_only.view(), &dated.view()), Some(Identity::Phone));
    let mut phone_address = vec![(Field::Phone, "09011112222"), (Field::Address, "東京都千代田区丸の内1-2-3")];
    let placed = record(&[(Field::Phone, "090-1111-2222"), (Field::Address, "大阪府大阪市北区梅田1-1-1")]);
    assert_eq!(
        identity(&record(&phone_address).view(), &placed.view()),
        Some(Identity::Phone),
        "a mobile number beside another address: moved"
    );
    // A birth date that agrees beside the moved mobile is more of the
    // person, not less; one that is a typo away is for review.
    let moved_born = |birth| {
        let row = record(&[
            (Field::Phone, "09011112222"),
            (Field::Address, "東京都千代田区丸の内1-2-3"),
            (Field::BirthDate, birth),
        ]);
        let booking = record(&[
            (Field::Phone, "090-1111-2222"),
            (Field::Address, "大阪府大阪市北区梅田1-1-1"),
            (Field::BirthDate, "1980-01-02"),
        ]);
        identity(&row.view(), &booking.view())
    };
    assert_eq!(moved_born("1980-01-02"), Some(Identity::Phone), "a mobile and the birth date at a new address");
    assert_eq!(moved_born("1980-01-03"), None, "a birth date a typo away");
    let landline_address = [(Field::Phone, "0312345678"), (Field::Address, "東京都千代田区丸の内1-2-3")];
    let landline_placed = record(&[(Field::Phone, "03-1234-5678"), (Field::Address, "大阪府大阪市北区梅田1-1-1")]);
    assert_eq!(
        identity(&record(&landline_address).view(), &landline_placed.view()),
        None,
        "a fixed line beside another address"
    );
    phone_address.push((Field::BirthDate, "1980-01-02"));
    let placed_dated = record(&[(Field::Phone, "090-1111-2222"), (Field::BirthDate, "1980-01-02")]);
    assert_eq!(
        identity(&record(&phone_address).view(), &placed_dated.view()),
        Some(Identity::Phone),
        "an address the other row lacks is no evidence against; the birth date agrees"
    );
    let phone_birth = record(&[(Field::Phone, "09011112222"), (Field::BirthDate, "1980-01-02")]);
    assert_eq!(identity(&phone_birth.view(), &dated.view()), Some(Identity::Phone));
    let mut other_email = vec![(Field::Phone, "09011112222"), (Field::BirthDate, "1980-01-02")];
    other_email.push((Field::Email, "hanako@example.jp"));
    assert_eq!(identity(&(record(&other_email)).view(), &dated.view()), None);
}

#[test]
fn a_phone_beside_another_email_or_at_another_place_is_for_review() {
    let booking = record(&[
        (Field::NameKanji, "宮崎 周信"),
        (Field::BirthDate, "1965-02-17"),
        (Field::Email, "chikatoshi@example.jp"),
        (Field::Phone, "075-628-7399"),
        (Field::PostalCode, "637-1661"),
        (Field::Address, "奈良県吉野郡十津川村重里2丁目16番1号"),
    ]);
    let review = |fields: &[(Field, &str)]| {
        let row = record(fields);
        contact_for_review(&compare(&row.view(), &booking.view()))
    };
    let line = (Field::Phone, "(075)628-7399");
    assert!(review(&[line, (Field::Email, "other@example.jp")]), "another email");
    assert!(review(&[line, (Field::PostalCode, "399-4601")]), "another postal code");
    assert!(review(&[line, (Field::Address, "長野県上伊那郡箕輪町中箕輪2丁目16番1号")]), "another city");
    assert!(review(&[line, (Field::Address, "奈良県奈良市登大路町30")]), "another city of the prefecture");
    assert!(!review(&[line]), "the number alone: the identity rule's, not review");
    assert!(!review(&[line, (Field::Address, "奈良県吉野郡十津川村重里2丁目16番1号")]), "the place agrees");
    let moved_and_born_elsewhere = [line, (Field::PostalCode, "399-4601"), (Field::BirthDate, "1990-01-01")];
    assert!(!review(&moved_and_born_elsewhere), "another birth date: another person");
    let named = [(Field::NameKanji, "宮崎 花子"), line, (Field::PostalCode, "399-4601")];
    assert!(!review(&named), "names on both sides decide");
}

#[test]
fn a_row_of_the_home_alone_is_for_review() {
    let booking = record(&[
        (Field::NameKanji, "山口 陽子"),
        (Field::BirthDate, "1958-09-25"),
        (Field::Email, "yoko@example.jp"),
        (Field::PostalCode, "630-8352"),
        (Field::Address, "奈良県奈良市北風呂町4-20-17"),
    ]);
    let home_alone = |fields: &[(Field, &str)]| only_the_home_agrees(&compare(&record(fields).view(), &booking.view()));
    let home = (Field::Address, "奈良市北風呂町４－２０－１７");
    assert!(home_alone(&[home]));
    assert!(home_alone(&[home, (Field::PostalCode, "6308352")]), "the postal code agrees");
    assert!(!home_alone(&[home, (Field::PostalCode, "100-0005")]), "another postal code");
    assert!(!home_alone(&[(Field::Address, "奈良市北風呂町4-20-18")]), "another house");
    assert!(!home_alone(&[home, (Field::Email, "other@example.jp")]), "an email to compare");
    assert!(!home_alone(&[home, (Field::BirthDate, "1958-09-25")]), "a birth date to compare (the identity rule's)");
    assert!(!home_alone(&[home, (Field::NameKana, "ヤマグチ ヨウコ")]), "names on both sides decide");
    let booking_phone = record(&[(Field::NameKanji, "山口 陽子"), (Field::Phone, "090-1111-2222"), home]);
    let beside =
        |phone| only_the_home_agrees(&compare(&record(&[home, (Field::Phone, phone)]).view(), &booking_phone.view()));
    assert!(beside("080-3333-4444"), "another phone: the customer's old number, or a resident's own");
    assert!(!beside("09011112222"), "the same phone: the identity rule's");
}

#[test]
fn the_birth_date_and_the_home_together_link_a_row_without_a_name() {
    let booking = record(&[
        (Field::NameKanji, "小林 舞"),
        (Field::BirthDate, "1957/6/18"),
        (Field::Email, "mai@example.jp"),
        (Field::Phone, "080-2429-2202"),
        (Field::PostalCode, "479-0043"),
        (Field::Address, "愛知県常滑市古社4-30-10"),
    ]);
    let row = |extra: &[(Field, &'static str)]| {
        let mut fields = vec![(Field::BirthDate, "1957-06-18"), (Field::Address, "愛知県常滑市古社4丁目30番10号")];
        fields.extend_from_slice(extra);
        record(&fields)
    };
    assert_eq!(identity(&row(&[]).view(), &booking.view()), Some(Identity::BirthAndHome));
    assert_eq!(identity(&row(&[(Field::PostalCode, "4790043")]).view(), &booking.view()), Some(Identity::BirthAndHome));
    // An email or phone that disagrees is what tells twins apart; a postal
    // code that disagrees is another place.
    for other in [(Field::Email, "kaori@example.jp"), (Field::Phone, "080-9999-8888"), (Field::PostalCode, "1000001")] {
        assert_eq!(identity(&row(&[other]).view(), &booking.view()), None, "{other:?}");
    }
    // A birth date alone is one day in 30,000; the home alone is the
    // household's, which links only when nothing else can be compared.
    let birth_only = record(&[(Field::BirthDate, "1957-06-18")]);
    assert_eq!(identity(&birth_only.view(), &booking.view()), None);
    let home_only = record(&[(Field::Address, "愛知県常滑市古社4-30-10")]);
    assert_eq!(identity(&home_only.view(), &booking.view()), Some(Identity::Home));
    let home_beside = |field: (Field, &'static str)| record(&[(Field::Address, "愛知県常滑市古社4-30-10"), field]);
    for other in [(Field::Phone, "080-9999-8888"), (Field::Email, "kaori@example.jp"), (Field::PostalCode, "1000001")] {
        assert_eq!(identity(&home_beside(other).view(), &booking.view()), None, "{other:?}");
    }
    // The same town without the house numbers is not the home.
    let street = record(&[(Field::BirthDate, "1957-06-18"), (Field::Address, "愛知県常滑市古社4-30-11")]);
    assert_eq!(identity(&street.view(), &booking.view()), None);
    let named = record(&[
        (Field::NameKanji, "小林 愛"),
        (Field::BirthDate, "1957-06-18"),
        (Field::Address, "愛知県常滑市古社4-30-10"),
    ]);
    assert_eq!(identity(&named.view(), &booking.view()), None, "names on both sides decide");
}

#[test]
fn contacts_are_one_pattern_and_a_household_member_gets_one_field() {
    let scorer = Scorer::new(&Model::default_model(), TermFrequencies::default());
    let contact_weight = |level: ContactLevel| scorer.level_weight(Comparison::Contact, level.index());
    let contacts = [(Field::Email, "taro@example.jp"), (Field::Phone, "090-1111-2222")];
    let nameless = record(&contacts);
    let mut named_fields = contacts.to_vec();
    named_fields.push((Field::NameKanji, "山田太郎"));
    let booking = record(&named_fields);
    // Without a name each agreeing contact counts.
    let weights = scorer.effective_weights(&compare(&nameless.view(), &booking.view()));
    assert!(weights[Comparison::Email as usize] > 0.0 && weights[Comparison::Phone as usize] > 0.0);
    assert_eq!(weights[Comparison::Contact as usize], 0.0);
    // The same person named: the pattern stands for both fields.
    let same = compare(&(record(&named_fields)).view(), &booking.view());
    assert_eq!(same.contact(), ContactLevel::EmailPhone);
    let weights = scorer.effective_weights(&same);
    assert_eq!((weights[Comparison::Email as usize], weights[Comparison::Phone as usize]), (0.0, 0.0));
    assert_eq!(weights[Comparison::Contact as usize], contact_weight(ContactLevel::EmailPhone));
    // A household member, another given name with the same contacts:
    // no more than the strongest single field, and no link.
    let mut sister_fields = contacts.to_vec();
    sister_fields.push((Field::NameKanji, "山田花子"));
    let sister = compare(&(record(&sister_fields)).view(), &booking.view());
    let weights = scorer.effective_weights(&sister);
    let strongest_single = contact_weight(ContactLevel::EmailOnly).max(contact_weight(ContactLevel::PhoneOnly));
    assert!(weights[Comparison::Contact as usize] <= strongest_single);
    assert!(scorer.weight(&sister, 0.0) < 0.0);
}

#[test]
fn a_row_without_a_name_and_another_mailbox_gets_one_household_field() {
    let scorer = Scorer::new(&Model::default_model(), TermFrequencies::default());
    let home =
        [(Field::Phone, "090-8625-3304"), (Field::PostalCode, "904-2222"), (Field::Address, "うるま市上江洲4-10-7")];
    let mut named_fields = home.to_vec();
    named_fields.extend([(Field::NameKanji, "森 雄一"), (Field::Email, "yuichi@example.jp")]);
    let named = record(&named_fields);
    let score = |extra: (Field, &'static str)| {
        let mut fields = home.to_vec();
        fields.push(extra);
        let vector = compare(&record(&fields).view(), &named.view());
        let weights = scorer.effective_weights(&vector);
        let agreeing = [Comparison::Phone, Comparison::PostalCode, Comparison::Address];
        (agreeing.iter().filter(|c| weights[**c as usize] > 0.0).count(), scorer.weight(&vector, 0.0), vector)
    };
    // The same mailbox: phone, and the place, each count.
    let (counted, weight, _) = score((Field::Email, "YUICHI@example.jp"));
    assert_eq!(counted, 2);
    assert!(weight > 0.0);
    // Another mailbox: a household member's row as likely as the
    // customer's; phone and home are the household's, one field, and the
    // pair is not linked by weight but left to an analyst.
    let (counted, weight, vector) = score((Field::Email, "akemi@example.jp"));
    assert_eq!(counted, 1);
    assert!(weight < crate::config::DEFAULT_MATCH_THRESHOLD, "{weight}");
    assert!(contact_for_review(&vector));
}

#[test]
fn every_comparison_fits_the_weight_table() {
    for comparison in Comparison::ALL {
        assert!(comparison.levels() <= MAX_LEVELS, "{}", comparison.name());
    }
}

#[test]
fn a_score_does_not_depend_on_the_order_of_the_pair() {
    // Kana with a known split against romaji in either order, with a
    // kana typo so the parts (and their term frequencies) count.
    let kana = record(&[(Field::NameKana, "ヤマダ タロミ"), (Field::BirthDate, "1980-01-02")]);
    let romaji = record(&[(Field::NameRomaji, "Taro Yamada"), (Field::BirthDate, "1980-01-02")]);
    let mut records = vec![kana.clone(), romaji.clone()];
    // A common surname makes ヤマダ rare: its agreement counts more.
    records.extend((0..5).map(|_| record(&[(Field::NameKana, "スズキ イチロウ")])));
    let scorer = Scorer::new(&Model::default_model(), TermFrequencies::build(&records.iter().cloned().collect()));
    let (forward, backward) = (scorer.score(&kana.view(), &romaji.view()), scorer.score(&romaji.view(), &kana.view()));
    assert_eq!(forward.vector.surname(), PartLevel::Exact);
    assert_ne!(forward.tf_adjustment, 0.0, "the agreeing surname is weighted by its frequency");
    assert_eq!(forward, backward);
}

#[test]
fn a_reading_that_agrees_is_one_name_agreement_not_three() {
    let scorer = Scorer::new(&Model::default_model(), TermFrequencies::default());
    let kanji_only = record(&[(Field::NameKanji, "佐藤 花子"), (Field::BirthDate, "1980-01-02")]);
    let kana_only = record(&[(Field::NameKana, "サトウ ハナコ"), (Field::BirthDate, "1980-01-02")]);
    let vector = compare(&kanji_only.view(), &kana_only.view());
    assert_eq!(vector.name(), NameLevel::ReadingAgrees);
    // The parts are read as the other row's (a household rule asks)...
    assert_eq!((vector.surname(), vector.given_name()), (PartLevel::Exact, PartLevel::Exact));
    // ...and weigh nothing beside the whole name, as beside two kana rows
    // that agree: the name counts once, never above an exact one.
    let weights = scorer.effective_weights(&vector);
    assert_eq!((weights[Comparison::Surname as usize], weights[Comparison::GivenName as usize]), (0.0, 0.0));
    let kana_pair = compare(&kana_only.view(), &kana_only.view());
    assert!(kana_pair.name().is_exact());
    assert!(scorer.weight(&vector, 0.0) <= scorer.weight(&kana_pair, 0.0));
    // What it weighs is the name level's own (the model's m and u).
    let reading = scorer.level_weight(Comparison::Name, NameLevel::ReadingAgrees.index());
    let birth = scorer.level_weight(Comparison::BirthDate, BirthLevel::Exact.index());
    assert!((scorer.weight(&vector, 0.0) - (scorer.prior() + reading + birth)).abs() < 1e-9);
}

/// Whether `rule` holds for the pair of records made of `a` and `b`.
fn rule_holds(rule: fn(&ComparisonVector) -> bool, a: &[(Field, &str)], b: &[(Field, &str)]) -> bool {
    let (a, b) = (record(a), record(b));
    rule(&compare(&a.view(), &b.view()))
}

#[test]
fn one_whole_name_and_birth_date_with_nothing_against_them_are_one_customer() {
    let agree = |a: &[(Field, &str)], b: &[(Field, &str)]| rule_holds(name_and_birth_date_agree, a, b);
    // A sparse leak row: the name and the birth date, nothing else.
    let sparse = [(Field::NameKanji, "佐藤 洋子"), (Field::BirthDate, "昭和55年1月2日")];
    let booking = [
        (Field::NameKanji, "佐藤洋子"),
        (Field::NameKana, "サトウ ヨウコ"),
        (Field::BirthDate, "1980-01-02"),
        (Field::Email, "yoko@example.jp"),
        (Field::Phone, "090-1111-2222"),
    ];
    assert!(agree(&sparse, &booking));
    // In kana on both sides.
    assert!(agree(&[(Field::NameKana, "サトウ ヨウコ"), (Field::BirthDate, "1980/1/2")], &booking));
    // Another birth date, another given name: not by this rule.
    assert!(!agree(&[(Field::NameKanji, "佐藤 洋子"), (Field::BirthDate, "1980-01-03")], &booking));
    assert!(!agree(&[(Field::NameKanji, "佐藤 陽子"), (Field::BirthDate, "1980-01-02")], &booking));
    // A field both give that disagrees points to a namesake born that day.
    let other_mailbox =
        [(Field::NameKanji, "佐藤 洋子"), (Field::BirthDate, "1980-01-02"), (Field::Email, "y.sato@example.com")];
    assert!(!agree(&other_mailbox, &booking));
    // A known reading of the kanji is the name (a romaji row against a
    // kanji-only booking); another reading is not.
    let kanji_only = [(Field::NameKanji, "佐藤 洋子"), (Field::BirthDate, "1980-01-02")];
    assert!(agree(&[(Field::NameRomaji, "SATO YOKO"), (Field::BirthDate, "1980-01-02")], &kanji_only));
    assert!(agree(&[(Field::NameKana, "サトウ ヨウコ"), (Field::BirthDate, "1980-01-02")], &kanji_only));
    assert!(!agree(&[(Field::NameKana, "サトウ ハナコ"), (Field::BirthDate, "1980-01-02")], &kanji_only));
}

#[test]
fn one_whole_name_at_one_postal_code_with_nothing_against_it_is_one_customer() {
    let agree = |a: &[(Field, &str)], b: &[(Field, &str)]| rule_holds(name_and_postal_code_agree, a, b);
    // A sparse leak row: the name in romaji and the postal code, nothing else.
    let sparse = [(Field::NameRomaji, "NAKAMURA NAOKO"), (Field::PostalCode, "520-2521")];
    let booking = [
        (Field::NameKanji, "中村 直子"),
        (Field::NameKana, "ナカムラ ナオコ"),
        (Field::PostalCode, "5202521"),
        (Field::Address, "滋賀県蒲生郡竜王町川守9-25-7"),
        (Field::Email, "naoko@example.jp"),
    ];
    assert!(agree(&sparse, &booking));
    // Another postal code, another given name: not by this rule.
    assert!(!agree(&[(Field::NameRomaji, "NAKAMURA NAOKO"), (Field::PostalCode, "520-2522")], &booking));
    assert!(!agree(&[(Field::NameRomaji, "NAKAMURA NAOMI"), (Field::PostalCode, "520-2521")], &booking));
    // A field both give that disagrees (a father and son of one name at one
    // home give two birth dates) points to another person.
    let born_apart =
        [(Field::NameKana, "ナカムラ ナオコ"), (Field::PostalCode, "5202521"), (Field::BirthDate, "1950-01-01")];
    let booking_born =
        [(Field::NameKana, "ナカムラ ナオコ"), (Field::PostalCode, "5202521"), (Field::BirthDate, "1980-01-01")];
    assert!(!agree(&born_apart, &booking_born));
    // A reading of the kanji is not enough (unusual readings exist).
    assert!(!agree(
        &[(Field::NameKana, "ナカムラ ナオコ"), (Field::PostalCode, "5202521")],
        &[(Field::NameKanji, "中村 直子"), (Field::PostalCode, "5202521")]
    ));
}

#[test]
fn the_name_and_birth_date_beside_contacts_that_all_differ_is_the_shape_of_namesakes() {
    let row = |extra: &[(Field, &'static str)]| {
        let mut fields = vec![(Field::NameKanji, "山田 太郎"), (Field::BirthDate, "1960-01-01")];
        fields.extend_from_slice(extra);
        record(&fields)
    };
    let shape =
        |a: &NormalizedRecord, b: &NormalizedRecord| only_the_name_and_birth_date_agree(&compare(&a.view(), &b.view()));
    let first = row(&[
        (Field::Email, "yamada1960@example.jp"),
        (Field::Phone, "090-1111-2222"),
        (Field::PostalCode, "100-0001"),
    ]);
    assert!(shape(&first, &row(&[(Field::Email, "tyamada@mail.example.com")])), "another mailbox");
    assert!(shape(&first, &row(&[(Field::Phone, "090-3333-4444"), (Field::PostalCode, "530-0001")])), "another line");
    assert!(
        !shape(&first, &row(&[(Field::Email, "yamada1960@example.jp"), (Field::Phone, "090-3333-4444")])),
        "the mailbox agrees"
    );
    assert!(
        !shape(&first, &row(&[(Field::Email, "tyamada@mail.example.com"), (Field::PostalCode, "100-0001")])),
        "the postal code agrees"
    );
    assert!(!shape(&first, &row(&[(Field::PostalCode, "530-0001")])), "only the place differs: a move");
    assert!(!shape(&first, &row(&[])), "nothing to compare: missing is not different");
    let other_day =
        record(&[(Field::NameKanji, "山田 太郎"), (Field::BirthDate, "1971-02-03"), (Field::Email, "t@example.net")]);
    assert!(!shape(&first, &other_day), "another birth date");
}

#[test]
fn a_booking_ties_two_persons_only_by_what_each_alone_gives() {
    let booking = record(&[
        (Field::NameKanji, "増田 加根美"),
        (Field::NameKana, "マスダ カネミ"),
        (Field::BirthDate, "1994-04-17"),
        (Field::Email, "kanemi@example.jp"),
        (Field::Phone, "090-1234-5678"),
    ]);
    let against = |fields: &[(Field, &'static str)]| compare(&record(fields).view(), &booking.view());
    let mailbox = against(&[(Field::NameKana, "マスダ カネミ"), (Field::Email, "kanemi@example.jp")]);
    let phone = against(&[(Field::NameKanji, "増田加根美"), (Field::Phone, "090-1234-5678")]);
    let both = against(&[
        (Field::NameKana, "マスダ カネミ"),
        (Field::Email, "kanemi@example.jp"),
        (Field::Phone, "09012345678"),
    ]);
    let born = against(&[(Field::NameKana, "マスダ カネミ"), (Field::BirthDate, "1994-04-17")]);
    let nameless = against(&[(Field::Phone, "090-1234-5678")]);
    // Persons of one record each: what the person agrees on is the record's.
    let ties = |top: &ComparisonVector, half: &ComparisonVector| {
        ties_across(top, half, Identifiers::of(top), Identifiers::of(half))
    };
    assert!(ties(&mailbox, &phone) && ties(&phone, &mailbox), "the mailbox of one, the phone of the other");
    assert!(!ties(&mailbox, &mailbox), "the same mailbox: the clustering compared it");
    assert!(!ties(&both, &phone), "the other gives nothing the first lacks");
    assert!(!ties(&mailbox, &born), "the name and birth date alone tie nothing");
    assert!(!ties(&mailbox, &nameless), "a row without a name is a household's as often as one member's");
    let twin = against(&[(Field::NameKana, "マスダ カネコ"), (Field::Phone, "090-1234-5678")]);
    assert_eq!(twin.name(), NameLevel::Similar);
    assert!(!ties(&mailbox, &twin), "a name a kana away may be a twin's");
    // The mailbox's person has another row with the booking's phone: the
    // phone is both persons' (a household's handset), not the other's alone.
    let household = Identifiers::of(&mailbox).or(Identifiers::of(&nameless));
    assert!(!ties_across(&mailbox, &phone, household, Identifiers::of(&phone)), "the phone of both");
}
