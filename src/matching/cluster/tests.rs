//! Unit tests of the clustering: joins, the chaining guard and its votes,
//! and records that fit two persons.

use super::*;
use crate::input::Field;
use crate::matching::compare::compare;
use crate::normalize::date::parse_iso;
use crate::normalize::store::RecordStore;
use crate::normalize::{normalize_fields, NormalizedRecord};

/// A named record (a record without a name is ambiguous between any
/// two persons it fits: see the test of that rule).
fn record(passport: &str, birth: &str) -> NormalizedRecord {
    let name_kanji = normalize_fields(&[(Field::NameKanji, "山田 太郎")]).name_kanji;
    NormalizedRecord {
        name_kanji,
        passport_number: passport.into(),
        birth_date: parse_iso(birth),
        ..Default::default()
    }
}

fn pair(a: RecordIdx, b: RecordIdx, weight: f64) -> ((RecordIdx, RecordIdx), PairWeight) {
    ((a, b), PairWeight::of(weight, &ComparisonVector::default(), Line::Other, 0.0))
}

fn cluster(
    records: &RecordStore,
    scored: &[((RecordIdx, RecordIdx), PairWeight)],
    threshold: f64,
    apart: f64,
) -> Clusters {
    let (pairs, weights): (Vec<_>, Vec<_>) = scored.iter().copied().unzip();
    super::cluster(records, pairs, weights, threshold, apart)
}

#[test]
fn pairs_above_the_threshold_join_transitively() {
    let records: RecordStore =
        [record("", "1980-01-02"), record("", "1980-01-02"), record("", "1980-01-02")].into_iter().collect();
    let clusters = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, 5.0), pair(0, 2, -3.0)], 4.0, 0.0);
    assert_eq!(clusters.persons.len(), 2, "0 and 2 were scored apart");
    assert_eq!(clusters.stats.split_scored_apart, 1);
    let clusters = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, 5.0), pair(0, 2, 3.0)], 4.0, 0.0);
    assert_eq!(clusters.persons.len(), 1, "a weak pair below the threshold does not keep them apart");
    assert_eq!(clusters.stats.joins, 2);
    let apart = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, -5.0)], 0.0, 0.0);
    assert_eq!(apart.persons.len(), 2);
}

#[test]
fn a_low_score_of_two_rows_that_agree_wherever_compared_does_not_keep_them_apart() {
    // 1 gives the name in kanji, 2 in kana, both the birth date: they
    // agree on all they both give, yet score low (a reading is weak
    // evidence, and little was compared). 0 gives both scripts and
    // joins each: nothing says 1 and 2 are two persons.
    let row = |fields: &[(Field, &str)]| normalize_fields(fields);
    let (kanji, kana, birth) =
        ((Field::NameKanji, "田中 勇気"), (Field::NameKana, "タナカ ユウキ"), (Field::BirthDate, "2001-08-24"));
    let full = row(&[kanji, kana, birth]);
    let kana_row = |email: &str| row(&[kana, birth, (Field::Email, email)]);
    let scored = |records: &RecordStore| {
        let weight = |a: RecordIdx, b: RecordIdx, weight: f64| {
            let vector = compare(&records.get(a as usize), &records.get(b as usize));
            ((a, b), PairWeight::of(weight, &vector, Line::Other, 0.0))
        };
        cluster(records, &[weight(0, 1, 20.0), weight(0, 2, 9.0), weight(1, 2, -3.0)], 7.0, 2.0)
    };
    let records: RecordStore = [full.clone(), row(&[kanji, birth]), kana_row("")].into_iter().collect();
    let clusters = scored(&records);
    assert_eq!(clusters.persons.len(), 1);
    assert_eq!(clusters.stats.split_scored_apart, 0);
    // With an email on each that differs, the low score is evidence
    // against: 1 and 2 stay apart, the weaker join is refused.
    let records: RecordStore =
        [full, row(&[kanji, birth, (Field::Email, "yuki@example.jp")]), kana_row("other@example.jp")]
            .into_iter()
            .collect();
    let clusters = scored(&records);
    assert_eq!(clusters.persons.len(), 2);
    assert_eq!(clusters.stats.split_scored_apart, 1);
}

/// A row of `name` (none when empty) with `email` and a birth date.
fn row(name: &str, email: &str) -> NormalizedRecord {
    let mut fields = vec![(Field::Email, email), (Field::BirthDate, "1980-01-02")];
    if !name.is_empty() {
        fields.push((Field::NameKanji, name));
    }
    normalize_fields(&fields)
}

