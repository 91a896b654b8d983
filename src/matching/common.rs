//! Contact values that name no one: an email or a phone number given by the
//! recovered records of more persons than a household holds. Staff type a
//! dummy mailbox (`none@none.jp`) or the shop's own number for customers
//! without one, and a company's travel desk books under one address for
//! its staff. Such a value agreeing says "one of those many", not "this
//! person": weighed as any exact email (+14 bits), it carried a booking that
//! gave only a name and the dummy mailbox to the one recovered row of that
//! name (15.8 bits), though the name alone links nothing.
//!
//! The linker compares such a value as missing, on either side: missing
//! is not different, and a dummy mailbox beside a real one says nothing
//! against the pair either. A household's mailbox (2 to
//! [`MAX_HOUSEHOLD_PERSONS`] persons) keeps its weight: the name and the
//! household rules tell its members apart.
//!
//! Invariant: which values are common depends on the clustering's persons
//! only, not on thread count or order; the per-record flags are empty when
//! no value is common, so the common case costs one length check.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::block::{block_of, key_hash, KeyEntry, KeyKind};
use super::index::RecordIndex;
use super::{PersonIdx, Persons, RecordIdx};
use crate::normalize::RecordView;

/// More persons under one contact value than any but the rarest household
/// holds (Japan's households had 2.2 persons on average at the 2020
/// census). A value given by more persons is no family's: a dummy's or a
/// company's. The mailing groups use the same bound (`output::mailing`).
pub const MAX_HOUSEHOLD_PERSONS: usize = 10;

/// The contact kinds judged, with their flag bit.
const KINDS: [(KeyKind, u8); 2] = [(KeyKind::Email, EMAIL_BIT), (KeyKind::Phone, PHONE_BIT)];
const EMAIL_BIT: u8 = 1;
const PHONE_BIT: u8 = 2;

/// The common email and phone values of the recovered records.
#[derive(Debug, Default)]
pub struct CommonContacts {
    /// The index blocks ([`block_of`]) of the common values.
    blocks: FxHashSet<u64>,
    /// Per record, which of its values are common ([`EMAIL_BIT`],
    /// [`PHONE_BIT`]); empty when none is.
    flags: Vec<u8>,
    /// Common emails and phone numbers found (counts.json).
    pub emails: u64,
    pub phones: u64,
}

impl CommonContacts {
    /// Finds the email and phone blocks of `index` whose records belong to
    /// more than [`MAX_HOUSEHOLD_PERSONS`] persons. Only a block of more
    /// entries than that can, so the others cost a scan of the index's
    /// entries and nothing more.
    pub fn find(persons: &Persons, index: &RecordIndex, records: usize) -> CommonContacts {
        let entries = index.entries();
        let mut common = CommonContacts::default();
        for (kind, bit) in KINDS {
            let of_kind = kind_range(entries, kind);
            let large: Vec<&[KeyEntry]> = entries[of_kind]
                .chunk_by(|a, b| a.block() == b.block())
                .filter(|block| block.len() > MAX_HOUSEHOLD_PERSONS)
                .collect();
            let found: Vec<&[KeyEntry]> = large
                .into_par_iter()
                .filter(|block| distinct_persons(persons, block) > MAX_HOUSEHOLD_PERSONS)
                .collect();
            if found.is_empty() {
                continue;
            }
            if common.flags.is_empty() {
                common.flags = vec![0; records];
            }
            for block in &found {
                common.blocks.insert(block[0].block());
                for entry in *block {
                    common.flags[entry.record() as usize] |= bit;
                }
            }
            let count = found.len() as u64;
            match kind {
                KeyKind::Email => common.emails = count,
                _ => common.phones = count,
            }
        }
        common
    }

    /// `view` with its common values taken out (compared as missing), or
    /// `None` when it has none. `key` is scratch.
    pub fn mask_booking<'a>(&self, view: &RecordView<'a>, key: &mut String) -> Option<RecordView<'a>> {
        if self.blocks.is_empty() {
            return None;
        }
        let mut bits = 0;
        for (kind, bit) in KINDS {
            if kind.write_key(view, 0, key) && self.blocks.contains(&block_of(kind, key_hash(kind, key))) {
                bits |= bit;
            }
        }
        (bits != 0).then(|| masked(view, bits))
    }

    /// The recovered record's view with its common values taken out, or
    /// `None` when it has none.
    pub fn mask_record<'a>(&self, record: RecordIdx, view: &RecordView<'a>) -> Option<RecordView<'a>> {
        let bits = self.flags.get(record as usize).copied().unwrap_or(0);
        (bits != 0).then(|| masked(view, bits))
    }
}

