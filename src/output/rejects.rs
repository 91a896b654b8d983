//! rejects.csv: every input row that could not be used, written as it is met.
//!
//! Columns: kind (recovered or bookings), file, line, reason, raw. `raw` is
//! the row's text as read (malformed bytes shown as U+FFFD), cut at 64 KiB.
//! Invariant: one row here per rejected input row, so rows read = rows used +
//! rows rejected holds per input kind.

use std::fs::File;

use anyhow::{Context, Result};

use super::table::{csv_writer, escape_formula};
use super::StagingDir;
use crate::input::InputKind;

/// The file name in the result folder.
pub const FILE_NAME: &str = "rejects.csv";

/// Writes rejects.csv (or, for `leakmatch train`, nothing).
pub struct RejectWriter {
    wtr: Option<csv::Writer<File>>,
}

impl RejectWriter {
    /// Creates rejects.csv in the staging folder and writes its header.
    pub fn create(staging: &StagingDir) -> Result<RejectWriter> {
        let mut wtr = csv_writer(staging.create_file(FILE_NAME)?);
        wtr.write_record(["kind", "file", "line", "reason", "raw"]).context("cannot write rejects.csv")?;
        Ok(RejectWriter { wtr: Some(wtr) })
    }

    /// A writer that keeps nothing: callers count rejected rows themselves.
    pub fn discard() -> RejectWriter {
        RejectWriter { wtr: None }
    }

    /// Records one rejected row.
    pub fn write(&mut self, kind: InputKind, file: &str, line: u64, reason: &str, raw: &str) -> Result<()> {
        let Some(wtr) = &mut self.wtr else {
            return Ok(());
        };
        let line = line.to_string();
        wtr.write_record([kind.name(), file, &line, reason, &escape_formula(raw)]).context("cannot write rejects.csv")
    }

    /// Flushes and syncs the file.
    pub fn finish(self) -> Result<()> {
        let Some(wtr) = self.wtr else {
            return Ok(());
        };
        let file = wtr.into_inner().map_err(|e| e.into_error()).context("cannot write rejects.csv")?;
        super::sync(file)
    }
}
