//! Fitting the Fellegi–Sunter model on the data itself, following
//! Splink's pipeline:
//!
//! 1. u from seeded random pairs of recovered records (matches are
//!    negligible among them);
//! 2. m of the identity comparisons (name, surname, given name, birth date,
//!    passport) from sure matches: pairs agreeing on the passport number
//!    give every comparison but the passport; pairs agreeing on email,
//!    birth date and name give the passport's;
//! 3. m of the other comparisons (email, phone, postal code, address,
//!    gender) by expectation–maximization on the candidate pairs, u and the
//!    identity m held fixed;
//! 4. u of the contact patterns in which email or phone agree, counted
//!    over the candidate pairs (every pair sharing an email or a phone is
//!    one, through the email and phone blocking keys) as the non-match
//!    share EM gives them, over all pairs; then EM again with that u. A
//!    sample of random pairs cannot see a pattern rarer than one in its
//!    size (10^-6), and two or three contacts shared by two different
//!    persons are rarer than that: sampled, the pattern "email, phone and
//!    address agree" would weigh no more than one agreeing field. For a
//!    single agreeing field the sampled u stays the floor (see
//!    `contact_u_from_candidates`).
//! 5. the bounds of `constraints.rs`: m of a field that changes over the
//!    years (email, phone, postal code, address) has a floor, and a closer
//!    level never weighs less than a farther one;
//! 6. λ, the prior that two random records match, from the sure rule: EM
//!    says what share of all matches the rule catches (its recall), and
//!    λ = sure pairs / recall / all pairs.
//!
//! Why not EM for every m, as Splink does: on candidate pairs from these
//! blocking rules, EM with free m converges to "same household" rather
//! than "same person" (measured on 100,000 generated persons: m(given name
//! different) = 0.63, m(birth date different) = 0.58), which is how a
//! linker ends up merging household members. Pinning the identity m to
//! sure matches keeps EM on the right split.
//!
//! Data too small to train on (fewer than [`MIN_TRAINING_RECORDS`] records,
//! [`MIN_TRAINING_PAIRS`] candidate pairs or [`MIN_DISTINCT_VECTORS`]
//! distinct comparison vectors among them), or a degenerate sample (no
//! sure match, nothing but sure matches, a probability that is not a
//! number), keeps the shipped
//! defaults; counts.json says `"model": "defaults"`.
//!
//! Invariant: the fit is a pure function of the records and candidate
//! pairs: random pairs come from a fixed seed, comparison vectors are
//! collected in pair order and counted as integers, and EM runs over the
//! distinct vectors in sorted order, so the model (and every output) is the
//! same for any thread count.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::compare::{compare, AgreeLevel, BirthLevel, Comparison, ComparisonVector, ContactLevel, EmailLevel, Level};
use super::constraints;
use super::pairs::random_pairs;
use super::score::Scorer;
use super::tf::TermFrequencies;
use super::weights::{
    estimate_u, expectation_maximization, probability, smoothed_shares, EmSettings, Model, PROBABILITY_FLOOR,
};
use crate::normalize::store::RecordStore;

/// Fewest records a model is trained on.
pub const MIN_TRAINING_RECORDS: usize = 1000;
/// Fewest candidate pairs a model is trained on.
pub const MIN_TRAINING_PAIRS: usize = 200;
/// Fewest distinct comparison vectors among the candidate pairs a model is
/// trained on. EM fits some 30 m values of the contact comparisons (email,
/// phone, postal code, address, gender and the contact patterns) from the
/// counts of the distinct vectors; a sample of a few shapes cannot pin
/// them (a file of rows that never vary: on one of 1,500 persons with two
/// alike rows each and a namesake, 3 distinct vectors, EM called the
/// namesakes one person). Real and generated files hold hundreds (the
/// committed generated fixture 192, the robustness grid 450 and more).
pub const MIN_DISTINCT_VECTORS: usize = 50;
/// Random pairs sampled for u.
pub const RANDOM_PAIRS: usize = 1_000_000;
/// The seed of the random pairs (fixed: a run is reproducible).
pub const RANDOM_PAIR_SEED: u64 = 0x1ea4_3a7c_2016_0614;
const EM_MAX_ITERATIONS: usize = 100;
/// Rounds of "contact u from the candidates, then EM": the second round
/// moves λ by less than EM's tolerance on generated data.
const CONTACT_U_ROUNDS: usize = 2;
const EM_TOLERANCE: f64 = 1e-6;

