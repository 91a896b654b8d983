//! A file of arbitrary bytes through the encoding detection, the header
//! layer and row decoding: refused or read, never a panic.
#![no_main]

use leakmatch::input::record::{decode_row, RawFields};
use leakmatch::input::{Batch, InputKind, InputOptions, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("input.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    for kind in [InputKind::Recovered, InputKind::Bookings, InputKind::RuleValues] {
        let Ok(source) = Source::open(&path, kind, &InputOptions::default()) else { continue };
        let Ok(mut rows) = source.rows() else { continue };
        let mut batch = Batch::new(16);
        let mut raw = RawFields::default();
        while let Ok(true) = rows.next_batch(&mut batch) {
            for (record, meta) in batch.records().iter().zip(batch.meta()) {
                if let Err(error) = decode_row(record, &source, &mut raw) {
                    let _ = error.reason(&source);
                    let _ = rows.raw_text(meta);
                }
            }
        }
    }
});
