//! Property tests of the CSV and header layer (run in CI with a bounded
//! number of cases; `fuzz/` holds cargo-fuzz targets for longer runs): on
//! any bytes, opening a file, matching its headers, reading every row and
//! decoding it never panics, and every row read is either decoded or
//! rejected with a reason.

use proptest::prelude::*;

use super::record::{decode_row, RawFields};
use super::{Batch, InputKind, InputOptions, Source};

/// Bytes that look like CSV: separators, quotes, line ends, header names,
/// UTF-8 and CP932 lead bytes, and anything else.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(vec![
            b",".to_vec(), b"\"".to_vec(), b"\n".to_vec(), b"\r\n".to_vec(), b"\r".to_vec(), b"\t".to_vec(),
            "氏名".as_bytes().to_vec(), "メールアドレス".as_bytes().to_vec(), b"email".to_vec(), b"booking_id".to_vec(),
            b"channel".to_vec(), "山田".as_bytes().to_vec(), b"\xEF\xBB\xBF".to_vec(), b"\x82\xA0".to_vec(),
            b"\x81\x7F".to_vec(), b"\xFF\xFE".to_vec(), b"1980-01-02".to_vec(),
        ]),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// Opens and reads a whole file; returns (rows read, rows decoded or rejected).
fn read_all(bytes: &[u8], kind: InputKind) -> Option<(u64, u64)> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("input.csv");
    std::fs::write(&path, bytes).ok()?;
    // A file the header layer refuses is an error, never a panic.
    let source = Source::open(&path, kind, &InputOptions::default()).ok()?;
    let mut rows = source.rows().ok()?;
    let mut batch = Batch::new(7);
    let mut raw = RawFields::default();
    let mut handled = 0;
    while let Ok(true) = rows.next_batch(&mut batch) {
        for (record, meta) in batch.records().iter().zip(batch.meta()) {
            match decode_row(record, &source, &mut raw) {
                Ok(()) => handled += 1,
                Err(error) => {
                    assert!(!error.reason(&source).is_empty());
                    let _ = rows.raw_text(meta);
                    handled += 1;
                }
            }
        }
    }
    Some((rows.rows_read(), handled))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_or_refused_without_panic(bytes in csv_bytes()) {
        for kind in [InputKind::Recovered, InputKind::Bookings, InputKind::RuleValues] {
            if let Some((read, handled)) = read_all(&bytes, kind) {
                prop_assert_eq!(read, handled);
            }
        }
    }
}
