//! Contact values that name no one: an email or a phone number given by the
//! recovered records of more persons than a household holds. Staff type a
//! dummy mailbox (`none@none.jp`) or the shop's own number for customers
//! without one, and a company's travel desk books under one address for
//! its staff. Such a value agreeing says "one of those many", not "this
//! person": weighed as any exact email (+14 bits), it carried a booking that
//! gave only a name and the dummy mailbox to the one recovered row of that
//! name, though the name alone links nothing.
//!
//! Such a value is compared as missing, on either side: missing is not
//! different, and a dummy mailbox beside a real one says nothing against
//! the pair either; no rule takes it for a customer's own contact. The
//! recovered records hide it (`RecordStore::hide`), a booking's is taken
//! out before it is linked ([`CommonContacts::mask_booking`]). What an
//! exact agreement on it still says is weighed by its frequency, as a
//! name's is: among N persons, k of whom give the value, it picks one in
//! N / k, log2(m · N / k) bits where a value of one's own weighs the
//! model's log2(m / u) ([`MaskedBooking::weigh_agreement`]; Splink's
//! term-frequency adjustment). A mailbox 12 employees share still narrows
//! a name to one of them; one that 1% of the customers were given says
//! almost nothing. A household's mailbox (2 to [`MAX_HOUSEHOLD_PERSONS`]
//! persons) keeps its weight whole: the name and the household rules tell
//! its members apart.
//!
//! Two passes. Before the clustering there are no persons: a value is
//! common when its records give more distinct birth dates than two a
//! person, or more distinct names than three a person, over the bound (one
//! customer's rows give a date and perhaps a typo of it, and up to three
//! name keys: the kana's, the romaji's and the kanji's), and the
//! deduplication compares it as missing. After the clustering the persons
//! are counted, for the linking.
//!
//! Invariant: which values are common depends on the records and the
//! clustering's persons only, not on thread count or order; nothing is held
//! per record when no value is common.

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::block::{block_of, key_hash, KeyEntry, KeyKind};
use super::compare::has_name;
use super::index::RecordIndex;
use super::levels::{Comparison, EmailLevel, PhoneLevel};
use super::score::{Score, Scorer};
use super::weights::Model;
use super::{Persons, RecordIdx};
use crate::normalize::store::{Hidden, RecordStore};
use crate::normalize::RecordView;

/// More persons under one contact value than any but the rarest household
/// holds (Japan's households had 2.2 persons on average at the 2020
/// census). A value given by more persons is no family's: a dummy's or a
/// company's. The mailing groups use the same bound (`output::mailing`).
pub const MAX_HOUSEHOLD_PERSONS: usize = 10;

/// The contact kinds judged, with the value each hides and the level of
/// an exact agreement.
const KINDS: [(KeyKind, Hidden, Comparison, u8); 2] = [
    (KeyKind::Email, Hidden::EMAIL, Comparison::Email, EmailLevel::Exact as u8),
    (KeyKind::Phone, Hidden::PHONE, Comparison::Phone, PhoneLevel::Exact as u8),
];

/// The common email and phone values of the recovered records, found
/// after the clustering.
#[derive(Debug, Default)]
pub struct CommonContacts {
    /// Per common value's index block ([`block_of`]): how many bits an
    /// exact agreement on it weighs less than the model's exact level
    /// (see the module documentation).
    blocks: FxHashMap<u64, f64>,
    /// Common emails and phone numbers found (counts.json).
    pub emails: u64,
    pub phones: u64,
}

/// A booking with its common values taken out.
#[derive(Debug)]
pub struct MaskedBooking<'a> {
    /// The booking as linked: its common values missing.
    pub view: RecordView<'a>,
    /// The values taken out, and the bits of [`CommonContacts::blocks`] of
    /// each (by [`KINDS`]).
    hidden: Hidden,
    excess_bits: [f64; KINDS.len()],
}

