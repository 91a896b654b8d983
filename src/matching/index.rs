//! The recovered records looked up by blocking key, for linking bookings.
//!
//! Invariant: entries are sorted (`KeyEntry`: kind, hash, variant,
//! record), so a probe returns its candidates in one order whatever the
//! thread count; a key shared by more records than the block cap is not
//! probed at all (the same rule as for dedup pairs), and the caller counts
//! it.

use super::block::{block_of, KeyEntry, KeyKind, HASH_BITS};
use crate::prefetch::prefetch;

/// Entries of one kind per directory slot, on average (the directory has
/// the power of two of slots nearest above the kind's entries divided by
/// this). At 64 the directory is 6 to 12 MB on 8,000,000 persons (81M
/// entries) instead of 40 to 80 MB at 4 a slot, and stays in the
/// processor's cache: peak RSS 3.75 -> 3.64 GiB there, the bookings step
/// unchanged within the minute-to-minute noise (139-148 s). A long slot
/// costs no extra miss: the entry is found by interpolation
/// ([`RecordIndex::estimate`]), within a cache line or two.
const ENTRIES_PER_SLOT: usize = 64;

/// Entries either side of an estimated place whose cache lines are
/// prefetched too: the estimate's error grows as the square root of a
/// slot's entries (about 4 of [`ENTRIES_PER_SLOT`]'s 64).
const ESTIMATE_SLACK: usize = 4;

/// Where one kind's slots are in [`RecordIndex::directory`].
#[derive(Clone, Copy, Debug, Default)]
struct KindSlots {
    /// The kind's first slot.
    first: usize,
    /// The slot of a hash is its top `bits` bits (0: one slot).
    bits: u32,
}

/// Blocking keys of every recovered record, sorted, with a directory that
/// says where in them each range of key hashes starts. Key hashes spread
/// evenly, so within a slot an entry's place is nearly proportional to its
/// hash's remaining bits: a probe reads the directory (cached), estimates
/// the place and walks from it to the block, one cache miss whose address
/// is known from the hash and the directory alone, so a booking asks for
/// all of its probes' memory before reading any ([`RecordIndex::prefetch`]).
/// A poor estimate (hashes that do not spread) costs time, never a wrong
/// answer. (A hash table of each block's first entry took three dependent
/// misses a probe: its control bytes, its slot, the entry; a binary search
/// a miss per step; a directory of 4 entries a slot two.)
#[derive(Debug, Default)]
pub struct RecordIndex {
    entries: Vec<KeyEntry>,
    /// Per kind, `2^bits + 1` entry positions: slot `j` of a kind starts at
    /// its first entry whose hash's top bits are at least `j`; the last
    /// is the kind's end.
    directory: Vec<u32>,
    kinds: [KindSlots; KeyKind::KINDS.len()],
    /// A bit per value of a block's filter hash ([`filter_bit`]), set for
    /// every block held: a probe for a key no record has (most keys of a
    /// booking whose customer was not leaked) reads this bit and not the
    /// entries.
    filter: Vec<u64>,
}

/// Filter bits per entry, at least (the filter is a power of two of bits;
/// one bit a block, so a key no record has passes about once in five).
/// Measured, outputs byte-identical: bookings step on 1,000,000 persons
/// 11.24–11.74 -> 10.77–10.90 s, run alternately (filter 8 MB); on
/// 8,000,000 persons 127.0 -> 124.3 s in the same quarter hour, peak RSS
/// 3.86 -> 3.90 GiB (64 MB: a filter of 8 bits an entry would take 128 MB
/// there for a rarer false pass).
const FILTER_BITS_PER_ENTRY: usize = 4;

