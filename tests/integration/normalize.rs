//! `leakmatch normalize`: one output row per input row, keys that make the
//! three spellings of one person agree, passports blanked by default, and
//! the same bytes for the CP932 copy and for any thread count.

use crate::util::*;

fn table(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let output = run(args);
    assert_exit(&output, 0);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(output.stdout.as_slice());
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let headers = rows.remove(0);
    (headers, rows)
}

fn column(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn every_row_comes_out_with_its_status_and_keys() {
    let (headers, rows) = table(&["normalize", "fixtures/basic/recovered.csv", "--as-of", "2016-06-14"]);
    assert_eq!(rows.len(), 34);
    let (status, name_key, phone, birth) = (
        column(&headers, "status"),
        column(&headers, "name_kana_romaji_key"),
        column(&headers, "phone_norm"),
        column(&headers, "birth_date_norm"),
    );
    for row in &rows[..3] {
        assert_eq!(row[status], "ok");
        assert_eq!(row[name_key], "YAMADATARO");
        assert_eq!(row[phone], "09011112222");
        assert_eq!(row[birth], "1980-01-02");
    }
    assert_eq!(rows[2][column(&headers, "name_romaji_swapped_loose")], "YAMADATARO");
    assert!(rows[29][status].starts_with("rejected: expected 12 fields"), "{:?}", rows[29]);
    let invalid = column(&headers, "invalid_fields");
    assert_eq!(rows[31][invalid], "birth_date");
}

#[test]
fn an_address_in_parts_reads_as_the_whole_address() {
    let dir = tempfile::tempdir().unwrap();
    let split = dir.path().join("split.csv");
    std::fs::write(
        &split,
        "氏名,都道府県,市区町村,町名番地,建物名\n山田 太郎,東京都,千代田区,千代田1丁目1番1号,皇居ハイツ101\n\
         山田 花子,,千代田区,千代田1-1-1,\n",
    )
    .unwrap();
    let whole = dir.path().join("whole.csv");
    std::fs::write(&whole, "氏名,住所\n山田 太郎,東京都千代田区千代田1-1-1 皇居ハイツ101\n").unwrap();
    // A building column beside a whole address is read after it.
    let beside = dir.path().join("beside.csv");
    std::fs::write(&beside, "氏名,住所,建物名\n山田 太郎,東京都千代田区千代田1-1-1,皇居ハイツ101\n").unwrap();
    let keys = |path: &std::path::Path| {
        let (headers, rows) = table(&["normalize", path.to_str().unwrap()]);
        let names = ["address_prefecture", "address_city", "address_town", "address_numbers", "address_building"];
        rows.iter().map(|row| names.map(|name| row[column(&headers, name)].clone())).collect::<Vec<_>>()
    };
    let (split, whole) = (keys(&split), keys(&whole));
    assert_eq!(split[0], whole[0]);
    assert_eq!(keys(&beside)[0], whole[0]);
    assert_eq!(split[0], ["東京都", "千代田区", "千代田", "1-1-1", "皇居ハイツ101"].map(String::from));
    // A part left empty is no part: the rest reads as before.
    assert_eq!(split[1], ["", "千代田区", "千代田", "1-1-1", ""].map(String::from));
}

#[test]
fn a_birth_date_in_parts_reads_as_the_whole_date() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts.csv");
    std::fs::write(
        &parts,
        "氏名,誕生年,誕生月,誕生日\n山田 太郎,1980,1,2\n山田 花子,昭和55年,01,02日\n山田 次郎,S55,12,\n山田 三郎,,,\n",
    )
    .unwrap();
    let (headers, rows) = table(&["normalize", parts.to_str().unwrap()]);
    let (birth, invalid) = (column(&headers, "birth_date_norm"), column(&headers, "invalid_fields"));
    let got: Vec<(&str, &str)> = rows.iter().map(|row| (row[birth].as_str(), row[invalid].as_str())).collect();
    // A part left empty leaves the date unusable; every part empty, missing.
    assert_eq!(got, [("1980-01-02", ""), ("1980-01-02", ""), ("", "birth_date"), ("", "")]);
}

