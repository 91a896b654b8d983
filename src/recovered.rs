//! Loading the recovered file: read in batches, decode and normalize in
//! parallel, keep the normalized records in memory for indexing.
//!
//! Invariant: rows come out in file order (rayon's indexed collect preserves
//! it), so record indexes, and everything numbered from them, do not depend
//! on the thread count. Every data row is either a record or a reject.

use anyhow::Result;

use crate::input::record::{decode_row, RawFields, RowError};
use crate::input::stream::{stream, RejectSink, RowResult};
use crate::input::{Field, Source};
use crate::normalize::{normalize_record, Date, FieldCounts, FieldFlags, NormalizedRecord, Scratch};
use crate::progress::Progress;
use crate::workers::Pool;

/// The names and postal address as written in the recovered file, kept for
/// affected.csv and no_email.csv (letters by post; the address of rows
/// without an email only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisplayNames {
    pub kanji: String,
    pub kana: String,
    pub romaji: String,
    pub address: String,
    pub postal_code: String,
}

/// The used rows of the recovered file.
#[derive(Debug, Default)]
pub struct RecoveredSet {
    /// Normalized keys, one per used row, in file order.
    pub records: Vec<NormalizedRecord>,
    /// record_id of each used row (the data-row number when the file has none).
    pub record_ids: Vec<String>,
    /// Raw names of each used row.
    pub names: Vec<DisplayNames>,
    pub rows_read: u64,
    pub rows_rejected: u64,
    pub fields: FieldCounts,
}

/// A used row of the recovered file.
struct UsedRow {
    record_id: String,
    names: DisplayNames,
    record: NormalizedRecord,
    invalid: FieldFlags,
}

struct Worker {
    raw: RawFields,
    scratch: Scratch,
}

impl Worker {
    fn new(as_of: Date) -> Worker {
        Worker { raw: RawFields::default(), scratch: Scratch::new(as_of) }
    }

    fn process(&mut self, source: &Source, record: &csv::ByteRecord, row_number: u64) -> RowResult<UsedRow> {
        if let Err(error) = decode_row(record, source, &mut self.raw) {
            return RowResult::Rejected(error);
        }
        let mut normalized = NormalizedRecord::default();
        let invalid = normalize_record(&self.raw, &mut self.scratch, &mut normalized);
        if !normalized.has_identifying_value() {
            return RowResult::Rejected(RowError::NoIdentifyingValue);
        }
        let record_id = match self.raw.get(Field::RecordId) {
            "" => row_number.to_string(),
            id => id.to_string(),
        };
        // The postal address is kept only for rows no email reaches: only
        // such persons are written to no_email.csv (a row with an email
        // keeps its person out of it anyway).
        let no_email = normalized.email.address.is_empty();
        let as_written = |field| if no_email { self.raw.get(field).to_string() } else { String::new() };
        let names = DisplayNames {
            kanji: self.raw.get(Field::NameKanji).to_string(),
            kana: self.raw.get(Field::NameKana).to_string(),
            romaji: self.raw.get(Field::NameRomaji).to_string(),
            address: as_written(Field::Address),
            postal_code: as_written(Field::PostalCode),
        };
        RowResult::Used(UsedRow { record_id, names, record: normalized, invalid })
    }
}

/// Reads, normalizes and keeps every usable row of the recovered file;
/// unusable rows go to `rejects`.
/// Dates after `as_of` are unusable (see normalize/date.rs).
pub fn load(source: &Source, as_of: Date, rejects: &mut dyn RejectSink, progress: &Progress) -> Result<RecoveredSet> {
    let phase = progress.phase("recovered", source.len_bytes);
    let mut set = RecoveredSet::default();
    let workers = Pool::new(|| Worker::new(as_of));
    let counts = stream(
        &[source],
        &workers,
        |worker: &mut Worker, source, record, meta| worker.process(source, record, meta.row_number),
        |_, row: UsedRow| {
            set.fields.add(row.invalid);
            set.records.push(row.record);
            set.record_ids.push(row.record_id);
            set.names.push(row.names);
            Ok(())
        },
        rejects,
        &phase,
    )?;
    phase.finish();
    (set.rows_read, set.rows_rejected) = (counts.rows_read, counts.rows_rejected);
    if set.rows_read == 0 {
        anyhow::bail!("{}: a header row but no data rows", source.display);
    }
    Ok(set)
}
