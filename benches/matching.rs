//! Blocking and scoring throughput: the two matching steps that run once
//! per record and once per candidate pair.
//!
//!     cargo bench --bench matching
//!     LEAKMATCH_BENCH_RECOVERED=/tmp/g1m/recovered.csv cargo bench --bench matching
//!
//! The sample is a recovered file (default: the bundled
//! fixtures/generated/recovered.csv, 2,291 rows; point the variable at a
//! `leakmatch generate` output for a larger one), loaded and normalized
//! once. `blocking_keys` makes every blocking key of every record (items:
//! records), `candidate_pairs` turns the sorted keys into pairs (items:
//! records), `scoring` compares and scores every candidate pair under the
//! shipped model (items: pairs), `given_names_of_namesakes` runs the
//! linker's given-name test on those whose given names differ. One thread for the pairs and the scores,
//! the thread pool's for the keys.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use leakmatch::input::stream::DiscardRejects;
use leakmatch::input::{InputKind, InputOptions, Source};
use leakmatch::matching::block::key_entries;
use leakmatch::matching::compare::given_names_differ;
use leakmatch::matching::pairs::{candidate_pairs, DEFAULT_BLOCK_CAP};
use leakmatch::matching::score::Scorer;
use leakmatch::matching::tf::TermFrequencies;
use leakmatch::matching::weights::Model;
use leakmatch::normalize::store::RecordStore;
use leakmatch::normalize::Date;
use leakmatch::progress::Progress;
use leakmatch::recovered;

fn main() {
    divan::main();
}

static RECORDS: LazyLock<RecordStore> = LazyLock::new(|| {
    let path = std::env::var_os("LEAKMATCH_BENCH_RECOVERED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/generated/recovered.csv"));
    let source = Source::open(&path, InputKind::Recovered, &InputOptions::default()).expect("a recovered file");
    let as_of = Date::constant(2016, 6, 14);
    recovered::load(&source, as_of, &mut DiscardRejects, &Progress::hidden(), Default::default())
        .expect("readable rows")
        .records
});

#[divan::bench]
fn blocking_keys(bencher: Bencher) {
    let records = &*RECORDS;
    bencher.counter(ItemsCount::new(records.len())).bench(|| key_entries(records));
}

#[divan::bench]
fn candidate_pairs_from_keys(bencher: Bencher) {
    let records = &*RECORDS;
    let entries = key_entries(records);
    bencher.counter(ItemsCount::new(records.len())).bench(|| candidate_pairs(records, &entries, DEFAULT_BLOCK_CAP));
}

#[divan::bench]
fn scoring(bencher: Bencher) {
    let records = &*RECORDS;
    let pairs = candidate_pairs(records, &key_entries(records), DEFAULT_BLOCK_CAP).pairs;
    let scorer = Scorer::new(&Model::default_model(), TermFrequencies::build(records));
    bencher.counter(ItemsCount::new(pairs.len())).bench(|| {
        pairs.iter().map(|&(a, b)| scorer.score(&records.get(a as usize), &records.get(b as usize)).weight).sum::<f64>()
    });
}

/// The given-name test a booking's linker runs on every record found only
/// by a surname key, to leave namesakes and relatives unscored: timed on
/// the candidate pairs whose given names differ, the pairs it is there
/// for, whose readings it compares every way (items: pairs).
#[divan::bench]
fn given_names_of_namesakes(bencher: Bencher) {
    let records = &*RECORDS;
    let differ = |&(a, b): &(u32, u32)| given_names_differ(&records.get(a as usize), &records.get(b as usize));
    let pairs: Vec<(u32, u32)> =
        candidate_pairs(records, &key_entries(records), DEFAULT_BLOCK_CAP).pairs.into_iter().filter(differ).collect();
    bencher.counter(ItemsCount::new(pairs.len())).bench(|| pairs.iter().filter(|p| differ(p)).count());
}
