//! Unit tests of `input::headers`.

use super::*;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn columns_no_field_reads_are_listed() {
    let headers = strings(&["氏名", "都道府県", "email", "住所", "EMAIL", "メモ", "氏名"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    // 都道府県 and メモ are no alias; the second 氏名 is a duplicate; the
    // second EMAIL is the email's second column.
    assert_eq!(map.unread_columns(), &[1, 5, 6]);
    let overrides = [(Column::from_name("address").unwrap(), "都道府県".to_string())];
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &overrides).unwrap();
    assert_eq!(map.source(Field::Address), Source::Whole(1));
    assert_eq!(map.unread_columns(), &[3, 5, 6]);
    // A bare issue date may be a ticket's: not the passport's.
    let headers = strings(&["氏名", "Issue Date", "発行日"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.unread_columns(), &[1, 2]);
}

#[test]
fn an_address_in_parts_is_read_only_without_a_whole_one() {
    let headers = strings(&["住所2", "都道府県", "番地", "市区町村"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    // In address order, whatever the column order; no building part.
    assert_eq!(map.source(Field::Address), Source::AddressParts([Some(1), Some(3), Some(2), Some(0)]));
    assert_eq!(map.source(Field::Address).columns().collect::<Vec<_>>(), [1, 3, 2, 0]);
    assert!(map.unread_columns().is_empty());
    let headers = strings(&["都道府県", "住所"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::Address), Source::Whole(1));
    assert_eq!(map.unread_columns(), &[0]);
    // A building column beside a whole address is read after it; the
    // other parts are not.
    let headers = strings(&["都道府県", "住所", "建物名", "市区町村"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::Address), Source::AddressParts([None, None, Some(1), Some(2)]));
    assert_eq!(map.unread_columns(), &[0, 3]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["住所2", "住所"]), &[]).unwrap();
    assert_eq!(map.source(Field::Address).columns().collect::<Vec<_>>(), [1, 0]);
    assert_eq!(Column::from_name("address_street").map(Column::name).as_deref(), Some("address_street"));
}

#[test]
fn japanese_headers_match_after_nfkc_and_case_folding() {
    let headers = strings(&["ﾚｺｰﾄﾞID", " 氏名 ", "フリガナ", "EMAIL", "生年月日"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert_eq!(map.source(Field::NameKanji), Source::Whole(1));
    assert_eq!(map.source(Field::NameKana), Source::Whole(2));
    assert_eq!(map.source(Field::Email), Source::Whole(3));
    assert_eq!(map.source(Field::BirthDate), Source::Whole(4));
}

/// A NUL of a damaged file, a zero-width space or a byte order mark
/// left inside a header: the header is the one without them.
#[test]
fn invisible_characters_in_a_header_are_read_past() {
    let headers = strings(&["\u{FEFF}レコードID", "氏名\u{200B}", "メール\u{0}アドレス", "電話番号\u{200E}"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    let fields = [Field::RecordId, Field::NameKanji, Field::Email, Field::Phone];
    assert!(fields.into_iter().enumerate().all(|(column, field)| map.source(field) == Source::Whole(column)));
    assert!(map.unread_columns().is_empty());
}

#[test]
fn headers_match_whatever_separates_their_words() {
    let headers =
        strings(&["Record ID", "Name Kanji", "Birth Date", "E-Mail", "Phone Number", "Postal-Code", "Passport No."]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    let fields = [
        Field::RecordId,
        Field::NameKanji,
        Field::BirthDate,
        Field::Email,
        Field::Phone,
        Field::PostalCode,
        Field::PassportNumber,
    ];
    for (column, field) in fields.into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
    assert!(map.unread_columns().is_empty());
}

#[test]
fn no_two_fields_share_an_alias() {
    let mut seen: std::collections::HashMap<String, Column> = std::collections::HashMap::new();
    for (key, column) in ALIASES.iter() {
        if let Some(other) = seen.insert(key.clone(), *column) {
            assert_eq!(other, *column, "alias {key:?} names two columns");
        }
    }
}

#[test]
fn a_booking_forms_words_for_its_customer_are_read() {
    let headers =
        strings(&["お客様名", "お名前（フリガナ）", "パスポート記載名", "携帯", "自宅住所", "旅券発行年月日"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    let fields =
        [Field::NameKanji, Field::NameKana, Field::NameRomaji, Field::Phone, Field::Address, Field::PassportIssueDate];
    for (column, field) in fields.into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
    assert!(map.unread_columns().is_empty());
    let headers = strings(&["申込者名", "携帯メール", "ローマ字表記"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    for (column, field) in [Field::NameKanji, Field::Email, Field::NameRomaji].into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
}

#[test]
fn export_spellings_of_the_booking_columns_are_read() {
    let headers = strings(&["予約No.", "販売経路", "商品名", "氏名（フリガナ）"]);
    let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::BookingId), Source::Whole(0));
    assert_eq!(map.source(Field::Channel), Source::Whole(1));
    assert_eq!(map.source(Field::Product), Source::Whole(2));
    assert_eq!(map.source(Field::NameKana), Source::Whole(3));
    let headers = strings(&["Reservation No", "Sales Channel", "申込方法", "Product Name", "予約日時", "email"]);
    let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
    let fields = [Field::BookingId, Field::Channel, Field::BookingMethod, Field::Product, Field::BookedAt];
    for (column, field) in fields.into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
    let headers = strings(&["氏名（英字）", "旅券発給日", "Eメールアドレス", "現住所", "名前"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    let fields = [Field::NameRomaji, Field::PassportIssueDate, Field::Email, Field::Address, Field::NameKanji];
    for (column, field) in fields.into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
    // English and "No." spellings.
    for (headers, fields) in [
        (["Full Name", "パスポートNo", "Postal"], [Field::NameKanji, Field::PassportNumber, Field::PostalCode]),
        (["Customer Name", "旅券No.", "郵便"], [Field::NameKanji, Field::PassportNumber, Field::PostalCode]),
        (["Name", "passport", "zip"], [Field::NameKanji, Field::PassportNumber, Field::PostalCode]),
        (
            ["Passport No.", "Date of Issue", "ZIP Code"],
            [Field::PassportNumber, Field::PassportIssueDate, Field::PostalCode],
        ),
        (["Telephone", "Passport Issued", "Sex"], [Field::Phone, Field::PassportIssueDate, Field::Gender]),
    ] {
        let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&headers), &[]).unwrap();
        for (column, field) in fields.into_iter().enumerate() {
            assert_eq!(map.source(field), Source::Whole(column), "{headers:?} {field:?}");
        }
    }
}

#[test]
fn a_note_at_the_end_of_a_header_is_read_past_except_on_a_name() {
    let headers =
        strings(&["生年月日（西暦）", "電話番号(携帯)", "メールアドレス【PC】", "氏名(旧姓)", "住所 (番地まで)"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::Whole(0));
    assert_eq!(map.source(Field::Phone), Source::Whole(1));
    assert_eq!(map.source(Field::Email), Source::Whole(2));
    assert_eq!(map.source(Field::Address), Source::Whole(4));
    // The note of a name says what name it is (a former surname, a
    // script): not read as the name.
    assert_eq!(map.source(Field::NameKanji), Source::Absent);
    assert_eq!(map.unread_columns(), &[3]);
    // A customer's numbered contacts: the first is read, the second where
    // the first gives none.
    let headers = strings(&["電話番号1", "電話番号2", "email1", "氏名1"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::Phone), Source::Whole(0));
    assert_eq!(map.second(Field::Phone), Some(1));
    assert_eq!(map.source(Field::Email), Source::Whole(2));
    assert_eq!(map.second(Field::Email), None);
    assert_eq!(map.unread_columns(), &[3]);
    // A plain header wins over a described one, wherever it stands.
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["電話番号(勤務先)", "電話番号"]), &[]).unwrap();
    assert_eq!(map.source(Field::Phone), Source::Whole(1));
    assert_eq!(map.second(Field::Phone), Some(0));
    assert!(map.unread_columns().is_empty());
    // A note an alias lists is the alias's (氏名(カナ) is the kana name).
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["氏名（カナ）", "email"]), &[]).unwrap();
    assert_eq!(map.source(Field::NameKana), Source::Whole(0));
}

#[test]
fn split_name_columns_are_combined() {
    let headers = strings(&["姓", "名", "セイ", "メイ"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(0), given: Some(1) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(2), given: Some(3) });
    // English exports: a web form's last and first name, each script's.
    let headers = strings(&["Last Name", "First Name", "last_name_kana", "first_name_kana", "Family Name (Romaji)"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(0), given: Some(1) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(2), given: Some(3) });
    assert_eq!(map.source(Field::NameRomaji), Source::Split { surname: Some(4), given: None });
    // A whole name whose header says its script.
    let headers = strings(&["姓名", "Name (Kana)", "Name (Romaji)"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    let fields = [Field::NameKanji, Field::NameKana, Field::NameRomaji];
    for (column, field) in fields.into_iter().enumerate() {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
}

#[test]
fn map_override_wins_over_alias() {
    let headers = strings(&["email", "連絡先"]);
    let overrides = vec![(Column::from_name("email").unwrap(), "連絡先".to_string())];
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &overrides).unwrap();
    assert_eq!(map.source(Field::Email), Source::Whole(1));
}

#[test]
fn file_without_identifying_column_names_its_headers() {
    let err = FieldMap::resolve("x.csv", InputKind::Recovered, &strings(&["id", "memo"]), &[]).unwrap_err().to_string();
    assert!(err.contains("x.csv") && err.contains("id, memo"), "{err}");
}

#[test]
fn booking_file_needs_booking_id_and_channel() {
    let err =
        FieldMap::resolve("b.csv", InputKind::Bookings, &strings(&["email", "channel"]), &[]).unwrap_err().to_string();
    assert!(err.contains("booking_id"), "{err}");
}

#[test]
fn column_names_round_trip() {
    for name in Column::all_names() {
        assert!(Column::from_name(&name).is_some(), "{name}");
    }
    assert!(Column::from_name("surname_email").is_none());
    assert!(Column::from_name("nope").is_none());
}

#[test]
fn an_email_and_a_phone_have_a_second_column_and_nothing_else_has() {
    let headers = strings(&[
        "電話番号",
        "氏名",
        "携帯電話番号",
        "メールアドレス",
        "携帯メール",
        "住所",
        "住所",
        "PCメール",
        "携帯",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(0), Some(2)));
    assert_eq!((map.source(Field::Email), map.second(Field::Email)), (Source::Whole(3), Some(4)));
    // An email's third column is left unread, as is a second address (a
    // duplicate, or another place: 住所(勤務先)); a phone's third is read
    // (as the third box of a number asked for in three, tel01..tel03).
    assert_eq!(map.second(Field::Address), None);
    assert_eq!(map.third(Field::Phone), Some(8));
    assert_eq!(map.unread_columns(), &[6, 7]);
    // A field `--map` names is read from that column alone.
    let overrides = [(Column::from_name("phone").unwrap(), "携帯電話番号".to_string())];
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &overrides).unwrap();
    assert_eq!(
        (map.source(Field::Phone), map.second(Field::Phone), map.third(Field::Phone)),
        (Source::Whole(2), None, None)
    );
    assert_eq!(map.unread_columns(), &[0, 6, 7, 8]);
    // English forms' two contacts.
    let headers = strings(&["Home Phone", "Mobile Phone", "PC Email", "Mobile Email"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(0), Some(1)));
    assert_eq!((map.source(Field::Email), map.second(Field::Email)), (Source::Whole(2), Some(3)));
    // Split name columns have none (a second 姓 is a duplicate).
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["姓", "名", "姓"]), &[]).unwrap();
    assert_eq!(map.second(Field::NameKanji), None);
    assert_eq!(map.unread_columns(), &[2]);
}

#[test]
fn a_birth_date_in_parts_is_read_only_without_a_whole_one_but_for_a_day_headed_as_the_date() {
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["生日", "生年", "氏名", "生月"]), &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::DateParts([Some(1), Some(3), Some(0)]));
    assert_eq!(map.source(Field::BirthDate).columns().collect::<Vec<_>>(), [1, 3, 0]);
    assert!(map.unread_columns().is_empty());
    // 誕生日 beside 誕生年 and 誕生月 is the day; alone, the whole date.
    let headers = strings(&["誕生年", "誕生月", "誕生日"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::DateParts([Some(0), Some(1), Some(2)]));
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["Birthday", "email"]), &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::Whole(0));
    // A whole date wins over parts beside it, which are left unread.
    let headers = strings(&["生年", "生月", "生日", "生年月日"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::Whole(3));
    assert_eq!(map.unread_columns(), &[0, 1, 2]);
    // `birth_day` is compared as `birthday`: the day beside the others.
    let headers = strings(&["birth_year", "birth_month", "birth_day"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::DateParts([Some(0), Some(1), Some(2)]));
    assert_eq!(Column::from_name("birth_month").map(Column::name).as_deref(), Some("birth_month"));
    let overrides = [(Column::from_name("birth_year").unwrap(), "Y".to_string())];
    let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&["Y", "生月", "生日"]), &overrides).unwrap();
    assert_eq!(map.source(Field::BirthDate), Source::DateParts([Some(0), Some(1), Some(2)]));
}

#[test]
fn a_web_shops_customer_table_is_read_whole() {
    // EC-CUBE's customer table: numbered zip and tel columns are the
    // boxes of one number, pref a prefecture code before the city.
    let headers = strings(&[
        "customer_id",
        "name01",
        "name02",
        "kana01",
        "kana02",
        "zip01",
        "zip02",
        "pref",
        "addr01",
        "addr02",
        "email",
        "email_mobile",
        "tel01",
        "tel02",
        "tel03",
        "sex",
        "birth",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(1), given: Some(2) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(3), given: Some(4) });
    assert_eq!((map.source(Field::PostalCode), map.second(Field::PostalCode)), (Source::Whole(5), Some(6)));
    assert_eq!(map.source(Field::Address), Source::AddressParts([Some(7), Some(8), Some(9), None]));
    assert_eq!((map.source(Field::Email), map.second(Field::Email)), (Source::Whole(10), Some(11)));
    assert_eq!(
        (map.source(Field::Phone), map.second(Field::Phone), map.third(Field::Phone)),
        (Source::Whole(12), Some(13), Some(14))
    );
    assert_eq!((map.source(Field::Gender), map.source(Field::BirthDate)), (Source::Whole(15), Source::Whole(16)));
    assert!(map.unread_columns().is_empty());
}

#[test]
fn a_header_row_of_values_is_named_so_and_no_value_is_shown() {
    let first_row = strings(&["1", "山田 太郎", "1980-01-02", "taro@example.jp", "TK1234567", "03-1234-5678"]);
    for kind in [InputKind::Recovered, InputKind::Bookings] {
        let err = FieldMap::resolve("f.csv", kind, &first_row, &[]).unwrap_err().to_string();
        assert!(err.contains("line 1 holds values, not column names"), "{err}");
        for value in &first_row[1..] {
            assert!(!err.contains(value.as_str()), "{err}");
        }
    }
    // A header row with one cell that looks like a value: that cell is
    // shown by its place, the others as written.
    let headers = strings(&["memo", "2024年度", "備考"]);
    let err = FieldMap::resolve("f.csv", InputKind::Recovered, &headers, &[]).unwrap_err().to_string();
    assert!(
        err.contains("no identifying column")
            && err.ends_with("headers seen: memo, column 2 (a value, not shown), 備考"),
        "{err}"
    );
    assert_eq!(shown_header_list(&headers, [1, 2]), ["column 2 (a value, not shown)", "備考"]);
    assert!(looks_like_a_value("ｔａｒｏ＠example.jp") && looks_like_a_value("19800102"));
    assert!(!looks_like_a_value("電話番号1") && !looks_like_a_value("address_line2"));
}

#[test]
fn a_shopify_customer_export_is_read_whole() {
    let headers = strings(&[
        "Customer ID",
        "First Name",
        "Last Name",
        "Email",
        "Default Address Address1",
        "Default Address Address2",
        "Default Address City",
        "Default Address Province Code",
        "Default Address Zip",
        "Default Address Phone",
        "Phone",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(2), given: Some(1) });
    assert_eq!(map.source(Field::Address), Source::AddressParts([Some(7), Some(6), Some(4), Some(5)]));
    assert_eq!(map.source(Field::PostalCode), Source::Whole(8));
    assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(9), Some(10)));
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert!(map.unread_columns().is_empty());
}

#[test]
fn a_field_after_the_customers_role_is_the_fields_and_a_guests_is_not() {
    let headers = strings(&[
        "予約番号",
        "販売チャネル",
        "予約者名",
        "予約者名カナ",
        "予約者電話番号",
        "会員メールアドレス",
        "ご予約者住所",
        "代表者生年月日",
        "宿泊者氏名",
        "会員番号",
        "申込者電話番号",
    ]);
    let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
    // 予約者名 is the booker's whole name, not a given name.
    assert_eq!(map.source(Field::NameKanji), Source::Whole(2));
    assert_eq!(map.source(Field::NameKana), Source::Whole(3));
    assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(4), Some(10)));
    assert_eq!(map.source(Field::Email), Source::Whole(5));
    assert_eq!(map.source(Field::Address), Source::Whole(6));
    assert_eq!(map.source(Field::BirthDate), Source::Whole(7));
    // A guest may be another person; a member number is no booking's field.
    assert_eq!(map.unread_columns(), &[8, 9]);
}

