//! For mailers and letters: the `--affected -` stream as one message per
//! distinct email (`--one-per-email`), and no_email.csv, the affected
//! persons no email reaches, with the postal address as written in the
//! recovered file (for letters by post).
//!
//! Invariant: messages come in the order of their first affected person
//! (person_id), persons within a message in person order, so the stream is
//! the same whatever the thread count; every affected person is in exactly
//! one message per email it uses, or in no_email.csv.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::results::ResultSet;
use super::table::{escape_formula, join, LIST_SEPARATOR};
use super::StagingDir;
use crate::cli::Format;
use crate::matching::{PersonIdx, Persons};
use crate::recovered::RowText;

/// The file name in the result folder.
pub const NO_EMAIL_FILE: &str = "no_email.csv";

/// One affected person in a message.
#[derive(Debug, Serialize)]
struct Addressee<'a> {
    person_id: String,
    name_kanji: &'a str,
    name_kana: &'a str,
    name_romaji: &'a str,
}

/// One message: an email and every affected person who uses it.
#[derive(Debug, Serialize)]
struct Message<'a> {
    email: &'a str,
    persons: Vec<Addressee<'a>>,
}

fn addressee<'a>(results: &ResultSet<'a>, person: PersonIdx) -> Addressee<'a> {
    Addressee {
        person_id: Persons::person_id(person),
        name_kanji: results.first_name(person, RowText::NameKanji),
        name_kana: results.first_name(person, RowText::NameKana),
        name_romaji: results.first_name(person, RowText::NameRomaji),
    }
}

/// The messages, in the order of their first person.
fn messages<'a>(results: &ResultSet<'a>) -> Vec<Message<'a>> {
    let mut order: Vec<&'a str> = Vec::new();
    let mut by_email: BTreeMap<&'a str, Vec<PersonIdx>> = BTreeMap::new();
    for person in results.affected_persons() {
        for email in results.emails(person) {
            let persons = by_email.entry(email).or_default();
            if persons.is_empty() {
                order.push(email);
            }
            persons.push(person);
        }
    }
    order
        .into_iter()
        .map(|email| Message { email, persons: by_email[email].iter().map(|&p| addressee(results, p)).collect() })
        .collect()
}

/// Streams one message per distinct email to stdout in `format`: CSV
/// columns email, person_ids, names_kanji, names_kana, names_romaji (lists
/// joined with `;`, one item per person in person_ids order, empty when
/// that person has no such name), or one JSON object per line.
pub fn stream_one_per_email(results: &ResultSet<'_>, format: Format) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let messages = messages(results);
    match format {
        Format::Csv => {
            let mut wtr = csv::Writer::from_writer(&mut out);
            wtr.write_record(["email", "person_ids", "names_kanji", "names_kana", "names_romaji"])?;
            for m in &messages {
                // Positions kept (an empty name stays an empty item), so the
                // n-th name is the n-th person's.
                let list = |pick: for<'x> fn(&'x Addressee<'_>) -> &'x str| {
                    escape_formula(&m.persons.iter().map(pick).collect::<Vec<_>>().join(LIST_SEPARATOR)).into_owned()
                };
                wtr.write_record([
                    escape_formula(m.email).into_owned(),
                    join(m.persons.iter().map(|p| p.person_id.as_str())),
                    list(|p| p.name_kanji),
                    list(|p| p.name_kana),
                    list(|p| p.name_romaji),
                ])?;
            }
            wtr.flush()?;
        }
        Format::Jsonl => {
            for m in &messages {
                serde_json::to_writer(&mut out, m).context("cannot encode a JSON line")?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes no_email.csv: every affected person without any email, with the
/// names and the first postal address of its rows as written.
pub fn write_no_email(results: &ResultSet<'_>, staging: &StagingDir) -> Result<()> {
    let mut wtr = staging.csv_file(NO_EMAIL_FILE)?;
    wtr.write_record(["person_id", "name_kanji", "name_kana", "name_romaji", "postal_code", "address", "record_ids"])?;
    for person in results.affected_persons().filter(|&p| !results.has_email(p)) {
        let a = addressee(results, person);
        wtr.write_record([
            a.person_id.as_str(),
            &escape_formula(a.name_kanji),
            &escape_formula(a.name_kana),
            &escape_formula(a.name_romaji),
            &escape_formula(results.first_name(person, RowText::PostalCode)),
            &escape_formula(results.first_name(person, RowText::Address)),
            &escape_formula(&join(results.record_ids(person))),
        ])?;
    }
    super::finish_csv(wtr)
}
