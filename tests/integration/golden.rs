//! fixtures/basic (every rule case of SPEC section 5; see its README) against
//! the golden files in fixtures/basic/expected/, and the properties every
//! result folder must have.

use std::os::unix::fs::PermissionsExt;

use crate::util::*;

fn basic_run() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let output = run_owned(&basic_args(&out));
    assert_exit(&output, 0);
    (dir, out)
}

#[test]
fn basic_fixture_matches_the_golden_files() {
    let (_dir, out) = basic_run();
    for name in RESULT_FILES {
        assert_golden(&out.join(name), &format!("fixtures/basic/expected/{name}"));
    }
}

#[test]
fn the_report_is_self_contained_and_shows_the_affected_count() {
    let (_dir, out) = basic_run();
    let html = read(&out.join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    assert!(html.contains("11 affected"), "the summary line names the affected count");
    for forbidden in ["<script", "http://", "https://", "example.jp"] {
        assert!(!html.contains(forbidden), "report.html contains {forbidden}");
    }
}

#[test]
fn rows_read_equal_rows_used_plus_rows_rejected() {
    let (_dir, out) = basic_run();
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    let n = |key: &str| counts[key].as_u64().unwrap_or_else(|| panic!("{key} missing"));
    assert_eq!(n("recovered_rows"), n("recovered_used") + n("recovered_rejected"));
    assert_eq!(n("booking_rows"), n("booking_used") + n("booking_rejected"));
    let rejects = read(&out.join("rejects.csv"));
    assert_eq!(rejects.lines().count() as u64 - 1, n("recovered_rejected") + n("booking_rejected"));
    assert_eq!(n("persons"), n("affected") + n("excluded") + n("review") + n("unmatched"));
}

#[test]
fn result_files_are_private_and_no_staging_folder_is_left() {
    let (dir, out) = basic_run();
    for name in RESULT_FILES {
        let mode = std::fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
}

#[test]
fn passport_numbers_appear_only_with_include_sensitive() {
    let (_dir, out) = basic_run();
    for name in RESULT_FILES {
        let text = read(&out.join(name));
        assert!(!text.contains("TK1234567") && !text.contains("TR1112223"), "{name} leaks a passport number");
    }
    let dir = tempfile::tempdir().unwrap();
    let sensitive = dir.path().join("out");
    let mut args = basic_args(&sensitive);
    args.push("--include-sensitive".into());
    assert_exit(&run_owned(&args), 0);
    let affected = read(&sensitive.join("affected.csv"));
    assert!(affected.lines().next().unwrap().ends_with(",passport_numbers"));
    assert!(affected.contains("TK1234567"));
}

#[test]
fn expect_passes_on_equal_counts_and_exits_3_naming_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = basic_args(&dir.path().join("out"));
    args.extend(["--expect".into(), "fixtures/basic/expected/counts.json".into()]);
    assert_exit(&run_owned(&args), 0);

    let wrong = dir.path().join("wrong.json");
    std::fs::write(&wrong, r#"{"affected": 999, "persons": 30}"#).unwrap();
    let mut args = basic_args(&dir.path().join("out2"));
    args.extend(["--expect".into(), wrong.to_str().unwrap().into()]);
    let output = run_owned(&args);
    assert_exit(&output, 3);
    let message = stderr(&output);
    assert!(message.contains("affected: expected 999, got 11") && !message.contains("persons:"), "{message}");
    // The result is still written: the analyst can look at what differs.
    assert!(dir.path().join("out2/counts.json").exists());
}

#[test]
fn affected_stream_on_stdout_equals_the_file_and_jsonl_has_one_line_per_person() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args.extend(["--affected".into(), "-".into()]);
    let output = run_owned(&args);
    assert_exit(&output, 0);
    assert_eq!(output.stdout, std::fs::read(out.join("affected.csv")).unwrap());

    args.extend(["--format".into(), "jsonl".into()]);
    let output = run_owned(&args);
    assert_exit(&output, 0);
    let lines: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[0]["person_id"], "P0000001");
    assert_eq!(lines[0]["record_ids"], serde_json::json!(["R001", "R002", "R003"]));
}

#[test]
fn stdout_is_empty_and_stderr_has_no_personal_data_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = basic_args(&dir.path().join("out"));
    args.retain(|a| a != "--quiet");
    let output = run_owned(&args);
    assert_exit(&output, 0);
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert!(message.contains("affected") && message.contains("11"), "summary expected: {message}");
    for personal in ["example.jp", "山田", "TK1234567", "090"] {
        assert!(!message.contains(personal), "stderr shows {personal}: {message}");
    }
}

