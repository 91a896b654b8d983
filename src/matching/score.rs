//! Scoring a pair of records: comparison vector → match weight (issue
//! "Probabilistic linkage"; SPEC section 5).
//!
//! weight = prior + Σ level weight + term-frequency adjustment, in bits
//! (log2 of the Bayes factor); `probability(weight)` turns it into the
//! posterior probability of a match.
//!
//! The level weights are copied out of the [`Model`] into a flat table
//! once, so scoring a pair costs one comparison and a few additions.
//!
//! Fellegi–Sunter assumes comparisons independent given match status.
//! Three dependencies are too strong to ignore on Japanese customer data,
//! and the scorer removes them (measured on generated data: without them
//! household members and twins score as the same person):
//!
//! 1. The surname and given-name comparisons repeat the whole-name one: they
//!    count only when the whole name does not agree exactly (kanji, strict
//!    or loose key), i.e. exactly when they tell a household member (same
//!    surname, another given name) from a typo.
//! 2. Email, phone, postal code and address are shared by a household:
//!    agreement on several of them is one piece of evidence, so only the
//!    strongest agreeing one counts; disagreements all count.
//! 3. When the whole name disagrees (readings or kanji) and the given name
//!    is not the same, the pair is at best two members of one household
//!    (twins share even the birth date): household fields agreeing add
//!    nothing. A kana typo (ホシテル typed ホカテル) keeps the given name
//!    "similar" and the whole name "similar", so it is not caught here.
//!
//! Invariant: a score is a pure function of the two records, the model and
//! the term frequencies; it does not depend on the order of the pair.

use super::compare::{compare, part_pairs, Comparison, ComparisonVector};
use super::tf::{TermFrequencies, TfKey};
use super::weights::Model;
use crate::normalize::NormalizedRecord;

/// Fields a household shares: agreeing on several of them says "same
/// household" once, not once per field.
const HOUSEHOLD_FIELDS: [Comparison; 4] =
    [Comparison::Email, Comparison::Phone, Comparison::PostalCode, Comparison::Address];

/// The `different` level of the whole name (`kanji_different` is 5),
/// `similar` and `different` of the given name.
const NAME_DIFFERENT: u8 = 4;
const GIVEN_SIMILAR: u8 = 1;
const GIVEN_DIFFERENT: u8 = 2;

/// Most levels any comparison has.
const MAX_LEVELS: usize = 8;

/// The score of one pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub vector: ComparisonVector,
    /// The sum of the term-frequency adjustments of the name comparisons.
    pub tf_adjustment: f64,
    /// Total match weight in bits, prior included.
    pub weight: f64,
}

/// Scores pairs under one model.
#[derive(Debug)]
pub struct Scorer {
    prior: f64,
    level_weights: [[f64; MAX_LEVELS]; Comparison::ALL.len()],
    tf: TermFrequencies,
}

impl Scorer {
    pub fn new(model: &Model, tf: TermFrequencies) -> Scorer {
        let mut level_weights = [[0.0; MAX_LEVELS]; Comparison::ALL.len()];
        for comparison in Comparison::ALL {
            let row = &mut level_weights[comparison as usize];
            for (level, weight) in row.iter_mut().enumerate().take(comparison.levels()) {
                *weight = model.level_weight(comparison, level as u8);
            }
        }
        Scorer { prior: model.prior_weight(), level_weights, tf }
    }

    /// log2 of the prior odds.
    pub fn prior(&self) -> f64 {
        self.prior
    }

    /// The model's weight of one level (before the dependency rules).
    pub fn level_weight(&self, comparison: Comparison, level: u8) -> f64 {
        self.level_weights[comparison as usize][level as usize]
    }

