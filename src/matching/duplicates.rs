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
//! Invariant: representatives are the first row of their group in file
//! order, so the grouping does not depend on hash order.

use rustc_hash::FxHashMap;

use super::RecordIdx;
use crate::normalize::NormalizedRecord;

/// Each record's representative, and the representatives in file order.
#[derive(Debug, Default)]
pub struct ExactDuplicates {
    representative_of: Vec<RecordIdx>,
    unique: Vec<RecordIdx>,
}

impl ExactDuplicates {
    /// Groups equal records.
    pub fn find(records: &[NormalizedRecord]) -> ExactDuplicates {
        let mut first: FxHashMap<&NormalizedRecord, RecordIdx> = FxHashMap::default();
        first.reserve(records.len());
        let mut representative_of = Vec::with_capacity(records.len());
        let mut unique = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let index = index as RecordIdx;
            let representative = *first.entry(record).or_insert(index);
            if representative == index {
                unique.push(index);
            }
            representative_of.push(representative);
        }
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
        let a = record(&[(Field::NameKanji, "山田太郎"), (Field::Email, "taro@example.jp")]);
        // Written differently, equal once normalized.
        let a2 = record(&[(Field::NameKanji, "山田　太郎"), (Field::Email, "TARO@example.jp")]);
        let b = record(&[(Field::NameKanji, "山田花子")]);
        let records = vec![a.clone(), b.clone(), a2, a, b];
        let dups = ExactDuplicates::find(&records);
        assert_eq!(dups.unique(), &[0, 1]);
        assert_eq!((0..5).map(|r| dups.representative(r)).collect::<Vec<_>>(), vec![0, 1, 0, 0, 1]);
        assert_eq!(dups.copies(), 3);
    }
}
