//! links.csv: why each record joined its person and why each booking was
//! linked: ids, the match weight and, per comparison, its level and
//! weight. `leakmatch explain` reads it back.
//!
//! A row names what it links by id and `file`, its last column (the
//! recovered file for a record, the export for a booking: ids repeat
//! across exports).
//!
//! Invariant: no raw or normalized personal value is written, only ids,
//! level names and numbers; rows are ordered by person, then joins (by
//! record), joins through a booking (by record) and booking links (by
//! booking order).

use std::fmt::Write as _;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::table::{escape_formula, score, score_into};
use super::StagingDir;
use crate::assess::PersonOutcome;
use crate::bookings::{BookingLinks, LinkKind, PersonLink};
use crate::matching::cluster::ScoredPair;
use crate::matching::compare::{Comparison, ComparisonVector};
use crate::matching::dedup::Dedup;
use crate::matching::link::Thresholds;
use crate::matching::score::{contact_identity, name_rule, Identity, NameRule, Scorer};
use crate::matching::weights::probability;
use crate::matching::{PersonIdx, Persons, RecordIdx};
use crate::normalize::phone::Line;
use crate::recovered::RecoveredSet;

/// The file name in the result folder.
pub const FILE_NAME: &str = "links.csv";

/// The `decision` of a record whose person was joined to another through
/// a booking that matched both (`bookings::halves`); its
/// `matched_record_id` is that booking's id, its score and levels the
/// record's against it, as `match_via_booking` names the booking it went
/// through.
pub const JOIN_VIA_BOOKING: &str = "join_via_booking";

/// The `decision` of a booking matched through another booking of its
/// person (`bookings::chain`); its `matched_record_id` is that booking's id.
pub const MATCH_VIA_BOOKING: &str = "match_via_booking";

/// The header: fixed columns, then `<comparison>_level` and
/// `<comparison>_weight` for every comparison.
pub fn header() -> Vec<String> {
    let fixed =
        ["person_id", "link", "id", "matched_record_id", "decision", "score", "probability", "prior", "tf_adjustment"];
    let mut header: Vec<String> = fixed.map(String::from).to_vec();
    for comparison in Comparison::ALL {
        header.push(format!("{}_level", comparison.name()));
        header.push(format!("{}_weight", comparison.name()));
    }
    // Last, so a reader of the columns by place keeps the others'.
    header.push("file".into());
    header
}

/// The cells of the score columns that depend on the model and the
/// comparison vector alone, formatted once for the whole file: the prior,
/// and each vector's level and weight cells. A file of millions of rows has
/// a few thousand distinct vectors (formatting every weight of every row
/// was two thirds of the file's time; formatting them once per chunk of
/// rows still made 26 strings a vector a chunk, and malloc and free were a
/// fifth of the result files' time in `perf`).
struct ScoreCells<'a> {
    scorer: &'a Scorer,
    prior: String,
    by_vector: FxHashMap<ComparisonVector, Vec<String>>,
}

