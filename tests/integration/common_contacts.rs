//! A contact value given by the recovered rows of more persons than a
//! household holds (a dummy mailbox staff typed for customers without one)
//! names no one: the linker compares it as missing on both sides, and no
//! mail goes to it. At the household bound it still counts as any mailbox.

use crate::util::*;

/// Twelve strangers (own surnames, given names and birth dates).
const NAMES: [(&str, &str); 12] = [
    ("山本有則", "1961-02-03"),
    ("近藤青空", "1972-03-04"),
    ("西村鮎夢", "1983-04-05"),
    ("石井暁次", "1954-05-06"),
    ("小川直美", "1965-06-07"),
    ("藤田健一", "1976-07-08"),
    ("岡田美咲", "1987-08-09"),
    ("後藤信也", "1958-09-10"),
    ("長谷川葵", "1969-10-11"),
    ("村上大輔", "1970-11-12"),
    ("坂本結衣", "1981-12-13"),
    ("遠藤茂雄", "1952-01-14"),
];

/// The first `persons` strangers, each giving `none@none.jp` and a phone of
/// their own; the bookings: B1 the first one's name and the mailbox only,
/// B2 the mailbox only, B3 the second one's name, birth date and the
/// mailbox, B4 the third one's name, birth date and a mailbox of their own.
fn run_with(persons: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut recovered = String::from("record_id,氏名,生年月日,メールアドレス,電話番号\n");
    for (i, (name, birth)) in NAMES.iter().take(persons).enumerate() {
        recovered.push_str(&format!("R{},{name},{birth},none@none.jp,090-{:04}-{:04}\n", i + 1, 1000 + i, 2000 + i));
    }
    let (first, second, third) = (NAMES[0], NAMES[1], NAMES[2]);
    let bookings = format!(
        "booking_id,channel,product,氏名,生年月日,メールアドレス\n\
         B1,JTBホームページ,国内宿泊,{},,none@none.jp\n\
         B2,JTBホームページ,国内宿泊,,,none@none.jp\n\
         B3,JTBホームページ,国内宿泊,{},{},none@none.jp\n\
         B4,JTBホームページ,国内宿泊,{},{},own.mailbox@example.jp\n",
        first.0, second.0, second.1, third.0, third.1
    );
    run_inline(&recovered, &bookings)
}

/// The booking ids of links.csv's booking links of `record`, with their
/// decision and email level.
fn booking_links(out: &std::path::Path, record: &str) -> Vec<String> {
    let links = read(&out.join("links.csv"));
    let mut lines = links.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (link, id, matched, decision, email) =
        (column("link"), column("id"), column("matched_record_id"), column("decision"), column("email_level"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[link] == "booking" && f[matched] == record)
        .map(|f| format!("{}:{}:{}", f[id], f[decision], f[email]))
        .collect()
}

#[test]
fn a_mailbox_given_by_more_persons_than_a_household_links_no_one() {
    let (dir, out) = run_with(12);
    // The name alone links nothing; the mailbox adds nothing to it.
    assert!(booking_links(&out, "R1").is_empty(), "{:?}", booking_links(&out, "R1"));
    // The mailbox alone is no one's: no link, not even for review.
    let links = read(&out.join("links.csv"));
    assert!(!links.lines().any(|l| l.contains(",booking,B2,")), "{links}");
    // The name and the birth date still link, the mailbox compared as missing.
    assert_eq!(booking_links(&out, "R2"), ["B3:match:missing"]);
    // A mailbox of the customer's own beside the dummy: missing, not different.
    assert_eq!(booking_links(&out, "R3"), ["B4:match:missing"]);
    let counts = read(&out.join("counts.json"));
    let common = counts.split("\"common_contacts\": {").nth(1).expect("counts.json names common contacts");
    let common: String = common.split('}').next().unwrap().split_whitespace().collect();
    assert_eq!(common, "\"emails\":1,\"phones\":0,\"booking_rows\":3,\"affected_only_common_email\":1", "{counts}");
    // No mail goes to the mailbox of many: R2's person is affected without
    // email, R3's gets the booking's own mailbox.
    let affected = read(&out.join("affected.csv"));
    assert!(!affected.contains("none@none.jp"), "{affected}");
    assert!(affected.contains("own.mailbox@example.jp"), "{affected}");
    assert!(counts.contains("\"affected_without_email\": 1"), "{counts}");
    // explain says why the email of both rows reads "missing".
    let explained = run(&["explain", "--result", out.to_str().unwrap(), "B3"]);
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(text.contains("\nnote: 1 email(s) and 0 phone number(s) of the recovered file"), "{text}");
    // The run says so on stderr, by counts: the mailbox is no one's to name.
    let again = run_job(&dir.path().join("r.csv"), &dir.path().join("bookings.csv"), &dir.path().join("again"));
    let said = stderr(&again);
    assert!(said.contains("leakmatch: 1 email(s) and 0 phone number(s) are each given by"), "{said}");
    assert!(!said.contains("none@"), "{said}");
}

#[test]
fn a_mailbox_of_ten_persons_still_counts() {
    // Ten persons are within a household's bound: the mailbox is evidence,
    // and with the name it links (the household rules tell members apart).
    // The mailbox alone ties them all: review (`possible_tie`).
    let (_dir, out) = run_with(10);
    assert_eq!(booking_links(&out, "R1"), ["B1:match:exact", "B2:possible_tie:exact"]);
    assert!(booking_links(&out, "R3").contains(&"B4:match:different".to_string()), "{:?}", booking_links(&out, "R3"));
    let counts = read(&out.join("counts.json"));
    assert!(counts.contains("\"booking_rows\": 0"), "{counts}");
    // A household's mailbox is mailed.
    assert!(read(&out.join("affected.csv")).contains("none@none.jp"));
    let explained = run(&["explain", "--result", out.to_str().unwrap(), "B1"]);
    assert!(!String::from_utf8_lossy(&explained.stdout).contains("note:"));
}

#[test]
fn rows_of_one_name_and_a_mailbox_of_many_names_stay_apart() {
    // 25 strangers give the mailbox (more than twice the household bound
    // in names: common before the persons are known), and R26 gives R1's
    // name and the mailbox only. A name alone joins nothing, and the
    // mailbox adds nothing to it. With 5 strangers the mailbox is a
    // household's, and the name with it joins.
    let surnames = ["山本", "近藤", "西村", "石井", "小川"];
    let given = ["有則", "青空", "鮎夢", "暁次", "直美"];
    let run_with = |strangers: usize| {
        let mut recovered = String::from("record_id,氏名,生年月日,メールアドレス\n");
        let names = surnames.iter().flat_map(|s| given.iter().map(move |g| format!("{s}{g}")));
        for (i, name) in names.take(strangers).enumerate() {
            recovered.push_str(&format!("R{},{name},19{:02}-01-02,none@none.jp\n", i + 1, 40 + i));
        }
        recovered.push_str("R26,山本有則,,none@none.jp\n");
        let bookings = "booking_id,channel,product,氏名\nB1,JTBホームページ,国内宿泊,誰某\n";
        let (dir, out) = run_inline(&recovered, bookings);
        let persons = read(&out.join("persons.csv"));
        (dir, person_of(&persons, "R1") == person_of(&persons, "R26"))
    };
    assert!(!run_with(25).1, "joined through a mailbox of 25 names");
    assert!(run_with(5).1, "a household's mailbox and the name no longer join");
}
