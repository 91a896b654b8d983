//! The in-memory index of the recovered side: key → persons.
//!
//! A sorted vector rather than a hash map: compact (16 bytes an entry),
//! deterministic to iterate, and probed by binary search. One entry per
//! (kind, hash, person), pointing at the person's first record with that key,
//! which the linker uses to verify the key text.

use super::block::{KeyEntry, KeyKind};
use super::{PersonIdx, Persons, RecordIdx};

/// One indexed key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexEntry {
    pub kind: KeyKind,
    pub hash: u64,
    pub person: PersonIdx,
    /// A record of `person` that has this key, and which variant of it.
    pub record: RecordIdx,
    pub variant: u8,
}

/// Persons looked up by blocking key.
#[derive(Debug, Default)]
pub struct PersonIndex {
    entries: Vec<IndexEntry>,
}

impl PersonIndex {
    /// Builds the index from the key entries of the recovered records.
    pub fn build(keys: &[KeyEntry], persons: &Persons) -> PersonIndex {
        let mut entries: Vec<IndexEntry> = keys
            .iter()
            .map(|k| IndexEntry {
                kind: k.kind,
                hash: k.hash,
                person: persons.person_of(k.record),
                record: k.record,
                variant: k.variant,
            })
            .collect();
        entries.sort_unstable();
        entries.dedup_by(|b, a| a.kind == b.kind && a.hash == b.hash && a.person == b.person);
        entries.shrink_to_fit();
        PersonIndex { entries }
    }

    /// The entries whose key has this kind and hash (to be verified).
    pub fn candidates(&self, kind: KeyKind, hash: u64) -> &[IndexEntry] {
        let start = self.entries.partition_point(|e| (e.kind, e.hash) < (kind, hash));
        let len = self.entries[start..].iter().take_while(|e| e.kind == kind && e.hash == hash).count();
        &self.entries[start..start + len]
    }

    /// Number of entries (for the summary and benchmarks).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
