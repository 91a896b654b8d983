//! A field-length guard between a file and the csv parser, so that a field
//! longer than `--max-field-bytes` is never held in memory.
//!
//! The csv crate grows its record buffer to hold any field; a file with a
//! stray quote or a 2 GiB cell would be allocated whole before a row could
//! be rejected. [`FieldGuard`] follows the csv crate's quoting rules
//! (RFC 4180 with doubled quotes, `\r`, `\n` and `\r\n` ending a record, a
//! quote after a closing quote being literal) and drops a field's content
//! bytes beyond the limit, noting the field's column so the row is rejected.
//! A cut quoted field gets its closing quote back, so the parser sees the
//! same records and fields as without the guard.
//!
//! Invariants: the parser never sees more than `limit + 1` content bytes of
//! one field; records, fields and every field within the limit are exactly
//! what the parser would see without the guard; [`FieldGuard::input_offset`]
//! maps a parser position back to the byte offset in the file. Memory is
//! one read buffer plus a few entries per cut field.

use std::collections::VecDeque;
use std::io::{self, Read};

const QUOTE: u8 = b'"';
/// The guard's own read buffer (the csv reader above it keeps its own).
const GUARD_BUFFER_BYTES: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// The next byte starts a field.
    FieldStart,
    /// Inside a field that did not start with a quote.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// A quote inside a quoted field: an escaped quote if the next byte is
    /// a quote, the closing quote otherwise.
    QuoteInQuoted,
}

/// A reader that passes CSV bytes through, cutting fields over a limit.
pub struct FieldGuard<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    delimiter: u8,
    limit_bytes: u64,
    state: State,
    /// Content bytes of the current field passed so far.
    field_len: u64,
    /// 0-based column of the current field.
    column: usize,
    /// The current field is over the limit: its content is being dropped.
    cutting: bool,
    /// A cut quoted field's closing quote has been written.
    closing_quote_sent: bool,
    /// Offset of the next byte handed to the parser.
    out_offset: u64,
    /// Input offset minus output offset for the bytes written from now on.
    delta: i64,
    /// The delta of positions before the first queued shift.
    settled_delta: i64,
    /// (output offset, delta from that offset on), in order.
    shifts: VecDeque<(u64, i64)>,
    /// (output offset of the cut, column) of fields over the limit.
    cuts: VecDeque<(u64, usize)>,
}

impl<R: Read> FieldGuard<R> {
    /// Guards `inner`, a CSV stream with `delimiter`, against fields longer
    /// than `limit_bytes`.
    pub fn new(inner: R, delimiter: u8, limit_bytes: usize) -> FieldGuard<R> {
        FieldGuard {
            inner,
            buf: vec![0; GUARD_BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            delimiter,
            limit_bytes: limit_bytes as u64,
            state: State::FieldStart,
            field_len: 0,
            column: 0,
            cutting: false,
            closing_quote_sent: false,
            out_offset: 0,
            delta: 0,
            settled_delta: 0,
            shifts: VecDeque::new(),
            cuts: VecDeque::new(),
        }
    }
}

impl<R> FieldGuard<R> {
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The input offset of the parser's position `pos`. Positions must be
    /// asked in increasing order (earlier mappings are forgotten).
    pub fn input_offset(&mut self, pos: u64) -> u64 {
        while let Some(&(from, delta)) = self.shifts.front() {
            if from > pos {
                break;
            }
            self.settled_delta = delta;
            self.shifts.pop_front();
        }
        pos.saturating_add_signed(self.settled_delta)
    }

    /// The column of the first field cut before the parser position `end`
    /// (a record's end), forgetting every cut before it.
    pub fn cut_before(&mut self, end: u64) -> Option<usize> {
        let mut first = None;
        while let Some(&(at, column)) = self.cuts.front() {
            // A cut lies after at least one byte of its field, so after the
            // start of its record and after every earlier record's end.
            if at > end {
                break;
            }
            first = first.or(Some(column));
            self.cuts.pop_front();
        }
        first
    }

