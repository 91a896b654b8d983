//! The keys a booking is looked for by when chains are followed
//! (`chain`): hashes of raw contact values, and the seeds by key.
//!
//! A key is taken from the raw text (spaces dropped, full-width ASCII as
//! ASCII, email and romaji in lower case, hiragana and half-width kana as
//! katakana, digits of any width, a phone without its country code and
//! trunk 0), so that the chains step finds its candidates without
//! normalizing every row; a variant only normalization makes equal (an
//! old kanji form, a long-vowel mark) is not found. That loses a chain,
//! never makes a wrong one: what is found is scored on normalized rows.
//!
//! A name is a key only with the postal code or the birth date beside it:
//! alone it found every namesake's booking (on 8,000,000 generated persons
//! 4.0M candidates for 3,430 chains, 1.4 GB of them held at once), while a
//! chain must share a contact or the place anyway. Of 404 chains on
//! 1,000,000 persons, 388 share the email, the phone or the postal code
//! (found by these keys); the 16 others share the name, the birth date and
//! the street address or an email's similar local part (found by name and
//! birth date).
//!
//! Invariant: equal raw values give equal keys, a key never stands for an
//! empty value (0 is "no key"), and each key carries its kind, so a kana
//! name is not found as a romaji one.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use unicode_normalization::UnicodeNormalization;

use crate::input::any_width_digit;
use crate::input::record::RawFields;
use crate::input::Field;
use crate::normalize::{kana, phone, placeholder, Date};

/// What a key is made of.
#[derive(Clone, Copy, Debug)]
enum KeyKind {
    /// The field alone: an email or a phone is near-personal.
    Alone(Field),
    /// A name field and the postal code's digits.
    WithPostal(Field),
    /// A name field and the birth date (parsed: raw dates are written in
    /// too many ways to compare as text).
    WithBirth(Field),
}

use KeyKind::{Alone, WithBirth, WithPostal};

const KEY_KINDS: [KeyKind; 8] = [
    Alone(Field::Email),
    Alone(Field::Phone),
    WithPostal(Field::NameKanji),
    WithPostal(Field::NameKana),
    WithPostal(Field::NameRomaji),
    WithBirth(Field::NameKanji),
    WithBirth(Field::NameKana),
    WithBirth(Field::NameRomaji),
];

/// Keys a booking has, one per [`KEY_KINDS`].
pub const KEYS: usize = KEY_KINDS.len();

/// The keys of one booking, by [`KEY_KINDS`] (0: no key).
pub type RawKeys = [u64; KEYS];

/// The [`RawKeys`] of a decoded row whose birth date parsed to `birth`.
pub fn raw_keys(raw: &RawFields, birth: Option<Date>) -> RawKeys {
    // Each value is read once, though a name is in two keys and the
    // postal code in three: hashing the text char by char is the cost
    // (reading each value once per key was 6% of the bookings step).
    // An email or a phone whose column gives no key is taken from its
    // second column (`RawFields::second`; normalization prefers a mobile
    // there over a fixed line in the first, which a key would find too
    // rarely to be worth a second key).
    let value = |field: Field| {
        [raw.get(field), raw.second(field)].into_iter().find_map(|text| {
            let mut hasher = FxHasher::default();
            hash_raw(&mut hasher, field, text).then(|| hasher.finish())
        })
    };
    let postal = value(Field::PostalCode);
    let names = [Field::NameKanji, Field::NameKana, Field::NameRomaji].map(|field| (field, value(field)));
    let name = |field: Field| names.iter().find(|(f, _)| *f == field).and_then(|(_, hash)| *hash);
    let mut keys = [0; KEY_KINDS.len()];
    for ((slot, kind), key) in KEY_KINDS.iter().enumerate().zip(&mut keys) {
        let mut hasher = FxHasher::default();
        (slot as u8).hash(&mut hasher);
        let found = match *kind {
            Alone(field) => value(field).inspect(|hash| hash.hash(&mut hasher)).is_some(),
            WithPostal(field) => match (name(field), postal) {
                (Some(name), Some(postal)) => {
                    (name, postal).hash(&mut hasher);
                    true
                }
                _ => false,
            },
            WithBirth(field) => match (name(field), birth) {
                (Some(name), Some(date)) => {
                    (name, date.year(), date.month(), date.day()).hash(&mut hasher);
                    true
                }
                _ => false,
            },
        };
        if found {
            *key = hasher.finish().max(1);
        }
    }
    keys
}

