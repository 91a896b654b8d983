//! The probabilistic linker on realistic data (library API,
//! fixtures/generated): training, weights that rank agreement above
//! disagreement and true pairs above false ones, and deduplication that
//! keeps household members, twins and namesakes apart.

use std::collections::BTreeMap;

use leakmatch::config::{DEFAULT_MATCH_THRESHOLD, DEFAULT_REVIEW_THRESHOLD};
use leakmatch::input::stream::DiscardRejects;
use leakmatch::input::{InputKind, InputOptions, Source};
use leakmatch::matching::block::key_entries;
use leakmatch::matching::compare::{compare, Comparison};
use leakmatch::matching::dedup::{self, MatchSettings, ModelChoice};
use leakmatch::matching::link::Thresholds;
use leakmatch::matching::pairs::{candidate_pairs, random_pairs, DEFAULT_BLOCK_CAP};
use leakmatch::matching::score::Scorer;
use leakmatch::matching::tf::TermFrequencies;
use leakmatch::matching::weights::{estimate_u, expectation_maximization, EmSettings, Model};
use leakmatch::normalize::store::RecordStore;
use leakmatch::normalize::Date;
use leakmatch::progress::{Progress, StepTimes};
use leakmatch::recovered;

use crate::util::*;

fn load(path: &std::path::Path) -> (Vec<String>, RecordStore) {
    let source = Source::open(path, InputKind::Recovered, &InputOptions::default()).unwrap();
    let set = recovered::load(
        &source,
        Date::constant(2016, 6, 14),
        &mut DiscardRejects,
        &Progress::hidden(),
        Default::default(),
    )
    .unwrap();
    let ids = (0..set.records.len() as u32).map(|r| set.record_id(r).to_string()).collect();
    (ids, set.records)
}

fn truth(dir: &std::path::Path) -> BTreeMap<String, String> {
    read(&dir.join("truth.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap().to_string(), f.next().unwrap().to_string())
        })
        .collect()
}

fn settings() -> MatchSettings {
    MatchSettings {
        model: ModelChoice::Auto,
        thresholds: Thresholds { match_weight: DEFAULT_MATCH_THRESHOLD, review_weight: DEFAULT_REVIEW_THRESHOLD },
        block_cap: DEFAULT_BLOCK_CAP,
    }
}

#[test]
fn em_alone_learns_households_which_is_why_identity_m_comes_from_sure_matches() {
    // Plain EM (every m free) on the candidate pairs: the documented failure.
    let (_, mut records) = load(&root().join("fixtures/generated/recovered.csv"));
    let mut model = Model::default_model();
    let random: Vec<_> = random_pairs(records.len(), 20_000, 1)
        .iter()
        .map(|&(a, b)| compare(&records.get(a as usize), &records.get(b as usize)))
        .collect();
    estimate_u(&random, &mut model);
    let candidates = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
    let mut vectors: BTreeMap<_, u64> = BTreeMap::new();
    for &(a, b) in &candidates.pairs {
        *vectors.entry(compare(&records.get(a as usize), &records.get(b as usize))).or_insert(0) += 1;
    }
    let vectors: Vec<_> = vectors.into_iter().collect();
    let iterations = expectation_maximization(&vectors, &mut model, &EmSettings::plain(100, 1e-6));
    assert!(iterations < 100, "EM did not converge");
    let free = model.m_of(Comparison::GivenName, "different").unwrap();
    // The trained model pins it to sure matches instead.
    let (trained, report) = dedup::fit(&mut records, DEFAULT_BLOCK_CAP);
    let report = report.expect("2,000 persons are enough to train on");
    let pinned = trained.m_of(Comparison::GivenName, "different").unwrap();
    println!("m(given name different): free EM {free:.3}, pinned {pinned:.3}; {report:?}");
    assert!(free > 0.2, "free EM found m(given different) = {free}");
    assert!(pinned < free / 2.0, "pinned {pinned} vs free {free}");
}

