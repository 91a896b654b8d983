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
//! exclude leaves a "seed" on disk: the person, the booking, where its row
//! is, and the raw keys it can be found by (`raw_keys`: the email, the
//! phone, a name with the postal code or the birth date); every booking
//! that linked nothing or only possibly, and that the rules do not
//! exclude, leaves its row and raw keys too (`unlinked`; a possible link is
//! a doubt about another person, not an answer). Once the assessment has run, the seeds
//! of the persons it left excluded are read back, the unlinked bookings
//! that share a raw key with one are the candidates, and the seeds' and
//! candidates' rows are read again by their byte ranges (`input::at`) and
//! normalized into compact stores; each candidate is then scored against the seeds it shares a key with, with
//! the model and the decision of a booking against a row (the match
//! threshold, or the identity or the whole-name rule), and it must share a
//! contact or the place ([`shares_contact_or_place`]). One that links is
//! the person's, linked "via" the seed's booking (links.csv
//! `match_via_booking`); a candidate that links two persons within a tie
//! of each other is left alone.
//!
//! Only persons the assessment left excluded or in review are searched:
//! for an affected person another booking changes nothing. A person in
//! review whose excluded booking is a match is searched too: a qualifying
//! booking chained to it makes the person affected whatever the doubt that
//! put it in review (a possible link, a channel the rules do not know), as
//! a qualifying match does beside a possible link. Searching excluded
//! persons only, 33 truly affected records on 1,000,000 generated persons
//! stayed in review, 3 records the other way (a namesake's booking the
//! person had matched, chained to the namesake's others). One hop only:
//! along a chain of chains each hop's small doubt adds up.
//!
//! Cost: the unlinked bookings' keys are written while the bookings
//! stream and scanned once; only the seeds' and the candidates' rows are
//! read again and normalized. Reading every booking file again instead
//! took 2.6–2.8 s of a 22 s run on 1,000,000 generated persons (398
//! bookings chained) and 26 s of 226 s on 8,000,000 (3,369 chained, 1.5M
//! seeds of excluded persons); a name alone as a key, and binary searches
//! for the linked rows and the keys, had made that 61 s and 4.75 GiB (4.0M
//! candidates).
//!
//! Invariant: the result does not depend on the thread count: the rows
//! found and read again come back in row order (indexed parallel
//! collects), the candidates are scored in that order, and the chained
//! bookings are added in it.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::raw_keys::{RawKeys, SeedsByKey, KEYS};
use super::spill::{put, put_row_at, take, take_row_at, ROW_AT_BYTES};
use super::unlinked::UnlinkedRows;
use super::{linked_and_possible_rows, BookingLinks, LinkKind, PersonLink, RuleValues, Worker};
use crate::input::at::{RowAt, RowParser, RowsAt};
use crate::input::record::decode_row;
use crate::input::{Field, Source};
use crate::matching::common::CommonContacts;
use crate::matching::compare::{AddressLevel, ComparisonVector, EmailLevel, PhoneLevel, PostalLevel};
use crate::matching::link::{Thresholds, TIE_MARGIN_BITS};
use crate::matching::score::{name_rule, Score, Scorer};
use crate::matching::{PersonIdx, RecordIdx};
use crate::normalize::store::{EncodedRecord, RecordStore};
use crate::normalize::{normalize_record, Date};
use crate::progress::Progress;
use crate::rules::{Decision, Rules};
use crate::spill::SpillFile;
use crate::workers::Pool;

/// A match-linked booking the rules exclude, with its person: where the
/// second read starts from if the person ends excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seed {
    pub person: PersonIdx,
    /// Index into [`BookingLinks::bookings`].
    pub booking: u32,
    /// The person's record the booking linked through.
    pub record: RecordIdx,
    /// Where the booking's row is.
    pub at: RowAt,
    pub keys: RawKeys,
}

const SEED_BYTES: usize = 4 + 4 + 4 + ROW_AT_BYTES + 8 * KEYS;

/// The seeds of the bookings stream, on disk: one per match link of an
/// excluded booking (millions on 8,000,000 persons), while only those of
/// the persons searched are ever read.
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
        put_row_at(&mut bytes, &mut at, seed.at);
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
            let row = take_row_at(bytes, &mut at);
            let keys = [(); KEYS].map(|_| u64::from_le_bytes(take(bytes, &mut at)));
            wanted(person).then_some(Seed { person, booking, record, at: row, keys })
        })
    }
}

/// What chaining needs besides the links.
pub struct ChainInputs<'a> {
    pub sources: &'a [Source],
    pub as_of: Date,
    pub rules: &'a Rules,
    pub scorer: &'a Scorer,
    /// Emails and phones no one person holds: compared as missing, as
    /// when the bookings were linked.
    pub common: &'a CommonContacts,
    pub thresholds: Thresholds,
    pub progress: &'a Progress,
}

