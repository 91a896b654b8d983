//! report.html: one self-contained page (no script, no external resource)
//! with the funnel from rows to affected persons and the affected persons
//! per channel, as inline SVG bar charts, and the counts as tables.
//!
//! Invariant: built from counts.json's figures only, so it holds no personal
//! data; every text is HTML-escaped (channel values come from the input).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};

use super::counts::Counts;
use super::StagingDir;

/// The file name in the result folder.
pub const FILE_NAME: &str = "report.html";

/// Width of the bar area in the SVG charts, in pixels.
const BAR_AREA_PX: u64 = 480;
const ROW_HEIGHT_PX: u64 = 26;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart of `(label, value)` rows, scaled to the largest.
fn bar_chart(title: &str, rows: &[(String, u64)]) -> String {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW_HEIGHT_PX * rows.len() as u64 + 8;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        escape(title),
        BAR_AREA_PX + 320,
        BAR_AREA_PX + 320
    );
    for (index, (label, value)) in rows.iter().enumerate() {
        let y = index as u64 * ROW_HEIGHT_PX + 4;
        let width = value * BAR_AREA_PX / max;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" class=\"label\">{}</text><rect x=\"240\" y=\"{y}\" width=\"{width}\" height=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" class=\"value\">{}</text>",
            y + 16,
            escape(label),
            ROW_HEIGHT_PX - 8,
            240 + width + 6,
            y + 16,
            thousands(*value),
        ));
    }
    svg.push_str("</svg></figure>");
    svg
}

/// A count with thousands separators (597,170), as people read figures.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Width of one 1-bit bin of the weight histogram, in pixels.
const BIN_PX: i64 = 8;
/// Height of the tallest bin, in pixels.
const HISTOGRAM_HEIGHT_PX: u64 = 120;

/// A histogram of whole-bit bins with the review and match thresholds as
/// vertical lines, so a reviewer sees how many links sit near them.
fn histogram_chart(title: &str, bins: &BTreeMap<i64, u64>, (review, matched): (f64, f64)) -> String {
    let (Some((&first, _)), Some((&last, _))) = (bins.first_key_value(), bins.last_key_value()) else {
        return format!("<figure><figcaption>{}</figcaption><p>–</p></figure>", escape(title));
    };
    let low = first.min(review.floor() as i64) - 1;
    let high = last.max(matched.ceil() as i64) + 1;
    let width = (high - low + 1) * BIN_PX + 40;
    let height = HISTOGRAM_HEIGHT_PX + 30;
    let max = bins.values().copied().max().unwrap_or(1).max(1);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        escape(title)
    );
    let x = |bits: f64| 20.0 + (bits - low as f64) * BIN_PX as f64;
    for (&bin, &count) in bins {
        let bar = (count * HISTOGRAM_HEIGHT_PX).div_ceil(max);
        svg.push_str(&format!(
            "<rect x=\"{:.0}\" y=\"{}\" width=\"{}\" height=\"{bar}\"><title>{bin} bits: {}</title></rect>",
            x(bin as f64),
            HISTOGRAM_HEIGHT_PX - bar,
            BIN_PX - 1,
            thousands(count)
        ));
    }
    // The match label sits above the review label: thresholds can be close.
    for (bits, name, label_y) in [(review, "review", HISTOGRAM_HEIGHT_PX + 14), (matched, "match", 10)] {
        svg.push_str(&format!(
            "<line x1=\"{0:.0}\" x2=\"{0:.0}\" y1=\"0\" y2=\"{1}\" stroke=\"#c0392b\" stroke-dasharray=\"4 2\"/>\
             <text x=\"{2:.0}\" y=\"{label_y}\" class=\"value\">{name} {bits}</text>",
            x(bits),
            HISTOGRAM_HEIGHT_PX,
            x(bits) + 3.0
        ));
    }
    svg.push_str(&format!(
        "<text x=\"0\" y=\"{}\" class=\"label\">{low} bits</text><text x=\"{}\" y=\"{}\" class=\"label\">{high}</text>",
        HISTOGRAM_HEIGHT_PX + 28,
        width - 30,
        HISTOGRAM_HEIGHT_PX + 28
    ));
    svg.push_str("</svg></figure>");
    svg
}

