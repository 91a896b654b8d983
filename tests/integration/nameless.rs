//! Rows without a name: the contact identity rule (an email, a phone, the
//! birth date and the home), contacts a household shares, and the rows an
//! analyst reviews because only part of a contact agrees. How they join
//! their persons and link to bookings, run through the binary on small
//! inline files.

use crate::util::*;

#[test]
fn a_nameless_row_does_not_carry_a_household_members_booking_to_another_member() {
    // 山田太郎's row and a row without a name with the household's phone and
    // address (joined to him: nothing else matches it). His sister books:
    // her booking is not his, so he is not affected; but the nameless row
    // may be hers, which the data does not say: it leaves his person and
    // is for review through her booking, not silently unmatched.
    let dir = tempfile::tempdir().unwrap();
    let (recovered, bookings) = (dir.path().join("recovered.csv"), dir.path().join("bookings.csv"));
    std::fs::write(
        &recovered,
        "record_id,氏名,生年月日,電話番号,住所\n\
         R1,山田太郎,1970-01-02,090-1111-2222,東京都千代田区丸の内1-2-3\n\
         R2,,,090-1111-2222,東京都千代田区丸の内1-2-3\n",
    )
    .unwrap();
    std::fs::write(
        &bookings,
        "booking_id,channel,product,氏名,生年月日,電話番号,住所\n\
         B1,JTBホームページ,国内宿泊,山田花子,1975-05-06,090-1111-2222,東京都千代田区丸の内1-2-3\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_job(&recovered, &bookings, &out), 0);
    let persons = read(&out.join("persons.csv"));
    assert_eq!(persons.lines().count(), 3, "R2 left R1's person:\n{persons}");
    assert_eq!(status_of(&persons, "R1"), "unmatched", "{persons}");
    assert!(persons.lines().any(|l| l.starts_with("P0000002,review,possible_link,R2,")), "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.starts_with("P0000002,booking,B1,R2,possible_household_row,")), "{links}");
    assert!(!links.lines().any(|l| l.contains(",record,")), "the join of R2 to R1 is undone: {links}");
    let review = read(&out.join("review.csv"));
    assert!(review.contains(",B1:possible_household_row:"), "the reason is the evidence's kind: {review}");
    // explain puts the analyst's question under the link.
    let explained = run(&["explain", "--result", out.to_str().unwrap(), "B1"]);
    let text = String::from_utf8_lossy(&explained.stdout);
    let heading = |l: &str| l.starts_with("booking B1 (") && l.contains(".csv) → record R2: possible_household_row");
    let question = text.lines().skip_while(|l| !heading(l)).nth(1);
    assert!(question.is_some_and(|l| l.starts_with("  only possible: ") && l.contains("whose row")), "{text}");
    assert!(!links.lines().any(|l| l.contains(",B1,R1,")), "{links}");
}

#[test]
fn a_household_row_both_members_would_be_told_about_is_affected_either_way() {
    // 山田太郎 books online (B1) and so does his sister (B2), with the
    // household's phone and address that R2, a row without a name, gives.
    // R2 is his or hers: told either way, it is affected on its own (its
    // letter does not go out as his), by her booking.
    let recovered = "record_id,氏名,生年月日,電話番号,住所\n\
         R1,山田太郎,1970-01-02,090-1111-2222,東京都千代田区丸の内1-2-3\n\
         R2,,,090-1111-2222,東京都千代田区丸の内1-2-3\n";
    let bookings = |sisters_channel: &str| {
        format!(
            "booking_id,channel,product,氏名,生年月日,電話番号,住所\n\
             B1,JTBホームページ,国内宿泊,山田太郎,1970-01-02,090-1111-2222,東京都千代田区丸の内1-2-3\n\
             B2,{sisters_channel},国内宿泊,山田花子,1975-05-06,090-1111-2222,東京都千代田区丸の内1-2-3\n"
        )
    };
    let (_dir, out) = run_inline(recovered, &bookings("JTBホームページ"));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert!(persons.lines().any(|l| l.starts_with("P0000002,affected,household_row,R2,B2,")), "{persons}");
    let affected = read(&out.join("affected.csv"));
    assert!(affected.lines().any(|l| l.starts_with("P0000002,") && l.contains(",R2,B2,")), "{affected}");
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["linkage"]["household_rows"]["split"], 1, "{counts}");
    assert_eq!(counts["affected_household_row"], 1, "{counts}");
    // Her booking in a store: told as his, not as hers. R2 is for review;
    // he stays affected by his own booking.
    let (_dir, out) = run_inline(recovered, &bookings("JTB店舗"));
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "review", "{persons}");
}

