//! Blocking keys: the exact normalized keys that bring two records together.
//!
//! Keys only propose candidate pairs; the probabilistic linker scores them
//! (`score.rs`). A key is verified on its text, never trusted on its hash.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use crate::normalize::address::house_numbers;
use crate::normalize::name::NameOrder;
use crate::normalize::text::push_decimal;
use crate::normalize::{Date, RecordView};

mod collect;
mod reading_keys;
mod same_key;
pub use collect::{key_entries, key_entries_over, pair_entries};
pub use reading_keys::{
    entries_share_key, reading_entries, reading_entry_holds, reading_key_holds, write_reading_key, MAX_READINGS,
    READING_KINDS, READING_VARIANT,
};

/// A kind of blocking key: the OR of these rules makes the candidate pairs
/// (passport; email; phone; name key + birth date; kanji name + birth date;
/// surname key + postal code; given name + birth date; birth date + address;
/// birth date + postal code; name key + address; surname key + address;
/// kanji name + postal code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyKind {
    Passport,
    Email,
    Phone,
    /// The loose romaji name key (from kana or romaji) + birth date.
    NameBirth,
    KanjiBirth,
    /// The strict romaji surname key + postal code.
    SurnamePostal,
    /// The strict romaji surname key + postal code + the given name's first
    /// letter: what a booking probes instead of [`KeyKind::SurnamePostal`]
    /// (see [`KeyKind::LINK`]).
    SurnameInitialPostal,
    /// The strict romaji given-name key + birth date (finds a typo in the
    /// surname when nothing else is shared).
    GivenBirth,
    /// The strict romaji surname key + birth date: the same for a typo in
    /// the given name (ナカヤマ クカヨ and ナカヤマ クメヨ born the same day).
    /// A surname and a birth day are one person's or twins' (whose given
    /// names keep them apart when scored).
    SurnameBirth,
    /// Birth date + town + the address numbers tuple.
    BirthAddress,
    /// Birth date + postal code: a row without a name that gives its birth
    /// date and postal code finds the person's rows that give the same two
    /// and no street address, which no other key reaches. A postal code
    /// covers some hundreds of residents and a birth date is one of some
    /// 30,000 days, so the block is one person's rows or twins' (whose
    /// given names keep them apart when scored); scored, the two agreeing
    /// weigh above the threshold (birth date 13.3 and postal code 11.4 bits
    /// against a prior of −15.2 on the second generator's sparse files).
    BirthPostal,
    /// The loose romaji name key (or the kanji name) + town + the address
    /// numbers tuple (a name and an address with no birth date: sparse
    /// rows; a kanji-only row without a postal code has no other key).
    NameAddress,
    /// City + town + the address numbers tuple, no name: a booking probes
    /// it to find the rows of its address whose names no other key reaches
    /// (a kana typo, a kanji name against a kana one) when no birth date,
    /// postal code or contact is shared. An address is a household's, so the
    /// block holds its members; their given names keep them apart when
    /// scored. The city is part of it: town names repeat across cities
    /// (本町, 栄町), and without it the probe brought another city's
    /// residents to score: the bookings step took 45% longer on 1,000,000
    /// generated persons.
    Address,
    /// The kanji name + postal code: for a row that gives its name in kanji
    /// and a postal code and nothing else to block on (no birth date, no
    /// kana surname, no contact). Both sides use it: a booking probes it,
    /// and the recovered records are paired on it (one name at one postal
    /// code is one person; a household's members have other given names).
    KanjiPostal,
    /// The email's local part, when it is at least [`MIN_LOCAL_PART_BYTES`]
    /// long: what a booking probes to find the rows that give the same
    /// mailbox name at another provider (a customer who moved from a
    /// carrier's mail to a free one keeps the handle), which no other key
    /// brings together when the row has no birth date or postal code.
    EmailLocalPart,
    /// The strict romaji surname key + town + the address numbers tuple:
    /// the recovered records of one surname at one home, which no other key
    /// pairs when the rows share no contact or birth date and the whole
    /// names differ (a kana typo in the given name: ヤマモト ナヨカ and
    /// ヤマモト ソヨカ at one address). A surname at a home is a household's,
    /// so the block holds its members, whose given names keep them apart
    /// when scored, as the address key's do for a booking.
    SurnameAddress,
    /// The loose romaji name key (or the kanji name) + the email's domain,
    /// for a record that gives no birth date, postal code or address
    /// ([`KeyKind::indexes`]): a row of a name and a mailbox and nothing
    /// else a name key is made with, whose customer's booking or other row
    /// gives another mailbox at the same provider (a changed or mistyped
    /// local part: taro.fujita764 and new605.taro.fujita764), had no key in
    /// common with it. The booking index holds only such sparse rows (one
    /// name at one provider among them is a small block), and a booking
    /// probes it with its own name and domain; among the recovered records
    /// a pair needs one sparse row (`pairs::candidate_pairs`), so a fuller
    /// row is keyed only where a sparse row's key meets it
    /// ([`pair_entries`]).
    NameEmailDomain,
}