/// Feeds `text` of `field` to `hasher` as the key compares it; false if
/// nothing was fed (the value is empty for the key).
fn hash_raw(hasher: &mut FxHasher, field: Field, text: &str) -> bool {
    // A placeholder (`なし`, `-`) is no value: keyed, every booking that
    // gives it would be every other's candidate.
    let text = placeholder::or_missing(text);
    if field == Field::Phone {
        return hash_phone(hasher, text);
    }
    let digits_only = field == Field::PostalCode;
    let mut any = false;
    // Half-width kana (ﾔﾏﾀﾞ) are read through NFKC, which joins a voiced
    // mark to its kana (ヤマダ); other text is read as it is, cheaper.
    let half_width_kana = field == Field::NameKana && text.chars().any(is_half_width_kana);
    let chars: &mut dyn Iterator<Item = char> = if half_width_kana { &mut text.nfkc() } else { &mut text.chars() };
    for c in chars {
        let c = if digits_only {
            match any_width_digit(c) {
                Some(d) => char::from_digit(d, 10).unwrap_or(c),
                None => continue,
            }
        } else {
            let c = fullwidth_ascii(c);
            match field {
                Field::Email | Field::NameRomaji => c.to_ascii_lowercase(),
                // The kana column is written in hiragana or katakana.
                Field::NameKana => kana::to_katakana(c),
                _ => c,
            }
        };
        if !c.is_whitespace() {
            c.hash(hasher);
            any = true;
        }
    }
    // The end of the value: "ab" + "c" is not "a" + "bc".
    0xffu8.hash(hasher);
    any
}

/// Most digits of a phone key: more than any number with its country code
/// (a longer value is keyed by its first ones; it is unusable anyway).
const MAX_PHONE_DIGITS: usize = 24;

/// Feeds a phone's national significant digits to `hasher`: the digits of
/// any width, without the country code 81 where it is written (`+81`,
/// `0081`, `01081`, or a bare `81` before 9–10 more digits, as
/// `normalize::phone` reads them) and without the leading zeros, so that
/// `070-2324-3975`, `+81 70-2324-3975`, `+81 (0)70…` and a number that lost
/// its trunk 0 in a spreadsheet give one key. Keyed as written, one
/// customer's store booking and online booking whose phones differ only
/// so were never chained.
fn hash_phone(hasher: &mut FxHasher, text: &str) -> bool {
    let mut digits = [0u8; MAX_PHONE_DIGITS];
    let mut len = 0;
    for d in text.chars().filter_map(any_width_digit) {
        if len < MAX_PHONE_DIGITS {
            digits[len] = b'0' + d as u8;
            len += 1;
        }
    }
    // ASCII digits only, so always UTF-8.
    let digits = std::str::from_utf8(&digits[..len]).unwrap_or_default();
    let plus = text.trim_start().starts_with(['+', '＋']);
    let national = phone::after_country_code(digits, plus).unwrap_or(digits);
    let significant = national.trim_start_matches('0');
    // A subscriber number of zeros only is a dummy (`normalize::phone`):
    // keyed, every booking giving it would be every other's candidate.
    if significant.is_empty() || phone::subscriber_is_zeros(significant) {
        return false;
    }
    significant.hash(hasher);
    true
}

