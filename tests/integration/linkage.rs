//! The probabilistic-linkage building blocks on realistic data (library
//! API, fixtures/generated): u from random pairs, m and λ by EM on the
//! candidate pairs; the trained weights must rank agreement above
//! disagreement for every comparison, and true pairs above false ones.

use std::collections::BTreeMap;

use leakmatch::input::record::{decode_row, RawFields};
use leakmatch::input::{Batch, InputKind, InputOptions, Source};
use leakmatch::matching::block::key_entries;
use leakmatch::matching::compare::{compare, Comparison};
use leakmatch::matching::pairs::{candidate_pairs, random_pairs, DEFAULT_BLOCK_CAP};
use leakmatch::matching::weights::{estimate_u, expectation_maximization, Model};
use leakmatch::normalize::{normalize_record, Date, NormalizedRecord, Scratch};

use crate::util::*;

fn load(path: &std::path::Path) -> (Vec<String>, Vec<NormalizedRecord>) {
    let source = Source::open(path, InputKind::Recovered, &InputOptions::default()).unwrap();
    let mut rows = source.rows().unwrap();
    let mut batch = Batch::new(4096);
    let (mut raw, mut scratch) = (RawFields::default(), Scratch::new(Date::constant(2016, 6, 14)));
    let (mut ids, mut records) = (Vec::new(), Vec::new());
    while rows.next_batch(&mut batch).unwrap() {
        for record in batch.records() {
            decode_row(record, &source, &mut raw).unwrap();
            let mut normalized = NormalizedRecord::default();
            normalize_record(&raw, &mut scratch, &mut normalized);
            ids.push(String::from_utf8(record.get(0).unwrap().to_vec()).unwrap());
            records.push(normalized);
        }
    }
    (ids, records)
}

#[test]
fn trained_weights_rank_agreement_above_disagreement_and_true_pairs_first() {
    let dir = root().join("fixtures/generated");
    let (ids, records) = load(&dir.join("recovered.csv"));
    let truth: BTreeMap<String, String> = read(&dir.join("truth.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap().to_string(), f.next().unwrap().to_string())
        })
        .collect();

    let mut model = Model::default_model();
    let random: Vec<_> = random_pairs(records.len(), 20_000, 1)
        .iter()
        .map(|&(a, b)| compare(&records[a as usize], &records[b as usize]))
        .collect();
    estimate_u(&random, &mut model);
    let candidates = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
    let mut vectors: BTreeMap<_, u64> = BTreeMap::new();
    for &(a, b) in &candidates.pairs {
        *vectors.entry(compare(&records[a as usize], &records[b as usize])).or_insert(0) += 1;
    }
    let vectors: Vec<_> = vectors.into_iter().collect();
    let iterations = expectation_maximization(&vectors, &mut model, 100, 1e-6);
    assert!(iterations < 100, "EM did not converge");

    for comparison in
        [Comparison::Name, Comparison::BirthDate, Comparison::Email, Comparison::Phone, Comparison::Passport]
    {
        let best = model.level_weight(comparison, 0);
        let worst = model.level_weight(comparison, comparison.missing() - 1);
        assert!(best > 0.0 && worst < best, "{}: {best} vs {worst}", comparison.name());
    }

    // Mean weight of true candidate pairs well above that of false ones.
    let (mut true_weights, mut false_weights) = (Vec::new(), Vec::new());
    for &(a, b) in &candidates.pairs {
        let weight = model.match_weight(&compare(&records[a as usize], &records[b as usize]));
        let same = truth[&ids[a as usize]] == truth[&ids[b as usize]];
        if same {
            true_weights.push(weight)
        } else {
            false_weights.push(weight)
        }
    }
    let mean = |w: &[f64]| w.iter().sum::<f64>() / w.len().max(1) as f64;
    assert!(!true_weights.is_empty() && !false_weights.is_empty());
    assert!(
        mean(&true_weights) > mean(&false_weights) + 5.0,
        "true {} vs false {}",
        mean(&true_weights),
        mean(&false_weights)
    );
    println!(
        "lambda {:.5}, {} candidate pairs ({} true), mean weight true {:.1} / false {:.1}",
        model.lambda,
        candidates.pairs.len(),
        true_weights.len(),
        mean(&true_weights),
        mean(&false_weights)
    );
}
