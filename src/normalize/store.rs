//! The normalized records of the recovered file, held compactly for the
//! whole run: every text of every record in one buffer, each record a
//! fixed-size skeleton of spans into it.
//!
//! Invariants: nothing is allocated per record (the vectors grow by
//! doubling); [`RecordStore::get`] gives back exactly the texts pushed, as
//! a [`RecordView`] that borrows them, at the cost of a few dozen span
//! reads. A span is (start, length) in bytes from the record's start, in
//! the order [`NormalizedRecord::map`] visits the texts; a text found in
//! the record's texts already laid out (a loose key equal to the strict
//! one, an address part inside the whole address) is not laid out again
//! (UTF-8 is self-synchronizing, so a byte match of a whole text starts and
//! ends on character boundaries). Records are encoded by the workers
//! ([`EncodedRecord`]); the store only appends. A span is three bytes: a
//! 16-bit start and an 8-bit length. A record whose texts pass 64 KiB, or
//! with one text over 255 bytes (an address of 86 kanji), keeps 32-bit
//! spans in a side table, found by binary search; its skeleton holds only
//! [`WIDE`] spans.

use std::hash::{Hash, Hasher};

use anyhow::{bail, Result};

use super::{NormalizedRecord, RecordView};

/// One text: its start in bytes from its record's start (16 bits, little
/// endian) and its length in bytes (8 bits). Three bytes, not the four of
/// two u16: a skeleton holds 32 spans, and the byte saved on each is 0.3 GB
/// on 9,000,000 records.
type Span = [u8; 3];

/// A skeleton's size: every byte is paid once per recovered row (9 MB at
/// 9,000,000 rows). The name keys' split offsets (`given_start`) live in
/// its padding.
const _: () = assert!(size_of::<NormalizedRecord<Span>>() <= 112);

/// The spans of a record kept in the side table for wide records (no
/// narrow span can be it: it would end past 64 KiB).
const WIDE: Span = [u8::MAX; 3];

/// The narrow span of (start, length), when both fit.
fn narrow_span([start, len]: [u32; 2]) -> Option<Span> {
    let start = u16::try_from(start).ok()?.to_le_bytes();
    let len = u8::try_from(len).ok()?;
    let span = [start[0], start[1], len];
    (span != WIDE).then_some(span)
}

/// The text of a narrow span in its record's texts.
fn span_text(texts: &str, [low, high, len]: Span) -> &str {
    let start = usize::from(u16::from_le_bytes([low, high]));
    &texts[start..start + usize::from(len)]
}

/// A record laid out for the store: its spans and its texts, made by a
/// worker in its row's slot of the batch stream (reused batch after batch,
/// like the row's printed texts); the store copies it.
#[derive(Debug, Default)]
pub struct EncodedRecord {
    skeleton: NormalizedRecord<[u32; 2]>,
    text: String,
}

impl EncodedRecord {
    /// Makes room for `text_bytes` of texts (the buffer is emptied by
    /// [`EncodedRecord::encode`]).
    pub fn reserve(&mut self, text_bytes: usize) {
        self.text.clear();
        self.text.reserve(text_bytes);
    }

    /// Lays `record` out, reusing this buffer.
    pub fn encode(&mut self, record: &NormalizedRecord) {
        let text = &mut self.text;
        text.clear();
        self.skeleton = record.map(&mut |value: &String| {
            if value.is_empty() {
                return [0, 0];
            }
            let start = find_short(text.as_bytes(), value.as_bytes()).unwrap_or_else(|| {
                text.push_str(value);
                text.len() - value.len()
            });
            // A field is at most --max-field-bytes (u32 range); the record
            // total is checked when it is pushed.
            [start as u32, value.len() as u32]
        });
    }
}

/// Where `needle` (not empty) first occurs in `haystack`. A record's
/// texts are a few hundred bytes, and a general searcher costs more to
/// build than the search takes (`memchr::memmem::find` 1.7% of a whole run
/// in `perf`, std's `str::find` 3%): this scans for the needle's last byte
/// with `memchr` (no set-up; a kana's last byte varies more than its
/// first) and compares where it occurs. A match of valid UTF-8 in valid
/// UTF-8 starts on a character boundary.
fn find_short(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let tail = needle.len() - 1;
    let last = needle[tail];
    memchr::memchr_iter(last, haystack.get(tail..)?).find(|&start| &haystack[start..start + needle.len()] == needle)
}

/// Normalized records in pushing order.
#[derive(Debug, Default)]
pub struct RecordStore {
    /// Every text of every record, one after the other.
    text: String,
    /// Where each record's texts begin in `text`.
    starts: Vec<u64>,
    /// Each record with its texts replaced by their spans.
    skeletons: Vec<NormalizedRecord<Span>>,
    /// Records whose texts pass 64 KiB, ascending, with 32-bit spans.
    wide: Vec<(u32, NormalizedRecord<[u32; 2]>)>,
    /// Per record, the contact values that read as missing
    /// ([`RecordStore::hide`]); empty when none do.
    hidden: Vec<Hidden>,
}

