//! Evaluation of a result folder against ground truth (SPEC section 7).
//!
//! Inputs, in the formats `leakmatch generate` writes: the truth folder's
//! `truth.csv` (record_id, person_id, status[, passport_status, reasons]),
//! optional `classes.csv` (record_id, class[, side]) and optional
//! `truth_counts.json`; the result folder's `persons.csv`, `affected.csv`
//! and `counts.json`.
//!
//! Metrics:
//! - deduplication, pairwise: a pair of recovered records is predicted
//!   together when one person of persons.csv holds both, truly together when
//!   truth.csv gives them one person_id; a record missing from persons.csv
//!   (rejected) is alone (and counts as a predicted person of its own);
//! - affected set, per record: predicted affected when the record is in
//!   affected.csv's record_ids, truly affected when its truth status is
//!   `affected`;
//! - the status confusion matrix per record (true status × predicted status
//!   of the person the record was put in; `rejected` when it is in none);
//! - recall of the affected set per class of classes.csv;
//! - predicted vs true value of every key of truth_counts.json.
//!
//! Invariant: every figure is computed from sorted maps, so the report is
//! the same bytes for the same inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

/// Precision, recall and F1 from counts of true positives, predicted
/// positives and actual positives. With nothing predicted and nothing
/// actual, all three are 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scores {
    pub true_positives: u64,
    pub predicted: u64,
    pub actual: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Scores {
    pub fn new(true_positives: u64, predicted: u64, actual: u64) -> Scores {
        let ratio = |num: u64, den: u64| if den == 0 { 1.0 } else { num as f64 / den as f64 };
        let precision = ratio(true_positives, predicted);
        let recall = ratio(true_positives, actual);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Scores { true_positives, predicted, actual, precision, recall, f1 }
    }
}

/// Recall of the affected set among the records of one class; `None` when
/// the class has no truly affected record (recall is undefined there).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassRecall {
    pub records: u64,
    pub truly_affected: u64,
    pub found: u64,
    pub recall: Option<f64>,
}

/// A count of counts.json against its true value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountCheck {
    pub predicted: serde_json::Value,
    pub truth: serde_json::Value,
    pub equal: bool,
}

/// Everything `leakmatch evaluate` reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub records: u64,
    pub dedup_pairwise: Scores,
    pub true_persons: u64,
    pub predicted_persons: u64,
    pub affected_records: Scores,
    /// true status → predicted status → records.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    pub class_recall: BTreeMap<String, ClassRecall>,
    /// Per class: pairwise dedup precision over the predicted same-person
    /// pairs that involve a record of the class (households, twins and
    /// namesakes are where a linker merges people).
    pub class_pair_precision: BTreeMap<String, PairPrecision>,
    pub counts: BTreeMap<String, CountCheck>,
}

/// Pairwise precision of the predicted pairs touching one class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairPrecision {
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub precision: f64,
}

/// One row of truth.csv.
struct TruthRow {
    person: String,
    status: String,
}

impl TruthRow {
    fn is_affected(&self) -> bool {
        self.status == "affected"
    }
}

/// A truth file written elsewhere may be a TSV (by its extension, as the
/// inputs), start with a byte-order mark and capitalize its headers.
fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    let tab = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    csv::ReaderBuilder::new()
        .delimiter(if tab { b'\t' } else { b',' })
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))
}

fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize> {
    let header_is = |h: &str| h.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(name);
    headers.iter().position(header_is).with_context(|| {
        format!("{}: no {name} column; headers seen: {}", path.display(), headers.iter().collect::<Vec<_>>().join(", "))
    })
}

