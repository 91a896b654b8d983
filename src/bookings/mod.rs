//! Streaming the booking exports through the one batch stream
//! (`input::stream`): each row is decoded, normalized, classified by the
//! rules and probed against the recovered index in parallel; only the links
//! are kept. Afterwards `household` splits off the rows without a name
//! that a booking of another household member links through, and `chain`
//! links the bookings that agree with a booking of a person the assessment
//! left excluded or in review.
//!
//! Invariant: memory grows with the number of *linked* bookings, not with
//! booking volume; batches are collected in order, so links come out in
//! (file, row) order whatever the thread count.

pub mod chain;
pub mod halves;
pub mod household;
mod raw_keys;
mod rule_memo;
mod spill;
mod unknown;
mod unlinked;
mod value_table;

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Result};
use rustc_hash::FxHashMap;

use crate::input::at::RowAt;
use crate::input::record::{decode_row, RawFields, RowError};
use crate::input::stream::{stream, RejectSink, RowOutcome};
use crate::input::{Field, Source};
use crate::matching::compare::{ComparisonVector, NameLevel};
use crate::matching::link::{Doubt, Link, LinkDecision, LinkScratch, Linker, PossibleLink};
use crate::matching::score::{contact_identity, Identity};
use crate::matching::{PersonIdx, RecordIdx};
use crate::normalize::phone::Line;
use crate::normalize::store::Hidden;
use crate::normalize::{normalize_record, Date, FieldCounts, FieldFlags, NormalizedRecord, Scratch};
use crate::progress::Progress;
use crate::rules::{BookingClass, BookingValues, Decision, Rules};
use crate::workers::Pool;
use chain::{Seed, Seeds};
use raw_keys::RawKeys;
use rule_memo::{RuleMemo, RuleValues};
pub use spill::LinkedOnDisk;
use spill::Spill;
pub use unknown::UnknownValues;
use unlinked::UnlinkedRows;
pub use value_table::{ValueId, ValueTable};

/// A booking that was linked (or possibly linked) to some person.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkedBooking {
    /// Where the booking id and then the normalized email (may be empty)
    /// begin in [`BookingLinks`]' text buffer, and their lengths: one
    /// buffer for every linked booking, no allocation per booking.
    text_start: u64,
    id_len: u32,
    email_len: u32,
    /// Its [`RuleProfile`] in [`BookingLinks`] (a few thousand distinct
    /// profiles stand for millions of bookings).
    profile: u32,
    /// Its export: the place of its file among the booking sources
    /// ([`BookingLinks::file_name`]). Exports number their bookings each
    /// from 1 often enough, so a booking id alone may name two bookings;
    /// the file and the id name one. (In the struct's padding: no memory.)
    file: u32,
}

impl LinkedBooking {
    /// Where its rule profile is in [`BookingLinks::profiles`].
    pub fn profile_index(&self) -> usize {
        self.profile as usize
    }

    /// The place of its file among the booking sources.
    pub fn file_index(&self) -> u32 {
        self.file
    }
}

/// The rule values and the class of a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleProfile {
    /// The channel's canonical name under the rules.
    pub channel: ValueId,
    /// The folded booking_method, payment_place and product values.
    pub method: ValueId,
    pub payment: ValueId,
    pub product: ValueId,
    pub class: BookingClass,
}

/// Whether a link is above the match threshold or only possible, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Match,
    Possible(Doubt),
}

/// One person–booking link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PersonLink {
    pub person: PersonIdx,
    /// Index into [`BookingLinks::bookings`].
    pub booking: u32,
    pub kind: LinkKind,
    /// The person's record the booking scored best against.
    pub record: RecordIdx,
    /// Match weight in bits.
    pub score: f64,
    pub vector: ComparisonVector,
    pub tf_adjustment: f64,
    /// The kind of the phone number the two agree on (`Score::phone_line`).
    pub phone_line: Line,
}

impl PersonLink {
    fn new(link: Link, booking: u32, kind: LinkKind) -> PersonLink {
        PersonLink {
            person: link.person,
            booking,
            kind,
            record: link.record,
            score: link.score.weight,
            vector: link.score.vector,
            tf_adjustment: link.score.tf_adjustment,
            phone_line: link.score.phone_line,
        }
    }