/// What chaining reads back: the seeds, and the bookings that linked
/// nothing and that the rules do not exclude (both written while the
/// bookings streamed).
#[derive(Debug, Default)]
pub struct ChainRows {
    pub seeds: Seeds,
    pub unlinked: UnlinkedRows,
}

/// A candidate read again: a booking that linked nothing or possibly only,
/// that the rules do not exclude, with a raw key of a seed.
struct Candidate {
    /// Its index among the linked bookings when it has possible links.
    booking: Option<u32>,
    /// The seeds (indices) it shares a raw key with.
    seeds: Vec<u32>,
    /// The booking id, then the normalized email.
    text: String,
    id_len: usize,
    /// Its file among the booking sources.
    file: u32,
    rule: Arc<RuleValues>,
}

/// Links the bookings that agree with a match-linked booking of a person
/// `searched` says the assessment left unsettled (excluded or in review;
/// see the module); returns how many.
pub fn follow(
    inputs: &ChainInputs<'_>,
    links: &mut BookingLinks,
    rows: ChainRows,
    searched: impl Fn(PersonIdx) -> bool,
) -> Result<usize> {
    let seeds = rows.seeds.read(&searched)?;
    if seeds.is_empty() {
        return Ok(0);
    }
    let phase = inputs.progress.phase("chains", rows.unlinked.len_bytes());
    let found = rows.unlinked.sharing_a_key(&SeedsByKey::new(seeds.iter().map(|seed| &seed.keys)), &phase)?;
    phase.finish();
    // The seeds' rows, each once, in the order read (a seed's booking
    // index follows it: bookings are linked in that order).
    let mut seed_rows: Vec<(u32, RowAt)> = seeds.iter().map(|seed| (seed.booking, seed.at)).collect();
    seed_rows.sort_unstable_by_key(|&(booking, _)| booking);
    seed_rows.dedup_by_key(|&mut (booking, _)| booking);
    let (seed_bookings, seed_at): (Vec<u32>, Vec<RowAt>) = seed_rows.into_iter().unzip();
    let sources: Vec<&Source> = inputs.sources.iter().collect();
    let again = RowsAt::open(&sources)?;
    let mut seed_records = RecordStore::default();
    let mut seed_place: Vec<Option<u32>> = Vec::with_capacity(seed_at.len());
    let read_seed = |worker: &mut Worker, source: &Source, record: &csv::ByteRecord| {
        worker.seed_record(source, record, inputs.common)
    };
    read_rows(inputs, &again, &seed_at, read_seed, |encoded| {
        let place = match encoded {
            Some(encoded) => {
                seed_records.push_encoded(&encoded)?;
                Some((seed_records.len() - 1) as u32)
            }
            None => None,
        };
        seed_place.push(place);
        Ok(())
    })?;
    let (mut candidate_records, mut candidates) = (RecordStore::default(), Vec::new());
    let read_candidate = |worker: &mut Worker, source: &Source, record: &csv::ByteRecord| {
        worker.candidate(source, record, inputs.rules, inputs.common)
    };
    let found_at: Vec<RowAt> = found.iter().map(|f| f.at).collect();
    let mut found = found.into_iter();
    read_rows(inputs, &again, &found_at, read_candidate, |kept| {
        let (seeds, booking, file) = found.next().map(|f| (f.seeds, f.booking, f.at.file)).unwrap_or_default();
        if let Some((encoded, candidate)) = kept {
            candidate_records.push_encoded(&encoded)?;
            candidates.push(Candidate { seeds, booking, file, ..candidate });
        }
        Ok(())
    })?;
    let seed_record = |seed: &Seed| {
        let at = seed_bookings.binary_search(&seed.booking).ok()?;
        Some(seed_records.get(seed_place[at]? as usize))
    };
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
    add_chains(links, &candidates, &chained);
    Ok(chained.len())
}

