//! Scoring a pair of records: comparison vector → match weight (SPEC
//! section 5).
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
//!    surname, another given name) from a typo. When the whole name is only
//!    similar, the whole and the agreeing parts both count, though they are
//!    partly one agreement: counting the stronger view alone was measured
//!    and not kept. It took 10 bits from every name with a typo, and on
//!    1,000,000 generated persons sent 654 truly affected records to review
//!    (a typo plus an exact email: 12.7 → 4.1 bits) against 135 false ones
//!    removed (grid: precision +0.0001, recall −0.0002).
//! 2. Email, phone, postal code and address are shared by a household.
//!    When two or three of email, phone and address are compared, their
//!    agreements are scored together, as one `contact` comparison whose
//!    levels are the agreement patterns (`levels.rs`), fitted like any
//!    comparison: how much two or three agreeing contacts say together, for
//!    one person and for two, is learned from the data (Splink's way with
//!    correlated fields), not assumed. Disagreements stay each field's own
//!    (the pattern without agreement weighs 0, or they would count twice);
//!    a partial agreement (similar email, same city, same postal code)
//!    counts, the strongest one, only when no contact agrees. With at most
//!    one of them compared, the strongest agreeing field counts. When both
//!    rows name someone and the given names are not the same, the contacts
//!    say at most "same household": the pattern counts no more than its
//!    strongest single field. Without a name on one side, each contact
//!    counts on its own (see [`Scorer::effective_weights`]), unless the
//!    emails disagree: then the phone and the home are the household's,
//!    one piece of evidence. A postal code
//!    and an address that both disagree stay two disagreements, though a
//!    move changes both: counting only the stronger was measured and not
//!    kept (grid mean recall +0.0002, mean precision −0.0005, namesakes
//!    with one birth date joined; the two weights were fitted side by
//!    side, so each carries part of the one fact already).
//! 3. When the whole name disagrees (readings or kanji) and the given name
//!    is not the same, the pair is at best two members of one household
//!    (twins share even the birth date): household fields agreeing add
//!    nothing. A kana typo (ホシテル typed ホカテル) keeps the given name
//!    "similar" and the whole name "similar", so it is not caught here.
//!
//! Tried and not kept: without a name on one side, letting an email that
//! differs cancel an agreeing birth date and place (twins share both). On
//! generated data no such pair was one person (0 of 98 joins at 1,000,000
//! persons), but only because `generate` changed an email by a prefix
//! (`new.`), which compares as similar, never as different; customers who
//! change provider or job get a wholly other address, and a changed email
//! is far more common than a twin at the same address. The rule traded
//! recall on real changes for precision on a generator artifact.
//!
//! Invariant: a score is a pure function of the two records, the model and
//! the term frequencies; it does not depend on the order of the pair.

use super::compare::{
    compare_reading_parts, Comparison, ComparisonVector, ContactLevel, EmailLevel, Level, NameLevel, PartLevel, Parts,
    PhoneLevel,
};
use super::tf::{TermFrequencies, TfKey};
use super::weights::Model;
use crate::normalize::phone::{self, Line};
use crate::normalize::RecordView;

mod rules;
pub use rules::*;

/// Fields a household shares, scored together by the `contact` pattern.
const HOUSEHOLD_FIELDS: [Comparison; 4] =
    [Comparison::Email, Comparison::Phone, Comparison::PostalCode, Comparison::Address];

/// The two fields that describe one place: agreeing on both is one piece of
/// evidence.
const PLACE_FIELDS: [Comparison; 2] = [Comparison::PostalCode, Comparison::Address];

/// Room for the levels of any comparison (the name has the most, eight;
/// a test checks every comparison fits).
const MAX_LEVELS: usize = 10;

/// The score of one pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub vector: ComparisonVector,
    /// The sum of the term-frequency adjustments of the name comparisons.
    pub tf_adjustment: f64,
    /// Total match weight in bits, prior included.
    pub weight: f64,
    /// The kind of the pair's phone number when the two agree on it
    /// ([`Line::Other`] otherwise): what the identity rule asks of it.
    pub phone_line: Line,
}