/// The domain of a record's email key (after the `@`; empty without one).
fn email_domain<'a>(record: &RecordView<'a>) -> &'a str {
    record.email.key.split_once('@').map_or("", |(_, domain)| domain)
}

/// The shortest local part keyed by [`KeyKind::EmailLocalPart`]: shorter
/// handles (taro, info, mail) are many people's at as many providers, and
/// their blocks would bring strangers to score.
const MIN_LOCAL_PART_BYTES: usize = 6;

impl KeyKind {
    /// Every kind, in declaration order (`kind as usize` indexes it).
    pub const KINDS: [KeyKind; 17] = [
        KeyKind::Passport,
        KeyKind::Email,
        KeyKind::Phone,
        KeyKind::NameBirth,
        KeyKind::KanjiBirth,
        KeyKind::SurnamePostal,
        KeyKind::SurnameInitialPostal,
        KeyKind::GivenBirth,
        KeyKind::SurnameBirth,
        KeyKind::BirthAddress,
        KeyKind::BirthPostal,
        KeyKind::NameAddress,
        KeyKind::Address,
        KeyKind::KanjiPostal,
        KeyKind::EmailLocalPart,
        KeyKind::SurnameAddress,
        KeyKind::NameEmailDomain,
    ];

    /// The kinds the recovered records are paired on (deduplication),
    /// strongest first. The surname + birth date key pairs two records
    /// only when their given names do not differ and their contacts do not
    /// tell them apart (`pairs::candidate_pairs`).
    pub const ALL: [KeyKind; 14] = [
        KeyKind::Passport,
        KeyKind::Email,
        KeyKind::Phone,
        KeyKind::NameBirth,
        KeyKind::KanjiBirth,
        KeyKind::SurnamePostal,
        KeyKind::GivenBirth,
        KeyKind::SurnameBirth,
        KeyKind::BirthAddress,
        KeyKind::BirthPostal,
        KeyKind::NameAddress,
        KeyKind::SurnameAddress,
        KeyKind::KanjiPostal,
        KeyKind::NameEmailDomain,
    ];

    /// The kinds a booking probes the recovered records with: those of
    /// [`KeyKind::ALL`], the surname + postal code key narrowed by the given
    /// name's first letter, plus the address without a name and the
    /// email's local part (the birth date + postal code key
    /// finds a row without a name or street address that gives them:
    /// second generator, sparse files, recall 0.9541 → 0.9549). The address key finds every row the name + address
    /// and birth date + address keys find but a row without a city, so those
    /// two are left out (identical results on the grid and on 1,000,000
    /// persons, two probes less).
    ///
    /// Why two sets: a surname and a postal code are a neighbourhood's
    /// namesakes, not one person's variants. On 8,000,000 generated persons
    /// that key proposed 18.2M of 21.6M candidate pairs, and a booking's
    /// probe of it brought tens of namesakes to score: the bookings step
    /// took 264 s, with the letter 149 s. For the bookings the letter
    /// costs nothing measurable. Among the recovered records it does: the
    /// pairs it drops are the ones scored apart that stop two namesakes'
    /// persons from being chained together through a third row
    /// (`cluster.rs`), and without them affected precision fell from
    /// 0.9939 to 0.9929 on 8,000,000 persons. So deduplication keeps the
    /// plain key.
    pub const LINK: [KeyKind; 13] = [
        KeyKind::Passport,
        KeyKind::Email,
        KeyKind::EmailLocalPart,
        KeyKind::Phone,
        KeyKind::NameBirth,
        KeyKind::KanjiBirth,
        KeyKind::SurnameInitialPostal,
        KeyKind::GivenBirth,
        KeyKind::SurnameBirth,
        KeyKind::BirthPostal,
        KeyKind::Address,
        KeyKind::KanjiPostal,
        KeyKind::NameEmailDomain,
    ];

