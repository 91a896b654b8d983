//! Deduplication, end to end: exact duplicates collapsed → blocking keys →
//! contact values of many persons hidden (`common`) → candidate pairs →
//! model (trained, from a file, or the shipped defaults) → scores → persons
//! → the bookings' index, and the values common among the persons hidden
//! for the linking (SPEC section 5).
//!
//! Invariant: every step is ordered by record index (pairs sorted, vectors
//! collected in pair order, clustering in a total order), so the persons,
//! the model and the figures are the same for any thread count.

use rayon::prelude::*;
use serde::Serialize;

use super::block::{key_entries_over, merge_sorted, pair_entries, reading_entries, KeyEntry, KeyKind, READING_KINDS};
use super::cluster::{cluster, ClusterStats, PairWeight, ScoredPair};
use super::common::{self, CommonContacts};
use super::compare::{compare_reading_parts, ComparisonVector};
use super::duplicates::ExactDuplicates;
use super::index::RecordIndex;
use super::link::Thresholds;
use super::pairs::{candidate_pairs, CandidatePairs, RuleStats};
use super::score::{agreed_phone_line, tf_adjustment, Scorer};
use super::tf::TermFrequencies;
use super::train::{train, TrainingReport};
use super::weights::Model;
use super::{Persons, RecordIdx};
use crate::normalize::store::RecordStore;
use crate::progress::StepTimes;

/// Where the model comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelChoice {
    /// Train on the data when there is enough of it, else the defaults.
    Auto,
    /// A model read from `--model FILE`.
    Given(Model),
}

/// Settings of the linker.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchSettings {
    pub model: ModelChoice,
    pub thresholds: Thresholds,
    pub block_cap: usize,
}

/// Which model was used, for counts.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelSource {
    Trained,
    Defaults,
    File,
}

/// Blocking figures of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleFigures {
    pub rule: &'static str,
    pub pairs: u64,
    pub blocks_capped: u64,
}

/// Everything deduplication produced.
#[derive(Debug)]
pub struct Dedup {
    pub persons: Persons,
    pub index: RecordIndex,
    /// Emails and phones given by more persons than a household holds.
    pub common: CommonContacts,
    pub scorer: Scorer,
    pub model: Model,
    pub model_source: ModelSource,
    pub training: Option<TrainingReport>,
    pub blocking: Vec<RuleFigures>,
    pub candidate_pairs: u64,
    /// Records collapsed into an earlier equal record before blocking.
    pub exact_duplicates: u64,
    /// The pairs that joined records into persons (exact copies included).
    pub joins: Vec<ScoredPair>,
    pub clusters: ClusterStats,
}

/// The candidate pairs of the recovered records, compared.
struct Compared {
    candidates: CandidatePairs,
    tf: TermFrequencies,
    /// Per candidate pair: its comparison vector and term-frequency adjustment.
    compared: Vec<(ComparisonVector, f64)>,
}

impl Compared {
    /// Blocks, pairs and compares the representatives of `dups` (exact
    /// copies are left out: they join their representative afterwards).
    /// `readings`: the reading entries of the kanji-only records
    /// (`block::reading_entries`), made once for the pairs and the index.
    fn new(
        records: &mut RecordStore,
        dups: &ExactDuplicates,
        readings: &[KeyEntry],
        block_cap: usize,
        steps: &mut StepTimes,
    ) -> Compared {
        // The pairing keys live only while the pairs are made: the bookings'
        // index is built on its own keys (see `KeyKind::LINK`).
        // The readings of kanji-only names too: a kanji-only row and a
        // kana- or romaji-only row of one customer (幸田 洋子, コウダ ヨウコ)
        // that share only the name and the birth date, or the name and the
        // street address, are the same evidence as those written alike, and
        // no other key pairs them.
        let mut entries = pair_entries(records, dups.unique());
        merge_sorted(&mut entries, readings);
        // Contact values of more persons than a household holds read as
        // missing from here on (`common`): their blocks pair nothing.
        records.hide(common::hidden_before_persons(records, &entries));
        let records = &*records;
        steps.step("  keys");
        let candidates = candidate_pairs(records, &entries, block_cap);
        drop(entries);
        steps.step("  pairs");
        let tf = TermFrequencies::build_over(records, dups.unique());
        steps.step("  frequency");
        let compared = candidates
            .pairs
            .par_chunks(COMPARE_CHUNK_PAIRS)
            .flat_map_iter(|pairs| compare_chunk(records, &tf, pairs))
            .collect();
        Compared { candidates, tf, compared }
    }
}

