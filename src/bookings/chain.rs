//! Bookings linked through another booking of the same customer.
//!
//! A leaked row often carries less than the customer's bookings do. Say it
//! gives the name and the handset the customer uses now; a store booking of
//! last month gives the same handset, and an online booking made before
//! the change the old one. The row links to the store booking (excluded by
//! the rules) and not to the online one, which shares only the name with
//! it, so the customer would get no letter, though the online booking holds
//! the name, birth date and home of the store booking. Two bookings that
//! agree like that are one customer's: the online one is the person's too.
//!
//! So, while the bookings stream, every match link of a booking the rules
//! exclude leaves a "seed" on disk: the person, the booking, and the raw
//! keys it can be found by (`raw_keys`: the email, the phone, a name with
//! the postal code or the birth date). Once the assessment has run, the
//! seeds of the persons it left excluded are read back and the booking
//! files are read once more. That read keeps the seeds' rows and the
//! candidates (rows that linked nothing, that the rules do not exclude,
//! with a raw key of a seed), normalized into compact stores; each
//! candidate is then scored against the seeds it shares a key with, with
//! the model and the decision of a booking against a row (the match
//! threshold, or the identity or the whole-name rule), and it must share a
//! contact or the place ([`shares_contact_or_place`]). One that links is
//! the person's, linked "via" the seed's booking (links.csv
//! `match_via_booking`); a candidate that links two persons within a tie
//! of each other is left alone.
//!
//! Only excluded persons are searched: for an affected person another
//! booking changes nothing, and a person in review stays for an analyst.
//! One hop only: along a chain of chains each hop's small doubt adds up.
//!
//! Cost: the read again parses every booking file and decodes the rows
//! that linked nothing (a bit per row says which did, [`RowSet`]); only
//! seeds and candidates are normalized. On 1,000,000 generated persons
//! 2.6–2.8 s of a 22 s run (398 bookings chained), on 8,000,000 26 s of
//! 226 s (3,369 chained, 1.5M seeds of excluded persons, peak RSS
//! unchanged at 3.67 GiB). A name alone as a key, and binary searches for
//! the linked rows and the keys, had made that 61 s and 4.75 GiB (4.0M
//! candidates).
//!
//! Invariant: the result does not depend on the thread count: the read
//! again goes through the ordered batch stream, the candidates are scored
//! in row order (an indexed parallel collect), and the chained bookings
//! are added in it.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::raw_keys::{raw_keys, RawKeys, SeedsByKey, KEYS};
use super::spill::{put, take};
use super::{linked_and_possible_rows, BookingLinks, LinkKind, PersonLink, RuleValues, Worker};
use crate::input::record::decode_row;
use crate::input::stream::{stream, DiscardRejects, RowResult};
use crate::input::{Field, RowMeta, Source};
use crate::matching::compare::{AddressLevel, ComparisonVector, EmailLevel, PhoneLevel, PostalLevel};
use crate::matching::link::{Thresholds, TIE_MARGIN_BITS};
use crate::matching::score::{name_and_personal_contact_agree, Score, Scorer};
use crate::matching::{PersonIdx, RecordIdx};
use crate::normalize::store::{EncodedRecord, RecordStore};
use crate::normalize::{date, normalize_record, Date};
use crate::progress::Progress;
use crate::rules::{Decision, Rules};
use crate::spill::SpillFile;
use crate::workers::Pool;

/// Where a row is in the booking files: the file's place among them in
/// the bits above [`ROW_BITS`], its data-row number below.
pub type RowRef = u64;

/// Bits left for the row number: a trillion rows a file.
const ROW_BITS: u32 = 40;

/// The [`RowRef`] of a row of `source`, one of `sources`.
pub fn row_ref(sources: &[&Source], source: &Source, meta: &RowMeta) -> RowRef {
    let file = sources.iter().position(|s| std::ptr::eq(*s, source)).unwrap_or(0) as u64;
    file << ROW_BITS | meta.row_number
}

/// A match-linked booking the rules exclude, with its person: where the
/// second read starts from if the person ends excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seed {
    pub person: PersonIdx,
    /// Index into [`BookingLinks::bookings`].
    pub booking: u32,
    /// The person's record the booking linked through.
    pub record: RecordIdx,
    pub keys: RawKeys,
}

const SEED_BYTES: usize = 4 + 4 + 4 + 8 * KEYS;

/// The seeds of the bookings stream, on disk: one per match link of an
/// excluded booking (millions on 8,000,000 persons), while only those of
/// excluded persons are ever read.
#[derive(Debug, Default)]
pub struct Seeds(Option<SpillFile>);

