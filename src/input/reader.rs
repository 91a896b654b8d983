//! Opening an input file and reading its data rows in reused batches.
//!
//! Invariant: a [`Batch`] is refilled in place (its `ByteRecord`s are reused),
//! so reading allocates nothing per row once the batch has warmed up. Row
//! positions (line, data-row number, byte range) travel with each record so a
//! rejected row can be cited and its raw text fetched later.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use csv::ByteRecord;

use super::encoding::{self, Encoding};
use super::guard::FieldGuard;
use super::headers::FieldMap;
use super::lines::LineTracker;
use super::{InputKind, InputOptions};

/// The csv crate's default is 8 KiB; larger reads cut syscalls on files of
/// gigabytes (qsv measured the same).
const READ_BUFFER_BYTES: usize = 256 * 1024;
/// A rejected row's raw text is cut at this size in rejects.csv.
const MAX_RAW_TEXT_BYTES: u64 = 64 * 1024;

/// An opened input file: its encoding, delimiter, headers and column layout.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    /// The path as shown in messages and rejects.csv (as given on the command line).
    pub display: String,
    pub kind: InputKind,
    pub encoding: Encoding,
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub map: FieldMap,
    pub len_bytes: u64,
    /// A row with a longer field is rejected (`--max-field-bytes`).
    pub max_field_bytes: usize,
}

/// Where a data row sits in its file.
#[derive(Clone, Copy, Debug, Default)]
pub struct RowMeta {
    /// 1-based physical line of the row's first byte (the header is line 1;
    /// `\r\n`, `\r` and `\n` each end a line).
    pub line: u64,
    /// 1-based number of the data row (the header is not counted).
    pub row_number: u64,
    pub byte_start: u64,
    pub byte_end: u64,
    /// The first column whose field is longer than `--max-field-bytes`: its
    /// bytes beyond the limit were never read into memory, and the row is
    /// rejected.
    pub field_too_long: Option<usize>,
}

/// A reusable batch of raw rows.
pub struct Batch {
    records: Vec<ByteRecord>,
    meta: Vec<RowMeta>,
    len: usize,
}

impl Batch {
    /// A batch of up to `capacity_rows` rows.
    pub fn new(capacity_rows: usize) -> Batch {
        Batch {
            records: (0..capacity_rows).map(|_| ByteRecord::new()).collect(),
            meta: vec![RowMeta::default(); capacity_rows],
            len: 0,
        }
    }

    /// The rows read by the last refill.
    pub fn records(&self) -> &[ByteRecord] {
        &self.records[..self.len]
    }

