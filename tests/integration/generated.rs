//! `leakmatch generate` and fixtures/generated: the generator is
//! deterministic (same seed and any thread count → the committed bytes),
//! every variation class and structural case occurs, the truth agrees with
//! the rules module, and the pipeline's affected-set F1 on the fixture stays
//! above the floor (raise it as the linker improves; never lower it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::*;

/// Today's affected-set F1 on fixtures/generated is 0.9922; the floor sits
/// just under it so the number can only go up. (The fixture was made harder
/// when the generator gained rows without a name, names in one script only,
/// two-field rows and exact copies: on the easier one the linker reached
/// 0.9989; the same linker scored 0.9672 on the harder one before
/// not-comparable names, contact evidence without a name and the collapse
/// of exact copies. It went 0.9922 -> 0.9907 when a changed email became,
/// a third of the time each, the old one prefixed, its local part at another
/// provider or a wholly other address, and 0.9907 -> 0.9911 when emails,
/// phones and passport numbers became each person's own instead of drawn at
/// random, and back to 0.9907 (one record) when addresses came from six
/// times as many towns; 0.9922 since, before and after the kanji variant
/// table, which the generator draws its variants from, gained the old forms
/// of a component; 0.9925 -> 0.9918 when a share of rows came to write the
/// kanji and kana name given name first: 0.9846 before names so written
/// were turned surname first by the name dataset rather than by every
/// source's surnames; 0.9918 -> 0.9922 when names left as written came to
/// be compared both ways round.)
const AFFECTED_F1_FLOOR: &str = "0.99";

fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            files.extend(files_under(&path).into_iter().map(|f| format!("{name}/{f}")));
        } else if name != "README.md" {
            files.insert(name);
        }
    }
    files
}

#[test]
fn the_committed_fixture_regenerates_byte_for_byte_with_any_thread_count() {
    let committed = root().join("fixtures/generated");
    for threads in ["1", "2"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("g");
        let output = run(&[
            "generate",
            "--persons",
            "2000",
            "--seed",
            "1",
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
            "-q",
        ]);
        assert_exit(&output, 0);
        let files = files_under(&committed);
        assert_eq!(files_under(&out), files);
        for file in files {
            assert!(
                std::fs::read(out.join(&file)).unwrap() == std::fs::read(committed.join(&file)).unwrap(),
                "{file} differs with --threads {threads}"
            );
        }
    }
}

#[test]
fn another_seed_gives_other_people() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    assert_exit(&run(&["generate", "--persons", "50", "--seed", "2", "--out", out.to_str().unwrap(), "-q"]), 0);
    let committed_head: Vec<String> =
        read(&root().join("fixtures/generated/recovered.csv")).lines().skip(1).take(5).map(String::from).collect();
    let other_head: Vec<String> = read(&out.join("recovered.csv")).lines().skip(1).take(5).map(String::from).collect();
    assert_ne!(committed_head, other_head);
}

#[test]
fn a_dummy_email_share_gives_persons_the_staffs_mailbox_and_the_class() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let args = ["generate", "--persons", "200", "--dummy-email-share", "0.1", "--out", out.to_str().unwrap(), "-q"];
    assert_exit(&run(&args), 0);
    let recovered = read(&out.join("recovered.csv"));
    let with_dummy: Vec<&str> = recovered.lines().filter(|l| l.to_lowercase().contains("none@none.jp")).collect();
    let ids: BTreeSet<&str> = with_dummy.iter().filter_map(|l| l.split(',').next()).collect();
    let classes = read(&out.join("classes.csv"));
    let classed: BTreeSet<&str> =
        classes.lines().filter(|l| l.contains(",dummy_email")).filter_map(|l| l.split(',').next()).collect();
    // A tenth of 200 persons, give or take; each such row is classed (a
    // row may leave the email out, or the variations change its case).
    assert!((8..=40).contains(&classed.len()), "{} rows classed", classed.len());
    assert!(!ids.is_empty() && ids.is_subset(&classed), "{ids:?} vs {classed:?}");
    let bookings =
        std::fs::read_dir(out.join("bookings")).unwrap().map(|e| read(&e.unwrap().path())).collect::<String>();
    assert!(bookings.to_lowercase().contains("none@none.jp"), "no booking carries the mailbox");
    assert_exit(&run(&["generate", "--persons", "5", "--dummy-email-share", "2", "--out", "unused", "-q"]), 2);
}

#[test]
fn every_variation_class_and_structural_case_occurs() {
    let classes = read(&root().join("fixtures/generated/classes.csv"));
    let seen: BTreeSet<&str> = classes.lines().skip(1).filter_map(|l| l.split(',').nth(1)).collect();
    for class in leakmatch::generate::render::CLASSES.iter().chain(&leakmatch::generate::render::STRUCTURE_CLASSES) {
        assert!(seen.contains(class), "class {class} never occurs");
    }
}