/// `view` without the values of `bits`.
fn masked<'a>(view: &RecordView<'a>, bits: u8) -> RecordView<'a> {
    let mut out = view.clone();
    if bits & EMAIL_BIT != 0 {
        out.email = Default::default();
    }
    if bits & PHONE_BIT != 0 {
        out.phone = "";
    }
    out
}

/// The range of `entries` (sorted by kind first) of `kind`.
fn kind_range(entries: &[KeyEntry], kind: KeyKind) -> std::ops::Range<usize> {
    let start = entries.partition_point(|e| (e.kind() as u8) < kind as u8);
    let end = start + entries[start..].partition_point(|e| e.kind() as u8 == kind as u8);
    start..end
}

/// How many persons the records of `block` belong to.
fn distinct_persons(persons: &Persons, block: &[KeyEntry]) -> usize {
    let mut of: Vec<PersonIdx> = block.iter().map(|e| persons.person_of(e.record())).collect();
    of.sort_unstable();
    of.dedup();
    of.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key hash for a small number (a block keeps a hash's top bits).
    fn hash(n: u64) -> u64 {
        n << 40
    }

    /// An index of `emails` (record i gives `emails[i]`) and `phones` the same.
    fn index_of(emails: &[u64], phones: &[u64]) -> RecordIndex {
        let mut entries: Vec<KeyEntry> = emails
            .iter()
            .enumerate()
            .map(|(r, &h)| KeyEntry::new(KeyKind::Email, hash(h), r as u32, 0))
            .chain(phones.iter().enumerate().map(|(r, &h)| KeyEntry::new(KeyKind::Phone, hash(h), r as u32, 0)))
            .collect();
        entries.sort_unstable();
        RecordIndex::new(entries)
    }

    #[test]
    fn a_value_is_common_past_the_household_bound_of_persons_not_records() {
        let n = 2 * (MAX_HOUSEHOLD_PERSONS + 1);
        // Records 0..=10 are eleven persons; 11.. are one person's rows.
        let roots: Vec<RecordIdx> =
            (0..n as u32).map(|r| if r <= MAX_HOUSEHOLD_PERSONS as u32 { r } else { n as u32 - 1 }).collect();
        let persons = Persons::from_roots(&roots);
        // Email 7: the eleven persons'; email 9: the one person's eleven rows.
        let emails: Vec<u64> = (0..n).map(|r| if r <= MAX_HOUSEHOLD_PERSONS { 7 } else { 9 }).collect();
        // Phone 5: ten of the persons (the household bound) and the one
        // person's rows but the first.
        let shares_phone = |r: usize| !(MAX_HOUSEHOLD_PERSONS..=MAX_HOUSEHOLD_PERSONS + 1).contains(&r);
        let phones: Vec<u64> = (0..n).map(|r| if shares_phone(r) { 5 } else { r as u64 + 100 }).collect();
        let common = CommonContacts::find(&persons, &index_of(&emails, &phones), n);
        assert_eq!((common.emails, common.phones), (1, 1));
        assert!(common.blocks.contains(&block_of(KeyKind::Email, hash(7))));
        assert!(!common.blocks.contains(&block_of(KeyKind::Email, hash(9))), "one person's rows");
        assert!(common.blocks.contains(&block_of(KeyKind::Phone, hash(5))), "ten persons and one more");
        assert_eq!(common.flags[0], EMAIL_BIT | PHONE_BIT);
        assert_eq!(common.flags[10], EMAIL_BIT);
        assert_eq!(common.flags[11], 0);
        assert_eq!(common.flags[12], PHONE_BIT);
    }

    #[test]
    fn without_a_common_value_nothing_is_masked_and_no_flag_is_held() {
        let persons = Persons::from_roots(&[0, 1, 2]);
        let common = CommonContacts::find(&persons, &index_of(&[1, 1, 1], &[2, 2, 2]), 3);
        assert!(common.flags.is_empty() && common.blocks.is_empty());
        let view = crate::normalize::NormalizedRecord { phone: "0312345678", ..Default::default() };
        assert!(common.mask_record(0, &view).is_none());
        assert!(common.mask_booking(&view, &mut String::new()).is_none());
    }
}
