//! counts.json: the run's figures, for analysts, CI regression runs and
//! `--expect`.
//!
//! Invariant: `recovered_rows == recovered_used + recovered_rejected` and the
//! same for bookings; keys and map entries come out in a fixed order, so the
//! file is byte-identical for identical results.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::StagingDir;
use crate::assess::{PersonOutcome, Reason, Reasons, Status};
use crate::bookings::household::HouseholdRowCounts;
use crate::bookings::{BookingLinks, LinkKind, PersonLink};
use crate::exit::ExpectationFailed;
use crate::input::Field;
use crate::matching::cluster::ClusterStats;
use crate::matching::compare::Comparison;
use crate::matching::dedup::{Dedup, ModelSource};
use crate::matching::link::{Doubt, Thresholds};
use crate::matching::train::TrainingReport;
use crate::normalize::passport::PassportStatus;
use crate::normalize::{FieldCounts, CUSTOMER_FIELDS};
use crate::recovered::RecoveredSet;
use crate::rules::Rules;

/// The file name in the result folder.
pub const FILE_NAME: &str = "counts.json";

/// Every figure of counts.json (README lists their meaning).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    pub recovered_rows: u64,
    pub recovered_used: u64,
    pub recovered_rejected: u64,
    pub booking_rows: u64,
    pub booking_used: u64,
    pub booking_rejected: u64,
    pub booking_linked: u64,
    pub booking_possible: u64,
    pub persons: u64,
    pub affected: u64,
    pub excluded: u64,
    pub excluded_store: u64,
    pub excluded_product: u64,
    pub review: u64,
    /// Review persons per reason (a person may have several).
    pub review_by_reason: BTreeMap<String, u64>,
    pub unmatched: u64,
    pub affected_with_email: u64,
    pub affected_without_email: u64,
    pub affected_online_paid_in_store: u64,
    /// Affected persons that are a household's row without a name, split
    /// off its person and affected whichever member's row it is
    /// (`assess::Reason::HouseholdRow`): letters no name heads.
    pub affected_household_row: u64,
    pub passports_valid: u64,
    pub passports_possibly_valid: u64,
    pub passports_expired: u64,
    pub affected_by_channel: BTreeMap<String, u64>,
    /// Excluded persons with a booking of each excluded-product category.
    pub excluded_by_product_category: BTreeMap<String, u64>,
    /// Rule values the rules do not know (folded) → booking rows.
    pub unknown_channels: BTreeMap<String, u64>,
    pub unknown_booking_methods: BTreeMap<String, u64>,
    pub unknown_payment_places: BTreeMap<String, u64>,
    pub unknown_products: BTreeMap<String, u64>,
    /// Products matching an excluded and a qualifying pattern → booking rows.
    pub ambiguous_products: BTreeMap<String, u64>,
    /// Booking rows with an empty channel (kept; their persons go to review).
    pub bookings_without_channel: u64,
    /// Dates read past their era's end (平成31年5月1日 → 2019-05-01).
    pub dates_after_era_end: u64,
    /// Phone numbers of a national length that fit no prefix of the
    /// numbering plan, kept as written (`normalize::phone`).
    pub phones_outside_numbering_plan: u64,
    /// Used recovered rows whose record_id an earlier used row has, and
    /// rows of bookings.csv whose booking id and file an earlier row has
    /// (`output::repeated_ids`): every such row is kept, but its id names
    /// several rows.
    pub repeated_record_ids: u64,
    pub repeated_booking_ids: u64,
    /// The encoding each input file was read as (file as given → UTF-8 or
    /// CP932); absent in the generator's true counts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub input_encodings: BTreeMap<String, String>,
    /// Columns of each input file that no field reads (file as given →
    /// headers in file order): a header that is no alias, or a later
    /// duplicate. `--map FIELD=HEADER` names a column. Absent when every
    /// column is read.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unread_columns: BTreeMap<String, Vec<String>>,
    /// What the `--bookings` folders hold that is not read: files other
    /// than *.csv and *.tsv, and subfolders (paths as listed). Absent when
    /// there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread_booking_paths: Vec<String>,
    /// With `--output-encoding cp932`: characters CP932 cannot hold, written
    /// as 〓 — file → column → count.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub output_unencodable: BTreeMap<String, BTreeMap<String, u64>>,
    /// Rejected rows per reason (`recovered: …` / `bookings: …`, as in
    /// rejects.csv; reasons name columns, never values).
    pub rejects_by_reason: BTreeMap<String, u64>,
    /// Per input side (recovered, bookings) and field: rows with a value,
    /// and rows whose value was unusable.
    pub data_quality: BTreeMap<&'static str, BTreeMap<&'static str, FieldQuality>>,
    /// `invalid_<field>`: values present but unusable, both inputs together.
    #[serde(flatten)]
    pub invalid: BTreeMap<String, u64>,
    /// The linker's figures (absent in the generator's true counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkage: Option<Linkage>,
}

