//! Properties of the field normalizers on values written the ways people
//! and systems write them: each notation of one value reads as that value
//! (dates, phone numbers, postal codes, emails, an address's numbers).

use proptest::prelude::*;

use super::address::{self, Address};
use super::date::{self, Date};
use super::email::{self, Email};
use super::{phone, postal, Outcome, Scratch};
// The generator's writer of full-width ASCII: the notation it writes is the
// notation read here.
use crate::generate::render::full_width;

fn scratch() -> Scratch {
    Scratch::new(Date::constant(2026, 11, 22))
}

/// How many ways [`phone_text`] writes a phone number.
const PHONE_NOTATIONS: usize = 6;

/// A mobile number (090 and eight digits) or a landline (0, the area code,
/// the rest of ten digits) as its digits and as written in notation
/// `notation` (0..PHONE_NOTATIONS).
fn phone_text(mobile: bool, subscriber: u64, area: &str, notation: usize) -> (String, String) {
    let (area, local, line) = if mobile {
        ("90".to_string(), format!("{:04}", subscriber / 10_000), format!("{:04}", subscriber % 10_000))
    } else {
        let local_digits = 9 - area.len() - 4;
        let local = (subscriber / 10_000) % 10u64.pow(local_digits as u32);
        (area.to_string(), format!("{local:0local_digits$}"), format!("{:04}", subscriber % 10_000))
    };
    let digits = format!("0{area}{local}{line}");
    let text = match notation {
        0 => digits.clone(),
        1 => format!("0{area}-{local}-{line}"),
        2 => format!("+81-{area}-{local}-{line}"),
        3 => format!("+81 {area} {local} {line}"),
        4 => full_width(&format!("0{area}-{local}-{line}")),
        _ => format!("(0{area}){local}-{line}"),
    };
    (digits, text)
}

/// How many ways [`date_text`] writes a date.
const DATE_NOTATIONS: usize = 9;

/// A date in notation `notation` (0..DATE_NOTATIONS).
fn date_text(year: i16, month: i8, day: i8, notation: usize) -> String {
    // The era of the date and its year in it (the first year is 元年).
    let (era_kanji, era_letter, era_year) = if (year, month) >= (2019, 5) {
        ("令和", "R", year - 2018)
    } else if (year, month, day) >= (1989, 1, 8) {
        ("平成", "H", year - 1988)
    } else {
        ("昭和", "S", year - 1925)
    };
    let era_year_text = if era_year == 1 { "元".to_string() } else { era_year.to_string() };
    match notation {
        0 => format!("{year}-{month:02}-{day:02}"),
        1 => format!("{year}/{month}/{day}"),
        2 => format!("{year}{month:02}{day:02}"),
        3 => format!("{year}年{month}月{day}日"),
        4 => format!("{era_kanji}{era_year_text}年{month}月{day}日"),
        5 => format!("{era_letter}{era_year}.{month}.{day}"),
        6 => full_width(&format!("{year}-{month:02}-{day:02}")),
        7 => format!("{era_kanji}{era_year:02}年{month:02}月{day:02}日"),
        _ => format!("{year}.{month}.{day}"),
    }
}

/// How many ways [`address_numbers`] writes an address's numbers.
const ADDRESS_NOTATIONS: usize = 7;

/// Chōme, ban and gō written in notation `notation` (0..ADDRESS_NOTATIONS).
fn address_numbers(chome: u32, ban: u32, go: u32, notation: usize) -> String {
    match notation {
        0 => format!("{chome}丁目{ban}番{go}号"),
        1 => format!("{chome}-{ban}-{go}"),
        2 => full_width(&format!("{chome}丁目{ban}番{go}号")),
        3 => format!("{}丁目{ban}番{go}号", kanji_numeral(chome)),
        4 => format!("{chome}丁目{ban}番地{go}"),
        5 => full_width(&format!("{chome}-{ban}-{go}")),
        _ => format!("{}丁目{ban}の{go}", kanji_numeral(chome)),
    }
}

