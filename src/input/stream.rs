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

/// What a worker made of one row.
pub enum RowResult<T> {
    Used(T),
    Rejected(RowError),
}

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
/// leased from `workers` (its state stays warm across batches), `used`
/// receives each used row's result in file order, rejected rows go to
/// `rejects`. `phase` shows bytes and rows read.
pub fn stream<W, T, M, P>(
    sources: &[&Source],
    workers: &Pool<W, M>,
    process: P,
    mut used: impl FnMut(&Source, T) -> Result<()>,
    rejects: &mut dyn RejectSink,
    phase: &Phase,
) -> Result<StreamCounts>
where
    W: Send,
    T: Send,
    M: Fn() -> W + Sync,
    P: Fn(&mut W, &Source, &csv::ByteRecord, &RowMeta) -> RowResult<T> + Sync,
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
    let mut results: Vec<RowResult<T>> = Vec::with_capacity(DEFAULT_BATCH_ROWS);
    let mut bytes_before = 0;
    for &source in sources {
        let mut rows = source.rows()?;
        let mut more = rows.next_batch(&mut current)?;
        while more {
            let ((), read) = rayon::join(
                || map_batch(source, &current, workers, &process, &mut results),
                || rows.next_batch(&mut next),
            );
            for (result, meta) in results.drain(..).zip(current.meta()) {
                counts.rows_read += 1;
                match result {
                    RowResult::Used(value) => used(source, value)?,
                    RowResult::Rejected(error) => {
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

/// Maps every row of `batch` on leased workers, results in row order.
fn map_batch<W, T, M, P>(
    source: &Source,
    batch: &Batch,
    workers: &Pool<W, M>,
    process: &P,
    results: &mut Vec<RowResult<T>>,
) where
    W: Send,
    T: Send,
    M: Fn() -> W + Sync,
    P: Fn(&mut W, &Source, &csv::ByteRecord, &RowMeta) -> RowResult<T> + Sync,
{
    batch
        .records()
        .par_iter()
        .zip(batch.meta().par_iter())
        .map_init(
            || workers.lease(),
            |worker, (record, meta)| match meta.field_too_long {
                Some(column) => RowResult::Rejected(RowError::FieldTooLong {
                    column,
                    limit: source.max_field_bytes,
                    quoted_line_break: has_quoted_line_break(record),
                }),
                None => process(worker, source, record, meta),
            },
        )
        .collect_into_vec(results);
}