#[test]
fn a_failed_run_leaves_the_previous_result_untouched() {
    let (dir, out) = basic_run();
    let before: Vec<Vec<u8>> = RESULT_FILES.iter().map(|n| std::fs::read(out.join(n)).unwrap()).collect();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "予約番号,氏名\nX1,山田\n").unwrap();
    let mut args = basic_args(&out);
    let at = args.iter().position(|a| a == "fixtures/basic/bookings").unwrap();
    args[at] = bad.to_str().unwrap().into();
    assert_exit(&run_owned(&args), 1);
    let after: Vec<Vec<u8>> = RESULT_FILES.iter().map(|n| std::fs::read(out.join(n)).unwrap()).collect();
    assert!(before == after, "the previous result changed");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "a staging folder was left: {names:?}");
}

#[test]
fn a_second_run_replaces_an_existing_result() {
    let (_dir, out) = basic_run();
    std::fs::write(out.join("counts.json"), "stale").unwrap();
    assert_exit(&run_owned(&basic_args(&out)), 0);
    assert_golden(&out.join("counts.json"), "fixtures/basic/expected/counts.json");
}

#[test]
fn the_printed_default_rules_used_as_a_rules_file_give_the_same_result() {
    let output = run(&["rules"]);
    assert_exit(&output, 0);
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, &output.stdout).unwrap();
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args.extend(["--rules".into(), rules.to_str().unwrap().into()]);
    assert_exit(&run_owned(&args), 0);
    assert_golden(&out.join("affected.csv"), "fixtures/basic/expected/affected.csv");
}

#[test]
fn a_rules_file_can_change_who_is_affected() {
    let dir = tempfile::tempdir().unwrap();
    let default_rules = String::from_utf8(run(&["rules"]).stdout).unwrap();
    // Treat unknown channels as online: 小林 (電話予約センター) becomes affected.
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, default_rules.replace("unknown = \"review\"", "unknown = \"online\"")).unwrap();
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args.extend(["--rules".into(), rules.to_str().unwrap().into()]);
    assert_exit(&run_owned(&args), 0);
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["affected"], 12);
    assert_eq!(counts["review"], 0);
}

#[test]
fn excel_writes_every_result_csv_with_a_bom_and_crlf_and_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, excel) = (dir.path().join("plain"), dir.path().join("excel"));
    assert_exit(&run_owned(&basic_args(&plain)), 0);
    let mut args = basic_args(&excel);
    args.push("--excel".into());
    assert_exit(&run_owned(&args), 0);
    for name in RESULT_FILES.iter().filter(|n| n.ends_with(".csv")) {
        let bytes = std::fs::read(excel.join(name)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}: no BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "{name}: not CRLF");
        // Quoted cells may hold line ends of their own; none do here.
        assert_eq!(text.replace("\r\n", "\n"), read(&plain.join(name)), "{name}: other cells");
    }
}

/// Runs the main job on `recovered` and `bookings` (CSV texts) with
/// `--affected - --one-per-email`: the lines on stdout, and the result folder.
fn one_per_email(dir: &std::path::Path, recovered: &str, bookings: &str) -> (Vec<String>, std::path::PathBuf) {
    let (recovered_csv, bookings_csv) = (dir.join("r.csv"), dir.join("b.csv"));
    std::fs::write(&recovered_csv, recovered).unwrap();
    std::fs::write(&bookings_csv, bookings).unwrap();
    let out = dir.join("out");
    let output = run_job_with(&recovered_csv, &bookings_csv, &out, &["--affected", "-", "--one-per-email"]);
    assert_exit(&output, 0);
    (String::from_utf8(output.stdout).unwrap().lines().map(String::from).collect(), out)
}

#[test]
fn one_per_email_sends_a_family_one_mail_and_no_email_lists_the_letters() {
    let dir = tempfile::tempdir().unwrap();
    let (lines, out) = one_per_email(
        dir.path(),
        "record_id,氏名,生年月日,メールアドレス,郵便番号,住所\n\
         R1,山田太郎,1970-01-02,family@example.jp,100-0001,東京都千代田区千代田1-1\n\
         R2,山田花子,1972-03-04,family@example.jp,100-0001,東京都千代田区千代田1-1\n\
         R3,佐藤一郎,1980-05-06,,530-0001,大阪府大阪市北区梅田1-2-3\n",
        "booking_id,channel,product,氏名,生年月日\n\
         B1,JTBホームページ,国内宿泊,山田太郎,1970-01-02\n\
         B2,JTBホームページ,国内宿泊,山田花子,1972-03-04\n\
         B3,JTBホームページ,国内宿泊,佐藤一郎,1980-05-06\n",
    );
    assert_eq!(
        lines,
        [
            "email,person_ids,names_kanji,names_kana,names_romaji",
            "family@example.jp,P0000001;P0000002,山田太郎;山田花子,;,;"
        ]
    );
    let no_email = read(&out.join("no_email.csv"));
    assert_eq!(
        no_email.lines().nth(1),
        Some("P0000003,佐藤一郎,,,530-0001,大阪府大阪市北区梅田1-2-3,R3"),
        "{no_email}"
    );
}