/// The model's levels with m, u and weight, and a bar per weight (right
/// for evidence of a match, left against), as Splink's match-weight chart.
fn model_table(levels: &BTreeMap<&'static str, Vec<super::counts::ModelLevel>>, lang: Lang) -> String {
    let t = |key: &str| escape(label(lang, key));
    let mut html = format!(
        "<table><tr><th>{}</th><th>{}</th><td>m</td><td>u</td><td>bits</td><td></td></tr>",
        t("comparison"),
        t("level")
    );
    for (comparison, rows) in levels {
        for row in rows {
            let width = (row.weight.abs() * 4.0).min(120.0).round();
            let bar = format!(
                "<svg width=\"250\" height=\"10\"><rect x=\"{}\" y=\"0\" width=\"{width}\" height=\"10\"{}/></svg>",
                if row.weight >= 0.0 { 125.0 } else { 125.0 - width },
                if row.weight >= 0.0 { "" } else { " style=\"fill:#c0392b\"" }
            );
            html.push_str(&format!(
                "<tr><th>{}</th><th>{}</th><td>{:.4}</td><td>{:.2e}</td><td>{:+.2}</td><td>{bar}</td></tr>",
                escape(comparison),
                escape(row.level),
                row.m,
                row.u,
                row.weight
            ));
        }
    }
    html.push_str("</table>");
    html
}

/// `part` of `whole` as a percentage with one decimal ("–" for no rows).
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "–".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// Per field: the share of used rows with a value, and with an unusable
/// value, on each side.
fn quality_table(counts: &Counts, lang: Lang) -> String {
    let t = |key: &str| escape(label(lang, key));
    let mut html = format!(
        "<table><tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        t("field"),
        t("side_recovered"),
        t("side_recovered_unusable"),
        t("side_bookings"),
        t("side_bookings_unusable")
    );
    let empty = BTreeMap::new();
    let (recovered, bookings) =
        (counts.data_quality.get("recovered").unwrap_or(&empty), counts.data_quality.get("bookings").unwrap_or(&empty));
    for (field, r) in recovered {
        let b = bookings.get(field).copied().unwrap_or_default();
        html.push_str(&format!(
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(field),
            percent(r.present, r.rows),
            percent(r.unusable, r.rows),
            percent(b.present, b.rows),
            percent(b.unusable, b.rows)
        ));
    }
    html.push_str("</table>");
    html
}

fn table(rows: &[(String, u64)]) -> String {
    let mut html = String::from("<table>");
    for (label, value) in rows {
        html.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", escape(label), thousands(*value)));
    }
    html.push_str("</table>");
    html
}

/// The language of the report and the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// Japanese when the locale is (LC_ALL, LC_MESSAGES or LANG starts with
    /// `ja`), English otherwise.
    pub fn from_locale() -> Lang {
        let locale =
            ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
        if locale.is_some_and(|l| l.starts_with("ja")) {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

/// The label table (`tables/report_labels.tsv`): key → (English, Japanese).
fn labels() -> &'static BTreeMap<&'static str, (&'static str, &'static str)> {
    static LABELS: std::sync::OnceLock<BTreeMap<&'static str, (&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        include_str!("tables/report_labels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let mut cells = l.split('\t');
                Some((cells.next()?, (cells.next()?, cells.next()?)))
            })
            .collect()
    })
}

/// The label `key` in `lang`.
pub fn label(lang: Lang, key: &str) -> &'static str {
    match (labels().get(key), lang) {
        (Some((en, _)), Lang::En) => en,
        (Some((_, ja)), Lang::Ja) => ja,
        (None, _) => panic!("report label {key} missing from tables/report_labels.tsv"),
    }
}

/// The page for `counts`, labelled in `lang`.
pub fn render(counts: &Counts, lang: Lang) -> String {
    let mut html = page_head(counts, lang);
    push_charts(&mut html, counts, lang);
    push_tables(&mut html, counts, lang);
    html.push_str("\n</body></html>\n");
    html
}

/// Labelled rows of a chart or table.
fn labelled(lang: Lang, items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(k, v)| (label(lang, k).to_string(), *v)).collect()
}

/// Rows of a map of values (the empty value labelled as such).
fn value_rows(lang: Lang, map: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    map.iter().map(|(k, v)| (if k.is_empty() { label(lang, "empty").to_string() } else { k.clone() }, *v)).collect()
}