    /// The weight each comparison contributes to the vector's score, after
    /// the two dependency rules of the module documentation.
    pub fn effective_weights(&self, vector: &ComparisonVector) -> [f64; Comparison::ALL.len()] {
        let mut weights = [0.0; Comparison::ALL.len()];
        for comparison in Comparison::ALL {
            weights[comparison as usize] = self.level_weight(comparison, vector.level(comparison));
        }
        // Rule 1: parts repeat an exact whole-name agreement.
        if vector.level(Comparison::Name) <= 2 {
            weights[Comparison::Surname as usize] = 0.0;
            weights[Comparison::GivenName as usize] = 0.0;
        }
        // Rule 3: another name and another given name: at most a household
        // member, so household fields agreeing say nothing more.
        let given = vector.level(Comparison::GivenName);
        let name_conflict =
            vector.level(Comparison::Name) >= NAME_DIFFERENT && (given == GIVEN_SIMILAR || given == GIVEN_DIFFERENT);
        if name_conflict {
            for comparison in HOUSEHOLD_FIELDS {
                weights[comparison as usize] = weights[comparison as usize].min(0.0);
            }
        }
        // Rule 2: household fields agreeing are one piece of evidence.
        let strongest = HOUSEHOLD_FIELDS
            .iter()
            .copied()
            .filter(|c| weights[*c as usize] > 0.0)
            .max_by(|x, y| weights[*x as usize].total_cmp(&weights[*y as usize]).then(y.cmp(x)));
        for comparison in HOUSEHOLD_FIELDS {
            if Some(comparison) != strongest && weights[comparison as usize] > 0.0 {
                weights[comparison as usize] = 0.0;
            }
        }
        weights
    }

    /// The weight of a vector with a known term-frequency adjustment.
    pub fn weight(&self, vector: &ComparisonVector, tf_adjustment: f64) -> f64 {
        self.prior + self.effective_weights(vector).iter().sum::<f64>() + tf_adjustment
    }

    /// Compares and scores a pair.
    pub fn score(&self, a: &NormalizedRecord, b: &NormalizedRecord) -> Score {
        let vector = compare(a, b);
        let tf_adjustment = tf_adjustment(&self.tf, a, b, &vector);
        Score { vector, tf_adjustment, weight: self.weight(&vector, tf_adjustment) }
    }
}

fn strict_keys(r: &NormalizedRecord) -> [&str; 2] {
    [r.name_kana.romaji.strict.as_str(), r.name_romaji.romaji.strict.as_str()]
}

/// The term-frequency adjustment of a compared pair: for each name
/// comparison at exact agreement, how much rarer or commoner than average
/// the agreeing value is.
pub fn tf_adjustment(tf: &TermFrequencies, a: &NormalizedRecord, b: &NormalizedRecord, v: &ComparisonVector) -> f64 {
    let mut total = 0.0;
    match v.level(Comparison::Name) {
        0 => total += tf.adjustment(TfKey::Kanji, &a.name_kanji.strict),
        1 => {
            // The strict romaji key both records share.
            let theirs = strict_keys(b);
            if let Some(shared) = strict_keys(a).into_iter().find(|k| !k.is_empty() && theirs.contains(k)) {
                total += tf.adjustment(TfKey::Romaji, shared);
            }
        }
        _ => {}
    }
    // As for the parts' weights (dependency rule 1); the parts as the
    // comparison read them (an ambiguous or unsplit name oriented against
    // the other row), equal on both sides when exact, so the adjustment
    // does not depend on the order of the pair.
    if v.level(Comparison::Name) > 2 {
        if let Some(((surname, given), _)) = part_pairs(a, b) {
            if v.level(Comparison::Surname) == 0 {
                total += tf.adjustment(TfKey::Surname, surname);
            }
            if v.level(Comparison::GivenName) == 0 {
                total += tf.adjustment(TfKey::GivenName, given);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Field;
    use crate::normalize::normalize_fields as record;

    #[test]
    fn a_score_does_not_depend_on_the_order_of_the_pair() {
        // Kana with a known split against romaji in either order, with a
        // kana typo so the parts (and their term frequencies) count.
        let kana = record(&[(Field::NameKana, "ヤマダ タロミ"), (Field::BirthDate, "1980-01-02")]);
        let romaji = record(&[(Field::NameRomaji, "Taro Yamada"), (Field::BirthDate, "1980-01-02")]);
        let mut records = vec![kana.clone(), romaji.clone()];
        // A common surname makes ヤマダ rare: its agreement counts more.
        records.extend((0..5).map(|_| record(&[(Field::NameKana, "スズキ イチロウ")])));
        let scorer = Scorer::new(&Model::default_model(), TermFrequencies::build(&records));
        let (forward, backward) = (scorer.score(&kana, &romaji), scorer.score(&romaji, &kana));
        assert_eq!(forward.vector.level(Comparison::Surname), 0);
        assert_ne!(forward.tf_adjustment, 0.0, "the agreeing surname is weighted by its frequency");
        assert_eq!(forward, backward);
    }
}
