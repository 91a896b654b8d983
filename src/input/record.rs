//! Decoding one raw row into the text of its fields.
//!
//! Invariant: [`decode_row`] either fills every mapped field of [`RawFields`]
//! with decoded, trimmed text or returns a [`RowError`] that says which line
//! and column is wrong; it never puts a field's value in the error.

use csv::ByteRecord;

use super::headers::{Field, Source as FieldSource};
use super::reader::Source;

/// The decoded text of one row's fields, reused from row to row.
#[derive(Debug, Default)]
pub struct RawFields {
    values: [String; Field::COUNT],
}

impl RawFields {
    /// The trimmed text of `field` (empty when absent or blank).
    pub fn get(&self, field: Field) -> &str {
        &self.values[field as usize]
    }

    /// Sets a field directly (tests and generated data).
    pub fn set(&mut self, field: Field, value: &str) {
        let slot = &mut self.values[field as usize];
        slot.clear();
        slot.push_str(value.trim());
    }

    fn clear(&mut self) {
        for value in &mut self.values {
            value.clear();
        }
    }
}

/// Why a row cannot be used. Rendered by [`RowError::reason`] into
/// rejects.csv; it holds positions and header names, never values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowError {
    /// The row has another number of fields than the header.
    FieldCount { expected: usize, found: usize },
    /// A field's bytes are not valid in the file's encoding (0-based column).
    BadEncoding { column: usize },
    /// A required field is empty.
    MissingRequired(Field),
    /// A recovered row with no usable identifying value.
    NoIdentifyingValue,
}

impl RowError {
    /// A one-line reason naming the column, for rejects.csv.
    pub fn reason(&self, source: &Source) -> String {
        match self {
            RowError::FieldCount { expected, found } => {
                format!("expected {expected} fields, found {found}")
            }
            RowError::BadEncoding { column } => format!(
                "column {} ({}): bytes that are not valid {}",
                column + 1,
                source.headers.get(*column).map(String::as_str).unwrap_or("?"),
                source.encoding.name()
            ),
            RowError::MissingRequired(field) => format!("empty {}", field.name()),
            RowError::NoIdentifyingValue => "no usable identifying value".to_string(),
        }
    }
}

/// Decodes the mapped fields of `record` into `out`.
pub fn decode_row(record: &ByteRecord, source: &Source, out: &mut RawFields) -> Result<(), RowError> {
    out.clear();
    if record.len() != source.headers.len() {
        return Err(RowError::FieldCount { expected: source.headers.len(), found: record.len() });
    }
    for field in Field::ALL {
        let slot = &mut out.values[field as usize];
        match source.map.source(field) {
            FieldSource::Absent => {}
            FieldSource::Whole(column) => decode_field(record, source, column, slot)?,
            FieldSource::Split { surname, given } => {
                // "surname given" with one space keeps the split visible to
                // the name normalizers.
                if let Some(column) = surname {
                    decode_field(record, source, column, slot)?;
                }
                if let Some(column) = given {
                    let had_surname = !slot.is_empty();
                    if had_surname {
                        slot.push(' ');
                    }
                    let before = slot.len();
                    decode_field(record, source, column, slot)?;
                    if had_surname && slot.len() == before {
                        slot.pop();
                    }
                }
            }
        }
    }
    Ok(())
}

/// Appends the trimmed, decoded text of one column to `out`.
fn decode_field(record: &ByteRecord, source: &Source, column: usize, out: &mut String) -> Result<(), RowError> {
    let bytes = record.get(column).unwrap_or_default();
    let start = out.len();
    if !source.encoding.decode_into(bytes, out) {
        out.truncate(start);
        return Err(RowError::BadEncoding { column });
    }
    let trimmed = out[start..].trim();
    if trimmed.len() != out.len() - start {
        let (lead, keep) = {
            let text = &out[start..];
            let lead = text.len() - text.trim_start().len();
            (lead, trimmed.len())
        };
        out.replace_range(start..start + lead, "");
        out.truncate(start + keep);
    }
    Ok(())
}