    fn possible(possible: PossibleLink, booking: u32) -> PersonLink {
        PersonLink::new(possible.link, booking, LinkKind::Possible(possible.doubt))
    }

    /// The contact identity rule on this link (`score::contact_identity`).
    pub fn identity(&self) -> Option<Identity> {
        contact_identity(&self.vector, self.phone_line)
    }
}

/// Everything kept from the booking files.
#[derive(Debug, Default)]
pub struct BookingLinks {
    /// Linked bookings in (file, row) order.
    pub bookings: Vec<LinkedBooking>,
    /// Links in person order, each person's in booking order (the
    /// assessment reads a person's links as one slice of it).
    pub links: Vec<PersonLink>,
    /// The rule values of linked bookings, stored once each.
    pub values: ValueTable,
    /// The distinct rule profiles of linked bookings, in order of first use.
    profiles: Vec<RuleProfile>,
    profile_ids: FxHashMap<RuleProfile, u32>,
    /// The booking ids and emails of linked bookings, one after the other.
    text: String,
    /// The booking files as messages name them, in the order read.
    files: Vec<String>,
    pub rows_read: u64,
    pub rows_rejected: u64,
    /// Used rows with a match link, and with possible links only (counted
    /// from the links once they are all back: [`LinkedOnDisk::read_back`]).
    pub rows_linked: u64,
    pub rows_possible: u64,
    /// Persons whose contact-only links were over
    /// [`MAX_CONTACT_ONLY_BOOKINGS`] and became possible links.
    pub contact_only_capped: u64,
    /// Booking keys not probed because their block was over the cap.
    pub blocks_capped: u64,
    /// Booking rows whose email or phone no one person holds
    /// (`matching::common`): linked as if they gave none.
    pub rows_common_contact: u64,
    /// Recovered records scored against a booking, over all bookings (how
    /// much work the blocking leaves: `--timings` prints it per booking).
    pub records_scored: u64,
    pub fields: FieldCounts,
    /// Rule values the rules do not know, over every used booking row.
    pub unknown: UnknownValues,
    /// Bookings linked through another booking of the person (`chain`):
    /// (the booking, the person's booking it matched), in booking order.
    via: Vec<(u32, u32)>,
    /// Pairs of records (a booking's best person's, another's matched
    /// beside it) whose persons the booking ties into one customer
    /// (`halves`), in booking order; emptied when they are joined.
    halves: Vec<(RecordIdx, RecordIdx)>,
    /// The links of records whose persons were joined through a booking
    /// (`halves`), in person order: links.csv's `join_via_booking` rows.
    pub joined_via: Vec<PersonLink>,
    /// While streaming: where the linked bookings before the ones in
    /// `bookings`, `links` and `text` went (see `spill`).
    spill: Option<Spill>,
    /// While streaming: the match links of bookings the rules exclude
    /// (`chain`).
    seeds: Option<Seeds>,
    /// While streaming: the bookings that linked nothing or possibly only,
    /// and that the rules do not exclude (`chain`).
    unlinked: Option<UnlinkedRows>,
}

/// Most bookings one person gets by its contacts alone (links from a record
/// without a name). A contact that more bookings give is an office's or a
/// placeholder (a store's phone entered for walk-in customers, a no-reply
/// address), not one customer's: past this, those links become possible
/// links (review) and the person is counted in counts.json
/// (`linkage.contact_only_capped`). Generated data stays far below it (the
/// most-booked person of `generate --persons 1000000` has 13 bookings); a
/// frequent traveller in a real export may have dozens over its years.
pub const MAX_CONTACT_ONLY_BOOKINGS: usize = 100;

/// Linked bookings in memory at most while streaming; past it they go to
/// the spill files (a few MB of tail).
const SPILL_CHUNK_BOOKINGS: usize = 65_536;

/// Turns the contact-only match links of a person that has more than `cap`
/// of them into possible links (see [`MAX_CONTACT_ONLY_BOOKINGS`]);
/// returns how many persons that happened to. `links` is in person order.
fn cap_contact_only_links(links: &mut [PersonLink], cap: usize) -> u64 {
    let contact_only = |l: &PersonLink| l.kind == LinkKind::Match && l.vector.name() == NameLevel::Missing;
    let mut persons = 0;
    for person_links in links.chunk_by_mut(|a, b| a.person == b.person) {
        if person_links.iter().filter(|l| contact_only(l)).count() > cap {
            persons += 1;
            for link in person_links.iter_mut().filter(|l| contact_only(l)) {
                link.kind = LinkKind::Possible(Doubt::ManyContactBookings);
            }
        }
    }
    persons
}

