//! rejects.csv: every input row that could not be used, written as it is met.
//!
//! Columns: kind (recovered or bookings), file, line, reason, raw. `raw` is
//! the row's text as read (malformed bytes shown as U+FFFD), cut at 64 KiB,
//! with passport numbers blanked unless `--include-sensitive` (SPEC section
//! 6): the cell of the passport column, and, in a row whose cells do not
//! line up with the header (a cell missing or added shifts the others), any
//! cell that reads as a passport number. A row that cannot even be split
//! into cells is withheld whole.
//! Invariant: one row here per rejected input row, so rows read = rows used +
//! rows rejected holds per input kind.

use std::borrow::Cow;

use anyhow::{Context, Result};

use super::table::escape_formula;
use super::{ResultFile, StagingDir};
use crate::input::headers::Source as Column;
use crate::input::stream::RejectSink;
use crate::input::{Field, RowMeta, Source};
use crate::normalize::{passport, Outcome, Scratch};

/// What `raw` says when a row cannot be split into cells to blank its
/// passport number.
const WITHHELD: &str = "[withheld: the row cannot be split into cells to blank its passport number; \
                        --include-sensitive keeps it]";

/// The file name in the result folder.
pub const FILE_NAME: &str = "rejects.csv";

/// What the `raw` column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawText {
    /// The row with its passport numbers blanked (the default).
    PassportBlanked,
    /// The row as read (`--include-sensitive`).
    Whole,
    /// `blake3-keyed:` and the hex of a keyed hash of the row, with a random
    /// key made for this run and never written (`--redact-rejects`): equal
    /// rows of one run have equal hashes, nothing can be read back.
    KeyedHash,
}

/// Writes rejects.csv.
pub struct RejectWriter {
    wtr: csv::Writer<ResultFile>,
    /// Rows per reason, for counts.json and the report.
    reasons: std::collections::BTreeMap<String, u64>,
    raw: RawText,
    key: [u8; 32],
    scratch: Scratch,
}

impl RejectWriter {
    /// Creates rejects.csv in the staging folder and writes its header.
    pub fn create(staging: &StagingDir, raw: RawText) -> Result<RejectWriter> {
        let mut wtr = staging.csv_file(FILE_NAME)?;
        wtr.write_record(["kind", "file", "line", "reason", "raw"]).context("cannot write rejects.csv")?;
        Ok(RejectWriter { wtr, reasons: Default::default(), raw, key: rand::random(), scratch: Scratch::default() })
    }

    /// Records one rejected row of `source`.
    fn write(&mut self, source: &Source, line: u64, reason: &str, raw: &str) -> Result<()> {
        *self.reasons.entry(format!("{}: {reason}", source.kind.name())).or_insert(0) += 1;
        let raw = match self.raw {
            RawText::Whole => Cow::Borrowed(raw),
            RawText::PassportBlanked => redact(source, raw, &mut self.scratch),
            RawText::KeyedHash => Cow::Owned(format!("blake3-keyed:{}", blake3::keyed_hash(&self.key, raw.as_bytes()))),
        };
        let line = line.to_string();
        self.wtr
            .write_record([source.kind.name(), &source.display, &line, reason, &escape_formula(&raw)])
            .context("cannot write rejects.csv")
    }

    /// Flushes and syncs the file.
    /// Flushes and syncs the file; returns the rejected rows per reason
    /// (`recovered: <reason>` or `bookings: <reason>`).
    pub fn finish(self) -> Result<std::collections::BTreeMap<String, u64>> {
        super::finish_csv(self.wtr).context("cannot write rejects.csv")?;
        Ok(self.reasons)
    }
}

impl RejectSink for RejectWriter {
    fn reject(&mut self, source: &Source, meta: &RowMeta, reason: &str, raw: &str) -> Result<()> {
        self.write(source, meta.line, reason, raw)
    }
}

/// `raw` with its passport numbers blanked (see the module documentation).
fn redact<'a>(source: &Source, raw: &'a str, scratch: &mut Scratch) -> Cow<'a, str> {
    let Column::Whole(column) = source.map.source(Field::PassportNumber) else {
        // No passport column: the file holds no passport number to blank.
        return Cow::Borrowed(raw);
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(source.delimiter)
        .from_reader(raw.as_bytes());
    let mut record = csv::StringRecord::new();
    match rdr.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Cow::Borrowed(raw),
        Err(_) => return Cow::Borrowed(WITHHELD),
    }
    let aligned = record.len() == source.headers.len();
    let mut number = String::new();
    let mut looks_like_passport = |cell: &str| {
        number.clear();
        passport::normalize(cell, scratch, &mut number) == Outcome::Value
    };
    let cells: Vec<&str> = record
        .iter()
        .enumerate()
        .map(|(i, cell)| if i == column || (!aligned && looks_like_passport(cell)) { "" } else { cell })
        .collect();
    let mut wtr = csv::WriterBuilder::new().delimiter(source.delimiter).from_writer(Vec::new());
    if wtr.write_record(&cells).is_err() {
        return Cow::Borrowed(WITHHELD);
    }
    match wtr.into_inner() {
        Ok(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).trim_end_matches(['\r', '\n']).to_string()),
        Err(_) => Cow::Borrowed(WITHHELD),
    }
}
