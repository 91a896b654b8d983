//! Fellegi–Sunter match weights and their estimation (issue "Probabilistic
//! linkage"; SPEC section 5).
//!
//! A [`Model`] holds, per comparison level, m = P(level | same person) and
//! u = P(level | different persons), and the prior λ of a candidate pair
//! being a match. A pair's match weight is log2(λ / (1 − λ)) plus
//! log2(m / u) over its comparisons; the `missing` level adds 0.
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

/// m and u of one comparison's levels (the `missing` level excluded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelProbabilities {
    pub m: Vec<f64>,
    pub u: Vec<f64>,
}

/// Fellegi–Sunter parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub lambda: f64,
    pub comparisons: BTreeMap<String, LevelProbabilities>,
}

impl Model {
    /// The shipped defaults (`default_model.json`).
    pub fn default_model() -> Model {
        Model::from_json(include_str!("default_model.json")).expect("the shipped model is valid")
    }

    /// Reads and checks a model: every comparison present, one m and one u
    /// per non-missing level, all in (0, 1].
    pub fn from_json(text: &str) -> Result<Model> {
        let model: Model = serde_json::from_str(text).context("not a model file")?;
        if !(0.0 < model.lambda && model.lambda < 1.0) {
            bail!("model: lambda must be between 0 and 1");
        }
        for comparison in Comparison::ALL {
            let levels =
                model.comparisons.get(comparison.name()).with_context(|| format!("model: no {}", comparison.name()))?;
            let expected = comparison.levels() - 1;
            if levels.m.len() != expected || levels.u.len() != expected {
                bail!("model: {} needs {expected} m and u values", comparison.name());
            }
            if levels.m.iter().chain(&levels.u).any(|p| !(*p > 0.0 && *p <= 1.0)) {
                bail!("model: {} has a probability outside (0, 1]", comparison.name());
            }
        }
        Ok(model)
    }

    fn levels(&self, comparison: Comparison) -> &LevelProbabilities {
        // from_json guarantees every comparison is present.
        &self.comparisons[comparison.name()]
    }

    /// log2(m / u) of one level (0 for `missing`).
    pub fn level_weight(&self, comparison: Comparison, level: u8) -> f64 {
        if level == comparison.missing() {
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

/// u for every level from comparison vectors of random pairs (almost all
/// non-matches); `missing` levels are left out of the shares. Counts are
/// smoothed by one (Laplace), so a level never seen among random pairs gets
/// a small u rather than the floor: its weight stays finite and sensible.
pub fn estimate_u(random_pairs: &[ComparisonVector], model: &mut Model) {
    for comparison in Comparison::ALL {
        let mut counts = vec![0u64; comparison.levels() - 1];
        for vector in random_pairs {
            let level = vector.level(comparison);
            if level != comparison.missing() {
                counts[level as usize] += 1;
            }
        }
        let total: u64 = counts.iter().sum();
        if total > 0 {
            let levels = model.comparisons.get_mut(comparison.name()).expect("a valid model");
            let smoothed_total = (total + counts.len() as u64) as f64;
            levels.u = counts.iter().map(|c| ((*c + 1) as f64 / smoothed_total).max(PROBABILITY_FLOOR)).collect();
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
            let mut weighted = vec![0f64; comparison.levels() - 1];
            for ((vector, n), p) in pairs.iter().zip(&posteriors) {
                let level = vector.level(comparison);
                if level != comparison.missing() {
                    weighted[level as usize] += *n as f64 * p;
                }
            }
            let sum: f64 = weighted.iter().sum();
            if sum > 0.0 {
                let levels = model.comparisons.get_mut(comparison.name()).expect("a valid model");
                levels.m = weighted.iter().map(|w| (w / sum).max(PROBABILITY_FLOOR)).collect();
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
            let weights: Vec<f64> = (0..comparison.missing()).map(|l| model.level_weight(comparison, l)).collect();
            assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{}: {weights:?}", comparison.name());
            assert_eq!(model.level_weight(comparison, comparison.missing()), 0.0);
        }
    }

    #[test]
    fn a_model_file_with_a_missing_comparison_is_refused() {
        let mut value: serde_json::Value = serde_json::from_str(include_str!("default_model.json")).unwrap();
        value["comparisons"].as_object_mut().unwrap().remove("email");
        let err = Model::from_json(&value.to_string()).unwrap_err().to_string();
        assert!(err.contains("email"), "{err}");
    }

    /// Samples vectors from known m, u and λ, then checks that EM, started
    /// from the shipped defaults with the true u, finds m and λ again.
    #[test]
    fn em_recovers_known_m_and_lambda() {
        let mut truth = Model::default_model();
        truth.lambda = 0.2;
        for comparison in Comparison::ALL {
            let n = comparison.levels() - 1;
            let levels = truth.comparisons.get_mut(comparison.name()).unwrap();
            // Matches agree mostly; non-matches disagree mostly.
            levels.m = (0..n).map(|i| if i == 0 { 0.7 } else { 0.3 / (n - 1) as f64 }).collect();
            levels.u = (0..n).map(|i| if i == n - 1 { 0.8 } else { 0.2 / (n - 1) as f64 }).collect();
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
                let p = &truth.comparisons[comparison.name()];
                levels[comparison as usize] = draw(&mut rng, if is_match { &p.m } else { &p.u });
            }
            *counts.entry(ComparisonVector(levels)).or_insert(0) += 1;
        }
        let pairs: Vec<(ComparisonVector, u64)> = counts.into_iter().collect();
        let mut fitted = Model::default_model();
        fitted.lambda = 0.5;
        for comparison in Comparison::ALL {
            let u = truth.comparisons[comparison.name()].u.clone();
            fitted.comparisons.get_mut(comparison.name()).unwrap().u = u;
        }
        let iterations = expectation_maximization(&pairs, &mut fitted, &EmSettings::plain(200, 1e-7));
        assert!(iterations < 200, "EM did not converge");
        assert!((fitted.lambda - truth.lambda).abs() < 0.01, "lambda {}", fitted.lambda);
        for comparison in Comparison::ALL {
            let (got, want) = (&fitted.comparisons[comparison.name()].m, &truth.comparisons[comparison.name()].m);
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 0.03, "{}: m {got:?} vs {want:?}", comparison.name());
            }
        }
    }

    #[test]
    fn estimate_u_takes_shares_of_random_pairs() {
        let mut model = Model::default_model();
        let mut same = [0u8; Comparison::ALL.len()];
        same[Comparison::Gender as usize] = 0;
        let mut different = same;
        different[Comparison::Gender as usize] = 1;
        estimate_u(&[same, different, different, different].map(ComparisonVector), &mut model);
        // One agreeing and three disagreeing pairs, smoothed by one each.
        assert_eq!(model.comparisons["gender"].u, vec![2.0 / 6.0, 4.0 / 6.0]);
    }
}