/// What training did, for counts.json.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TrainingReport {
    pub random_pairs: u64,
    pub candidate_pairs: u64,
    pub distinct_vectors: u64,
    pub em_iterations: u64,
    pub sure_pairs: u64,
    /// The share of matches the sure rule catches, as EM estimates it.
    pub sure_rule_recall: f64,
    pub lambda: f64,
    /// Whether `constraints::bound` raised an m the fit left below its
    /// bound (the file's rows never disagreed where people's do).
    pub bounded: bool,
}

/// Comparisons whose m comes from sure matches, not EM.
const IDENTITY: [Comparison; 5] =
    [Comparison::Name, Comparison::Surname, Comparison::GivenName, Comparison::BirthDate, Comparison::Passport];

/// Sets m of the [`IDENTITY`] comparisons to their level shares among sure
/// matches (smoothed by one; left as they are without sure matches).
fn m_from_sure_matches(grouped: &[(ComparisonVector, u64)], model: &mut Model) {
    let same_passport = |v: &ComparisonVector| v.passport() == AgreeLevel::Agree;
    let same_contact_and_name = |v: &ComparisonVector| is_sure(v) && !same_passport(v);
    for comparison in IDENTITY {
        let labelled: &dyn Fn(&ComparisonVector) -> bool =
            if comparison == Comparison::Passport { &same_contact_and_name } else { &same_passport };
        let vectors = grouped.iter().filter(|(v, _)| labelled(v)).map(|(v, n)| (v, *n));
        if let Some(m) = smoothed_shares(comparison, vectors) {
            model.set_m(comparison, m);
        }
    }
}

/// Sets u of the contact patterns in which email or phone agree to the
/// expected number of non-matching candidate pairs with that pattern (plus
/// one, so an unseen pattern stays finite) over `all_pairs`.
fn contact_u_from_candidates(
    grouped: &[(ComparisonVector, u64)],
    posteriors: impl Iterator<Item = f64>,
    all_pairs: f64,
    model: &mut Model,
) {
    let mut non_matches = vec![0.0; Comparison::Contact.levels()];
    for ((vector, n), posterior) in grouped.iter().zip(posteriors) {
        non_matches[vector.contact().index() as usize] += *n as f64 * (1.0 - posterior);
    }
    let mut u = model.levels(Comparison::Contact).u.clone();
    for level in ContactLevel::ALL.iter().filter(|level| level.is_blocked()) {
        let index = level.index() as usize;
        let counted = ((non_matches[index] + 1.0) / all_pairs).clamp(PROBABILITY_FLOOR, 1.0);
        // One agreeing field is within the random sample's reach, and the
        // count depends on EM's own verdicts (a pair it calls a match is
        // not counted): the sampled u stays the floor. With the count
        // alone, on 8,000,000 generated persons email_only weighed 20 bits
        // and "same name and email, another birth date" pairs linked:
        // affected precision 0.980.
        let sampled_floor = if level.single_fields().len() == 1 { u[index] } else { 0.0 };
        u[index] = counted.max(sampled_floor);
    }
    model.set_u(Comparison::Contact, u);
}

/// Whether a candidate pair is a match beyond doubt.
fn is_sure(vector: &ComparisonVector) -> bool {
    vector.passport() == AgreeLevel::Agree
        || (vector.email() == EmailLevel::Exact && vector.birth_date() == BirthLevel::Exact && vector.name().is_exact())
}

/// Whether every probability of the model is a finite number.
fn model_is_finite(model: &Model) -> bool {
    model.lambda.is_finite() && model.probabilities().all(|x| x.is_finite())
}

/// The lowest recall the sure rule is credited with: λ is the sure pairs
/// divided by it, so a fit that puts almost no match mass on sure pairs
/// raises λ at most twentyfold instead of without bound.
const MIN_SURE_RULE_RECALL: f64 = 0.05;

/// The share of the expected matches among the candidates (their match
/// probabilities under the fit, `weights` in `grouped`'s order) that the
/// sure rule finds; 1 when the fit expects none.
fn sure_rule_recall(grouped: &[(ComparisonVector, u64)], weights: Vec<f64>) -> f64 {
    let (mut sure_mass, mut all_mass) = (0.0, 0.0);
    for ((vector, n), weight) in grouped.iter().zip(weights) {
        let mass = *n as f64 * probability(weight);
        all_mass += mass;
        if is_sure(vector) {
            sure_mass += mass;
        }
    }
    if all_mass > 0.0 {
        (sure_mass / all_mass).max(MIN_SURE_RULE_RECALL)
    } else {
        1.0
    }
}

