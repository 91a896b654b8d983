//! Ids that name more than one row: recovered rows with the record_id of
//! an earlier row, and bookings.csv rows with the booking id and file of an
//! earlier one. Two backups of one table restored into one file, or an
//! export that repeats its rows, give them; the rows are all kept (nothing
//! is dropped for its id), but an analyst who looks one up by its id finds
//! several, so counts.json counts them and the run says so on stderr.
//!
//! Bookings are counted within a file: exports number their bookings each
//! from 1 often enough, and bookings.csv and links.csv tell such bookings
//! apart by their `file`. Only the bookings the result files name (linked
//! or possibly linked) are looked at; the others are in no output.
//!
//! Invariant: the counts are exact (hashes only group the candidates; equal
//! hashes are compared by their text) and independent of thread count.
//! Memory: 8 bytes a row, for the count's few seconds.

use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

use crate::bookings::BookingLinks;
use crate::recovered::RecoveredSet;

/// How many rows have the id of an earlier row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RepeatedIds {
    /// Used recovered rows whose record_id an earlier used row has.
    pub records: u64,
    /// Rows of bookings.csv whose booking id and file an earlier row has.
    pub bookings: u64,
}

impl RepeatedIds {
    /// Counts both. `record_id_column`: the recovered file has a record_id
    /// column (without one, ids are row numbers and cannot repeat).
    pub fn count(recovered: &RecoveredSet, bookings: &BookingLinks, record_id_column: bool) -> RepeatedIds {
        let records =
            if record_id_column { repeats(recovered.used(), |r| (0, recovered.record_id(r as u32))) } else { 0 };
        let linked = &bookings.bookings;
        let bookings = repeats(linked.len(), |b| (linked[b].file_index(), bookings.booking_id(&linked[b])));
        RepeatedIds { records, bookings }
    }
}

/// How many of the `count` keys `key` gives equal an earlier one.
fn repeats<'a>(count: usize, key: impl Fn(usize) -> (u32, &'a str) + Sync) -> u64 {
    // Each key as one u64: the top half of its hash, then its place. Sorted,
    // a run of equal hash halves holds every key that can be equal; a 32-bit
    // hash gives a few false candidates (tens of thousands of pairs among
    // 30 million keys), which the text comparison sets apart, and halves
    // the memory and the sort's time against a (hash, place) pair (4.2 s at
    // 8,000,000 generated persons). Places past u32 (a file of over 4
    // billion rows, beyond what a run loads) would wrap, so they are not
    // counted.
    let packed = |i: usize| {
        let mut hasher = FxHasher::default();
        key(i).hash(&mut hasher);
        (hasher.finish() & HASH_HALF) | i as u64
    };
    let count = count.min(u32::MAX as usize);
    let mut keys: Vec<u64> = (0..count).into_par_iter().map(packed).collect();
    keys.par_sort_unstable();
    keys.par_chunk_by(|a, b| a & HASH_HALF == b & HASH_HALF)
        .map(|run| {
            if run.len() == 1 {
                return 0;
            }
            let mut seen: Vec<(u32, &str)> = Vec::with_capacity(run.len());
            let mut repeated = 0;
            for &packed in run {
                let key = key((packed & !HASH_HALF) as usize);
                if seen.contains(&key) {
                    repeated += 1;
                } else {
                    seen.push(key);
                }
            }
            repeated
        })
        .sum()
}

/// The bits of a packed key that hold its hash.
const HASH_HALF: u64 = 0xFFFF_FFFF_0000_0000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_counts_once_for_each_row_after_its_first() {
        let keys = [(0, "1"), (1, "1"), (0, "2"), (0, "1"), (0, "1"), (1, "2"), (0, "")];
        assert_eq!(repeats(keys.len(), |i| keys[i]), 2);
        assert_eq!(repeats(0, |i| keys[i]), 0);
        let distinct: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
        assert_eq!(repeats(distinct.len(), |i| (0, distinct[i].as_str())), 0);
        assert_eq!(repeats(distinct.len(), |i| (0, distinct[i / 2].as_str())), 5_000);
    }
}