impl CommonContacts {
    /// Finds the email and phone blocks of `index` whose records belong to
    /// more than [`MAX_HOUSEHOLD_PERSONS`] of the `persons`, and what each
    /// of the `records` hides for them (empty when nothing). Only a block
    /// of more entries than that can hold so many, so the others cost a
    /// scan of the index's entries. `model` gives what an exact agreement
    /// on a value of one's own weighs.
    pub fn find(
        persons: &Persons,
        index: &RecordIndex,
        records: usize,
        model: &Model,
    ) -> (CommonContacts, Vec<Hidden>) {
        let holder = |record: u32| Some(u64::from(persons.person_of(record)));
        let (found, hidden) = common_blocks(index.entries(), records, MAX_HOUSEHOLD_PERSONS, &holder);
        let mut common = CommonContacts::default();
        for (kind_index, block, holders) in found {
            let (kind, _, comparison, exact) = KINDS[kind_index];
            let m = model.levels(comparison).m[exact as usize];
            // log2(m / (k / N)): the value picks one person in N / k.
            let of_the_value = (m * persons.len() as f64 / holders as f64).log2();
            common.blocks.insert(block, (model.level_weight(comparison, exact) - of_the_value).max(0.0));
            match kind {
                KeyKind::Email => common.emails += 1,
                _ => common.phones += 1,
            }
        }
        (common, hidden)
    }

    /// Which of `view`'s values are common. `key` is scratch.
    pub fn values_of(&self, view: &RecordView<'_>, key: &mut String) -> Hidden {
        self.lookup(view, key).0
    }

    /// Which of `view`'s values are common, and each one's excess bits (by
    /// [`KINDS`]).
    fn lookup(&self, view: &RecordView<'_>, key: &mut String) -> (Hidden, [f64; KINDS.len()]) {
        let (mut hidden, mut excess_bits) = (Hidden::default(), [0.0; KINDS.len()]);
        if self.blocks.is_empty() {
            return (hidden, excess_bits);
        }
        for (i, &(kind, value, ..)) in KINDS.iter().enumerate() {
            if !kind.write_key(view, 0, key) {
                continue;
            }
            if let Some(&excess) = self.blocks.get(&block_of(kind, key_hash(kind, key))) {
                hidden = hidden.or(value);
                excess_bits[i] = excess;
            }
        }
        (hidden, excess_bits)
    }

    /// `view` with its common values taken out (compared as missing), or
    /// `None` when it has none. `key` is scratch.
    pub fn mask_booking<'a>(&self, view: &RecordView<'a>, key: &mut String) -> Option<MaskedBooking<'a>> {
        let (hidden, excess_bits) = self.lookup(view, key);
        (!hidden.is_empty()).then(|| {
            let mut out = view.clone();
            hidden.apply(&mut out);
            MaskedBooking { view: out, hidden, excess_bits }
        })
    }
}

impl MaskedBooking<'_> {
    /// Which of the booking's values were taken out.
    pub fn hidden(&self) -> Hidden {
        self.hidden
    }

    /// Raises `score` (of this masked booking against recovered `record`)
    /// to what an agreement on a common value weighs by its frequency, when
    /// that is more: the pair scored with the values both give shown, less
    /// each one's excess bits. The difference counts as term-frequency
    /// adjustment; the comparison levels stay `missing`, so no rule takes
    /// the value for the customer's own contact. `given`: the booking as
    /// given.
    pub fn weigh_agreement(
        &self,
        score: &mut Score,
        scorer: &Scorer,
        given: &RecordView<'_>,
        records: &RecordStore,
        record: RecordIdx,
    ) {
        let theirs_hidden = records.hidden(record as usize);
        let both_common = theirs_hidden.and(self.hidden);
        if both_common.is_empty() {
            return;
        }
        let mut theirs = records.get_whole(record as usize);
        let (mut shown, mut excess) = (Hidden::default(), 0.0);
        for (i, &(kind, value, ..)) in KINDS.iter().enumerate() {
            if both_common.contains(value) && kind.value(given, 0) == kind.value(&theirs, 0) {
                shown = shown.or(value);
                excess += self.excess_bits[i];
            }
        }
        if shown.is_empty() {
            return;
        }
        // Every other common value stays missing on both sides.
        theirs_hidden.without(shown).apply(&mut theirs);
        let mut mine = given.clone();
        self.hidden.without(shown).apply(&mut mine);
        let weight = scorer.score(&mine, &theirs).weight - excess;
        if weight > score.weight {
            score.tf_adjustment += weight - score.weight;
            score.weight = weight;
        }
    }
}

