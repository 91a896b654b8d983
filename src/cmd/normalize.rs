//! `leakmatch normalize FILE`: every row with its normalized values and
//! keys beside the raw columns, streamed to stdout in input order.

use std::io::Write;

use anyhow::Result;

use crate::config::NormalizeConfig;
use crate::input::stream::{stream, DiscardRejects};
use crate::output::normalized::{NormalizedRow, NormalizedTable};
use crate::progress::Progress;
use crate::workers::Pool;

/// Streams the normalized table of `config.source` to stdout.
pub fn run(config: &NormalizeConfig) -> Result<()> {
    config.pool.install(|| {
        let source = &config.source;
        let table = NormalizedTable::new(source, config.include_sensitive, &config.rules);
        // Not locked: the stream writes from a pool thread (a lock guard
        // stays on its thread); the buffer locks stdout once a flush.
        let mut wtr =
            csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout()));
        wtr.write_record(table.headers())?;
        // Every row is written, a row that cannot be used with its reason
        // in the status column: nothing goes to the reject sink.
        let workers = Pool::new(|| NormalizedRow::new(config.as_of));
        stream(
            &[source],
            &workers,
            |row: &mut NormalizedRow, _, record, _, cells: &mut Vec<String>| {
                table.cells_into(row, record, cells);
                Ok(())
            },
            |_, cells: &mut Vec<String>| Ok(wtr.write_record(cells.iter())?),
            &mut DiscardRejects,
            &Progress::hidden().phase("normalize", source.len_bytes),
        )?;
        wtr.flush()?;
        let mut inner = wtr.into_inner().map_err(|e| e.into_error())?;
        inner.flush()?;
        Ok(())
    })
}
