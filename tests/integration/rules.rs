//! The notification rules end to end, on the values store and web systems
//! really write: each case is one person of the leak with one booking of
//! their own, all in one run; the expected status is what the notice says.
//! Also `leakmatch values` against its golden files, and `explain` on a
//! booking's rule decision.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::*;

/// (channel, booking_method, payment_place, product) → (status, reasons).
const CASES: &[([&str; 4], &str, &str)] = &[
    (["JTB店舗", "ネット予約", "店舗", "国内ツアー"], "affected", "online;paid_in_store"),
    (["JTB店舗", "オンライン", "店舗", "国内ツアー"], "affected", "online;paid_in_store"),
    (["JTB店舗", "WEB予約", "店舗", "国内ツアー"], "affected", "online;paid_in_store"),
    (["JTB店舗", "", "ネット予約・店舗精算", "国内ツアー"], "affected", "online;paid_in_store"),
    (["JTB店舗", "FAX", "店舗", "国内ツアー"], "review", "unknown_booking_method"),
    (["JTBホームページ", "ネット", "店頭精算", "国内宿泊"], "affected", "online;paid_in_store"),
    (["JTBホームページ", "ネット", "オンライン", "海外旅行保険"], "excluded", "product"),
    (["JTBホームページ", "ネット", "オンライン", "旅行積立"], "excluded", "product"),
    (["JTBホームページ", "ネット", "オンライン", "JTB旅物語（国内）"], "excluded", "product"),
    (["JTBホームページ", "ネット", "オンライン", "レジャーチケット（USJ）"], "excluded", "product"),
    (["JTBホームページ", "ネット", "オンライン", "高速バス(夜行)"], "excluded", "product"),
    (["JTBホームページ", "ネット", "オンライン", "海外ダイナミックパッケ－ジ"], "excluded", "product"),
    (["ﾙﾙﾌﾞﾄﾗﾍﾞﾙ", "ネット", "オンライン", "国内宿泊"], "affected", "online"),
    (["ルルブトラベル", "ネット", "オンライン", "国内宿泊"], "affected", "online"),
    (["JTBホ-ムペ-ジ", "ネット", "オンライン", "国内宿泊"], "affected", "online"),
    (["JTBホ－ムペ－ジ", "ネット", "オンライン", "国内宿泊"], "affected", "online"),
    (["", "ネット", "オンライン", "国内宿泊"], "review", "missing_channel"),
    (["JAPANiCAN", "", "", "国内宿泊"], "affected", "online"),
    (["Japanican", "", "", "国内宿泊"], "affected", "online"),
    (["japanican", "", "", "国内宿泊"], "affected", "online"),
];

/// Distinct kanji for the persons' names (one person per case).
const NAME_PARTS: &str = "一二三四五六七八九十百千万寿福禄松竹梅桜菊";

/// Writes a leak file and a booking export with one person per case (the
/// last one with a passport issue date but no passport number); returns
/// their paths.
fn write_cases(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut recovered = String::from("record_id,氏名,生年月日,メールアドレス,旅券番号,旅券発行日\n");
    let mut bookings = String::from("予約番号,販売チャネル,予約方法,精算場所,商品,氏名,生年月日,メールアドレス\n");
    let parts: Vec<char> = NAME_PARTS.chars().collect();
    for (i, (values, _, _)) in CASES.iter().enumerate() {
        let name = format!("山田{}郎", parts[i]);
        let birth = format!("1970-01-{:02}", i + 1);
        let email = format!("case{i}@example.jp");
        let issue = if i + 1 == CASES.len() { "2014-01-01" } else { "" };
        recovered.push_str(&format!("R{i:02},{name},{birth},{email},,{issue}\n"));
        let [channel, method, place, product] = values;
        bookings.push_str(&format!("B{i:02},{channel},{method},{place},{product},{name},{birth},{email}\n"));
    }
    let (recovered_path, bookings_path) = (dir.join("recovered.csv"), dir.join("bookings.csv"));
    std::fs::write(&recovered_path, recovered).unwrap();
    std::fs::write(&bookings_path, bookings).unwrap();
    (recovered_path, bookings_path)
}

/// persons.csv of a run as record id → (status, reasons, passport_status).
fn statuses(out: &Path) -> BTreeMap<String, (String, String, String)> {
    let mut rdr = csv::Reader::from_path(out.join("persons.csv")).unwrap();
    rdr.records()
        .map(|row| {
            let row = row.unwrap();
            (row[3].to_string(), (row[1].to_string(), row[2].to_string(), row[6].to_string()))
        })
        .collect()
}

