//! Bad inputs and bad flags: each gives the documented exit code and a
//! message naming the file (and line) but never a value from the data.

use std::path::Path;

use crate::util::*;

fn run_with(dir: &Path, recovered: &Path, bookings: &Path) -> std::process::Output {
    run_job(recovered, bookings, &dir.join("out"))
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn basic_bookings() -> std::path::PathBuf {
    root().join("fixtures/basic/bookings")
}

#[test]
fn a_booking_file_without_booking_id_exits_1_listing_its_headers() {
    let dir = tempfile::tempdir().unwrap();
    let bookings = write(dir.path(), "b.csv", "販売チャネル,メールアドレス\nJTB店舗,secret@example.jp\n");
    let output = run_with(dir.path(), &root().join("fixtures/basic/recovered.csv"), &bookings);
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(
        message.contains("b.csv") && message.contains("booking_id") && message.contains("販売チャネル, メールアドレス"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn a_file_without_identifying_columns_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(dir.path(), "r.csv", "id,memo\n1,x\n");
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("no identifying column"), "{}", stderr(&output));
}

#[test]
fn an_empty_file_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(dir.path(), "r.csv", "");
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("r.csv: the file is empty"), "{}", stderr(&output));
}

#[test]
fn a_spreadsheets_delimiter_hint_before_the_header_exits_1_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    for hint in ["sep=,", "SEP=;"] {
        let recovered = write(dir.path(), "r.csv", &format!("{hint}\r\n氏名,生年月日\r\n山田 太郎,1980-01-02\r\n"));
        let output = run_with(dir.path(), &recovered, &basic_bookings());
        assert_exit(&output, 1);
        assert!(stderr(&output).contains("r.csv: line 1 is a spreadsheet's delimiter hint"), "{}", stderr(&output));
    }
}

/// A title or a note above the table, as spreadsheets export it: the
/// error names the physical line that names the columns (blank lines and
/// CRLF counted), for the recovered file and a booking export alike; a
/// file whose lines below hold no header row keeps the plain error.
#[test]
fn lines_above_the_header_row_exit_1_naming_the_header_line() {
    let dir = tempfile::tempdir().unwrap();
    let recovered =
        write(dir.path(), "r.csv", "顧客一覧\r\n\r\n出力日: 2016/06/14\r\n氏名,生年月日\r\n山田 太郎,1980-01-02\r\n");
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 1);
    let expected = "r.csv: line 1 is not the header row (a title or a note above the table?); line 4 names the columns";
    assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    let good = write(dir.path(), "good.csv", "氏名,生年月日\n山田 太郎,1980-01-02\n");
    let bookings =
        write(dir.path(), "b.csv", "予約一覧,,\nbooking_id,channel,product,氏名\nB1,JTBホームページ,国内宿泊,山田\n");
    let output = run_with(dir.path(), &good, &bookings);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("b.csv: line 1 is not the header row"), "{}", stderr(&output));
    assert!(stderr(&output).contains("line 2 names the columns"), "{}", stderr(&output));
    let notes = write(dir.path(), "notes.csv", "memo\nx\ny\n");
    let output = run_with(dir.path(), &notes, &basic_bookings());
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("notes.csv: no identifying column"), "{}", stderr(&output));
}