#[test]
fn one_pair_scored_apart_is_outvoted_by_more_pairs_of_one_person_across() {
    // 0, 1 and 2, 3 are two pieces of one person (one name, one
    // mailbox); 0 and 3 were scored apart (say, one row's name
    // mistyped). The pieces join when more pairs across them join, as
    // one person's pairs, than were scored apart.
    let records: RecordStore = (0..4).map(|_| row("山田 太郎", "taro@example.jp")).collect();
    let across = |joining: &[(RecordIdx, RecordIdx)]| {
        let mut scored = vec![pair(0, 1, 30.0), pair(2, 3, 30.0), pair(0, 3, -5.0)];
        scored.extend(joining.iter().map(|&(a, b)| pair(a, b, 20.0)));
        let clusters = cluster(&records, &scored, 7.0, 3.5);
        (clusters.persons.len(), clusters.stats.split_scored_apart, clusters.stats.joined_over_apart)
    };
    assert_eq!(across(&[(1, 2)]), (2, 1, 0), "one against one: refused");
    assert_eq!(across(&[(1, 2), (0, 2)]), (1, 0, 1), "two against one: joined");
    assert_eq!(across(&[(1, 2), (0, 2), (1, 3)]), (1, 0, 1));
}

#[test]
fn only_a_pair_of_one_persons_name_and_contact_votes() {
    // 0 and 3 share a name and a birth date under other mailboxes
    // (namesakes), scored apart; 1 and 2 join 0 and fit 3 as well.
    let persons = |middle: NormalizedRecord| {
        let records: RecordStore =
            [row("山田 太郎", "a@example.jp"), middle.clone(), middle, row("山田 太郎", "b@example.jp")]
                .into_iter()
                .collect();
        let scored = [pair(0, 1, 30.0), pair(0, 2, 29.0), pair(1, 3, 12.0), pair(2, 3, 11.0), pair(0, 3, -20.0)];
        let clusters = cluster(&records, &scored, 7.0, 3.5);
        (clusters.persons.len(), clusters.stats.split_ambiguous)
    };
    let mut name_and_birth = row("山田 太郎", "");
    assert_eq!(persons(name_and_birth.clone()), (2, 0), "a namesake's rows look the same");
    name_and_birth.email = row("", "b@example.jp").email;
    assert_eq!(persons(name_and_birth), (1, 0), "the name beside 3's mailbox: 3's rows");
    assert_eq!(persons(row("", "b@example.jp")), (2, 0), "a mailbox without a name: a household's");
}

#[test]
fn a_chain_through_two_passports_is_split_at_its_weakest_link() {
    // 1 is a sparse row that looks like both 0 and 2, which hold
    // different passports: the weaker of its two joins is refused.
    let records: RecordStore =
        [record("TK1111111", "1980-01-02"), record("", "1980-01-02"), record("TK2222222", "")].into_iter().collect();
    let clusters = cluster(&records, &[pair(0, 1, 12.0), pair(1, 2, 8.0)], 0.0, 0.0);
    assert_eq!(clusters.persons.len(), 2);
    assert_eq!(clusters.persons.members(0), &[0, 1]);
    assert_eq!(clusters.stats.split_passport, 1);
}

#[test]
fn a_record_that_fits_two_persons_joins_neither_and_one_without_a_name_whatever_the_margin() {
    let named = |name: &str| normalize_fields(&[(Field::NameKanji, name), (Field::Phone, "0312345678")]);
    let nameless = normalize_fields(&[(Field::Phone, "0312345678"), (Field::Address, "東京都千代田区丸の内1-2-3")]);
    // 1 fits 0 and 2, who were scored apart (a household's two members).
    let persons = |middle: NormalizedRecord, second_weight: f64| {
        let mut first = named("山田 太郎");
        first.birth_date = parse_iso("1980-01-02");
        let records: RecordStore = [first, middle, named("山田 花子")].into_iter().collect();
        let clusters = cluster(&records, &[pair(0, 1, 12.0), pair(1, 2, second_weight), pair(0, 2, -20.0)], 7.0, 3.5);
        (clusters.persons.len(), clusters.stats.split_ambiguous)
    };
    assert_eq!(persons(named("山田 太郎"), 11.5), (3, 1), "within the tie margin: neither");
    assert_eq!(persons(named("山田 太郎"), 8.0), (2, 0), "a named row joins its clearly better fit");
    // Without a name the weights differ only by what the members' rows
    // happen to give: neither, whatever the margin.
    assert_eq!(persons(nameless.clone(), 8.0), (3, 1));
    assert_eq!(persons(nameless.clone(), 11.5), (3, 1));
    // Unless it agrees with the best on the birth date, which one
    // person has: then the margin decides, as for a named row.
    let mut born = nameless;
    born.birth_date = parse_iso("1980-01-02");
    assert_eq!(persons(born.clone(), 8.0), (2, 0));
    assert_eq!(persons(born, 11.5), (3, 1));
}

#[test]
fn incompatible_birth_dates_are_not_chained_but_a_typo_is() {
    let records: RecordStore =
        [record("", "1980-01-02"), record("", ""), record("", "1975-06-30"), record("", "1980-01-03")]
            .into_iter()
            .collect();
    let clusters = cluster(&records, &[pair(0, 1, 9.0), pair(1, 2, 7.0), pair(0, 3, 6.0)], 0.0, 0.0);
    assert_eq!(clusters.stats.split_birth_date, 1);
    assert_eq!(clusters.persons.members(0), &[0, 1, 3]);
}

