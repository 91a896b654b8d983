//! Reading single data rows again by the byte range the first read gave
//! them ([`RowMeta`]'s `byte_start..byte_end`), without parsing the rows
//! before them.
//!
//! For a later step that needs a small share of the rows of files read
//! once already (the chains step reads its seed and candidate bookings
//! this way: on 8,000,000 generated persons about a twentieth of 30M rows,
//! where parsing every file again took most of the step). Reading whole
//! files stays with the one batch stream (`stream`); this is random access.
//!
//! A row is parsed with `csv_core` (the parser inside the csv crate), one
//! parser per delimiter kept by each caller's [`RowParser`]: building a csv
//! reader per row builds its parser's state machine each time, and that
//! was half the chains step's time.
//!
//! Invariant: a range the first read gave yields the record it gave then,
//! parsed in the same dialect (the csv crate's defaults, which the first
//! read keeps, and the source's delimiter); a range that yields no record
//! (the file changed meanwhile) is an error that cites the file and the
//! byte offset, never a wrong row.

use std::fs::File;
use std::os::unix::fs::FileExt;

use anyhow::{bail, Context, Result};
use csv::ByteRecord;

use super::{RowMeta, Source};

/// Where a row's bytes are: its file (the place of its source among those
/// [`RowsAt::open`] is given) and its byte range there. Rows sort by it in
/// the order they were read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowAt {
    pub file: u32,
    pub start: u64,
    pub len: u32,
}

impl RowAt {
    /// The row `meta` describes, of `source`, one of `sources`. A row is at
    /// most a few fields of `--max-field-bytes` (u32 range); a longer one
    /// saturates and is then read cut, which only a row rejected anyway can
    /// be.
    pub fn of(sources: &[&Source], source: &Source, meta: &RowMeta) -> RowAt {
        let file = sources.iter().position(|s| std::ptr::eq(*s, source)).unwrap_or(0) as u32;
        let len = meta.byte_end.saturating_sub(meta.byte_start);
        RowAt { file, start: meta.byte_start, len: u32::try_from(len).unwrap_or(u32::MAX) }
    }
}

/// The files of some sources, open for reading rows by [`RowAt`].
pub struct RowsAt<'s> {
    files: Vec<(File, &'s Source)>,
}

impl<'s> RowsAt<'s> {
    /// Opens every source, in order (a row names its file by that order).
    pub fn open(sources: &[&'s Source]) -> Result<RowsAt<'s>> {
        let files = sources
            .iter()
            .map(|&source| {
                let file = File::open(&source.path).with_context(|| format!("cannot open {}", source.display))?;
                Ok((file, source))
            })
            .collect::<Result<_>>()?;
        Ok(RowsAt { files })
    }

    /// Reads the row at `at` into `record`; returns its source.
    pub fn read(&self, at: RowAt, parser: &mut RowParser, record: &mut ByteRecord) -> Result<&'s Source> {
        let Some((handle, source)) = self.files.get(at.file as usize) else {
            bail!("no input file number {}", at.file);
        };
        parser.bytes.resize(at.len as usize, 0);
        handle
            .read_exact_at(&mut parser.bytes, at.start)
            .with_context(|| format!("{}: cannot read again the row at byte {}", source.display, at.start))?;
        if !parser.parse(source.delimiter, record) {
            bail!(
                "{}: the row at byte {} is no longer there (was the file changed during the run?)",
                source.display,
                at.start
            );
        }
        Ok(source)
    }
}

/// A caller's parsers and reused buffers for [`RowsAt::read`].
#[derive(Default)]
pub struct RowParser {
    /// A parser per delimiter seen (a run has one or two).
    parsers: Vec<(u8, csv_core::Reader)>,
    bytes: Vec<u8>,
    fields: Vec<u8>,
    ends: Vec<usize>,
}

impl RowParser {
    /// Parses the first record of `bytes` into `record`; false if there is none.
    fn parse(&mut self, delimiter: u8, record: &mut ByteRecord) -> bool {
        let at = match self.parsers.iter().position(|(d, _)| *d == delimiter) {
            Some(at) => at,
            None => {
                self.parsers.push((delimiter, csv_core::ReaderBuilder::new().delimiter(delimiter).build()));
                self.parsers.len() - 1
            }
        };
        let parser = &mut self.parsers[at].1;
        parser.reset();
        self.fields.resize(self.bytes.len().max(64), 0);
        self.ends.resize(self.ends.len().max(32), 0);
        let (mut input, mut fields_len, mut ends_len) = (&self.bytes[..], 0, 0);
        loop {
            // An empty input, once the bytes are used up, ends the record.
            let (result, read, written, ended) =
                parser.read_record(input, &mut self.fields[fields_len..], &mut self.ends[ends_len..]);
            input = &input[read..];
            (fields_len, ends_len) = (fields_len + written, ends_len + ended);
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => return false,
            }
        }
        record.clear();
        let mut start = 0;
        for &end in &self.ends[..ends_len] {
            record.push_field(&self.fields[start..end]);
            start = end;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Batch, InputKind, InputOptions};

    /// Every row a first read gives, read again by its range, is the
    /// same record: quoted fields over several lines, CRLF endings, a
    /// last row without a line ending, a short row, and a second file
    /// with another delimiter read through the same parser.
    #[test]
    fn every_row_read_again_by_its_range_is_the_record_read_first() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let files = [
            ("bookings.csv", "booking_id,channel,name_kanji,email\r\nB1,web,山田 太郎,a@x.jp\r\nB2,web,\"佐藤\r\n花子\",\"b,\"\"q\"\"@x.jp\"\nB3,store,鈴木\nB4,,,d@x.jp"),
            ("more.tsv", "booking_id\tchannel\temail\nT1\tweb,store\t\"e\tf\"\nT2\tweb\t\n"),
        ];
        let mut sources = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, text)?;
            sources.push(Source::open(&path, InputKind::Bookings, &InputOptions::default())?);
        }
        let refs: Vec<&Source> = sources.iter().collect();
        let again = RowsAt::open(&refs)?;
        let (mut parser, mut record) = (RowParser::default(), ByteRecord::new());
        let mut checked = 0;
        for source in &sources {
            let mut rows = source.rows()?;
            let mut batch = Batch::new(16);
            rows.next_batch(&mut batch)?;
            for (first, meta) in batch.records().iter().zip(batch.meta()) {
                let read_from = again.read(RowAt::of(&refs, source, meta), &mut parser, &mut record)?;
                assert!(std::ptr::eq(read_from, source));
                assert_eq!(record.iter().collect::<Vec<_>>(), first.iter().collect::<Vec<_>>(), "{meta:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 6);
        Ok(())
    }

    #[test]
    fn a_range_past_the_end_is_an_error_naming_the_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("bookings.csv");
        std::fs::write(&path, "booking_id,channel,email\nB1,web,a@x.jp\n")?;
        let source = Source::open(&path, InputKind::Bookings, &InputOptions::default())?;
        let again = RowsAt::open(&[&source])?;
        let at = RowAt { file: 0, start: 40, len: 5 };
        let error = again.read(at, &mut RowParser::default(), &mut ByteRecord::new()).unwrap_err();
        assert!(format!("{error:#}").contains("bookings.csv"), "{error:#}");
        Ok(())
    }
}