impl<'a> ScoreCells<'a> {
    /// The cells of every vector `vectors` gives.
    fn new(scorer: &'a Scorer, vectors: impl ParallelIterator<Item = ComparisonVector>) -> ScoreCells<'a> {
        let distinct = vectors
            .fold(FxHashSet::default, |mut set, vector| {
                set.insert(vector);
                set
            })
            .reduce(FxHashSet::default, |mut a, b| {
                a.extend(b);
                a
            });
        let by_vector = distinct.into_iter().map(|vector| (vector, vector_cells(scorer, &vector))).collect();
        ScoreCells { scorer, prior: score(scorer.prior()), by_vector }
    }

    /// Writes score, probability, prior, tf_adjustment, then each
    /// comparison's level and weight (the row goes on); `cell` is a reused
    /// buffer.
    fn write<W: std::io::Write>(
        &self,
        wtr: &mut csv::Writer<W>,
        cell: &mut String,
        vector: &ComparisonVector,
        tf_adjustment: f64,
        weight: f64,
    ) -> Result<()> {
        // Weights in bits are written as every score is: two decimals.
        score_into(cell, weight);
        wtr.write_field(&*cell)?;
        cell.clear();
        let _ = write!(cell, "{:.6}", probability(weight));
        wtr.write_field(&*cell)?;
        wtr.write_field(&self.prior)?;
        score_into(cell, tf_adjustment);
        wtr.write_field(&*cell)?;
        // Every vector the file writes was collected; one that was not is
        // formatted here, so the file stays right.
        let missing;
        let cells = match self.by_vector.get(vector) {
            Some(cells) => cells,
            None => {
                missing = vector_cells(self.scorer, vector);
                &missing
            }
        };
        for cell in cells {
            wtr.write_field(cell)?;
        }
        Ok(())
    }
}

/// Each comparison's level name and weight for `vector`.
fn vector_cells(scorer: &Scorer, vector: &ComparisonVector) -> Vec<String> {
    let weights = scorer.effective_weights(vector);
    Comparison::ALL
        .into_iter()
        .flat_map(|c| [c.level_names()[vector.level(c) as usize].to_string(), score(weights[c as usize])])
        .collect()
}

/// Writes links.csv into the staging folder; `recovered_file` names the
/// recovered file as messages do (the `file` of a record's row).
pub fn write(
    staging: &StagingDir,
    (recovered, recovered_file): (&RecoveredSet, &str),
    dedup: &Dedup,
    bookings: &BookingLinks,
    outcomes: &[PersonOutcome],
    thresholds: Thresholds,
) -> Result<()> {
    // Joins by person, then by the joined record (a pair joins once, so
    // the key orders them totally and the parallel unstable sort gives one
    // order).
    let mut joins: Vec<(PersonIdx, RecordIdx, RecordIdx, &ScoredPair)> =
        dedup.joins.iter().map(|j| (dedup.persons.person_of(j.a), j.a.max(j.b), j.a.min(j.b), j)).collect();
    joins.par_sort_unstable_by_key(|&(person, record, other, _)| (person, record, other));
    let record_id = |r: RecordIdx| escape_formula(recovered.record_id(r));
    let recovered_file = escape_formula(recovered_file);
    let vectors = joins
        .par_iter()
        .map(|join| join.3.vector)
        .chain(bookings.joined_via.par_iter().map(|link| link.vector))
        .chain(bookings.links.par_iter().map(|link| link.vector));
    let score_cells = ScoreCells::new(&dedup.scorer, vectors);
    super::chunked::write_file(staging, FILE_NAME, header(), outcomes.len(), |persons, wtr| {
        let mut next_join = joins.partition_point(|join| (join.0 as usize) < persons.start);
        let mut next_via = bookings.joined_via.partition_point(|link| (link.person as usize) < persons.start);
        let mut cell = String::new();
        for (p, outcome) in persons.clone().zip(&outcomes[persons]) {
            let person = p as PersonIdx;
            let person_id = Persons::person_id(person);
            while next_join < joins.len() && joins[next_join].0 == person {
                let (_, record, other, join) = joins[next_join];
                let decision = join_decision(join, thresholds);
                for cell in [person_id.as_str(), "record", &record_id(record), &record_id(other), decision] {
                    wtr.write_field(cell)?;
                }
                score_cells.write(wtr, &mut cell, &join.vector, join.tf_adjustment, join.weight)?;
                wtr.write_record([&*recovered_file])?;
                next_join += 1;
            }
            // A record whose person was joined through a booking
            // (`bookings::halves`): the booking, and how the record matched it.
            while next_via < bookings.joined_via.len() && bookings.joined_via[next_via].person == person {
                let link = &bookings.joined_via[next_via];
                let booking_id = escape_formula(bookings.booking_id(&bookings.bookings[link.booking as usize]));
                for cell in [person_id.as_str(), "record", &record_id(link.record), &booking_id, JOIN_VIA_BOOKING] {
                    wtr.write_field(cell)?;
                }
                score_cells.write(wtr, &mut cell, &link.vector, link.tf_adjustment, link.score)?;
                wtr.write_record([&*recovered_file])?;
                next_via += 1;
            }
            for link in outcome.links(bookings) {
                let booking = &bookings.bookings[link.booking as usize];
                // A chained booking's match is through the person's booking;
                // its possible links, if it had any, are its own.
                let via = bookings
                    .via(link.booking)
                    .filter(|_| link.kind == LinkKind::Match)
                    .map(|via| &bookings.bookings[via as usize]);
                let decision = booking_decision(link, via.is_some(), thresholds);
                let booking_id = escape_formula(bookings.booking_id(booking));
                // Linked through another booking: the one it matched.
                let matched =
                    via.map_or_else(|| record_id(link.record), |via| escape_formula(bookings.booking_id(via)));
                for cell in [person_id.as_str(), "booking", &booking_id, &matched, decision] {
                    wtr.write_field(cell)?;
                }
                score_cells.write(wtr, &mut cell, &link.vector, link.tf_adjustment, link.score)?;
                wtr.write_record([&*escape_formula(bookings.file_name(booking))])?;
            }
        }
        Ok(())
    })
}

/// links.csv's `decision` of a record joined into its person.
fn join_decision(join: &ScoredPair, thresholds: Thresholds) -> &'static str {
    let name = name_rule_under_threshold(&join.vector, join.phone_line, join.weight, thresholds);
    let [decision, _] = rule_decisions(contact_identity(&join.vector, join.phone_line), name);
    decision
}

/// links.csv's `decision` of a booking link; `via`: the booking is linked
/// through another booking of the person.
fn booking_decision(link: &PersonLink, via: bool, thresholds: Thresholds) -> &'static str {
    match link.kind {
        LinkKind::Match if via => MATCH_VIA_BOOKING,
        LinkKind::Match => {
            let name = name_rule_under_threshold(&link.vector, link.phone_line, link.score, thresholds);
            let [_, decision] = rule_decisions(link.identity(), name);
            decision
        }
        LinkKind::Possible(doubt) => doubt.decision(),
    }
}

/// The whole-name rule that linked a pair under the match threshold
/// (`score::name_rule`); none at or above it, where the weight did.
fn name_rule_under_threshold(v: &ComparisonVector, line: Line, weight: f64, t: Thresholds) -> Option<NameRule> {
    (weight < t.match_weight).then(|| name_rule(v, line, weight, t.review_weight)).flatten()
}

/// The decisions of a join and of a booking match by the rule that linked
/// them: the contact identity rule, a whole-name rule, or the weight.
fn rule_decisions(identity: Option<Identity>, name: Option<NameRule>) -> [&'static str; 2] {
    match (identity, name) {
        (Some(Identity::Passport), _) => ["join_passport", "match_passport"],
        (Some(Identity::Email), _) => ["join_email", "match_email"],
        (Some(Identity::Phone), _) => ["join_phone", "match_phone"],
        (Some(Identity::BirthAndHome), _) => ["join_birth_home", "match_birth_home"],
        (Some(Identity::Home), _) => ["join_home", "match_home"],
        (None, Some(NameRule::PersonalContact)) => ["join_name_contact", "match_name_contact"],
        (None, Some(NameRule::SurnameChanged)) => ["join_surname_changed", "match_surname_changed"],
        (None, Some(NameRule::BirthDate)) => ["join_name_birth", "match_name_birth"],
        (None, Some(NameRule::PostalCode)) => ["join_name_postal", "match_name_postal"],
        (None, None) => ["join", "match"],
    }
}