#[test]
fn a_contact_only_row_the_clustering_left_alone_is_linked_with_its_booking() {
    // R2 shares nothing with R1 (no name, only the email), so the
    // clustering keeps it apart; the booking holds both rows' data.
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,電話番号,メールアドレス\n\
         R1,山田太郎,1980-01-02,090-1111-2222,\n\
         R2,,,,taro.y@example.jp\n\
         R3,佐藤花子,1990-03-04,080-3333-4444,hanako@example.jp\n",
        "booking_id,channel,name_kanji,birth_date,phone,email\n\
         W1,JTBホームページ,山田太郎,1980-01-02,090-1111-2222,taro.y@example.jp\n",
    );
    let persons = read(&out.join("persons.csv"));
    let affected_records: Vec<&str> =
        persons.lines().filter(|l| l.contains(",affected,")).flat_map(|l| l.split(',').nth(3)).collect();
    assert!(affected_records.contains(&"R1") && affected_records.contains(&"R2"), "{persons}");
    assert!(!persons.lines().any(|l| l.contains("R3") && l.contains(",affected,")), "{persons}");
}

#[test]
fn a_phone_row_links_unless_the_phone_is_a_households() {
    // R3 carries the phone and address of the Yamada household (two named
    // persons); R5 the phone of Suzuki alone and his birth date; R6 the
    // phone of Suzuki and nothing else (the number is all there is to
    // compare, and only Suzuki gives it).
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,電話番号,住所\n\
         R1,山田太郎,1980-01-02,03-1111-2222,東京都千代田区丸の内1-1-1\n\
         R2,山田花子,1982-05-06,03-1111-2222,東京都千代田区丸の内1-1-1\n\
         R3,,,03-1111-2222,東京都千代田区丸の内1-1-1\n\
         R4,鈴木一郎,1975-07-07,,\n\
         R5,,1975-07-07,090-5555-6666,\n\
         R6,,,090-5555-6666,\n",
        "booking_id,channel,name_kanji,birth_date,phone,address\n\
         W1,JTBホームページ,山田太郎,1980-01-02,03-1111-2222,東京都千代田区丸の内1-1-1\n\
         W2,JTBホームページ,鈴木一郎,1975-07-07,090-5555-6666,\n",
    );
    let persons = read(&out.join("persons.csv"));
    let status = |record: &str| status_of(&persons, record);
    assert_eq!(status("R5"), "affected", "{persons}");
    assert_ne!(status("R3"), "affected", "{persons}");
    assert_eq!(status("R6"), "affected", "{persons}");
    assert_eq!(status("R2"), "unmatched", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains("W2,R5,match_phone")), "{links}");
    assert!(links.lines().any(|l| l.contains(",R6,R5,join_phone,")), "{links}");
}

#[test]
fn a_household_phone_beside_a_personal_email_does_not_stop_the_email_linking() {
    // The Haga household shares one phone (R3, R4). R2 has no name, that
    // phone and an email only 房太's booking gives: the email says whose
    // row it is, the household's phone beside it takes nothing away. R1
    // (房太's named row) shares nothing with R2, so the clustering keeps
    // them apart and the booking decides.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,電話番号,メールアドレス\n\
         R1,,ハガ フサタ,1987-06-05,,\n\
         R2,,,,090-8602-5207,fusata.haga@example.jp\n\
         R3,羽賀 谷美,ハガ タニミ,1974-02-12,090-8602-5207,tanimi@example.jp\n\
         R4,羽賀 多依子,ハガ タイコ,1974-02-12,090-8602-5207,taiko@example.jp\n",
        "booking_id,channel,name_kanji,name_kana,birth_date,phone,email\n\
         W1,JTBホームページ,羽賀 房太,ハガ フサタ,1987-06-05,090-8602-5207,fusata.haga@example.jp\n",
    );
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,match_email,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert!(persons.lines().any(|l| l.contains(",affected,") && l.contains("R2")), "{persons}");
    assert!(!persons.lines().any(|l| l.contains(",affected,") && l.contains("R3")), "{persons}");
}