    /// Keys made of the surname without the given name (with a birth date,
    /// a postal code, or a postal code and the given name's first letter).
    /// They are there to find a typo in the given name, or a row without
    /// one; a record they alone found whose given name is another is taken
    /// for a relative or a namesake of the booking's customer and not
    /// scored (`Linker::score_candidates`).
    pub fn is_surname_only(self) -> bool {
        matches!(self, KeyKind::SurnameBirth | KeyKind::SurnamePostal | KeyKind::SurnameInitialPostal)
    }

    /// Whether a hit of this key between a booking's variant and a
    /// record's may have held on a surname alone: a surname key's, or the
    /// given name + birth date key's through the variant that reads a
    /// romaji name of unknown order the other way round
    /// ([`AMBIGUOUS_ORDER_VARIANT`]: its first part, the surname unless
    /// the name was written given name first). Two twins, or namesakes of
    /// a surname born the same day, each written in romaji (`TANIGUCHI
    /// AIHITSU`, `TANIGUCHI MUGIHEI`), share that variant, and were scored
    /// as if their given names had met: at 8,000,000 generated persons 14% of
    /// the records a booking scored, 2% at 1,000,000 (surname and birth
    /// date namesakes grow with the file). Which part is which is then the
    /// name comparison's to say (`given_names_differ` reads both orders).
    pub fn may_hold_on_surname(self, booking_variant: u8, record_variant: u8) -> bool {
        self.is_surname_only()
            || (self == KeyKind::GivenBirth
                && (booking_variant == AMBIGUOUS_ORDER_VARIANT || record_variant == AMBIGUOUS_ORDER_VARIANT))
    }

