//! `leakmatch values --bookings PATH...`: every distinct rule value of the
//! booking exports with its rows and its classification, unknown values
//! first. Reads the booking files only (no recovered file) through the one
//! batch stream; each worker tallies its rows and the tallies are summed, so
//! the output does not depend on the thread count.

use std::io::Write;

use anyhow::Result;

use crate::cli::ValuesFormat;
use crate::config::ValuesConfig;
use crate::input::record::{decode_row, RawFields};
use crate::input::stream::{stream, DiscardRejects, RowOutcome};
use crate::input::{Field, Source};
use crate::output::values::{write_csv, write_text, ReadFigures};
use crate::progress::Progress;
use crate::rules::inventory::Inventory;
use crate::workers::Pool;

/// A worker's decoded fields and its tally of values.
#[derive(Default)]
struct Tally {
    raw: RawFields,
    inventory: Inventory,
}

impl Tally {
    fn add(&mut self, source: &Source, record: &csv::ByteRecord) -> RowOutcome {
        decode_row(record, source, &mut self.raw)?;
        let raw = &self.raw;
        self.inventory.add_raw(
            [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product].map(|field| raw.get(field)),
        );
        Ok(())
    }
}

/// Runs `leakmatch values`.
pub fn run(config: &ValuesConfig) -> Result<()> {
    config.pool.install(|| {
        // 1. Every booking row → folded values counted per field, per worker.
        let progress = Progress::new(config.quiet);
        let phase = progress.phase("values", config.bookings.iter().map(|s| s.len_bytes).sum());
        let workers = Pool::new(Tally::default);
        let sources: Vec<&Source> = config.bookings.iter().collect();
        let counts = stream(
            &sources,
            &workers,
            |tally: &mut Tally, source, record, _, _: &mut ()| tally.add(source, record),
            |_, _| Ok(()),
            &mut DiscardRejects,
            &phase,
        )?;
        phase.finish();
        let mut inventory = Inventory::default();
        for tally in workers.into_idle() {
            inventory.merge(tally.inventory);
        }
        // 2. Each value classified under the rules, sorted.
        let rows = inventory.rows(&config.rules);
        // 3. The table on stdout.
        let figures =
            ReadFigures { files: config.bookings.len(), rows: counts.rows_read, unreadable: counts.rows_rejected };
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