/// The document head, the style sheet, the title and the summary line.
fn page_head(counts: &Counts, lang: Lang) -> String {
    let t = |key: &str| label(lang, key);
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:sans-serif;margin:2em;max-width:60em}}h1{{font-size:1.4em}}h2{{font-size:1.1em;margin-top:2em}}\
         rect{{fill:#3b6ea5}}.label,.value{{font-size:13px}}figure{{margin:0}}figcaption{{font-weight:bold;margin:.5em 0}}\
         table{{border-collapse:collapse}}th{{text-align:left;font-weight:normal;padding:.2em 1em .2em 0}}\
         td{{text-align:right;padding:.2em 0 .2em 1em}}\
         @media print{{body{{margin:0;max-width:none;font-size:10pt}}rect{{fill:#555}}h2{{break-after:avoid}}\
         figure,table{{break-inside:avoid}}}}</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        escape(t("title")),
        escape(t("title"))
    );
    let summary = t("summary")
        .replace("{persons}", &thousands(counts.persons))
        .replace("{rows}", &thousands(counts.recovered_rows))
        .replace("{affected}", &thousands(counts.affected))
        .replace("{review}", &thousands(counts.review));
    html.push_str(&format!("<p>{}</p>\n", escape(&summary)));
    html
}

/// The funnel, the statuses, the affected per channel and the passports.
fn push_charts(html: &mut String, counts: &Counts, lang: Lang) {
    let t = |key: &str| label(lang, key);
    let funnel = labelled(
        lang,
        &[
            ("recovered_rows_read", counts.recovered_rows),
            ("recovered_rows_used", counts.recovered_used),
            ("persons", counts.persons),
            ("linked", counts.affected + counts.excluded + counts.review),
            ("affected", counts.affected),
            ("affected_with_email", counts.affected_with_email),
        ],
    );
    let statuses = labelled(
        lang,
        &[
            ("affected", counts.affected),
            ("review", counts.review),
            ("excluded_store", counts.excluded_store),
            ("excluded_product", counts.excluded_product),
            ("unmatched", counts.unmatched),
        ],
    );
    let channels: Vec<(String, u64)> = counts.affected_by_channel.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let passports = labelled(
        lang,
        &[
            ("valid", counts.passports_valid),
            ("possibly_valid", counts.passports_possibly_valid),
            ("expired", counts.passports_expired),
        ],
    );
    html.push_str(&format!("<h2>{}</h2>\n", escape(t("funnel"))));
    html.push_str(&bar_chart(t("funnel_caption"), &funnel));
    push_heading(html, t("status"));
    html.push_str(&bar_chart(t("status_caption"), &statuses));
    push_heading(html, t("by_channel"));
    if channels.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(t("no_affected"))));
    } else {
        html.push_str(&bar_chart(t("by_channel_caption"), &channels));
    }
    push_heading(html, t("passports"));
    html.push_str(&bar_chart(t("passports_caption"), &passports));
}

/// A section's heading, on a line of its own after the section before.
fn push_heading(html: &mut String, title: &str) {
    html.push_str(&format!("\n<h2>{}</h2>\n", escape(title)));
}