/// A web shop's customer table (EC-CUBE's columns) reads as the same
/// customer written in the fields' own columns.
#[test]
fn a_web_shops_customer_table_reads_as_the_fields_own_columns() {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop.csv");
    std::fs::write(
        &shop,
        "customer_id,name01,name02,kana01,kana02,zip01,zip02,pref,addr01,addr02,email,email_mobile,\
         tel01,tel02,tel03,sex,birth\n\
         7,山田,太郎,ヤマダ,タロウ,100,0001,13,千代田区千代田,1-1-1 皇居ハイツ101,,taro@docomo.ne.jp,\
         090,1111,2222,1,1980-01-02 00:00:00\n",
    )
    .unwrap();
    let plain = dir.path().join("plain.csv");
    std::fs::write(
        &plain,
        "record_id,氏名,フリガナ,郵便番号,住所,メールアドレス,電話番号,性別,生年月日\n\
         7,山田 太郎,ヤマダ タロウ,100-0001,東京都千代田区千代田1-1-1 皇居ハイツ101,taro@docomo.ne.jp,\
         090-1111-2222,男,1980-01-02\n",
    )
    .unwrap();
    let normalized = |path: &std::path::Path| {
        let (headers, rows) = table(&["normalize", path.to_str().unwrap()]);
        let first = headers.iter().position(|h| h == "status").unwrap();
        headers[first..].iter().cloned().zip(rows[0][first..].iter().cloned()).collect::<Vec<_>>()
    };
    let (shop, plain) = (normalized(&shop), normalized(&plain));
    assert_eq!(shop, plain);
    let value = |name: &str| shop.iter().find(|(header, _)| header == name).map(|(_, v)| v.as_str());
    assert_eq!(value("phone_norm"), Some("09011112222"));
    assert_eq!(value("address_prefecture"), Some("東京都"));
}

#[test]
fn passport_numbers_are_blanked_unless_asked() {
    let output = run(&["normalize", "fixtures/basic/recovered.csv", "--as-of", "2016-06-14"]);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("TK1234567"));
    let (headers, rows) =
        table(&["normalize", "fixtures/basic/recovered.csv", "--as-of", "2016-06-14", "--include-sensitive"]);
    assert_eq!(rows[0][column(&headers, "passport_number_norm")], "TK1234567");
}

#[test]
fn booking_files_get_their_rule_values() {
    let (headers, rows) =
        table(&["normalize", "fixtures/basic/bookings/web.csv", "--kind", "bookings", "--as-of", "2016-06-14"]);
    assert_eq!(rows[14][column(&headers, "channel_norm")], "jtbホームページ");
    assert_eq!(rows[14][column(&headers, "email_norm")], "yosuke.i@example.jp");
}

/// Every booking of the fixture that the run links gets the same decision
/// and reasons in normalize's columns as in the run's bookings.csv (the
/// golden file), and a rules file given changes them as it changes the run.
#[test]
fn booking_decisions_are_those_of_the_run_and_follow_the_rules_file() {
    let mut seen = std::collections::HashMap::new();
    let mut files: Vec<_> = std::fs::read_dir("fixtures/basic/bookings").unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in &files {
        let (headers, rows) =
            table(&["normalize", file.to_str().unwrap(), "--kind", "bookings", "--as-of", "2016-06-14"]);
        let (decision, reasons) = (column(&headers, "decision"), column(&headers, "decision_reasons"));
        for row in rows {
            seen.insert(row[0].clone(), (row[decision].clone(), row[reasons].clone()));
        }
    }
    let golden = read(std::path::Path::new("fixtures/basic/expected/bookings.csv"));
    let mut rdr = csv::Reader::from_reader(golden.as_bytes());
    let mut checked = 0;
    for record in rdr.records() {
        let record = record.unwrap();
        let expected = (record[13].to_string(), record[14].to_string());
        assert_eq!(seen.get(&record[0]), Some(&expected), "booking {}", &record[0]);
        checked += 1;
    }
    assert!(checked >= 10, "{checked} bookings checked");
    assert_eq!(seen["O001"].0, "review", "an unknown channel is for review under the default rules");
    let dir = tempfile::tempdir().unwrap();
    let default_rules = String::from_utf8(run(&["rules"]).stdout).unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, default_rules.replace("unknown = \"review\"", "unknown = \"online\"")).unwrap();
    let args = ["normalize", "fixtures/basic/bookings/other.csv", "--kind", "bookings", "--as-of", "2016-06-14"];
    let (headers, rows) = table(&[&args[..], &["--rules", rules.to_str().unwrap()]].concat());
    assert_eq!(rows[0][column(&headers, "decision")], "qualifying");
}

