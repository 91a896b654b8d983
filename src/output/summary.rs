//! The short summary table printed on stderr at the end of a run.
//!
//! Invariant: counts only, never a value from the data.

use std::io::Write;

use super::counts::Counts;

/// Prints the summary of a run to stderr.
pub fn print(counts: &Counts, out_dir: &std::path::Path, seconds: f64) {
    let rows = [
        ("recovered rows", format!("{} ({} rejected)", counts.recovered_rows, counts.recovered_rejected)),
        ("booking rows", format!("{} ({} rejected)", counts.booking_rows, counts.booking_rejected)),
        ("persons", counts.persons.to_string()),
        ("affected", format!("{} ({} without email)", counts.affected, counts.affected_without_email)),
        ("review", counts.review.to_string()),
        (
            "excluded",
            format!("{} (store {}, product {})", counts.excluded, counts.excluded_store, counts.excluded_product),
        ),
        ("unmatched", counts.unmatched.to_string()),
        ("passports", format!("{} valid, {} possibly valid", counts.passports_valid, counts.passports_possibly_valid)),
    ];
    let mut text = format!("leakmatch: result in {} ({seconds:.1} s)\n", out_dir.display());
    for (label, value) in rows {
        text.push_str(&format!("  {label:<15} {value}\n"));
    }
    // A closed stderr is no reason to fail a finished run.
    let _ = std::io::stderr().write_all(text.as_bytes());
}
