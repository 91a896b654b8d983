//! `leakmatch explain --result DIR ID`: for a person id, a record id or a
//! booking id, print the person's rows (ids and status from persons.csv),
//! its links, and for every link the waterfall of its match weight: prior,
//! each comparison's level and weight, the term-frequency adjustment, the
//! total (from links.csv); for every booking, the rule decision in words
//! and values: each rule value, its class and the rule entry that matched,
//! and what the booking does to its person (from bookings.csv).
//!
//! Invariant: reads only the result folder and prints ids, level names and
//! numbers; no personal value is in those files, so none is printed.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cli::ExplainArgs;
use crate::exit::UsageError;
use crate::matching::compare::Comparison;
use crate::matching::link::Doubt;
use crate::output::booking_rules;
use crate::output::links::{JOIN_VIA_BOOKING, MATCH_VIA_BOOKING};
use crate::output::table::pad;

/// A CSV file read whole: header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let mut rdr = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {} (is this a result folder of `leakmatch run`?)", path.display()))?;
        let header = rdr.headers()?.iter().map(String::from).collect();
        let mut rows = Vec::new();
        for row in rdr.records() {
            let row = row.with_context(|| format!("{}: not a CSV file", path.display()))?;
            rows.push(row.iter().map(String::from).collect());
        }
        Ok(Table { header, rows })
    }

    fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).with_context(|| format!("no column {name}"))
    }
}

/// Whether a cell written by the result writers (formula-escaped) is `id`.
fn is_id(cell: &str, id: &str) -> bool {
    cell == id || cell.strip_prefix('\'') == Some(id)
}

