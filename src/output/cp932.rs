//! Result CSV files in CP932 (`--output-encoding cp932`, for older Excel).
//!
//! [`Cp932Writer`] sits between the csv writer and the file: it follows the
//! CSV structure of what passes through (quotes, separators, line ends; the
//! csv crate writes well-formed CSV), encodes each character to CP932, and
//! counts, per column, the characters CP932 cannot hold. Those are written
//! as 〓 (the geta mark Japanese systems use for that), never dropped, and
//! the counts are reported (stderr and counts.json), so nothing is replaced
//! silently.
//!
//! Invariant: the counts are keyed by the header row's column names and
//! kept in a BTreeMap, so reports do not depend on hash order.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use encoding_rs::SHIFT_JIS;

/// Characters CP932 could not hold: file → column → count.
pub type Unencodable = BTreeMap<String, BTreeMap<String, u64>>;

/// The CP932 bytes of 〓.
const GETA: [u8; 2] = [0x81, 0xAC];

/// A writer that transcodes CSV text from UTF-8 to CP932.
pub struct Cp932Writer<W: Write> {
    inner: W,
    file: String,
    report: Arc<Mutex<Unencodable>>,
    /// Bytes of an incomplete UTF-8 character carried to the next write.
    carry: Vec<u8>,
    in_quotes: bool,
    column: usize,
    header: Vec<String>,
    in_header: bool,
    counts: BTreeMap<usize, u64>,
    out: Vec<u8>,
}

impl<W: Write> Cp932Writer<W> {
    /// Transcodes into `inner`; counts go to `report` under `file` on drop.
    pub fn new(inner: W, file: &str, report: Arc<Mutex<Unencodable>>) -> Cp932Writer<W> {
        Cp932Writer {
            inner,
            file: file.to_string(),
            report,
            carry: Vec::new(),
            in_quotes: false,
            column: 0,
            header: vec![String::new()],
            in_header: true,
            counts: BTreeMap::new(),
            out: Vec::new(),
        }
    }

    /// The writer transcoded into.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    fn push_char(&mut self, c: char) {
        match c {
            '"' => self.in_quotes = !self.in_quotes,
            ',' if !self.in_quotes => {
                self.column += 1;
                if self.in_header {
                    self.header.push(String::new());
                }
            }
            '\n' if !self.in_quotes => {
                self.column = 0;
                self.in_header = false;
            }
            '\r' if !self.in_quotes => {}
            _ if self.in_header => {
                if let Some(name) = self.header.last_mut() {
                    name.push(c);
                }
            }
            _ => {}
        }
        // ASCII is the same byte in CP932: no encoder call for most bytes.
        if c.is_ascii() {
            self.out.push(c as u8);
            return;
        }
        let mut buffer = [0u8; 4];
        let (bytes, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(&mut buffer));
        if unmappable {
            *self.counts.entry(self.column).or_insert(0) += 1;
            self.out.extend_from_slice(&GETA);
        } else {
            self.out.extend_from_slice(&bytes);
        }
    }
}

impl<W: Write> Write for Cp932Writer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut carry = std::mem::take(&mut self.carry);
        carry.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&carry) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")),
        };
        self.out.clear();
        // Checked just above: the first `valid` bytes are UTF-8.
        for c in std::str::from_utf8(&carry[..valid]).unwrap_or_default().chars() {
            self.push_char(c);
        }
        carry.drain(..valid);
        self.carry = carry;
        self.inner.write_all(&self.out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Cp932Writer<W> {
    /// Records the counts and hands back the file.
    pub fn finish(self) -> W {
        if !self.counts.is_empty() {
            let mut report = self.report.lock().unwrap_or_else(|e| e.into_inner());
            let file = report.entry(self.file.clone()).or_default();
            for (column, count) in &self.counts {
                let name = self.header.get(*column).cloned().unwrap_or_else(|| format!("column {}", column + 1));
                *file.entry(name).or_insert(0) += count;
            }
        }
        self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unencodable_characters_become_geta_and_are_counted_by_column() {
        let report = Arc::new(Mutex::new(Unencodable::new()));
        let mut wtr = csv::Writer::from_writer(Cp932Writer::new(Vec::new(), "affected.csv", report.clone()));
        wtr.write_record(["person_id", "name_kanji", "note"]).unwrap();
        // 𠮷 (U+20BB7) and 🙂 are not in CP932; 髙 is (an IBM extension).
        wtr.write_record(["P1", "𠮷田 髙", "a,\"b\" 🙂"]).unwrap();
        let bytes = wtr.into_inner().map_err(|e| e.into_error()).unwrap().finish();
        let (text, _, had_errors) = SHIFT_JIS.decode(&bytes);
        assert!(!had_errors);
        assert_eq!(text, "person_id,name_kanji,note\nP1,〓田 髙,\"a,\"\"b\"\" 〓\"\n");
        let report = report.lock().unwrap();
        assert_eq!(report["affected.csv"], BTreeMap::from([("name_kanji".to_string(), 1), ("note".to_string(), 1)]));
    }
}