#[test]
fn trained_weights_rank_agreement_above_disagreement_and_true_pairs_first() {
    let dir = root().join("fixtures/generated");
    let (ids, mut records) = load(&dir.join("recovered.csv"));
    let truth = truth(&dir);
    let (model, _) = dedup::fit(&mut records, DEFAULT_BLOCK_CAP);
    for comparison in Comparison::ALL.into_iter().filter(|c| *c != Comparison::Gender) {
        // The strongest level is listed first, the plainest disagreement
        // last before the levels without evidence.
        let evidence: Vec<u8> = (0..comparison.levels() as u8).filter(|l| !comparison.is_no_evidence(*l)).collect();
        let best = model.level_weight(comparison, evidence[0]);
        let worst = model.level_weight(comparison, *evidence.last().unwrap());
        assert!(best > 0.0 && worst < 0.0, "{}: {best} vs {worst}", comparison.name());
    }
    let scorer = Scorer::new(&model, TermFrequencies::build(&records));
    let candidates = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
    let (mut true_weights, mut false_weights) = (Vec::new(), Vec::new());
    for &(a, b) in &candidates.pairs {
        let weight = scorer.score(&records.get(a as usize), &records.get(b as usize)).weight;
        if truth[&ids[a as usize]] == truth[&ids[b as usize]] {
            true_weights.push(weight)
        } else {
            false_weights.push(weight)
        }
    }
    let mean = |w: &[f64]| w.iter().sum::<f64>() / w.len().max(1) as f64;
    assert!(!true_weights.is_empty() && !false_weights.is_empty());
    assert!(
        mean(&true_weights) > DEFAULT_MATCH_THRESHOLD && mean(&false_weights) < DEFAULT_MATCH_THRESHOLD,
        "true {} vs false {}",
        mean(&true_weights),
        mean(&false_weights)
    );
}

/// Pairwise precision of the predicted persons over pairs where a record
/// of `class` is involved.
#[test]
fn household_members_twins_and_namesakes_stay_apart() {
    let dir = root().join("fixtures/generated");
    let (ids, mut records) = load(&dir.join("recovered.csv"));
    let truth = truth(&dir);
    let mut classes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in read(&dir.join("classes.csv")).lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[2] == "recovered" {
            classes.entry(f[0].to_string()).or_default().push(f[1].to_string());
        }
    }
    let ambiguous = ["no_name", "two_fields", "sparse_row"];
    let nameless = |id: &String| classes.get(id).is_some_and(|c| c.iter().any(|c| ambiguous.contains(&c.as_str())));
    let result = dedup::deduplicate(&mut records, &settings(), &mut StepTimes::new(false));
    for class in ["household", "twin", "namesake"] {
        let (mut right, mut wrong, mut chained) = (0u64, 0u64, 0u64);
        for person in 0..result.persons.len() as u32 {
            let members = result.persons.members(person);
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    let (x, y) = (&ids[a as usize], &ids[b as usize]);
                    let involved = |id: &String| classes.get(id).is_some_and(|c| c.iter().any(|c| c == class));
                    // A row without a name, or with two fields only, carries
                    // the household's contacts and nothing that tells its
                    // members apart, and a namesake's sparse row (a name, the
                    // birth date and one contact) nothing that tells it from
                    // the other person's: such pairs are ambiguous by nature
                    // (README, Decisions) and left out here. Two persons
                    // joined through such a row (a namesake's sparse row,
                    // kana name and birth date, fits both namesakes and
                    // chains them) are counted apart, as chained.
                    if (involved(x) || involved(y)) && !nameless(x) && !nameless(y) {
                        if truth[x] == truth[y] {
                            right += 1
                        } else if members.iter().any(|&m| nameless(&ids[m as usize])) {
                            chained += 1
                        } else {
                            wrong += 1
                        }
                    }
                }
            }
        }
        let precision = right as f64 / (right + wrong).max(1) as f64;
        println!("{class}: {right} true pairs, {wrong} false, {chained} chained by an ambiguous row, precision {precision:.4}");
        assert!(right > 0, "{class}: no pairs at all");
        assert!(precision >= 0.99, "{class}: pairwise precision {precision:.4}");
    }
}