/// Reads `path`'s rows as (column values by name) for the named columns.
fn read_columns(path: &Path, names: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut rdr = reader(path)?;
    let headers = rdr.headers().with_context(|| format!("{}: cannot read the header row", path.display()))?.clone();
    let indexes = names.iter().map(|n| column(&headers, n, path)).collect::<Result<Vec<_>>>()?;
    let mut rows = Vec::new();
    for (line, record) in rdr.records().enumerate() {
        let record = record.with_context(|| format!("{}: cannot read row {}", path.display(), line + 1))?;
        rows.push(indexes.iter().map(|&i| record.get(i).unwrap_or("").to_string()).collect());
    }
    Ok(rows)
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Σ n(n−1)/2 over the sizes of the groups in `groups`.
fn pairs_within<K: Ord>(groups: &BTreeMap<K, u64>) -> u64 {
    groups.values().map(|n| n * n.saturating_sub(1) / 2).sum()
}

/// The truth file and the folder of its optional companions
/// (classes.csv, truth_counts.json) that `--truth` names. The SPEC writes
/// `--truth FILE`; `generate` writes a folder that holds it as truth.csv:
/// either is taken, and a file's companions are looked for beside it.
fn truth_paths(truth: &Path) -> (PathBuf, PathBuf) {
    if truth.is_dir() {
        return (truth.join("truth.csv"), truth.to_path_buf());
    }
    // A bare file name's parent is the empty path: the working folder.
    (truth.to_path_buf(), truth.parent().map_or_else(PathBuf::new, Path::to_path_buf))
}

/// Evaluates the result folder `result` against the ground truth `truth`:
/// a truth file or the folder that holds it as truth.csv ([`truth_paths`]).
pub fn evaluate(truth: &Path, result_dir: &Path) -> Result<Evaluation> {
    let (truth_path, truth_dir) = truth_paths(truth);
    let truth = read_truth(&truth_path)?;
    let (predicted, predicted_affected) = read_predicted(result_dir)?;

    // Pairwise dedup via the contingency table: pairs within predicted
    // persons, within true persons, and within both.
    let mut by_true: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_predicted: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_both: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (record, row) in &truth {
        *by_true.entry(row.person.as_str()).or_insert(0) += 1;
        if let Some((person, _)) = predicted.get(record) {
            *by_predicted.entry(person.as_str()).or_insert(0) += 1;
            *by_both.entry((row.person.as_str(), person.as_str())).or_insert(0) += 1;
        }
    }
    let dedup_pairwise = Scores::new(pairs_within(&by_both), pairs_within(&by_predicted), pairs_within(&by_true));

    let hits = truth.iter().filter(|(r, row)| row.is_affected() && predicted_affected.contains(*r)).count() as u64;
    let predicted_count = truth.keys().filter(|r| predicted_affected.contains(*r)).count() as u64;
    let actual = truth.values().filter(|row| row.is_affected()).count() as u64;
    let affected_records = Scores::new(hits, predicted_count, actual);

    let mut confusion: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (record, row) in &truth {
        let predicted_status = predicted.get(record).map(|(_, s)| s.as_str()).unwrap_or("rejected");
        *confusion.entry(row.status.clone()).or_default().entry(predicted_status.to_string()).or_insert(0) += 1;
    }

    let classes_path = truth_dir.join("classes.csv");
    let (class_names, classes_of) =
        if classes_path.exists() { read_classes(&classes_path, &truth)? } else { (Vec::new(), BTreeMap::new()) };
    let class_recall = recall_by_class(&class_names, &classes_of, &truth, &predicted_affected);
    let class_pair_precision = pair_precision_by_class(&class_names, &classes_of, &truth, &predicted);
    let counts = compare_counts(&truth_dir.join("truth_counts.json"), &result_dir.join("counts.json"))?;

    Ok(Evaluation {
        records: truth.len() as u64,
        dedup_pairwise,
        true_persons: by_true.len() as u64,
        predicted_persons: by_predicted.len() as u64
            + truth.keys().filter(|r| !predicted.contains_key(*r)).count() as u64,
        affected_records,
        confusion,
        class_recall,
        class_pair_precision,
        counts,
    })
}

/// truth.csv: the true person and status of each record.
fn read_truth(truth_path: &Path) -> Result<BTreeMap<String, TruthRow>> {
    let mut truth: BTreeMap<String, TruthRow> = BTreeMap::new();
    for row in read_columns(truth_path, &["record_id", "person_id", "status"])? {
        let [record, person, status]: [String; 3] = row.try_into().unwrap_or_default();
        let (record, person) = (record.trim().to_string(), person.trim().to_string());
        let status = status.trim().to_ascii_lowercase();
        if truth.insert(record, TruthRow { person, status }).is_some() {
            bail!("{}: a record_id appears twice", truth_path.display());
        }
    }
    if truth.is_empty() {
        bail!("{}: no rows", truth_path.display());
    }
    Ok(truth)
}

/// Records predicted: the person and status of each (persons.csv), and the
/// records of affected.csv.
type Predicted = (BTreeMap<String, (String, String)>, BTreeSet<String>);

fn read_predicted(result_dir: &Path) -> Result<Predicted> {
    let mut predicted: BTreeMap<String, (String, String)> = BTreeMap::new();
    let persons_path = result_dir.join("persons.csv");
    for row in read_columns(&persons_path, &["person_id", "status", "record_ids"])? {
        for record in split_list(&row[2]) {
            predicted.insert(record.trim_start_matches('\'').to_string(), (row[0].clone(), row[1].clone()));
        }
    }
    let mut predicted_affected: BTreeSet<String> = BTreeSet::new();
    for row in read_columns(&result_dir.join("affected.csv"), &["record_ids"])? {
        predicted_affected.extend(split_list(&row[0]).map(|r| r.trim_start_matches('\'').to_string()));
    }
    Ok((predicted, predicted_affected))
}

/// Recall of the affected set among the records of each variation class.
fn recall_by_class(
    class_names: &[String],
    classes_of: &ClassesOf<'_>,
    truth: &BTreeMap<String, TruthRow>,
    predicted_affected: &BTreeSet<String>,
) -> BTreeMap<String, ClassRecall> {
    let mut class_recall: BTreeMap<String, ClassRecall> = BTreeMap::new();
    for (record, classes) in classes_of {
        let affected = truth[*record].is_affected();
        let found = affected && predicted_affected.contains(*record);
        for &class in classes {
            let entry = class_recall.entry(class_names[class as usize].clone()).or_insert(ClassRecall {
                records: 0,
                truly_affected: 0,
                found: 0,
                recall: None,
            });
            entry.records += 1;
            entry.truly_affected += u64::from(affected);
            entry.found += u64::from(found);
        }
    }
    for entry in class_recall.values_mut() {
        entry.recall = (entry.truly_affected > 0).then(|| entry.found as f64 / entry.truly_affected as f64);
    }
    class_recall
}

/// Each count of truth_counts.json (when the truth has one) against the
/// run's counts.json.
fn compare_counts(truth_counts_path: &Path, counts_path: &Path) -> Result<BTreeMap<String, CountCheck>> {
    let mut counts = BTreeMap::new();
    if !truth_counts_path.exists() {
        return Ok(counts);
    }
    let load = |path: &Path| -> Result<serde_json::Map<String, serde_json::Value>> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        value.as_object().cloned().with_context(|| format!("{}: not a JSON object", path.display()))
    };
    let expected = load(truth_counts_path)?;
    let actual = load(counts_path)?;
    for (key, truth_value) in expected {
        let predicted_value = actual.get(&key).cloned().unwrap_or(serde_json::Value::Null);
        let equal = predicted_value == truth_value;
        counts.insert(key, CountCheck { predicted: predicted_value, truth: truth_value, equal });
    }
    Ok(counts)
}