impl Score {
    /// The contact identity rule on this pair ([`contact_identity`]).
    pub fn identity(&self) -> Option<Identity> {
        contact_identity(&self.vector, self.phone_line)
    }
}

/// The kind of the phone number two records agree on, read from either
/// (agreeing, they hold one number; `phone` gives one's, asked only then);
/// [`Line::Other`] when they do not agree.
pub fn agreed_phone_line<'r>(vector: &ComparisonVector, phone: impl FnOnce() -> &'r str) -> Line {
    if vector.phone() == PhoneLevel::Exact {
        phone::line(phone())
    } else {
        Line::Other
    }
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
    /// the three dependency rules of the module documentation.
    pub fn effective_weights(&self, vector: &ComparisonVector) -> [f64; Comparison::ALL.len()] {
        let mut weights = [0.0; Comparison::ALL.len()];
        for comparison in Comparison::ALL {
            weights[comparison as usize] = self.level_weight(comparison, vector.level(comparison));
        }
        // Rule 1: parts repeat a whole-name agreement, exact or by a
        // reading of the kanji (whose parts `compare` reads as the other
        // row's: counted again, a kanji-only booking and a romaji-only row
        // scored 34 bits of name against 16 for two kana rows, and
        // namesakes born the same day linked against four other contacts).
        if vector.name().is_same_name() {
            weights[Comparison::Surname as usize] = 0.0;
            weights[Comparison::GivenName as usize] = 0.0;
        }
        // Rule 2: the contact pattern carries the agreements; the fields
        // keep their disagreements.
        if vector.name() == NameLevel::Missing {
            Self::without_a_name(vector, &mut weights);
            return weights;
        }
        let contact = vector.contact();
        if matches!(contact, ContactLevel::Missing | ContactLevel::NoneAgree) {
            // No contact agrees, or at most one of email, phone and address
            // was compared: the strongest agreement counts (a partial one,
            // a similar email, the same city or postal code, or the one
            // field compared); a pattern without agreement weighs 0, or the
            // fields' disagreements would count twice.
            weights[Comparison::Contact as usize] = 0.0;
            keep_strongest_positive(&mut weights, &HOUSEHOLD_FIELDS);
        } else {
            // The pattern stands for the agreements of email, phone and
            // address; their disagreements stay the fields' own. The postal
            // code repeats an agreeing address.
            for field in HOUSEHOLD_FIELDS {
                weights[field as usize] = weights[field as usize].min(0.0);
            }
        }
        // Two named rows whose given names are not the same: the shared
        // contacts may be a household's, which is one piece of evidence.
        let name = vector.name();
        let name_tells_apart = !matches!(name, NameLevel::Missing | NameLevel::NoCommonScript);
        let same_name = name.is_same_name() || vector.given_name() == PartLevel::Exact;
        if name_tells_apart && !same_name {
            let singles = contact.single_fields().iter();
            let strongest_single =
                singles.map(|single| self.level_weight(Comparison::Contact, single.index())).reduce(f64::max);
            if let Some(strongest_single) = strongest_single {
                let pattern = &mut weights[Comparison::Contact as usize];
                *pattern = pattern.min(strongest_single);
            }
        }
        // Rule 3: another name and another given name: at most a household
        // member, so household fields agreeing say nothing more.
        let given = vector.given_name();
        let name_conflict = name.is_different() && matches!(given, PartLevel::Similar | PartLevel::Different);
        if name_conflict {
            for comparison in HOUSEHOLD_FIELDS.into_iter().chain([Comparison::Contact]) {
                weights[comparison as usize] = weights[comparison as usize].min(0.0);
            }
        }
        weights
    }

    /// Rule 2 for a pair without a name on one side (see
    /// [`Scorer::effective_weights`]).
    fn without_a_name(vector: &ComparisonVector, weights: &mut [f64; Comparison::ALL.len()]) {
        // No name on one side: the pattern's u, learned where names
        // tell a household's members apart, counts those members as
        // different persons; here nothing could tell them apart, and
        // which member the row is, is decided by whether one person
        // alone holds these contacts (the tie and ambiguity rules of
        // the clustering and linking). Each contact that agrees is
        // further evidence that the row is that person's: email, phone
        // and the place (the stronger of postal code and address) each
        // count.
        weights[Comparison::Contact as usize] = 0.0;
        keep_strongest_positive(weights, &PLACE_FIELDS);
        if vector.email() == EmailLevel::Different {
            // Another mailbox beside the phone and the home: with no
            // name, the mailbox is the one field that tells a
            // household's members apart, and it says "another member"
            // (or a customer who changed provider). The phone and the
            // home are then the household's, one piece of evidence:
            // the stronger counts. Such a pair is left to the rules
            // (`contact_for_review`: a possible link for an analyst),
            // as the identity rule leaves it, not joined by weight.
            // Measured: on the second generator's sparse files the
            // rows so joined before were another member's in 11 of 11
            // (dedup precision 0.9650 -> 0.9703 where most persons are
            // leaked once); the grid's rows never show the shape.
            keep_strongest_positive(weights, &HOUSEHOLD_FIELDS);
        }
    }

    /// The weight of a vector with a known term-frequency adjustment.
    pub fn weight(&self, vector: &ComparisonVector, tf_adjustment: f64) -> f64 {
        self.prior + self.effective_weights(vector).iter().sum::<f64>() + tf_adjustment
    }

    /// Compares and scores a pair.
    pub fn score(&self, a: &RecordView<'_>, b: &RecordView<'_>) -> Score {
        let (vector, parts) = compare_reading_parts(a, b);
        let tf_adjustment = tf_adjustment(&self.tf, a, b, &vector, parts);
        Score {
            vector,
            tf_adjustment,
            weight: self.weight(&vector, tf_adjustment),
            phone_line: agreed_phone_line(&vector, || a.phone),
        }
    }
}

