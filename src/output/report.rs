//! report.html: one self-contained page (no script, no external resource)
//! with the funnel from rows to affected persons and the affected persons
//! per channel, as inline SVG bar charts, and the counts as tables.
//!
//! Invariant: built from counts.json's figures only, so it holds no personal
//! data; every text is HTML-escaped (channel values come from the input).

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

fn table(rows: &[(String, u64)]) -> String {
    let mut html = String::from("<table>");
    for (label, value) in rows {
        html.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", escape(label), thousands(*value)));
    }
    html.push_str("</table>");
    html
}

/// The page for `counts`.
pub fn render(counts: &Counts) -> String {
    let funnel: Vec<(String, u64)> = vec![
        ("recovered rows read".into(), counts.recovered_rows),
        ("recovered rows used".into(), counts.recovered_used),
        ("persons".into(), counts.persons),
        ("linked or possibly linked".into(), counts.affected + counts.excluded + counts.review),
        ("affected".into(), counts.affected),
        ("affected with email".into(), counts.affected_with_email),
    ];
    let statuses: Vec<(String, u64)> = vec![
        ("affected".into(), counts.affected),
        ("review".into(), counts.review),
        ("excluded (store)".into(), counts.excluded_store),
        ("excluded (product)".into(), counts.excluded_product),
        ("unmatched".into(), counts.unmatched),
    ];
    let channels: Vec<(String, u64)> = counts.affected_by_channel.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let pairs = |map: &std::collections::BTreeMap<String, u64>| -> Vec<(String, u64)> {
        map.iter().map(|(k, v)| (if k.is_empty() { "(empty)".to_string() } else { k.clone() }, *v)).collect()
    };
    let unknown_values = [
        ("Channels the rules do not know (booking rows)", pairs(&counts.unknown_channels)),
        ("Booking methods the rules do not know (booking rows)", pairs(&counts.unknown_booking_methods)),
        ("Payment places the rules do not know (booking rows)", pairs(&counts.unknown_payment_places)),
        ("Products in no list of the rules: they qualify (booking rows)", pairs(&counts.unknown_products)),
        ("Products both excluded and qualifying: review (booking rows)", pairs(&counts.ambiguous_products)),
        ("Excluded persons by product category", pairs(&counts.excluded_by_product_category)),
    ];
    let passports: Vec<(String, u64)> = vec![
        ("valid".into(), counts.passports_valid),
        ("possibly valid".into(), counts.passports_possibly_valid),
        ("expired".into(), counts.passports_expired),
    ];
    let inputs: Vec<(String, u64)> = vec![
        ("recovered rows".into(), counts.recovered_rows),
        ("recovered rows rejected".into(), counts.recovered_rejected),
        ("booking rows".into(), counts.booking_rows),
        ("booking rows rejected".into(), counts.booking_rejected),
        ("booking rows linked".into(), counts.booking_linked),
        ("booking rows possibly linked".into(), counts.booking_possible),
        ("booking rows without a channel (review)".into(), counts.bookings_without_channel),
        ("affected, booked online and paid in a store".into(), counts.affected_online_paid_in_store),
        ("affected without email".into(), counts.affected_without_email),
        ("dates read past their era's end".into(), counts.dates_after_era_end),
    ];
    let invalid: Vec<(String, u64)> = counts.invalid.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>leakmatch report</title><style>\
         body{font-family:sans-serif;margin:2em;max-width:60em}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}\
         rect{fill:#3b6ea5}.label,.value{font-size:13px}figure{margin:0}figcaption{font-weight:bold;margin:.5em 0}\
         table{border-collapse:collapse}th{text-align:left;font-weight:normal;padding:.2em 1em .2em 0}\
         td{text-align:right;padding:.2em 0}</style></head><body>\n<h1>leakmatch report</h1>\n",
    );
    html.push_str(&format!(
        "<p>{} persons in {} recovered rows; {} affected, {} to review.</p>\n",
        thousands(counts.persons),
        thousands(counts.recovered_rows),
        thousands(counts.affected),
        thousands(counts.review)
    ));
    html.push_str("<h2>Funnel</h2>\n");
    html.push_str(&bar_chart("From recovered rows to affected persons", &funnel));
    html.push_str("\n<h2>Status</h2>\n");
    html.push_str(&bar_chart("Persons by status (a person can be excluded for both reasons)", &statuses));
    html.push_str("\n<h2>Affected persons by channel</h2>\n");
    if channels.is_empty() {
        html.push_str("<p>No affected person.</p>");
    } else {
        html.push_str(&bar_chart("Affected persons with a qualifying booking on the channel", &channels));
    }
    html.push_str("\n<h2>Passports</h2>\n");
    html.push_str(&bar_chart("Persons by passport status", &passports));
    for (title, rows) in &unknown_values {
        if !rows.is_empty() {
            html.push_str(&format!("\n<h2>{}</h2>\n", escape(title)));
            html.push_str(&table(rows));
        }
    }
    html.push_str("\n<h2>Inputs</h2>\n");
    html.push_str(&table(&inputs));
    html.push_str("\n<h2>Unusable values</h2>\n");
    html.push_str(&table(&invalid));
    html.push_str("\n</body></html>\n");
    html
}

/// Writes report.html into the staging folder.
pub fn write(counts: &Counts, staging: &StagingDir) -> Result<()> {
    let mut file = staging.create_file(FILE_NAME)?;
    file.write_all(render(counts).as_bytes()).context("cannot write report.html")?;
    super::sync(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (597_170, "597,170"), (7_930_000, "7,930,000")];
        for (value, text) in cases {
            assert_eq!(thousands(value), text);
        }
        let html = render(&Counts { persons: 1_234_567, ..Counts::default() });
        assert!(html.contains("1,234,567 persons"), "{html}");
    }

    #[test]
    fn channel_values_are_escaped_and_bars_are_scaled() {
        let mut counts = Counts { persons: 10, affected: 4, ..Counts::default() };
        counts.affected_by_channel.insert("<script>x</script>".into(), 4);
        counts.affected_by_channel.insert("JTBホームページ".into(), 2);
        let html = render(&counts);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains(&format!("width=\"{BAR_AREA_PX}\"")));
        assert!(html.contains(&format!("width=\"{}\"", BAR_AREA_PX / 2)));
        assert!(!html.contains("http"), "self-contained: no external resource");
    }
}