/// 1..=99 in kanji numerals as addresses write them (十二, 二十, 三十五).
fn kanji_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    let tens_text = match tens {
        0 => String::new(),
        1 => "十".to_string(),
        _ => format!("{}十", DIGITS[tens]),
    };
    format!("{tens_text}{}", DIGITS[ones])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A date written in any common notation, western or Japanese era
    /// (kanji or letter, 元年), half- or full-width, reads as that date.
    #[test]
    fn dates_read_the_same_in_every_notation(
        year in 1927i16..2026,
        month in 1i8..=12,
        day in 1i8..=28,
        notation in 0usize..DATE_NOTATIONS,
    ) {
        let text = date_text(year, month, day, notation);
        let mut out = None;
        prop_assert_eq!(date::normalize(&text, &mut scratch(), &mut out), Outcome::Value, "{}", text);
        prop_assert_eq!(out, Some(Date::constant(year, month, day)), "{}", text);
    }

    /// A phone number written in any common notation (hyphens, spaces,
    /// brackets, +81, full-width) reads as its digits.
    #[test]
    fn phones_read_the_same_in_every_notation(
        mobile in any::<bool>(),
        subscriber in 0u64..100_000_000,
        area in proptest::sample::select(vec!["3", "6", "45", "52", "92"]),
        notation in 0usize..PHONE_NOTATIONS,
    ) {
        let (digits, text) = phone_text(mobile, subscriber, area, notation);
        let mut out = String::new();
        prop_assert_eq!(phone::normalize(&text, &mut scratch(), &mut out), Outcome::Value, "{}", text);
        prop_assert_eq!(&out, &digits, "{}", text);
    }

    /// An email written in upper case, full width, or with spaces around
    /// it normalizes to the same address and key; a Gmail address with dots
    /// or a +tag in its local part keys as without them.
    #[test]
    fn emails_read_the_same_in_every_notation(
        local in "[a-z][a-z0-9]{0,5}(\\.[a-z0-9]{1,4})?",
        domain in proptest::sample::select(vec!["example.jp", "docomo.ne.jp", "gmail.com", "i.softbank.jp"]),
        notation in 0usize..4,
    ) {
        let plain = format!("{local}@{domain}");
        let text = match notation {
            0 => plain.to_uppercase(),
            1 => full_width(&plain),
            2 => format!(" {plain}\u{3000}"),
            _ => full_width(&plain.to_uppercase()),
        };
        let (mut reference, mut other) = (Email::default(), Email::default());
        prop_assert_eq!(email::normalize(&plain, &mut scratch(), &mut reference), Outcome::Value);
        prop_assert_eq!(email::normalize(&text, &mut scratch(), &mut other), Outcome::Value, "{}", text);
        prop_assert_eq!(&other, &reference, "{}", text);
        if domain == "gmail.com" {
            let (mut tagged, mut undotted) = (Email::default(), Email::default());
            email::normalize(&format!("{local}+travel@{domain}"), &mut scratch(), &mut tagged);
            email::normalize(&format!("{}@{domain}", local.replace('.', "")), &mut scratch(), &mut undotted);
            prop_assert_eq!(&tagged.key, &reference.key);
            prop_assert_eq!(&undotted.key, &reference.key);
        }
    }

    /// A postal code with or without its hyphen, 〒 or full-width digits
    /// reads as its seven digits.
    #[test]
    fn postal_codes_read_the_same_in_every_notation(code in 0u32..10_000_000, notation in 0usize..5) {
        let digits = format!("{code:07}");
        let hyphenated = format!("{}-{}", &digits[..3], &digits[3..]);
        let text = match notation {
            0 => digits.clone(),
            1 => hyphenated.clone(),
            2 => format!("〒{hyphenated}"),
            3 => format!("〒{}", full_width(&hyphenated)),
            _ => full_width(&digits),
        };
        let mut out = String::new();
        prop_assert_eq!(postal::normalize(&text, &mut scratch(), &mut out), Outcome::Value, "{}", text);
        prop_assert_eq!(&out, &digits, "{}", text);
    }

    /// The numbers of an address (chōme, ban, gō) key the same whatever the
    /// notation: 丁目/番/号 or dashes, full-width digits, a chōme in kanji
    /// numerals, 番地, の, with the prefecture written or not, and a
    /// building after it.
    #[test]
    fn address_numbers_key_the_same_in_every_notation(
        chome in 1u32..30,
        ban in 1u32..60,
        go in 1u32..60,
        notation in 0usize..ADDRESS_NOTATIONS,
        prefecture in proptest::sample::select(vec!["", "東京都"]),
        building in proptest::sample::select(vec!["", " メゾン101", "コーポ三筋 203"]),
    ) {
        let mut reference = Address::default();
        let plain = format!("東京都杉並区宮前{chome}丁目{ban}番{go}号");
        prop_assert_eq!(address::normalize(&plain, &mut scratch(), &mut reference), Outcome::Value);
        let text = format!("{prefecture}杉並区宮前{}{building}", address_numbers(chome, ban, go, notation));
        let mut other = Address::default();
        prop_assert_eq!(address::normalize(&text, &mut scratch(), &mut other), Outcome::Value, "{}", text);
        prop_assert_eq!(&other.numbers, &reference.numbers, "{}", text);
        prop_assert_eq!(&other.town, &reference.town, "{}", text);
        prop_assert_eq!(&other.city, &reference.city, "{}", text);
    }
}