/// Zeroes every positive weight of `fields` but the strongest (ties to the
/// first in vector order).
fn keep_strongest_positive(weights: &mut [f64; Comparison::ALL.len()], fields: &[Comparison]) {
    let strongest = fields
        .iter()
        .copied()
        .filter(|c| weights[*c as usize] > 0.0)
        .max_by(|x, y| weights[*x as usize].total_cmp(&weights[*y as usize]).then(y.cmp(x)));
    for &field in fields {
        if Some(field) != strongest && weights[field as usize] > 0.0 {
            weights[field as usize] = 0.0;
        }
    }
}

fn strict_keys<'a>(r: &RecordView<'a>) -> [&'a str; 2] {
    [r.name_kana.romaji.strict, r.name_romaji.romaji.strict]
}

/// The term-frequency adjustment of a compared pair: for each name
/// comparison at exact agreement, how much rarer or commoner than average
/// the agreeing value is. `parts` are the name parts the comparison read
/// (`compare_reading_parts`).
pub fn tf_adjustment(
    tf: &TermFrequencies,
    a: &RecordView<'_>,
    b: &RecordView<'_>,
    v: &ComparisonVector,
    parts: Option<(Parts<'_>, Parts<'_>)>,
) -> f64 {
    let mut total = 0.0;
    match v.name() {
        NameLevel::KanjiExact => {
            // Two keys when one name is the other read the other way round:
            // the commoner says less, whichever row is `a`.
            let (x, y) = (a.name_kanji.strict, b.name_kanji.strict);
            let adjustment = tf.adjustment(TfKey::Kanji, x);
            total += if x == y { adjustment } else { adjustment.min(tf.adjustment(TfKey::Kanji, y)) };
        }
        NameLevel::StrictExact => {
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
    if !v.name().is_exact() {
        if let Some(((surname, given), _)) = parts {
            if v.surname() == PartLevel::Exact {
                total += tf.adjustment(TfKey::Surname, surname);
            }
            if v.given_name() == PartLevel::Exact {
                total += tf.adjustment(TfKey::GivenName, given);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests;