/// Pairs one worker compares in a row: long enough for the look-ahead
/// below, small enough to balance the two cores.
const COMPARE_CHUNK_PAIRS: usize = 1024;
/// How far ahead a pair's records are asked for (`crate::prefetch`): their
/// layout this many pairs ahead, their texts (which the layout locates)
/// half as far. A pair's second record is anywhere in the store, so each
/// record read was two dependent cache misses: on 8,000,000 persons (21.6M
/// pairs) the compare step went 14.0-14.2 -> 11.0-11.7 s; 16 ahead was no
/// better.
const PREFETCH_LAYOUT_AHEAD: usize = 8;

/// The comparison vector and term-frequency adjustment of each pair.
fn compare_chunk(
    records: &RecordStore,
    tf: &TermFrequencies,
    pairs: &[(RecordIdx, RecordIdx)],
) -> Vec<(ComparisonVector, f64)> {
    let mut compared = Vec::with_capacity(pairs.len());
    for (i, &(a, b)) in pairs.iter().enumerate() {
        if let Some(&(c, d)) = pairs.get(i + PREFETCH_LAYOUT_AHEAD) {
            records.prefetch_layout(c as usize);
            records.prefetch_layout(d as usize);
        }
        if let Some(&(c, d)) = pairs.get(i + PREFETCH_LAYOUT_AHEAD / 2) {
            records.prefetch_texts(c as usize);
            records.prefetch_texts(d as usize);
        }
        let (x, y) = (&records.get(a as usize), &records.get(b as usize));
        let (vector, parts) = compare_reading_parts(x, y);
        compared.push((vector, tf_adjustment(tf, x, y, &vector, parts)));
    }
    compared
}

/// The model given with `--model`, else the one trained on this file,
/// else (a sample too small or degenerate to train on) the shipped
/// defaults, with where it came from and the training report.
fn choose_model(
    records: &RecordStore,
    compared: &[(ComparisonVector, f64)],
    choice: &ModelChoice,
) -> (Model, ModelSource, Option<TrainingReport>) {
    match choice {
        ModelChoice::Given(model) => (model.clone(), ModelSource::File, None),
        ModelChoice::Auto => match train_on(records, compared) {
            Some((model, report)) => (model, ModelSource::Trained, Some(report)),
            None => (Model::default_model(), ModelSource::Defaults, None),
        },
    }
}

/// The persons of every record: the representatives' clusters, each exact
/// copy in its representative's person.
fn with_copies(clustered: &Persons, dups: &ExactDuplicates, records: usize) -> Persons {
    let roots: Vec<RecordIdx> = (0..records as RecordIdx)
        .map(|r| {
            let person = clustered.person_of(dups.representative(r));
            clustered.members(person)[0]
        })
        .collect();
    Persons::from_roots(&roots)
}

/// A model fitted on compared candidate pairs; `None` when there are too few.
fn train_on(records: &RecordStore, compared: &[(ComparisonVector, f64)]) -> Option<(Model, TrainingReport)> {
    let vectors: Vec<ComparisonVector> = compared.iter().map(|(v, _)| *v).collect();
    train(records, &vectors)
}

/// Fits the model only (`leakmatch train`); the shipped defaults when
/// there is too little data.
pub fn fit(records: &mut RecordStore, block_cap: usize) -> (Model, Option<TrainingReport>) {
    let dups = ExactDuplicates::find(records);
    let readings = reading_entries(records, dups.unique(), &READING_KINDS);
    let compared = Compared::new(records, &dups, &readings, block_cap, &mut StepTimes::new(false)).compared;
    match train_on(records, &compared) {
        Some((model, report)) => (model, Some(report)),
        None => (Model::default_model(), None),
    }
}