/// How one field of one input side looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FieldQuality {
    /// Used rows of the side.
    pub rows: u64,
    /// Rows with a value (usable or not).
    pub present: u64,
    /// Rows whose value could not be used.
    pub unusable: u64,
}

/// Blocking figures of one rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleCounts {
    /// Pairs the rule proposed (a pair several rules found counts for each).
    pub pairs: u64,
    /// Blocks over `--block-cap`, skipped for this rule.
    pub blocks_capped: u64,
}

/// Contact values no one person holds (`matching::common`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CommonContactCounts {
    pub emails: u64,
    pub phones: u64,
    /// Booking rows that gave one of them.
    pub booking_rows: u64,
    /// Affected persons whose rows give one of the emails and no other
    /// email: counted without email (no mail goes to a mailbox of many).
    pub affected_only_common_email: u64,
}

/// How the probabilistic linker ran: model, thresholds, blocking and
/// clustering figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Linkage {
    /// `trained` (on this recovered file), `defaults` (too little data) or `file`.
    pub model: ModelSource,
    pub match_threshold: f64,
    pub review_threshold: f64,
    /// log2 of the prior odds that two records match.
    pub prior_weight: f64,
    /// Distinct recovered pairs scored.
    pub candidate_pairs: u64,
    /// Recovered records equal to an earlier one once normalized, collapsed
    /// before blocking (each joins the earlier record's person).
    pub exact_duplicates: u64,
    pub blocking: BTreeMap<&'static str, RuleCounts>,
    pub clusters: ClusterStats,
    /// Booking keys not probed because their block was over the cap.
    pub booking_blocks_capped: u64,
    /// Emails and phones given by the recovered records of more persons
    /// than a household holds (a dummy mailbox, a shop's or a company's
    /// number), and the booking rows that gave one: such a value names no
    /// one and is compared as missing on both sides.
    pub common_contacts: CommonContactCounts,
    /// Persons linked by their contacts alone to more bookings than one
    /// customer makes (an office's phone, a placeholder address): those
    /// links were made possible links (review).
    pub contact_only_capped: u64,
    /// Possible links (person–booking pairs) by why they are only
    /// possible (`matching::link::Doubt`), every reason listed.
    pub possible_links_by_reason: BTreeMap<&'static str, u64>,
    /// Bookings linked through another booking of their person: they
    /// agree with a booking of a person excluded or in review
    /// (`bookings::chain`).
    pub bookings_via_booking: u64,
    /// Persons joined into another because one booking matched both, tied
    /// to each by a contact or passport number the other lacks
    /// (`bookings::halves`).
    pub persons_joined_via_booking: u64,
    /// Rows without a name that a booking of another household member
    /// links through: split off their person, or kept and why
    /// (`bookings::household`).
    pub household_rows: HouseholdRowCounts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingReport>,
    /// Match weights of booking links (match and possible) and of record
    /// joins, in whole-bit bins: {bin floor in bits: count} (report.html
    /// draws them with the two thresholds).
    pub weight_histogram: BTreeMap<&'static str, BTreeMap<i64, u64>>,
    /// The model used: comparison → level → m, u and weight (bits).
    pub model_levels: BTreeMap<&'static str, Vec<ModelLevel>>,
}

/// One level of the model, for the report's match-weight chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelLevel {
    pub level: &'static str,
    pub m: f64,
    pub u: f64,
    pub weight: f64,
}