/// A file without a header row (a dump written without one) has its first
/// customer's values where the headers go: the error says so and shows
/// none of them, for the recovered file and for a booking export alike.
#[test]
fn a_file_without_a_header_row_exits_1_and_shows_none_of_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let row = "1,山田 太郎,ヤマダ タロウ,男,1980-01-02,taro@example.jp,100-0001,東京都千代田区千代田1-1,03-1234-5678,TK1234567\n";
    let recovered = write(dir.path(), "r.csv", &row.repeat(2));
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(message.contains("r.csv: line 1 holds values, not column names"), "{message}");
    for value in ["山田", "ヤマダ", "1980", "taro@", "100-0001", "千代田", "1234", "TK"] {
        assert!(!message.contains(value), "{value} in {message}");
    }
    let good = write(dir.path(), "good.csv", "氏名,生年月日\n山田 太郎,1980-01-02\n");
    let bookings = write(dir.path(), "b.csv", "B1,JTBホームページ,国内宿泊,山田 太郎,1980-01-02,taro@example.jp\n");
    let output = run_with(dir.path(), &good, &bookings);
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(message.contains("b.csv: line 1 holds values, not column names"), "{message}");
    assert!(!message.contains("taro@") && !message.contains("山田"), "{message}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_header_only_recovered_file_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(dir.path(), "r.csv", "氏名,生年月日\n");
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("r.csv: a header row but no data rows"), "{}", stderr(&output));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn columns_no_field_reads_are_named_on_stderr_and_in_counts_without_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(
        dir.path(),
        "r.csv",
        "email,生年月日,電話番号,電話,メモ\nnaoki.n@example.jp,1988-08-08,,03-1234-5678,secret note\n",
    );
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 0);
    let message = stderr(&output);
    assert!(message.contains("r.csv: columns not read") && message.contains("): メモ"), "{message}");
    assert!(!message.contains("secret") && !message.contains("1234"), "{message}");
    let counts: serde_json::Value = serde_json::from_str(&read(&dir.path().join("out/counts.json"))).unwrap();
    let unread = &counts["unread_columns"];
    // 電話 is the phone's second column, read where 電話番号 is empty.
    assert_eq!(unread[recovered.to_str().unwrap()], serde_json::json!(["メモ"]), "{unread}");
    // The fixture's booking files have every column read: not listed.
    assert_eq!(unread.as_object().map(|files| files.len()), Some(1), "{unread}");
}

#[test]
fn what_a_bookings_folder_holds_besides_its_tables_is_named_and_a_subfolder_read_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let bookings = dir.path().join("bookings");
    std::fs::create_dir_all(bookings.join("older")).unwrap();
    let header = "booking_id,channel,product,name_kanji,birth_date\n";
    write(&bookings, "web.csv", &format!("{header}W1,JTBホームページ,国内宿泊,山田 太郎,1980-01-02\n"));
    write(&bookings.join("older"), "web.csv", &format!("{header}W2,JAPANiCAN,国内宿泊,山田 太郎,1980-01-02\n"));
    write(&bookings, "export.xlsx", "not a table");
    write(&bookings, ".DS_Store", "hidden");
    let recovered = write(dir.path(), "r.csv", "record_id,氏名,生年月日\nR1,山田 太郎,1980-01-02\n");
    let unread_of = |out: &Path| -> serde_json::Value {
        let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
        counts["unread_booking_paths"].clone()
    };
    let out = dir.path().join("out");
    let output = run_job(&recovered, &bookings, &out);
    assert_exit(&output, 0);
    let (xlsx, older) = (bookings.join("export.xlsx"), bookings.join("older"));
    let message = stderr(&output);
    assert!(message.contains("not read, in a --bookings folder"), "{message}");
    assert!(message.contains(&format!("{}, {}", xlsx.display(), older.display())), "{message}");
    assert!(!message.contains(".DS_Store"), "{message}");
    let listed = serde_json::json!([xlsx.to_str().unwrap(), older.to_str().unwrap()]);
    assert_eq!(unread_of(&out), listed);
    assert!(read(&out.join("persons.csv")).contains(",W1,"));
    // Named as well, the subfolder is read and no longer listed.
    let out = dir.path().join("out2");
    let args = job_args(&recovered, &bookings, &out);
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.extend(["--bookings", older.to_str().unwrap(), "-q"]);
    let output = run(&args);
    assert_exit(&output, 0);
    assert_eq!(unread_of(&out), serde_json::json!([xlsx.to_str().unwrap()]));
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["booking_rows"], 2);
}

#[test]
fn an_out_folder_that_holds_an_input_exits_2_and_leaves_the_input_alone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).unwrap();
    let text = "record_id,氏名,生年月日\nR1,山田 太郎,1980-01-02\n";
    // A recovered file whose name is a result file's: writing the results
    // there would replace the restored leak.
    let recovered = write(&folder, "persons.csv", text);
    let output = run_job(&recovered, &root().join("fixtures/basic/bookings"), &folder);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("holds the input file") && message.contains("persons.csv"), "{message}");
    assert_eq!(read(&recovered), text);
    // A booking folder as --out: the next run would read the results as exports.
    let bookings = dir.path().join("bookings");
    std::fs::create_dir(&bookings).unwrap();
    write(&bookings, "web.csv", "booking_id,channel,氏名,生年月日\nW1,JTBホームページ,山田 太郎,1980-01-02\n");
    let recovered = write(dir.path(), "r.csv", text);
    assert_exit(&run_job(&recovered, &bookings, &bookings), 2);
    assert_eq!(std::fs::read_dir(&bookings).unwrap().count(), 1);
}