    /// The positions of the rows read by the last refill.
    pub fn meta(&self) -> &[RowMeta] {
        &self.meta[..self.len]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Source {
    /// Opens `path`, detects or applies its encoding and delimiter, reads its
    /// header row and resolves its columns.
    pub fn open(path: &Path, kind: InputKind, options: &InputOptions) -> Result<Source> {
        let display = path.display().to_string();
        let len_bytes = std::fs::metadata(path).with_context(|| format!("cannot open {display}"))?.len();
        if len_bytes == 0 {
            bail!("{display}: the file is empty (no header row)");
        }
        let encoding = match options.encoding {
            Some(forced) => forced,
            None => encoding::detect(path)?,
        };
        let delimiter = options.delimiter.unwrap_or_else(|| default_delimiter(path));
        let mut rdr = guarded_reader(path, delimiter, options.max_field_bytes)?;
        let raw_headers = read_headers(&mut rdr, &display, options.max_field_bytes)?;
        let headers = decoded_cells(&raw_headers, encoding).map_err(|index| {
            anyhow::anyhow!("{display}: line 1, column {}: the header is not valid {}", index + 1, encoding.name())
        })?;
        if headers.iter().all(|h| h.is_empty()) {
            bail!("{display}: the header row is empty");
        }
        // Excel's delimiter hint before the header row (`sep=,`, `sep=;`,
        // split in two when its delimiter is the file's): read as the
        // header row, it made every column unknown. Refused plainly, as
        // reading past it would shift every line number a reject cites.
        let is_hint = |h: &String| h.get(..4).is_some_and(|start| start.eq_ignore_ascii_case("sep="));
        if headers.len() <= 2 && is_hint(&headers[0]) && headers[1..].iter().all(String::is_empty) {
            bail!(
                "{display}: line 1 is a spreadsheet's delimiter hint (sep=), not the header row: \
                 delete that line (the delimiter is --delimiter)"
            );
        }
        let map = match FieldMap::resolve(&display, kind, &headers, &options.overrides) {
            Ok(map) => map,
            Err(err) => match header_row_below(&mut rdr, encoding, kind, options) {
                // A title or a note above the table (顧客一覧, 出力日: …), as
                // spreadsheets export it: refused plainly, naming the line
                // that names the columns, as reading past the lines above
                // would shift every line number a reject cites.
                Some(line) => bail!(
                    "{display}: line 1 is not the header row (a title or a note above the table?); \
                     line {line} names the columns: delete the lines above it"
                ),
                None => return Err(err),
            },
        };
        Ok(Source {
            path: path.to_path_buf(),
            display,
            kind,
            encoding,
            delimiter,
            headers,
            map,
            len_bytes,
            max_field_bytes: options.max_field_bytes,
        })
    }

    /// Starts reading the data rows (after the header row).
    pub fn rows(&self) -> Result<RowReader<'_>> {
        let mut rdr = guarded_reader(&self.path, self.delimiter, self.max_field_bytes)?;
        read_headers(&mut rdr, &self.display, self.max_field_bytes)?;
        let raw = File::open(&self.path).with_context(|| format!("cannot open {}", self.display))?;
        Ok(RowReader { source: self, rdr, raw, rows_read: 0 })
    }
}

/// Reads the data rows of one [`Source`].
pub struct RowReader<'s> {
    source: &'s Source,
    rdr: csv::Reader<GuardedFile>,
    /// A second handle for fetching a rejected row's raw bytes by offset.
    raw: File,
    rows_read: u64,
}

impl<'s> RowReader<'s> {
    /// Refills `batch`; `false` once the file is exhausted.
    pub fn next_batch(&mut self, batch: &mut Batch) -> Result<bool> {
        batch.len = 0;
        while batch.len < batch.records.len() {
            let record = &mut batch.records[batch.len];
            let more = self
                .rdr
                .read_byte_record(record)
                .with_context(|| format!("{}: cannot read row {}", self.source.display, self.rows_read + 1))?;
            if !more {
                break;
            }
            self.rows_read += 1;
            let position = record.position().map_or(0, |p| p.byte());
            let end = self.rdr.position().byte();
            let guard = self.rdr.get_mut();
            let field_too_long = guard.cut_before(end);
            let (start, byte_end) = (guard.input_offset(position), guard.input_offset(end));
            let (line, byte_start) = guard.get_mut().line_at(start);
            batch.meta[batch.len] = RowMeta { line, row_number: self.rows_read, byte_start, byte_end, field_too_long };
            batch.len += 1;
        }
        Ok(batch.len > 0)
    }

    /// Bytes handed to the parser so far, for progress (a cut field's
    /// dropped bytes are not counted).
    pub fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The raw text of a row, decoded for display, without its line ending,
    /// cut at 64 KiB.
    pub fn raw_text(&self, meta: &RowMeta) -> Result<String> {
        raw_text(self.source, &self.raw, meta)
    }

    /// A handle that fetches rows' raw texts while this reader reads on
    /// (on another thread).
    pub fn raw_rows(&self) -> Result<RawRows<'s>> {
        let raw = self.raw.try_clone().with_context(|| format!("cannot open {}", self.source.display))?;
        Ok(RawRows { source: self.source, raw })
    }
}

/// Fetches rows of one [`Source`] by their byte offsets ([`RowReader::raw_rows`]).
pub struct RawRows<'s> {
    source: &'s Source,
    raw: File,
}