#[test]
fn cp932_and_thread_count_do_not_change_the_bytes() {
    let utf8 = run(&["normalize", "fixtures/basic/recovered.csv", "--as-of", "2016-06-14", "--threads", "1"]);
    let cp932 = run(&["normalize", "fixtures/basic/recovered_cp932.csv", "--as-of", "2016-06-14", "--threads", "2"]);
    assert_exit(&utf8, 0);
    assert_exit(&cp932, 0);
    assert!(utf8.stdout == cp932.stdout);
}

#[test]
fn a_booking_file_without_channel_exits_1() {
    let output = run(&["normalize", "fixtures/basic/recovered.csv", "--kind", "bookings"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("booking_id"), "{}", stderr(&output));
}

#[test]
fn a_spreadsheets_text_marks_are_not_part_of_the_values() {
    // The same person written plainly, and with the marks a spreadsheet
    // writes to keep leading zeros ('… and ="…"), in UTF-8 and in CP932
    // (whose fields are decoded one by one).
    let text = "氏名,生年月日,郵便番号,電話番号,旅券番号\n\
                山田 太郎,1980-01-02,100-0001,090-1234-5678,TK1234567\n\
                山田 太郎,'1980-01-02,'1000001,'09012345678,'TK1234567\n\
                '山田 太郎,\"=\"\"1980-01-02\"\"\",=\"100-0001\",\"=\"\" 090-1234-5678 \"\"\",=\"TK1234567\"\n";
    let dir = tempfile::tempdir().unwrap();
    let utf8 = dir.path().join("utf8.csv");
    std::fs::write(&utf8, text).unwrap();
    let cp932 = dir.path().join("cp932.csv");
    std::fs::write(&cp932, encoding_rs::SHIFT_JIS.encode(text).0).unwrap();
    let names = ["name_kanji_key", "birth_date_norm", "postal_code_norm", "phone_norm", "passport_number_norm"];
    for path in [&utf8, &cp932] {
        let (headers, rows) = table(&["normalize", path.to_str().unwrap(), "--include-sensitive"]);
        let values: Vec<_> = rows.iter().map(|row| names.map(|name| row[column(&headers, name)].clone())).collect();
        let expected = ["山田太郎", "1980-01-02", "1000001", "09012345678", "TK1234567"].map(String::from);
        assert_eq!(values, [expected.clone(), expected.clone(), expected], "{}", path.display());
    }
}

/// Rows past the first read batch (16,384 rows) are written into slots an
/// earlier row filled: each comes out as it does from a file of its own,
/// where its slot is new. The earlier rows hold every field, long ones,
/// a rejected row among them; the later ones hold few or none.
#[test]
fn a_row_in_a_reused_slot_comes_out_as_in_a_file_of_its_own() {
    const FIRST_BATCH_ROWS: usize = 16_384;
    let header = "予約番号,販売チャネル,予約方法,商品,氏名,フリガナ,生年月日,メールアドレス,電話番号,住所\n";
    let full = |i: usize| {
        format!(
            "B{i},JTBホームページ,ネット,国内宿泊,山田 太郎{i}様,ヤマダ タロウ,1980-01-02,taro{i}@example.jp,\
             090-1234-{:04},東京都杉並区宮前一丁目2番3号メゾン宮前{i}号室\n",
            i % 10_000
        )
    };
    let sparse = |i: usize| match i % 4 {
        0 => format!("C{i},店舗,,,,,,,,\n"),
        1 => format!("C{i},,,,,ヤマダ,,,,\n"),
        2 => format!("C{i},JTB店舗,店頭,海外パッケージ,,,,,,\n"),
        _ => format!("C{i},extra,field\n"),
    };
    let dir = tempfile::tempdir().unwrap();
    let (whole, later) = (dir.path().join("whole.csv"), dir.path().join("later.csv"));
    let mut whole_text = String::from(header);
    let mut later_text = String::from(header);
    for i in 0..FIRST_BATCH_ROWS {
        whole_text.push_str(&if i == 7 { format!("B{i},short\n") } else { full(i) });
    }
    for i in 0..400 {
        whole_text.push_str(&sparse(i));
        later_text.push_str(&sparse(i));
    }
    std::fs::write(&whole, whole_text).unwrap();
    std::fs::write(&later, later_text).unwrap();
    let args = |file: &std::path::Path| {
        ["normalize", file.to_str().unwrap(), "--kind", "bookings", "--as-of", "2016-06-14"].map(str::to_string)
    };
    let (headers, whole_rows) = table(&args(&whole).each_ref().map(String::as_str));
    let (_, later_rows) = table(&args(&later).each_ref().map(String::as_str));
    assert_eq!(whole_rows.len(), FIRST_BATCH_ROWS + later_rows.len());
    let status = column(&headers, "status");
    assert!(whole_rows[7][status].starts_with("rejected"), "{:?}", whole_rows[7]);
    assert_eq!(whole_rows[8][column(&headers, "address_building")], "メゾン宮前8号室");
    assert_eq!(&whole_rows[FIRST_BATCH_ROWS..], &later_rows[..]);
}

#[test]
fn a_placeholder_is_a_missing_value_not_an_invalid_one() {
    // R1 writes placeholders where it has no email, postal code or phone:
    // no value, so neither an invalid field nor evidence; its name and
    // birth date still link the booking. R2's phone is text that is no
    // number: invalid, as before. R3 holds only placeholders: no usable
    // identifying value.
    let (dir, out) = run_inline(
        "record_id,氏名,生年月日,メールアドレス,郵便番号,電話番号,性別\n\
         R1,山田太郎,1980-01-02,なし,-,N/A,-\n\
         R2,佐藤花子,1975-05-05,,,電話なし,\n\
         R3,未記入,不明,NULL,ー,－,\n",
        "booking_id,channel,name_kanji,birth_date,email\n\
         W1,JTBホームページ,山田太郎,1980-01-02,taro@example.jp\n",
    );
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    for field in ["invalid_email", "invalid_postal_code", "invalid_gender", "invalid_birth_date"] {
        assert_eq!(counts[field], 0, "{field}: {counts}");
    }
    assert_eq!(counts["invalid_phone"], 1, "R2's phone only: {counts}");
    assert_eq!(counts["recovered_rejected"], 1, "R3: {counts}");
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    let recovered = dir.path().join("r.csv");
    let (headers, rows) = table(&["normalize", recovered.to_str().unwrap(), "--as-of", "2016-06-14"]);
    let invalid = column(&headers, "invalid_fields");
    assert_eq!(rows[0][invalid], "", "{:?}", rows[0]);
    assert_eq!(rows[1][invalid], "phone", "{:?}", rows[1]);
}

#[test]
fn a_systems_zero_date_is_no_birth_date() {
    // R1 and R2 give 山田太郎 and 1900-01-01, the date systems write for
    // "no date": the name alone is left, and they stay two persons. R3
    // and R4 (the name and a real birth date) are one.
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,メールアドレス\n\
         R1,山田太郎,1900-01-01,taro@example.jp\n\
         R2,山田太郎,1900/1/1,\n\
         R3,佐藤花子,1980-01-02,hanako@example.jp\n\
         R4,佐藤花子,1980/1/2,\n",
        "booking_id,channel,name_kanji,birth_date\n\
         W1,JTBホームページ,鈴木一郎,1970-01-01\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_ne!(person_of(&persons, "R1"), person_of(&persons, "R2"), "{persons}");
    assert_eq!(person_of(&persons, "R3"), person_of(&persons, "R4"), "{persons}");
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["invalid_birth_date"], 2, "{counts}");
}

#[test]
fn a_dummy_phone_is_no_phone() {
    // R1 and R2 give 山田太郎 and a number of zeros, what forms take for "no
    // number": the name alone is left (R2's email R1 does not give), and
    // they stay two persons. R3 and R4 (the name and a real mobile number)
    // are one. R5's 000-0000-0000 is no number either.
    let (_dir, out) = run_inline(
        "record_id,氏名,電話番号,メールアドレス\n\
         R1,山田太郎,090-0000-0000,\n\
         R2,山田太郎,090-0000-0000,jiro@example.jp\n\
         R3,佐藤花子,090-3333-4444,\n\
         R4,佐藤花子,09033334444,\n\
         R5,鈴木一郎,000-0000-0000,ichiro@example.jp\n",
        "booking_id,channel,name_kanji,phone\n\
         W1,JTBホームページ,山田太郎,090-0000-0000\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_ne!(person_of(&persons, "R1"), person_of(&persons, "R2"), "{persons}");
    assert_eq!(person_of(&persons, "R3"), person_of(&persons, "R4"), "{persons}");
    assert_ne!(status_of(&persons, "R1"), "affected", "W1 shares only the name: {persons}");
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["invalid_phone"], 4, "R1, R2, R5 and W1: {counts}");
}