#[test]
fn a_row_longer_by_empty_fields_only_is_read_and_a_short_one_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(
        dir.path(),
        "r.csv",
        "email,生年月日\nnaoki.n@example.jp,1988-08-08,\nx@y.jp,1990-01-01, ,\nz@y.jp\nw@y.jp,1990-01-01,text\n",
    );
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 0);
    let rejects = read(&dir.path().join("out/rejects.csv"));
    assert!(rejects.contains("r.csv,4,\"expected 2 fields, found 1\""), "{rejects}");
    assert!(rejects.contains("r.csv,5,\"expected 2 fields, found 3\""), "{rejects}");
    let counts = read(&dir.path().join("out/counts.json"));
    assert!(counts.contains("\"recovered_used\": 2,") && counts.contains("\"recovered_rejected\": 2,"), "{counts}");
}

#[test]
fn a_malformed_row_is_rejected_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = write(
        dir.path(),
        "r.csv",
        "email,生年月日\nnaoki.n@example.jp,1988-08-08\n\"unclosed,1,2,3\nx@y.jp,1990-01-01,extra\n",
    );
    let output = run_with(dir.path(), &recovered, &basic_bookings());
    assert_exit(&output, 0);
    let rejects = read(&dir.path().join("out/rejects.csv"));
    // The open quote takes in the next line: the reason says so, and the
    // line is in the raw text.
    let reason = "r.csv,3,\"expected 2 fields, found 1, with a line break inside quotes: \
                  a quote not closed takes in the lines after it\",\"\"\"unclosed,1,2,3\nx@y.jp,1990-01-01,extra\"";
    assert!(rejects.contains(reason), "{rejects}");
    // Said on stderr too, where a pipeline's log shows it.
    let said = "leakmatch: 1 rejected row(s), recovered: expected 2 fields, found 1, with a line break inside \
                quotes: a quote not closed takes in the lines after it (rejects.csv gives the file and line)";
    assert!(stderr(&output).contains(said), "{}", stderr(&output));
    let counts = read(&dir.path().join("out/counts.json"));
    assert!(counts.contains("\"recovered_used\": 1,") && counts.contains("\"affected\": 1,"), "{counts}");
}

#[test]
fn bad_flag_values_exit_2() {
    let cases: [&[&str]; 5] = [
        &[
            "run",
            "--recovered",
            "fixtures/basic/recovered.csv",
            "--bookings",
            "fixtures/basic/bookings",
            "--out",
            "o",
            "--as-of",
            "2016/06/14",
        ],
        &[
            "run",
            "--recovered",
            "fixtures/basic/recovered.csv",
            "--bookings",
            "fixtures/basic/bookings",
            "--out",
            "o",
            "--map",
            "nope=x",
        ],
        &[
            "run",
            "--recovered",
            "fixtures/basic/recovered.csv",
            "--bookings",
            "fixtures/basic/bookings",
            "--out",
            "o",
            "--map",
            "email=不在",
        ],
        &[
            "run",
            "--recovered",
            "fixtures/basic/recovered.csv",
            "--bookings",
            "fixtures/basic/bookings",
            "--out",
            "o",
            "--threads",
            "0",
        ],
        &["run", "--recovered", "fixtures/basic/recovered.csv", "--out", "o"],
    ];
    for args in cases {
        let output = run(args);
        assert_exit(&output, 2);
        assert!(!root().join("o").exists());
    }
}

#[test]
fn a_rules_file_with_an_unknown_key_exits_1_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "rules.toml", "[channels]\nonline = []\nstore = []\nunknown = \"review\"\nfoo = 1\n");
    let output = run(&[
        "run",
        "--recovered",
        "fixtures/basic/recovered.csv",
        "--bookings",
        "fixtures/basic/bookings",
        "--out",
        dir.path().join("o").to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("foo"), "{}", stderr(&output));
}

#[test]
fn missing_inputs_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_with(dir.path(), &dir.path().join("nope.csv"), &basic_bookings());
    assert_exit(&output, 1);
    let output = run_with(dir.path(), &root().join("fixtures/basic/recovered.csv"), &dir.path().join("none"));
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("no such file or folder"), "{}", stderr(&output));
}

