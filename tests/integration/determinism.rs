//! Output bytes must not depend on --threads. The data is made here, larger
//! than one read batch (16,384 rows), with duplicates inside the recovered
//! file so clustering and linking both run across batch boundaries, and a
//! mailbox hundreds of persons share.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::*;

const PERSONS: usize = 15_000;

/// A distinct katakana name for each number (digits spelled as kana).
fn kana_name(n: usize) -> String {
    const KANA: [char; 10] = ['カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ'];
    n.to_string().bytes().map(|d| KANA[usize::from(d - b'0')]).collect()
}

fn record_count() -> u64 {
    (PERSONS + PERSONS.div_ceil(3)) as u64
}

fn write_dataset(dir: &Path) {
    let mut recovered = String::from("レコードID,氏名,フリガナ,生年月日,メールアドレス,電話番号\n");
    let mut bookings = String::from("予約番号,販売チャネル,予約方法,商品,フリガナ,生年月日,メールアドレス,電話番号\n");
    let channels = ["JTBホームページ", "JTB店舗", "るるぶトラベル", "謎チャネル", "提携サイト:楽天"];
    let mut record = 0;
    for p in 0..PERSONS {
        let birth = format!("19{:02}-{:02}-{:02}", 40 + p % 60, 1 + p % 12, 1 + p % 28);
        // Every 50th person was given the dummy mailbox staff type: a
        // value of 300 persons, compared as missing (`common_contacts`).
        let dummy = p % 50 == 0;
        let email = if dummy { "none@none.jp".to_string() } else { format!("user{p}@example.jp") };
        let phone = format!("090{:08}", p);
        // Every third person appears twice, the copy sharing only the phone.
        for copy in 0..(1 + usize::from(p % 3 == 0)) {
            record += 1;
            let email = if copy == 0 { email.as_str() } else { "" };
            writeln!(recovered, "R{record},名前{p},ナマエ {},{birth},{email},{phone}", kana_name(p)).unwrap();
        }
        // 0 to 3 bookings a person, on known, store and unknown channels.
        for b in 0..(p % 4) {
            let channel = channels[(p + b) % channels.len()];
            let method = if b == 1 { "ネット" } else { "店頭" };
            let mailbox = if dummy { email.as_str() } else { "" };
            writeln!(bookings, "B{p}-{b},{channel},{method},国内宿泊,ナマエ{},{birth},{mailbox},{phone}", kana_name(p))
                .unwrap();
        }
    }
    std::fs::write(dir.join("recovered.csv"), recovered).unwrap();
    std::fs::create_dir(dir.join("bookings")).unwrap();
    std::fs::write(dir.join("bookings/all.csv"), bookings).unwrap();
}

#[test]
fn one_two_four_and_eight_threads_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write_dataset(dir.path());
    let mut results = Vec::new();
    let threads_tried = ["1", "2", "4", "8"];
    for threads in threads_tried {
        let out = dir.path().join(format!("out{threads}"));
        let output = run(&[
            "run",
            "--recovered",
            dir.path().join("recovered.csv").to_str().unwrap(),
            "--bookings",
            dir.path().join("bookings").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2016-06-14",
            "--threads",
            threads,
            "-q",
        ]);
        assert_exit(&output, 0);
        results.push(RESULT_FILES.map(|name| std::fs::read(out.join(name)).unwrap()));
    }
    let counts_index = RESULT_FILES.iter().position(|n| *n == "counts.json").unwrap();
    let counts: serde_json::Value = serde_json::from_slice(&results[0][counts_index]).unwrap();
    // Every copy merged into its person, and nobody else.
    assert_eq!(counts["linkage"]["common_contacts"]["emails"], 1, "{counts}");
    let persons = counts["persons"].as_u64().unwrap();
    assert!(persons < record_count() && persons == PERSONS as u64, "{counts}");
    assert!(counts["affected"].as_u64().unwrap() > 1000, "{counts}");
    for (name_index, name) in RESULT_FILES.iter().enumerate() {
        for (other, threads) in results.iter().zip(threads_tried).skip(1) {
            assert!(results[0][name_index] == other[name_index], "{name}: 1 vs {threads} threads");
        }
    }
}
