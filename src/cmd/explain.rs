//! `leakmatch explain --result DIR ID`: for a person id, a record id or a
//! booking id, print the person's rows (ids and status from persons.csv),
//! its links, and for every link the waterfall of its match weight: prior,
//! each comparison's level and weight, the term-frequency adjustment, the
//! total (from links.csv).
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
    let text = explain(&persons, &links, &args.id)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn explain(persons: &Table, links: &Table, id: &str) -> Result<String> {
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
    for row in &links.rows {
        if row[link_kind] == "booking" && is_id(&row[link_id], id) && !wanted.contains(&row[link_person].as_str()) {
            wanted.push(&row[link_person]);
        }
    }
    if wanted.is_empty() {
        bail!(UsageError(format!("{id}: no person, record or booking with this id in the result")));
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
        }
        out.push('\n');
    }
    Ok(out)
}

/// One link's header line and its weight waterfall.
fn waterfall(links: &Table, row: &[String], out: &mut String) -> Result<()> {
    let cell = |name: &str| -> Result<&str> { Ok(row[links.column(name)?].as_str()) };
    let number = |name: &str| -> Result<f64> {
        cell(name)?.parse::<f64>().with_context(|| format!("links.csv: {name} is not a number"))
    };
    let (kind, id, matched, decision) = (cell("link")?, cell("id")?, cell("matched_record_id")?, cell("decision")?);
    let _ = writeln!(
        out,
        "{kind} {id} → record {matched}: {decision}, score {} bits (probability {})",
        cell("score")?,
        cell("probability")?
    );
    let _ = writeln!(out, "  {:<14} {:<22} {:>8} {:>10}", "comparison", "level", "weight", "total");
    let mut total = number("prior")?;
    let _ = writeln!(out, "  {:<14} {:<22} {:>+8.2} {:>10.2}", "prior", "", total, total);
    for comparison in Comparison::ALL {
        let level = cell(&format!("{}_level", comparison.name()))?;
        let weight = number(&format!("{}_weight", comparison.name()))?;
        total += weight;
        let _ = writeln!(out, "  {:<14} {:<22} {:>+8.2} {:>10.2}", comparison.name(), level, weight, total);
    }
    let tf = number("tf_adjustment")?;
    total += tf;
    let _ = writeln!(out, "  {:<14} {:<22} {:>+8.2} {:>10.2}", "tf_adjustment", "names", tf, total);
    let _ = writeln!(out, "  {:<14} {:<22} {:>8} {:>10.2}", "score", "", "", total);
    Ok(())
}
