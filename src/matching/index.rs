//! The recovered records looked up by blocking key, for linking bookings.
//!
//! Invariant: entries are sorted (`KeyEntry`: kind, hash, variant,
//! record), so a probe returns its candidates in one order whatever the
//! thread count; a key shared by more records than the block cap is not
//! probed at all (the same rule as for dedup pairs), and the caller counts
//! it.

use hashbrown::HashTable;

use super::block::{block_of, KeyEntry, KeyKind};

/// The hash the table files a block under: a block's top bits are its
/// kind, which hashbrown would read as the tag of every slot of the kind
/// (its top 7 bits); multiplying spreads them (Fibonacci hashing).
fn table_hash(block: u64) -> u64 {
    block.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Blocking keys of every recovered record, sorted, with a hash table of
/// each block's first entry: one probe costs one table lookup, not a
/// binary search whose every step is a cache miss (that was 28% of a run).
/// The table holds only a u32 per block (5 bytes a slot with hashbrown's
/// control byte): the key hash and kind are read from the entry it points
/// to, and the block runs while they stay the same. A map from (kind,
/// hash) to (start, len) cost 400 MB on 1,000,000 persons, this ~80 MB.
#[derive(Debug, Default)]
pub struct RecordIndex {
    entries: Vec<KeyEntry>,
    block_starts: HashTable<u32>,
}

impl RecordIndex {
    /// Takes the sorted output of [`super::block::key_entries`].
    pub fn new(entries: Vec<KeyEntry>) -> RecordIndex {
        debug_assert!(entries.windows(2).all(|w| w[0] <= w[1]));
        let blocks = entries.chunk_by(|a, b| a.block() == b.block()).count();
        let mut block_starts = HashTable::with_capacity(blocks);
        let mut start = 0;
        for block in entries.chunk_by(|a, b| a.block() == b.block()) {
            let hash = table_hash(block[0].block());
            block_starts.insert_unique(hash, start as u32, |&s| table_hash(entries[s as usize].block()));
            start += block.len();
        }
        RecordIndex { entries, block_starts }
    }

    /// The entries whose key has this hash (verify the text before use).
    pub fn candidates(&self, kind: KeyKind, hash: u64) -> &[KeyEntry] {
        let wanted = block_of(kind, hash);
        let same_block = |&start: &u32| self.entries[start as usize].block() == wanted;
        match self.block_starts.find(table_hash(wanted), same_block) {
            Some(&start) => {
                let block = &self.entries[start as usize..];
                let len = block.iter().take_while(|e| e.block() == wanted).count();
                &block[..len]
            }
            None => &[],
        }
    }

    /// All entries (sorted), for the dedup candidate pairs.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }
}