#[test]
fn a_row_of_a_birth_date_and_a_home_alone_is_the_bookings_customer_unless_twins_live_there() {
    // R2 gives only a birth date, a postal code and a street address; the
    // booking's customer gives that day and that home. Her named rows (R1,
    // R3) share nothing else with R2 (R3 gives the birth date but neither
    // postal code nor address), so the clustering leaves it alone; the
    // booking links it beside them by the birth date and the home.
    let customer = "record_id,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n\
         R1,小林 舞,,,mai.k@example.jp,080-2429-2202,,\n\
         R2,,,1957-06-18,,,4790043,愛知県常滑市古社4丁目30番10号\n\
         R3,小林舞,コバヤシ マイ,1957/6/18,mai.k@example.jp,08024292202,,\n\
         R4,佐藤花子,サトウ ハナコ,1980-01-02,hanako@example.jp,090-1111-2222,530-0001,大阪府大阪市北区梅田1-1-1\n";
    let booking = "booking_id,channel,氏名,生年月日,メールアドレス,電話番号,郵便番号,住所\n\
         W1,JTBホームページ,小林 舞,1957-06-18,mai.k@example.jp,080-2429-2202,479-0043,愛知県常滑市古社4-30-10\n";
    let (_dir, out) = run_inline(customer, booking);
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,match_birth_home,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R2"), "affected", "{persons}");
    // Her twin at that home, named in the leak (R5): R2 is hers or her
    // twin's, the data does not say. The clustering joins R2 to R5 (the
    // one person its keys find), and the booking makes that person a
    // review through R2, not affected.
    let twins = format!(
        "{customer}R5,小林 愛,コバヤシ アイ,1957-06-18,ai.k@example.jp,080-3333-4444,479-0043,愛知県常滑市古社4-30-10\n"
    );
    let (_dir, out) = run_inline(&twins, booking);
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,possible_household_row,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R2"), "review", "{persons}");
    // When the customer's named row gives the home as well, R2 fits the
    // twins alike and joins neither; the booking's birth date and home are
    // then a household's, held back as a shared phone is.
    let both_at_home = twins.replace("08024292202,,\n", "08024292202,479-0043,愛知県常滑市古社4-30-10\n");
    let (_dir, out) = run_inline(&both_at_home, booking);
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,possible_household_contact,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R2"), "review", "{persons}");
}

#[test]
fn a_contact_only_row_linked_by_its_email_is_matched_though_a_named_row_stays_under_the_threshold() {
    // R1 names the booking's customer but its gender disagrees: it scores
    // under the match threshold (a possible link). R2 has only the
    // booking's email, exactly, and nothing against it: the identity rule
    // matches it, whatever the named row scored.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,性別,郵便番号,メールアドレス\n\
         R1,山田太郎,ヤマダ タロウ,女,100-0001,\n\
         R2,,,,,taro.y@example.jp\n\
         R3,佐藤花子,サトウ ハナコ,女,530-0001,hanako@example.jp\n",
        "booking_id,channel,name_kanji,name_kana,gender,postal_code,email\n\
         W1,JTBホームページ,山田太郎,ヤマダ タロウ,男,100-0001,taro.y@example.jp\n",
    );
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,match_email,")), "{links}");
    assert!(links.lines().any(|l| l.contains(",W1,R1,possible_below_threshold,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert!(persons.lines().any(|l| l.contains(",affected,") && l.contains(",R2,")), "{persons}");
    assert!(persons.lines().any(|l| l.contains(",review,") && l.contains(",R1,")), "{persons}");
}

#[test]
fn a_named_row_that_links_outranks_a_nameless_row_with_more_contacts() {
    // R1 has no name, only the booking's email and phone: it scores higher
    // than R2, whose kana name agrees with the booking's kanji through its
    // reading and whose phone is the booking's. The clustering keeps them
    // apart (the phone is a fixed line, a household's, and their postal
    // codes differ). The name says whose booking it is: R2 gets it, and
    // R1 beside it by the identity rule (its email).
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,電話番号,メールアドレス,郵便番号\n\
         R1,,,03-9300-8520,taro.y@example.jp,100-0001\n\
         R2,,ヤマダ タロウ,03-9300-8520,,150-0001\n\
         R3,佐藤花子,サトウ ハナコ,080-3333-4444,hanako@example.jp,530-0001\n",
        "booking_id,channel,name_kanji,birth_date,phone,email\n\
         W1,JTBホームページ,山田 太郎,1980-01-02,03-9300-8520,taro.y@example.jp\n",
    );
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R2,match,")), "{links}");
    assert!(links.lines().any(|l| l.contains(",W1,R1,match_email,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    for record in ["R1", "R2"] {
        assert!(persons.lines().any(|l| l.contains(",affected,") && l.contains(&format!(",{record},"))), "{persons}");
    }
}

#[test]
fn a_row_with_only_an_email_joins_the_person_whose_row_gives_that_email() {
    // R2 holds nothing but R1's email: one field never outweighs the prior,
    // so the pair scores under the review band; the identity rule joins it
    // all the same, and that low score must not count as "scored apart"
    // against the join it asks for.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,電話番号,メールアドレス\n\
         R1,中島 太平,ナカジマ タヘイ,1991-08-22,090-4593-2368,tahei.nakajima@docomo.ne.jp\n\
         R2,,,,,tahei.nakajima@docomo.ne.jp\n\
         R3,佐藤 花子,サトウ ハナコ,1980-01-02,080-3333-4444,hanako@example.jp\n",
        "booking_id,channel,name_kanji,birth_date\n\
         W1,JTBホームページ,佐藤 花子,1980-01-02\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert!(persons.lines().any(|l| l.contains(",R1;R2,")), "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",record,R2,R1,join_email,")), "{links}");
}

