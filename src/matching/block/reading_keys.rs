//! Keys from the readings of a kanji-only name (`readings::WholeNameKeys`):
//! a row that gives its name in kanji only shares no name key with a row
//! or booking that gives it in kana or romaji only (幸田 洋子, コウダ ヨウコ),
//! so each reading of its kanji is keyed as if it were the row's romaji
//! name key, with the birth date ([`KeyKind::NameBirth`]) and with the
//! street address ([`KeyKind::NameAddress`]).
//!
//! Invariant: a reading's key is written in the one format of the field
//! keys it meets ([`KeyKind::write_key`]), its entry's variant is
//! [`READING_VARIANT`] + the reading's index, and a hit is checked again on
//! the text ([`reading_entry_holds`]): the readings are not kept.

use super::collect::KEY_CHUNK_RECORDS;
use super::{key_hash, KeyEntry, KeyKind};
use crate::matching::compare::has_reading;
use crate::normalize::readings::WholeNameKeys;
use crate::normalize::store::RecordStore;
use crate::normalize::RecordView;

/// Key variants from this one up are readings of a kanji-only name, not
/// fields of the record (a key kind has at most 3 variants of its own).
pub const READING_VARIANT: u8 = 16;
/// Most readings of a kanji-only name a record or a booking is keyed by: a
/// common surname has a few readings and a given name several (the cap
/// bounds a name of many short known parts; the likelier come first, see
/// `readings::WholeNameKeys`).
pub const MAX_READINGS: usize = 16;

/// The kinds a reading keys: with the birth date, and with the street
/// address. The second pairs a kanji-only row giving a postal code and an
/// address with its customer's kana row at that address (山口 陽子 and
/// ヤマグチ ヨウコ at one house number); no other key brought them together
/// when neither gives a birth date (second generator, sparse files).
pub const READING_KINDS: [KeyKind; 2] = [KeyKind::NameBirth, KeyKind::NameAddress];

/// The reading keys of `kinds` (of [`READING_KINDS`]; variants from
/// [`READING_VARIANT`]) of the records `which` (ascending) that give their
/// name in kanji only: one per reading of the name and kind the record
/// has the other part of. They let deduplication pair such a row with a
/// kana- or romaji-only row ([`entries_share_key`]), and a kana- or
/// romaji-only booking find it by name and birth date; a booking's own
/// kanji is probed the other way (`Linker::reading_probes`). Sorted like
/// [`super::key_entries_over`].
pub fn reading_entries(records: &RecordStore, which: &[u32], kinds: &[KeyKind]) -> Vec<KeyEntry> {
    use rayon::prelude::*;
    let mut entries: Vec<KeyEntry> = which
        .par_chunks(KEY_CHUNK_RECORDS)
        .flat_map_iter(|chunk| {
            let (mut readings, mut buf) = (WholeNameKeys::default(), String::new());
            let mut entries = Vec::new();
            for &record_index in chunk {
                let record = &records.get(record_index as usize);
                if record.name_kanji.strict.is_empty() || has_reading(record) {
                    continue;
                }
                if !kinds.iter().any(|&kind| write_reading_key(kind, "", record, &mut buf)) {
                    continue;
                }
                readings.fill(record.name_kanji.strict, MAX_READINGS);
                for (index, reading) in readings.keys().iter().enumerate() {
                    for &kind in kinds {
                        if write_reading_key(kind, reading, record, &mut buf) {
                            let variant = READING_VARIANT + index as u8;
                            entries.push(KeyEntry::new(kind, key_hash(kind, &buf), record_index, variant));
                        }
                    }
                }
            }
            entries
        })
        .collect();
    entries.par_sort_unstable();
    entries
}

/// Writes the `kind` key of `record` with `name_key` (a reading of its
/// kanji) for its name, the rest as the field keys write it
/// ([`KeyKind::push_rest`]); `false` when the record lacks the key's other
/// part or `kind` is not one of [`READING_KINDS`]. A row's reading entries
/// and a kanji-only booking's reading probes are written here.
pub fn write_reading_key(kind: KeyKind, name_key: &str, record: &RecordView<'_>, buf: &mut String) -> bool {
    buf.clear();
    buf.push_str(name_key);
    READING_KINDS.contains(&kind) && kind.push_rest(record, None, buf)
}

/// Whether the `kind` key [`write_reading_key`] writes for `reading` (of
/// `reader`'s kanji name) and `reader` is `other`'s key of that kind
/// (variant `other_variant`), on the text.
pub fn reading_key_holds(
    kind: KeyKind,
    reading: &str,
    reader: &RecordView<'_>,
    other: &RecordView<'_>,
    other_variant: u8,
) -> bool {
    READING_KINDS.contains(&kind)
        && !reading.is_empty()
        && kind.value(other, other_variant) == reading
        && kind.same_rest(reader, READING_VARIANT, other, other_variant)
}

/// Whether the entries of two records in one block share its key on the
/// text: [`KeyKind::same_key`], except that an entry of a kanji-only
/// name's reading ([`READING_VARIANT`] and up, [`reading_entries`]) is read
/// again from the kanji and compared with the other record's name key. Two
/// readings never pair: two kanji names that agree share the kanji key.
pub fn entries_share_key(kind: KeyKind, a: &RecordView<'_>, va: u8, b: &RecordView<'_>, vb: u8) -> bool {
    match (va.checked_sub(READING_VARIANT), vb.checked_sub(READING_VARIANT)) {
        (None, None) => kind.same_key(a, va, b, vb),
        (Some(reading), None) => reading_entry_holds(kind, a, reading, b, vb),
        (None, Some(reading)) => reading_entry_holds(kind, b, reading, a, va),
        (Some(_), Some(_)) => false,
    }
}

/// Whether reading `index` of the kanji-only `record`'s name (as
/// [`reading_entries`] made it) with its birth date or street address
/// (`kind`) is `other`'s key of that kind (variant `other_variant`). Read
/// again only on a hit (the readings are not kept).
pub fn reading_entry_holds(
    kind: KeyKind,
    record: &RecordView<'_>,
    index: u8,
    other: &RecordView<'_>,
    other_variant: u8,
) -> bool {
    let mut readings = WholeNameKeys::default();
    readings.fill(record.name_kanji.strict, MAX_READINGS);
    readings
        .keys()
        .get(usize::from(index))
        .is_some_and(|reading| reading_key_holds(kind, reading, record, other, other_variant))
}