impl RawRows<'_> {
    /// [`RowReader::raw_text`].
    pub fn raw_text(&self, meta: &RowMeta) -> Result<String> {
        raw_text(self.source, &self.raw, meta)
    }
}

fn raw_text(source: &Source, raw: &File, meta: &RowMeta) -> Result<String> {
    let len = meta.byte_end.saturating_sub(meta.byte_start).min(MAX_RAW_TEXT_BYTES);
    let mut bytes = vec![0u8; len as usize];
    raw.read_exact_at(&mut bytes, meta.byte_start)
        .with_context(|| format!("{}: cannot re-read line {}", source.display, meta.line))?;
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    Ok(source.encoding.decode_lossy(&bytes))
}

fn default_delimiter(path: &Path) -> u8 {
    let is_tsv = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("tsv"));
    if is_tsv {
        b'\t'
    } else {
        b','
    }
}

/// A file as the csv parser reads it: lines tracked, long fields cut.
type GuardedFile = FieldGuard<LineTracker<File>>;

fn guarded_reader(path: &Path, delimiter: u8, max_field_bytes: usize) -> Result<csv::Reader<GuardedFile>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(csv_builder(delimiter).from_reader(FieldGuard::new(LineTracker::new(file), delimiter, max_field_bytes)))
}

/// Lines below the first searched for the header row when the first is
/// none: a title, an export date and a blank line are what spreadsheets
/// put above a table.
const PREAMBLE_LINES: usize = 5;

/// The line (1-based) of the first of the next [`PREAMBLE_LINES`] rows
/// that resolves as a header row (a data row does not: its cells are no
/// column names), if any.
fn header_row_below(
    rdr: &mut csv::Reader<GuardedFile>,
    encoding: Encoding,
    kind: InputKind,
    options: &InputOptions,
) -> Option<u64> {
    let mut record = ByteRecord::new();
    for _ in 0..PREAMBLE_LINES {
        if !rdr.read_byte_record(&mut record).ok()? {
            return None;
        }
        let cells = decoded_cells(&record, encoding).ok()?;
        if FieldMap::resolve("", kind, &cells, &options.overrides).is_ok() {
            // The physical line, as the rejects number lines (`lines`).
            let guard = rdr.get_mut();
            let start = guard.input_offset(record.position()?.byte());
            return Some(guard.get_mut().line_at(start).0);
        }
    }
    None
}

/// The cells of a header row (or a row searched for one), decoded and
/// trimmed, a byte order mark before the first dropped; `Err` with the
/// 0-based column of a cell that is not valid in `encoding`.
fn decoded_cells(record: &ByteRecord, encoding: Encoding) -> std::result::Result<Vec<String>, usize> {
    let mut cells = Vec::with_capacity(record.len());
    for (index, raw) in record.iter().enumerate() {
        let raw = if index == 0 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
        let mut cell = String::new();
        if !encoding.decode_into(raw, &mut cell) {
            return Err(index);
        }
        cells.push(cell.trim().to_string());
    }
    Ok(cells)
}

/// Reads the header row; a header over the field limit is an error (a file
/// whose header is that long is not a table).
fn read_headers(rdr: &mut csv::Reader<GuardedFile>, display: &str, max_field_bytes: usize) -> Result<ByteRecord> {
    let headers = rdr.byte_headers().with_context(|| format!("{display}: cannot read the header row"))?.clone();
    let end = rdr.position().byte();
    if let Some(column) = rdr.get_mut().cut_before(end) {
        bail!(
            "{display}: line 1, column {}: the header is longer than --max-field-bytes ({max_field_bytes} bytes)",
            column + 1
        );
    }
    Ok(headers)
}

fn csv_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .has_headers(true)
        // A row with the wrong number of fields is rejected by us, with its
        // line, instead of aborting the whole file.
        .flexible(true)
        .buffer_capacity(READ_BUFFER_BYTES);
    builder
}