/// The classes of each truth record, from classes.csv (record_id, class),
/// read row by row: class names once (a class is a `u16` index into the
/// returned names), record ids borrowed from `truth` (rows of records not
/// in the truth are left out). A file of tens of millions of rows is never
/// held whole.
type ClassesOf<'t> = BTreeMap<&'t str, Vec<u16>>;

fn read_classes<'t>(path: &Path, truth: &'t BTreeMap<String, TruthRow>) -> Result<(Vec<String>, ClassesOf<'t>)> {
    let mut rdr = reader(path)?;
    let headers = rdr.headers().with_context(|| format!("{}: cannot read the header row", path.display()))?.clone();
    let (record_column, class_column) = (column(&headers, "record_id", path)?, column(&headers, "class", path)?);
    let mut names: Vec<String> = Vec::new();
    let mut classes_of: ClassesOf<'t> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    let mut line = 0;
    while rdr.read_record(&mut record).with_context(|| format!("{}: cannot read row {}", path.display(), line + 1))? {
        line += 1;
        let Some((id, _)) = truth.get_key_value(record.get(record_column).unwrap_or("")) else {
            continue;
        };
        let class = record.get(class_column).unwrap_or("");
        // Tens of classes: a look-up in the list is all it takes.
        let class = match names.iter().position(|name| name == class) {
            Some(class) => class as u16,
            None => {
                if names.len() > usize::from(u16::MAX) {
                    bail!("{}: more than 65,536 classes", path.display());
                }
                names.push(class.to_string());
                (names.len() - 1) as u16
            }
        };
        let classes = classes_of.entry(id.as_str()).or_default();
        if !classes.contains(&class) {
            classes.push(class);
        }
    }
    Ok((names, classes_of))
}

