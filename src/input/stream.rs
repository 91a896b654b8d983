//! The one batch stream every input goes through: read a batch of rows,
//! map each row with a pooled worker in parallel, drain the results in file
//! order, and hand rejected rows (with their raw text) to a reject sink.
//!
//! Invariant: results reach `used` and the sink in (file, row) order
//! whatever the thread count (rayon's indexed collect keeps the order), and
//! every row read is either used or rejected: `rows_read == used + rejected`.

use anyhow::Result;
use rayon::prelude::*;

use super::record::{has_quoted_line_break, RowError};
use super::{Batch, RowMeta, Source};
use crate::progress::Phase;
use crate::workers::Pool;

/// Rows per batch: large enough to keep both cores busy, small enough that a
/// batch of raw rows stays a few megabytes.
pub const DEFAULT_BATCH_ROWS: usize = 16 * 1024;

/// What a worker made of one row: used (its result is in the row's slot)
/// or rejected with the reason.
pub type RowOutcome = Result<(), RowError>;

/// Where rejected rows go: rejects.csv, or nowhere (callers that only count).
pub trait RejectSink {
    /// One rejected row of `source`: its position, reason and raw text.
    fn reject(&mut self, source: &Source, meta: &RowMeta, reason: &str, raw: &str) -> Result<()>;
}

/// A sink that keeps nothing.
pub struct DiscardRejects;

impl RejectSink for DiscardRejects {
    fn reject(&mut self, _: &Source, _: &RowMeta, _: &str, _: &str) -> Result<()> {
        Ok(())
    }
}

/// Rows read and rejected by one stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamCounts {
    pub rows_read: u64,
    pub rows_rejected: u64,
}

/// Streams every row of `sources`, in order: `process` runs on a worker
/// leased from `workers` (its state stays warm across batches) and writes
/// a used row's result into the row's slot, `used` reads each used row's
/// slot in file order, rejected rows go to `rejects`. `phase` shows bytes
/// and rows read.
///
/// The slots live as long as the stream, one per row of a batch, and a
/// worker overwrites what the slot held (clearing its buffers keeps their
/// memory), so a row allocates nothing once the first batches have sized
/// them; a slot's buffers are also never freed on another thread than the
/// one that made them.
pub fn stream<W, T, M, P>(
    sources: &[&Source],
    workers: &Pool<W, M>,
    process: P,
    mut used: impl FnMut(&Source, &mut T) -> Result<()>,
    rejects: &mut dyn RejectSink,
    phase: &Phase,
) -> Result<StreamCounts>
where
    W: Send,
    T: Send + Default,
    M: Fn() -> W + Sync,
    P: Fn(&mut W, &Source, &csv::ByteRecord, &RowMeta, &mut T) -> RowOutcome + Sync,
{
    let mut counts = StreamCounts::default();
    // Two batches: the workers map one while the next is read beside them,
    // so reading (about a second of one core for 3.75M booking rows) no
    // longer leaves the other core idle between batches. Tried and not
    // kept: a third batch drained into `used` beside the map as well. The
    // results are freed on another thread than the one that made them
    // while the workers allocate, and loading got slower, not faster
    // (recovered file of 1,000,000 persons: load 2.9-3.5 -> 4.1-5.2 s;
    // `normalize` of it 6.8-7.9 -> 11.1-12.8 s, user time 10-11.5 ->
    // 16-17 s).
    let (mut current, mut next) = (Batch::new(DEFAULT_BATCH_ROWS), Batch::new(DEFAULT_BATCH_ROWS));
    let mut slots: Vec<T> = Vec::new();
    let mut outcomes: Vec<RowOutcome> = Vec::with_capacity(DEFAULT_BATCH_ROWS);
    let mut bytes_before = 0;
    for &source in sources {
        let mut rows = source.rows()?;
        let mut more = rows.next_batch(&mut current)?;
        while more {
            let ((), read) = rayon::join(
                || map_batch(source, &current, workers, &process, &mut slots, &mut outcomes),
                || rows.next_batch(&mut next),
            );
            for ((outcome, slot), meta) in outcomes.iter().zip(&mut slots).zip(current.meta()) {
                counts.rows_read += 1;
                match outcome {
                    Ok(()) => used(source, slot)?,
                    Err(error) => {
                        counts.rows_rejected += 1;
                        let raw = rows.raw_text(meta)?;
                        rejects.reject(source, meta, &error.reason(source), &raw)?;
                    }
                }
            }
            phase.update(bytes_before + rows.bytes_read(), counts.rows_read);
            // A read error surfaces after the rows before it are used or
            // rejected, as when batches were read one at a time.
            more = read?;
            std::mem::swap(&mut current, &mut next);
        }
        bytes_before += source.len_bytes;
    }
    Ok(counts)
}

/// Maps every row of `batch` on leased workers into `slots` (one per row,
/// made once), outcomes in row order.
fn map_batch<W, T, M, P>(
    source: &Source,
    batch: &Batch,
    workers: &Pool<W, M>,
    process: &P,
    slots: &mut Vec<T>,
    outcomes: &mut Vec<RowOutcome>,
) where
    W: Send,
    T: Send + Default,
    M: Fn() -> W + Sync,
    P: Fn(&mut W, &Source, &csv::ByteRecord, &RowMeta, &mut T) -> RowOutcome + Sync,
{
    if slots.len() < batch.len() {
        slots.resize_with(batch.len(), T::default);
    }
    slots[..batch.len()]
        .par_iter_mut()
        .zip(batch.records().par_iter())
        .zip(batch.meta().par_iter())
        .map_init(
            || workers.lease(),
            |worker, ((slot, record), meta)| match meta.field_too_long {
                Some(column) => Err(RowError::FieldTooLong {
                    column,
                    limit: source.max_field_bytes,
                    quoted_line_break: has_quoted_line_break(record),
                }),
                None => process(worker, source, record, meta, slot),
            },
        )
        .collect_into_vec(outcomes);
}
