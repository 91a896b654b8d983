//! Loading the recovered file: read in batches, decode and normalize in
//! parallel, keep the normalized records in memory for indexing.
//!
//! Invariant: rows come out in file order (rayon's indexed collect preserves
//! it), so record indexes, and everything numbered from them, do not depend
//! on the thread count. Every data row is either a record or a reject. The
//! texts kept for the outputs ([`RowText`]) live in one buffer
//! ([`RowTexts`]): nothing is allocated per row that survives the load.
//! The outputs read those texts and each row's passport status, never the
//! normalized records, so a run frees the records once matching is done.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Result};

use crate::input::record::{decode_row, RawFields, RowError};
use crate::input::stream::{stream, RejectSink, RowOutcome};
use crate::input::{Field, Source};
use crate::normalize::passport::{self, PassportStatus};
use crate::normalize::store::{EncodedRecord, Hidden, RecordStore};
use crate::normalize::{normalize_record, Date, FieldCounts, FieldFlags, NormalizedRecord, Scratch};
use crate::progress::Progress;
use crate::spill::SpillFile;
use crate::workers::Pool;

/// How much longer a row's bytes may get decoded to UTF-8: CP932 kanji and
/// kana take 2 bytes there and 3 here (half-width kana 1 and 3, rare).
const DECODED_GROWTH: usize = 2;
/// The normalized texts of a row against its bytes: the values and the
/// keys derived from them (readings, romaji keys), each text once.
const ENCODED_GROWTH: usize = 2;
/// Digits of a row number written as the record id (u64).
const ROW_NUMBER_DIGITS: usize = 20;

/// A text kept per used row for affected.csv, links.csv and no_email.csv.
/// Ids, names and the postal address as written in the recovered file (the
/// postal address only for rows without an email: letters by post); the
/// email and passport number normalized, as the outputs print them. With
/// these the outputs need none of the normalized records, which a run frees
/// before it writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowText {
    /// The record_id column, or the data-row number when the file has none.
    RecordId,
    NameKanji,
    NameKana,
    NameRomaji,
    Address,
    PostalCode,
    /// The normalized email address.
    Email,
    /// The normalized passport number, kept only with
    /// [`LoadOptions::keep_passport_numbers`] (empty otherwise).
    PassportNumber,
}

impl RowText {
    const ALL: [RowText; 8] = [
        RowText::RecordId,
        RowText::NameKanji,
        RowText::NameKana,
        RowText::NameRomaji,
        RowText::Address,
        RowText::PostalCode,
        RowText::Email,
        RowText::PassportNumber,
    ];
}

/// The [`RowText`]s of every used row in one buffer: the texts of row r
/// are consecutive, text t of row r ends at `ends[r * 8 + t]`.
///
/// A run keeps them on disk while it matches (`crate::spill`: 0.8 GB on
/// 8,000,000 generated persons, which would otherwise sit beside the
/// matching's peak) and reads them back for the outputs
/// ([`RowTexts::read_back`]).
#[derive(Debug, Default)]
pub struct RowTexts {
    text: String,
    ends: Vec<u32>,
    /// The texts and their ends while they are on disk.
    spill: Option<(SpillFile, SpillFile)>,
}

impl RowTexts {
    /// Appends the texts of one row, given as one string and the length of
    /// each text in [`RowText::ALL`] order.
    fn push(&mut self, joined: &str, lens: &[u32; RowText::ALL.len()]) -> Result<()> {
        let mut end = self.spill.as_ref().map_or(self.text.len(), |(text, _)| text.len());
        match &mut self.spill {
            Some((text, _)) => text.write(joined.as_bytes())?,
            None => self.text.push_str(joined),
        }
        for len in lens {
            end += *len as usize;
            let Ok(end) = u32::try_from(end) else {
                bail!("the recovered file's names and ids exceed 4 GiB of text");
            };
            match &mut self.spill {
                Some((_, ends)) => ends.write(&end.to_le_bytes())?,
                None => self.ends.push(end),
            }
        }
        Ok(())
    }