    fn pass(&mut self, out: &mut [u8], written: &mut usize, n: usize) {
        out[*written..*written + n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        *written += n;
        self.out_offset += n as u64;
    }

    fn drop_bytes(&mut self, n: usize) {
        self.start += n;
        self.shift(n as i64);
    }

    fn shift(&mut self, by: i64) {
        self.delta += by;
        match self.shifts.back_mut() {
            Some((from, delta)) if *from == self.out_offset => *delta = self.delta,
            _ => self.shifts.push_back((self.out_offset, self.delta)),
        }
    }

    fn start_cut(&mut self) {
        self.cutting = true;
        self.cuts.push_back((self.out_offset, self.column));
    }

    /// Passes the separator byte at `start` and starts the next field.
    fn end_field(&mut self, out: &mut [u8], written: &mut usize) {
        let byte = self.buf[self.start];
        self.pass(out, written, 1);
        if byte == self.delimiter {
            self.column += 1;
        } else {
            self.column = 0;
        }
        self.state = State::FieldStart;
        self.field_len = 0;
        self.cutting = false;
        self.closing_quote_sent = false;
    }

    /// Handles `n` content bytes at `start` (no separator, no quote among
    /// them), writing at most `room` of them.
    fn content(&mut self, out: &mut [u8], written: &mut usize, n: usize, room: usize) {
        if !self.cutting && self.field_len == self.limit_bytes {
            self.start_cut();
        }
        if self.cutting {
            self.drop_bytes(n);
            return;
        }
        let allowed = (self.limit_bytes - self.field_len) as usize;
        let take = n.min(allowed).min(room);
        self.pass(out, written, take);
        self.field_len += take as u64;
    }

    /// Handles one content byte after a quote. The parser holds the quote
    /// already, so the byte is passed even when it is one over the limit.
    fn one_content_byte(&mut self, out: &mut [u8], written: &mut usize) {
        if self.cutting {
            self.drop_bytes(1);
            return;
        }
        self.pass(out, written, 1);
        self.field_len += 1;
        if self.field_len > self.limit_bytes {
            self.start_cut();
        }
    }

    /// The fast path: outside quotes, a stretch of input without a quote and
    /// shorter than what the current field may still grow by cannot hold a
    /// field over the limit, so it is copied whole and only the state at its
    /// end is worked out (the column and length of the field it ends in).
    /// Returns whether it applied. Most files have no quote at all: this is
    /// one memchr and one copy per buffer instead of one scan per field.
    fn fast_pass(&mut self, out: &mut [u8], written: &mut usize, room: usize) -> bool {
        if self.cutting || !matches!(self.state, State::FieldStart | State::Unquoted) {
            return false;
        }
        let n = (self.end - self.start).min(room);
        let input = &self.buf[self.start..self.start + n];
        if self.field_len + n as u64 > self.limit_bytes || memchr::memchr(QUOTE, input).is_some() {
            return false;
        }
        let delimiter = self.delimiter;
        let count_delimiters = |bytes: &[u8]| memchr::memchr_iter(delimiter, bytes).count();
        let last_field = match memchr::memrchr2(b'\r', b'\n', input) {
            Some(terminator) => {
                let tail = &input[terminator + 1..];
                self.column = count_delimiters(tail);
                self.field_len = 0;
                tail
            }
            None => {
                self.column += count_delimiters(input);
                input
            }
        };
        match memchr::memrchr(delimiter, last_field) {
            Some(at) => self.field_len = (last_field.len() - at - 1) as u64,
            None => self.field_len += last_field.len() as u64,
        }
        self.state = if self.field_len == 0 { State::FieldStart } else { State::Unquoted };
        self.pass(out, written, n);
        true
    }

    /// Moves bytes from the read buffer to `out`; returns the bytes written.
    fn process(&mut self, out: &mut [u8]) -> usize {
        let mut written = 0;
        while self.start < self.end && written < out.len() {
            let room = out.len() - written;
            if self.fast_pass(out, &mut written, room) {
                continue;
            }
            let byte = self.buf[self.start];
            let is_separator = byte == self.delimiter || byte == b'\r' || byte == b'\n';
            match self.state {
                State::FieldStart if byte == QUOTE => {
                    self.pass(out, &mut written, 1);
                    self.state = State::Quoted;
                }
                State::FieldStart | State::Unquoted if is_separator => self.end_field(out, &mut written),
                State::FieldStart | State::Unquoted => {
                    self.state = State::Unquoted;
                    let input = &self.buf[self.start..self.end];
                    let span = memchr::memchr3(self.delimiter, b'\r', b'\n', input).unwrap_or(input.len());
                    self.content(out, &mut written, span, room);
                }
                State::Quoted if byte == QUOTE => {
                    if self.cutting {
                        self.drop_bytes(1);
                    } else {
                        self.pass(out, &mut written, 1);
                    }
                    self.state = State::QuoteInQuoted;
                }
                State::Quoted => {
                    let input = &self.buf[self.start..self.end];
                    let span = memchr::memchr(QUOTE, input).unwrap_or(input.len());
                    self.content(out, &mut written, span, room);
                }
                State::QuoteInQuoted if byte == QUOTE => {
                    // An escaped quote: one content byte.
                    self.one_content_byte(out, &mut written);
                    self.state = State::Quoted;
                }
                State::QuoteInQuoted if self.cutting && !self.closing_quote_sent => {
                    // The dropped quote closed the field: give it back.
                    out[written] = QUOTE;
                    written += 1;
                    self.out_offset += 1;
                    self.shift(-1);
                    self.closing_quote_sent = true;
                }
                State::QuoteInQuoted if is_separator => self.end_field(out, &mut written),
                State::QuoteInQuoted => {
                    // Text after a closing quote is appended to the field.
                    self.state = State::Unquoted;
                    self.one_content_byte(out, &mut written);
                }
            }
        }
        written
    }
}

impl<R: Read> Read for FieldGuard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.start == self.end {
                self.start = 0;
                self.end = self.inner.read(&mut self.buf)?;
                if self.end == 0 {
                    return Ok(0);
                }
            }
            let written = self.process(out);
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chunked::Chunked;
    use proptest::prelude::*;

