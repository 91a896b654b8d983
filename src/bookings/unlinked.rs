//! The bookings that linked nothing, or possibly only, and that the rules
//! do not exclude, kept on disk while the bookings stream: the chains step
//! (`chain`) looks for its candidates among them.
//!
//! Each is kept as its file and byte range there, its raw keys and, when
//! it has possible links, its index among the linked bookings (84 bytes;
//! about 20M rows, 1.7 GB of disk, on 8,000,000 generated persons), so
//! the chains step finds its candidates by key without
//! parsing the booking files again, and then reads only the rows found
//! (`input::at`). Parsing every file again had been most of that step
//! (26 s of 226 s on 8,000,000 persons).
//!
//! A row without any raw key cannot be a candidate and is not written.
//!
//! Invariant: the rows found come back in the order written, which is the
//! bookings' (file, row) order, whatever the thread count.

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use super::raw_keys::{RawKeys, SeedsByKey, KEYS};
use super::spill::{put, put_row_at, take, take_row_at, ROW_AT_BYTES};
use crate::input::at::RowAt;
use crate::progress::Phase;
use crate::spill::SpillFile;

const ROW_BYTES: usize = ROW_AT_BYTES + 4 + 8 * KEYS;

/// Rows the chains step scans per parallel chunk (5.5 MB).
const ROWS_PER_CHUNK: usize = 65_536;

/// The unlinked, not excluded bookings, on disk.
#[derive(Debug, Default)]
pub struct UnlinkedRows(Option<SpillFile>);

/// A row that shares a raw key with some seeds.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub at: RowAt,
    /// Its index among the linked bookings when it has possible links.
    pub booking: Option<u32>,
    /// The seeds (indices), ascending, each once.
    pub seeds: Vec<u32>,
}

impl UnlinkedRows {
    /// An empty unnamed file in `dir`.
    pub fn create(dir: &Path) -> Result<UnlinkedRows> {
        Ok(UnlinkedRows(Some(SpillFile::create(dir)?)))
    }

    /// Keeps a row (nothing if it has no key); `booking` is its index among
    /// the linked bookings when it has possible links.
    pub fn write(&mut self, at: RowAt, booking: Option<u32>, keys: &RawKeys) -> Result<()> {
        let Some(file) = self.0.as_mut().filter(|_| keys.iter().any(|&key| key != 0)) else {
            return Ok(());
        };
        let mut bytes = [0u8; ROW_BYTES];
        let mut offset = 0;
        put_row_at(&mut bytes, &mut offset, at);
        // 0: no linked booking; else its index + 1.
        put(&mut bytes, &mut offset, &booking.map_or(0, |index| index + 1).to_le_bytes());
        for key in keys {
            put(&mut bytes, &mut offset, &key.to_le_bytes());
        }
        file.write(&bytes)
    }

    /// Bytes kept (for a progress bar).
    pub fn len_bytes(&self) -> u64 {
        self.0.as_ref().map_or(0, |file| file.len() as u64)
    }

    /// The rows with a key of a seed in `by_key`, in the order written;
    /// `phase` shows the bytes scanned.
    pub fn sharing_a_key(self, by_key: &SeedsByKey, phase: &Phase) -> Result<Vec<Found>> {
        let Some(file) = self.0 else {
            return Ok(Vec::new());
        };
        let (mut found, mut scanned) = (Vec::new(), 0u64);
        file.read_chunks::<ROW_BYTES>(ROWS_PER_CHUNK, |chunk| {
            let rows = chunk.par_chunks_exact(ROW_BYTES).filter_map(|bytes| find(bytes, by_key));
            found.par_extend(rows);
            scanned += chunk.len() as u64;
            phase.update(scanned, scanned / ROW_BYTES as u64);
            Ok(())
        })?;
        Ok(found)
    }
}

/// The row encoded in `bytes` if it shares a key with a seed.
fn find(bytes: &[u8], by_key: &SeedsByKey) -> Option<Found> {
    let bytes: &[u8; ROW_BYTES] = bytes.try_into().ok()?;
    let mut offset = 0;
    let at = take_row_at(bytes, &mut offset);
    let booking = u32::from_le_bytes(take(bytes, &mut offset)).checked_sub(1);
    let keys: RawKeys = [(); KEYS].map(|_| u64::from_le_bytes(take(bytes, &mut offset)));
    // The cheap test first: most rows share no key with a seed.
    if keys.iter().all(|&key| by_key.seeds(key).is_empty()) {
        return None;
    }
    let mut seeds: Vec<u32> = keys.iter().flat_map(|&key| by_key.seeds(key)).copied().collect();
    seeds.sort_unstable();
    seeds.dedup();
    Some(Found { at, booking, seeds })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Progress;

    #[test]
    fn rows_sharing_a_seed_key_come_back_in_order_with_their_seeds() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let seeds: [RawKeys; 2] = [[11, 0, 0, 0, 0, 0, 0, 12], [12, 0, 0, 13, 0, 0, 0, 0]];
        let by_key = SeedsByKey::new(seeds.iter());
        let mut rows = UnlinkedRows::create(dir.path())?;
        let at = |file, start| RowAt { file, start, len: 30 };
        let written: [(RowAt, Option<u32>, RawKeys); 5] = [
            (at(0, 10), None, [0, 0, 0, 0, 0, 0, 0, 99]),
            (at(0, 20), Some(0), [0, 12, 0, 0, 0, 0, 0, 0]),
            (at(0, 30), None, [0; KEYS]),
            (at(0, 40), None, [11, 0, 0, 0, 0, 0, 13, 0]),
            (at(5, 50 << 40), Some(u32::MAX - 1), [0, 0, 0, 0, 0, 0, 0, 12]),
        ];
        for (row, booking, keys) in written {
            rows.write(row, booking, &keys)?;
        }
        assert_eq!(rows.len_bytes(), 4 * ROW_BYTES as u64, "a row without keys is not kept");
        let found = rows.sharing_a_key(&by_key, &Progress::hidden().phase("test", 0))?;
        let expected = [
            Found { at: at(0, 20), booking: Some(0), seeds: vec![0, 1] },
            Found { at: at(0, 40), booking: None, seeds: vec![0, 1] },
            Found { at: at(5, 50 << 40), booking: Some(u32::MAX - 1), seeds: vec![0, 1] },
        ];
        assert_eq!(found, expected);
        Ok(())
    }
}