impl Seeds {
    /// An empty unnamed file in `dir`.
    pub fn create(dir: &Path) -> Result<Seeds> {
        Ok(Seeds(Some(SpillFile::create(dir)?)))
    }

    pub fn write(&mut self, seed: &Seed) -> Result<()> {
        let Some(file) = self.0.as_mut() else {
            return Ok(());
        };
        let mut bytes = [0u8; SEED_BYTES];
        let mut at = 0;
        put(&mut bytes, &mut at, &seed.person.to_le_bytes());
        put(&mut bytes, &mut at, &seed.booking.to_le_bytes());
        put(&mut bytes, &mut at, &seed.record.to_le_bytes());
        for key in seed.keys {
            put(&mut bytes, &mut at, &key.to_le_bytes());
        }
        file.write(&bytes)
    }

    /// The seeds of the persons `wanted` holds, in the order written.
    fn read(self, wanted: impl Fn(PersonIdx) -> bool) -> Result<Vec<Seed>> {
        let Some(file) = self.0 else {
            return Ok(Vec::new());
        };
        file.read_records_where(|bytes: &[u8; SEED_BYTES]| {
            let mut at = 0;
            let person = u32::from_le_bytes(take(bytes, &mut at));
            let booking = u32::from_le_bytes(take(bytes, &mut at));
            let record = u32::from_le_bytes(take(bytes, &mut at));
            let keys = [(); KEYS].map(|_| u64::from_le_bytes(take(bytes, &mut at)));
            wanted(person).then_some(Seed { person, booking, record, keys })
        })
    }
}

/// What chaining needs besides the links.
pub struct ChainInputs<'a> {
    pub sources: &'a [Source],
    pub as_of: Date,
    pub rules: &'a Rules,
    pub scorer: &'a Scorer,
    pub thresholds: Thresholds,
    pub progress: &'a Progress,
}

/// A candidate read again: a booking that linked nothing, that the rules
/// do not exclude, with a raw key of a seed.
struct Candidate {
    row: RowRef,
    /// The seeds (indices) it shares a raw key with.
    seeds: Vec<u32>,
    /// The booking id, then the normalized email.
    text: String,
    id_len: usize,
    rule: Arc<RuleValues>,
}

/// What the read keeps of a row.
enum Kept {
    /// A seed booking's row.
    Seed(EncodedRecord),
    Candidate(EncodedRecord, Candidate),
}

/// Links the bookings that agree with a match-linked booking of an
/// excluded person (see the module); returns how many. `excluded` says
/// which persons the assessment left excluded.
pub fn follow(
    inputs: &ChainInputs<'_>,
    links: &mut BookingLinks,
    seeds: Seeds,
    excluded: impl Fn(PersonIdx) -> bool,
) -> Result<usize> {
    let seeds = seeds.read(&excluded)?;
    if seeds.is_empty() {
        return Ok(0);
    }
    let row_of = |seed: &Seed| links.bookings[seed.booking as usize].row;
    let wanted = Wanted {
        seed_rows: RowSet::new(seeds.iter().map(row_of)),
        by_key: SeedsByKey::new(seeds.iter().map(|seed| &seed.keys)),
        linked: RowSet::new(links.bookings.iter().map(|booking| booking.row)),
    };
    // One read of the booking files keeps the seeds' rows and the
    // candidates, each normalized into a compact store.
    let (mut seed_records, mut candidate_records) = (RecordStore::default(), RecordStore::default());
    let mut seed_place: FxHashMap<RowRef, u32> = FxHashMap::default();
    let mut candidates = Vec::new();
    stream_again(
        inputs,
        |worker: &mut Worker, source, record, row| worker.read_again(source, record, row, inputs.rules, &wanted),
        |row, kept| match kept {
            Kept::Seed(encoded) => {
                seed_place.insert(row, seed_records.len() as u32);
                seed_records.push_encoded(&encoded)
            }
            Kept::Candidate(encoded, candidate) => {
                candidates.push(candidate);
                candidate_records.push_encoded(&encoded)
            }
        },
    )?;
    let seed_record = |seed: &Seed| seed_place.get(&row_of(seed)).map(|&place| seed_records.get(place as usize));
    let chained: Vec<(usize, Seed, Score)> = candidates
        .par_iter()
        .enumerate()
        .filter_map(|(i, candidate)| {
            let mine = candidate_records.get(i);
            let scored = candidate.seeds.iter().filter_map(|&s| {
                let seed = seeds[s as usize];
                Some((seed, inputs.scorer.score(&mine, &seed_record(&seed)?)))
            });
            let (seed, score) = clear_best(scored, inputs.thresholds)?;
            Some((i, seed, score))
        })
        .collect();
    let count = chained.len();
    for (i, seed, score) in chained {
        links.add_chained(&candidates[i], &seed, &score);
    }
    if count > 0 {
        links.links.par_sort_unstable_by_key(|link| (link.person, link.booking));
        (links.rows_linked, links.rows_possible) = linked_and_possible_rows(&links.links, links.bookings.len());
    }
    Ok(count)
}