    fn builder() -> csv::ReaderBuilder {
        let mut builder = csv::ReaderBuilder::new();
        builder.has_headers(false).flexible(true);
        builder
    }

    /// (fields, start offset) of every record, without a guard.
    fn plain(bytes: &[u8]) -> Vec<(Vec<Vec<u8>>, u64)> {
        let mut rdr = builder().from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let start = record.position().unwrap().byte();
            rows.push((record.iter().map(<[u8]>::to_vec).collect(), start));
        }
        rows
    }

    /// (fields, start offset in the input, cut column) of every record.
    fn guarded(bytes: &[u8], limit: usize, chunk: usize) -> Vec<(Vec<Vec<u8>>, u64, Option<usize>)> {
        let mut rdr = builder().from_reader(FieldGuard::new(Chunked(bytes, chunk), b',', limit));
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let start = record.position().unwrap().byte();
            let end = rdr.position().byte();
            let guard = rdr.get_mut();
            let start = guard.input_offset(start);
            let cut = guard.cut_before(end);
            rows.push((record.iter().map(<[u8]>::to_vec).collect(), start, cut));
        }
        rows
    }

    #[test]
    fn a_long_field_is_cut_and_its_column_named() {
        let text = b"a,bbbbbbbbbb,c\n\"qqqq\"\"qqqq,\nqq\",x\nd,e,f\n";
        let rows = guarded(text, 4, 3);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].0, vec![b"a".to_vec(), b"bbbb".to_vec(), b"c".to_vec()]);
        assert_eq!(rows[0].2, Some(1));
        // The escaped quote over the limit is passed: the parser holds its first half.
        assert_eq!(rows[1].0[0], b"qqqq\"".to_vec());
        assert_eq!(rows[1].0[1], b"x".to_vec());
        assert_eq!(rows[1].2, Some(0));
        assert_eq!(rows[2], (vec![b"d".to_vec(), b"e".to_vec(), b"f".to_vec()], 34, None));
    }

    /// CSV-like bytes: separators, quotes (unless `quotes` is false) and
    /// short runs of text.
    fn csv_like(quotes: bool) -> impl Strategy<Value = Vec<u8>> {
        let mut pieces = vec![
            b",".to_vec(),
            b"\n".to_vec(),
            b"\r\n".to_vec(),
            b"\r".to_vec(),
            b"ab".to_vec(),
            b"xyzxyzxyz".to_vec(),
            "山".as_bytes().to_vec(),
        ];
        if quotes {
            pieces.extend([b"\"".to_vec(), b"\"\"".to_vec()]);
        }
        proptest::collection::vec(proptest::sample::select(pieces), 0..80).prop_map(|pieces| pieces.concat())
    }

    /// The guard against the plain parser on `bytes`.
    fn check(bytes: &[u8], limit: usize, chunk: usize) -> Result<(), TestCaseError> {
        let expected = plain(bytes);
        let got = guarded(bytes, limit, chunk);
        prop_assert_eq!(got.len(), expected.len());
        for ((fields, start, cut), (full, full_start)) in got.iter().zip(&expected) {
            prop_assert_eq!(start, full_start);
            prop_assert_eq!(fields.len(), full.len());
            let first_long = full.iter().position(|field| field.len() > limit);
            prop_assert_eq!(*cut, first_long);
            for (field, whole) in fields.iter().zip(full) {
                prop_assert!(field.len() <= limit + 1);
                if whole.len() <= limit {
                    prop_assert_eq!(field, whole);
                } else {
                    prop_assert!(whole.starts_with(field));
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn the_guard_keeps_records_and_cuts_only_long_fields(
            bytes in csv_like(true), limit in 1usize..12, chunk in 1usize..9,
        ) {
            check(&bytes, limit, chunk)?;
        }

        /// Without quotes the fast path copies whole stretches; the limits
        /// reach past the read chunks so it applies often.
        #[test]
        fn the_fast_path_cuts_the_same_fields(
            bytes in csv_like(false), limit in 1usize..40, chunk in 1usize..64,
        ) {
            check(&bytes, limit, chunk)?;
        }
    }
}