    /// The texts back in memory, when they were on disk.
    pub fn read_back(&mut self) -> Result<()> {
        if let Some((text, ends)) = self.spill.take() {
            self.text = text.read_string()?;
            self.ends = ends.read_records(|bytes: &[u8; 4]| u32::from_le_bytes(*bytes))?;
        }
        Ok(())
    }

    /// Text `which` of row `row`.
    pub fn get(&self, row: u32, which: RowText) -> &str {
        let index = row as usize * RowText::ALL.len() + which as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        &self.text[start..self.ends[index] as usize]
    }
}

/// The used rows of the recovered file.
#[derive(Debug, Default)]
pub struct RecoveredSet {
    /// Normalized keys, one per used row, in file order. Emptied by
    /// [`RecoveredSet::free_records`] once matching is done.
    pub records: RecordStore,
    /// The texts the outputs print of each used row ([`RowText`]).
    pub texts: RowTexts,
    /// The passport status of each used row as of the run's date.
    passports: Vec<PassportStatus>,
    pub rows_read: u64,
    pub rows_rejected: u64,
    pub fields: FieldCounts,
    /// Rows whose email the matching hid as given by more persons than a
    /// household holds (`matching::common`), one bit a row, taken by
    /// [`RecoveredSet::free_records`]; empty when none.
    common_emails: Vec<u64>,
}

/// A used row of the recovered file (a slot of the batch stream, its
/// buffers reused row after row).
#[derive(Default)]
struct UsedRow {
    /// The row's [`RowText`]s, one after the other.
    texts: String,
    text_lens: [u32; RowText::ALL.len()],
    record: EncodedRecord,
    passport: PassportStatus,
    invalid: FieldFlags,
}

/// How [`load`] keeps what the outputs need.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions<'a> {
    /// The texts the outputs print wait on disk in this folder until
    /// [`RowTexts::read_back`].
    pub spill_dir: Option<&'a Path>,
    /// Keep each row's passport number for the outputs (`--include-sensitive`).
    pub keep_passport_numbers: bool,
}

struct Worker {
    raw: RawFields,
    scratch: Scratch,
    normalized: NormalizedRecord,
    keep_passport_numbers: bool,
}

impl Worker {
    fn new(as_of: Date, keep_passport_numbers: bool) -> Worker {
        Worker {
            raw: RawFields::default(),
            scratch: Scratch::new(as_of),
            normalized: NormalizedRecord::default(),
            keep_passport_numbers,
        }
    }

    fn process(&mut self, source: &Source, record: &csv::ByteRecord, row_number: u64, row: &mut UsedRow) -> RowOutcome {
        decode_row(record, source, &mut self.raw)?;
        let normalized = &mut self.normalized;
        let invalid = normalize_record(&self.raw, &mut self.scratch, normalized);
        if !normalized.has_identifying_value() {
            return Err(RowError::NoIdentifyingValue);
        }
        // The postal address is kept only for rows no email reaches: only
        // such persons are written to no_email.csv (a row with an email
        // keeps its person out of it anyway).
        let no_email = normalized.email.address.is_empty();
        // Sized once for the row (its texts are raw fields and the email,
        // at most the row's bytes, decoded; the record id may be a row
        // number), so pushing never grows it: growing was 1.5% of a
        // 1,000,000-person run's samples, copying in realloc.
        let row_bytes = record.as_slice().len();
        let UsedRow { texts, text_lens, record: encoded, .. } = row;
        texts.clear();
        texts.reserve(DECODED_GROWTH * row_bytes + ROW_NUMBER_DIGITS);
        for (which, len) in RowText::ALL.into_iter().zip(text_lens.iter_mut()) {
            let before = texts.len();
            match which {
                RowText::RecordId => match self.raw.get(Field::RecordId) {
                    "" => {
                        // Writing into a String cannot fail.
                        let _ = write!(texts, "{row_number}");
                    }
                    id => texts.push_str(id),
                },
                RowText::NameKanji => texts.push_str(self.raw.get(Field::NameKanji)),
                RowText::NameKana => texts.push_str(self.raw.get(Field::NameKana)),
                RowText::NameRomaji => texts.push_str(self.raw.get(Field::NameRomaji)),
                RowText::Address if no_email => texts.push_str(self.raw.get(Field::Address)),
                RowText::PostalCode if no_email => texts.push_str(self.raw.get(Field::PostalCode)),
                RowText::Address | RowText::PostalCode => {}
                RowText::Email => texts.push_str(&normalized.email.address),
                RowText::PassportNumber if self.keep_passport_numbers => texts.push_str(&normalized.passport_number),
                RowText::PassportNumber => {}
            }
            // A field is at most --max-field-bytes (u32 range).
            *len = (texts.len() - before) as u32;
        }
        let passport = passport::status_of_row(
            &normalized.passport_number,
            normalized.passport_issue_date,
            normalized.birth_date,
            self.scratch.reference_date,
        );
        encoded.reserve(ENCODED_GROWTH * row_bytes);
        encoded.encode(normalized);
        (row.passport, row.invalid) = (passport, invalid);
        Ok(())
    }
}

