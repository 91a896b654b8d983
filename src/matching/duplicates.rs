//! Exact duplicates: recovered rows whose normalized values are all equal.
//!
//! A restored file can hold one row thousands of times. Blocking would put
//! every copy in one block (over the cap: never paired, each copy its own
//! person) and training would see thousands of identical pairs (a
//! degenerate model). So copies are collapsed before blocking: only the
//! first row of each group of equal rows (its representative) is blocked
//! and paired; every other row joins its representative's person after
//! clustering, with its record id kept.
//!
//! Rows that hold little are collapsed too: equal rows of a name only may
//! be two namesakes (second generator, sparse file: 11 groups of one
//! person, 9 of two), equal rows of a birth date, a phone or an email only
//! were one person each time (6, 9 and 7 groups). Left so: a copy gets
//! exactly the links its representative gets, so no status changes, and
//! kept apart such rows would be split from their own copies as often as
//! joined to a namesake's.
//!
//! Invariant: representatives are the first row of their group in file
//! order, so the grouping does not depend on hash order.

use rayon::prelude::*;

use super::RecordIdx;
use crate::normalize::store::RecordStore;

/// Each record's representative, and the representatives in file order.
#[derive(Debug, Default)]
pub struct ExactDuplicates {
    representative_of: Vec<RecordIdx>,
    unique: Vec<RecordIdx>,
}

impl ExactDuplicates {
    /// Groups equal records.
    ///
    /// Records are sorted by (content hash, index); within a run of one
    /// hash, each record joins the first earlier representative equal to
    /// it, so a hash collision between unequal records keeps them apart and
    /// 100,000 copies cost one comparison each.
    pub fn find(records: &RecordStore) -> ExactDuplicates {
        let mut by_hash: Vec<(u64, RecordIdx)> =
            (0..records.len()).into_par_iter().map(|index| (records.content_hash(index), index as RecordIdx)).collect();
        by_hash.par_sort_unstable();
        let mut representative_of: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
        for run in by_hash.chunk_by(|a, b| a.0 == b.0) {
            for (position, &(_, record)) in run.iter().enumerate() {
                let earlier = run[..position].iter().map(|&(_, other)| other);
                let mut representatives = earlier.filter(|&other| representative_of[other as usize] == other);
                if let Some(first) = representatives.find(|&other| records.same(other as usize, record as usize)) {
                    representative_of[record as usize] = first;
                }
            }
        }
        let unique = (0..records.len() as RecordIdx).filter(|&r| representative_of[r as usize] == r).collect();
        ExactDuplicates { representative_of, unique }
    }

    /// Records that are copies of an earlier one.
    pub fn copies(&self) -> usize {
        self.representative_of.len() - self.unique.len()
    }

    /// The representatives (first rows of their groups), ascending.
    pub fn unique(&self) -> &[RecordIdx] {
        &self.unique
    }

    /// The representative of `record` (itself when it is one).
    pub fn representative(&self, record: RecordIdx) -> RecordIdx {
        self.representative_of[record as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Field;
    use crate::normalize::normalize_fields as record;

    #[test]
    fn copies_point_at_the_first_equal_row() {
        let a = record(&[(Field::NameKanji, "山田 太郎"), (Field::Email, "taro@example.jp")]);
        // Written differently, equal once normalized (where the given name
        // starts is part of the normalized name: 山田太郎 is not a copy).
        let a2 = record(&[(Field::NameKanji, "山田　太郎"), (Field::Email, "TARO@example.jp")]);
        let b = record(&[(Field::NameKanji, "山田花子")]);
        let records = [a.clone(), b.clone(), a2, a, b].into_iter().collect();
        let dups = ExactDuplicates::find(&records);
        assert_eq!(dups.unique(), &[0, 1]);
        assert_eq!((0..5).map(|r| dups.representative(r)).collect::<Vec<_>>(), vec![0, 1, 0, 0, 1]);
        assert_eq!(dups.copies(), 3);
    }
}
