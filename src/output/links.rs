//! links.csv: why each record joined its person and why each booking was
//! linked (issue "Probabilistic linkage"): ids, the match weight and, per
//! comparison, its level and weight. `leakmatch explain` reads it back.
//!
//! Invariant: no raw or normalized personal value is written, only ids,
//! level names and numbers; rows are ordered by person, then joins (by
//! record) before booking links (by booking order).

use anyhow::Result;

use super::table::escape_formula;
use super::StagingDir;
use crate::assess::PersonOutcome;
use crate::bookings::{BookingLinks, LinkKind};
use crate::matching::cluster::ScoredPair;
use crate::matching::compare::{Comparison, ComparisonVector};
use crate::matching::dedup::Dedup;
use crate::matching::score::{contact_identity, Identity, Scorer};
use crate::matching::weights::probability;
use crate::matching::{PersonIdx, Persons, RecordIdx};
use crate::recovered::RecoveredSet;

/// The file name in the result folder.
pub const FILE_NAME: &str = "links.csv";

/// The header: fixed columns, then `<comparison>_level` and
/// `<comparison>_weight` for every comparison.
pub fn header() -> Vec<String> {
    let mut header: Vec<String> =
        ["person_id", "link", "id", "matched_record_id", "decision", "score", "probability", "prior", "tf_adjustment"]
            .map(String::from)
            .to_vec();
    for comparison in Comparison::ALL {
        header.push(format!("{}_level", comparison.name()));
        header.push(format!("{}_weight", comparison.name()));
    }
    header
}

fn bits(value: f64) -> String {
    format!("{value:.2}")
}

/// One row's numeric columns.
fn scored_columns(scorer: &Scorer, vector: &ComparisonVector, tf_adjustment: f64, weight: f64) -> Vec<String> {
    let mut row = vec![bits(weight), format!("{:.6}", probability(weight)), bits(scorer.prior()), bits(tf_adjustment)];
    let weights = scorer.effective_weights(vector);
    for comparison in Comparison::ALL {
        let level = vector.level(comparison);
        row.push(comparison.level_names()[level as usize].to_string());
        row.push(bits(weights[comparison as usize]));
    }
    row
}

/// Writes links.csv into the staging folder.
pub fn write(
    staging: &StagingDir,
    recovered: &RecoveredSet,
    dedup: &Dedup,
    bookings: &BookingLinks,
    outcomes: &[PersonOutcome],
) -> Result<()> {
    let mut wtr = staging.csv_file(FILE_NAME)?;
    wtr.write_record(header())?;
    // Joins by person, then by the joined record.
    let mut joins: Vec<(PersonIdx, RecordIdx, RecordIdx, &ScoredPair)> =
        dedup.joins.iter().map(|j| (dedup.persons.person_of(j.a), j.a.max(j.b), j.a.min(j.b), j)).collect();
    joins.sort_unstable_by_key(|&(person, record, other, _)| (person, record, other));
    let mut next_join = 0;
    let record_id = |r: RecordIdx| escape_formula(recovered.record_id(r)).into_owned();
    for (p, outcome) in outcomes.iter().enumerate() {
        let person = p as PersonIdx;
        let person_id = Persons::person_id(person);
        while next_join < joins.len() && joins[next_join].0 == person {
            let (_, record, other, join) = joins[next_join];
            let decision = match contact_identity(&join.vector) {
                Some(Identity::Email) => "join_email",
                Some(Identity::Phone) => "join_phone",
                None => "join",
            };
            let mut row =
                vec![person_id.clone(), "record".into(), record_id(record), record_id(other), decision.into()];
            row.extend(scored_columns(&dedup.scorer, &join.vector, join.tf_adjustment, join.weight));
            wtr.write_record(&row)?;
            next_join += 1;
        }
        for link in outcome.links(bookings) {
            let booking = &bookings.bookings[link.booking as usize];
            let decision = match link.kind {
                LinkKind::Match => match contact_identity(&link.vector) {
                    Some(Identity::Email) => "match_email",
                    Some(Identity::Phone) => "match_phone",
                    None => "match",
                },
                LinkKind::Possible => "possible",
            };
            let mut row = vec![
                person_id.clone(),
                "booking".into(),
                escape_formula(bookings.booking_id(booking)).into_owned(),
                record_id(link.record),
                decision.into(),
            ];
            row.extend(scored_columns(&dedup.scorer, &link.vector, link.tf_adjustment, link.score));
            wtr.write_record(&row)?;
        }
    }
    super::finish_csv(wtr)
}