/// [`Evaluation::class_pair_precision`]: over the predicted pairs touching
/// a record of each class, the share that are one true person.
fn pair_precision_by_class(
    class_names: &[String],
    classes_of: &ClassesOf<'_>,
    truth: &BTreeMap<String, TruthRow>,
    predicted: &BTreeMap<String, (String, String)>,
) -> BTreeMap<String, PairPrecision> {
    let mut members: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (record, (person, _)) in predicted {
        members.entry(person.as_str()).or_default().push(record.as_str());
    }
    let mut tallies: BTreeMap<u16, (u64, u64)> = BTreeMap::new();
    let none = Vec::new();
    for records in members.values() {
        for (i, a) in records.iter().enumerate() {
            for b in &records[i + 1..] {
                let same = match (truth.get(*a), truth.get(*b)) {
                    (Some(x), Some(y)) => x.person == y.person,
                    _ => continue,
                };
                let (ca, cb) = (classes_of.get(a).unwrap_or(&none), classes_of.get(b).unwrap_or(&none));
                for &class in ca.iter().chain(cb.iter().filter(|c| !ca.contains(c))) {
                    let tally = tallies.entry(class).or_insert((0, 0));
                    tally.0 += 1;
                    tally.1 += u64::from(same);
                }
            }
        }
    }
    tallies
        .into_iter()
        .map(|(class, (pairs, right))| {
            let precision = if pairs == 0 { 1.0 } else { right as f64 / pairs as f64 };
            (
                class_names[class as usize].clone(),
                PairPrecision { predicted_pairs: pairs, true_pairs: right, precision },
            )
        })
        .collect()
}

impl Evaluation {
    /// The human-readable report.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let scores = |name: &str, s: &Scores| {
            format!(
                "{name:<26} precision {:.4}  recall {:.4}  F1 {:.4}  ({} found, {} predicted, {} true)\n",
                s.precision, s.recall, s.f1, s.true_positives, s.predicted, s.actual
            )
        };
        out.push_str(&format!(
            "records {}, true persons {}, predicted persons {}\n",
            self.records, self.true_persons, self.predicted_persons
        ));
        out.push_str(&scores("dedup (pairwise)", &self.dedup_pairwise));
        out.push_str(&scores("affected (records)", &self.affected_records));
        out.push_str("\nstatus confusion (rows: truth, columns: predicted)\n");
        let predicted_statuses: BTreeSet<&String> = self.confusion.values().flat_map(|m| m.keys()).collect();
        out.push_str(&format!("{:<12}", ""));
        for status in &predicted_statuses {
            out.push_str(&format!("{status:>11}"));
        }
        out.push('\n');
        for (truth, row) in &self.confusion {
            out.push_str(&format!("{truth:<12}"));
            for status in &predicted_statuses {
                out.push_str(&format!("{:>11}", row.get(*status).copied().unwrap_or(0)));
            }
            out.push('\n');
        }
        if !self.class_recall.is_empty() {
            out.push_str("\naffected recall per class (worst first)\n");
            let mut classes: Vec<(&String, &ClassRecall)> = self.class_recall.iter().collect();
            // Worst first; classes without affected records last.
            classes.sort_by(|a, b| {
                let key = |r: &ClassRecall| r.recall.unwrap_or(f64::INFINITY);
                key(a.1).total_cmp(&key(b.1)).then(a.0.cmp(b.0))
            });
            for (class, recall) in classes {
                let value = recall.recall.map(|r| format!("{r:.4}")).unwrap_or_else(|| "     -".to_string());
                out.push_str(&format!(
                    "{class:<32} {value}  ({} of {} affected, {} records)\n",
                    recall.found, recall.truly_affected, recall.records
                ));
            }
        }
        if !self.class_pair_precision.is_empty() {
            out.push_str("\ndedup pairwise precision per class (worst first; pairs touching the class)\n");
            let mut classes: Vec<(&String, &PairPrecision)> = self.class_pair_precision.iter().collect();
            classes.sort_by(|a, b| a.1.precision.total_cmp(&b.1.precision).then(a.0.cmp(b.0)));
            for (class, p) in classes.into_iter().take(12) {
                out.push_str(&format!(
                    "{class:<32} {:.4}  ({} of {} predicted pairs true)\n",
                    p.precision, p.true_pairs, p.predicted_pairs
                ));
            }
        }
        if !self.counts.is_empty() {
            out.push_str("\ncounts (predicted vs truth)\n");
            for (key, check) in &self.counts {
                let mark = if check.equal { "" } else { "  ≠" };
                out.push_str(&format!(
                    "{key:<32} {:>10} {:>10}{mark}\n",
                    check.predicted.to_string(),
                    check.truth.to_string()
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_of_nothing_are_perfect_and_f1_is_harmonic() {
        assert_eq!(Scores::new(0, 0, 0).f1, 1.0);
        let s = Scores::new(1, 2, 4);
        assert!((s.precision - 0.5).abs() < 1e-12 && (s.recall - 0.25).abs() < 1e-12);
        assert!((s.f1 - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-12);
    }

    #[test]
    fn pairs_are_counted_within_groups() {
        let groups: BTreeMap<&str, u64> = [("a", 3), ("b", 1), ("c", 2)].into_iter().collect();
        // a: 3 pairs, b: none, c: 1.
        assert_eq!(pairs_within(&groups), 4);
    }
}