/// The joins that made the persons, scored again for links.csv, then each
/// copy's join to its representative (step 3 of [`deduplicate`]: copies
/// join their representative's person). In parallel, collected in order:
/// the same joins whatever the threads.
fn rescored_joins(
    records: &RecordStore,
    scorer: &Scorer,
    joins: &[(RecordIdx, RecordIdx)],
    dups: &ExactDuplicates,
) -> Vec<ScoredPair> {
    let rescore = |a: RecordIdx, b: RecordIdx| {
        let score = scorer.score(&records.get(a as usize), &records.get(b as usize));
        ScoredPair {
            a,
            b,
            weight: score.weight,
            vector: score.vector,
            tf_adjustment: score.tf_adjustment,
            phone_line: score.phone_line,
        }
    };
    let mut scored: Vec<ScoredPair> = joins.par_iter().map(|&(a, b)| rescore(a, b)).collect();
    let copies: Vec<ScoredPair> = (0..records.len() as RecordIdx)
        .into_par_iter()
        .filter(|&r| dups.representative(r) != r)
        .map(|r| rescore(dups.representative(r), r))
        .collect();
    scored.extend(copies);
    scored
}

/// The index bookings are looked up in: the link keys of every
/// representative, and its reading keys of the kinds a booking probes.
fn booking_index(records: &RecordStore, dups: &ExactDuplicates, mut readings: Vec<KeyEntry>) -> RecordIndex {
    let mut entries = key_entries_over(records, dups.unique(), &KeyKind::LINK);
    readings.retain(|entry| KeyKind::LINK.contains(&entry.kind()));
    merge_sorted(&mut entries, &readings);
    drop(readings);
    RecordIndex::new(entries)
}

/// Groups the recovered records into persons.
/// `steps` times each part (`--timings`).
pub fn deduplicate(records: &mut RecordStore, settings: &MatchSettings, steps: &mut StepTimes) -> Dedup {
    // 1. Exact duplicates found: blocking and clustering see representatives.
    let dups = ExactDuplicates::find(records);
    steps.step("  copies");
    // 2. Candidate pairs, the model, scores, clusters.
    let readings = reading_entries(records, dups.unique(), &READING_KINDS);
    let Compared { candidates, tf, compared } = Compared::new(records, &dups, &readings, settings.block_cap, steps);
    steps.step("  compare");
    let (model, model_source, training) = choose_model(records, &compared, &settings.model);
    steps.step("  train");
    let scorer = Scorer::new(&model, tf);
    let CandidatePairs { pairs, stats } = candidates;
    let candidate_pairs = pairs.len() as u64;
    // The comparison vectors become what the clustering reads, in their
    // own allocation (24 bytes a pair become 16), and the clustering drops
    // them with the pairs as soon as it has taken what it needs: none of it
    // is alive while the bookings' index is built. The joins, a few percent
    // of the pairs, are compared again for links.csv (the same comparison
    // and adjustment, so the same weight).
    let weights: Vec<PairWeight> = compared
        .into_par_iter()
        .zip(pairs.par_iter())
        .map(|((vector, tf_adjustment), &(a, _))| {
            // Only a pair agreeing on the phone reads a record again.
            let line = agreed_phone_line(&vector, || records.get(a as usize).phone);
            PairWeight::of(scorer.weight(&vector, tf_adjustment), &vector, line, settings.thresholds.review_weight)
        })
        .collect();
    let t = settings.thresholds;
    let clusters = cluster(records, pairs, weights, t.match_weight, (t.match_weight + t.review_weight) / 2.0);
    let persons = with_copies(&clusters.persons, &dups, records.len());
    let joins = rescored_joins(records, &scorer, &clusters.joins, &dups);
    steps.step("  cluster");
    // The booking index holds every value; the persons then say which
    // values are common for the linking.
    records.hide(Vec::new());
    let index = booking_index(records, &dups, readings);
    steps.step("  index");
    let (common, hidden) = CommonContacts::find(&persons, &index, records.len(), &model);
    records.hide(hidden);
    steps.step("  common");
    let blocking = stats
        .iter()
        .map(|(kind, RuleStats { pairs, blocks_capped })| RuleFigures {
            rule: KeyKind::name(*kind),
            pairs: *pairs,
            blocks_capped: *blocks_capped,
        })
        .collect();
    Dedup {
        persons,
        index,
        common,
        scorer,
        model,
        model_source,
        training,
        blocking,
        candidate_pairs,
        exact_duplicates: dups.copies() as u64,
        joins,
        clusters: clusters.stats,
    }
}