/// Which contact values of a record read as missing: bits of
/// [`Hidden::EMAIL`] and [`Hidden::PHONE`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden(u8);

impl Hidden {
    pub const EMAIL: Hidden = Hidden(1);
    pub const PHONE: Hidden = Hidden(2);

    /// Whether no value is hidden.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every value of `other` is hidden.
    pub fn contains(self, other: Hidden) -> bool {
        self.0 & other.0 == other.0
    }

    /// The values of both.
    pub fn and(self, other: Hidden) -> Hidden {
        Hidden(self.0 & other.0)
    }

    /// The values of either.
    pub fn or(self, other: Hidden) -> Hidden {
        Hidden(self.0 | other.0)
    }

    /// These values but those of `other`.
    pub fn without(self, other: Hidden) -> Hidden {
        Hidden(self.0 & !other.0)
    }

    /// `record` with these values taken out (a view, or a record being
    /// normalized).
    pub fn apply<S: Default>(self, record: &mut NormalizedRecord<S>) {
        if self.contains(Hidden::EMAIL) {
            record.email = Default::default();
        }
        if self.contains(Hidden::PHONE) {
            record.phone = S::default();
        }
    }
}

impl RecordStore {
    /// Appends a record (tests; the loader pushes records its workers
    /// encoded).
    pub fn push(&mut self, record: &NormalizedRecord) -> Result<()> {
        let mut encoded = EncodedRecord::default();
        encoded.encode(record);
        self.push_encoded(&encoded)
    }

    /// Appends a record encoded by [`EncodedRecord::encode`].
    pub fn push_encoded(&mut self, encoded: &EncodedRecord) -> Result<()> {
        let Ok(index) = u32::try_from(self.skeletons.len()) else {
            bail!("the recovered file has more than 4,294,967,295 usable rows");
        };
        if u32::try_from(encoded.text.len()).is_err() {
            bail!("one record's normalized texts exceed 4 GiB");
        }
        self.starts.push(self.text.len() as u64);
        self.text.push_str(&encoded.text);
        let mut narrow = true;
        let skeleton = encoded.skeleton.map(&mut |&span| {
            narrow_span(span).unwrap_or_else(|| {
                narrow = false;
                WIDE
            })
        });
        if narrow {
            self.skeletons.push(skeleton);
        } else {
            self.skeletons.push(encoded.skeleton.map(&mut |_| WIDE));
            self.wide.push((index, encoded.skeleton.clone()));
        }
        Ok(())
    }