#[test]
fn a_phone_that_over_a_hundred_bookings_give_links_a_nameless_row_to_none_of_them() {
    // 101 customers booked with the store's own phone (a placeholder); the
    // leaked row holds only that number. One customer's phone would link
    // it; an office's must not send 101 letters: review, and counted.
    let mut bookings = String::from("booking_id,channel,name_kanji,birth_date,phone\n");
    for customer in 0..=100 {
        let birth = format!("19{:02}-0{}-1{}", 20 + customer % 70, 1 + customer % 9, customer % 10);
        bookings.push_str(&format!(
            "W{customer},JTBホームページ,山田{}郎,{birth},03-5555-0123\n",
            "太".repeat(1 + customer)
        ));
    }
    let (_dir, out) = run_inline("record_id,氏名,電話番号\nR1,,03-5555-0123\nR2,佐藤花子,090-3333-4444\n", &bookings);
    let persons = read(&out.join("persons.csv"));
    let r1 = persons.lines().find(|l| l.contains(",R1,")).expect("R1 has a person");
    assert!(r1.contains(",review,"), "{persons}");
    let counts: serde_json::Value = serde_json::from_str(&read(&out.join("counts.json"))).unwrap();
    assert_eq!(counts["linkage"]["contact_only_capped"], 1, "{counts}");
    let by_reason = &counts["linkage"]["possible_links_by_reason"];
    assert_eq!(by_reason["many_contact_bookings"], 101, "{counts}");
    assert_eq!(by_reason["tie"], 0, "every reason is listed: {counts}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W100,R1,possible_many_contact_bookings,")), "{links}");
}

#[test]
fn a_tie_between_rows_without_a_name_is_no_choice_but_a_tie_of_household_members_is() {
    // R1 and R2 have no name and share only the birth date, so they stay
    // apart; W1 gives R1's email and R2's mobile number: both rows are its
    // customer's. R3 and R4 are a household (one phone and home, two given
    // names); W2 gives no name, only that phone and home: for review.
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,メールアドレス,電話番号,住所\n\
         R1,,1963-08-16,mai@example.jp,,\n\
         R2,,1963-08-16,,070-5578-6503,\n\
         R3,佐藤浩,1948-09-25,,090-6602-3813,宮城県遠田郡美里町高田8-10-3\n\
         R4,佐藤和也,1975-01-02,,090-6602-3813,宮城県遠田郡美里町高田8-10-3\n",
        "booking_id,channel,product,氏名,生年月日,メールアドレス,電話番号,住所\n\
         W1,JTBホームページ,国内宿泊,斎藤舞,1963-08-16,mai@example.jp,070-5578-6503,\n\
         W2,JTBホームページ,国内宿泊,,,,090-6602-3813,宮城県遠田郡美里町高田8-10-3\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R3"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R4"), "review", "{persons}");
    let links = read(&out.join("links.csv"));
    for row in ["R3", "R4"] {
        assert!(links.lines().any(|l| l.contains(&format!(",W2,{row},possible_tie,"))), "{links}");
    }
}

