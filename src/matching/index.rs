//! The recovered records looked up by blocking key, for linking bookings.
//!
//! Invariant: entries are sorted by (kind, hash, record, variant), so a
//! probe returns candidates in record order whatever the thread count; a
//! key shared by more records than the block cap is not probed at all (the
//! same rule as for dedup pairs), and the caller counts it.

use super::block::{KeyEntry, KeyKind};

/// Blocking keys of every recovered record, sorted.
#[derive(Debug, Default)]
pub struct RecordIndex {
    entries: Vec<KeyEntry>,
}

impl RecordIndex {
    /// Takes the sorted output of [`super::block::key_entries`].
    pub fn new(entries: Vec<KeyEntry>) -> RecordIndex {
        debug_assert!(entries.windows(2).all(|w| w[0] <= w[1]));
        RecordIndex { entries }
    }

    /// The entries whose key has this hash (verify the text before use).
    pub fn candidates(&self, kind: KeyKind, hash: u64) -> &[KeyEntry] {
        let start = self.entries.partition_point(|e| (e.kind, e.hash) < (kind, hash));
        let len = self.entries[start..].iter().take_while(|e| e.kind == kind && e.hash == hash).count();
        &self.entries[start..start + len]
    }

    /// All entries (sorted), for the dedup candidate pairs.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }
}
