//! One house written the ways customers write it parses to one address:
//! checked on every town of the generator's sample of Japan Post's data
//! (`src/generate/tables/addresses.tsv`, every 4th KEN_ALL row).

use super::{normalize, Address};
use crate::normalize::text::is_kanji_numeral;
use crate::normalize::Scratch;

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

/// Every town whose name holds no number (a town such as 第4町内 or
/// 一番堀通町 before 1丁目 is ambiguous however it is read) parses to the
/// same city, town and house numbers in all [`FORMS`], with no building.
#[test]
fn one_house_in_seven_forms_is_one_address() {
    let (mut scratch, mut out) = (Scratch::default(), Address::default());
    let (mut checked, mut wrong) = (0, Vec::new());
    for line in include_str!("../../generate/tables/addresses.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [_, prefecture, city, town] = fields[..] else { panic!("addresses.tsv: bad line {line}") };
        if town.chars().any(|c| c.is_numeric() || is_kanji_numeral(c)) {
            continue;
        }
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
    assert!(wrong.is_empty(), "{} wrong of {checked} towns, e.g. {:?}", wrong.len(), &wrong[..wrong.len().min(5)]);
}