/// The values the rules did not know, the inputs, the rejects, the linkage
/// model and the data quality.
fn push_tables(html: &mut String, counts: &Counts, lang: Lang) {
    let t = |key: &str| label(lang, key);
    let unknown_values = [
        ("unknown_channels", &counts.unknown_channels),
        ("unknown_methods", &counts.unknown_booking_methods),
        ("unknown_places", &counts.unknown_payment_places),
        ("unknown_products", &counts.unknown_products),
        ("ambiguous_products", &counts.ambiguous_products),
        ("review_reasons", &counts.review_by_reason),
        ("excluded_categories", &counts.excluded_by_product_category),
    ];
    for (key, values) in unknown_values {
        if !values.is_empty() {
            push_heading(html, t(key));
            html.push_str(&table(&value_rows(lang, values)));
        }
    }
    let inputs = labelled(
        lang,
        &[
            ("recovered_rows", counts.recovered_rows),
            ("recovered_rejected", counts.recovered_rejected),
            ("booking_rows", counts.booking_rows),
            ("booking_rejected", counts.booking_rejected),
            ("booking_linked", counts.booking_linked),
            ("booking_possible", counts.booking_possible),
            ("bookings_without_channel", counts.bookings_without_channel),
            ("paid_in_store", counts.affected_online_paid_in_store),
            ("household_row", counts.affected_household_row),
            ("without_email", counts.affected_without_email),
            ("after_era_end", counts.dates_after_era_end),
            ("repeated_record_ids", counts.repeated_record_ids),
            ("repeated_booking_ids", counts.repeated_booking_ids),
        ],
    );
    push_heading(html, t("inputs"));
    html.push_str(&table(&inputs));
    if !counts.rejects_by_reason.is_empty() {
        push_heading(html, t("rejects_by_reason"));
        html.push_str(&table(&value_rows(lang, &counts.rejects_by_reason)));
    }
    if let Some(linkage) = &counts.linkage {
        push_heading(html, t("weights"));
        html.push_str(&format!("<p>{}</p>", escape(t("weights_caption"))));
        for (series, bins) in &linkage.weight_histogram {
            let thresholds = (linkage.review_threshold, linkage.match_threshold);
            html.push_str(&histogram_chart(t(series), bins, thresholds));
        }
        push_heading(html, t("model"));
        html.push_str(&model_table(&linkage.model_levels, lang));
        push_heading(html, t("possible_reasons"));
        let reasons: Vec<(String, u64)> = linkage
            .possible_links_by_reason
            .iter()
            .map(|(reason, n)| (label(lang, &format!("possible_{reason}")).to_string(), *n))
            .collect();
        html.push_str(&table(&reasons));
    }
    let invalid: Vec<(String, u64)> = counts.invalid.iter().map(|(k, v)| (k.clone(), *v)).collect();
    push_heading(html, t("data_quality"));
    html.push_str(&quality_table(counts, lang));
    push_heading(html, t("unusable"));
    html.push_str(&table(&invalid));
}

/// Writes report.html into the staging folder.
pub fn write(counts: &Counts, lang: Lang, staging: &StagingDir) -> Result<()> {
    let mut file = staging.create_file(FILE_NAME)?;
    file.write_all(render(counts, lang).as_bytes()).context("cannot write report.html")?;
    super::sync(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages_and_the_page_uses_no_missing_key() {
        for (key, (en, ja)) in labels() {
            assert!(!en.is_empty() && !ja.is_empty(), "{key}");
        }
        // render panics on a key missing from the table.
        let mut counts = Counts::default();
        counts.unknown_channels.insert(String::new(), 1);
        counts.affected_by_channel.insert("JAPANiCAN".into(), 1);
        for lang in [Lang::En, Lang::Ja] {
            assert!(render(&counts, lang).contains("JAPANiCAN"));
        }
        // The reasons of possible links are labelled by their decision.
        for doubt in crate::matching::link::Doubt::ALL {
            assert_eq!(doubt.decision(), format!("possible_{}", doubt.name()));
            for lang in [Lang::En, Lang::Ja] {
                assert!(!label(lang, doubt.decision()).is_empty());
            }
        }
    }

    #[test]
    fn counts_have_thousands_separators() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (597_170, "597,170"), (7_930_000, "7,930,000")];
        for (value, text) in cases {
            assert_eq!(thousands(value), text);
        }
        let html = render(&Counts { persons: 1_234_567, ..Counts::default() }, Lang::En);
        assert!(html.contains("1,234,567 persons"), "{html}");
        let html = render(&Counts { persons: 1_234_567, ..Counts::default() }, Lang::Ja);
        assert!(html.contains("1,234,567 人") && html.contains("lang=\"ja\""), "{html}");
    }

    #[test]
    fn channel_values_are_escaped_and_bars_are_scaled() {
        let mut counts = Counts { persons: 10, affected: 4, ..Counts::default() };
        counts.affected_by_channel.insert("<script>x</script>".into(), 4);
        counts.affected_by_channel.insert("JTBホームページ".into(), 2);
        let html = render(&counts, Lang::En);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains(&format!("width=\"{BAR_AREA_PX}\"")));
        assert!(html.contains(&format!("width=\"{}\"", BAR_AREA_PX / 2)));
        assert!(!html.contains("http"), "self-contained: no external resource");
    }
}
