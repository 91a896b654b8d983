//! The parse checked on every town of the generator's sample of Japan
//! Post's data (`src/generate/tables/addresses.tsv`, every 4th KEN_ALL
//! row): each parses with Japan Post's city, and one house written the
//! ways customers write it parses to one address.

use super::{character_rules, normalize, Address};
use crate::normalize::text::is_kanji_numeral;
use crate::normalize::Scratch;

/// The (prefecture, city, town) of every row of the sample.
fn kenall_towns() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    include_str!("../../generate/tables/addresses.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [_, prefecture, city, town] = fields[..] else { panic!("addresses.tsv: bad line {line}") };
            (prefecture, city, town)
        })
}

/// Every town written as prefecture, city, town and a house number parses
/// with Japan Post's city as its city part; and a county town written
/// without its county parses with the town as its city part. The expected
/// city is Japan Post's name after the character rules (駒ヶ根市 = 駒ケ根市).
#[test]
fn every_kenall_town_parses_its_city() {
    let (mut text, mut aux) = (String::new(), String::new());
    let (mut scratch, mut out) = (Scratch::default(), Address::default());
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (prefecture, city, town) in kenall_towns() {
        let county_town = city.split_once('郡').map(|(_, town)| town).filter(|t| !t.ends_with(['市', '区']));
        for (written, expected) in [(format!("{prefecture}{city}{town}1-2-3"), city)]
            .into_iter()
            .chain(county_town.map(|t| (format!("{prefecture}{t}{town}1-2-3"), t)))
        {
            let mut expected_city = String::new();
            character_rules(expected, &mut text, &mut aux, &mut expected_city);
            normalize(&written, &mut scratch, &mut out);
            checked += 1;
            if out.city != expected_city {
                wrong.push(format!("{written}: city {} (expected {expected_city})", out.city));
            }
        }
    }
    assert!(checked > 20_000, "only {checked} addresses read");
    assert!(wrong.is_empty(), "{} of {checked} wrong, e.g. {:?}", wrong.len(), &wrong[..wrong.len().min(5)]);
}

/// The house 1丁目2番3号 of one town, as forms and people write it: with
/// and without the prefecture, units or hyphens, kanji numerals, full
/// width with spaces, 番地, の, and a full-width minus.
const FORMS: [&str; 7] = [
    "{p}{c}{t}1丁目2番3号",
    "{c}{t}1-2-3",
    "{p}{c}{t}一丁目二番三号",
    "{p} {c} {t}１－２－３",
    "{p}{c}{t}1丁目2番地3",
    "{p}{c}{t}1の2の3",
    "{p}{c}{t}１丁目２−３",
];

/// Whether a town's name ends in a number and 丁目, 番 or 号 (保原町１丁目,
/// 百目木３番, ３号): the town column holds the first house number, so a
/// house written after it in full (1丁目2番3号) is no address anyone writes.
fn ends_in_a_house_number(town: &str) -> bool {
    let Some(before_unit) = ["丁目", "番", "号"].iter().find_map(|unit| town.strip_suffix(unit)) else {
        return false;
    };
    before_unit.chars().next_back().is_some_and(|c| c.is_numeric() || is_kanji_numeral(c))
}

/// Every town parses to the same city, town and house numbers in all
/// [`FORMS`], with no building: towns with a number in their name too
/// (北二十一条西, 第4町内, 中央ＳＳ３０住友生命仙台中央ビル, `inner_number`), but
/// for those whose name ends in a house number (`ends_in_a_house_number`).
#[test]
fn one_house_in_seven_forms_is_one_address() {
    let (mut scratch, mut out) = (Scratch::default(), Address::default());
    let (mut checked, mut wrong, mut with_numbers) = (0, Vec::new(), 0);
    for (prefecture, city, town) in kenall_towns() {
        if ends_in_a_house_number(town) {
            continue;
        }
        with_numbers += usize::from(town.chars().any(|c| c.is_numeric() || is_kanji_numeral(c)));
        let mut first: Option<(String, String, String)> = None;
        for form in FORMS {
            let written = form.replace("{p}", prefecture).replace("{c}", city).replace("{t}", town);
            normalize(&written, &mut scratch, &mut out);
            let parsed = (out.city.clone(), out.town.clone(), out.numbers.clone());
            if parsed.2 != "1-2-3" || !out.building.is_empty() || first.as_ref().is_some_and(|f| *f != parsed) {
                wrong.push(format!("{written}: {parsed:?} building {:?}", out.building));
            }
            first.get_or_insert(parsed);
        }
        checked += 1;
    }
    assert!(checked > 20_000, "only {checked} towns read");
    assert!(with_numbers > 2_000, "only {with_numbers} towns with a number in their name read");
    assert!(wrong.is_empty(), "{} wrong of {checked} towns, e.g. {:?}", wrong.len(), &wrong[..wrong.len().min(5)]);
}