#[test]
fn one_per_email_names_no_stranger_to_another_at_a_shared_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    // A family and, at the same dummy mailbox that staff typed, customers
    // of other surnames (kanji, and kana only) who are no relatives.
    let (lines, _) = one_per_email(
        dir.path(),
        "record_id,氏名,フリガナ,生年月日,メールアドレス\n\
         R1,山田 太郎,,1970-01-02,none@none.jp\n\
         R2,鈴木 次郎,,1965-07-08,none@none.jp\n\
         R3,山田 花子,,1972-03-04,none@none.jp\n\
         R4,,サトウ ミキ,1990-09-09,none@none.jp\n",
        "booking_id,channel,product,氏名,フリガナ,生年月日\n\
         B1,JTBホームページ,国内宿泊,山田 太郎,,1970-01-02\n\
         B2,JTBホームページ,国内宿泊,鈴木 次郎,,1965-07-08\n\
         B3,JTBホームページ,国内宿泊,山田 花子,,1972-03-04\n\
         B4,JTBホームページ,国内宿泊,,サトウ ミキ,1990-09-09\n",
    );
    assert_eq!(
        lines,
        [
            "email,person_ids,names_kanji,names_kana,names_romaji",
            "none@none.jp,P0000001;P0000003,山田 太郎;山田 花子,;,;",
            "none@none.jp,P0000002,鈴木 次郎,,",
            "none@none.jp,P0000004,,サトウ ミキ,",
        ]
    );
}

#[test]
fn one_per_email_gives_each_of_more_persons_than_a_household_a_mail() {
    let dir = tempfile::tempdir().unwrap();
    let given = ["一郎", "二郎", "三郎", "四郎", "五郎", "六郎", "七郎", "八郎", "九郎", "十郎", "花子"];
    // The mailbox is the bookings' only: the recovered rows, which would
    // make it no one's to mail at all (`common_contacts`), do not give it.
    let (mut recovered, mut bookings) = (
        "record_id,氏名,生年月日\n".to_string(),
        "booking_id,channel,product,氏名,生年月日,メールアドレス\n".to_string(),
    );
    for (i, name) in given.iter().enumerate() {
        recovered.push_str(&format!("R{i},佐藤 {name},1980-01-{:02}\n", i + 1));
        bookings.push_str(&format!("B{i},JTBホームページ,国内宿泊,佐藤 {name},1980-01-{:02},none@none.jp\n", i + 1));
    }
    let (lines, _) = one_per_email(dir.path(), &recovered, &bookings);
    // Eleven persons of one surname under one mailbox are no household.
    assert_eq!(lines.len(), 1 + given.len(), "{lines:?}");
    assert!(lines[1..].iter().all(|line| line.matches("P0").count() == 1), "{lines:?}");
}

#[test]
fn the_report_has_every_section_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, sections) in [
        (
            "en",
            [
                "Funnel",
                "Status",
                "Affected persons by channel",
                "Passports",
                "Inputs",
                "Match weights",
                "The model: weight of each comparison level",
                "Data quality (share of used rows)",
                "Unusable values",
            ],
        ),
        (
            "ja",
            [
                "件数の流れ",
                "判定",
                "販売チャネル別の通知対象者",
                "旅券",
                "入力",
                "照合スコアの分布",
                "モデル: 比較の段階ごとの重み",
                "データの状態（使用した行に占める割合）",
                "使えない値",
            ],
        ),
    ] {
        let out = dir.path().join(lang);
        let mut args = basic_args(&out);
        args.extend(["--lang".into(), lang.into()]);
        assert_exit(&run_owned(&args), 0);
        let html = read(&out.join("report.html"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        for section in sections {
            assert!(html.contains(&format!("<h2>{section}</h2>")), "{lang}: no section {section}");
        }
    }
}