impl Linkage {
    /// The figures of a run's deduplication and booking links.
    pub fn new(
        dedup: &Dedup,
        bookings: &BookingLinks,
        thresholds: Thresholds,
        household_rows: HouseholdRowCounts,
    ) -> Linkage {
        Linkage {
            model: dedup.model_source,
            match_threshold: thresholds.match_weight,
            review_threshold: thresholds.review_weight,
            prior_weight: dedup.scorer.prior(),
            candidate_pairs: dedup.candidate_pairs,
            exact_duplicates: dedup.exact_duplicates,
            blocking: dedup
                .blocking
                .iter()
                .map(|r| (r.rule, RuleCounts { pairs: r.pairs, blocks_capped: r.blocks_capped }))
                .collect(),
            clusters: dedup.clusters.clone(),
            booking_blocks_capped: bookings.blocks_capped,
            common_contacts: CommonContactCounts {
                emails: dedup.common.emails,
                phones: dedup.common.phones,
                booking_rows: bookings.rows_common_contact,
                // Filled by `run` from the results.
                affected_only_common_email: 0,
            },
            contact_only_capped: bookings.contact_only_capped,
            possible_links_by_reason: possible_links_by_reason(&bookings.links),
            bookings_via_booking: bookings.via_count() as u64,
            // Filled by `run` once the persons are joined.
            persons_joined_via_booking: 0,
            household_rows,
            training: dedup.training.clone(),
            weight_histogram: BTreeMap::from([
                ("booking_links", histogram(bookings.links.iter().map(|l| l.score))),
                ("record_joins", histogram(dedup.joins.iter().map(|j| j.weight))),
            ]),
            model_levels: Comparison::ALL
                .iter()
                .map(|&c| {
                    let p = dedup.model.levels(c);
                    let levels = (0..c.levels() as u8)
                        .filter(|&l| !c.is_no_evidence(l))
                        .map(|l| ModelLevel {
                            level: c.level_names()[l as usize],
                            m: p.m[l as usize],
                            u: p.u[l as usize],
                            weight: dedup.model.level_weight(c, l),
                        })
                        .collect();
                    (c.name(), levels)
                })
                .collect(),
        }
    }
}

/// Possible links per reason, each reason listed (a zero says the reason
/// exists and did not occur, which a CI diff reads better than a gap).
fn possible_links_by_reason(links: &[PersonLink]) -> BTreeMap<&'static str, u64> {
    let mut counts: BTreeMap<&'static str, u64> = Doubt::ALL.iter().map(|d| (d.name(), 0)).collect();
    for link in links {
        if let LinkKind::Possible(doubt) = link.kind {
            *counts.entry(doubt.name()).or_default() += 1;
        }
    }
    counts
}

/// Whole-bit bins of match weights: {floor: count}.
fn histogram(weights: impl Iterator<Item = f64>) -> BTreeMap<i64, u64> {
    let mut bins = BTreeMap::new();
    for weight in weights.filter(|w| w.is_finite()) {
        *bins.entry(weight.floor() as i64).or_insert(0) += 1;
    }
    bins
}

impl Counts {
    /// Computes the figures of a finished run.
    pub fn compute(
        recovered: &RecoveredSet,
        bookings: &BookingLinks,
        outcomes: &[PersonOutcome],
        rules: &Rules,
        has_email: impl Fn(usize) -> bool,
    ) -> Counts {
        let unknown = &bookings.unknown;
        let mut counts = Counts {
            recovered_rows: recovered.rows_read,
            recovered_used: recovered.rows_read - recovered.rows_rejected,
            recovered_rejected: recovered.rows_rejected,
            booking_rows: bookings.rows_read,
            booking_used: bookings.rows_read - bookings.rows_rejected,
            booking_rejected: bookings.rows_rejected,
            booking_linked: bookings.rows_linked,
            booking_possible: bookings.rows_possible,
            unknown_channels: unknown.channels.clone(),
            unknown_booking_methods: unknown.booking_methods.clone(),
            unknown_payment_places: unknown.payment_places.clone(),
            unknown_products: unknown.products.clone(),
            ambiguous_products: unknown.ambiguous_products.clone(),
            bookings_without_channel: unknown.missing_channel_rows,
            ..Counts::default()
        };
        // Two buffers for every person: nothing is allocated per person.
        let (mut channels, mut categories): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for (person, outcome) in outcomes.iter().enumerate() {
            channels.clear();
            channels.extend(
                outcome.qualifying_links(bookings).map(|l| bookings.channel(&bookings.bookings[l.booking as usize])),
            );
            channels.sort_unstable();
            channels.dedup();
            if outcome.status == Status::Excluded {
                categories.clear();
                categories.extend(
                    outcome
                        .links(bookings)
                        .iter()
                        .filter(|l| l.kind == LinkKind::Match)
                        .filter_map(|l| bookings.class(l.booking).excluded_category())
                        .map(|id| rules.category_name(id)),
                );
                categories.sort_unstable();
                categories.dedup();
                for category in &categories {
                    count_under(&mut counts.excluded_by_product_category, category);
                }
            }
            counts.add_person(
                outcome.status,
                outcome.reasons,
                outcome.passport,
                has_email(person),
                channels.iter().copied(),
            );
        }
        counts.add_field_quality(recovered, bookings);
        counts
    }

