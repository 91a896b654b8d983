//! Unnamed temporary files for what a run must keep but need not hold in
//! memory meanwhile (the linked bookings while the index is alive, the
//! texts the outputs print while matching runs).
//!
//! A file is created with `tempfile::tempfile_in` (opened and unlinked at
//! once) inside the run's staging folder, which only the user can read:
//! what it holds (names, booking ids, emails) never has a name on disk and
//! vanishes with the process, however it ends.
//!
//! Invariant: what is read back is exactly what was written, in order.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, Result};

const WRITE_ERROR: &str = "cannot write to a temporary file";
const READ_ERROR: &str = "cannot read back a temporary file";

/// One unnamed file, written in order, read back once.
pub struct SpillFile {
    writer: BufWriter<File>,
    bytes: usize,
}

impl std::fmt::Debug for SpillFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpillFile").field("bytes", &self.bytes).finish()
    }
}

impl SpillFile {
    /// An empty unnamed file in `dir`.
    pub fn create(dir: &Path) -> Result<SpillFile> {
        let file = tempfile::tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        Ok(SpillFile { writer: BufWriter::new(file), bytes: 0 })
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer.write_all(bytes).context(WRITE_ERROR)?;
        self.bytes += bytes.len();
        Ok(())
    }

    /// Bytes written.
    pub fn len(&self) -> usize {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// The file from its start.
    fn reader(self) -> Result<BufReader<File>> {
        let mut file = self.writer.into_inner().map_err(|e| e.into_error()).context(WRITE_ERROR)?;
        file.seek(SeekFrom::Start(0)).context(READ_ERROR)?;
        Ok(BufReader::new(file))
    }

    /// The records of `N` bytes written, decoded.
    pub fn read_records<const N: usize, T>(self, decode: impl Fn(&[u8; N]) -> T) -> Result<Vec<T>> {
        let count = self.bytes / N;
        let mut records = Vec::with_capacity(count);
        self.read_each(|bytes| records.push(decode(bytes)))?;
        Ok(records)
    }

    /// The records of `N` bytes written, decoded, those `keep` returns.
    pub fn read_records_where<const N: usize, T>(self, keep: impl Fn(&[u8; N]) -> Option<T>) -> Result<Vec<T>> {
        let mut records = Vec::new();
        self.read_each(|bytes| records.extend(keep(bytes)))?;
        Ok(records)
    }

    /// The records of `N` bytes written, `per_chunk` of them at a time
    /// (the last chunk may hold fewer), each chunk one slice of bytes: for
    /// a caller that maps a chunk's records in parallel.
    pub fn read_chunks<const N: usize>(
        self,
        per_chunk: usize,
        mut each: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let mut left = self.bytes / N;
        let mut reader = self.reader()?;
        let mut chunk = vec![0u8; per_chunk.max(1) * N];
        while left > 0 {
            let records = left.min(per_chunk.max(1));
            reader.read_exact(&mut chunk[..records * N]).context(READ_ERROR)?;
            each(&chunk[..records * N])?;
            left -= records;
        }
        Ok(())
    }

    fn read_each<const N: usize>(self, mut each: impl FnMut(&[u8; N])) -> Result<()> {
        let count = self.bytes / N;
        let mut reader = self.reader()?;
        let mut buffer = [0u8; N];
        for _ in 0..count {
            reader.read_exact(&mut buffer).context(READ_ERROR)?;
            each(&buffer);
        }
        Ok(())
    }

    /// The text written (written from `str`s).
    pub fn read_string(self) -> Result<String> {
        let mut text = String::with_capacity(self.bytes);
        self.reader()?.read_to_string(&mut text).context(READ_ERROR)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_text_come_back_and_the_file_has_no_name() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut records = SpillFile::create(dir.path())?;
        let mut text = SpillFile::create(dir.path())?;
        for value in [7u32, u32::MAX, 0] {
            records.write(&value.to_le_bytes())?;
        }
        text.write("山田 ".as_bytes())?;
        text.write(b"R1")?;
        assert_eq!((records.len(), text.is_empty()), (12, false));
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 0, "the files have no name");
        assert_eq!(records.read_records(|b: &[u8; 4]| u32::from_le_bytes(*b))?, [7, u32::MAX, 0]);
        assert_eq!(text.read_string()?, "山田 R1");
        Ok(())
    }

    #[test]
    fn records_come_back_in_chunks_the_last_one_short() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut records = SpillFile::create(dir.path())?;
        for value in 0u16..7 {
            records.write(&value.to_le_bytes())?;
        }
        let mut chunks = Vec::new();
        records.read_chunks::<2>(3, |bytes| {
            chunks.push(bytes.chunks(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect::<Vec<_>>());
            Ok(())
        })?;
        assert_eq!(chunks, [vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
        Ok(())
    }
}
