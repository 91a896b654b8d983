//! Every normalizer on arbitrary text: no panic, whatever the field.
#![no_main]

use leakmatch::input::record::RawFields;
use leakmatch::input::Field;
use leakmatch::normalize::{normalize_record, NormalizedRecord, Scratch};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut raw = RawFields::default();
    // The same text in every customer field, and split across them.
    for (i, field) in Field::ALL.into_iter().enumerate() {
        let cut = text.char_indices().nth(i).map_or(text.len(), |(at, _)| at);
        raw.set(field, if i % 2 == 0 { &text } else { &text[cut..] });
    }
    let mut scratch = Scratch::default();
    let mut out = NormalizedRecord::default();
    normalize_record(&raw, &mut scratch, &mut out);
});