#[test]
fn a_nameless_row_with_a_households_email_beside_a_members_booking_is_for_review() {
    // The Naruse household shares one mailbox (R1, R2). R3 has no name,
    // that mailbox and a handset nobody else gives. 志月's booking names
    // her, so it is hers; whether R3 is hers, the data does not say: an
    // analyst decides (review), it is not silently left unmatched.
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,電話番号,メールアドレス\n\
         R1,成瀬 志月,1943-08-20,090-1663-4962,naruse@example.jp\n\
         R2,成瀬 鈴那,1940-05-27,090-1663-4962,naruse@example.jp\n\
         R3,,,080-5896-8435,naruse@example.jp\n",
        "booking_id,channel,name_kanji,birth_date,phone,email\n\
         W1,JTBホームページ,成瀬 志月,1943-08-20,090-1663-4962,naruse@example.jp\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R3"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "unmatched", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R3,possible_household_contact,")), "{links}");
}

#[test]
fn a_nameless_rows_phone_beside_another_email_is_for_review() {
    // R1 gives only a mailbox and a handset. The handset is W1's, whose
    // customer booked with another mailbox: one customer who changed
    // mailbox, or a household member's own mailbox beside the family
    // handset. Not enough to match, not "no": review. R2 shares nothing
    // with any booking and stays unmatched.
    let (_dir, out) = run_inline(
        "record_id,氏名,電話番号,メールアドレス\n\
         R1,,090-3318-2270,txdwhguh57@nifty.com\n\
         R2,,080-1111-0000,someone.else@example.jp\n",
        "booking_id,channel,name_kanji,birth_date,phone,email,address\n\
         W1,JTBホームページ,中山 すみれ,1951-01-17,090-3318-2270,sumire.nakayama@docomo.ne.jp,秋田県横手市十文字町西下6-18-1\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "unmatched", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R1,possible_partial_contact,")), "{links}");
}

#[test]
fn a_nameless_rows_fixed_line_at_another_place_is_for_review() {
    // R1 gives a fixed line and a home in Nagano; W1's customer booked
    // with that number at a home in Nara. A fixed line is a household's
    // and goes with the address, so the number alone does not match; but
    // the number is the booking's: review, not unmatched. R2's mobile,
    // with nothing else to compare, is its customer's wherever W2 lives (a
    // handset moves with its owner).
    let (_dir, out) = run_inline(
        "record_id,氏名,電話番号,郵便番号,住所\n\
         R1,,(075)628-7399,399-4601,長野県上伊那郡箕輪町中箕輪2丁目16番1号\n\
         R2,,090-4444-5555,399-4601,長野県上伊那郡箕輪町中箕輪3丁目1番1号\n",
        "booking_id,channel,name_kanji,birth_date,phone,postal_code,address\n\
         W1,JTBホームページ,宮崎 周信,1965-02-17,075-628-7399,637-1661,奈良県吉野郡十津川村重里2丁目16番1号\n\
         W2,JTBホームページ,宮崎 花子,1966-03-18,09044445555,637-1661,奈良県吉野郡十津川村重里2丁目16番1号\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "affected", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R1,possible_partial_contact,")), "{links}");
}

#[test]
fn a_row_meets_its_booking_by_the_mailbox_name_at_another_provider() {
    // R1 gives a name and a mailbox; W1's customer booked with the same
    // mailbox name at another provider, and the two share nothing else a
    // key is made of (no birth date, postal code or phone on R1). The
    // local part brings them together; what they weigh is the model's.
    // R2's handle is too short to key (many people's at many providers):
    // a name and `taro@` elsewhere meet nothing.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,メールアドレス\n\
         R1,,イナガキ キョウジロウ,inagakikyoujirou4368944@nifty.com\n\
         R2,,ヤマダ タロウ,taro@nifty.com\n",
        "booking_id,channel,name_kanji,name_kana,birth_date,phone,email,address\n\
         W1,JTBホームページ,稲垣 享仁郎,イナガキ キョウジロウ,1992-05-09,070-2035-2407,inagakikyoujirou4368944@docomo.ne.jp,佐賀県佐賀市神野西8丁目12番18号\n\
         W2,JTBホームページ,山田 太郎,ヤマダ タロウ,1980-01-02,090-1111-2222,taro@docomo.ne.jp,東京都千代田区丸の内1-1-1\n",
    );
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R1,") && l.contains("same_local_part")), "{links}");
    assert!(!links.lines().any(|l| l.contains(",W2,R2,")), "{links}");
    let persons = read(&out.join("persons.csv"));
    assert_ne!(status_of(&persons, "R1"), "unmatched", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "unmatched", "{persons}");
}