#[test]
fn real_export_values_decide_as_the_notice_says() {
    let dir = tempfile::tempdir().unwrap();
    let (recovered, bookings) = write_cases(dir.path());
    let out = dir.path().join("out");
    assert_exit(&run_job(&recovered, &bookings, &out), 0);
    let got = statuses(&out);
    let mut failures = Vec::new();
    for (i, (values, status, reasons)) in CASES.iter().enumerate() {
        let (got_status, got_reasons, _) = &got[&format!("R{i:02}")];
        if (got_status.as_str(), got_reasons.as_str()) != (*status, *reasons) {
            failures.push(format!("{values:?}: {got_status} ({got_reasons}), expected {status} ({reasons})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // No row was rejected: the empty channel is kept and goes to review.
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["booking_rejected"], 0);
    assert_eq!(counts["bookings_without_channel"], 1);
    assert_eq!(counts["unknown_booking_methods"], serde_json::json!({"fax": 1}));
    // One channel, one key, under the rules' canonical names.
    let by_channel = counts["affected_by_channel"].as_object().unwrap();
    assert_eq!(by_channel["JAPANiCAN"], 3);
    assert_eq!(by_channel["るるぶトラベル"], 2);
    assert_eq!(by_channel.keys().filter(|k| k.to_lowercase().contains("japanican")).count(), 1);
    // An issue date without a passport number is no passport.
    let last = format!("R{:02}", CASES.len() - 1);
    assert_eq!(got[&last].2, "none");
    assert_eq!(counts["passports_valid"], 0);
}

#[test]
fn explain_gives_a_bookings_rule_decision_in_words_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_owned(&basic_args(&out)), 0);
    let output = run(&["explain", "--result", out.to_str().unwrap(), "S004"]);
    assert_exit(&output, 0);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("rules: booked online and paid in a store"), "{text}");
    for line in ["channel          JTB店舗", "booking_method   ネット", "payment_place    店舗"] {
        assert!(text.lines().any(|l| l.trim_start().starts_with(line.trim_start())), "{line}\n{text}");
    }
    let output = run(&["explain", "--result", out.to_str().unwrap(), "P0000009"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("the rules cannot decide (unknown_channel)"), "{text}");
}

#[test]
fn exports_that_each_number_their_bookings_from_one_keep_each_bookings_own_decision() {
    // The web export and the store export both have a booking 1, of two
    // customers; the store export gives its booking 2 twice (a repeated row).
    let dir = tempfile::tempdir().unwrap();
    let bookings = dir.path().join("bookings");
    std::fs::create_dir(&bookings).unwrap();
    let recovered = dir.path().join("recovered.csv");
    std::fs::write(
        &recovered,
        "record_id,name_kana,birth_date\nR1,サトウ タロウ,1980-01-02\nR2,スズキ ハナコ,1975-05-06\n\
         R2,タナカ ジロウ,1990-03-04\n",
    )
    .unwrap();
    std::fs::write(
        bookings.join("web.csv"),
        "booking_id,channel,name_kana,birth_date\n1,JTBホームページ,サトウ タロウ,1980-01-02\n",
    )
    .unwrap();
    std::fs::write(
        bookings.join("store.csv"),
        "booking_id,channel,name_kana,birth_date\n1,JTB店舗,スズキ ハナコ,1975-05-06\n\
         2,JTB店舗,タナカ ジロウ,1990-03-04\n2,JTB店舗,タナカ ジロウ,1990-03-04\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run_job_with(&recovered, &bookings, &out, &[]);
    assert_exit(&output, 0);
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    // R2 twice; store.csv's booking 2 twice (web.csv's 1 and store.csv's 1
    // are told apart by their file).
    assert_eq!((counts["repeated_record_ids"].as_u64(), counts["repeated_booking_ids"].as_u64()), (Some(1), Some(1)));
    let warnings = stderr(&output);
    assert!(warnings.contains("1 recovered row(s) have the record_id of an earlier row"), "{warnings}");
    assert!(warnings.contains("1 linked booking row(s) have the booking_id of an earlier row"), "{warnings}");
    let decisions = read(&out.join("bookings.csv"));
    let web = bookings.join("web.csv");
    assert!(decisions.lines().any(|l| l.starts_with("1,JTBホームページ,") && l.ends_with(web.to_str().unwrap())));
    let text = String::from_utf8(run(&["explain", "--result", out.to_str().unwrap(), "1"]).stdout).unwrap();
    // Each person under the decision of its own booking 1.
    let after = |heading: &str| text.split(heading).nth(1).unwrap_or_default().to_string();
    let affected = after("status           affected");
    let excluded = after("status           excluded");
    let words = |part: &str| part.lines().find(|l| l.starts_with("  rules: ")).unwrap_or_default().to_string();
    assert!(words(&affected).contains("booked online"), "{text}");
    assert!(words(&excluded).contains("a store booking"), "{text}");
    assert!(text.contains("web.csv) → record R1") && text.contains("store.csv) → record R2"), "{text}");
    let text = String::from_utf8(run(&["explain", "--result", out.to_str().unwrap(), "2"]).stdout).unwrap();
    assert!(text.contains("rules: 2 rows of ") && text.contains("(1 distinct decision(s) below)"), "{text}");
}

#[test]
fn values_lists_every_value_of_the_basic_fixture_as_the_golden_files_say() {
    for (format, golden) in [("text", "values.txt"), ("csv", "values.csv")] {
        let mut outputs = Vec::new();
        for threads in ["1", "2"] {
            let output = run(&[
                "values",
                "--bookings",
                "fixtures/basic/bookings",
                "--format",
                format,
                "--threads",
                threads,
                "-q",
            ]);
            assert_exit(&output, 0);
            outputs.push(output.stdout);
        }
        assert_eq!(outputs[0], outputs[1], "--threads 1 and 2 differ ({format})");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(golden);
        std::fs::write(&path, &outputs[0]).unwrap();
        assert_golden(&path, &format!("fixtures/basic/expected/{golden}"));
    }
}

#[test]
fn values_flags_unknown_values_first_and_reads_a_draft_rules_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bookings) = write_cases(dir.path());
    let output = run(&["values", "--bookings", bookings.to_str().unwrap(), "--format", "csv", "-q"]);
    assert_exit(&output, 0);
    let text = String::from_utf8(output.stdout).unwrap();
    let methods: Vec<&str> = text.lines().filter(|l| l.starts_with("booking_method,")).collect();
    assert!(methods[0].starts_with("booking_method,fax,1,unknown,"), "{methods:?}");
    // A draft rules file that lists FAX as a store method: no longer unknown.
    let rules = std::fs::read_to_string(root().join("src/rules/default_rules.toml"))
        .unwrap()
        .replace("store = [\n  \"店頭\",", "store = [\n  \"FAX\", \"店頭\",");
    assert!(rules.contains("\"FAX\""), "the replacement found its place");
    let rules_path = dir.path().join("draft.toml");
    std::fs::write(&rules_path, rules).unwrap();
    let output = run(&[
        "values",
        "--bookings",
        bookings.to_str().unwrap(),
        "--rules",
        rules_path.to_str().unwrap(),
        "--format",
        "csv",
        "-q",
    ]);
    assert_exit(&output, 0);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with("booking_method,fax,1,store,FAX,")), "{text}");
}