    /// The rule's name in counts.json.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Passport => "passport",
            KeyKind::Email => "email",
            KeyKind::Phone => "phone",
            KeyKind::NameBirth => "name+birth_date",
            KeyKind::KanjiBirth => "name_kanji+birth_date",
            KeyKind::SurnamePostal => "surname+postal_code",
            KeyKind::SurnameInitialPostal => "surname+given_initial+postal_code",
            KeyKind::GivenBirth => "given_name+birth_date",
            KeyKind::SurnameBirth => "surname+birth_date",
            KeyKind::BirthAddress => "birth_date+address",
            KeyKind::BirthPostal => "birth_date+postal_code",
            KeyKind::NameAddress => "name+address",
            KeyKind::SurnameAddress => "surname+address",
            KeyKind::Address => "address",
            KeyKind::KanjiPostal => "name_kanji+postal_code",
            KeyKind::EmailLocalPart => "email_local_part",
            KeyKind::NameEmailDomain => "name+email_domain",
        }
    }

    /// How many variants of this key a record can have: the name key comes
    /// from the kana, from the romaji, and from the romaji in the other order
    /// when the order is ambiguous (`Taro Yamada`), and with an address also
    /// from the kanji (a row giving its name in kanji only); the surname
    /// from the kana or from either part of the romaji.
    pub fn variants(self) -> u8 {
        match self {
            KeyKind::NameAddress | KeyKind::NameEmailDomain => 4,
            KeyKind::NameBirth
            | KeyKind::SurnamePostal
            | KeyKind::SurnameInitialPostal
            | KeyKind::SurnameAddress
            | KeyKind::GivenBirth
            | KeyKind::SurnameBirth => 3,
            _ => 1,
        }
    }

    /// The text of this key's variant `variant` of `record`, before it is
    /// written ([`KeyKind::write_key`]).
    pub(super) fn value<'a>(self, record: &RecordView<'a>, variant: u8) -> &'a str {
        let kana = &record.name_kana.romaji;
        let romaji = &record.name_romaji.romaji;
        match (self, variant) {
            (KeyKind::Passport, _) => record.passport_number,
            (KeyKind::Email, _) => record.email.key,
            (KeyKind::EmailLocalPart, _) => {
                let local = record.email.key.split('@').next().unwrap_or_default();
                if local.len() >= MIN_LOCAL_PART_BYTES {
                    local
                } else {
                    ""
                }
            }
            (KeyKind::Phone, _) => record.phone,
            (KeyKind::NameAddress | KeyKind::NameEmailDomain, 3) => record.name_kanji.strict,
            (KeyKind::NameBirth | KeyKind::NameAddress | KeyKind::NameEmailDomain, 0) => kana.loose,
            (KeyKind::NameBirth | KeyKind::NameAddress | KeyKind::NameEmailDomain, 1) => romaji.loose,
            (KeyKind::NameBirth | KeyKind::NameAddress | KeyKind::NameEmailDomain, _) => romaji.swapped_loose,
            (KeyKind::KanjiBirth | KeyKind::KanjiPostal, _) => record.name_kanji.strict,
            (KeyKind::BirthPostal, _) => record.postal_code,
            (
                KeyKind::SurnamePostal
                | KeyKind::SurnameInitialPostal
                | KeyKind::SurnameBirth
                | KeyKind::SurnameAddress,
                0,
            ) if kana.order == NameOrder::SurnameFirst => kana.surname,
            (
                KeyKind::SurnamePostal
                | KeyKind::SurnameInitialPostal
                | KeyKind::SurnameBirth
                | KeyKind::SurnameAddress,
                1,
            ) if romaji.order != NameOrder::Unsplit => romaji.surname,
            (
                KeyKind::SurnamePostal
                | KeyKind::SurnameInitialPostal
                | KeyKind::SurnameBirth
                | KeyKind::SurnameAddress,
                AMBIGUOUS_ORDER_VARIANT,
            ) if romaji.order == NameOrder::Ambiguous => romaji.given,
            (
                KeyKind::SurnamePostal
                | KeyKind::SurnameInitialPostal
                | KeyKind::SurnameBirth
                | KeyKind::SurnameAddress,
                _,
            ) => "",
            (KeyKind::GivenBirth, 0) if kana.order == NameOrder::SurnameFirst => kana.given,
            (KeyKind::GivenBirth, 1) if romaji.order != NameOrder::Unsplit => romaji.given,
            (KeyKind::GivenBirth, AMBIGUOUS_ORDER_VARIANT) if romaji.order == NameOrder::Ambiguous => romaji.surname,
            (KeyKind::GivenBirth, _) => "",
            (KeyKind::BirthAddress | KeyKind::Address, _) => house_numbers(record.address.numbers),
        }
    }

    /// The first letter of the given name that goes with the surname of
    /// variant `variant`, for [`KeyKind::SurnameInitialPostal`]; `None` for
    /// other keys and when there is no given name. It keeps what the
    /// surname + postal code rule is for (the same person at the same postal
    /// code with the given name written differently past its first letter,
    /// no birth date to block on) and splits a neighbourhood's namesakes
    /// about twenty ways.
    fn initial(self, record: &RecordView<'_>, variant: u8) -> Option<char> {
        match self {
            KeyKind::SurnameInitialPostal => KeyKind::GivenBirth.value(record, variant).chars().next(),
            _ => None,
        }
    }

    /// Writes variant `variant` of this key of `record` into `buf` (cleared
    /// first); `false` when the record lacks a part of it, or when an earlier
    /// variant has the same text (so each distinct key is emitted once).
    pub fn write_key(self, record: &RecordView<'_>, variant: u8, buf: &mut String) -> bool {
        buf.clear();
        let (value, initial) = (self.value(record, variant), self.initial(record, variant));
        let repeats = |earlier| self.value(record, earlier) == value && self.initial(record, earlier) == initial;
        if value.is_empty() || (0..variant).any(repeats) {
            return false;
        }
        buf.push_str(value);
        self.push_rest(record, initial, buf)
    }

    /// Appends to `buf` what the key holds besides its value (the birth
    /// date, the postal code and `initial`, the address parts), in the one
    /// format every writer of this kind's keys uses (a reading's key too:
    /// `reading_keys`); `false` when the record lacks a part.
    pub(super) fn push_rest(self, record: &RecordView<'_>, initial: Option<char>, buf: &mut String) -> bool {
        match self {
            KeyKind::Passport | KeyKind::Email | KeyKind::EmailLocalPart | KeyKind::Phone => {}
            KeyKind::NameBirth
            | KeyKind::KanjiBirth
            | KeyKind::GivenBirth
            | KeyKind::SurnameBirth
            | KeyKind::BirthPostal => {
                let Some(birth) = record.birth_date else {
                    return false;
                };
                push_birth(buf, birth);
            }
            KeyKind::KanjiPostal => {
                if record.postal_code.is_empty() {
                    return false;
                }
                buf.push('|');
                buf.push_str(record.postal_code);
            }
            KeyKind::SurnamePostal | KeyKind::SurnameInitialPostal => {
                let initial_missing = self == KeyKind::SurnameInitialPostal && initial.is_none();
                if record.postal_code.is_empty() || initial_missing {
                    return false;
                }
                buf.push('|');
                buf.push_str(record.postal_code);
                if let Some(initial) = initial {
                    buf.push('|');
                    buf.push(initial);
                }
            }
            KeyKind::BirthAddress => {
                let (Some(birth), false) = (record.birth_date, record.address.town.is_empty()) else {
                    return false;
                };
                buf.push('|');
                buf.push_str(record.address.town);
                push_birth(buf, birth);
            }
            KeyKind::NameAddress | KeyKind::SurnameAddress => {
                let address = &record.address;
                if address.town.is_empty() || address.numbers.is_empty() {
                    return false;
                }
                for part in [address.town, house_numbers(address.numbers)] {
                    buf.push('|');
                    buf.push_str(part);
                }
            }
            KeyKind::Address => {
                let address = &record.address;
                if address.town.is_empty() || address.city.is_empty() {
                    return false;
                }
                for part in [address.town, address.city] {
                    buf.push('|');
                    buf.push_str(part);
                }
            }
            KeyKind::NameEmailDomain => {
                let domain = email_domain(record);
                if domain.is_empty() {
                    return false;
                }
                buf.push('|');
                buf.push_str(domain);
            }
        }
        true
    }

    /// Hands `each` the entry of every distinct variant of this key that
    /// `record` (at `record_index`) has; `buf` is scratch.
    fn each_entry(self, record: &RecordView<'_>, record_index: u32, buf: &mut String, mut each: impl FnMut(KeyEntry)) {
        for variant in 0..self.variants() {
            if self.write_key(record, variant, buf) {
                each(KeyEntry::new(self, key_hash(self, buf), record_index, variant));
            }
        }
    }

    /// Whether the booking index holds this kind's keys of `record` where it
    /// has the parts, and whether a pair of this kind may be made of it:
    /// every kind but [`KeyKind::NameEmailDomain`], whose index holds only
    /// a record with nothing else a name key is made with (no birth date,
    /// postal code or address), so that its blocks stay a few sparse rows,
    /// not every namesake at a provider, and whose pairs need one such row.
    /// A booking probes it whatever it gives.
    pub fn indexes(self, record: &RecordView<'_>) -> bool {
        self != KeyKind::NameEmailDomain
            || (record.birth_date.is_none() && record.postal_code.is_empty() && record.address.town.is_empty())
    }
}

