//! The recovered records looked up by blocking key, for linking bookings.
//!
//! Invariant: entries are sorted by (kind, hash, record, variant), so a
//! probe returns candidates in record order whatever the thread count; a
//! key shared by more records than the block cap is not probed at all (the
//! same rule as for dedup pairs), and the caller counts it.

use rustc_hash::FxHashMap;

use super::block::{KeyEntry, KeyKind};

/// Blocking keys of every recovered record, sorted, with a hash map from
/// (kind, hash) to each block's range: one probe costs one map lookup, not
/// a binary search whose every step is a cache miss (it was 28% of a run).
#[derive(Debug, Default)]
pub struct RecordIndex {
    entries: Vec<KeyEntry>,
    blocks: FxHashMap<(KeyKind, u64), (u32, u32)>,
}

impl RecordIndex {
    /// Takes the sorted output of [`super::block::key_entries`].
    pub fn new(entries: Vec<KeyEntry>) -> RecordIndex {
        debug_assert!(entries.windows(2).all(|w| w[0] <= w[1]));
        let mut blocks = FxHashMap::default();
        let mut start = 0;
        while start < entries.len() {
            let (kind, hash) = (entries[start].kind, entries[start].hash);
            let len = entries[start..].iter().take_while(|e| e.kind == kind && e.hash == hash).count();
            blocks.insert((kind, hash), (start as u32, len as u32));
            start += len;
        }
        RecordIndex { entries, blocks }
    }

    /// The entries whose key has this hash (verify the text before use).
    pub fn candidates(&self, kind: KeyKind, hash: u64) -> &[KeyEntry] {
        match self.blocks.get(&(kind, hash)) {
            Some(&(start, len)) => &self.entries[start as usize..(start + len) as usize],
            None => &[],
        }
    }

    /// All entries (sorted), for the dedup candidate pairs.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }
}
