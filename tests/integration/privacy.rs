//! No personal data on any stream: a unique marker in every field of good
//! and bad rows of both inputs appears in no line leakmatch prints (stdout
//! without `--affected -`, stderr with or without progress and summary, its
//! error messages), for `run`, `values` and `explain`.

use std::path::Path;

use crate::util::*;

const MARKER: &str = "ZQXMARK";

/// A recovered file and a booking file whose every cell but the ids holds
/// the marker (ids are what outputs cite), with good rows, a row with a
/// missing cell and a row with a bad byte.
fn marked_inputs(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let m = MARKER;
    let mut recovered = format!(
        "record_id,氏名,フリガナ,氏名ローマ字,性別,生年月日,メールアドレス,住所,郵便番号,電話番号,旅券番号,旅券発行日\n\
         R1,山田{m},ヤマダ{m},YAMADA {m},男{m},1980-01-0{m},{m}@example.jp,東京都{m}1-2-3,100{m},090{m},TK{m},2014{m}\n\
         R2,山田太郎,ヤマダタロウ,,男,1980-01-02,taro@{m}.jp,東京都千代田区1-2-3,100-0001,090-1111-2222,TK1234567,2014-01-01\n\
         R3,{m},{m}\n"
    )
    .into_bytes();
    recovered.extend_from_slice(format!("R4,\u{5c71}{m}").as_bytes());
    recovered.extend_from_slice(b"\xff,,,,,,,,,,\n");
    let bookings = format!(
        "booking_id,channel,booking_method,payment_place,product,氏名,生年月日,メールアドレス,電話番号\n\
         B1,JTBホームページ,ネット,オンライン,国内宿泊,山田太郎,1980-01-02,taro@{m}.jp,090-1111-2222\n\
         B2,{m}チャネル,{m},{m},{m},{m},{m},{m},{m}\n\
         ,JTB店舗,店頭,店舗,国内宿泊,{m},1980-01-02,x@{m}.jp,{m}\n\
         B4,{m}\n"
    );
    let (r, b) = (dir.join("recovered.csv"), dir.join("bookings.csv"));
    std::fs::write(&r, recovered).unwrap();
    std::fs::write(&b, bookings).unwrap();
    (r, b)
}

fn assert_unmarked(output: &std::process::Output, what: &str) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(MARKER), "{what}: the marker is on {stream}:\n{text}");
    }
}

#[test]
fn no_personal_value_reaches_any_stream_or_message() {
    let dir = tempfile::tempdir().unwrap();
    let (recovered, bookings) = marked_inputs(dir.path());
    let out = dir.path().join("out");
    let base = |extra: &[&str]| {
        let mut args = job_args(&recovered, &bookings, &out);
        args.extend(extra.iter().map(|s| s.to_string()));
        run_owned(&args)
    };
    // With the summary (no -q) and quiet.
    for extra in [&[][..], &["-q"][..]] {
        let output = base(extra);
        assert_exit(&output, 0);
        assert_unmarked(&output, "run");
    }
    // An error that compares the data's figures: an --expect mismatch.
    let expect = dir.path().join("expect.json");
    std::fs::write(&expect, "{\"affected\": 999}").unwrap();
    let output = base(&["-q", "--expect", expect.to_str().unwrap()]);
    assert_exit(&output, 3);
    assert_unmarked(&output, "run --expect");
    // explain prints ids and levels only.
    for id in ["P0000001", "B1", "R2"] {
        assert_unmarked(&run(&["explain", "--result", out.to_str().unwrap(), id]), "explain");
    }
    // The rejects name their reasons by column, never by value.
    let rejects = read(&out.join("rejects.csv"));
    for line in rejects.lines().skip(1) {
        let reason = line.split(',').nth(3).unwrap_or_default();
        assert!(!reason.contains(MARKER), "a reason holds a value: {line}");
    }
    // values prints business values only: the marked channel and product are
    // values of the export, and are the analyst's to see, so it is checked on
    // stderr alone.
    let output = run(&["values", "--bookings", bookings.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(!String::from_utf8_lossy(&output.stderr).contains(MARKER));
}
