//! Streaming the booking exports: each file is read in batches; each batch is
//! decoded, normalized, classified by the rules and probed against the
//! recovered index in parallel; only the links are kept.
//!
//! Invariant: memory grows with the number of *linked* bookings, not with
//! booking volume; batches are collected in order, so links come out in
//! (file, row) order whatever the thread count.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use rayon::prelude::*;

use crate::input::record::{decode_row, RawFields, RowError};
use crate::input::{Batch, Field, Source};
use crate::matching::compare::ComparisonVector;
use crate::matching::link::{Link, LinkDecision, LinkScratch, Linker};
use crate::matching::{PersonIdx, RecordIdx};
use crate::normalize::{normalize_record, Date, FieldCounts, FieldFlags, NormalizedRecord, Scratch};
use crate::output::rejects::RejectWriter;
use crate::progress::Progress;
use crate::recovered::DEFAULT_BATCH_ROWS;
use crate::rules::{display_value, normalize_value_into, BookingClass, BookingValues, ChannelKind, Rules};
use crate::workers::Pool;

/// A booking that was linked (or possibly linked) to some person.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkedBooking {
    pub booking_id: String,
    /// The channel as shown: NFKC, no white space.
    pub channel: String,
    pub class: BookingClass,
    /// The booking's normalized email (may be empty).
    pub email: String,
}

/// Whether a link is above the match threshold or only possible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Match,
    Possible,
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
        }
    }
}

/// Everything kept from the booking files.
#[derive(Debug, Default)]
pub struct BookingLinks {
    /// Linked bookings in (file, row) order.
    pub bookings: Vec<LinkedBooking>,
    /// Links in booking order.
    pub links: Vec<PersonLink>,
    pub rows_read: u64,
    pub rows_rejected: u64,
    /// Used rows with a match link.
    pub rows_linked: u64,
    /// Used rows with possible links only.
    pub rows_possible: u64,
    /// Booking keys not probed because their block was over the cap.
    pub blocks_capped: u64,
    pub fields: FieldCounts,
    /// Channel values the rules do not know → booking rows.
    pub unknown_channels: BTreeMap<String, u64>,
}

enum RowOutcome {
    Used(UsedBooking),
    Rejected(RowError),
}

struct UsedBooking {
    invalid: FieldFlags,
    decision: LinkDecision,
    blocks_capped: u64,
    /// Filled only when linked or the channel is unknown, so an unlinked
    /// booking costs no allocation beyond its batch slot.
    booking: Option<LinkedBooking>,
    unknown_channel: Option<String>,
}

struct Worker {
    raw: RawFields,
    scratch: Scratch,
    normalized: NormalizedRecord,
    link: LinkScratch,
    values: [String; 4],
}

impl Worker {
    fn new(as_of: Date) -> Worker {
        Worker {
            raw: RawFields::default(),
            scratch: Scratch::new(as_of),
            normalized: NormalizedRecord::default(),
            link: LinkScratch::default(),
            values: Default::default(),
        }
    }

    fn process(&mut self, source: &Source, record: &csv::ByteRecord, rules: &Rules, linker: &Linker<'_>) -> RowOutcome {
        if let Err(error) = decode_row(record, source, &mut self.raw) {
            return RowOutcome::Rejected(error);
        }
        for required in [Field::BookingId, Field::Channel] {
            if self.raw.get(required).is_empty() {
                return RowOutcome::Rejected(RowError::MissingRequired(required));
            }
        }
        let invalid = normalize_record(&self.raw, &mut self.scratch, &mut self.normalized);
        let fields = [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product];
        for (slot, field) in self.values.iter_mut().zip(fields) {
            normalize_value_into(self.raw.get(field), slot);
        }
        let [channel, method, place, product] = &self.values;
        let class = rules.classify(BookingValues { channel, booking_method: method, payment_place: place, product });
        let decision = linker.decide(&self.normalized, &mut self.link);
        let blocks_capped = self.link.blocks_capped;
        let display_channel = || display_value(self.raw.get(Field::Channel));
        let booking = (decision != LinkDecision::Unlinked).then(|| LinkedBooking {
            booking_id: self.raw.get(Field::BookingId).to_string(),
            channel: display_channel(),
            class,
            email: self.normalized.email.address.clone(),
        });
        let unknown_channel = (class.listed_channel == ChannelKind::Unknown).then(display_channel);
        RowOutcome::Used(UsedBooking { invalid, decision, blocks_capped, booking, unknown_channel })
    }
}

/// Streams every booking file through the linker; dates after `as_of` are
/// unusable.
pub fn link_all(
    sources: &[Source],
    as_of: Date,
    rules: &Rules,
    linker: &Linker<'_>,
    rejects: &mut RejectWriter,
    progress: &Progress,
) -> Result<BookingLinks> {
    let total_bytes = sources.iter().map(|s| s.len_bytes).sum();
    let phase = progress.phase("bookings", total_bytes);
    let mut links = BookingLinks::default();
    let mut batch = Batch::new(DEFAULT_BATCH_ROWS);
    let mut outcomes: Vec<RowOutcome> = Vec::with_capacity(DEFAULT_BATCH_ROWS);
    let mut bytes_before = 0;
    let workers = Pool::new(|| Worker::new(as_of));
    for source in sources {
        let mut rows = source.rows()?;
        while rows.next_batch(&mut batch)? {
            batch
                .records()
                .par_iter()
                .map_init(|| workers.lease(), |worker, record| worker.process(source, record, rules, linker))
                .collect_into_vec(&mut outcomes);
            for (outcome, meta) in outcomes.drain(..).zip(batch.meta()) {
                links.rows_read += 1;
                match outcome {
                    RowOutcome::Used(used) => links.add(used),
                    RowOutcome::Rejected(error) => {
                        links.rows_rejected += 1;
                        let raw = rows.raw_text(meta)?;
                        rejects.write(source.kind, &source.display, meta.line, &error.reason(source), &raw)?;
                    }
                }
            }
            phase.update(bytes_before + rows.bytes_read(), links.rows_read);
        }
        bytes_before += source.len_bytes;
    }
    phase.finish();
    if links.rows_read == 0 {
        bail!("no booking rows in any --bookings file");
    }
    Ok(links)
}

impl BookingLinks {
    fn add(&mut self, used: UsedBooking) {
        self.fields.add(used.invalid);
        self.blocks_capped += used.blocks_capped;
        if let Some(channel) = used.unknown_channel {
            *self.unknown_channels.entry(channel).or_insert(0) += 1;
        }
        let Some(booking) = used.booking else {
            return;
        };
        let index = self.bookings.len() as u32;
        self.bookings.push(booking);
        match used.decision {
            LinkDecision::Unlinked => {}
            LinkDecision::Match(link) => {
                self.rows_linked += 1;
                self.links.push(PersonLink::new(link, index, LinkKind::Match));
            }
            LinkDecision::Possible(possible) => {
                self.rows_possible += 1;
                self.links.extend(possible.into_iter().map(|link| PersonLink::new(link, index, LinkKind::Possible)));
            }
        }
    }
}
