//! Fellegi–Sunter match weights and their estimation (SPEC section 5).
//!
//! A [`Model`] holds, per comparison level, m = P(level | same person) and
//! u = P(level | different persons), and the prior λ of a candidate pair
//! being a match. A pair's match weight is log2(λ / (1 − λ)) plus
//! log2(m / u) over its comparisons; a level without evidence (`missing`,
//! `no_common_script`) adds 0. The model file names every level
//! (`{"name": {"kanji_exact": {"m": …, "u": …}, …}, …}`), so a level added
//! later shifts nothing in an older file.
//! [`expectation_maximization`] fits m and λ on candidate pairs with u held
//! fixed (u comes from random pairs, where matches are negligible).
//!
//! Invariant: probabilities stay inside (0, 1) ([`PROBABILITY_FLOOR`]), so
//! every weight is finite.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::compare::{Comparison, ComparisonVector};

/// The smallest probability a level can have: a level never seen in
/// training must not make a weight infinite.
pub const PROBABILITY_FLOOR: f64 = 1e-9;

/// m and u of one comparison's levels, by level index. Levels without
/// evidence (missing, no_common_script) hold 1.0 and are never used: their
/// weight is 0.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelProbabilities {
    pub m: Vec<f64>,
    pub u: Vec<f64>,
}

/// Fellegi–Sunter parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub note: String,
    pub lambda: f64,
    /// Indexed by [`Comparison`].
    comparisons: Vec<LevelProbabilities>,
}

/// The model file: m and u by comparison name and level name.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
    lambda: f64,
    comparisons: BTreeMap<String, BTreeMap<String, LevelFile>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelFile {
    m: f64,
    u: f64,
}

impl Model {
    /// The shipped defaults (`default_model.json`).
    pub fn default_model() -> Model {
        Model::parse(include_str!("default_model.json"), None).expect("the shipped model is valid")
    }

    /// Reads and checks a model file: every comparison present, m and u in
    /// (0, 1] for its levels by name. A level the file does not name (a
    /// level added after the file was written) takes the shipped default;
    /// a level name the comparison does not have is an error.
    pub fn from_json(text: &str) -> Result<Model> {
        Model::parse(text, Some(&Model::default_model()))
    }

    fn parse(text: &str, defaults: Option<&Model>) -> Result<Model> {
        let file: ModelFile = serde_json::from_str(text).context("not a model file")?;
        if !(0.0 < file.lambda && file.lambda < 1.0) {
            bail!("model: lambda must be between 0 and 1");
        }
        let mut comparisons = Vec::with_capacity(Comparison::ALL.len());
        for comparison in Comparison::ALL {
            // A comparison added after the file was written takes the
            // shipped defaults, like a level added later.
            let empty = BTreeMap::new();
            let levels = match (file.comparisons.get(comparison.name()), defaults) {
                (Some(levels), _) => levels,
                (None, Some(_)) => &empty,
                (None, None) => bail!("model: no {}", comparison.name()),
            };
            if let Some(unknown) = levels.keys().find(|name| comparison.level_index(name).is_none()) {
                bail!("model: {} has no level named {unknown}", comparison.name());
            }
            let mut probabilities =
                LevelProbabilities { m: vec![1.0; comparison.levels()], u: vec![1.0; comparison.levels()] };
            for (index, name) in comparison.level_names().iter().enumerate() {
                if comparison.is_no_evidence(index as u8) {
                    continue;
                }
                let (m, u) = match (levels.get(*name), defaults) {
                    (Some(level), _) => (level.m, level.u),
                    (None, Some(defaults)) => {
                        let d = &defaults.comparisons[comparison as usize];
                        (d.m[index], d.u[index])
                    }
                    (None, None) => bail!("model: {} has no level {name}", comparison.name()),
                };
                if !(m > 0.0 && m <= 1.0 && u > 0.0 && u <= 1.0) {
                    bail!("model: {} {name} has a probability outside (0, 1]", comparison.name());
                }
                probabilities.m[index] = m;
                probabilities.u[index] = u;
            }
            comparisons.push(probabilities);
        }
        Ok(Model { note: file.note, lambda: file.lambda, comparisons })
    }