/// Booking rows with a match link, and with possible links only.
fn linked_and_possible_rows(links: &[PersonLink], bookings: usize) -> (u64, u64) {
    // Per linked booking: 1 possible links only, 2 a match link.
    let mut best = vec![0u8; bookings];
    for link in links {
        let rank = if link.kind == LinkKind::Match { 2 } else { 1 };
        best[link.booking as usize] = best[link.booking as usize].max(rank);
    }
    let linked = best.iter().filter(|&&b| b == 2).count() as u64;
    let possible = best.iter().filter(|&&b| b == 1).count() as u64;
    (linked, possible)
}

impl BookingLinks {
    /// The booking id of a linked booking, as written.
    pub fn booking_id(&self, booking: &LinkedBooking) -> &str {
        let start = booking.text_start as usize;
        &self.text[start..start + booking.id_len as usize]
    }

    /// The file of a linked booking, as messages name it.
    pub fn file_name(&self, booking: &LinkedBooking) -> &str {
        self.files.get(booking.file as usize).map_or("", String::as_str)
    }

    /// The normalized email of a linked booking (may be empty).
    pub fn email(&self, booking: &LinkedBooking) -> &str {
        let start = booking.text_start as usize + booking.id_len as usize;
        &self.text[start..start + booking.email_len as usize]
    }

    /// The rule values and class of a linked booking.
    pub fn profile(&self, booking: &LinkedBooking) -> &RuleProfile {
        &self.profiles[booking.profile as usize]
    }

    /// Every distinct rule profile; a linked booking's is
    /// `profiles()[booking.profile_index()]`.
    pub fn profiles(&self) -> &[RuleProfile] {
        &self.profiles
    }

    /// The class of linked booking `index`.
    pub fn class(&self, index: u32) -> BookingClass {
        self.profile(&self.bookings[index as usize]).class
    }

    /// The person's booking that `booking` was linked through (`chain`).
    pub fn via(&self, booking: u32) -> Option<u32> {
        let at = self.via.binary_search_by_key(&booking, |&(linked, _)| linked).ok()?;
        Some(self.via[at].1)
    }

    /// How many bookings were linked through another booking.
    pub fn via_count(&self) -> usize {
        self.via.len()
    }

    /// The canonical channel name of a linked booking.
    pub fn channel(&self, booking: &LinkedBooking) -> &str {
        self.values.get(self.profile(booking).channel)
    }

    /// Adds a linked booking with an empty id and email and the given class
    /// (unit tests).
    #[cfg(test)]
    pub fn push_for_test(&mut self, class: BookingClass) {
        let profile = self.profile_id(RuleProfile { channel: 0, method: 0, payment: 0, product: 0, class });
        let text_start = self.text.len() as u64;
        self.bookings.push(LinkedBooking { text_start, id_len: 0, email_len: 0, profile, file: 0 });
    }

    /// The id of `profile`, added when new.
    fn profile_id(&mut self, profile: RuleProfile) -> u32 {
        *self.profile_ids.entry(profile).or_insert_with(|| {
            self.profiles.push(profile);
            (self.profiles.len() - 1) as u32
        })
    }
}

/// A booking row as a worker hands it over: a slot of the batch stream,
/// its text buffer reused row after row.
#[derive(Default)]
struct UsedBooking {
    /// Where the row is (`chain` reads seeds and candidates again).
    at: RowAt,
    invalid: FieldFlags,
    decision: LinkDecision,
    blocks_capped: u64,
    records_scored: u64,
    common_contact: bool,
    /// Filled only when linked.
    booking: Option<LinkedRow>,
    /// A linked booking's id, then its normalized email
    /// ([`LinkedRow::id_len`] bytes of id).
    text: String,
    /// The raw keys (`chain`), filled only for a seed (match-linked and
    /// excluded by the rules) or a possible candidate (linked nothing or
    /// possibly only, and not excluded).
    chain_keys: Option<RawKeys>,
    /// The records whose persons the booking ties into one (`halves`).
    ties: Vec<(RecordIdx, RecordIdx)>,
}

