//! The `leakmatch values` table: as aligned text per field, or as one CSV.
//!
//! Invariant: what is written is the inventory's rows in their order; the
//! values are business values (channels, methods, products), never customer
//! data.

use std::io::Write;

use anyhow::Result;

use super::table::{escape_formula, pad};
use crate::rules::inventory::{ValueRow, FIELDS};

/// Figures of the read, printed above the text table.
pub struct ReadFigures {
    pub files: usize,
    pub rows: u64,
    /// Rows with the wrong number of fields or bytes invalid in the encoding.
    pub unreadable: u64,
}

/// Width of the value column in the text table (terminal columns).
const VALUE_COLUMNS: usize = 30;
/// Width of the class column.
const CLASS_COLUMNS: usize = 24;
/// Width of the rule column.
const RULE_COLUMNS: usize = 22;

/// Writes the rows as one aligned table per field.
pub fn write_text(out: &mut dyn Write, rows: &[ValueRow], figures: &ReadFigures) -> Result<()> {
    writeln!(
        out,
        "booking rows: {} read from {} file(s), {} unreadable (see `leakmatch run` rejects.csv)",
        figures.rows, figures.files, figures.unreadable
    )?;
    writeln!(out, "values as the rules compare them (folded); `!` marks a value to look at\n")?;
    for field in FIELDS {
        let field_rows: Vec<&ValueRow> = rows.iter().filter(|r| r.field == field).collect();
        let attention = field_rows.iter().filter(|r| r.needs_attention).count();
        writeln!(out, "{} — {} distinct, {} to look at", field.name(), field_rows.len(), attention)?;
        writeln!(
            out,
            "    {:>10}  {} {} {} effect",
            "rows",
            pad("value", VALUE_COLUMNS),
            pad("class", CLASS_COLUMNS),
            pad("rule", RULE_COLUMNS)
        )?;
        for row in field_rows {
            let value = if row.value.is_empty() { "(empty)" } else { row.value.as_str() };
            writeln!(
                out,
                "  {} {:>10}  {} {} {} {}",
                if row.needs_attention { '!' } else { ' ' },
                row.rows,
                pad(value, VALUE_COLUMNS),
                pad(&row.class, CLASS_COLUMNS),
                pad(&row.rule, RULE_COLUMNS),
                row.effect
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the rows as one CSV table.
pub fn write_csv(out: &mut dyn Write, rows: &[ValueRow]) -> Result<()> {
    let mut wtr = csv::Writer::from_writer(out);
    wtr.write_record(["field", "value", "rows", "class", "rule", "effect", "needs_attention"])?;
    for row in rows {
        wtr.write_record([
            row.field.name(),
            &escape_formula(&row.value),
            &row.rows.to_string(),
            &row.class,
            &escape_formula(&row.rule),
            &row.effect,
            if row.needs_attention { "yes" } else { "no" },
        ])?;
    }
    wtr.flush()?;
    Ok(())
}