/// The seed a candidate links to (by [`links_as_one`]): the best-scoring
/// of the person it scores best with, unless another person's is within a
/// tie of it (which of the two it is, is for an analyst, not for a chain).
fn clear_best(scored: impl Iterator<Item = (Seed, Score)>, thresholds: Thresholds) -> Option<(Seed, Score)> {
    // The best linking seed per person.
    let mut found: Vec<(Seed, Score)> = Vec::new();
    for (seed, score) in scored.filter(|(_, score)| links_as_one(score, thresholds)) {
        match found.iter_mut().find(|(s, _)| s.person == seed.person) {
            Some(best) if score.weight > best.1.weight => *best = (seed, score),
            Some(_) => {}
            None => found.push((seed, score)),
        }
    }
    found.sort_by(|a, b| b.1.weight.total_cmp(&a.1.weight).then(a.0.person.cmp(&b.0.person)));
    let clear = found.get(1).is_none_or(|second| found[0].1.weight - second.1.weight >= TIE_MARGIN_BITS);
    found.first().copied().filter(|_| clear)
}

/// Whether two bookings are one customer's: by the decision a booking and
/// a row get (`Linker::decide`: the match threshold, an identifying
/// contact, or the whole name beside a personal contact), and with a
/// contact or the place in common ([`shares_contact_or_place`]).
fn links_as_one(score: &Score, thresholds: Thresholds) -> bool {
    let decided = score.weight >= thresholds.match_weight
        || score.identity().is_some()
        || name_and_personal_contact_agree(&score.vector, score.phone_line);
    decided && shares_contact_or_place(&score.vector)
}

/// Some contact or the place agrees: the email (or its local part), the
/// phone, the postal code or the street address to the house number.
///
/// Why a chain asks for it when a booking linked to a row does not: the
/// candidates are bookings the leaked rows did not link, and those are
/// mostly customers who are not in the leak at all. Among them, a booking
/// that shares with the person's booking only the name and the birth date
/// is a namesake born the same day about as often as the customer (on the
/// 36-setting grid, 16 of 42 such chains were another person's; with a
/// contact or the place in common, none of 722 was). The contacts and the
/// home are what the customer gave in both bookings and a namesake does not.
fn shares_contact_or_place(vector: &ComparisonVector) -> bool {
    matches!(vector.email(), EmailLevel::Exact | EmailLevel::SameLocalPart | EmailLevel::SimilarLocalPart)
        || vector.phone() == PhoneLevel::Exact
        || vector.postal_code() == PostalLevel::Exact
        || vector.address() == AddressLevel::NumbersAndTown
}

/// What the read keeps.
struct Wanted {
    /// The rows of the seeds.
    seed_rows: RowSet,
    by_key: SeedsByKey,
    /// The rows of every linked booking: not candidates.
    linked: RowSet,
}

/// Booking rows, a bit per row of each file: a row is asked about for
/// every row read (30M on 8,000,000 persons), and the bits of them all
/// take 4 MB there, where a binary search of the 10M linked bookings took
/// a cache miss a step.
#[derive(Debug, Default)]
struct RowSet(Vec<Vec<u64>>);

impl RowSet {
    fn new(rows: impl Iterator<Item = RowRef>) -> RowSet {
        let mut files: Vec<Vec<u64>> = Vec::new();
        for row in rows {
            let (file, number) = file_and_number(row);
            if files.len() <= file {
                files.resize_with(file + 1, Vec::new);
            }
            let words = &mut files[file];
            if words.len() <= number / 64 {
                words.resize(number / 64 + 1, 0);
            }
            words[number / 64] |= 1 << (number % 64);
        }
        RowSet(files)
    }

    fn contains(&self, row: RowRef) -> bool {
        let (file, number) = file_and_number(row);
        self.0.get(file).and_then(|words| words.get(number / 64)).is_some_and(|word| word >> (number % 64) & 1 == 1)
    }
}

/// The file index and the row number of a [`RowRef`].
fn file_and_number(row: RowRef) -> (usize, usize) {
    ((row >> ROW_BITS) as usize, (row & ((1 << ROW_BITS) - 1)) as usize)
}