/// A linked booking as a worker hands it over, before its values are
/// interned: the length of its id in [`UsedBooking::text`], the rule
/// values shared with the worker's memo.
struct LinkedRow {
    id_len: usize,
    rule: Arc<RuleValues>,
}

struct Worker {
    raw: RawFields,
    scratch: Scratch,
    normalized: NormalizedRecord,
    link: LinkScratch,
    rule_memo: RuleMemo,
    /// This worker's tally of unknown values (merged when the stream ends).
    unknown: UnknownValues,
}

impl Worker {
    fn new(as_of: Date) -> Worker {
        Worker {
            raw: RawFields::default(),
            scratch: Scratch::new(as_of),
            normalized: NormalizedRecord::default(),
            link: LinkScratch::default(),
            rule_memo: RuleMemo::default(),
            unknown: UnknownValues::default(),
        }
    }

    fn process(
        &mut self,
        (source, at): (&Source, RowAt),
        record: &csv::ByteRecord,
        (rules, linker): (&Rules, &Linker<'_>),
        used: &mut UsedBooking,
    ) -> RowOutcome {
        decode_row(record, source, &mut self.raw)?;
        // An empty channel is kept (review): a leaked person must not vanish
        // with the row. Only a booking without its id cannot be used.
        if self.raw.get(Field::BookingId).is_empty() {
            return Err(RowError::MissingRequired(Field::BookingId));
        }
        let invalid = normalize_record(&self.raw, &mut self.scratch, &mut self.normalized);
        let rule = self.rule_memo.get(&self.raw, rules);
        let [channel, method, place, product] = &rule.values;
        let values = BookingValues { channel, booking_method: method, payment_place: place, product };
        let class = rule.linked.class;
        self.unknown.tally(values, &class);
        let decision = linker.decide(&self.normalized.view(), &mut self.link);
        used.ties.clone_from(&self.link.ties);
        let (blocks_capped, records_scored) = (self.link.blocks_capped, self.link.records_scored());
        used.common_contact = !self.link.common.is_empty();
        // Seeds are match links only (`BookingLinks::add`).
        let excluded = matches!(class.decision, Decision::Excluded { .. });
        let chain_keys = match decision {
            LinkDecision::Match(..) => excluded,
            LinkDecision::Unlinked | LinkDecision::Possible(_) => !excluded,
        }
        .then(|| raw_keys::raw_keys(&self.raw, self.normalized.birth_date));
        used.text.clear();
        used.booking = (decision != LinkDecision::Unlinked).then(|| {
            // An email of many persons (a dummy, a company's) is no one's
            // to mail: the outputs do not give it.
            let common_email = self.link.common.contains(Hidden::EMAIL);
            let email = if common_email { "" } else { self.normalized.email.address.as_str() };
            let id = self.raw.get(Field::BookingId);
            used.text.push_str(id);
            used.text.push_str(email);
            LinkedRow { id_len: id.len(), rule: Arc::clone(&rule.linked) }
        });
        (used.at, used.invalid, used.decision, used.chain_keys) = (at, invalid, decision, chain_keys);
        (used.blocks_capped, used.records_scored) = (blocks_capped, records_scored);
        Ok(())
    }
}

/// Streams every booking file through the linker; dates after `as_of` are
/// unusable. The linked bookings go to unnamed files in `spill_dir`.
pub fn link_all(
    sources: &[Source],
    as_of: Date,
    rules: &Rules,
    linker: &Linker<'_>,
    rejects: &mut dyn RejectSink,
    progress: &Progress,
    spill_dir: &Path,
) -> Result<LinkedOnDisk> {
    let total_bytes = sources.iter().map(|s| s.len_bytes).sum();
    let phase = progress.phase("bookings", total_bytes);
    let mut links = BookingLinks {
        spill: Some(Spill::create(spill_dir)?),
        seeds: Some(Seeds::create(spill_dir)?),
        unlinked: Some(UnlinkedRows::create(spill_dir)?),
        files: sources.iter().map(|source| source.display.clone()).collect(),
        ..BookingLinks::default()
    };
    let workers = Pool::new(|| Worker::new(as_of));
    let sources: Vec<&Source> = sources.iter().collect();
    let counts = stream(
        &sources,
        &workers,
        |worker: &mut Worker, source, record, meta, used: &mut UsedBooking| {
            worker.process((source, RowAt::of(&sources, source, meta)), record, (rules, linker), used)
        },
        |_, used| links.add(used),
        rejects,
        &phase,
    )?;
    phase.finish();
    (links.rows_read, links.rows_rejected) = (counts.rows_read, counts.rows_rejected);
    for worker in workers.into_idle() {
        links.unknown.merge(worker.unknown);
    }
    if links.rows_read == 0 {
        bail!("no booking rows in any --bookings file");
    }
    Ok(LinkedOnDisk(links))
}

impl BookingLinks {
    /// Appends a linked booking: its booking id and email one after the
    /// other in `text` (the id `id_len` bytes), and its rule values.
    /// Returns its index (after those already spilled).
    fn push_booking(&mut self, text: &str, id_len: usize, file: u32, rule: &RuleValues) -> u32 {
        let (spilled_bookings, spilled_text) = self.spill.as_ref().map_or((0, 0), Spill::written);
        let index = (spilled_bookings + self.bookings.len()) as u32;
        let [channel, method, payment, product] = rule.values.each_ref().map(|v| self.values.intern(v));
        let text_start = (spilled_text + self.text.len()) as u64;
        self.text.push_str(text);
        let profile = self.profile_id(RuleProfile { channel, method, payment, product, class: rule.class });
        self.bookings.push(LinkedBooking {
            text_start,
            // A field is at most --max-field-bytes (u32 range).
            id_len: id_len as u32,
            email_len: (text.len() - id_len) as u32,
            profile,
            file,
        });
        index
    }