/// Runs the binary with `args` and its stdout closed from the start; it
/// must exit 0 and print nothing (Unix convention for a closed pipe).
fn assert_quiet_exit_0_into_a_closed_pipe(args: &[&str]) {
    let mut child = leakmatch()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_exit(&output, 0);
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

/// `normalize` writes more than its buffer before the reader goes away, so
/// the broken pipe reaches it inside the csv writer's error.
#[test]
fn normalize_into_a_closed_pipe_exits_0_silently() {
    assert_quiet_exit_0_into_a_closed_pipe(&["normalize", "fixtures/generated/recovered.csv"]);
}

#[test]
fn a_closed_stdout_pipe_exits_0_silently() {
    assert_quiet_exit_0_into_a_closed_pipe(&["rules"]);
}

#[test]
fn a_rejected_rows_passport_number_is_blanked_unless_include_sensitive() {
    let dir = tempfile::tempdir().unwrap();
    // Row 2 lost a cell (the number shifted left), row 3 gained one.
    let recovered = write(
        dir.path(),
        "r.csv",
        "record_id,氏名,生年月日,旅券番号\n1,山田太郎,1980-01-02,TK1234567\n2,佐藤花子,TK7654321\n3,\"鈴木,一郎\",1970-01-01,ab 1112223,x\n",
    );
    let out = dir.path().join("out");
    assert_exit(&run_job(&recovered, &basic_bookings(), &out), 0);
    let rejects = read(&out.join("rejects.csv"));
    assert_eq!(rejects.lines().filter(|l| l.starts_with("recovered,")).count(), 2, "{rejects}");
    for number in ["TK7654321", "1112223"] {
        assert!(!rejects.contains(number), "{number} in rejects.csv:\n{rejects}");
    }
    assert!(rejects.contains("2,佐藤花子,"), "the rest of the row is kept:\n{rejects}");
    let sensitive = dir.path().join("sensitive");
    let mut args: Vec<String> =
        ["run", "--recovered", recovered.to_str().unwrap(), "--bookings"].iter().map(|s| s.to_string()).collect();
    args.extend([basic_bookings().to_str().unwrap().to_string(), "--out".into()]);
    args.extend([sensitive.to_str().unwrap().into(), "--as-of".into(), "2016-06-14".into(), "-q".into()]);
    args.push("--include-sensitive".into());
    assert_exit(&run_owned(&args), 0);
    let rejects = read(&sensitive.join("rejects.csv"));
    assert!(rejects.contains("TK7654321") && rejects.contains("ab 1112223"), "{rejects}");
}

#[test]
fn a_field_over_max_field_bytes_is_a_reject_with_that_reason() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(200);
    // Row 3 opens a quote it never closes: the lines after it are one
    // field, over the limit.
    let unclosed: String = (4..24).map(|id| format!("{id},山田次郎,d{id}@example.jp\n")).collect();
    let text = format!(
        "record_id,氏名,メールアドレス\n1,山田太郎,taro@example.jp\n2,{long},b@example.jp\n3,\"花子,c@example.jp\n{unclosed}"
    );
    let recovered = write(dir.path(), "r.csv", &text);
    let out = dir.path().join("out");
    let mut args: Vec<String> = vec!["run".into(), "--recovered".into(), recovered.to_str().unwrap().into()];
    args.extend(["--bookings".into(), basic_bookings().to_str().unwrap().into(), "--out".into()]);
    args.extend([out.to_str().unwrap().into(), "--as-of".into(), "2016-06-14".into(), "-q".into()]);
    args.extend(["--max-field-bytes".into(), "100".into()]);
    assert_exit(&run_owned(&args), 0);
    let rejects = read(&out.join("rejects.csv"));
    assert!(rejects.contains("r.csv,3,column 2 (氏名): longer than --max-field-bytes (100 bytes),"), "{rejects}");
    let open_quote = "r.csv,4,\"column 2 (氏名): longer than --max-field-bytes (100 bytes), with a line break \
                      inside quotes: a quote not closed takes in the lines after it\"";
    assert!(rejects.contains(open_quote), "{rejects}");
    let counts = read(&out.join("counts.json"));
    assert!(counts.contains("\"recovered_rejected\": 2"), "{counts}");
}

/// The address space the binary gets in the test below: well under the long
/// field, well over what the run needs with one worker thread.
const ADDRESS_SPACE_KIB: u64 = 128 * 1024;

