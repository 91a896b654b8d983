//! Properties of comparing and scoring two records: the evidence of a pair
//! does not depend on which record comes first (dedup pairs are ordered by
//! record number, a booking is compared with a record, and neither order
//! may change a weight).

use proptest::prelude::*;

use super::compare::compare;
use super::levels::{Comparison, Level};
use super::score::Scorer;
use super::tf::TermFrequencies;
use super::weights::Model;
use crate::input::Field;
use crate::normalize::{normalize_fields, NormalizedRecord, CUSTOMER_FIELDS};

/// Values of one field that agree, nearly agree, differ, or are missing
/// between rows of one person, a relative and a stranger.
fn field_values(field: Field) -> Vec<&'static str> {
    match field {
        // Names whose order the reading tables cannot tell (東, モリ are
        // surnames and given names in use), in both orders and with a typo.
        Field::NameKanji => {
            vec![
                "",
                "山田 太郎",
                "山田太郎",
                "山田 花子",
                "髙橋 健",
                "太郎 山田",
                "山田",
                "秀松 東",
                "東 秀松",
                "東秀松",
            ]
        }
        Field::NameKana => vec![
            "",
            "ヤマダ タロウ",
            "やまだ たろう",
            "ヤマダ ハナコ",
            "タカハシ ケン",
            "ヤマダ",
            "トミコ モリ",
            "モリ トミコ",
            "モリ サミコ",
            "モリトミコ",
            "トミカ モロ",
        ],
        Field::NameRomaji => vec!["", "TARO YAMADA", "YAMADA/TARO", "Hanako Yamada", "KEN TAKAHASHI", "MORI/TOMIKO"],
        Field::Gender => vec!["", "M", "F"],
        Field::BirthDate => vec!["", "1980-01-02", "1980-02-01", "1981-01-02", "S55.1.2"],
        Field::Email => vec!["", "taro@example.com", "TARO@example.com", "hanako@example.com", "taro@example.org"],
        Field::Phone => vec!["", "090-1234-5678", "09012345678", "03-1234-5678", "090-1234-5679"],
        Field::PostalCode => vec!["", "168-0081", "1680081", "530-0001"],
        Field::Address => {
            vec![
                "",
                "東京都杉並区宮前1-2-3",
                "杉並区宮前一丁目2番3号",
                "東京都杉並区宮前1-2-4",
                "大阪府大阪市北区梅田1-1-1",
            ]
        }
        Field::PassportNumber => vec!["", "TK1234567", "TK7654321"],
        _ => vec![""],
    }
}

/// A record whose every field is drawn from [`field_values`].
fn record() -> impl Strategy<Value = NormalizedRecord> {
    let choices: Vec<_> = CUSTOMER_FIELDS.iter().map(|&field| proptest::sample::select(field_values(field))).collect();
    choices.prop_map(|values| {
        let fields: Vec<(Field, &str)> = CUSTOMER_FIELDS.iter().copied().zip(values).collect();
        normalize_fields(&fields)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Comparing b with a gives the levels of comparing a with b, and
    /// scoring them the same weight.
    #[test]
    fn a_pair_scores_the_same_in_either_order(a in record(), b in record()) {
        let (a, b) = (a.view(), b.view());
        prop_assert_eq!(compare(&a, &b), compare(&b, &a));
        let scorer = Scorer::new(&Model::default_model(), TermFrequencies::default());
        let (forward, backward) = (scorer.score(&a, &b), scorer.score(&b, &a));
        prop_assert_eq!(forward.weight, backward.weight);
    }

    /// A record compared with itself agrees at the strongest level on every
    /// field it holds, and carries no evidence on the others (the name at
    /// an exact level, and the combined contact pattern aside: its strongest
    /// level needs all three fields).
    #[test]
    fn a_record_agrees_with_itself_on_every_field_it_holds(a in record()) {
        let a = a.view();
        let vector = compare(&a, &a);
        // The name's strongest level needs a kanji name: any exact level is
        // the most a record without one can give.
        prop_assert!(vector.name().is_exact() || vector.name().is_no_evidence(), "name at {}", vector.name().name());
        for comparison in Comparison::ALL.into_iter().filter(|&c| !matches!(c, Comparison::Contact | Comparison::Name)) {
            let level = vector.level(comparison);
            prop_assert!(
                level == 0 || comparison.is_no_evidence(level),
                "{} at {}", comparison.name(), comparison.level_names()[level as usize]
            );
        }
    }
}