    fn add(&mut self, used: &mut UsedBooking) -> Result<()> {
        self.fields.add(used.invalid);
        self.blocks_capped += used.blocks_capped;
        self.records_scored += used.records_scored;
        self.rows_common_contact += u64::from(used.common_contact);
        let index = used.booking.take().map(|row| self.push_booking(&used.text, row.id_len, used.at.file, &row.rule));
        if let Some(keys) = used.chain_keys {
            self.keep_for_chains(&used.decision, used.at, index, keys)?;
        }
        let Some(index) = index else {
            return Ok(());
        };
        match std::mem::take(&mut used.decision) {
            LinkDecision::Unlinked => {}
            LinkDecision::Match(link, contact_only, possible) => {
                self.halves.extend_from_slice(&used.ties);
                self.links.push(PersonLink::new(link, index, LinkKind::Match));
                self.links.extend(contact_only.into_iter().map(|l| PersonLink::new(l, index, LinkKind::Match)));
                self.links.extend(possible.into_iter().map(|p| PersonLink::possible(p, index)));
            }
            LinkDecision::Possible(possible) => {
                self.links.extend(possible.into_iter().map(|p| PersonLink::possible(p, index)));
            }
        }
        if let Some(spill) = self.spill.as_mut().filter(|_| self.bookings.len() >= SPILL_CHUNK_BOOKINGS) {
            spill.write(&self.bookings, &self.links, &self.text)?;
            self.bookings.clear();
            self.links.clear();
            self.text.clear();
        }
        Ok(())
    }

    /// What the chains step needs of a booking with raw keys: a seed per
    /// match link (an excluded booking), or the booking as a candidate (it
    /// linked nothing, or only possibly: then with its index, `index`).
    fn keep_for_chains(&mut self, decision: &LinkDecision, at: RowAt, index: Option<u32>, keys: RawKeys) -> Result<()> {
        match (decision, index) {
            (LinkDecision::Match(link, contact_only, _), Some(booking)) => {
                if let Some(seeds) = self.seeds.as_mut() {
                    for link in std::iter::once(link).chain(contact_only) {
                        seeds.write(&Seed { person: link.person, booking, record: link.record, at, keys })?;
                    }
                }
            }
            _ => {
                if let Some(unlinked) = self.unlinked.as_mut() {
                    unlinked.write(at, index, &keys)?;
                }
            }
        }
        Ok(())
    }
}