    /// The model file's text (JSON), levels by name.
    pub fn to_json(&self) -> Result<String> {
        let mut comparisons = BTreeMap::new();
        for comparison in Comparison::ALL {
            let p = &self.comparisons[comparison as usize];
            let levels: BTreeMap<String, LevelFile> = comparison
                .level_names()
                .iter()
                .enumerate()
                .filter(|(i, _)| !comparison.is_no_evidence(*i as u8))
                .map(|(i, name)| (name.to_string(), LevelFile { m: p.m[i], u: p.u[i] }))
                .collect();
            comparisons.insert(comparison.name().to_string(), levels);
        }
        let file = ModelFile { note: self.note.clone(), lambda: self.lambda, comparisons };
        serde_json::to_string_pretty(&file).context("cannot encode the model")
    }

    /// m and u of one comparison, by level index.
    pub fn levels(&self, comparison: Comparison) -> &LevelProbabilities {
        &self.comparisons[comparison as usize]
    }

    /// m of the level named `level` (None for an unknown name).
    pub fn m_of(&self, comparison: Comparison, level: &str) -> Option<f64> {
        comparison.level_index(level).map(|i| self.levels(comparison).m[i as usize])
    }

    /// Replaces m of one comparison (by level index).
    pub fn set_m(&mut self, comparison: Comparison, m: Vec<f64>) {
        self.comparisons[comparison as usize].m = m;
    }

    /// Replaces u of one comparison (by level index).
    pub fn set_u(&mut self, comparison: Comparison, u: Vec<f64>) {
        self.comparisons[comparison as usize].u = u;
    }

    /// Every m and u of the evidence levels.
    pub fn probabilities(&self) -> impl Iterator<Item = f64> + '_ {
        Comparison::ALL.into_iter().flat_map(move |c| {
            let p = self.levels(c);
            (0..c.levels()).filter(move |&i| !c.is_no_evidence(i as u8)).flat_map(move |i| [p.m[i], p.u[i]])
        })
    }

    /// log2(m / u) of one level (0 for a level without evidence).
    pub fn level_weight(&self, comparison: Comparison, level: u8) -> f64 {
        if comparison.is_no_evidence(level) {
            return 0.0;
        }
        let p = self.levels(comparison);
        let (m, u) = (p.m[level as usize].max(PROBABILITY_FLOOR), p.u[level as usize].max(PROBABILITY_FLOOR));
        (m / u).log2()
    }

    /// log2 of the prior odds of a match.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The match weight of a pair.
    pub fn match_weight(&self, vector: &ComparisonVector) -> f64 {
        self.prior_weight() + Comparison::ALL.iter().map(|c| self.level_weight(*c, vector.level(*c))).sum::<f64>()
    }
}

/// A match weight as a probability.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    odds / (1.0 + odds)
}

/// The share of each evidence level of `comparison` among weighted
/// vectors, smoothed by one (Laplace) so a level never seen gets a small
/// share rather than the floor; levels without evidence hold 1.0. `None`
/// when no vector has an evidence level.
pub fn smoothed_shares<'a>(
    comparison: Comparison,
    vectors: impl Iterator<Item = (&'a ComparisonVector, u64)>,
) -> Option<Vec<f64>> {
    let mut counts = vec![0u64; comparison.levels()];
    for (vector, n) in vectors {
        counts[vector.level(comparison) as usize] += n;
    }
    let evidence = |i: usize| !comparison.is_no_evidence(i as u8);
    let total: u64 = counts.iter().enumerate().filter(|(i, _)| evidence(*i)).map(|(_, c)| c).sum();
    if total == 0 {
        return None;
    }
    let levels = (0..counts.len()).filter(|&i| evidence(i)).count() as u64;
    let smoothed_total = (total + levels) as f64;
    Some(
        counts
            .iter()
            .enumerate()
            .map(|(i, c)| if evidence(i) { ((*c + 1) as f64 / smoothed_total).max(PROBABILITY_FLOOR) } else { 1.0 })
            .collect(),
    )
}

/// u for every level from comparison vectors of random pairs (almost all
/// non-matches); levels without evidence are left out of the shares.
pub fn estimate_u(random_pairs: &[ComparisonVector], model: &mut Model) {
    for comparison in Comparison::ALL {
        if let Some(u) = smoothed_shares(comparison, random_pairs.iter().map(|v| (v, 1))) {
            model.set_u(comparison, u);
        }
    }
}

