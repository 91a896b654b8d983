//! `leakmatch evaluate` on fixtures/basic and its hand-written truth
//! (fixtures/basic/truth): known figures, 1.0 on the truth itself, lower on
//! a damaged result, the --min-f1 floor and the JSON output.

use std::path::Path;

use crate::util::*;

fn basic_result(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("out");
    assert_exit(&run_owned(&basic_args(&out)), 0);
    out
}

fn evaluate(result: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["evaluate", "--truth", "fixtures/basic/truth", "--result", result.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn evaluation_json(result: &Path, dir: &Path) -> serde_json::Value {
    let json = dir.join("evaluation.json");
    assert_exit(&evaluate(result, &["--json", json.to_str().unwrap()]), 0);
    serde_json::from_str(&read(&json)).unwrap()
}

#[test]
fn the_basic_run_scores_its_designed_ambiguity_right() {
    let dir = tempfile::tempdir().unwrap();
    let result = basic_result(dir.path());
    let evaluation = evaluation_json(&result, dir.path());
    assert_eq!(evaluation["dedup_pairwise"]["f1"], 1.0);
    // The booking W016 has R027's name, birth date and email and R028's
    // passport number: the exact-key linker sent both to review, the
    // probabilistic one weighs the evidence and links it to R027 alone.
    assert_eq!(evaluation["affected_records"]["true_positives"], 13);
    assert_eq!(evaluation["affected_records"]["actual"], 13);
    assert_eq!(evaluation["affected_records"]["precision"], 1.0);
    assert_eq!(evaluation["confusion"]["unmatched"]["unmatched"], 3);
    assert_eq!(evaluation["class_recall"]["ambiguous_booking"]["recall"], 1.0);
    assert_eq!(evaluation["counts"]["affected"]["equal"], true);
    assert_eq!(evaluation["counts"]["excluded"]["equal"], true);
}

#[test]
fn the_truth_itself_scores_one() {
    let dir = tempfile::tempdir().unwrap();
    let result = dir.path().join("perfect");
    std::fs::create_dir(&result).unwrap();
    let mut rdr = csv::Reader::from_path(root().join("fixtures/basic/truth/truth.csv")).unwrap();
    let mut persons: std::collections::BTreeMap<String, (String, Vec<String>)> = Default::default();
    for row in rdr.records() {
        let row = row.unwrap();
        let entry = persons.entry(row[1].to_string()).or_insert((row[2].to_string(), Vec::new()));
        entry.1.push(row[0].to_string());
    }
    let mut persons_csv = String::from("person_id,status,reasons,record_ids,booking_ids,score,passport_status\n");
    let mut affected_csv = String::from("person_id,record_ids\n");
    for (person, (status, records)) in &persons {
        persons_csv.push_str(&format!("{person},{status},,{},,0,none\n", records.join(";")));
        if status == "affected" {
            affected_csv.push_str(&format!("{person},{}\n", records.join(";")));
        }
    }
    std::fs::write(result.join("persons.csv"), persons_csv).unwrap();
    std::fs::write(result.join("affected.csv"), affected_csv).unwrap();
    std::fs::write(result.join("counts.json"), read(&root().join("fixtures/basic/truth/truth_counts.json"))).unwrap();
    let evaluation = evaluation_json(&result, dir.path());
    assert_eq!(evaluation["dedup_pairwise"]["f1"], 1.0);
    assert_eq!(evaluation["affected_records"]["f1"], 1.0);
    assert!(evaluation["counts"].as_object().unwrap().values().all(|c| c["equal"] == true));
}

#[test]
fn a_damaged_result_scores_lower() {
    let dir = tempfile::tempdir().unwrap();
    let result = basic_result(dir.path());
    let before = evaluation_json(&result, dir.path());
    // Drop the three-spellings person from affected.csv and split it in persons.csv.
    let affected = read(&result.join("affected.csv"));
    let damaged: String = affected.lines().filter(|l| !l.starts_with("P0000001")).map(|l| format!("{l}\n")).collect();
    std::fs::write(result.join("affected.csv"), damaged).unwrap();
    let persons = read(&result.join("persons.csv")).replace("R001;R002;R003", "R001");
    std::fs::write(result.join("persons.csv"), persons).unwrap();
    let after = evaluation_json(&result, dir.path());
    let f1 = |e: &serde_json::Value, key: &str| e[key]["f1"].as_f64().unwrap();
    assert!(f1(&after, "affected_records") < f1(&before, "affected_records"));
    assert!(f1(&after, "dedup_pairwise") < f1(&before, "dedup_pairwise"));
}

#[test]
fn min_f1_is_a_floor_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let result = basic_result(dir.path());
    assert_exit(&evaluate(&result, &["--min-f1", "1.0"]), 0);
    // Drop one affected person: 12 of 13 records found (F1 0.96).
    let affected = read(&result.join("affected.csv"));
    let damaged: String = affected.lines().filter(|l| !l.starts_with("P0000025")).map(|l| format!("{l}\n")).collect();
    std::fs::write(result.join("affected.csv"), damaged).unwrap();
    assert_exit(&evaluate(&result, &["--min-f1", "0.95"]), 0);
    let below = evaluate(&result, &["--min-f1", "0.99"]);
    assert_exit(&below, 3);
    assert!(stderr(&below).contains("below --min-f1"), "{}", stderr(&below));
    assert_exit(&evaluate(&result, &["--min-f1", "1.5"]), 2);
}

#[test]
fn a_truth_without_status_exits_1_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("truth.csv"), "record_id,person_id\nR1,T1\n").unwrap();
    let output = run(&["evaluate", "--truth", dir.path().to_str().unwrap(), "--result", "fixtures/basic/expected"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("truth.csv: no status column"), "{}", stderr(&output));
}

#[test]
fn a_truth_file_scores_as_its_folder_and_tolerates_another_writer() {
    let dir = tempfile::tempdir().unwrap();
    let result = basic_result(dir.path());
    let json_of = |truth: &str, name: &str| {
        let json = dir.path().join(name);
        let args =
            ["evaluate", "--truth", truth, "--result", result.to_str().unwrap(), "--json", json.to_str().unwrap()];
        assert_exit(&run(&args), 0);
        serde_json::from_str::<serde_json::Value>(&read(&json)).unwrap()
    };
    let by_folder = json_of("fixtures/basic/truth", "folder.json");
    // The SPEC's `--truth FILE`: the same figures, companions read beside it.
    assert_eq!(json_of("fixtures/basic/truth/truth.csv", "file.json"), by_folder);
    // The same truth as another generator may write it: a TSV with a
    // byte-order mark, capitalized headers, padded cells and statuses.
    let mut tsv = String::from("\u{feff}Record_ID\tPerson_ID\tStatus\n");
    for row in csv::Reader::from_path(root().join("fixtures/basic/truth/truth.csv")).unwrap().records() {
        let row = row.unwrap();
        tsv.push_str(&format!(" {}\t{} \t{}\n", &row[0], &row[1], row[2].to_uppercase()));
    }
    let elsewhere = dir.path().join("truth.tsv");
    std::fs::write(&elsewhere, tsv).unwrap();
    let other = json_of(elsewhere.to_str().unwrap(), "other.json");
    for key in ["affected_records", "dedup_pairwise", "confusion", "true_persons", "predicted_persons"] {
        assert_eq!(other[key], by_folder[key], "{key}");
    }
}