#[test]
fn a_field_its_file_does_not_read_is_reported_unread() {
    // A customer table's number is a recovered row's id, and no booking's.
    let headers = strings(&["会員番号", "氏名", "予約番号", "販売チャネル"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert_eq!(map.unread_columns(), &[2, 3]);
    let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Absent);
    assert_eq!((map.source(Field::BookingId), map.source(Field::Channel)), (Source::Whole(2), Source::Whole(3)));
    assert_eq!(map.unread_columns(), &[0]);
}

#[test]
fn an_english_export_is_read_whole() {
    let headers = strings(&[
        "Customer No",
        "Full Name",
        "Name (Kana)",
        "Name (English)",
        "Sex",
        "Date of Birth",
        "E-mail Address",
        "Address",
        "ZIP Code",
        "Telephone",
        "Passport No.",
        "Date of Issue",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    // In the order of the fields, record id to passport issue date.
    for (column, field) in Field::ALL[..headers.len()].iter().enumerate() {
        assert_eq!(map.source(*field), Source::Whole(column), "{field:?}");
    }
    let headers =
        strings(&["Reservation No", "Sales Channel", "Booking Method", "Payment Location", "Product Name", "Email"]);
    let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
    // In the order of the fields, from the booking id.
    for (column, field) in Field::ALL[Field::BookingId as usize..][..5].iter().enumerate() {
        assert_eq!(map.source(*field), Source::Whole(column), "{field:?}");
    }
    // How it was paid names the same values as where (カード, 店頭払い).
    for header in ["お支払い方法", "決済方法", "Payment Method", "精算方法"] {
        let headers = strings(&["予約番号", "販売チャネル", "氏名", header]);
        let map = FieldMap::resolve("f", InputKind::Bookings, &headers, &[]).unwrap();
        assert_eq!(map.source(Field::PaymentPlace), Source::Whole(3), "{header}");
    }
}

#[test]
fn a_schema_in_romanized_japanese_is_read() {
    let headers = strings(&[
        "sei",
        "mei",
        "sei_kana",
        "mei_kana",
        "seibetsu",
        "seinengappi",
        "yubin_bango",
        "jusho",
        "denwa_bango",
        "keitai",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(0), given: Some(1) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(2), given: Some(3) });
    assert_eq!((map.source(Field::Gender), map.source(Field::BirthDate)), (Source::Whole(4), Source::Whole(5)));
    assert_eq!((map.source(Field::PostalCode), map.source(Field::Address)), (Source::Whole(6), Source::Whole(7)));
    assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(8), Some(9)));
    assert!(map.unread_columns().is_empty());
}

#[test]
fn a_crm_contact_export_is_read_whole() {
    let salesforce = [
        "Id",
        "LastName",
        "FirstName",
        "Birthdate",
        "Email",
        "Phone",
        "MobilePhone",
        "MailingPostalCode",
        "MailingState",
        "MailingCity",
        "MailingStreet",
    ];
    let hubspot = [
        "Record ID",
        "Last Name",
        "First Name",
        "Date of birth",
        "Email",
        "Phone Number",
        "Mobile Phone Number",
        "Postal Code",
        "State/Region",
        "City",
        "Street Address",
    ];
    for headers in [salesforce, hubspot] {
        let map = FieldMap::resolve("f", InputKind::Recovered, &strings(&headers), &[]).unwrap();
        assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(1), given: Some(2) }, "{headers:?}");
        assert_eq!((map.source(Field::Phone), map.second(Field::Phone)), (Source::Whole(5), Some(6)), "{headers:?}");
        assert_eq!(map.source(Field::PostalCode), Source::Whole(7), "{headers:?}");
        let address = Source::AddressParts([Some(8), Some(9), Some(10), None]);
        assert_eq!(map.source(Field::Address), address, "{headers:?}");
        assert!(map.unread_columns().is_empty(), "{headers:?}");
    }
}

#[test]
fn more_spellings_of_japanese_forms_are_read() {
    let headers = strings(&[
        "お客様番号",
        "氏名（姓）",
        "氏名（名）",
        "せい",
        "めい",
        "性別区分",
        "〒番号",
        "自宅電話",
        "発給日",
        "所在地",
    ]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(1), given: Some(2) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(3), given: Some(4) });
    let fields = [Field::Gender, Field::PostalCode, Field::Phone, Field::PassportIssueDate];
    for (column, field) in (5..).zip(fields) {
        assert_eq!(map.source(field), Source::Whole(column), "{field:?}");
    }
    // A location may be the hotel's.
    assert_eq!(map.unread_columns(), &[9]);
    let headers = strings(&["顧客コード", "姓漢字", "名漢字", "姓ふりがな", "名ふりがな"]);
    let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
    assert_eq!(map.source(Field::RecordId), Source::Whole(0));
    assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(1), given: Some(2) });
    assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(3), given: Some(4) });
    assert!(map.unread_columns().is_empty());
}