/// Explains `args.id` on stdout.
pub fn run(args: &ExplainArgs) -> Result<()> {
    let persons = Table::read(&args.result.join("persons.csv"))?;
    let links = Table::read(&args.result.join("links.csv"))?;
    // Result folders written before bookings.csv existed explain without it.
    let rules_path = args.result.join(booking_rules::FILE_NAME);
    let decisions = if rules_path.exists() { Some(Table::read(&rules_path)?) } else { None };
    let mut text = explain(&persons, &links, decisions.as_ref(), &args.id)?;
    text.push_str(&common_contacts_note(&args.result, &text));
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn explain(persons: &Table, links: &Table, decisions: Option<&Table>, id: &str) -> Result<String> {
    let (person_col, records_col, bookings_col) =
        (persons.column("person_id")?, persons.column("record_ids")?, persons.column("booking_ids")?);
    let link_person = links.column("person_id")?;
    // The persons the id belongs to.
    let mut wanted: Vec<&str> = persons
        .rows
        .iter()
        .filter(|row| {
            row[person_col] == id
                || row[records_col].split(';').any(|r| is_id(r, id))
                || row[bookings_col].split(';').any(|b| is_id(b, id))
        })
        .map(|row| row[person_col].as_str())
        .collect();
    // A booking with possible links only is not in booking_ids.
    let (link_kind, link_id) = (links.column("link")?, links.column("id")?);
    // Result folders written before links.csv named files lack the column.
    let link_file = links.column("file").ok();
    for row in &links.rows {
        if row[link_kind] == "booking" && is_id(&row[link_id], id) && !wanted.contains(&row[link_person].as_str()) {
            wanted.push(&row[link_person]);
        }
    }
    if wanted.is_empty() {
        // An analyst asks most often about a booking that did not link:
        // say why the result cannot show it.
        bail!(UsageError(format!(
            "{id}: no person, record or booking with this id in the result (a booking that no record matched, \
             even possibly, is in no result file; a row that could not be used is in rejects.csv)"
        )));
    }
    let mut out = String::new();
    for person in wanted {
        let row =
            persons.rows.iter().find(|r| r[person_col] == person).context("persons.csv and links.csv disagree")?;
        for (name, value) in persons.header.iter().zip(row) {
            let _ = writeln!(out, "{name:<16} {value}");
        }
        for link in links.rows.iter().filter(|r| r[link_person] == person) {
            out.push('\n');
            waterfall(links, link, &mut out)?;
            if let (Some(decisions), "booking") = (decisions, link[link_kind].as_str()) {
                let file = link_file.map(|column| link[column].as_str());
                rule_decision(decisions, &link[link_id], file, &mut out)?;
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// A note under the links when the run compared some emails or phones as
/// missing for being given by more persons than a household holds
/// (counts.json `linkage.common_contacts`) and a link shown has a missing
/// email or phone: the analyst reads both rows giving it and would take
/// "missing" for an error. Empty otherwise, and for a folder whose
/// counts.json is unreadable or older than the figure.
fn common_contacts_note(result: &Path, explained: &str) -> String {
    let counts: Option<serde_json::Value> =
        std::fs::read(result.join("counts.json")).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let figure = |name: &str| counts.as_ref().and_then(|c| c["linkage"]["common_contacts"][name].as_u64()).unwrap_or(0);
    let (emails, phones) = (figure("emails"), figure("phones"));
    let missing =
        |comparison: &str| explained.lines().any(|l| l.split_whitespace().take(2).eq([comparison, "missing"]));
    if (emails > 0 && missing("email")) || (phones > 0 && missing("phone")) {
        format!(
            "note: {emails} email(s) and {phones} phone number(s) of the recovered file are each given by more \
             than {} persons and are compared as missing, an agreement on one weighed by its frequency in \
             tf_adjustment (counts.json linkage.common_contacts): a missing email or phone above may be one of \
             them\n",
            crate::matching::common::MAX_HOUSEHOLD_PERSONS
        )
    } else {
        String::new()
    }
}

/// What a booking's rule decision means for its person, in words.
fn decision_words(decision: &str, reasons: &str) -> String {
    match decision {
        "qualifying" if reasons.contains("paid_in_store") => {
            "booked online and paid in a store, product not excluded: makes the person affected".into()
        }
        "qualifying" => "booked online, product not excluded: makes the person affected".into(),
        "store" => "a store booking: does not make the person affected".into(),
        "product" => "an excluded product: does not make the person affected".into(),
        "store+product" => "a store booking of an excluded product: does not make the person affected".into(),
        "review" => format!(
            "the rules cannot decide ({reasons}): the person goes to review unless another booking makes them affected"
        ),
        other => other.to_string(),
    }
}

/// A booking's rule decision: each value, its class and the matching rule
/// entry, then the decision in words. The booking is the row of
/// bookings.csv with its id and, where both files have the column (result
/// folders written before it do not), its file. An export that gives one id
/// to several rows leaves them apart by nothing: each distinct decision is
/// printed, after a line saying so.
fn rule_decision(decisions: &Table, booking_id: &str, file: Option<&str>, out: &mut String) -> Result<()> {
    let id_col = decisions.column("booking_id")?;
    let file_col = decisions.column("file").ok();
    let matching = decisions.rows.iter().filter(|r| is_id(&r[id_col], booking_id)).filter(|r| match (file_col, file) {
        (Some(column), Some(file)) => r[column] == file,
        _ => true,
    });
    // The rows' distinct decisions, in any order (a handful of rows).
    let (mut count, mut rows) = (0, Vec::<&Vec<String>>::new());
    for row in matching {
        count += 1;
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    if count > 1 {
        let in_file = file.map_or(String::new(), |file| format!(" of {file}"));
        let _ = writeln!(
            out,
            "  rules: {count} rows{in_file} have this booking id ({} distinct decision(s) below); \
             counts.json repeated_booking_ids counts them",
            rows.len()
        );
    }
    for row in rows {
        decision_lines(decisions, row, out)?;
    }
    Ok(())
}

/// One bookings.csv row's decision: in words, then each value's class and
/// rule entry.
fn decision_lines(decisions: &Table, row: &[String], out: &mut String) -> Result<()> {
    let cell = |name: &str| -> Result<&str> { Ok(row[decisions.column(name)?].as_str()) };
    let _ = writeln!(out, "  rules: {}", decision_words(cell("decision")?, cell("reasons")?));
    let _ = writeln!(
        out,
        "  value            {} class                        rule entry that matched",
        pad("as compared", 26)
    );
    for field in ["channel", "booking_method", "payment_place", "product"] {
        let class = cell(&format!("{field}_class"))?;
        let rule = match cell(&format!("{field}_rule"))? {
            "" => "(none)",
            rule => rule,
        };
        let value = match cell(field)? {
            "" => "(empty)",
            value => value,
        };
        let _ = writeln!(out, "  {field:<16} {} {} {rule}", pad(value, 26), pad(class, 28));
    }
    Ok(())
}

/// Most characters a weight's bar takes (weights past it are cut, with `…`).
const MAX_BAR_CHARS: usize = 30;

/// A weight as a bar: `+` per bit for evidence for a match, `-` per bit
/// against, so the waterfall reads at a glance.
fn bar(weight: Option<f64>) -> String {
    let Some(weight) = weight else {
        return String::new();
    };
    let bits = weight.abs().round() as usize;
    let mark = if weight >= 0.0 { "+" } else { "-" };
    if bits > MAX_BAR_CHARS {
        format!("{}…", mark.repeat(MAX_BAR_CHARS))
    } else {
        mark.repeat(bits)
    }
}

/// One link's header line and its weight waterfall.
fn waterfall(links: &Table, row: &[String], out: &mut String) -> Result<()> {
    let cell = |name: &str| -> Result<&str> { Ok(row[links.column(name)?].as_str()) };
    let number = |name: &str| -> Result<f64> {
        cell(name)?.parse::<f64>().with_context(|| format!("links.csv: {name} is not a number"))
    };
    let (kind, id, matched, decision) = (cell("link")?, cell("id")?, cell("matched_record_id")?, cell("decision")?);
    // A booking linked through another booking names that booking, and so
    // does a record whose person was joined through one.
    let matched_kind = if matches!(decision, MATCH_VIA_BOOKING | JOIN_VIA_BOOKING) { "booking" } else { "record" };
    // Its export, since ids repeat across exports (older folders lack it).
    let file = match (kind, cell("file")) {
        ("booking", Ok(file)) if !file.is_empty() => format!(" ({file})"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{kind} {id}{file} → {matched_kind} {matched}: {decision}, score {} bits (probability {})",
        cell("score")?,
        cell("probability")?
    );
    if let Some(doubt) = Doubt::from_decision(decision) {
        let _ = writeln!(out, "  only possible: {}", doubt.question());
    }
    let _ =
        writeln!(out, "  {:<14} {:<22} {:>8} {:>10}  bar (1 bit = 1 char)", "comparison", "level", "weight", "total");
    let mut line = |name: &str, level: &str, weight: Option<f64>, total: f64| {
        let weight_text = weight.map_or(String::new(), |w| format!("{w:+.2}"));
        let text = format!("  {name:<14} {level:<22} {weight_text:>8} {total:>10.2}  {}", bar(weight));
        let _ = writeln!(out, "{}", text.trim_end());
    };
    let mut total = number("prior")?;
    line("prior", "", Some(total), total);
    for comparison in Comparison::ALL {
        let level = cell(&format!("{}_level", comparison.name()))?;
        let weight = number(&format!("{}_weight", comparison.name()))?;
        total += weight;
        line(comparison.name(), level, Some(weight), total);
    }
    let tf = number("tf_adjustment")?;
    total += tf;
    line("tf_adjustment", "value frequency", Some(tf), total);
    line("score", "", None, total);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_has_one_character_per_bit_with_the_weights_sign() {
        assert_eq!(bar(Some(3.4)), "+++");
        assert_eq!(bar(Some(-2.6)), "---");
        assert_eq!(bar(Some(0.2)), "");
        assert_eq!(bar(None), "");
        assert_eq!(bar(Some(99.0)), format!("{}…", "+".repeat(MAX_BAR_CHARS)));
    }
}
