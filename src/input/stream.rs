//! The one batch stream every input goes through: read a batch of rows,
//! map each row with a pooled worker in parallel, drain the results in file
//! order, and hand rejected rows (with their raw text) to a reject sink.
//!
//! Invariant: results reach `used` and the sink in (file, row) order
//! whatever the thread count (rayon's indexed collect keeps the order), and
//! every row read is either used or rejected: `rows_read == used + rejected`.

use anyhow::Result;
use rayon::prelude::*;

use super::reader::RawRows;
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
/// A sink is written beside the workers, on one of the pool's threads.
pub trait RejectSink: Send {
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

/// A mapped batch: one slot a row (the results of used rows) and each
/// row's outcome, in row order.
struct Mapped<T> {
    slots: Vec<T>,
    outcomes: Vec<RowOutcome>,
}

impl<T> Default for Mapped<T> {
    fn default() -> Mapped<T> {
        Mapped { slots: Vec::new(), outcomes: Vec::with_capacity(DEFAULT_BATCH_ROWS) }
    }
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
/// them. Three batches are in flight: while the workers map one, the next
/// is read and the one before is drained into `used` and `rejects` (which
/// therefore run on a pool thread: they are `Send`).
pub fn stream<W, T, M, P>(
    sources: &[&Source],
    workers: &Pool<W, M>,
    process: P,
    mut used: impl FnMut(&Source, &mut T) -> Result<()> + Send,
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
    // Reading (about a second of one core for 3.75M booking rows) and
    // draining (copying each row's result into the caller's store, a
    // sixth of the recovered file's load on one core) both run beside the
    // map, so neither leaves the other core idle. Draining beside the map
    // had been tried when each row's result was its own allocation: freed
    // on another thread than the one that made it, loading got slower; the
    // slots, never freed, removed that cost.
    let [mut current, mut next, mut previous] = [(); 3].map(|()| Batch::new(DEFAULT_BATCH_ROWS));
    let (mut mapping, mut draining) = (Mapped::<T>::default(), Mapped::<T>::default());
    let mut bytes_before = 0;
    for &source in sources {
        let mut rows = source.rows()?;
        let raw = rows.raw_rows()?;
        let mut drain = |batch: &Batch, mapped: &mut Mapped<T>, counts: &mut StreamCounts| {
            drain_batch((source, &raw), batch, mapped, (&mut used, &mut *rejects), counts)
        };
        let mut more = rows.next_batch(&mut current)?;
        while more {
            let ((), (read, drained)) = rayon::join(
                || map_batch(source, &current, workers, &process, &mut mapping),
                || rayon::join(|| rows.next_batch(&mut next), || drain(&previous, &mut draining, &mut counts)),
            );
            drained?;
            // The batch just mapped is drained beside the next map; the
            // one drained takes the next read.
            std::mem::swap(&mut previous, &mut current);
            std::mem::swap(&mut draining, &mut mapping);
            std::mem::swap(&mut current, &mut next);
            // A read error surfaces after the rows before it are used or
            // rejected, as when batches were read one at a time.
            more = match read {
                Ok(more) => more,
                Err(error) => {
                    drain(&previous, &mut draining, &mut counts)?;
                    return Err(error);
                }
            };
            phase.update(bytes_before + rows.bytes_read(), counts.rows_read);
        }
        drain(&previous, &mut draining, &mut counts)?;
        phase.update(bytes_before + rows.bytes_read(), counts.rows_read);
        bytes_before += source.len_bytes;
    }
    Ok(counts)
}

/// Hands each row of a mapped `batch` of `source` to `used` or, rejected,
/// to `rejects` (with its raw text from `raw`), in row order. The outcomes
/// are taken: draining a batch again, or before any was mapped, does
/// nothing.
fn drain_batch<T>(
    (source, raw): (&Source, &RawRows<'_>),
    batch: &Batch,
    mapped: &mut Mapped<T>,
    (used, rejects): (&mut impl FnMut(&Source, &mut T) -> Result<()>, &mut dyn RejectSink),
    counts: &mut StreamCounts,
) -> Result<()> {
    for ((outcome, slot), meta) in mapped.outcomes.drain(..).zip(&mut mapped.slots).zip(batch.meta()) {
        counts.rows_read += 1;
        match outcome {
            Ok(()) => used(source, slot)?,
            Err(error) => {
                counts.rows_rejected += 1;
                rejects.reject(source, meta, &error.reason(source), &raw.raw_text(meta)?)?;
            }
        }
    }
    Ok(())
}

/// Maps every row of `batch` on leased workers into `slots` (one per row,
/// made once), outcomes in row order.
fn map_batch<W, T, M, P>(source: &Source, batch: &Batch, workers: &Pool<W, M>, process: &P, mapped: &mut Mapped<T>)
where
    W: Send,
    T: Send + Default,
    M: Fn() -> W + Sync,
    P: Fn(&mut W, &Source, &csv::ByteRecord, &RowMeta, &mut T) -> RowOutcome + Sync,
{
    let Mapped { slots, outcomes } = mapped;
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