/// The match weights of counted vectors under a model.
pub type MatchWeights = dyn Fn(&Model, &[(ComparisonVector, u64)]) -> Vec<f64>;

/// Settings of [`expectation_maximization`].
pub struct EmSettings<'a> {
    /// Comparisons whose m stays as it is.
    pub frozen: &'a [Comparison],
    pub max_iterations: usize,
    /// Stop when λ moves less than this.
    pub tolerance: f64,
    /// The match weights of the vectors under a model (the E-step's
    /// posteriors are their probabilities): [`Model::match_weight`], or a
    /// scorer that handles dependencies between comparisons, built once
    /// per iteration.
    pub match_weights: &'a MatchWeights,
}

impl EmSettings<'_> {
    /// Every m free, the plain Fellegi–Sunter weight.
    pub fn plain(max_iterations: usize, tolerance: f64) -> EmSettings<'static> {
        EmSettings {
            frozen: &[],
            max_iterations,
            tolerance,
            match_weights: &|m, pairs| pairs.iter().map(|(v, _)| m.match_weight(v)).collect(),
        }
    }
}

/// Fits m and λ by expectation–maximization on candidate pairs (vector,
/// count), u fixed, and m fixed too for the frozen comparisons. Returns the
/// number of iterations run.
pub fn expectation_maximization(pairs: &[(ComparisonVector, u64)], model: &mut Model, settings: &EmSettings) -> usize {
    let EmSettings { frozen, max_iterations, tolerance, match_weights } = *settings;
    for iteration in 1..=max_iterations {
        // E-step: the posterior probability that each vector is a match.
        let posteriors: Vec<f64> = match_weights(model, pairs).into_iter().map(probability).collect();
        // M-step.
        let total: f64 = pairs.iter().map(|(_, n)| *n as f64).sum();
        let matched: f64 = pairs.iter().zip(&posteriors).map(|((_, n), p)| *n as f64 * p).sum();
        let lambda = (matched / total).clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR);
        for comparison in Comparison::ALL.into_iter().filter(|c| !frozen.contains(c)) {
            let mut weighted = vec![0f64; comparison.levels()];
            for ((vector, n), p) in pairs.iter().zip(&posteriors) {
                let level = vector.level(comparison);
                if !comparison.is_no_evidence(level) {
                    weighted[level as usize] += *n as f64 * p;
                }
            }
            let sum: f64 = weighted.iter().sum();
            if sum > 0.0 {
                let m = weighted
                    .iter()
                    .enumerate()
                    .map(
                        |(i, w)| {
                            if comparison.is_no_evidence(i as u8) {
                                1.0
                            } else {
                                (w / sum).max(PROBABILITY_FLOOR)
                            }
                        },
                    )
                    .collect();
                model.set_m(comparison, m);
            }
        }
        let moved = (lambda - model.lambda).abs();
        model.lambda = lambda;
        if moved < tolerance {
            return iteration;
        }
    }
    max_iterations
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn the_shipped_model_is_monotonic_in_agreement() {
        let model = Model::default_model();
        for comparison in Comparison::ALL {
            let evidence = (0..comparison.levels() as u8).filter(|l| !comparison.is_no_evidence(*l));
            let weights: Vec<f64> = evidence.map(|l| model.level_weight(comparison, l)).collect();
            assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{}: {weights:?}", comparison.name());
            let missing = comparison.level_index("missing").unwrap();
            assert_eq!(model.level_weight(comparison, missing), 0.0);
        }
    }

    #[test]
    fn levels_are_read_by_name_and_a_missing_level_takes_the_default() {
        let text = Model::default_model().to_json().unwrap();
        assert_eq!(Model::from_json(&text).unwrap(), Model::default_model(), "a model survives its file");
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        // An older file without a level: the shipped default fills it.
        value["comparisons"]["email"].as_object_mut().unwrap().remove("similar_local_part");
        value["comparisons"]["email"]["exact"]["m"] = serde_json::json!(0.5);
        let model = Model::from_json(&value.to_string()).unwrap();
        assert_eq!(model.m_of(Comparison::Email, "exact"), Some(0.5));
        assert_eq!(
            model.m_of(Comparison::Email, "similar_local_part"),
            Model::default_model().m_of(Comparison::Email, "similar_local_part")
        );
        // A level name the comparison does not have is an error naming it.
        value["comparisons"]["email"]["exactly"] = serde_json::json!({"m": 0.5, "u": 0.1});
        let err = Model::from_json(&value.to_string()).unwrap_err().to_string();
        assert!(err.contains("email") && err.contains("exactly"), "{err}");
    }

    #[test]
    fn a_model_file_without_a_comparison_takes_its_defaults() {
        // A file written before a comparison existed (the contact pattern).
        let mut value: serde_json::Value = serde_json::from_str(include_str!("default_model.json")).unwrap();
        value["comparisons"].as_object_mut().unwrap().remove("contact");
        value["comparisons"]["email"]["exact"]["m"] = serde_json::json!(0.5);
        let model = Model::from_json(&value.to_string()).unwrap();
        assert_eq!(model.levels(Comparison::Contact), Model::default_model().levels(Comparison::Contact));
        assert_eq!(model.m_of(Comparison::Email, "exact"), Some(0.5));
    }

    /// Samples vectors from known m, u and λ, then checks that EM, started
    /// from the shipped defaults with the true u, finds m and λ again.
    #[test]
    fn em_recovers_known_m_and_lambda() {
        let mut truth = Model::default_model();
        truth.lambda = 0.2;
        // Matches agree mostly; non-matches disagree mostly. Levels without
        // evidence are never drawn.
        let evidence = |c: Comparison| (0..c.levels()).filter(|&i| !c.is_no_evidence(i as u8)).count();
        for comparison in Comparison::ALL {
            let n = evidence(comparison);
            let pad = |mut p: Vec<f64>| {
                p.resize(comparison.levels(), 1.0);
                p
            };
            truth.set_m(comparison, pad((0..n).map(|i| if i == 0 { 0.7 } else { 0.3 / (n - 1) as f64 }).collect()));
            truth.set_u(comparison, pad((0..n).map(|i| if i == n - 1 { 0.8 } else { 0.2 / (n - 1) as f64 }).collect()));
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
        let draw = |rng: &mut rand_chacha::ChaCha8Rng, p: &[f64]| {
            let mut x: f64 = rng.random();
            for (i, pi) in p.iter().enumerate() {
                if x < *pi {
                    return i as u8;
                }
                x -= pi;
            }
            (p.len() - 1) as u8
        };
        let mut counts: BTreeMap<ComparisonVector, u64> = BTreeMap::new();
        for _ in 0..60_000 {
            let is_match = rng.random_bool(truth.lambda);
            let mut levels = [0u8; Comparison::ALL.len()];
            for comparison in Comparison::ALL {
                let p = truth.levels(comparison);
                let n = evidence(comparison);
                levels[comparison as usize] = draw(&mut rng, if is_match { &p.m[..n] } else { &p.u[..n] });
            }
            *counts.entry(ComparisonVector(levels)).or_insert(0) += 1;
        }
        let pairs: Vec<(ComparisonVector, u64)> = counts.into_iter().collect();
        let mut fitted = Model::default_model();
        fitted.lambda = 0.5;
        for comparison in Comparison::ALL {
            fitted.set_u(comparison, truth.levels(comparison).u.clone());
        }
        let iterations = expectation_maximization(&pairs, &mut fitted, &EmSettings::plain(200, 1e-7));
        assert!(iterations < 200, "EM did not converge");
        assert!((fitted.lambda - truth.lambda).abs() < 0.01, "lambda {}", fitted.lambda);
        for comparison in Comparison::ALL {
            let (got, want) = (&fitted.levels(comparison).m, &truth.levels(comparison).m);
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 0.03, "{}: m {got:?} vs {want:?}", comparison.name());
            }
        }
    }

    #[test]
    fn estimate_u_takes_shares_of_random_pairs() {
        let mut model = Model::default_model();
        let mut same = ComparisonVector::default();
        same.set(Comparison::Gender, super::super::compare::AgreeLevel::Agree);
        let mut different = same;
        different.set(Comparison::Gender, super::super::compare::AgreeLevel::Disagree);
        estimate_u(&[same, different, different, different], &mut model);
        // One agreeing and three disagreeing pairs, smoothed by one each;
        // `missing` holds the placeholder.
        assert_eq!(model.levels(Comparison::Gender).u, vec![2.0 / 6.0, 4.0 / 6.0, 1.0]);
    }
}
