//! Encodings and delimiters: CP932 detected or forced, UTF-8 with a BOM, a
//! bad byte rejected with its line and column, TSV by extension.

use std::path::Path;

use crate::util::*;

fn run_into(out: &Path, recovered: &str, bookings: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "--recovered",
        recovered,
        "--bookings",
        bookings,
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2016-06-14",
        "-q",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn the_cp932_copy_gives_the_same_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (utf8, cp932) = (dir.path().join("utf8"), dir.path().join("cp932"));
    assert_exit(&run_into(&utf8, "fixtures/basic/recovered.csv", "fixtures/basic/bookings", &[]), 0);
    assert_exit(&run_into(&cp932, "fixtures/basic/recovered_cp932.csv", "fixtures/basic/bookings", &[]), 0);
    for name in ["affected.csv", "persons.csv", "review.csv"] {
        assert_eq!(read(&utf8.join(name)), read(&cp932.join(name)), "{name}");
    }
    // counts.json too, but for the encoding each input was read as.
    let split = |dir: &std::path::Path| -> (serde_json::Value, serde_json::Value) {
        let mut value: serde_json::Value = serde_json::from_str(&read(&dir.join("counts.json"))).unwrap();
        let encodings = value.as_object_mut().unwrap().remove("input_encodings").unwrap();
        (value, encodings)
    };
    let ((utf8_counts, utf8_encodings), (cp932_counts, cp932_encodings)) = (split(&utf8), split(&cp932));
    assert_eq!(utf8_encodings["fixtures/basic/recovered.csv"], "UTF-8");
    assert_eq!(cp932_encodings["fixtures/basic/recovered_cp932.csv"], "CP932");
    assert_eq!(utf8_counts, cp932_counts, "counts.json");
    // rejects.csv differs only in the file name it cites.
    let cp932_rejects = read(&cp932.join("rejects.csv")).replace("recovered_cp932.csv", "recovered.csv");
    assert_eq!(read(&utf8.join("rejects.csv")), cp932_rejects);
}

#[test]
fn forcing_cp932_works_and_forcing_utf8_on_cp932_fails_at_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let forced = dir.path().join("forced");
    // --encoding applies to every input: japanican.csv is pure ASCII, which
    // reads the same in CP932.
    let output = run_into(
        &forced,
        "fixtures/basic/recovered_cp932.csv",
        "fixtures/basic/bookings/japanican.csv",
        &["--encoding", "cp932"],
    );
    assert_exit(&output, 0);
    let output = run_into(
        &dir.path().join("x"),
        "fixtures/basic/recovered_cp932.csv",
        "fixtures/basic/bookings",
        &["--encoding", "utf-8"],
    );
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(message.contains("recovered_cp932.csv: line 1, column 1: the header is not valid UTF-8"), "{message}");
}

#[test]
fn one_invalid_pair_in_a_cp932_file_rejects_that_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.csv");
    let mut bytes = std::fs::read(root().join("fixtures/basic/recovered_cp932.csv")).unwrap();
    // A row whose name holds the invalid pair 81 7F.
    bytes.extend_from_slice(b"R099,\x81\x7f,,,,1999-09-09,bad@example.jp,,,,,\r\n");
    std::fs::write(&recovered, bytes).unwrap();
    let out = dir.path().join("out");
    let output = run_into(&out, recovered.to_str().unwrap(), "fixtures/basic/bookings", &[]);
    assert_exit(&output, 0);
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["input_encodings"][recovered.to_str().unwrap()], "CP932");
    // The fixture's two rejects and the bad row; the other 32 rows are used.
    assert_eq!(counts["recovered_rejected"], 3);
    assert_eq!(counts["recovered_used"], 32);
    let rejects = read(&out.join("rejects.csv"));
    assert!(rejects.contains("bytes that are not valid CP932"), "{rejects}");
}

#[test]
fn a_bad_utf8_byte_rejects_its_row_citing_line_and_column_only() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.csv");
    let mut bytes = "\u{feff}id,氏名,email,生年月日\n1,山田太郎,a@example.jp,1980-01-02\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"2,\xe5\xb1,secret@example.jp,1980-01-02\n");
    std::fs::write(&recovered, bytes).unwrap();
    let out = dir.path().join("out");
    let output = run_into(&out, recovered.to_str().unwrap(), "fixtures/basic/bookings", &[]);
    assert_exit(&output, 0);
    let rejects = read(&out.join("rejects.csv"));
    let row = rejects.lines().nth(1).expect("one reject");
    assert!(row.contains(",3,column 2 (氏名): bytes that are not valid UTF-8,"), "{row}");
    let counts = read(&out.join("counts.json"));
    assert!(counts.contains("\"recovered_rows\": 2") && counts.contains("\"recovered_rejected\": 1"), "{counts}");
    assert!(!stderr(&output).contains("secret"));
}

#[test]
fn a_bom_is_ignored_and_tsv_is_read_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.tsv");
    std::fs::write(&recovered, "\u{feff}email\t生年月日\nnaoki.n@example.jp\t1988-08-08\n").unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_into(&out, recovered.to_str().unwrap(), "fixtures/basic/bookings", &[]), 0);
    let persons = read(&out.join("persons.csv"));
    assert!(persons.contains("P0000001,affected,online;paid_in_store,1,S004"), "{persons}");
}

#[test]
fn an_explicit_delimiter_and_map_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.txt");
    std::fs::write(&recovered, "連絡先;誕生日\nnaoki.n@example.jp;1988/8/8\n").unwrap();
    // --delimiter applies to every input file.
    let bookings = dir.path().join("b.txt");
    std::fs::write(
        &bookings,
        "予約番号;販売チャネル;予約方法;email;dob\nS1;JTB店舗;ネット;naoki.n@example.jp;1988-08-08\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run_into(
        &out,
        recovered.to_str().unwrap(),
        bookings.to_str().unwrap(),
        &["--delimiter", ";", "--map", "email=連絡先", "--map", "birth_date=誕生日"],
    );
    assert_exit(&output, 0);
    assert!(read(&out.join("counts.json")).contains("\"affected\": 1,"));
}

#[test]
fn cp932_output_writes_geta_for_what_it_cannot_hold_and_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (recovered, bookings) = (dir.path().join("r.csv"), dir.path().join("b.csv"));
    std::fs::write(&recovered, "record_id,氏名,生年月日,メールアドレス\nR1,𠮷田 髙子,1970-01-02,y@example.jp\n")
        .unwrap();
    std::fs::write(
        &bookings,
        "booking_id,channel,product,氏名,生年月日,メールアドレス\nB1,JTBホームページ,国内宿泊,𠮷田 髙子,1970-01-02,y@example.jp\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run_into(
        &out,
        recovered.to_str().unwrap(),
        bookings.to_str().unwrap(),
        &["--output-encoding", "cp932", "--excel"],
    );
    assert_exit(&output, 0);
    let bytes = std::fs::read(out.join("affected.csv")).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM in CP932");
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors && text.contains("〓田 髙子") && text.contains("\r\n"), "{text}");
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["output_unencodable"]["affected.csv"]["name_kanji"], 1, "{counts}");
    assert!(stderr(&output).contains("affected.csv, column name_kanji: 1 characters CP932 cannot hold"));
}