/// Adds the chained bookings' links (each candidate `chained` names, to
/// its seed's person) and keeps the links sorted and counted.
fn add_chains(links: &mut BookingLinks, candidates: &[Candidate], chained: &[(usize, Seed, Score)]) {
    for (i, seed, score) in chained {
        links.add_chained(&candidates[*i], seed, score);
    }
    if !chained.is_empty() {
        // A booking that had possible links keeps them, but not to the
        // person it is now chained to (the match says more); `via` stays in
        // booking order (those bookings were linked before the new ones).
        let chained_to: FxHashSet<(PersonIdx, u32)> = chained
            .iter()
            .filter_map(|(i, seed, _)| candidates[*i].booking.map(|booking| (seed.person, booking)))
            .collect();
        if !chained_to.is_empty() {
            links.links.retain(|l| l.kind == LinkKind::Match || !chained_to.contains(&(l.person, l.booking)));
            links.via.sort_unstable();
        }
        links.links.par_sort_unstable_by_key(|link| (link.person, link.booking));
        (links.rows_linked, links.rows_possible) = linked_and_possible_rows(&links.links, links.bookings.len());
    }
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
/// contact, the whole name beside a personal contact, or the whole name
/// and birth date with nothing against them), and with a contact or the
/// place in common ([`shares_contact_or_place`]).
fn links_as_one(score: &Score, thresholds: Thresholds) -> bool {
    let decided = score.weight >= thresholds.match_weight
        || score.identity().is_some()
        || name_rule(&score.vector, score.phone_line, score.weight, thresholds.review_weight).is_some();
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

/// Booking rows read again per parallel task.
const ROWS_PER_TASK: usize = 1024;

/// Booking rows read again before what they give is handed over in order:
/// so only this many rows' normalized records are held besides the stores
/// (the seeds' rows are 1.5M on 8,000,000 persons).
const ROWS_PER_GROUP: usize = 64 * ROWS_PER_TASK;

/// A worker of the read again, with its reused buffers.
struct Reader {
    worker: Worker,
    parser: RowParser,
    record: csv::ByteRecord,
}

/// Reads `rows` again by their byte ranges, in parallel: `process` maps a
/// row to what `keep` is handed, in the order of `rows`.
fn read_rows<T: Send>(
    inputs: &ChainInputs<'_>,
    again: &RowsAt<'_>,
    rows: &[RowAt],
    process: impl Fn(&mut Worker, &Source, &csv::ByteRecord) -> Option<T> + Sync,
    mut keep: impl FnMut(Option<T>) -> Result<()>,
) -> Result<()> {
    let readers = Pool::new(|| Reader {
        worker: Worker::new(inputs.as_of),
        parser: RowParser::default(),
        record: csv::ByteRecord::new(),
    });
    for group in rows.chunks(ROWS_PER_GROUP) {
        let read: Vec<Vec<Option<T>>> = group
            .par_chunks(ROWS_PER_TASK)
            .map(|chunk| {
                let mut lease = readers.lease();
                let reader = &mut *lease;
                chunk
                    .iter()
                    .map(|&at| {
                        let source = again.read(at, &mut reader.parser, &mut reader.record)?;
                        Ok(process(&mut reader.worker, source, &reader.record))
                    })
                    .collect()
            })
            .collect::<Result<_>>()?;
        read.into_iter().flatten().try_for_each(&mut keep)?;
    }
    Ok(())
}

impl Worker {
    /// A seed booking's row, normalized (`encoded`).
    fn seed_record(
        &mut self,
        source: &Source,
        record: &csv::ByteRecord,
        common: &CommonContacts,
    ) -> Option<EncodedRecord> {
        decode_row(record, source, &mut self.raw).ok()?;
        Some(self.encoded(common))
    }

    /// A candidate's row, normalized, with what linking it keeps (its
    /// seeds are filled in by the caller); none if the rules exclude it.
    fn candidate(
        &mut self,
        source: &Source,
        record: &csv::ByteRecord,
        rules: &Rules,
        common: &CommonContacts,
    ) -> Option<(EncodedRecord, Candidate)> {
        decode_row(record, source, &mut self.raw).ok()?;
        if self.raw.get(Field::BookingId).is_empty() {
            return None;
        }
        let rule = Arc::clone(&self.rule_memo.get(&self.raw, rules).linked);
        if matches!(rule.class.decision, Decision::Excluded { .. }) {
            return None;
        }
        let encoded = self.encoded(common);
        let (id, email) = (self.raw.get(Field::BookingId), &self.normalized.email.address);
        let text = format!("{id}{email}");
        Some((encoded, Candidate { booking: None, seeds: Vec::new(), text, id_len: id.len(), file: 0, rule }))
    }

    /// The decoded row, normalized and encoded, without its common values
    /// (`matching::common`): compared as missing, as when it was linked,
    /// and an email of many persons is no one's to mail.
    fn encoded(&mut self, common: &CommonContacts) -> EncodedRecord {
        normalize_record(&self.raw, &mut self.scratch, &mut self.normalized);
        common.values_of(&self.normalized.view(), &mut String::new()).apply(&mut self.normalized);
        let mut encoded = EncodedRecord::default();
        encoded.encode(&self.normalized);
        encoded
    }
}

impl BookingLinks {
    /// Adds a candidate as linked to the seed's person through the seed's
    /// booking.
    fn add_chained(&mut self, candidate: &Candidate, seed: &Seed, score: &Score) {
        let index = match candidate.booking {
            Some(index) => index,
            None => self.push_booking(&candidate.text, candidate.id_len, candidate.file, &candidate.rule),
        };
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
        let seed = |person, booking| Seed {
            person,
            booking,
            record: booking + 7,
            at: RowAt { file: booking % 3, start: u64::from(booking) << 35, len: person + 1 },
            keys: [1, 0, u64::MAX, 3, 4, 0, 0, 9],
        };
        let mut seeds = Seeds::create(dir.path())?;
        for (person, booking) in [(5, 0), (2, 1), (5, 9)] {
            seeds.write(&seed(person, booking))?;
        }
        assert_eq!(seeds.read(|person| person == 5)?, [seed(5, 0), seed(5, 9)]);
        Ok(())
    }
}