#[test]
fn every_rule_case_occurs_and_the_truth_agrees_with_the_rules() {
    use leakmatch::assess::status_for_bookings;
    use leakmatch::rules::Rules;
    let rules = Rules::default_rules();
    let dir = root().join("fixtures/generated");
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for line in read(&dir.join("booking_truth.csv")).lines().skip(1) {
        let (booking, person) = line.split_once(',').unwrap();
        owner.insert(booking.into(), person.into());
    }
    let mut classes_by_person: BTreeMap<String, Vec<_>> = BTreeMap::new();
    let mut cases = BTreeSet::new();
    for entry in std::fs::read_dir(dir.join("bookings")).unwrap() {
        let mut rdr = csv::Reader::from_path(entry.unwrap().path()).unwrap();
        for row in rdr.records() {
            let row = row.unwrap();
            let class = rules.classify_raw(&row[1], &row[2], &row[3], &row[4]);
            cases.insert(format!("{:?}/{:?}/{:?}/{:?}", class.channel, class.method, class.payment, class.decision));
            classes_by_person.entry(owner[&row[0]].clone()).or_default().push(class);
        }
    }
    // Online, online paid in store, store, store booked via the net (said by
    // booking_method or by payment_place alone), excluded products, unknown
    // channels, unknown methods and empty channels all occur.
    for needle in [
        "Online/Online/Online/Qualifying { paid_in_store: false }",
        "Online/Online/Store/Qualifying { paid_in_store: true }",
        "Excluded { store: false, product: Some(",
        "Store/Store/Store/Excluded { store: true, product: None }",
        "Store/Online/Store/Qualifying { paid_in_store: true }",
        "Store/Empty/NetBookedStorePaid/Qualifying { paid_in_store: true }",
        "Unknown/Unknown/Store/Review(UnknownChannel)",
        "Store/Unknown/Store/Review(UnknownBookingMethod)",
        "Missing/Online/Online/Review(MissingChannel)",
    ] {
        assert!(cases.iter().any(|c| c.contains(needle)), "no booking of case {needle}: {cases:?}");
    }
    let mut statuses = BTreeSet::new();
    for line in read(&dir.join("truth.csv")).lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let classes = classes_by_person.get(fields[1]).cloned().unwrap_or_default();
        let (status, _) = status_for_bookings(&classes);
        assert_eq!(status.name(), fields[2], "person {}", fields[1]);
        statuses.insert(fields[2].to_string());
    }
    assert_eq!(statuses.len(), 4, "{statuses:?}");
}

#[test]
fn the_pipeline_stays_above_the_affected_f1_floor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "run",
        "--recovered",
        "fixtures/generated/recovered.csv",
        "--bookings",
        "fixtures/generated/bookings",
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2016-06-14",
        "-q",
    ]);
    assert_exit(&output, 0);
    let output = run(&[
        "evaluate",
        "--truth",
        "fixtures/generated",
        "--result",
        out.to_str().unwrap(),
        "--min-f1",
        AFFECTED_F1_FLOOR,
    ]);
    assert_exit(&output, 0);
}

#[test]
fn the_cp932_variant_reads_back_the_same_persons() {
    let dir = tempfile::tempdir().unwrap();
    let (utf8, cp932) = (dir.path().join("u"), dir.path().join("c"));
    assert_exit(&run(&["generate", "--persons", "200", "--out", utf8.to_str().unwrap(), "-q"]), 0);
    assert_exit(&run(&["generate", "--persons", "200", "--out", cp932.to_str().unwrap(), "--cp932", "-q"]), 0);
    assert!(
        std::str::from_utf8(&std::fs::read(cp932.join("recovered.csv")).unwrap()).is_err(),
        "recovered.csv is CP932"
    );
    let counts = |data: &Path| {
        let out = data.join("out");
        let output = run(&[
            "run",
            "--recovered",
            data.join("recovered.csv").to_str().unwrap(),
            "--bookings",
            data.join("bookings").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2016-06-14",
            "-q",
        ]);
        assert_exit(&output, 0);
        let value: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
        (value["recovered_rejected"].clone(), value["recovered_rows"].clone())
    };
    let (utf8_counts, cp932_counts) = (counts(&utf8), counts(&cp932));
    assert_eq!(cp932_counts.0, 0);
    assert_eq!(utf8_counts.1, cp932_counts.1);
}

#[test]
fn generate_refuses_a_folder_that_is_not_empty() {
    let output = run(&["generate", "--persons", "10", "--out", "fixtures/generated"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("not empty"), "{}", stderr(&output));
}