/// Merges the sorted `extra` into the sorted `entries`, in place from the
/// back: no second copy of `entries` (a billion bytes at 8,000,000
/// persons), and linear where sorting again was not.
pub fn merge_sorted(entries: &mut Vec<KeyEntry>, extra: &[KeyEntry]) {
    let (old_len, extra_len) = (entries.len(), extra.len());
    if extra_len == 0 {
        return;
    }
    entries.resize(old_len + extra_len, extra[0]);
    let (mut left, mut right) = (old_len, extra_len);
    for slot in (0..old_len + extra_len).rev() {
        // Take from `extra` when `entries` is spent or its last is smaller.
        if right > 0 && (left == 0 || entries[left - 1] <= extra[right - 1]) {
            right -= 1;
            entries[slot] = extra[right];
        } else {
            left -= 1;
            entries[slot] = entries[left];
        }
        if right == 0 {
            break;
        }
    }
}

/// Appends the birth date part of a key: the one format of the birth date
/// keys, so a reading's key and a field's meet:
/// `|` and the date packed as the number YYYYMMDD in decimal: one number
/// per date (month and day stay below 100), written without the formatter,
/// which took 2% of the bookings step (a booking writes four birth keys).
fn push_birth(buf: &mut String, birth: Date) {
    buf.push('|');
    let packed = i32::from(birth.year()) * 10_000 + i32::from(birth.month()) * 100 + i32::from(birth.day());
    if packed < 0 {
        buf.push('-');
    }
    push_decimal(packed.unsigned_abs(), buf);
}