#[test]
fn a_row_of_a_birth_date_and_a_postal_code_joins_the_person_whose_row_gives_both() {
    // R2 gives no name, only the birth date, postal code and street address;
    // R1 gives the name, the same birth date and postal code and no street
    // address. Nothing but the birth date and postal code brings the two
    // together, and the two agreeing are one person's: R2 joins R1 and is
    // affected with R1's booking. R3 is born the same day at another postal
    // code: nothing to do with them.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,郵便番号,住所,メールアドレス\n\
         R1,山口 陽子,ヤマグチ ヨウコ,1958-09-25,630-8352,,yoko.yamaguchi@example.jp\n\
         R2,,,1958-09-25,630-8352,奈良市北風呂町4-20-17,\n\
         R3,佐藤 花子,サトウ ハナコ,1958-09-25,100-0005,,hanako@example.jp\n",
        "booking_id,channel,name_kanji,email\n\
         W1,JTBホームページ,山口 陽子,yoko.yamaguchi@example.jp\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert!(persons.lines().any(|l| l.contains(",affected,") && l.contains(",R1;R2,")), "{persons}");
    assert!(persons.lines().any(|l| l.contains(",unmatched,") && l.contains(",R3,")), "{persons}");
}

#[test]
fn a_row_of_the_home_alone_is_the_bookings_customers_unless_the_leak_names_another_resident() {
    // R1 gives only a postal code and a street address: all there is to
    // compare with W1, booked from that home, so W1's customer is the
    // resident to tell (`match_home`). R2, at another house, is not.
    // R3 is the same home beside another phone than W2's: the customer's
    // old number, or a resident's own? For review (`possible_home_only`).
    // R4's home is the one where the leak names two residents (R5, R6):
    // whose row it is, the booking does not say (`possible_household_contact`).
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n\
         R1,,,,,,630-8352,奈良市北風呂町４－２０－１７\n\
         R2,,,,,,630-8352,奈良市北風呂町4-20-18\n\
         R3,,,,,080-3333-4444,104-0061,中央区銀座1-2-3\n\
         R4,,,,,,060-0001,札幌市中央区北一条西5-6-7\n\
         R5,佐藤 一郎,サトウ イチロウ,1950-01-02,ichiro@example.jp,,060-0001,札幌市中央区北一条西5-6-7\n\
         R6,佐藤 花子,サトウ ハナコ,1952-03-04,hanako@example.jp,,060-0001,札幌市中央区北一条西5-6-7\n",
        "booking_id,channel,name_kanji,birth_date,email,phone,postal_code,address\n\
         W1,JTBホームページ,山口 陽子,1958-09-25,yoko.y@example.jp,,630-8352,奈良県奈良市北風呂町4-20-17\n\
         W2,JTBホームページ,鈴木 一郎,1960-05-06,suzuki@example.jp,090-1111-2222,104-0061,東京都中央区銀座1-2-3\n\
         W3,JTBホームページ,佐藤 花子,1952-03-04,hanako@example.jp,,060-0001,北海道札幌市中央区北一条西5-6-7\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "affected", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "unmatched", "{persons}");
    assert_eq!(status_of(&persons, "R3"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R4"), "review", "{persons}");
    assert_eq!(status_of(&persons, "R6"), "affected", "{persons}");
    assert_ne!(person_of(&persons, "R4"), person_of(&persons, "R6"), "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W1,R1,match_home,")), "{links}");
    assert!(links.lines().any(|l| l.contains(",W2,R3,possible_home_only,")), "{links}");
    assert!(links.lines().any(|l| l.contains(",W3,R4,possible_household_contact,")), "{links}");
}