/// A full-width ASCII character (`ｍｉｋｉ＠ｅｘａｍｐｌｅ．ｊｐ`, as a
/// form in full-width mode writes an email) as its ASCII one.
fn fullwidth_ascii(c: char) -> char {
    match c {
        '！'..='～' => char::from_u32(c as u32 - ('！' as u32 - '!' as u32)).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is a half-width katakana or voiced mark (U+FF66–U+FF9F).
fn is_half_width_kana(c: char) -> bool {
    ('ｦ'..='ﾟ').contains(&c)
}

/// Seeds (indices) by key: the keys sorted, with a directory of where
/// each range of key hashes starts (the keys spread evenly), so a look-up
/// reads the directory and a cache line or two of keys, whether the key
/// is there or not (most unlinked bookings have none; a binary
/// search of millions of keys took a miss a step: the read was 61 s on
/// 8,000,000 persons).
#[derive(Debug, Default)]
pub struct SeedsByKey {
    keys: Vec<u64>,
    seeds: Vec<u32>,
    /// Slot `j` starts at the first key whose top `bits` bits are `j` or
    /// more; one more entry ends the last.
    directory: Vec<u32>,
    bits: u32,
    /// A bit per value of a key's low bits, set for every key: most rows
    /// have no key of a seed, and one bit read (2 MB on 1,000,000 persons,
    /// 16 MB on 8,000,000) turns away all but about one in
    /// [`FILTER_BITS_PER_KEY`] of them before the directory and the keys are
    /// read (those two misses were a fifth of the chains step's time).
    filter: Vec<u64>,
}

/// Keys per directory slot, on average: a slot's keys fit a cache line.
const KEYS_PER_SLOT: usize = 4;

/// Filter bits per key, at least: a key not there passes the filter about
/// once in this many look-ups.
const FILTER_BITS_PER_KEY: usize = 16;

impl SeedsByKey {
    /// From each seed's keys (seed `i` is the `i`th of `keys`).
    pub fn new<'a>(keys: impl Iterator<Item = &'a RawKeys>) -> SeedsByKey {
        let mut pairs: Vec<(u64, u32)> = keys
            .enumerate()
            .flat_map(|(seed, keys)| keys.iter().filter(|&&key| key != 0).map(move |&key| (key, seed as u32)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let bits = (pairs.len() / KEYS_PER_SLOT).next_power_of_two().trailing_zeros();
        let mut directory = Vec::with_capacity((1 << bits) + 1);
        let mut at = 0;
        for slot in 0..1u64 << bits {
            while at < pairs.len() && slot_of(pairs[at].0, bits) < slot {
                at += 1;
            }
            directory.push(at as u32);
        }
        directory.push(pairs.len() as u32);
        let filter_bits = (pairs.len() * FILTER_BITS_PER_KEY).next_power_of_two().max(64);
        let mut filter = vec![0u64; filter_bits / 64];
        for &(key, _) in &pairs {
            let bit = filter_bit(key, filter_bits);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        let (keys, seeds) = pairs.into_iter().unzip();
        SeedsByKey { keys, seeds, directory, bits, filter }
    }

    /// The seeds with key `key`, in seed order (none for 0).
    pub fn seeds(&self, key: u64) -> &[u32] {
        if key == 0 || self.keys.is_empty() {
            return &[];
        }
        let bit = filter_bit(key, self.filter.len() * 64);
        if self.filter[bit / 64] >> (bit % 64) & 1 == 0 {
            return &[];
        }
        let slot = slot_of(key, self.bits) as usize;
        let (start, end) = (self.directory[slot] as usize, self.directory[slot + 1] as usize);
        let keys = &self.keys[start..end];
        let first = keys.partition_point(|&k| k < key);
        let len = keys[first..].iter().take_while(|&&k| k == key).count();
        &self.seeds[start + first..start + first + len]
    }
}

/// The filter bit of `key`: its low bits (the directory takes the top
/// ones; FxHasher's finish rotates well-mixed high bits down).
fn filter_bit(key: u64, filter_bits: usize) -> usize {
    key as usize & (filter_bits - 1)
}

fn slot_of(key: u64, bits: u32) -> u64 {
    if bits == 0 {
        0
    } else {
        key >> (64 - bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(fields: &[(Field, &str)]) -> RawKeys {
        let mut raw = RawFields::default();
        for &(field, value) in fields {
            raw.set(field, value);
        }
        raw_keys(&raw, None)
    }

    #[test]
    fn keys_ignore_spaces_case_and_digit_width_only() {
        let key = |field, value| keys_of(&[(field, value)]);
        let with_postal = |name, value, postal| keys_of(&[(name, value), (Field::PostalCode, postal)]);
        let kanji = |value| with_postal(Field::NameKanji, value, "100-0001");
        assert_eq!(kanji("加藤 美咲"), kanji("加藤美咲"));
        assert_eq!(kanji("加藤\u{3000}美咲"), kanji("加藤美咲"));
        assert_eq!(kanji("加藤美咲"), with_postal(Field::NameKanji, "加藤美咲", "〒１０００００１"));
        assert_eq!(
            with_postal(Field::NameRomaji, "Misaki KATO", "1000001"),
            with_postal(Field::NameRomaji, "misakikato", "1000001")
        );
        assert_eq!(key(Field::Email, "Misaki@Example.JP"), key(Field::Email, "misaki@example.jp"));
        assert_eq!(key(Field::Email, "ＭＩＳＡＫＩ＠ｅｘａｍｐｌｅ．ｊｐ"), key(Field::Email, "misaki@example.jp"));
        assert_ne!(key(Field::Email, "misaki@example.jp"), key(Field::Email, "misaki@example.co.jp"));
        let kana = |value| with_postal(Field::NameKana, value, "1000001");
        assert_eq!(kana("かとう みさき"), kana("カトウ ミサキ"));
        assert_eq!(kana("ﾔﾏﾀﾞ ﾀﾛｳ"), kana("ヤマダ タロウ"));
        assert_ne!(kana("ﾔﾏﾀ ﾀﾛｳ"), kana("ヤマダ タロウ"));
        assert_eq!(
            with_postal(Field::NameRomaji, "ＫＡＴＯ ＭＩＳＡＫＩ", "1000001"),
            with_postal(Field::NameRomaji, "kato misaki", "1000001")
        );
        assert_eq!(key(Field::Phone, "090-3710-5626"), key(Field::Phone, "０９０３７１０５６２６"));
        assert_ne!(kanji("加藤美咲"), kanji("加藤大輔"));
        assert_ne!(kanji("加藤美咲"), with_postal(Field::NameKanji, "加藤美咲", "100-0002"));
        assert_ne!(key(Field::Phone, "090-3710-5626"), key(Field::Phone, "080-6493-9747"));
        // The country code and the trunk 0 are not the number.
        let phone = |value| key(Field::Phone, value);
        for written in
            ["+81 90-3710-5626", "＋８１ ９０－３７１０－５６２６", "+81 (0)90-3710-5626", "0081-90-3710-5626"]
        {
            assert_eq!(phone(written), phone("090-3710-5626"), "{written}");
        }
        assert_eq!(phone("819037105626"), phone("090-3710-5626"));
        assert_eq!(phone("90-3710-5626"), phone("090-3710-5626"));
        assert_ne!(phone("+1 90-3710-5626"), phone("090-3710-5626"));
        assert_ne!(phone("081-234-5678"), phone("234-5678"), "an area code 081 is not a country code");
        assert_eq!(phone("090-0000-0000"), [0; KEY_KINDS.len()], "a dummy number has no key");
        // Each key carries its kind: a kana name is not found as a romaji one.
        assert_ne!(with_postal(Field::NameKana, "kato", "1")[3], with_postal(Field::NameRomaji, "kato", "1")[4]);
    }

    #[test]
    fn a_name_is_a_key_only_beside_the_postal_code_or_the_birth_date() {
        assert_eq!(keys_of(&[(Field::NameKanji, "加藤美咲")]), [0; KEY_KINDS.len()]);
        assert_eq!(keys_of(&[]), [0; KEY_KINDS.len()], "an empty field has no key");
        assert_eq!(keys_of(&[(Field::Phone, "なし")]), [0; KEY_KINDS.len()], "a phone without digits has none");
        assert_eq!(keys_of(&[(Field::Email, "N/A")]), [0; KEY_KINDS.len()], "a placeholder has none");
        let mut raw = RawFields::default();
        raw.set(Field::NameKana, "カトウ ミサキ");
        let born = Date::new(1990, 4, 1).ok();
        let keys = raw_keys(&raw, born);
        assert_eq!(keys.iter().filter(|&&key| key != 0).count(), 1);
        assert_ne!(keys, raw_keys(&raw, Date::new(1990, 4, 2).ok()));
    }

    #[test]
    fn seeds_by_key_finds_every_seed_of_a_key_and_nothing_else() {
        let seeds: Vec<RawKeys> = (0..1000u64)
            .map(|seed| {
                let mut keys = [0; KEY_KINDS.len()];
                // Keys shared by seeds n and n + 500, spread over the hashes.
                keys[0] = (seed % 500 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                keys[2] = u64::MAX - seed;
                keys
            })
            .collect();
        let by_key = SeedsByKey::new(seeds.iter());
        for seed in [0, 1, 499, 999] {
            assert_eq!(by_key.seeds(seeds[seed][0]), [(seed % 500) as u32, (seed % 500 + 500) as u32]);
            assert_eq!(by_key.seeds(seeds[seed][2]), [seed as u32]);
        }
        assert!(by_key.seeds(0).is_empty());
        assert!(by_key.seeds(12345).is_empty());
        assert!(SeedsByKey::new([].iter()).seeds(1).is_empty());
    }
}