/// Reads, normalizes and keeps every usable row of the recovered file;
/// unusable rows go to `rejects`. Dates after `as_of` are unusable (see
/// normalize/date.rs).
pub fn load(
    source: &Source,
    as_of: Date,
    rejects: &mut dyn RejectSink,
    progress: &Progress,
    options: LoadOptions,
) -> Result<RecoveredSet> {
    let phase = progress.phase("recovered", source.len_bytes);
    let mut set = RecoveredSet::default();
    if let Some(dir) = options.spill_dir {
        set.texts.spill = Some((SpillFile::create(dir)?, SpillFile::create(dir)?));
    }
    let workers = Pool::new(|| Worker::new(as_of, options.keep_passport_numbers));
    let counts = stream(
        &[source],
        &workers,
        |worker: &mut Worker, source, record, meta, row: &mut UsedRow| {
            worker.process(source, record, meta.row_number, row)
        },
        |_, row: &mut UsedRow| {
            set.fields.add(row.invalid);
            set.records.push_encoded(&row.record)?;
            set.passports.push(row.passport);
            set.texts.push(&row.texts, &row.text_lens)
        },
        rejects,
        &phase,
    )?;
    phase.finish();
    set.records.shrink_to_fit();
    (set.rows_read, set.rows_rejected) = (counts.rows_read, counts.rows_rejected);
    if set.rows_read == 0 {
        anyhow::bail!("{}: a header row but no data rows", source.display);
    }
    Ok(set)
}

impl RecoveredSet {
    /// How many rows were used (records).
    pub fn used(&self) -> usize {
        self.passports.len()
    }

    /// The record id of record `record`.
    pub fn record_id(&self, record: u32) -> &str {
        self.texts.get(record, RowText::RecordId)
    }

    /// Text `which` of record `record` (see [`RowText`]).
    pub fn text(&self, record: u32, which: RowText) -> &str {
        self.texts.get(record, which)
    }

    /// A set of `records` rows without a passport and nothing else, for
    /// tests of what comes after loading.
    #[cfg(test)]
    pub fn passportless_for_test(records: usize) -> RecoveredSet {
        RecoveredSet { passports: vec![PassportStatus::None; records], ..RecoveredSet::default() }
    }

    /// The passport status of record `record` as of the run's date.
    pub fn passport(&self, record: u32) -> PassportStatus {
        self.passports[record as usize]
    }

    /// Frees the normalized records: after matching the outputs read only
    /// the texts and passport statuses (2.3 GB of 8,000,000 generated
    /// persons' records would otherwise sit beside the result files' data).
    pub fn free_records(&mut self) {
        if self.records.hides_any() {
            let mut bits = vec![0u64; self.records.len().div_ceil(64)];
            for record in 0..self.records.len() {
                if self.records.hidden(record).contains(Hidden::EMAIL) {
                    bits[record / 64] |= 1 << (record % 64);
                }
            }
            self.common_emails = bits;
        }
        self.records = RecordStore::default();
    }

