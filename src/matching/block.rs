//! Blocking keys: the exact normalized keys that bring two records together.
//!
//! First linker (issue "leakmatch run, end to end"): two records are the same
//! person when any key agrees exactly. The probabilistic linker keeps these
//! as candidate generators and scores the pairs instead.

use std::fmt::Write as _;
use std::hash::Hasher;

use rustc_hash::FxHasher;

use crate::normalize::NormalizedRecord;

/// A kind of blocking key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyKind {
    Passport,
    EmailBirth,
    PhoneBirth,
    /// The loose romaji name key (from kana or romaji) + birth date.
    NameBirth,
    KanjiBirth,
}

impl KeyKind {
    /// Every kind, strongest first.
    pub const ALL: [KeyKind; 5] =
        [KeyKind::Passport, KeyKind::EmailBirth, KeyKind::PhoneBirth, KeyKind::NameBirth, KeyKind::KanjiBirth];

    /// The name used in review.csv evidence.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Passport => "passport",
            KeyKind::EmailBirth => "email+birth_date",
            KeyKind::PhoneBirth => "phone+birth_date",
            KeyKind::NameBirth => "name+birth_date",
            KeyKind::KanjiBirth => "name_kanji+birth_date",
        }
    }

    /// How many variants of this key a record can have: the name key comes
    /// from the kana, from the romaji, and from the romaji in the other order
    /// when the order is ambiguous (`Taro Yamada`).
    pub fn variants(self) -> u8 {
        match self {
            KeyKind::NameBirth => 3,
            _ => 1,
        }
    }

    fn value(self, record: &NormalizedRecord, variant: u8) -> &str {
        match (self, variant) {
            (KeyKind::Passport, _) => &record.passport_number,
            (KeyKind::EmailBirth, _) => &record.email.key,
            (KeyKind::PhoneBirth, _) => &record.phone,
            (KeyKind::NameBirth, 0) => &record.name_kana.romaji.loose,
            (KeyKind::NameBirth, 1) => &record.name_romaji.romaji.loose,
            (KeyKind::NameBirth, _) => &record.name_romaji.romaji.swapped_loose,
            (KeyKind::KanjiBirth, _) => &record.name_kanji.strict,
        }
    }

    /// Writes variant `variant` of this key of `record` into `buf` (cleared
    /// first); `false` when the record lacks a part of it, or when an earlier
    /// variant has the same text (so each distinct key is emitted once).
    pub fn write_key(self, record: &NormalizedRecord, variant: u8, buf: &mut String) -> bool {
        buf.clear();
        let value = self.value(record, variant);
        if value.is_empty() || (0..variant).any(|earlier| self.value(record, earlier) == value) {
            return false;
        }
        buf.push_str(value);
        if self != KeyKind::Passport {
            let Some(birth) = record.birth_date else {
                return false;
            };
            // Writing into a String cannot fail.
            let _ = write!(buf, "|{birth}");
        }
        true
    }
}

/// A set of key kinds (which keys agreed for a pair).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeySet(u8);

impl KeySet {
    pub fn insert(&mut self, kind: KeyKind) {
        self.0 |= 1 << kind as u8;
    }

    pub fn contains(self, kind: KeyKind) -> bool {
        self.0 & (1 << kind as u8) != 0
    }

    pub fn union(self, other: KeySet) -> KeySet {
        KeySet(self.0 | other.0)
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, strongest first.
    pub fn iter(self) -> impl Iterator<Item = KeyKind> {
        KeyKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

/// The 64-bit hash of a key; equal keys give equal hashes. Candidates found
/// by hash are always verified against the key text.
pub fn key_hash(kind: KeyKind, key: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u8(kind as u8);
    hasher.write(key.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::date::parse_iso;

    #[test]
    fn birth_keys_need_a_birth_date() {
        let mut record = NormalizedRecord::default();
        record.email.key = "a@b.jp".into();
        let mut buf = String::new();
        assert!(!KeyKind::EmailBirth.write_key(&record, 0, &mut buf));
        record.birth_date = parse_iso("1980-01-02");
        assert!(KeyKind::EmailBirth.write_key(&record, 0, &mut buf));
        assert_eq!(buf, "a@b.jp|1980-01-02");
    }

    #[test]
    fn name_key_variants_are_emitted_once_each() {
        let mut record = NormalizedRecord { birth_date: parse_iso("1980-01-02"), ..Default::default() };
        record.name_kana.romaji.loose = "YAMADATARO".into();
        record.name_romaji.romaji.loose = "YAMADATARO".into();
        record.name_romaji.romaji.swapped_loose = "TAROYAMADA".into();
        let mut buf = String::new();
        let mut keys = Vec::new();
        for variant in 0..KeyKind::NameBirth.variants() {
            if KeyKind::NameBirth.write_key(&record, variant, &mut buf) {
                keys.push(buf.clone());
            }
        }
        assert_eq!(keys, ["YAMADATARO|1980-01-02", "TAROYAMADA|1980-01-02"]);
    }

    #[test]
    fn key_set_iterates_strongest_first() {
        let mut set = KeySet::default();
        set.insert(KeyKind::NameBirth);
        set.insert(KeyKind::Passport);
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![KeyKind::Passport, KeyKind::NameBirth]);
        assert_eq!(set.len(), 2);
    }
}

/// One key of one recovered record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyEntry {
    pub kind: KeyKind,
    pub hash: u64,
    pub record: u32,
    pub variant: u8,
}

/// Records per parallel work unit when collecting keys.
const KEY_CHUNK_RECORDS: usize = 8192;

/// Every key of every record, sorted by (kind, hash, record).
pub fn key_entries(records: &[NormalizedRecord]) -> Vec<KeyEntry> {
    use rayon::prelude::*;
    let chunks: Vec<Vec<KeyEntry>> = records
        .par_chunks(KEY_CHUNK_RECORDS)
        .enumerate()
        .map(|(chunk_index, chunk)| {
            let mut buf = String::new();
            let mut entries = Vec::with_capacity(chunk.len() * 2);
            for (offset, record) in chunk.iter().enumerate() {
                let record_index = (chunk_index * KEY_CHUNK_RECORDS + offset) as u32;
                for kind in KeyKind::ALL {
                    for variant in 0..kind.variants() {
                        if kind.write_key(record, variant, &mut buf) {
                            entries.push(KeyEntry { kind, hash: key_hash(kind, &buf), record: record_index, variant });
                        }
                    }
                }
            }
            entries
        })
        .collect();
    let mut entries = chunks.concat();
    // Entries are distinct, so an unstable sort is still deterministic.
    entries.par_sort_unstable();
    entries
}
