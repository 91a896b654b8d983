//! Bookings linked through another booking of the same customer: a leaked
//! row that links only to a store booking, whose customer also booked
//! online before changing handset.

use crate::util::*;

/// 加藤美咲's leaked row gives her name and the handset she uses now; so
/// does her store booking, with her birth date and home.
const RECOVERED: &str = "record_id,氏名,電話番号\n\
                         R1,加藤 美咲,090-3710-5626\n\
                         R2,佐藤 花子,080-1111-2222\n";
const STORE_BOOKING: &str =
    "S1,JTB店舗,国内宿泊,加藤 美咲,2001-04-02,090-3710-5626,new.misaki@example.jp,千葉県勝浦市花里2-4-5\n";

fn bookings(online: &str) -> String {
    format!("booking_id,channel,product,氏名,生年月日,電話番号,メールアドレス,住所\n{STORE_BOOKING}{online}")
}

#[test]
fn an_online_booking_that_agrees_with_the_persons_store_booking_is_theirs() {
    // Her online booking, made before the change, shares only the name
    // with the leaked row, and name, birth date and home with the store
    // booking.
    let online =
        "W1,JTBホームページ,国内宿泊,加藤美咲,2001-04-02,080-6493-9747,misaki@example.jp,千葉県勝浦市花里２－４－５\n";
    let (_dir, out) = run_inline(RECOVERED, &bookings(online));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "unmatched", "{persons}");
    let links = read(&out.join("links.csv"));
    let via: Vec<&str> = links.lines().filter(|l| l.contains(",match_via_booking,")).collect();
    assert_eq!(via.len(), 1, "{links}");
    assert!(via[0].starts_with("P0000001,booking,W1,S1,match_via_booking,"), "{links}");
    let counts = read(&out.join("counts.json"));
    assert!(counts.contains("\"bookings_via_booking\": 1,"), "{counts}");
}

#[test]
fn a_household_members_online_booking_is_not_the_persons() {
    // Her brother books online from the same home, with the family's
    // handset: another given name, another birth date.
    let online =
        "W1,JTBホームページ,国内宿泊,加藤大輔,1998-07-09,090-3710-5626,daisuke@example.jp,千葉県勝浦市花里2-4-5\n";
    let (_dir, out) = run_inline(RECOVERED, &bookings(online));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "excluded", "{persons}");
    assert!(!read(&out.join("links.csv")).contains(",W1,"), "W1 is linked to no one");
}

/// The chained rows are read again by their byte ranges: the online
/// booking sits in a second booking file, CP932 and tab-delimited, after
/// a row whose quoted field spans two lines, and is still found and read
/// whole.
#[test]
fn an_online_booking_in_a_second_cp932_tab_file_is_read_again_whole() {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.csv");
    std::fs::write(&recovered, RECOVERED).unwrap();
    let folder = dir.path().join("bookings");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a_store.csv"), bookings("")).unwrap();
    let tsv = "booking_id\tchannel\tproduct\t氏名\t生年月日\t電話番号\tメールアドレス\t住所\r\n\
               N1\tJTBホームページ\t\"国内\r\n宿泊\"\t佐藤 次郎\t1970-01-01\t03-1111-2222\tjiro@example.jp\t東京都港区1-1\r\n\
               W1\tJTBホームページ\t国内宿泊\t加藤美咲\t2001-04-02\t080-6493-9747\tmisaki@example.jp\t千葉県勝浦市花里２－４－５\r\n";
    let (cp932, _, unmappable) = encoding_rs::SHIFT_JIS.encode(tsv);
    assert!(!unmappable);
    std::fs::write(folder.join("b_web.tsv"), &cp932[..]).unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_job(&recovered, &folder, &out), 0);
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.starts_with("P0000001,booking,W1,S1,match_via_booking,")), "{links}");
    // Its rule values and email come from the row read again.
    let bookings_csv = read(&out.join("bookings.csv"));
    let w1 = |l: &&str| l.starts_with("W1,JTBホームページ,online,") && l.contains(",国内宿泊,qualifying,");
    assert!(bookings_csv.lines().any(|l| w1(&l)), "{bookings_csv}");
    let affected = read(&out.join("affected.csv"));
    assert!(affected.contains("misaki@example.jp"), "{affected}");
}

/// A person in review (here: a booking at a channel the rules do not
/// know) is searched too: the online booking chained through the store
/// booking is a qualifying match, which makes the person affected as it
/// would beside any doubt.
#[test]
fn a_person_in_review_is_searched_too() {
    let online =
        "W1,JTBホームページ,国内宿泊,加藤美咲,2001-04-02,080-6493-9747,misaki@example.jp,千葉県勝浦市花里２－４－５\n\
         P1,謎の窓口,国内宿泊,加藤 美咲,2001-04-02,090-3710-5626,,\n";
    let (_dir, out) = run_inline(RECOVERED, &bookings(online));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.starts_with("P0000001,booking,W1,S1,match_via_booking,")), "{links}");
    assert!(links.lines().any(|l| l.starts_with("P0000001,booking,P1,")), "{links}");
}

/// A booking with only possible links is still a candidate: the online
/// booking's mailbox name is also a row's without a name, at another
/// provider (a possible link, for an analyst), and the booking agrees with
/// the person's store booking as above. It is chained to the person,
/// keeps its possible link to the nameless row, and is listed once.
#[test]
fn an_online_booking_with_a_possible_link_is_chained_too() {
    let recovered = "record_id,氏名,電話番号,メールアドレス\n\
                     R1,加藤 美咲,090-3710-5626,\n\
                     R3,,,misaki.katou2001@other.example.jp\n";
    let online = "W1,JTBホームページ,国内宿泊,加藤美咲,2001-04-02,080-6493-9747,misaki.katou2001@example.jp,千葉県勝浦市花里２－４－５\n";
    let (_dir, out) = run_inline(recovered, &bookings(online));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R3"), "review", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.starts_with("P0000001,booking,W1,S1,match_via_booking,")), "{links}");
    assert!(
        links.lines().any(|l| l.contains(",W1,R3,possible_partial_contact,")),
        "its own record, not the seed's: {links}"
    );
    let bookings_csv = read(&out.join("bookings.csv"));
    assert_eq!(bookings_csv.lines().filter(|l| l.starts_with("W1,")).count(), 1, "{bookings_csv}");
}
