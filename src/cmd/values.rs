//! `leakmatch values --bookings PATH...`: every distinct rule value of the
//! booking exports with its rows and its classification, unknown values
//! first. Reads the booking files only (no recovered file), in parallel
//! batches; the output does not depend on the thread count.

use std::io::Write;

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::ValuesFormat;
use crate::config::ValuesConfig;
use crate::input::record::{decode_row, RawFields};
use crate::input::stream::DEFAULT_BATCH_ROWS;
use crate::input::{Batch, Field, Source};
use crate::output::values::{write_csv, write_text, ReadFigures};
use crate::progress::Progress;
use crate::rules::inventory::Inventory;

/// A batch's share of the work: decoded fields, the tally, unreadable rows.
#[derive(Default)]
struct Tally {
    raw: RawFields,
    inventory: Inventory,
    unreadable: u64,
}

impl Tally {
    fn add(mut self, source: &Source, record: &csv::ByteRecord) -> Tally {
        if decode_row(record, source, &mut self.raw).is_err() {
            self.unreadable += 1;
            return self;
        }
        let raw = &self.raw;
        self.inventory.add_raw(
            [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product].map(|field| raw.get(field)),
        );
        self
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.inventory.merge(other.inventory);
        self.unreadable += other.unreadable;
        self
    }
}

/// Runs `leakmatch values`.
pub fn run(config: &ValuesConfig) -> Result<()> {
    config.pool.install(|| {
        // 1. Every booking row → folded values counted per field.
        let progress = Progress::new(config.quiet);
        let phase = progress.phase("values", config.bookings.iter().map(|s| s.len_bytes).sum());
        let (mut total, mut rows_read, mut bytes_before) = (Tally::default(), 0u64, 0);
        let mut batch = Batch::new(DEFAULT_BATCH_ROWS);
        for source in &config.bookings {
            let mut rows = source.rows()?;
            while rows.next_batch(&mut batch)? {
                let tally = batch
                    .records()
                    .par_iter()
                    .fold(Tally::default, |tally, record| tally.add(source, record))
                    .reduce(Tally::default, Tally::merge);
                total = total.merge(tally);
                rows_read += batch.len() as u64;
                phase.update(bytes_before + rows.bytes_read(), rows_read);
            }
            bytes_before += source.len_bytes;
        }
        phase.finish();
        // 2. Each value classified under the rules, sorted.
        let rows = total.inventory.rows(&config.rules);
        // 3. The table on stdout.
        let figures = ReadFigures { files: config.bookings.len(), rows: rows_read, unreadable: total.unreadable };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        match config.format {
            ValuesFormat::Text => write_text(&mut out, &rows, &figures)?,
            ValuesFormat::Csv => write_csv(&mut out, &rows)?,
        }
        out.flush()?;
        Ok(())
    })
}