#[test]
fn values_reads_an_export_without_customer_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.csv");
    std::fs::write(&path, "販売チャネル,予約方法,精算場所,商品\nJTB店舗,電話,店舗,国内ツアー\n").unwrap();
    let output = run(&["values", "--bookings", path.to_str().unwrap(), "--format", "csv", "-q"]);
    assert_exit(&output, 0);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("booking_method,電話,1,unknown,"), "{text}");
    // Without a channel column there is nothing to classify: an error naming the headers.
    std::fs::write(&path, "予約方法,商品\n電話,国内ツアー\n").unwrap();
    let output = run(&["values", "--bookings", path.to_str().unwrap(), "-q"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("channel") && stderr(&output).contains("予約方法, 商品"), "{}", stderr(&output));
}

#[test]
fn rejects_cite_the_physical_line_for_lf_crlf_and_cr_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let bookings = root().join("fixtures/basic/bookings");
    for (name, newline) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let rows = [
            "record_id,氏名,メールアドレス",
            "1,山田太郎,a@example.jp",
            "2,x",
            "3,\"佐藤{NL}花子\",b@example.jp",
            "4,y",
        ];
        let text = rows.join(newline).replace("{NL}", newline) + newline;
        let recovered = dir.path().join(format!("{name}.csv"));
        std::fs::write(&recovered, text).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        assert_exit(&run_job(&recovered, &bookings, &out), 0);
        let mut rdr = csv::Reader::from_path(out.join("rejects.csv")).unwrap();
        let rejects: Vec<(String, String)> = rdr
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[0] == "recovered")
            .map(|r| (r[2].to_string(), r[4].to_string()))
            .collect();
        assert_eq!(rejects, vec![("3".into(), "2,x".into()), ("6".into(), "4,y".into())], "{name}");
    }
}
