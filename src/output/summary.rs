//! The short summary table printed on stderr at the end of a run, in the
//! report's language, numbers with thousands separators, labels aligned by
//! terminal width (a kanji takes two columns).
//!
//! Invariant: counts only, never a value from the data.

use std::io::Write;

use super::counts::Counts;
use super::report::{label, thousands, Lang};
use super::table::pad;

/// Prints the summary of a run to stderr.
pub fn print(counts: &Counts, out_dir: &std::path::Path, seconds: f64, lang: Lang) {
    let t = |key: &str| label(lang, key);
    let n = thousands;
    let fill = |key: &str, values: &[(&str, u64)]| {
        values.iter().fold(t(key).to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), &n(*value)))
    };
    let rows = [
        (
            t("recovered_rows"),
            fill("sum_recovered", &[("rows", counts.recovered_rows), ("rejected", counts.recovered_rejected)]),
        ),
        (
            t("booking_rows"),
            fill("sum_recovered", &[("rows", counts.booking_rows), ("rejected", counts.booking_rejected)]),
        ),
        (t("persons"), n(counts.persons)),
        (
            t("affected"),
            fill("sum_affected", &[("affected", counts.affected), ("without", counts.affected_without_email)]),
        ),
        (t("review"), n(counts.review)),
        (
            t("excluded_label"),
            fill(
                "sum_excluded",
                &[
                    ("excluded", counts.excluded),
                    ("store", counts.excluded_store),
                    ("product", counts.excluded_product),
                ],
            ),
        ),
        (t("unmatched"), n(counts.unmatched)),
        (
            t("passports_label"),
            fill("sum_passports", &[("valid", counts.passports_valid), ("possibly", counts.passports_possibly_valid)]),
        ),
    ];
    let width = rows.iter().map(|(l, _)| unicode_width::UnicodeWidthStr::width(*l)).max().unwrap_or(0) + 2;
    let head =
        t("sum_result").replace("{dir}", &out_dir.display().to_string()).replace("{seconds}", &format!("{seconds:.1}"));
    let mut text = format!("leakmatch: {head}\n");
    for (name, value) in rows {
        text.push_str(&format!("  {}{value}\n", pad(name, width)));
    }
    // A closed stderr is no reason to fail a finished run.
    let _ = std::io::stderr().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_prints_in_both_languages_without_a_missing_label() {
        // label() panics on a key missing from the table.
        for lang in [Lang::En, Lang::Ja] {
            print(&Counts::default(), std::path::Path::new("out"), 1.0, lang);
        }
    }
}
