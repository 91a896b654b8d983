//! A result file's rows formatted in parallel and written in order.
//!
//! Each row of a result file depends on one item (a person, a booking), so
//! the items are cut into chunks, a window of chunks is formatted at once
//! on the rayon pool, each into its own buffer by a CSV writer set up as
//! the file's ([`StagingDir::chunk_writer`]), and the calling thread writes
//! the buffers in chunk order. One file written by one thread kept a core
//! idle whenever the other group of files was done first (the phase
//! "result files" of `--timings`).
//!
//! Invariant: the file's bytes are those one writer going through the items
//! in order would write, whatever the thread count: a chunk's bytes depend
//! only on its items, and chunks are written in order.

use std::io::Write as _;
use std::ops::Range;

use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;

use super::StagingDir;

/// Items a chunk holds: enough that a task outweighs its set-up (a writer,
/// a buffer), few enough that a window of them stays a few tens of MB
/// (links.csv has about 300 bytes a row and three rows a person).
const CHUNK_ITEMS: usize = 8192;

/// Chunks formatted before the first of them is written: four per core on
/// the 2-core machine this was measured on, so neither core waits for the
/// other's last chunk for long. Tried and not kept: writing a window while
/// the next is formatted (`rayon::join`): result files at 1,000,000
/// persons 1.27–1.37 s → 1.46–1.66 s in alternate runs (the files are
/// already written two at a time).
const WINDOW_CHUNKS: usize = 8;

/// Bytes written between two requests to the syncer to flush them
/// ([`super::ResultFile::sync_written`]).
const SYNC_EVERY_BYTES: usize = 64 << 20;

/// Writes the file `name`: `header`, then for every chunk of `items` the
/// rows `format` writes for it.
pub fn write_file<H, F>(staging: &StagingDir, name: &str, header: H, items: usize, format: F) -> Result<()>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    F: Fn(Range<usize>, &mut csv::Writer<Vec<u8>>) -> Result<()> + Sync,
{
    write_file_in_chunks(staging, name, header, items, CHUNK_ITEMS, format)
}

fn write_file_in_chunks<H, F>(
    staging: &StagingDir,
    name: &str,
    header: H,
    items: usize,
    chunk_items: usize,
    format: F,
) -> Result<()>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    F: Fn(Range<usize>, &mut csv::Writer<Vec<u8>>) -> Result<()> + Sync,
{
    let mut wtr = staging.csv_file(name)?;
    wtr.write_record(header).with_context(|| format!("cannot write {name}"))?;
    let mut file =
        wtr.into_inner().map_err(|e| anyhow!(e.into_error())).with_context(|| format!("cannot write {name}"))?;
    let starts: Vec<usize> = (0..items).step_by(chunk_items).collect();
    let mut unsynced_bytes = 0;
    for window in starts.chunks(WINDOW_CHUNKS) {
        let buffers: Vec<Result<Vec<u8>>> = window
            .par_iter()
            .map(|&start| {
                let mut chunk = staging.chunk_writer();
                format(start..(start + chunk_items).min(items), &mut chunk)?;
                chunk.into_inner().map_err(|e| anyhow!(e.into_error()))
            })
            .collect();
        for buffer in buffers {
            let buffer = buffer?;
            file.write_all(&buffer).with_context(|| format!("cannot write {name}"))?;
            unsynced_bytes += buffer.len();
        }
        if unsynced_bytes >= SYNC_EVERY_BYTES {
            file.sync_written()?;
            unsynced_bytes = 0;
        }
    }
    super::finish_file(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of item `i`: none for every third item, two for every fifth, a
    /// quoted cell among them (so chunks end on any kind of row).
    fn rows_of(item: usize, wtr: &mut csv::Writer<Vec<u8>>) -> Result<()> {
        let copies = match item {
            i if i % 3 == 0 => 0,
            i if i % 5 == 0 => 2,
            _ => 1,
        };
        for copy in 0..copies {
            wtr.write_record([item.to_string(), format!("a,\"b\" {copy}"), "山田".to_string()])?;
        }
        Ok(())
    }

    fn written(excel: bool, items: usize, chunk_items: usize) -> String {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("out");
        let mut staging = StagingDir::create(&out).expect("a staging folder");
        staging.set_excel(excel);
        write_file_in_chunks(&staging, "t.csv", ["item", "text", "name"], items, chunk_items, |chunk, wtr| {
            chunk.into_iter().try_for_each(|item| rows_of(item, wtr))
        })
        .expect("written");
        staging.commit().expect("committed");
        String::from_utf8(std::fs::read(out.join("t.csv")).expect("readable")).expect("UTF-8")
    }

    #[test]
    fn chunks_write_the_bytes_one_writer_would() {
        for excel in [false, true] {
            let mut one = csv::WriterBuilder::new()
                .terminator(if excel { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            one.write_record(["item", "text", "name"]).expect("header");
            (0..100).try_for_each(|item| rows_of(item, &mut one)).expect("rows");
            let mut expected = String::from(if excel { "\u{FEFF}" } else { "" });
            expected.push_str(&String::from_utf8(one.into_inner().expect("flushed")).expect("UTF-8"));
            // One chunk; chunks of 7 over several windows; one item a chunk.
            for chunk_items in [1000, 7, 1] {
                assert_eq!(written(excel, 100, chunk_items), expected, "excel {excel}, chunks of {chunk_items}");
            }
        }
        assert_eq!(written(false, 0, 7), "item,text,name\n", "no items: the header alone");
    }
}