#[test]
fn a_row_without_a_name_votes_by_the_email_and_the_phone_together() {
    // 0 is the person's row with an older mailbox, 1 and 3 with the new
    // one; 2 gives only the new mailbox (and the phone) and was scored
    // apart from 0. Its two pairs of mailbox and line outvote that pair;
    // the mailbox alone does not vote (a family's can be shared).
    let contact = |name: &str, email: &str, phone: &str| {
        let mut fields = vec![(Field::Email, email)];
        if !phone.is_empty() {
            fields.push((Field::Phone, phone));
        }
        if !name.is_empty() {
            fields.push((Field::NameKanji, name));
        }
        normalize_fields(&fields)
    };
    let persons = |phone: &str| {
        let records: RecordStore = [
            contact("山田 太郎", "old@example.jp", "09012345678"),
            contact("山田 太郎", "new@example.jp", "09012345678"),
            contact("", "new@example.jp", phone),
            contact("山田 太郎", "new@example.jp", "09012345678"),
        ]
        .into_iter()
        .collect();
        let scored = [pair(0, 1, 30.0), pair(1, 3, 30.0), pair(1, 2, 20.0), pair(2, 3, 20.0), pair(0, 2, -5.0)];
        let clusters = cluster(&records, &scored, 7.0, 3.5);
        (clusters.persons.len(), clusters.stats.joined_over_apart)
    };
    assert_eq!(persons("09012345678"), (1, 1));
    assert_eq!(persons(""), (2, 0));
}

#[test]
fn a_row_without_a_name_giving_a_persons_mailbox_and_line_is_not_kept_out_by_its_older_mailbox() {
    // 0 and 1 are one person, its old and its new mailbox with one phone;
    // 2 gives only the new mailbox and a phone, and was scored apart from
    // 0 (another mailbox). One vote against one was a tie, and 2 stayed
    // alone; but the person already holds both mailboxes, and 2 gives the
    // one of 1 with 1's line: the pair scored apart does not count.
    let contact = |name: &str, email: &str, phone: &str| {
        let fields = [(Field::NameKanji, name), (Field::Email, email), (Field::Phone, phone)];
        normalize_fields(&fields.into_iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>())
    };
    let persons = |nameless_phone: &str| {
        let records: RecordStore = [
            contact("山田 太郎", "old@example.jp", "09012345678"),
            contact("山田 太郎", "new@example.jp", "09012345678"),
            contact("", "new@example.jp", nameless_phone),
        ]
        .into_iter()
        .collect();
        let clusters = cluster(&records, &[pair(0, 1, 30.0), pair(1, 2, 20.0), pair(0, 2, -5.0)], 7.0, 3.5);
        (clusters.persons.len(), clusters.stats.split_scored_apart)
    };
    assert_eq!(persons("09012345678"), (1, 0));
    // Another phone beside the mailbox: no vouching, the tie keeps it out.
    assert_eq!(persons("08099998888"), (2, 1));
}

#[test]
fn a_housemates_row_without_a_name_does_not_take_a_named_row_from_its_own() {
    // 0: a name and the family's phone and home; 1: the same name, the
    // phone, the home and a mailbox; 2: no name, the phone, the home and
    // another mailbox (a housemate), scored apart from 1. The pair of 0 and
    // 2 weighs more (each household field counts on its own without a
    // name), but 0's name is 1's.
    let home = |name: &str, email: &str| {
        let mut fields = vec![
            (Field::Phone, "0166-22-1234"),
            (Field::PostalCode, "070-0053"),
            (Field::Address, "北海道旭川市3条西3-8-13"),
        ];
        fields.extend([(Field::NameKanji, name), (Field::Email, email)].into_iter().filter(|(_, v)| !v.is_empty()));
        normalize_fields(&fields)
    };
    let persons = |nameless_email: &str| {
        let records: RecordStore =
            [home("村上 洋平", ""), home("村上 洋平", "yohei@example.jp"), home("", nameless_email)]
                .into_iter()
                .collect();
        let scored = [pair(0, 2, 25.0), pair(0, 1, 20.0), pair(1, 2, -5.0)];
        let clusters = cluster(&records, &scored, 7.0, 3.5);
        let joined = |a, b| clusters.persons.person_of(a) == clusters.persons.person_of(b);
        (joined(0, 1), joined(0, 2), clusters.stats.nameless_outranked)
    };
    assert_eq!(persons("ryo@example.jp"), (true, false, 1));
    // Without another mailbox, what kept 1 and 2 apart is not what tells a
    // household's members apart (1 may be the customer after a move): the
    // weights decide, as before.
    assert_eq!(persons(""), (false, true, 0));
    // Sharing the named row's mailbox, the row is left to the votes: it
    // may be the customer's own.
    let records: RecordStore =
        [home("村上 洋平", "yohei@example.jp"), home("村上 洋平", "yohei@example.jp"), home("", "yohei@example.jp")]
            .into_iter()
            .collect();
    let clusters = cluster(&records, &[pair(0, 2, 25.0), pair(0, 1, 20.0), pair(1, 2, -5.0)], 7.0, 3.5);
    assert_eq!(clusters.stats.nameless_outranked, 0);
}
