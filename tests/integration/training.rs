//! Bookings made after a move: a model trained on a recovered file whose
//! rows of one person never disagree on a contact (all written at one time)
//! must still let customers who moved be found (`matching/constraints.rs`),
//! and a name with an email or a mobile number links whatever the place
//! (`score::name_and_personal_contact_agree`).

use std::fmt::Write;

use crate::util::*;

const SURNAMES: [(&str, &str); 12] = [
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("松本", "マツモト"),
];
const GIVEN: [(&str, &str); 12] = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("健一", "ケンイチ"),
    ("美咲", "ミサキ"),
    ("直樹", "ナオキ"),
    ("恵", "メグミ"),
    ("修", "オサム"),
    ("由美", "ユミ"),
    ("大輔", "ダイスケ"),
    ("陽子", "ヨウコ"),
    ("誠", "マコト"),
    ("舞", "マイ"),
];
const PERSONS: u64 = 1200;

/// A small deterministic generator (xorshift64*).
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % below
    }
}

/// Person `i`: name, reading, birth date, email, phone, postal code and
/// address. Every tenth person lives with the one before (surname, phone
/// and address shared, another given name): the candidates hold pairs of
/// two persons that agree on contacts, beside one person's pairs.
fn person(i: u64, draw: &mut Draw) -> [String; 7] {
    let home = if i % 10 == 1 { i - 1 } else { i };
    let (surname, surname_kana) = SURNAMES[(home % 12) as usize];
    let (given, given_kana) = GIVEN[draw.next(12) as usize];
    [
        format!("{surname} {given}"),
        format!("{surname_kana} {given_kana}"),
        format!("{}-{:02}-{:02}", 1940 + draw.next(60), 1 + draw.next(12), 1 + draw.next(28)),
        format!("c{i}.{}@example.jp", draw.next(1000)),
        format!("090-{:04}-{:04}", 1000 + home / 10, home % 10_000),
        format!("1{:02}-{:04}", home % 100, home),
        format!("東京都千代田区千代田{}-{}-{}", 1 + home % 9, 1 + home / 9 % 30, 1 + home),
    ]
}

/// Runs the job on a recovered file and one booking file given as text;
/// the result folder (inside the returned temporary folder).
fn run_on(recovered: &str, bookings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (recovered_path, bookings_path, out) =
        (dir.path().join("r.csv"), dir.path().join("b.csv"), dir.path().join("out"));
    std::fs::write(&recovered_path, recovered).unwrap();
    std::fs::write(&bookings_path, bookings).unwrap();
    assert_exit(&run_job(&recovered_path, &bookings_path, &out), 0);
    (dir, out)
}

#[test]
fn a_file_whose_rows_never_move_still_links_bookings_made_after_a_move() {
    let mut draw = Draw(0x5eed_2016_0614);
    let mut recovered = String::from("レコードID,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n");
    // One booking a person; every third after a move to another town.
    let mut bookings =
        String::from("予約番号,販売チャネル,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n");
    let mut moved = Vec::new();
    for i in 0..PERSONS {
        let fields = person(i, &mut draw);
        // One to three rows, each leaving out a field or two: alike
        // wherever both give a value.
        for copy in 0..1 + draw.next(3) {
            let mut row = fields.clone();
            for _ in 0..draw.next(3) {
                row[draw.next(7) as usize].clear();
            }
            writeln!(recovered, "R{i}-{copy},{}", row.join(",")).unwrap();
        }
        let mut booking = fields.clone();
        if i % 3 == 0 {
            booking[5] = format!("5{:02}-{:04}", i % 100, i);
            booking[6] = format!("大阪府大阪市北区梅田{}-{}-{}", 1 + i % 5, 1 + i % 20, 1 + i);
            moved.push(i);
        }
        writeln!(bookings, "B{i},JTBホームページ,{}", booking.join(",")).unwrap();
    }
    let (_dir, out) = run_on(&recovered, &bookings);

    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["linkage"]["model"], "trained", "{}", counts["linkage"]);
    assert_eq!(counts["linkage"]["training"]["bounded"], true, "{}", counts["linkage"]["training"]);
    let persons = read(&out.join("persons.csv"));
    let affected = |i: &u64| {
        let record = format!("R{i}-0");
        persons.lines().any(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells[1] == "affected" && cells[3].split(';').any(|id| id == record)
        })
    };
    let found = moved.iter().filter(|i| affected(i)).count();
    let share = found as f64 / moved.len() as f64;
    // Measured: 372 of 400 (the rest left only rows without the fields
    // the booking shares); without the bounds 69 of 400.
    assert!(share >= 0.85, "{found} of {} customers who moved found affected", moved.len());
}

#[test]
fn the_name_and_the_email_link_a_booking_made_after_a_move() {
    let recovered = "レコードID,氏名,メールアドレス,郵便番号,住所\n\
                     R1,山田 太郎,taro@example.jp,100-0001,東京都千代田区千代田1-1-1\n\
                     R2,山田 花子,hanako@example.jp,100-0001,東京都千代田区千代田1-1-1\n";
    // No birth date, another town: scored, under the match threshold.
    let bookings = "予約番号,販売チャネル,氏名,メールアドレス,郵便番号,住所\n\
                    B1,JTBホームページ,山田 太郎,TARO@example.jp,530-0001,大阪府大阪市北区梅田1-2-3\n\
                    B2,JTBホームページ,山田 一郎,hanako@example.jp,530-0001,大阪府大阪市北区梅田1-2-3\n";
    let (_dir, out) = run_on(recovered, bookings);
    let links = read(&out.join("links.csv"));
    let b1 = links.lines().find(|l| l.contains(",booking,B1,")).expect("B1 is linked");
    assert!(b1.contains(",R1,match_name_contact,"), "{b1}");
    let score: f64 = b1.split(',').nth(5).unwrap().parse().unwrap();
    assert!(score < 7.0, "the rule, not the score, links it: {b1}");
    // Another given name with the same mailbox is a household member, not R2.
    assert!(!links.lines().any(|l| l.contains(",booking,B2,") && l.contains("match")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert!(persons.lines().any(|l| l.contains(",affected,") && l.contains(",R1,")), "{persons}");
}