#[test]
fn a_field_longer_than_the_memory_limit_is_never_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.csv");
    {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        file.write_all("record_id,氏名,メールアドレス\n1,山田太郎,taro@example.jp\n2,\"".as_bytes()).unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..(ADDRESS_SPACE_KIB / 1024 + 32) {
            file.write_all(&chunk).unwrap();
        }
        file.write_all(b"\",b@example.jp\n3,\xe4\xbd\x90\xe8\x97\xa4,c@example.jp\n").unwrap();
    }
    let out = dir.path().join("out");
    let mut args = job_args(&path, &basic_bookings(), &out);
    args.extend(["-q".into(), "--threads".into(), "1".into(), "--skip-memory-check".into()]);
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    // One malloc arena: each thread's own arena reserves 64 MiB of address
    // space, which under this limit made the run fail or not by which
    // thread allocated first (the limit is on address space, not use).
    let output = std::process::Command::new("sh")
        .env("MALLOC_ARENA_MAX", "1")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_leakmatch"))
        .args(&args)
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let rejects = read(&out.join("rejects.csv"));
    assert!(rejects.contains("r.csv,3,column 2 (氏名): longer than --max-field-bytes (1048576 bytes)"), "{rejects}");
    let counts = read(&out.join("counts.json"));
    assert!(counts.contains("\"recovered_rejected\": 1"), "{counts}");
}

#[test]
fn a_full_disk_under_affected_names_what_could_not_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = basic_args(&dir.path().join("out"));
    args.extend(["--affected".into(), "-".into()]);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = leakmatch().args(&args).stdout(full).output().unwrap();
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("cannot write the affected list to standard output"), "{}", stderr(&output));
}

#[test]
fn redact_rejects_writes_keyed_hashes_instead_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let recovered =
        write(dir.path(), "r.csv", "record_id,氏名,生年月日\n1,山田太郎,1980-01-02\n2,佐藤花子\n3,佐藤花子\n");
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args[2] = recovered.to_str().unwrap().to_string();
    args.push("--redact-rejects".into());
    assert_exit(&run_owned(&args), 0);
    let rejects = read(&out.join("rejects.csv"));
    let hashes: Vec<&str> =
        rejects.lines().filter(|l| l.starts_with("recovered,")).map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(hashes.len(), 2, "{rejects}");
    assert!(hashes.iter().all(|h| h.starts_with("blake3-keyed:") && h.len() == 13 + 64), "{rejects}");
    assert!(!rejects.contains("佐藤"), "{rejects}");
    // Rows 2 and 3 differ only in their id cell: different hashes.
    assert_ne!(hashes[0], hashes[1]);
}

#[test]
fn parse_only_counts_every_row_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args.push("--parse-only".into());
    let output = run_owned(&args);
    assert_exit(&output, 0);
    // 34 recovered rows and 36 booking rows (fixtures/basic/README.md).
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("parsed 70 rows in "), "{stdout}");
    assert!(!out.exists() && std::fs::read_dir(dir.path()).unwrap().count() == 0, "nothing is written");
}

#[test]
fn timings_name_every_step_and_the_bytes_a_record_takes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = basic_args(&out);
    args.push("--timings".into());
    let output = run_owned(&args);
    assert_exit(&output, 0);
    let printed = stderr(&output);
    for step in
        ["load", "  pairs", "  train", "  index", "persons", "bookings", "assess", "chains", "  csv files", "outputs"]
    {
        let line = printed.lines().find(|l| l.starts_with(&format!("leakmatch: {step} ")));
        let line = line.unwrap_or_else(|| panic!("no {step:?} step in {printed}"));
        assert!(line.contains(" s"), "{line}");
        // The cores a step kept busy, when it lasted long enough to say.
        if let Some((_, rest)) = line.split_once(" s, ").filter(|(_, rest)| rest.contains(" cores")) {
            let cores: f64 = rest.split(" cores").next().unwrap().parse().unwrap();
            assert!(cores >= 0.0, "{line}");
        }
    }
    let store = printed.lines().find(|l| l.starts_with("leakmatch: record store: ")).expect("the store's size");
    let per_record: usize = store.rsplit(", ").next().unwrap().trim_end_matches(" bytes per record").parse().unwrap();
    // The skeleton and start alone are 152 bytes; fixture rows are short.
    assert!((152..2000).contains(&per_record), "{store}");
    // Without the flag, nothing of it.
    let quiet = run_owned(&basic_args(&dir.path().join("out2")));
    assert!(!stderr(&quiet).contains("record store"), "{}", stderr(&quiet));
}