/// What each of the `records` hides before the clustering: the email and
/// phone values whose records among `entries` (the deduplication's keys,
/// sorted) give more birth dates than twice [`MAX_HOUSEHOLD_PERSONS`], or
/// more names than three times it: more persons than the bound either way
/// (see the module documentation).
pub fn hidden_before_persons(records: &RecordStore, entries: &[KeyEntry]) -> Vec<Hidden> {
    let birth = |record: u32| {
        let date = records.get(record as usize).birth_date?;
        Some(((date.year() as u64) << 16) | ((date.month() as u64) << 8) | date.day() as u64)
    };
    let name = |record: u32| {
        let view = records.get(record as usize);
        has_name(&view).then(|| name_hash(&view))
    };
    let by_birth = common_blocks(entries, records.len(), BIRTH_DATES_A_PERSON * MAX_HOUSEHOLD_PERSONS, &birth).1;
    let by_name = common_blocks(entries, records.len(), NAME_KEYS_A_PERSON * MAX_HOUSEHOLD_PERSONS, &name).1;
    match (by_birth.is_empty(), by_name.is_empty()) {
        (_, true) => by_birth,
        (true, false) => by_name,
        (false, false) => by_birth.iter().zip(&by_name).map(|(a, b)| a.or(*b)).collect(),
    }
}

/// Birth dates one customer's rows give: the date, and a typo of it.
const BIRTH_DATES_A_PERSON: usize = 2;

/// Name keys one customer's rows give ([`name_hash`]): the kana's reading,
/// the romaji's (either order, one key; another when the kana's order is
/// the romaji's other), and the kanji's.
const NAME_KEYS_A_PERSON: usize = 3;

/// The blocks of email and phone entries with more than `bound` distinct
/// holders (`holder` of a record; `None` counts for no one), each with its
/// kind (by [`KINDS`]) and how many, and what each of the `records` hides
/// for them (empty when no block is found).
fn common_blocks(
    entries: &[KeyEntry],
    records: usize,
    bound: usize,
    holder: &(dyn Fn(u32) -> Option<u64> + Sync),
) -> (Vec<(usize, u64, usize)>, Vec<Hidden>) {
    let (mut blocks, mut hidden) = (Vec::new(), Vec::new());
    for (kind_index, &(kind, value, ..)) in KINDS.iter().enumerate() {
        let large: Vec<&[KeyEntry]> = entries[kind_range(entries, kind)]
            .chunk_by(|a, b| a.block() == b.block())
            .filter(|block| block.len() > bound)
            .collect();
        let found: Vec<(&[KeyEntry], usize)> = large
            .into_par_iter()
            .map(|block| (block, distinct_holders(block, holder)))
            .filter(|&(_, holders)| holders > bound)
            .collect();
        if !found.is_empty() && hidden.is_empty() {
            hidden = vec![Hidden::default(); records];
        }
        for (block, holders) in found {
            blocks.push((kind_index, block[0].block(), holders));
            for entry in block {
                let record = &mut hidden[entry.record() as usize];
                *record = record.or(value);
            }
        }
    }
    (blocks, hidden)
}

/// A hash of a record's name: its reading key (kana, else romaji, a
/// romaji name of unknown order read the way that sorts first, so that
/// `Taro Yamada` and `YAMADA TARO` are one key), else its kanji key.
fn name_hash(view: &RecordView<'_>) -> u64 {
    let romaji = &view.name_romaji.romaji;
    let romaji = match romaji.swapped_loose {
        "" => romaji.loose,
        swapped => swapped.min(romaji.loose),
    };
    let key = [view.name_kana.romaji.loose, romaji, view.name_kanji.strict]
        .into_iter()
        .find(|key| !key.is_empty())
        .unwrap_or_default();
    let mut hasher = FxHasher::default();
    hasher.write(key.as_bytes());
    hasher.finish()
}

/// The range of `entries` (sorted by kind first) of `kind`.
fn kind_range(entries: &[KeyEntry], kind: KeyKind) -> std::ops::Range<usize> {
    let start = entries.partition_point(|e| (e.kind() as u8) < kind as u8);
    let end = start + entries[start..].partition_point(|e| e.kind() as u8 == kind as u8);
    start..end
}