/// Fits a model on `records` given the comparison vectors of the candidate
/// pairs; `None` when there is too little data (use the defaults).
pub fn train(records: &RecordStore, candidates: &[ComparisonVector]) -> Option<(Model, TrainingReport)> {
    if records.len() < MIN_TRAINING_RECORDS || candidates.len() < MIN_TRAINING_PAIRS {
        return None;
    }
    let mut counts: BTreeMap<ComparisonVector, u64> = BTreeMap::new();
    for vector in candidates {
        *counts.entry(*vector).or_insert(0) += 1;
    }
    let grouped: Vec<(ComparisonVector, u64)> = counts.into_iter().collect();
    // Without a single sure match λ and the identity m have nothing to
    // stand on; with nothing but sure matches EM has no non-match to tell
    // them from: a degenerate sample either way, so the shipped defaults
    // are used (known before any fitting).
    let sure_pairs: u64 = grouped.iter().filter(|(v, _)| is_sure(v)).map(|(_, n)| n).sum();
    let all_sure = sure_pairs == candidates.len() as u64;
    if grouped.len() < MIN_DISTINCT_VECTORS || sure_pairs == 0 || all_sure {
        return None;
    }
    let mut model = Model::default_model();
    model.note = "Trained by leakmatch on the recovered file (u from random pairs, m by EM, lambda from a sure rule)."
        .to_string();
    // 1. u.
    let random = random_pairs(records.len(), RANDOM_PAIRS, RANDOM_PAIR_SEED);
    let random_vectors: Vec<ComparisonVector> =
        random.par_iter().map(|&(a, b)| compare(&records.get(a as usize), &records.get(b as usize))).collect();
    estimate_u(&random_vectors, &mut model);
    // 2. Identity m from sure matches.
    m_from_sure_matches(&grouped, &mut model);
    // 3. The rest by EM (λ here is the share of matches among candidates).
    model.lambda = 0.5;
    // The E-step scores as the linker does (dependency rules included):
    // with the plain sum, a household sharing four contact fields looks
    // like one person and EM learns m(email different) ≈ 0.46 (truth 0.11).
    let scored = |m: &Model, pairs: &[(ComparisonVector, u64)]| {
        let scorer = Scorer::new(m, TermFrequencies::default());
        pairs.iter().map(|(v, _)| scorer.weight(v, 0.0)).collect::<Vec<f64>>()
    };
    let settings = EmSettings {
        frozen: &IDENTITY,
        max_iterations: EM_MAX_ITERATIONS,
        tolerance: EM_TOLERANCE,
        match_weights: &scored,
    };
    let mut iterations = expectation_maximization(&grouped, &mut model, &settings);
    let all_pairs = records.len() as f64 * (records.len() as f64 - 1.0) / 2.0;
    // 4. Contact u from the candidates, and EM again.
    for _ in 0..CONTACT_U_ROUNDS {
        let posteriors = scored(&model, &grouped).into_iter().map(probability);
        contact_u_from_candidates(&grouped, posteriors, all_pairs, &mut model);
        iterations += expectation_maximization(&grouped, &mut model, &settings);
    }
    // 5. What the file cannot teach (`constraints`): changeable fields
    // disagree for some of one person's rows; closer levels never weigh less.
    let bounded = constraints::bound(&mut model);
    if !model_is_finite(&model) {
        return None;
    }
    // 6. λ over all pairs, from the sure rule and its recall under the fit.
    let recall = sure_rule_recall(&grouped, scored(&model, &grouped));
    let lambda = (sure_pairs.max(1) as f64 / recall / all_pairs).clamp(PROBABILITY_FLOOR, 0.5);
    model.lambda = lambda;
    let report = TrainingReport {
        random_pairs: random.len() as u64,
        candidate_pairs: candidates.len() as u64,
        distinct_vectors: grouped.len() as u64,
        em_iterations: iterations as u64,
        sure_pairs,
        sure_rule_recall: recall,
        lambda,
        bounded,
    };
    Some((model, report))
}
