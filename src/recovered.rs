//! Loading the recovered file: read in batches, decode and normalize in
//! parallel, keep the normalized records in memory for indexing.
//!
//! Invariant: rows come out in file order (rayon's indexed collect preserves
//! it), so record indexes, and everything numbered from them, do not depend
//! on the thread count. Every data row is either a record or a reject.

use anyhow::Result;
use rayon::prelude::*;

use crate::input::record::{decode_row, RawFields, RowError};
use crate::input::{Batch, Field, Source};
use crate::normalize::{normalize_record, Date, FieldCounts, FieldFlags, NormalizedRecord, Scratch};
use crate::output::rejects::RejectWriter;
use crate::progress::Progress;
use crate::workers::Pool;

/// Rows per batch: large enough to keep both cores busy, small enough that a
/// batch of raw rows stays a few megabytes.
pub const DEFAULT_BATCH_ROWS: usize = 16 * 1024;

/// The names as written in the recovered file, kept for affected.csv.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisplayNames {
    pub kanji: String,
    pub kana: String,
    pub romaji: String,
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

#[expect(
    clippy::large_enum_variant,
    reason = "outcomes live in one reused batch vector; boxing would add an allocation per row"
)]
enum RowOutcome {
    Used { record_id: String, names: DisplayNames, record: NormalizedRecord, invalid: FieldFlags },
    Rejected(RowError),
}

struct Worker {
    raw: RawFields,
    scratch: Scratch,
}

impl Worker {
    fn new(as_of: Date) -> Worker {
        Worker { raw: RawFields::default(), scratch: Scratch::new(as_of) }
    }

    fn process(&mut self, source: &Source, record: &csv::ByteRecord, row_number: u64) -> RowOutcome {
        if let Err(error) = decode_row(record, source, &mut self.raw) {
            return RowOutcome::Rejected(error);
        }
        let mut normalized = NormalizedRecord::default();
        let invalid = normalize_record(&self.raw, &mut self.scratch, &mut normalized);
        if !normalized.has_identifying_value() {
            return RowOutcome::Rejected(RowError::NoIdentifyingValue);
        }
        let record_id = match self.raw.get(Field::RecordId) {
            "" => row_number.to_string(),
            id => id.to_string(),
        };
        let names = DisplayNames {
            kanji: self.raw.get(Field::NameKanji).to_string(),
            kana: self.raw.get(Field::NameKana).to_string(),
            romaji: self.raw.get(Field::NameRomaji).to_string(),
        };
        RowOutcome::Used { record_id, names, record: normalized, invalid }
    }
}

/// Reads, normalizes and keeps every usable row of the recovered file;
/// unusable rows go to `rejects`.
/// Dates after `as_of` are unusable (see normalize/date.rs).
pub fn load(source: &Source, as_of: Date, rejects: &mut RejectWriter, progress: &Progress) -> Result<RecoveredSet> {
    let phase = progress.phase("recovered", source.len_bytes);
    let mut set = RecoveredSet::default();
    let mut rows = source.rows()?;
    let mut batch = Batch::new(DEFAULT_BATCH_ROWS);
    let mut outcomes: Vec<RowOutcome> = Vec::with_capacity(DEFAULT_BATCH_ROWS);
    let workers = Pool::new(|| Worker::new(as_of));
    while rows.next_batch(&mut batch)? {
        batch
            .records()
            .par_iter()
            .zip(batch.meta().par_iter())
            .map_init(|| workers.lease(), |worker, (record, meta)| worker.process(source, record, meta.row_number))
            .collect_into_vec(&mut outcomes);
        for (outcome, meta) in outcomes.drain(..).zip(batch.meta()) {
            set.rows_read += 1;
            match outcome {
                RowOutcome::Used { record_id, names, record, invalid } => {
                    set.fields.add(invalid);
                    set.records.push(record);
                    set.record_ids.push(record_id);
                    set.names.push(names);
                }
                RowOutcome::Rejected(error) => {
                    set.rows_rejected += 1;
                    let raw = rows.raw_text(meta)?;
                    rejects.write(source, meta.line, &error.reason(source), &raw)?;
                }
            }
        }
        phase.update(rows.bytes_read(), rows.rows_read());
    }
    phase.finish();
    if set.rows_read == 0 {
        anyhow::bail!("{}: a header row but no data rows", source.display);
    }
    Ok(set)
}