#[test]
fn explain_prints_a_waterfall_that_sums_to_the_score() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_owned(&basic_args(&out)), 0);
    let output = run(&["explain", "--result", out.to_str().unwrap(), "W016"]);
    assert_exit(&output, 0);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("person_id        P0000025")
            && text.contains("booking W016 (fixtures/basic/bookings/web.csv) → record R027: match"),
        "{text}"
    );
    // The last line of the waterfall is the total; it equals links.csv's score.
    let total: f64 = text
        .lines()
        .find(|l| l.trim_start().starts_with("score "))
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    let links = read(&out.join("links.csv"));
    let row = links.lines().find(|l| l.contains(",W016,R027,")).unwrap();
    let score: f64 = row.split(',').nth(5).unwrap().parse().unwrap();
    assert!((total - score).abs() < 0.05, "waterfall {total} vs links.csv {score}");
    for personal in ["example.jp", "木村", "MA1112223"] {
        assert!(!text.contains(personal) && !links.contains(personal), "{personal} printed");
    }
    // A person id and a record id explain the same person; an unknown id is a usage error.
    let by_record = run(&["explain", "--result", out.to_str().unwrap(), "R027"]);
    assert_eq!(by_record.stdout, run(&["explain", "--result", out.to_str().unwrap(), "P0000025"]).stdout);
    let unknown = run(&["explain", "--result", out.to_str().unwrap(), "NOPE"]);
    assert_exit(&unknown, 2);
    assert!(stderr(&unknown).contains("a booking that no record matched"), "{}", stderr(&unknown));
}

