//! affected.csv, persons.csv and review.csv, and the `--affected -` stream.
//!
//! Invariant: rows are in person order (person_id), list cells in record or
//! booking order; passport numbers appear only with `--include-sensitive`;
//! review.csv carries evidence (each link's score and which comparisons
//! agreed), never values.

use std::io::Write;
use std::ops::Range;

use anyhow::{Context, Result};
use serde::Serialize;

use super::chunked::write_file;
use super::table::{escape_formula, join, join_into, score, score_into};
use super::StagingDir;
use crate::assess::{PersonOutcome, Status};
use crate::bookings::{BookingLinks, LinkKind};
use crate::cli::Format;
use crate::matching::{PersonIdx, Persons};
use crate::recovered::{RecoveredSet, RowText};

/// Everything the result tables are built from.
pub struct ResultSet<'a> {
    pub recovered: &'a RecoveredSet,
    pub persons: &'a Persons,
    pub bookings: &'a BookingLinks,
    pub outcomes: &'a [PersonOutcome],
    pub include_sensitive: bool,
}

/// One row of affected.csv.
#[derive(Debug, Serialize)]
struct AffectedRow<'a> {
    person_id: String,
    email: Vec<&'a str>,
    name_kanji: &'a str,
    name_kana: &'a str,
    name_romaji: &'a str,
    record_ids: Vec<&'a str>,
    booking_ids: Vec<&'a str>,
    channels: Vec<&'a str>,
    passport_status: &'static str,
    score: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    passport_numbers: Option<Vec<&'a str>>,
}

fn push_distinct<'a>(list: &mut Vec<&'a str>, item: &'a str) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

impl<'a> ResultSet<'a> {
    /// Every email text of a person, empty ones included: its recovered
    /// rows' first, then those of its qualifying bookings (the company's own
    /// contact data). The one place that says where a person's emails come
    /// from, for [`ResultSet::emails`] and [`ResultSet::has_email`].
    fn email_texts(&self, person: PersonIdx) -> impl Iterator<Item = &'a str> + '_ {
        let (recovered, bookings) = (self.recovered, self.bookings);
        // An email of many persons (a dummy, a company's) is no one's to mail.
        let rows = self.persons.members(person).iter().filter(move |&&record| !recovered.email_is_common(record));
        let rows = rows.map(move |&record| recovered.text(record, RowText::Email));
        let links = self.outcomes[person as usize].qualifying_links(bookings);
        rows.chain(links.map(move |link| bookings.email(&bookings.bookings[link.booking as usize])))
    }

