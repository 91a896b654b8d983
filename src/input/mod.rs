//! Reading input files: encoding, header matching, batches of raw rows, and
//! decoding a raw row into the text of its fields.
//!
//! Every input goes through one batch stream ([`stream::stream`]).
//!
//! Invariant: every data row a reader yields is either decoded into
//! [`record::RawFields`] or turned into a [`record::RowError`] that names the
//! line and column; nothing is skipped silently.

pub mod at;
#[cfg(test)]
mod chunked;
pub mod encoding;
#[cfg(test)]
mod fuzz;
pub mod guard;
pub mod headers;
pub mod invisible;
pub mod lines;
pub mod reader;
pub mod record;
pub mod stream;

pub use encoding::Encoding;
pub use headers::{Column, Field, FieldMap};
pub use reader::{Batch, RowMeta, Source};

/// The value of a digit of either width (`7`, `７`): exports write numbers
/// in both, and a value's digits are read before any normalization.
pub fn any_width_digit(c: char) -> Option<u32> {
    c.to_digit(10).or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
}

/// Reads every row of every source with the csv parser into one reused
/// record per file, nothing else (files in parallel on the current thread
/// pool): the floor a run is measured against. Returns the rows read.
pub fn parse_only(sources: &[&Source]) -> anyhow::Result<u64> {
    use rayon::prelude::*;
    sources
        .par_iter()
        .map(|source| {
            let mut rows = source.rows()?;
            let mut batch = Batch::new(1);
            while rows.next_batch(&mut batch)? {}
            Ok(rows.rows_read())
        })
        .sum()
}

/// Which side of the match a file is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// The recovered (leaked) data file.
    Recovered,
    /// A booking export of a sales channel.
    Bookings,
    /// A booking export read for its rule values only (`leakmatch values`):
    /// it needs a channel column, not booking ids or customer columns.
    RuleValues,
}

impl InputKind {
    /// The name used in rejects.csv and messages.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Recovered => "recovered",
            InputKind::Bookings | InputKind::RuleValues => "bookings",
        }
    }
}

/// The default of `--max-field-bytes`: 1 MiB, far above any real value
/// (an address is a few hundred bytes) and far below what would hurt.
pub const DEFAULT_MAX_FIELD_BYTES: usize = 1024 * 1024;

/// How every input file is read (from `--encoding`, `--delimiter`, `--map`,
/// `--max-field-bytes`).
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// `None` detects the encoding per file.
    pub encoding: Option<Encoding>,
    /// `None` picks tab for *.tsv and comma otherwise.
    pub delimiter: Option<u8>,
    /// `--map FIELD=HEADER` pairs.
    pub overrides: Vec<(Column, String)>,
    /// A row with a longer field is rejected, not decoded.
    pub max_field_bytes: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            encoding: None,
            delimiter: None,
            overrides: Vec::new(),
            max_field_bytes: DEFAULT_MAX_FIELD_BYTES,
        }
    }
}