/// The 64-bit hash of a key; equal keys give equal hashes. Candidates found
/// by hash are always verified against the key text.
pub fn key_hash(kind: KeyKind, key: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u8(kind as u8);
    hasher.write(key.as_bytes());
    hasher.finish()
}

/// One key of one recovered record, in 12 bytes (16 with the fields
/// apart; the index holds about ten per record: 0.36 GB less on 8,000,000
/// persons): one word of the kind (top [`KIND_BITS`] bits), 54 bits of the
/// key's hash and the variant (low [`VARIANT_BITS`] bits), then the record.
///
/// Entries sort by (kind, hash, variant, record): a block, the entries of
/// one (kind, hash), is contiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C, packed(4))]
pub struct KeyEntry {
    key: u64,
    record: u32,
}

/// The variant of the name-part keys that reads a romaji name of unknown
/// order ([`NameOrder::Ambiguous`]) the other way round: the given name +
/// birth date key's is the first part, the surname keys' the second.
pub const AMBIGUOUS_ORDER_VARIANT: u8 = 2;

/// Bits of an entry's word for the kind (up to 32 kinds).
const KIND_BITS: u32 = 5;
/// Bits of an entry's word for the variant: a kind's own (up to 4) and
/// readings from [`READING_VARIANT`], [`MAX_READINGS`] of them.
const VARIANT_BITS: u32 = 5;
/// Bits of a block ([`block_of`]) for the key's hash, below the kind's.
pub const HASH_BITS: u32 = 64 - KIND_BITS - VARIANT_BITS;
const _: () = assert!(KeyKind::KINDS.len() <= 1 << KIND_BITS);
const _: () = assert!(READING_VARIANT as usize + MAX_READINGS <= 1 << VARIANT_BITS);

impl KeyEntry {
    pub fn new(kind: KeyKind, hash: u64, record: u32, variant: u8) -> KeyEntry {
        KeyEntry { key: (block_of(kind, hash) << VARIANT_BITS) | u64::from(variant), record }
    }

    /// The block: kind and key hash ([`block_of`]).
    pub fn block(self) -> u64 {
        self.key >> VARIANT_BITS
    }

    pub fn kind(self) -> KeyKind {
        KeyKind::KINDS[(self.key >> (64 - KIND_BITS)) as usize]
    }

    pub fn record(self) -> u32 {
        self.record
    }

    pub fn variant(self) -> u8 {
        (self.key & ((1 << VARIANT_BITS) - 1)) as u8
    }
}

/// The block of a key of `kind` whose hash is `hash` ([`key_hash`]): the
/// kind in the top bits, then the hash's top [`HASH_BITS`] bits. Two keys whose hashes
/// share those bits share a block; the text check sorts them out.
pub fn block_of(kind: KeyKind, hash: u64) -> u64 {
    ((kind as u64) << HASH_BITS) | (hash >> (KIND_BITS + VARIANT_BITS))
}

#[cfg(test)]
mod tests;
