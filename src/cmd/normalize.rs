//! `leakmatch normalize FILE`: every row with its normalized values and
//! keys beside the raw columns, streamed to stdout in input order.

use std::io::Write;

use anyhow::Result;
use rayon::prelude::*;

use crate::config::NormalizeConfig;
use crate::input::Batch;
use crate::output::normalized::{NormalizedRow, NormalizedTable};
use crate::recovered::DEFAULT_BATCH_ROWS;

/// Streams the normalized table of `config.source` to stdout.
pub fn run(config: &NormalizeConfig) -> Result<()> {
    config.pool.install(|| {
        let source = &config.source;
        let table = NormalizedTable::new(source, config.include_sensitive);
        let stdout = std::io::stdout();
        let mut wtr =
            csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(256 * 1024, stdout.lock()));
        wtr.write_record(table.headers())?;
        let mut rows = source.rows()?;
        let mut batch = Batch::new(DEFAULT_BATCH_ROWS);
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(DEFAULT_BATCH_ROWS);
        while rows.next_batch(&mut batch)? {
            batch
                .records()
                .par_iter()
                .map_init(|| NormalizedRow::new(config.as_of), |row, record| table.cells(row, record))
                .collect_into_vec(&mut cells);
            for row in cells.drain(..) {
                wtr.write_record(&row)?;
            }
        }
        wtr.flush()?;
        let mut inner = wtr.into_inner().map_err(|e| e.into_error())?;
        inner.flush()?;
        Ok(())
    })
}
