//! Physical line numbers of rows, for rejects.csv and messages.
//!
//! The csv crate's record positions count `\n` only, and a record after a
//! CRLF starts at its `\n`: CR-only files put every row on line 1 and CRLF
//! files number rows one short. [`LineTracker`] wraps the file the csv
//! reader reads and notes where each non-empty physical line starts, with
//! its number, counting `\r\n`, a lone `\r` and a lone `\n` as one line end.
//!
//! Invariant: the starts are kept only until the reader's rows have passed
//! them, so memory is bounded by the csv reader's buffer, not the file.

use std::collections::VecDeque;
use std::io::{self, Read};

/// A reader that notes the starts of non-empty lines of what passes through.
pub struct LineTracker<R> {
    inner: R,
    /// Offset of the next byte.
    offset: u64,
    /// Physical line (1-based) of the next byte.
    line: u64,
    /// The last byte was `\r`: a `\n` right after it ends the same line.
    after_cr: bool,
    /// The next byte starts a line.
    at_line_start: bool,
    /// (offset, line) of non-empty line starts not yet passed.
    starts: VecDeque<(u64, u64)>,
}

impl<R> LineTracker<R> {
    pub fn new(inner: R) -> LineTracker<R> {
        LineTracker { inner, offset: 0, line: 1, after_cr: false, at_line_start: true, starts: VecDeque::new() }
    }

    /// The line and offset of the first non-empty line starting at or after
    /// `byte` (a record's position may point at the line end before it);
    /// forgets every start before `byte`. Positions must be asked in order.
    pub fn line_at(&mut self, byte: u64) -> (u64, u64) {
        while let Some(&(start, line)) = self.starts.front() {
            if start >= byte {
                return (line, start);
            }
            self.starts.pop_front();
        }
        (self.line, byte)
    }

    fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.at_line_start && !matches!(bytes[i], b'\r' | b'\n') {
                self.starts.push_back((self.offset + i as u64, self.line));
                self.at_line_start = false;
                self.after_cr = false;
            }
            let Some(k) = memchr::memchr2(b'\r', b'\n', &bytes[i..]) else {
                self.after_cr = false;
                break;
            };
            let end = bytes[i + k];
            let second_half_of_crlf = end == b'\n' && self.after_cr && k == 0;
            if !second_half_of_crlf {
                self.line += 1;
            }
            self.after_cr = end == b'\r';
            self.at_line_start = true;
            i += k + 1;
        }
        self.offset += bytes.len() as u64;
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chunked::Chunked;

    /// Reads `text` in chunks of `chunk` bytes and returns the line of each
    /// record the csv crate yields, and the record's text start.
    fn record_lines(text: &str, chunk: usize) -> Vec<(u64, String)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineTracker::new(Chunked(text.as_bytes(), chunk)));
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let byte = record.position().unwrap().byte();
            let (line, start) = rdr.get_mut().line_at(byte);
            out.push((line, text[start as usize..].chars().take(3).collect()));
        }
        out
    }

    #[test]
    fn lines_are_physical_for_lf_crlf_and_cr_only_files() {
        let rows = ["h,h", "a,1", "b,\"x{NL}y\"", "", "c,3"];
        for newline in ["\n", "\r\n", "\r"] {
            let text = rows.join(newline).replace("{NL}", newline) + newline;
            for chunk in [1, 2, 3, 7, 4096] {
                let got = record_lines(&text, chunk);
                let expected: Vec<(u64, String)> =
                    vec![(1, "h,h".into()), (2, "a,1".into()), (3, "b,\"".into()), (6, "c,3".into())];
                assert_eq!(got, expected, "{newline:?}, chunks of {chunk}");
            }
        }
    }
}
