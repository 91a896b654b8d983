//! Collecting the recovered records' keys into sorted [`KeyEntry`] lists:
//! the pairing keys of the deduplication and the keys of the booking index.
//!
//! Invariant: the lists are sorted and hold each (kind, key, variant,
//! record) once, whatever the thread count; what is held at once is the
//! entries so far and the work units in flight.

use rustc_hash::FxHashSet;

use super::{merge_sorted, KeyEntry, KeyKind};
use crate::normalize::store::RecordStore;

/// Records per parallel work unit when collecting keys.
pub(super) const KEY_CHUNK_RECORDS: usize = 8192;

/// The pairing keys of every record ([`pair_entries`]), sorted (see
/// [`KeyEntry`]).
pub fn key_entries(records: &RecordStore) -> Vec<KeyEntry> {
    let all: Vec<u32> = (0..records.len() as u32).collect();
    pair_entries(records, &all)
}

/// The keys the recovered records `which` are paired on: those of
/// [`KeyKind::ALL`] where [`KeyKind::indexes`] says, and the name + email
/// domain keys of the fuller records that a sparse record's key meets
/// (a pair of that kind needs a sparse row, `pairs::candidate_pairs`).
/// Keying every fuller row held one more entry a record for blocks that
/// make no pair: on 8,000,000 persons peak RSS 3.93 → 4.12 GiB.
pub fn pair_entries(records: &RecordStore, which: &[u32]) -> Vec<KeyEntry> {
    use rayon::prelude::*;
    let kind = KeyKind::NameEmailDomain;
    let mut entries = key_entries_over(records, which, &KeyKind::ALL);
    let sparse: FxHashSet<u64> =
        entries.iter().filter(|entry| entry.kind() == kind).map(|entry| entry.block()).collect();
    if sparse.is_empty() {
        return entries;
    }
    let mut meeting: Vec<KeyEntry> = which
        .par_chunks(KEY_CHUNK_RECORDS)
        .flat_map_iter(|chunk| {
            let mut buf = String::new();
            let mut found = Vec::new();
            for &record_index in chunk {
                let record = records.get(record_index as usize);
                if kind.indexes(&record) {
                    continue;
                }
                kind.each_entry(&record, record_index, &mut buf, |entry| {
                    if sparse.contains(&entry.block()) {
                        found.push(entry);
                    }
                });
            }
            found
        })
        .collect();
    meeting.par_sort_unstable();
    merge_sorted(&mut entries, &meeting);
    entries
}

/// Work units of [`KEY_CHUNK_RECORDS`] records collected in parallel before
/// their entries are appended: the entries of the units in flight are all
/// that is held twice (a collect of every unit, then a concatenation, held
/// every entry twice: 2.3 GB on 8,000,000 persons).
const KEY_CHUNKS_IN_FLIGHT: usize = 64;

/// Every key of the `kinds` of the records `which` (ascending), sorted
/// (see [`KeyEntry`]).
pub fn key_entries_over(records: &RecordStore, which: &[u32], kinds: &[KeyKind]) -> Vec<KeyEntry> {
    use rayon::prelude::*;
    let chunks: Vec<&[u32]> = which.chunks(KEY_CHUNK_RECORDS).collect();
    let mut entries = Vec::new();
    for group in chunks.chunks(KEY_CHUNKS_IN_FLIGHT) {
        let parts: Vec<Vec<KeyEntry>> = group
            .par_iter()
            .map(|chunk| {
                let mut buf = String::new();
                let mut entries = Vec::with_capacity(chunk.len() * 8);
                for &record_index in *chunk {
                    let record = &records.get(record_index as usize);
                    for kind in kinds.iter().copied().filter(|kind| kind.indexes(record)) {
                        kind.each_entry(record, record_index, &mut buf, |entry| entries.push(entry));
                    }
                }
                entries
            })
            .collect();
        for part in parts {
            entries.extend_from_slice(&part);
        }
    }
    // Entries are distinct, so an unstable sort is still deterministic.
    entries.par_sort_unstable();
    entries
}