    /// Whether record `record`'s email is one of many persons' (a dummy
    /// typed by staff, a company's): no mail goes there, since it would
    /// tell whoever reads that mailbox of a customer's leak (known once
    /// [`RecoveredSet::free_records`] ran).
    pub fn email_is_common(&self, record: u32) -> bool {
        let record = record as usize;
        self.common_emails.get(record / 64).is_some_and(|word| word & (1 << (record % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::stream::DiscardRejects;
    use crate::input::{InputKind, InputOptions};

    const HEADER: &str =
        "レコードID,氏名,フリガナ,氏名ローマ字,性別,生年月日,メールアドレス,郵便番号,住所,電話番号,旅券番号,旅券発行日";

    fn load_rows(rows: &[&str], options: LoadOptions) -> RecoveredSet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("recovered.csv");
        std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
        let source = Source::open(&path, InputKind::Recovered, &InputOptions::default()).unwrap();
        let as_of = Date::constant(2016, 6, 14);
        let mut set = load(&source, as_of, &mut DiscardRejects, &Progress::hidden(), options).unwrap();
        set.texts.read_back().unwrap();
        set
    }

    #[test]
    fn the_outputs_texts_and_passport_status_outlive_the_records() {
        let rows = [
            "R1,山田 太郎,,,,1980-01-02,Taro.Yamada@Example.JP,,東京都千代田区千代田1-1,,tk 1234567,2012-03-01",
            ",,ヤマダ タロウ,,,,,100-0001,東京都千代田区千代田1-1,,,",
        ];
        for keep_passport_numbers in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let options = LoadOptions { spill_dir: Some(dir.path()), keep_passport_numbers };
            let mut set = load_rows(&rows, options);
            set.free_records();
            assert_eq!(set.records.len(), 0);
            assert_eq!(set.record_id(0), "R1");
            assert_eq!(set.record_id(1), "2", "no record_id: the data-row number");
            assert_eq!(set.text(0, RowText::Email), "taro.yamada@example.jp", "normalized, as mailed");
            assert_eq!(set.text(0, RowText::Address), "", "a row with an email keeps no postal address");
            assert_eq!(set.text(1, RowText::Address), "東京都千代田区千代田1-1", "as written");
            assert_eq!(set.text(1, RowText::PostalCode), "100-0001");
            let number = if keep_passport_numbers { "TK1234567" } else { "" };
            assert_eq!(set.text(0, RowText::PassportNumber), number);
            // Issued 2012 to an adult: a ten-year passport is possible.
            assert_ne!(set.passport(0), PassportStatus::None);
            assert_eq!(set.passport(1), PassportStatus::None, "no passport number");
        }
    }

    /// Rows past the first read batch are made in slots that earlier rows
    /// filled (long texts, every field): each loads as it does in a file
    /// of its own, where its slot is new.
    #[test]
    fn a_row_in_a_reused_slot_loads_as_in_a_file_of_its_own() {
        let full = |i: usize| {
            format!(
                "R{i},山田 太郎{i},ヤマダ タロウ,TARO YAMADA,M,1980-01-02,taro{i}@example.jp,168-0081,\
                 東京都杉並区宮前一丁目2番3号メゾン宮前{i}号室,090-1234-5678,TK1234567,2012-03-01"
            )
        };
        let sparse = |i: usize| match i % 3 {
            0 => format!("S{i},,,,,,,,,090-1000-{i:04},,"),
            1 => format!("S{i},,ヤマダ,,,,,,,,,"),
            _ => format!("S{i},,,,,,,530-0001,大阪府大阪市北区梅田1-1-1,,,"),
        };
        let first: Vec<String> = (0..crate::input::stream::DEFAULT_BATCH_ROWS).map(full).collect();
        let later: Vec<String> = (0..300).map(sparse).collect();
        let options = LoadOptions { spill_dir: None, keep_passport_numbers: true };
        let whole = load_rows(&first.iter().chain(&later).map(String::as_str).collect::<Vec<_>>(), options);
        let alone = load_rows(&later.iter().map(String::as_str).collect::<Vec<_>>(), options);
        assert_eq!(whole.records.len(), first.len() + later.len());
        for row in 0..later.len() {
            let (in_whole, in_alone) = (first.len() + row, row);
            assert_eq!(whole.records.get(in_whole), alone.records.get(in_alone), "row {row}");
            for which in RowText::ALL {
                assert_eq!(whole.text(in_whole as u32, which), alone.text(in_alone as u32, which), "row {row}");
            }
            assert_eq!(whole.passport(in_whole as u32), alone.passport(in_alone as u32), "row {row}");
        }
    }
}