impl RecordIndex {
    /// Takes the sorted output of [`super::block::key_entries`].
    pub fn new(mut entries: Vec<KeyEntry>) -> RecordIndex {
        // The reading entries merged in grew the vector by doubling.
        entries.shrink_to_fit();
        debug_assert!(entries.windows(2).all(|w| w[0] <= w[1]));
        assert!(u32::try_from(entries.len()).is_ok(), "more than 4,294,967,295 index entries");
        let mut directory = Vec::new();
        let mut kinds = [KindSlots::default(); KeyKind::KINDS.len()];
        let mut kind_start = 0;
        for (slots, kind) in kinds.iter_mut().zip(KeyKind::KINDS) {
            let kind_len = entries[kind_start..].iter().take_while(|e| e.kind() == kind).count();
            let of_kind = &entries[kind_start..kind_start + kind_len];
            let bits = (of_kind.len() / ENTRIES_PER_SLOT).next_power_of_two().trailing_zeros();
            *slots = KindSlots { first: directory.len(), bits };
            let mut at = 0;
            for slot in 0..1u64 << bits {
                while at < of_kind.len() && slot_of(of_kind[at].block(), bits) < slot {
                    at += 1;
                }
                directory.push((kind_start + at) as u32);
            }
            directory.push((kind_start + kind_len) as u32);
            kind_start += kind_len;
        }
        debug_assert_eq!(kind_start, entries.len(), "entries are sorted by kind");
        let filter_bits = (entries.len() * FILTER_BITS_PER_ENTRY).next_power_of_two().max(64);
        let mut filter = vec![0u64; filter_bits / 64];
        for entry in &entries {
            let bit = filter_bit(entry.block(), filter_bits);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        RecordIndex { entries, directory, kinds, filter }
    }

    /// Whether some entry may hold `block` (no entry does when not).
    fn may_hold(&self, block: u64) -> bool {
        let bit = filter_bit(block, self.filter.len() * 64);
        self.filter.get(bit / 64).is_some_and(|word| word >> (bit % 64) & 1 == 1)
    }

    /// The directory slot of a block.
    fn slot(&self, block: u64, kind: KeyKind) -> usize {
        let slots = self.kinds[kind as usize];
        slots.first + slot_of(block, slots.bits) as usize
    }

    /// The range of entries of `block`'s slot, and where in it the block
    /// should be if the hashes below the slot's bits spread evenly.
    fn estimate(&self, block: u64, kind: KeyKind) -> (usize, usize, usize) {
        let bits = self.kinds[kind as usize].bits;
        let slot = self.slot(block, kind);
        let (start, end) = (self.directory[slot] as usize, self.directory[slot + 1] as usize);
        let below_bits = HASH_BITS - bits;
        let rest = u128::from(block & ((1u64 << below_bits) - 1));
        let offset = (rest * (end - start) as u128) >> below_bits;
        (start, end, start + offset as usize)
    }

    /// Starts loading the entries [`RecordIndex::candidates`] will read
    /// for this key (see `crate::prefetch`): the estimated place and the
    /// lines beside it, which hold the block unless the estimate is off by
    /// more than a few entries.
    pub fn prefetch(&self, kind: KeyKind, hash: u64) {
        let block = block_of(kind, hash);
        if !self.may_hold(block) {
            return;
        }
        let (start, end, at) = self.estimate(block, kind);
        // The estimate is below `end` whenever the slot has entries.
        if end > start {
            prefetch(&self.entries[at.saturating_sub(ESTIMATE_SLACK).max(start)]);
            prefetch(&self.entries[at]);
            prefetch(&self.entries[(at + ESTIMATE_SLACK).min(end - 1)]);
        }
    }

    /// The entries whose key has this hash (verify the text before use).
    pub fn candidates(&self, kind: KeyKind, hash: u64) -> &[KeyEntry] {
        let wanted = block_of(kind, hash);
        if !self.may_hold(wanted) {
            return &[];
        }
        let (start, end, mut at) = self.estimate(wanted, kind);
        // Sorted: the block is the run of equal blocks after the smaller;
        // walk back past larger or equal ones, then on past smaller ones.
        while at > start && self.entries[at - 1].block() >= wanted {
            at -= 1;
        }
        while at < end && self.entries[at].block() < wanted {
            at += 1;
        }
        let len = self.entries[at..end].iter().take_while(|e| e.block() == wanted).count();
        &self.entries[at..at + len]
    }

    /// The entries and bytes held (`--timings`).
    pub fn size(&self) -> (usize, usize) {
        let bytes = self.entries.capacity() * size_of::<KeyEntry>()
            + self.directory.capacity() * size_of::<u32>()
            + self.filter.capacity() * size_of::<u64>();
        (self.entries.len(), bytes)
    }

    /// All entries (sorted), for the dedup candidate pairs.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }
}

/// The filter bit of a block: the top bits of its product with an odd
/// constant (Fibonacci hashing), which mixes the kind and every bit of the
/// hash into them.
fn filter_bit(block: u64, filter_bits: usize) -> usize {
    let log2 = filter_bits.trailing_zeros();
    (block.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - log2)) as usize
}

/// The top `bits` bits of a block's hash.
fn slot_of(block: u64, bits: u32) -> u64 {
    let hash = block & ((1 << HASH_BITS) - 1);
    hash.checked_shr(HASH_BITS - bits).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every probe finds exactly the entries of its kind and hash,
        /// whatever the hashes and however few or many share a slot.
        #[test]
        fn a_probe_finds_exactly_its_block(
            keys in prop::collection::vec((0usize..4, 0u64..64, 0u32..1000), 0..300),
            probe_hash in 0u64..64,
            spread in 0u32..60,
        ) {
            // Hashes from a few values spread over the top bits: many
            // blocks share a slot, and some slots are empty.
            let hash = |h: u64| h << spread;
            let kinds = [KeyKind::Passport, KeyKind::Email, KeyKind::Phone, KeyKind::Address];
            let mut entries: Vec<KeyEntry> =
                keys.iter().map(|&(k, h, r)| KeyEntry::new(kinds[k], hash(h), r, 0)).collect();
            entries.sort_unstable();
            let index = RecordIndex::new(entries.clone());
            for kind in kinds {
                let wanted = block_of(kind, hash(probe_hash));
                let expected: Vec<KeyEntry> = entries.iter().copied().filter(|e| e.block() == wanted).collect();
                prop_assert_eq!(index.candidates(kind, hash(probe_hash)), &expected[..]);
                index.prefetch(kind, hash(probe_hash));
            }
        }
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = RecordIndex::new(Vec::new());
        assert!(index.candidates(KeyKind::Email, 12345).is_empty());
        index.prefetch(KeyKind::Email, 12345);
    }
}