    /// The emails of a person ([`ResultSet::email_texts`]), distinct.
    pub fn emails(&self, person: PersonIdx) -> Vec<&'a str> {
        let mut emails = Vec::new();
        for email in self.email_texts(person) {
            push_distinct(&mut emails, email);
        }
        emails
    }

    /// Whether the person has an email (`emails` would not be empty),
    /// without collecting them.
    pub fn has_email(&self, person: PersonIdx) -> bool {
        self.email_texts(person).any(|email| !email.is_empty())
    }

    pub(super) fn record_ids(&self, person: PersonIdx) -> Vec<&'a str> {
        self.persons.members(person).iter().map(|&r| self.recovered.record_id(r)).collect()
    }

    /// The first non-empty raw value of a name (or of the postal address)
    /// among the person's rows.
    pub(super) fn first_name(&self, person: PersonIdx, which: RowText) -> &'a str {
        self.persons
            .members(person)
            .iter()
            .map(|&r| self.recovered.text(r, which))
            .find(|name| !name.is_empty())
            .unwrap_or("")
    }

    /// The persons in `persons` (a chunk of a file) with their outcomes.
    fn outcomes_in(&self, persons: Range<usize>) -> impl Iterator<Item = (PersonIdx, &'a PersonOutcome)> {
        let start = persons.start;
        self.outcomes[persons].iter().enumerate().map(move |(i, outcome)| ((start + i) as PersonIdx, outcome))
    }

    /// The affected.csv rows of the persons in `persons`.
    fn affected_rows(&self, persons: Range<usize>) -> impl Iterator<Item = AffectedRow<'a>> + '_ {
        self.outcomes_in(persons).filter(|(_, o)| o.status == Status::Affected).map(move |(person, outcome)| {
            let mut booking_ids = Vec::new();
            let mut channels = Vec::new();
            for link in outcome.qualifying_links(self.bookings) {
                let booking = &self.bookings.bookings[link.booking as usize];
                push_distinct(&mut booking_ids, self.bookings.booking_id(booking));
                push_distinct(&mut channels, self.bookings.channel(booking));
            }
            let passport_numbers = self.include_sensitive.then(|| {
                let mut numbers = Vec::new();
                for &record in self.persons.members(person) {
                    push_distinct(&mut numbers, self.recovered.text(record, RowText::PassportNumber));
                }
                numbers
            });
            AffectedRow {
                person_id: Persons::person_id(person),
                email: self.emails(person),
                name_kanji: self.first_name(person, RowText::NameKanji),
                name_kana: self.first_name(person, RowText::NameKana),
                name_romaji: self.first_name(person, RowText::NameRomaji),
                record_ids: self.record_ids(person),
                booking_ids,
                channels,
                passport_status: outcome.passport.name(),
                score: score(outcome.score),
                passport_numbers,
            }
        })
    }

    /// The affected persons, in person order.
    pub(super) fn affected_persons(&self) -> impl Iterator<Item = PersonIdx> + '_ {
        self.outcomes.iter().enumerate().filter(|(_, o)| o.status == Status::Affected).map(|(p, _)| p as PersonIdx)
    }

    /// Affected persons whose rows give an email of many persons
    /// (`RecoveredSet::email_is_common`) and no other: they are counted
    /// without email, and only a letter reaches them.
    pub fn affected_with_only_common_email(&self) -> u64 {
        let gives_common = |p: PersonIdx| self.persons.members(p).iter().any(|&r| self.recovered.email_is_common(r));
        self.affected_persons().filter(|&p| gives_common(p) && !self.has_email(p)).count() as u64
    }

    /// Writes affected.csv, persons.csv and review.csv into the staging folder.
    pub fn write(&self, staging: &StagingDir) -> Result<()> {
        let persons = self.outcomes.len();
        write_file(staging, "affected.csv", self.affected_header(), persons, |chunk, wtr| {
            self.write_affected_rows(chunk, wtr)
        })
        .context("cannot write affected.csv")?;
        self.write_persons(staging).context("cannot write persons.csv")?;
        self.write_review(staging).context("cannot write review.csv")
    }

    /// Streams the affected list to stdout in `format`.
    pub fn stream_affected(&self, format: Format) -> Result<()> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        match format {
            Format::Csv => {
                let mut wtr = csv::Writer::from_writer(&mut out);
                wtr.write_record(self.affected_header())?;
                self.write_affected_rows(0..self.outcomes.len(), &mut wtr)?;
                wtr.flush()?;
            }
            Format::Jsonl => {
                for row in self.affected_rows(0..self.outcomes.len()) {
                    serde_json::to_writer(&mut out, &row).context("cannot encode a JSON line")?;
                    out.write_all(b"\n")?;
                }
            }
        }
        out.flush()?;
        Ok(())
    }

    fn affected_header(&self) -> Vec<&'static str> {
        let mut header = vec![
            "person_id",
            "email",
            "name_kanji",
            "name_kana",
            "name_romaji",
            "record_ids",
            "booking_ids",
            "channels",
            "passport_status",
            "score",
        ];
        if self.include_sensitive {
            header.push("passport_numbers");
        }
        header
    }

    /// The affected.csv rows of the persons in `persons` (the file and the
    /// `--affected -` stream: one formatter).
    fn write_affected_rows<W: Write>(&self, persons: Range<usize>, wtr: &mut csv::Writer<W>) -> Result<()> {
        // Field by field through one reused buffer: a row of owned cells
        // took ten allocations a person.
        let mut cell = String::new();
        for row in self.affected_rows(persons) {
            wtr.write_field(&row.person_id)?;
            join_into(&mut cell, row.email.iter().copied());
            wtr.write_field(escape_formula(&cell).as_bytes())?;
            for name in [row.name_kanji, row.name_kana, row.name_romaji] {
                wtr.write_field(escape_formula(name).as_bytes())?;
            }
            for list in [&row.record_ids, &row.booking_ids, &row.channels] {
                join_into(&mut cell, list.iter().copied());
                wtr.write_field(escape_formula(&cell).as_bytes())?;
            }
            wtr.write_field(row.passport_status)?;
            wtr.write_field(&row.score)?;
            if let Some(numbers) = &row.passport_numbers {
                join_into(&mut cell, numbers.iter().copied());
                wtr.write_field(&cell)?;
            }
            wtr.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    fn write_persons(&self, staging: &StagingDir) -> Result<()> {
        let header = ["person_id", "status", "reasons", "record_ids", "booking_ids", "score", "passport_status"];
        write_file(staging, "persons.csv", header, self.outcomes.len(), |persons, wtr| {
            // Cells built in buffers reused row after row: one row a person,
            // millions of them.
            let (mut id, mut reasons, mut record_ids, mut booking_cell, mut score_cell) = Default::default();
            let mut booking_ids = Vec::new();
            for (person, outcome) in self.outcomes_in(persons) {
                booking_ids.clear();
                for link in outcome.links(self.bookings) {
                    push_distinct(
                        &mut booking_ids,
                        self.bookings.booking_id(&self.bookings.bookings[link.booking as usize]),
                    );
                }
                Persons::person_id_into(person, &mut id);
                join_into(&mut reasons, outcome.reasons.iter().map(|r| r.name()));
                let members = self.persons.members(person).iter();
                join_into(&mut record_ids, members.map(|&r| self.recovered.record_id(r)));
                join_into(&mut booking_cell, booking_ids.iter().copied());
                score_into(&mut score_cell, outcome.score);
                wtr.write_record([
                    id.as_str(),
                    outcome.status.name(),
                    &reasons,
                    &escape_formula(&record_ids),
                    &escape_formula(&booking_cell),
                    &score_cell,
                    outcome.passport.name(),
                ])?;
            }
            Ok(())
        })
    }

    fn write_review(&self, staging: &StagingDir) -> Result<()> {
        let header = ["person_id", "reasons", "record_ids", "booking_ids", "channels", "evidence", "score"];
        write_file(staging, "review.csv", header, self.outcomes.len(), |persons, wtr| {
            for (person, outcome) in self.outcomes_in(persons).filter(|(_, o)| o.status == Status::Review) {
                let mut booking_ids = Vec::new();
                let mut channels = Vec::new();
                let mut evidence = Vec::new();
                for link in outcome.links(self.bookings) {
                    let booking = &self.bookings.bookings[link.booking as usize];
                    push_distinct(&mut booking_ids, self.bookings.booking_id(booking));
                    push_distinct(&mut channels, self.bookings.channel(booking));
                    let kind = match link.kind {
                        LinkKind::Match => "match",
                        LinkKind::Possible(doubt) => doubt.decision(),
                    };
                    let agreeing: Vec<&str> = link.vector.agreeing().map(|c| c.name()).collect();
                    evidence.push(format!(
                        "{}:{kind}:{}:{}",
                        self.bookings.booking_id(booking),
                        score(link.score),
                        agreeing.join("|")
                    ));
                }
                wtr.write_record([
                    Persons::person_id(person).as_str(),
                    &join(outcome.reasons.iter().map(|r| r.name())),
                    &escape_formula(&join(self.record_ids(person))),
                    &escape_formula(&join(booking_ids)),
                    &escape_formula(&join(channels)),
                    &escape_formula(&join(evidence.iter().map(String::as_str))),
                    &score(outcome.score),
                ])?;
            }
            Ok(())
        })
    }
}