    /// The data quality of each side's customer fields, and the fields'
    /// unusable and flagged values of both sides together.
    fn add_field_quality(&mut self, recovered: &RecoveredSet, bookings: &BookingLinks) {
        for (side, side_fields, rows) in [
            ("recovered", &recovered.fields, recovered.rows_read - recovered.rows_rejected),
            ("bookings", &bookings.fields, bookings.rows_read - bookings.rows_rejected),
        ] {
            let quality = CUSTOMER_FIELDS
                .iter()
                .map(|f| {
                    let q = FieldQuality { rows, present: side_fields.present(*f), unusable: side_fields.invalid(*f) };
                    (f.name(), q)
                })
                .collect();
            self.data_quality.insert(side, quality);
        }
        let mut fields = FieldCounts::default();
        fields.merge(&recovered.fields);
        fields.merge(&bookings.fields);
        for field in CUSTOMER_FIELDS {
            self.invalid.insert(format!("invalid_{}", field.name()), fields.invalid(field));
        }
        self.dates_after_era_end =
            [Field::BirthDate, Field::PassportIssueDate].iter().map(|f| fields.flagged(*f)).sum();
        self.phones_outside_numbering_plan = fields.flagged(Field::Phone);
    }

    /// Tallies one person of the recovered file: its status and reasons,
    /// passport status, whether it can be reached by email, and the distinct
    /// channels of its qualifying bookings (counted when affected).
    pub fn add_person<'a>(
        &mut self,
        status: Status,
        reasons: Reasons,
        passport: PassportStatus,
        has_email: bool,
        channels: impl IntoIterator<Item = &'a str>,
    ) {
        self.persons += 1;
        match passport {
            PassportStatus::Valid => self.passports_valid += 1,
            PassportStatus::PossiblyValid => self.passports_possibly_valid += 1,
            PassportStatus::Expired => self.passports_expired += 1,
            PassportStatus::None => {}
        }
        let has = |reason| reasons.contains(reason);
        match status {
            Status::Affected => {
                self.affected += 1;
                if has_email {
                    self.affected_with_email += 1;
                } else {
                    self.affected_without_email += 1;
                }
                self.affected_online_paid_in_store += u64::from(has(Reason::PaidInStore));
                self.affected_household_row += u64::from(has(Reason::HouseholdRow));
                for channel in channels {
                    count_under(&mut self.affected_by_channel, channel);
                }
            }
            Status::Review => {
                self.review += 1;
                for reason in reasons.iter() {
                    count_under(&mut self.review_by_reason, reason.name());
                }
            }
            Status::Excluded => {
                self.excluded += 1;
                self.excluded_store += u64::from(has(Reason::Store));
                self.excluded_product += u64::from(has(Reason::Product));
            }
            Status::Unmatched => self.unmatched += 1,
        }
    }

    /// Writes counts.json into the staging folder.
    pub fn write(&self, staging: &StagingDir) -> Result<()> {
        let mut file = staging.create_file(FILE_NAME)?;
        let mut text = serde_json::to_string_pretty(self).context("cannot encode counts.json")?;
        text.push('\n');
        file.write_all(text.as_bytes()).context("cannot write counts.json")?;
        super::sync(file)
    }

    /// Compares with an expected counts file: every key present there must
    /// have the same value here. Fails with [`ExpectationFailed`] listing the
    /// differing keys.
    pub fn check_expected(&self, expected_path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(expected_path)
            .with_context(|| format!("cannot read --expect file {}", expected_path.display()))?;
        let expected: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("--expect file {}: not JSON", expected_path.display()))?;
        let Some(expected) = expected.as_object() else {
            anyhow::bail!("--expect file {}: not a JSON object", expected_path.display());
        };
        let actual = serde_json::to_value(self).context("cannot encode counts")?;
        let mut differences = Vec::new();
        for (key, want) in expected {
            let got = actual.get(key).unwrap_or(&serde_json::Value::Null);
            if got != want {
                differences.push(format!("{key}: expected {want}, got {got}"));
            }
        }
        if differences.is_empty() {
            Ok(())
        } else {
            Err(ExpectationFailed(format!(
                "counts differ from {}:\n  {}",
                expected_path.display(),
                differences.join("\n  ")
            ))
            .into())
        }
    }
}

/// Adds one to `key`'s count, allocating its name only the first time.
fn count_under(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(count) => *count += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}
