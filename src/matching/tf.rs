//! Term-frequency adjustment of name agreement: two records agreeing on
//! 佐藤 say less than two agreeing on 勅使河原. Frequencies are counted over the recovered records.
//!
//! For a value v with frequency f(v), agreement on v has the Bayes factor
//! m / f(v) instead of m / u; the adjustment added to the level's weight is
//! log2(ū / f(v)), where ū = Σ f(v)² is the chance that two random records
//! agree on this key, taken from the same table so that the adjustment
//! averages to about zero over random pairs.
//!
//! Invariant: counts are keyed by a 64-bit hash of the value (a collision
//! only merges two frequencies); nothing depends on hash iteration order,
//! because the table is only ever probed, and ū is summed over counts sorted
//! first.

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::compare::name_part;
use super::RecordIdx;
use crate::normalize::store::RecordStore;
use crate::normalize::RecordView;

/// The name keys that get a term-frequency adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfKey {
    /// The kanji name key (`kanji_exact` level).
    Kanji,
    /// The strict romaji key of the whole name (`strict_exact` level).
    Romaji,
    Surname,
    GivenName,
}

impl TfKey {
    const ALL: [TfKey; 4] = [TfKey::Kanji, TfKey::Romaji, TfKey::Surname, TfKey::GivenName];

    /// The values of this key a record has (at most two).
    fn values<'a>(self, r: &RecordView<'a>) -> [&'a str; 2] {
        match self {
            TfKey::Kanji => [r.name_kanji.strict, ""],
            TfKey::Romaji => {
                let (kana, romaji) = (r.name_kana.romaji.strict, r.name_romaji.romaji.strict);
                [kana, if romaji == kana { "" } else { romaji }]
            }
            TfKey::Surname => [name_part(r, true).unwrap_or(""), ""],
            TfKey::GivenName => [name_part(r, false).unwrap_or(""), ""],
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    counts: FxHashMap<u64, u32>,
    total: u64,
    /// Σ f(v)²: the chance that two random records agree on this key.
    agreement: f64,
}

/// Value frequencies of the name keys.
#[derive(Debug, Default)]
pub struct TermFrequencies {
    tables: [Table; 4],
}

fn hash(value: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(value.as_bytes());
    hasher.finish()
}

impl TermFrequencies {
    /// Counts every name key of `records`.
    pub fn build(records: &RecordStore) -> TermFrequencies {
        let all: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
        TermFrequencies::build_over(records, &all)
    }

    /// [`TermFrequencies::build`] over the records `which` (exact copies
    /// left out: a row restored 1,000 times does not make its name common).
    ///
    /// The values' hashes are collected and sorted, and each run of one
    /// hash is a count: 8 bytes a value while counting, where a hash map
    /// of every value took ten times that on 8,000,000 persons; only the
    /// values seen more than once are kept (a value not in the table counts
    /// as seen once, see [`TermFrequencies::adjustment`], so dropping those
    /// changes no adjustment).
    pub fn build_over(records: &RecordStore, which: &[RecordIdx]) -> TermFrequencies {
        let mut tables: [Table; 4] = Default::default();
        for (key, table) in TfKey::ALL.into_iter().zip(tables.iter_mut()) {
            let mut hashes: Vec<u64> = which
                .par_iter()
                .flat_map_iter(|&r| {
                    let values = key.values(&records.get(r as usize));
                    values.into_iter().filter(|v| !v.is_empty()).map(hash)
                })
                .collect();
            hashes.par_sort_unstable();
            table.total = hashes.len() as u64;
            let mut counts = Vec::new();
            for run in hashes.chunk_by(|a, b| a == b) {
                let count = run.len() as u32;
                counts.push(count);
                if count > 1 {
                    table.counts.insert(run[0], count);
                }
            }
            counts.sort_unstable();
            let total = table.total.max(1) as f64;
            table.agreement = counts.iter().map(|c| (f64::from(*c) / total).powi(2)).sum();
        }
        TermFrequencies { tables }
    }

    /// log2(ū / f(value)): positive for a rare value, negative for a
    /// common one; 0 when the table is empty. A value never counted (a
    /// booking's name) counts as seen once.
    pub fn adjustment(&self, key: TfKey, value: &str) -> f64 {
        let table = &self.tables[key as usize];
        if table.total == 0 || table.agreement <= 0.0 {
            return 0.0;
        }
        let count = table.counts.get(&hash(value)).copied().unwrap_or(1).max(1);
        let frequency = f64::from(count) / table.total as f64;
        (table.agreement / frequency).log2()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NormalizedRecord;

    fn with_kanji(name: &str) -> NormalizedRecord {
        let mut r = NormalizedRecord::default();
        r.name_kanji.strict = name.into();
        r
    }

    #[test]
    fn a_common_value_says_less_than_a_rare_one() {
        let mut records: Vec<NormalizedRecord> = (0..50).map(|_| with_kanji("佐藤花子")).collect();
        records.extend((0..50).map(|i| with_kanji(&format!("勅使河原{i}"))));
        let tf = TermFrequencies::build(&records.iter().cloned().collect());
        let common = tf.adjustment(TfKey::Kanji, "佐藤花子");
        let rare = tf.adjustment(TfKey::Kanji, "勅使河原7");
        assert!(common < 0.0 && rare > 0.0, "common {common}, rare {rare}");
        assert_eq!(TermFrequencies::default().adjustment(TfKey::Kanji, "佐藤花子"), 0.0);
    }
}