#[test]
fn a_home_row_is_not_a_neighbours_in_another_flat_of_the_building() {
    // R1 gives only its flat, メゾン北風呂101; W1 was booked from flat 102
    // of the same building (one house number): a neighbour, not the
    // resident to tell. R2's flat 201 is W2's, written with 号室. The leak
    // names residents of two other flats (R3, R4): they are neighbours, not
    // residents of R2's home, so they do not hold W2 back for review.
    let (_dir, out) = run_inline(
        "record_id,氏名,生年月日,郵便番号,住所\n\
         R1,,,630-8352,奈良市北風呂町4-20-17 メゾン北風呂101\n\
         R2,,,630-8352,奈良市北風呂町4-20-17 メゾン北風呂201\n\
         R3,佐藤 一郎,1950-01-02,630-8352,奈良市北風呂町4-20-17 メゾン北風呂301\n\
         R4,鈴木 花子,1952-03-04,630-8352,奈良市北風呂町4-20-17 メゾン北風呂302\n",
        "booking_id,channel,name_kanji,birth_date,email,postal_code,address\n\
         W1,JTBホームページ,山口 陽子,1958-09-25,yoko.y@example.jp,630-8352,奈良県奈良市北風呂町4-20-17 メゾン北風呂102\n\
         W2,JTBホームページ,森 健二,1961-01-02,kenji.m@example.jp,630-8352,奈良県奈良市北風呂町四丁目20番17号メゾン北風呂201号室\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(status_of(&persons, "R1"), "unmatched", "{persons}");
    assert_eq!(status_of(&persons, "R2"), "affected", "{persons}");
    let links = read(&out.join("links.csv"));
    assert!(links.lines().any(|l| l.contains(",W2,R2,match_home,")), "{links}");
    assert!(!links.lines().any(|l| l.contains(",W1,R1,")), "{links}");
}

#[test]
fn a_home_row_of_a_named_person_does_not_carry_another_residents_booking() {
    // R1, without a name, is joined to 小林 恵 (R2) by their mobile. W1,
    // booked by 小林 健太 from R1's home without a phone, agrees with R1 on
    // the home alone: the person's name says R1 is 恵's, or another
    // resident's; W1 is not 恵's booking to decide her status by.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n\
         R1,,,,,090-9167-4431,658-0073,兵庫県神戸市東灘区西岡本4-11-19\n\
         R2,小林 恵,コバヤシ メグミ,1953-11-27,megumi@example.jp,090-9167-4431,658-0073,\n",
        "booking_id,channel,name_kanji,birth_date,email,phone,postal_code,address\n\
         W1,JTBホームページ,小林 健太,1946-10-21,kenta@example.jp,,658-0073,神戸市東灘区西岡本４－１１－１９\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(person_of(&persons, "R1"), person_of(&persons, "R2"), "{persons}");
    assert_ne!(status_of(&persons, "R2"), "affected", "{persons}");
}

#[test]
fn a_row_of_a_birth_date_and_the_home_stays_with_its_person_beside_another_residents_booking() {
    // R3 (a birth date and the home) is 吉田 拓也's by both (R1, R2). W2,
    // 吉田 京子's from that home without a birth date, agrees with R3 on
    // the home alone, which every resident's booking gives: it says nothing
    // of whose row R3 is, and R3 stays with 拓也, affected by his W1.
    let (_dir, out) = run_inline(
        "record_id,氏名,フリガナ,生年月日,メールアドレス,電話番号,郵便番号,住所\n\
         R1,吉田 拓也,ヨシダ タクヤ,1943-06-14,takuya@example.jp,080-2827-5788,670-0876,姫路市西八代町９－２２－９\n\
         R2,吉田拓也,ヨシダ タクヤ,1943-06-14,,080-2827-5788,670-0876,姫路市西八代町９－２２－９\n\
         R3,,,19430614,,,670-0876,姫路市西八代町９－２２－９\n",
        "booking_id,channel,name_kanji,birth_date,email,phone,postal_code,address\n\
         W1,JTBホームページ,吉田拓也,19430614,takuya@example.jp,08028275788,670-0876,兵庫県姫路市西八代町9-22-9\n\
         W2,JTBホームページ,吉田京子,,kyoko@example.jp,,670-0876,兵庫県姫路市西八代町9-22-9\n",
    );
    let persons = read(&out.join("persons.csv"));
    assert_eq!(person_of(&persons, "R3"), person_of(&persons, "R1"), "{persons}");
    assert_eq!(status_of(&persons, "R3"), "affected", "{persons}");
}