#[test]
fn a_trained_model_file_is_reused_and_gives_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let recovered = "fixtures/generated/recovered.csv";
    let output = run(&["train", "--recovered", recovered, "--model", model.to_str().unwrap(), "--as-of", "2016-06-14"]);
    assert_exit(&output, 0);
    // 2,277 rows, none rejected.
    assert!(stderr(&output).contains("trained on 2277 records"), "{}", stderr(&output));
    let args = |out: &std::path::Path, extra: &[&str]| {
        let mut a: Vec<String> = ["run", "--recovered", recovered, "--bookings", "fixtures/generated/bookings"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(["--out".into(), out.to_str().unwrap().into(), "--as-of".into(), "2016-06-14".into(), "-q".into()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let (trained, from_file) = (dir.path().join("trained"), dir.path().join("file"));
    assert_exit(&run_owned(&args(&trained, &[])), 0);
    assert_exit(&run_owned(&args(&from_file, &["--model", model.to_str().unwrap()])), 0);
    for name in ["persons.csv", "affected.csv", "links.csv"] {
        assert_eq!(read(&trained.join(name)), read(&from_file.join(name)), "{name} differs");
    }
    let counts: serde_json::Value = serde_json::from_str(&read(&from_file.join("counts.json"))).unwrap();
    assert_eq!(counts["linkage"]["model"], "file");
    // Thresholds: a probability in % is accepted, a review threshold above the match threshold is not.
    assert_exit(&run_owned(&args(&dir.path().join("p"), &["--match-threshold", "99%"])), 0);
    let bad = run_owned(&args(&dir.path().join("q"), &["--match-threshold", "5", "--review-threshold", "8"]));
    assert_exit(&bad, 2);
    assert_exit(&run_owned(&args(&dir.path().join("r"), &["--match-threshold", "lots"])), 2);
    // A negative weight is a value, not a flag: the review threshold may sit below 0 bits.
    let low_review = dir.path().join("s");
    assert_exit(&run_owned(&args(&low_review, &["--review-threshold", "-3"])), 0);
    let low: serde_json::Value = serde_json::from_str(&read(&low_review.join("counts.json"))).unwrap();
    assert_eq!(low["linkage"]["review_threshold"], -3.0);
}

/// A leak file holding one row `copies` times, and one booking of that person.
fn identical_rows(dir: &std::path::Path, copies: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut text = String::from("record_id,氏名,フリガナ,生年月日,メールアドレス,電話番号\n");
    for i in 0..copies {
        text.push_str(&format!("R{i},山田太郎,ヤマダタロウ,1980-01-02,taro@example.jp,090-1111-2222\n"));
    }
    let (recovered, bookings) = (dir.join("recovered.csv"), dir.join("bookings.csv"));
    std::fs::write(&recovered, text).unwrap();
    std::fs::write(
        &bookings,
        "booking_id,channel,product,name_kanji,birth_date,email\nB1,JTBホームページ,国内宿泊,山田太郎,1980-01-02,taro@example.jp\n",
    )
    .unwrap();
    (recovered, bookings)
}

#[test]
fn identical_rows_are_one_affected_person_however_many_copies() {
    for copies in [1_000, 100_000] {
        let dir = tempfile::tempdir().unwrap();
        let (recovered, bookings) = identical_rows(dir.path(), copies);
        let out = dir.path().join("out");
        assert_exit(&run_job(&recovered, &bookings, &out), 0);
        let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
        assert_eq!(counts["persons"], 1, "{copies} copies");
        assert_eq!(counts["affected"], 1, "{copies} copies");
        assert_eq!(counts["linkage"]["exact_duplicates"], copies as u64 - 1);
        // Every record id is kept, in the one person's row.
        let persons = read(&out.join("persons.csv"));
        let record_ids = persons.lines().nth(1).unwrap().split(',').nth(3).unwrap();
        assert_eq!(record_ids.split(';').count(), copies, "{copies} copies");
    }
}

/// Booking rows past the first read batch (16,384 rows) are linked in slots
/// that earlier rows filled: a later booking carries its own id and email
/// only, whatever the slot held (here a long id and email of another person).
#[test]
fn a_booking_in_a_reused_slot_carries_only_its_own_id_and_email() {
    const FIRST_BATCH_ROWS: usize = 16_384;
    const LATER_ROWS: usize = 300;
    let recovered = "record_id,氏名,生年月日,電話番号\nR1,山田 太郎,1980-01-02,090-1111-2222\nR2,佐藤 花子,1975-05-06,03-3333-4444\n";
    let mut bookings = String::from("booking_id,channel,product,name_kanji,birth_date,phone,email\n");
    for i in 0..FIRST_BATCH_ROWS {
        bookings.push_str(&format!(
            "LONG-BOOKING-ID-{i:08},JTBホームページ,国内宿泊,山田 太郎,1980-01-02,090-1111-2222,\
             a-rather-long-address-{i}@example.jp\n"
        ));
    }
    for i in 0..LATER_ROWS {
        bookings.push_str(&format!("S{i},JTBホームページ,国内宿泊,佐藤 花子,1975-05-06,03-3333-4444,\n"));
    }
    let (_dir, out) = run_inline(recovered, &bookings);
    let mut rdr = csv::Reader::from_path(out.join("affected.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (records, emails, booking_ids) = (column("record_ids"), column("email"), column("booking_ids"));
    let hanako = rdr.records().map(Result::unwrap).find(|row| &row[records] == "R2").expect("R2 is affected");
    assert_eq!(&hanako[emails], "", "no email in her row or her bookings");
    let mut ids: Vec<&str> = hanako[booking_ids].split(';').collect();
    ids.sort_unstable();
    let mut expected: Vec<String> = (0..LATER_ROWS).map(|i| format!("S{i}")).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

/// A form's two phone and two email columns (自宅 and 携帯, PC and 携帯):
/// where the first is empty or `なし`, the second is the row's value, and
/// the booking that gives it in its one column links by it; so does a
/// mobile in the second beside a fixed line in the first.
#[test]
fn a_phone_or_email_in_its_second_column_links_where_the_first_is_empty() {
    let (_dir, out) = run_inline(
        "record_id,氏名,電話番号,携帯電話番号,メールアドレス,携帯メール\n\
         R1,,なし,090-1111-2222,,\n\
         R2,,,,,hanako@docomo.ne.jp\n\
         R3,,03-3333-4444,090-5555-6666,,\n\
         R4,,090-7777-8888,080-9999-0000,,\n",
        "booking_id,channel,product,name_kanji,phone,email\n\
         W1,JTBホームページ,国内宿泊,山田 太郎,09011112222,\n\
         W2,JTBホームページ,国内宿泊,佐藤 花子,,hanako@docomo.ne.jp\n\
         W3,JTBホームページ,国内宿泊,鈴木 一郎,09055556666,\n\
         W4,JTBホームページ,国内宿泊,田中 次郎,08099990000,\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R3"), "affected", "{persons}");
    // Two mobiles: the first is the row's (a record holds one number), and
    // the booking's other number of the customer links nothing.
    assert_eq!(status_of(&persons, "R4"), "unmatched", "{persons}");
}