/// How many distinct holders the records of `block` have.
fn distinct_holders(block: &[KeyEntry], holder: &(dyn Fn(u32) -> Option<u64> + Sync)) -> usize {
    let mut of: Vec<u64> = block.iter().filter_map(|e| holder(e.record())).collect();
    of.sort_unstable();
    of.dedup();
    of.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::RecordIdx;
    use crate::normalize::NormalizedRecord;

    /// A key hash for a small number (a block keeps a hash's top bits).
    fn hash(n: u64) -> u64 {
        n << 40
    }

    /// Sorted index entries: record i gives `emails[i]` and `phones[i]`.
    fn entries_of(emails: &[u64], phones: &[u64]) -> Vec<KeyEntry> {
        let mut entries: Vec<KeyEntry> = emails
            .iter()
            .enumerate()
            .map(|(r, &h)| KeyEntry::new(KeyKind::Email, hash(h), r as u32, 0))
            .chain(phones.iter().enumerate().map(|(r, &h)| KeyEntry::new(KeyKind::Phone, hash(h), r as u32, 0)))
            .collect();
        entries.sort_unstable();
        entries
    }

    #[test]
    fn a_value_is_common_past_the_household_bound_of_persons_not_records() {
        let n = 2 * (MAX_HOUSEHOLD_PERSONS + 1);
        // Records 0..=10 are eleven persons; 11.. are one person's rows.
        let roots: Vec<RecordIdx> =
            (0..n as u32).map(|r| if r <= MAX_HOUSEHOLD_PERSONS as u32 { r } else { n as u32 - 1 }).collect();
        let persons = Persons::from_roots(&roots);
        // Email 7: the eleven persons'; email 9: the one person's eleven rows.
        let emails: Vec<u64> = (0..n).map(|r| if r <= MAX_HOUSEHOLD_PERSONS { 7 } else { 9 }).collect();
        // Phone 5: ten of the persons (the household bound) and the one
        // person's rows but the first.
        let shares_phone = |r: usize| !(MAX_HOUSEHOLD_PERSONS..=MAX_HOUSEHOLD_PERSONS + 1).contains(&r);
        let phones: Vec<u64> = (0..n).map(|r| if shares_phone(r) { 5 } else { r as u64 + 100 }).collect();
        let index = RecordIndex::new(entries_of(&emails, &phones));
        let model = Model::default_model();
        let (common, hidden) = CommonContacts::find(&persons, &index, n, &model);
        assert_eq!((common.emails, common.phones), (1, 1));
        assert!(!common.blocks.contains_key(&block_of(KeyKind::Email, hash(9))), "one person's rows");
        // Eleven of twelve persons give either value: an agreement on it
        // picks one in 12 / 11, log2(m · 12 / 11) bits; the rest of the
        // exact level's weight is its excess.
        for (kind, comparison, exact) in [
            (KeyKind::Email, Comparison::Email, EmailLevel::Exact as u8),
            (KeyKind::Phone, Comparison::Phone, PhoneLevel::Exact as u8),
        ] {
            let excess = common.blocks[&block_of(kind, hash(if kind == KeyKind::Email { 7 } else { 5 }))];
            let of_the_value = (model.levels(comparison).m[exact as usize] * 12.0 / 11.0).log2();
            assert!((excess - (model.level_weight(comparison, exact) - of_the_value)).abs() < 1e-9, "{kind:?}");
        }
        assert_eq!(hidden[0], Hidden::EMAIL.or(Hidden::PHONE));
        assert_eq!(hidden[10], Hidden::EMAIL);
        assert_eq!(hidden[11], Hidden::default());
        assert_eq!(hidden[12], Hidden::PHONE);
    }

    #[test]
    fn before_the_persons_a_value_is_common_past_three_names_a_person() {
        // One mailbox for named rows of 30 and 31 distinct names, and rows
        // without a name, which count for no one.
        let name = |i: usize| format!("NAME{i}");
        let rows = |names: usize| -> RecordStore {
            let mut rows: Vec<NormalizedRecord> = (0..names + 5)
                .map(|i| {
                    let mut r = NormalizedRecord::default();
                    if i < names {
                        r.name_romaji.romaji.loose = name(i);
                        r.name_romaji.romaji.strict = name(i);
                    }
                    r
                })
                .collect();
            rows.iter_mut().for_each(|r| r.email.key = "none@none.jp".into());
            rows.into_iter().collect()
        };
        let bound = NAME_KEYS_A_PERSON * MAX_HOUSEHOLD_PERSONS;
        for (names, common) in [(bound, false), (bound + 1, true)] {
            let records = rows(names);
            let entries = entries_of(&vec![3; records.len()], &[]);
            let hidden = hidden_before_persons(&records, &entries);
            assert_eq!(!hidden.is_empty(), common, "{names} names");
            assert!(hidden.iter().all(|h| *h == Hidden::EMAIL), "{names} names");
        }
    }

    #[test]
    fn before_the_persons_a_value_is_common_past_two_birth_dates_a_person() {
        let rows = |dates: usize| -> RecordStore {
            (0..dates)
                .map(|i| NormalizedRecord {
                    birth_date: Some(crate::normalize::Date::constant(1950 + i as i16, 1, 2)),
                    phone: "0312345678".into(),
                    ..Default::default()
                })
                .collect()
        };
        let bound = BIRTH_DATES_A_PERSON * MAX_HOUSEHOLD_PERSONS;
        for (dates, common) in [(bound, false), (bound + 1, true)] {
            let records = rows(dates);
            let hidden = hidden_before_persons(&records, &entries_of(&[], &vec![4; dates]));
            assert_eq!(!hidden.is_empty(), common, "{dates} dates");
            assert!(hidden.iter().all(|h| *h == Hidden::PHONE), "{dates} dates");
        }
    }

    #[test]
    fn a_romaji_name_is_one_key_in_either_order() {
        let romaji = |loose: &str, swapped: &str| {
            let mut r = NormalizedRecord::default();
            (r.name_romaji.romaji.loose, r.name_romaji.romaji.swapped_loose) = (loose.into(), swapped.into());
            name_hash(&r.view())
        };
        assert_eq!(romaji("TAROYAMADA", "YAMADATARO"), romaji("YAMADATARO", "TAROYAMADA"));
        assert_ne!(romaji("TAROYAMADA", "YAMADATARO"), romaji("HANAKOYAMADA", "YAMADAHANAKO"));
    }

    #[test]
    fn a_hidden_value_reads_as_missing_and_a_booking_of_it_is_masked() {
        let mut record = NormalizedRecord::default();
        (record.email.key, record.email.address, record.phone) =
            ("none@none.jp".into(), "none@none.jp".into(), "0312345678".into());
        let mut records: RecordStore = std::iter::once(record.clone()).collect();
        records.hide(vec![Hidden::EMAIL]);
        let view = records.get(0);
        assert_eq!((view.email.key, view.email.address, view.phone), ("", "", "0312345678"));
        records.hide(Vec::new());
        assert_eq!(records.get(0).email.key, "none@none.jp");
        // The booking of that mailbox is taken out; without a common
        // value nothing is.
        let mut key = String::new();
        KeyKind::Email.write_key(&record.view(), 0, &mut key);
        let block = block_of(KeyKind::Email, key_hash(KeyKind::Email, &key));
        let common = CommonContacts { blocks: FxHashMap::from_iter([(block, 9.5)]), emails: 1, phones: 0 };
        let masked = common.mask_booking(&record.view(), &mut key).expect("a common mailbox");
        assert_eq!((masked.view.email.key, masked.view.phone), ("", "0312345678"));
        assert_eq!((masked.hidden, masked.excess_bits), (Hidden::EMAIL, [9.5, 0.0]));
        assert!(CommonContacts::default().mask_booking(&record.view(), &mut key).is_none());
    }

    #[test]
    fn an_agreement_on_a_common_value_weighs_the_exact_level_less_its_excess() {
        use crate::matching::tf::TermFrequencies;
        let row = |name: &str, email: &str| {
            let mut r = NormalizedRecord::default();
            (r.name_kanji.strict, r.name_kanji.loose) = (name.into(), name.into());
            (r.email.key, r.email.address) = (email.into(), email.into());
            r
        };
        let mut records: RecordStore =
            [row("山田太郎", "desk@example.jp"), row("山田太郎", "own@example.jp")].into_iter().collect();
        records.hide(vec![Hidden::EMAIL, Hidden::default()]);
        let scorer = Scorer::new(&Model::default_model(), TermFrequencies::default());
        let booking = row("山田太郎", "desk@example.jp");
        let mut key = String::new();
        KeyKind::Email.write_key(&booking.view(), 0, &mut key);
        let block = block_of(KeyKind::Email, key_hash(KeyKind::Email, &key));
        let excess = 4.0;
        let common = CommonContacts { blocks: FxHashMap::from_iter([(block, excess)]), emails: 1, phones: 0 };
        let masked = common.mask_booking(&booking.view(), &mut key).expect("a common mailbox");
        // The row of the common mailbox: the exact email less its excess.
        let mut score = scorer.score(&masked.view, &records.get(0));
        let (before, adjustment) = (score.weight, score.tf_adjustment);
        masked.weigh_agreement(&mut score, &scorer, &booking.view(), &records, 0);
        let shown = scorer.score(&booking.view(), &records.get_whole(0)).weight - excess;
        assert!(shown > before && (score.weight - shown).abs() < 1e-9, "{before} -> {} ({shown})", score.weight);
        assert!((score.tf_adjustment - adjustment - (shown - before)).abs() < 1e-9);
        assert_eq!(score.vector.email(), EmailLevel::Missing, "no rule sees the mailbox");
        // A row of a mailbox of its own is compared with it missing, as is.
        let mut score = scorer.score(&masked.view, &records.get(1));
        let before = score.weight;
        masked.weigh_agreement(&mut score, &scorer, &booking.view(), &records, 1);
        assert_eq!(score.weight, before);
    }
}
