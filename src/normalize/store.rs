//! The normalized records of the recovered file, held compactly for the
//! whole run: every text of every record in one buffer, each record a
//! fixed-size skeleton of offsets into it.
//!
//! Invariants: nothing is allocated per record (three vectors grow by
//! doubling); [`RecordStore::get`] gives back exactly the texts pushed, as
//! a [`RecordView`] that borrows them, at the cost of a few dozen offset
//! reads. The texts of record r lie between `starts[r]` and `starts[r + 1]`;
//! a skeleton's offsets are the ends of its texts relative to its start, in
//! the order [`NormalizedRecord::map`] visits them, so a record's texts
//! need not fit in the offsets of the whole buffer.

use std::hash::{Hash, Hasher};

use anyhow::{bail, Result};

use super::{NormalizedRecord, RecordView};

/// Normalized records in pushing order.
#[derive(Debug, Default)]
pub struct RecordStore {
    /// Every text of every record, one after the other.
    text: String,
    /// Where each record's texts begin in `text`.
    starts: Vec<u64>,
    /// Each record with its texts replaced by their end offsets relative
    /// to the record's start.
    skeletons: Vec<NormalizedRecord<u32>>,
}

impl RecordStore {
    /// Appends a record.
    pub fn push(&mut self, record: &NormalizedRecord) -> Result<()> {
        let start = self.text.len();
        let text = &mut self.text;
        let skeleton = record.map(&mut |value: &String| {
            text.push_str(value);
            text.len() - start
        });
        if u32::try_from(text.len() - start).is_err() {
            text.truncate(start);
            bail!("one record's normalized texts exceed 4 GiB");
        }
        // Every offset is at most the record's total, checked above.
        self.skeletons.push(skeleton.map(&mut |&end| end as u32));
        self.starts.push(start as u64);
        Ok(())
    }

    /// The record at `index`, its texts borrowed from the store.
    pub fn get(&self, index: usize) -> RecordView<'_> {
        let start = self.starts[index] as usize;
        let texts = &self.text[start..];
        let mut from = 0;
        self.skeletons[index].map(&mut |&end| {
            let value = &texts[from..end as usize];
            from = end as usize;
            value
        })
    }

    /// The texts of record `index`, one after the other.
    fn texts(&self, index: usize) -> &str {
        let start = self.starts[index] as usize;
        let end = self.starts.get(index + 1).map_or(self.text.len(), |&next| next as usize);
        &self.text[start..end]
    }

    /// A hash of record `index`'s values: equal records hash equal.
    pub fn content_hash(&self, index: usize) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        self.skeletons[index].hash(&mut hasher);
        self.texts(index).hash(&mut hasher);
        hasher.finish()
    }

    /// Whether records `a` and `b` hold equal values.
    pub fn same(&self, a: usize, b: usize) -> bool {
        self.skeletons[a] == self.skeletons[b] && self.texts(a) == self.texts(b)
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.skeletons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.skeletons.is_empty()
    }

    /// Every record, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RecordView<'_>> + Clone + '_ {
        (0..self.len()).map(|index| self.get(index))
    }

    /// Bytes held: the text buffer, the starts and the skeletons, at their
    /// capacities (what a run reports as memory per record).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.starts.capacity() * size_of::<u64>()
            + self.skeletons.capacity() * size_of::<NormalizedRecord<u32>>()
    }

    /// Releases the spare capacity left by growth, once loading ends.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.skeletons.shrink_to_fit();
    }
}

impl FromIterator<NormalizedRecord> for RecordStore {
    /// A store of `records` (tests and small inputs; a record over 4 GiB of
    /// text cannot be built in a test).
    fn from_iter<I: IntoIterator<Item = NormalizedRecord>>(records: I) -> RecordStore {
        let mut store = RecordStore::default();
        for record in records {
            if store.push(&record).is_err() {
                unreachable!("a test record over 4 GiB");
            }
        }
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Field;
    use crate::normalize::normalize_fields;

    #[test]
    fn gives_back_each_record_as_pushed() {
        let records = [
            normalize_fields(&[(Field::NameKanji, "山田 太郎"), (Field::Email, "Taro@Example.com")]),
            NormalizedRecord::default(),
            normalize_fields(&[
                (Field::NameKana, "ヤマダ ハナコ"),
                (Field::NameRomaji, "YAMADA/HANAKO MRS"),
                (Field::Address, "東京都千代田区丸の内1-2-3 丸ビル101"),
                (Field::Phone, "03-1234-5678"),
                (Field::BirthDate, "1980-02-29"),
            ]),
        ];
        let store: RecordStore = records.iter().cloned().collect();
        assert_eq!(store.len(), records.len());
        for (index, record) in records.iter().enumerate() {
            assert_eq!(store.get(index), record.view(), "record {index}");
        }
        assert!(store.get(2).address.full.contains("丸ビル"));
    }
}