    /// The record at `index`, its texts borrowed from the store, without
    /// the values hidden ([`RecordStore::hide`]).
    pub fn get(&self, index: usize) -> RecordView<'_> {
        let mut view = self.get_whole(index);
        if let Some(&hidden) = self.hidden.get(index) {
            hidden.apply(&mut view);
        }
        view
    }

    /// The record at `index` as pushed, hidden values too.
    pub fn get_whole(&self, index: usize) -> RecordView<'_> {
        let texts = self.texts(index);
        let skeleton = &self.skeletons[index];
        if skeleton.name_kanji.strict == WIDE {
            if let Ok(at) = self.wide.binary_search_by_key(&(index as u32), |(record, _)| *record) {
                return self.wide[at].1.map(&mut |&[start, len]| &texts[start as usize..(start + len) as usize]);
            }
        }
        skeleton.map(&mut |&span| span_text(texts, span))
    }

    /// Whether some record hides a value.
    pub fn hides_any(&self) -> bool {
        self.hidden.iter().any(|h| !h.is_empty())
    }

    /// The values of record `index` that read as missing.
    pub fn hidden(&self, index: usize) -> Hidden {
        self.hidden.get(index).copied().unwrap_or_default()
    }

    /// From now on, record `i`'s values of `hidden[i]` read as missing
    /// (a record past the vector's end hides nothing; an empty vector shows
    /// every value again). The matching code hides contact values that name
    /// no one (`matching::common`); the outputs print the texts kept apart
    /// (`recovered::RowText`), so no value is lost from them.
    pub fn hide(&mut self, hidden: Vec<Hidden>) {
        self.hidden = hidden;
    }

    /// Asks for the memory [`RecordStore::get`] reads for each of
    /// `indices` (`crate::prefetch`), in two rounds: every record's text
    /// start and skeleton, then every record's texts, which the start
    /// locates (a record read is otherwise two dependent cache misses).
    pub fn prefetch(&self, indices: impl Iterator<Item = usize> + Clone) {
        for index in indices.clone() {
            self.prefetch_layout(index);
        }
        for index in indices {
            self.prefetch_texts(index);
        }
    }

    /// Asks for record `index`'s text start and skeleton.
    pub fn prefetch_layout(&self, index: usize) {
        if let (Some(start), Some(skeleton)) = (self.starts.get(index), self.skeletons.get(index)) {
            crate::prefetch::prefetch(start);
            crate::prefetch::prefetch(skeleton);
        }
    }

    /// Asks for record `index`'s texts; reads its text start, so call it
    /// after [`RecordStore::prefetch_layout`] had time to load that. The
    /// texts are taken as bytes: slicing the `str` would read their first
    /// byte (a character-boundary check), the very miss this avoids.
    pub fn prefetch_texts(&self, index: usize) {
        if let Some(texts) = self.text.as_bytes().get(self.text_range(index)) {
            crate::prefetch::prefetch_bytes(texts);
        }
    }

    /// The texts of record `index`, one after the other.
    fn texts(&self, index: usize) -> &str {
        &self.text[self.text_range(index)]
    }

    /// Where record `index`'s texts lie in the text buffer.
    fn text_range(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.starts[index] as usize;
        let end = self.starts.get(index + 1).map_or(self.text.len(), |&next| next as usize);
        start..end
    }

    /// A hash of record `index`'s values: equal records hash equal (a
    /// record is laid out the same way whenever its values are the same).
    pub fn content_hash(&self, index: usize) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        self.skeletons[index].hash(&mut hasher);
        self.texts(index).hash(&mut hasher);
        hasher.finish()
    }

    /// Whether records `a` and `b` hold equal values.
    pub fn same(&self, a: usize, b: usize) -> bool {
        if self.skeletons[a] == self.skeletons[b] && self.texts(a) == self.texts(b) {
            return true;
        }
        // Wide records share the all-WIDE skeleton: compare their views.
        self.skeletons[a].name_kanji.strict == WIDE && self.get(a) == self.get(b)
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
            + self.skeletons.capacity() * size_of::<NormalizedRecord<Span>>()
            + self.wide.capacity() * size_of::<(u32, NormalizedRecord<[u32; 2]>)>()
    }

    /// Releases the spare capacity left by growth, once loading ends.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.skeletons.shrink_to_fit();
        self.wide.shrink_to_fit();
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
    fn the_short_search_finds_what_std_finds() {
        let haystack = "東京都千代田区丸ノ内1-2-3丸ビル101YAMADATAROYAMADA";
        for needle in [
            "東京都",
            "丸ノ内",
            "1-2-3",
            "101",
            "YAMADA",
            "TARO",
            "A",
            "都千",
            "丸ビル101YAMADATAROYAMADA",
            "大阪",
            "X",
        ] {
            assert_eq!(find_short(haystack.as_bytes(), needle.as_bytes()), haystack.find(needle), "{needle}");
        }
        assert_eq!(find_short(b"ab", b"abc"), None, "needle longer than the text");
    }

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

    #[test]
    fn a_text_already_laid_out_is_not_laid_out_again() {
        let record =
            normalize_fields(&[(Field::NameKanji, "山田 太郎"), (Field::Address, "東京都千代田区丸の内1-2-3")]);
        let store: RecordStore = std::iter::once(record.clone()).collect();
        let mut every_text = 0;
        let _ = record.map(&mut |text: &String| every_text += text.len());
        assert!(store.heap_bytes() > 0);
        assert!(store.texts(0).len() < every_text, "{} of {every_text} bytes", store.texts(0).len());
        assert_eq!(store.get(0), record.view());
    }

    #[test]
    fn a_record_past_64_kib_of_text_keeps_wide_spans() {
        let long_address = format!("東京都千代田区{}", "丸".repeat(30_000));
        let wide = normalize_fields(&[(Field::NameKanji, "山田 太郎"), (Field::Address, &long_address)]);
        let narrow = normalize_fields(&[(Field::NameKanji, "山田 花子")]);
        let store: RecordStore = [narrow.clone(), wide.clone(), narrow.clone(), wide.clone()].into_iter().collect();
        assert!(store.texts(1).len() > usize::from(u16::MAX));
        for (index, record) in [&narrow, &wide, &narrow, &wide].into_iter().enumerate() {
            assert_eq!(store.get(index), record.view(), "record {index}");
        }
        assert!(store.same(1, 3) && store.same(0, 2) && !store.same(0, 1));
    }

    #[test]
    fn a_text_past_255_bytes_keeps_wide_spans() {
        let long_address = format!("東京都千代田区{}", "丸".repeat(90));
        let long = normalize_fields(&[(Field::NameKanji, "山田 太郎"), (Field::Address, &long_address)]);
        let short = normalize_fields(&[(Field::NameKanji, "山田 花子"), (Field::Address, "東京都千代田区丸の内1")]);
        let store: RecordStore = [short.clone(), long.clone(), short.clone()].into_iter().collect();
        assert!(store.get(1).address.full.len() > 255);
        for (index, record) in [&short, &long, &short].into_iter().enumerate() {
            assert_eq!(store.get(index), record.view(), "record {index}");
        }
        assert_eq!(store.wide.len(), 1);
    }

    #[test]
    fn a_span_is_narrow_only_when_it_fits() {
        assert_eq!(narrow_span([0, 0]), Some([0, 0, 0]));
        assert_eq!(narrow_span([300, 255]), Some([44, 1, 255]));
        assert_eq!(narrow_span([0, 256]), None);
        assert_eq!(narrow_span([65_536, 1]), None);
        assert_eq!(narrow_span([65_535, 255]), None, "the wide mark");
        assert_eq!(span_text("abcdef", [2, 0, 3]), "cde");
    }
}