/// Streams the booking files again through the batch stream: `process`
/// maps a row (with its [`RowRef`]) to what `keep` receives, in row order.
fn stream_again<T: Send>(
    inputs: &ChainInputs<'_>,
    process: impl Fn(&mut Worker, &Source, &csv::ByteRecord, RowRef) -> Option<T> + Sync,
    mut keep: impl FnMut(RowRef, T) -> Result<()>,
) -> Result<()> {
    let total_bytes = inputs.sources.iter().map(|s| s.len_bytes).sum();
    let phase = inputs.progress.phase("chains", total_bytes);
    let workers = Pool::new(|| Worker::new(inputs.as_of));
    let sources: Vec<&Source> = inputs.sources.iter().collect();
    stream(
        &sources,
        &workers,
        |worker: &mut Worker, source, record, meta| {
            let row = row_ref(&sources, source, meta);
            RowResult::Used(process(worker, source, record, row).map(|kept| (row, kept)))
        },
        |_, kept: Option<(RowRef, T)>| kept.map_or(Ok(()), |(row, kept)| keep(row, kept)),
        &mut DiscardRejects,
        &phase,
    )?;
    phase.finish();
    Ok(())
}

impl Worker {
    /// Row `row`, normalized, if it is a seed's or a candidate.
    fn read_again(
        &mut self,
        source: &Source,
        record: &csv::ByteRecord,
        row: RowRef,
        rules: &Rules,
        wanted: &Wanted,
    ) -> Option<Kept> {
        let seed = wanted.seed_rows.contains(row);
        if !seed && wanted.linked.contains(row) {
            return None;
        }
        decode_row(record, source, &mut self.raw).ok()?;
        let mut candidate = None;
        if !seed {
            // The cheap tests first: most rows share no key with a seed.
            let mut birth = None;
            date::normalize(self.raw.get(Field::BirthDate), &mut self.scratch, &mut birth);
            let keys = raw_keys(&self.raw, birth);
            let mut seeds: Vec<u32> = keys.iter().flat_map(|&key| wanted.by_key.seeds(key)).copied().collect();
            if seeds.is_empty() || self.raw.get(Field::BookingId).is_empty() {
                return None;
            }
            let rule = Arc::clone(&self.rule_memo.get(&self.raw, rules).linked);
            if matches!(rule.class.decision, Decision::Excluded { .. }) {
                return None;
            }
            seeds.sort_unstable();
            seeds.dedup();
            candidate = Some((seeds, rule));
        }
        normalize_record(&self.raw, &mut self.scratch, &mut self.normalized);
        let mut encoded = EncodedRecord::default();
        encoded.encode(&self.normalized);
        let Some((seeds, rule)) = candidate else {
            return Some(Kept::Seed(encoded));
        };
        let (id, email) = (self.raw.get(Field::BookingId), &self.normalized.email.address);
        let text = format!("{id}{email}");
        Some(Kept::Candidate(encoded, Candidate { row, seeds, text, id_len: id.len(), rule }))
    }
}

impl BookingLinks {
    /// Adds a candidate as linked to the seed's person through the seed's
    /// booking.
    fn add_chained(&mut self, candidate: &Candidate, seed: &Seed, score: &Score) {
        let index = self.push_booking(&candidate.text, candidate.id_len, &candidate.rule, candidate.row);
        self.links.push(PersonLink {
            person: seed.person,
            booking: index,
            kind: LinkKind::Match,
            record: seed.record,
            score: score.weight,
            vector: score.vector,
            tf_adjustment: score.tf_adjustment,
            phone_line: score.phone_line,
        });
        self.via.push((index, seed.booking));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_come_back_for_the_persons_asked_in_order() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let seed =
            |person, booking| Seed { person, booking, record: booking + 7, keys: [1, 0, u64::MAX, 3, 4, 0, 0, 9] };
        let mut seeds = Seeds::create(dir.path())?;
        for (person, booking) in [(5, 0), (2, 1), (5, 9)] {
            seeds.write(&seed(person, booking))?;
        }
        assert_eq!(seeds.read(|person| person == 5)?, [seed(5, 0), seed(5, 9)]);
        Ok(())
    }

    #[test]
    fn a_row_set_holds_the_rows_given_and_no_other() {
        let rows = [1u64 << ROW_BITS | 5, 1, 63, 64, 3 << ROW_BITS];
        let set = RowSet::new(rows.into_iter());
        for row in rows {
            assert!(set.contains(row), "{row:#x}");
        }
        for row in [0u64, 2, 65, 5, 1 << ROW_BITS | 1, 2 << ROW_BITS, 3 << ROW_BITS | 64, 9 << ROW_BITS] {
            assert!(!set.contains(row), "{row:#x}");
        }
    }
}
