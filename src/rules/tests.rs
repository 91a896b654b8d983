//! The rules' table test (fixtures/rules/cases.tsv) and the rules file's
//! error messages.

use std::path::PathBuf;

use super::*;
use crate::assess::status_for_bookings;

/// One person with one booking matched for sure: its status, reasons and the
/// excluded category of the booking.
fn outcome(rules: &Rules, cells: [&str; 4]) -> (String, String, String) {
    let class = rules.classify_raw(cells[0], cells[1], cells[2], cells[3]);
    let (status, reasons) = status_for_bookings(&[class]);
    let reasons: Vec<&str> = reasons.iter().map(|r| r.name()).collect();
    let category = class.excluded_category().map(|id| rules.category_name(id).to_string()).unwrap_or_default();
    (status.name().to_string(), reasons.join(";"), category)
}

#[test]
fn every_case_of_the_rules_table_decides_as_the_notice_says() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/cases.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rules = Rules::default_rules();
    let (mut cases, mut failures) = (0, Vec::new());
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert!(cells.len() == 7, "line {}: 7 cells expected, found {}", index + 1, cells.len());
        cases += 1;
        let got = outcome(&rules, [cells[0], cells[1], cells[2], cells[3]]);
        let expected = (cells[4].to_string(), cells[5].to_string(), cells[6].to_string());
        if got != expected {
            failures.push(format!("line {}: {:?} -> {got:?}, expected {expected:?}", index + 1, &cells[..4]));
        }
    }
    assert!(cases >= 80, "{cases} cases");
    assert!(failures.is_empty(), "{} of {cases} cases fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn outputs_report_the_canonical_channel_name() {
    let rules = Rules::default_rules();
    let mut out = String::new();
    for (raw, canonical) in [
        ("japanican", "JAPANiCAN"),
        ("Japanican", "JAPANiCAN"),
        ("ﾙﾙﾌﾞﾄﾗﾍﾞﾙ", "るるぶトラベル"),
        ("JTBホ－ムペ－ジ", "JTBホームページ"),
        ("提携サイト：楽天トラベル", "提携サイト:楽天トラベル"),
        ("提携サイト", "提携サイト"),
        ("ｊｔｂ店舗", "JTB店舗"),
        ("電話予約センター", "電話予約センター"),
        ("", ""),
    ] {
        rules.canonical_channel_into(&fold_value(raw), &mut out);
        assert_eq!(out, canonical, "{raw}");
    }
}

#[test]
fn aliases_name_a_listed_channel_and_report_it() {
    let text =
        DEFAULT_RULES_TOML.replace("[channels.aliases]", "[channels.aliases]\n\"るるぶトラベル\" = [\"rurubu*\"]");
    let rules = Rules::parse(&text).unwrap();
    let mut out = String::new();
    rules.canonical_channel_into(&fold_value("Rurubu Travel"), &mut out);
    assert_eq!(out, "るるぶトラベル");
    assert!(rules.classify_raw("Rurubu Travel", "", "", "国内宿泊").qualifies());
    let bad = DEFAULT_RULES_TOML.replace("[channels.aliases]", "[channels.aliases]\n\"ルルブ\" = [\"rurubu\"]");
    let err = format!("{:#}", Rules::parse(&bad).unwrap_err());
    assert!(err.contains("channels.aliases") && err.contains("ルルブ"), "{err}");
}

#[test]
fn the_older_list_form_of_excluded_products_still_reads() {
    let start = DEFAULT_RULES_TOML.find("[products.excluded]").unwrap();
    let text = format!("{}excluded = [\"高速バス\", \"*保険*\"]\n", &DEFAULT_RULES_TOML[..start])
        .replace("[products]\n", "[products]\n");
    let rules = Rules::parse(&text).unwrap();
    let class = rules.classify_raw("JTBホームページ", "", "", "海外旅行保険");
    assert_eq!(class.excluded_category().map(|id| rules.category_name(id)), Some("保険"));
    assert!(rules.classify_raw("JTBホームページ", "", "", "高速バス(夜行)").qualifies(), "exact in the old form");
}

#[test]
fn unknown_policy_online_or_store_decides_unknown_channels_but_never_a_missing_one() {
    for (policy, qualifies) in [("online", true), ("store", false)] {
        let text = DEFAULT_RULES_TOML.replace("unknown = \"review\"", &format!("unknown = \"{policy}\""));
        let rules = Rules::parse(&text).unwrap();
        let class = rules.classify_raw("謎チャネル", "", "", "国内宿泊");
        assert_eq!(class.qualifies(), qualifies, "{policy}");
        assert_eq!(class.channel, ChannelClass::Unknown, "still counted as unknown");
        assert_eq!(rules.classify_raw("", "", "", "国内宿泊").review_cause(), Some(ReviewCause::MissingChannel));
    }
}

#[test]
fn unknown_key_is_an_error_naming_the_key() {
    let text = DEFAULT_RULES_TOML.replace("[products]", "[products]\nexclude_typo = []");
    let err = format!("{:#}", Rules::parse(&text).unwrap_err());
    assert!(err.contains("exclude_typo"), "{err}");
}

#[test]
fn bad_policy_value_is_an_error_naming_the_value() {
    let text = DEFAULT_RULES_TOML.replace("unknown = \"review\"", "unknown = \"maybe\"");
    let err = format!("{:#}", Rules::parse(&text).unwrap_err());
    assert!(err.contains("maybe") && err.contains("unknown"), "{err}");
}

#[test]
fn a_bad_pattern_is_an_error_naming_its_key() {
    let text = DEFAULT_RULES_TOML.replace("\"高速バス*\"", "\"高速*バス\"");
    let err = format!("{:#}", Rules::parse(&text).unwrap_err());
    assert!(err.contains("products.excluded") && err.contains("高速*バス"), "{err}");
}
