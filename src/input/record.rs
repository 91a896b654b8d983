//! Decoding one raw row into the text of its fields.
//!
//! Invariant: [`decode_row`] either fills every mapped field of [`RawFields`]
//! with decoded, trimmed text or returns a [`RowError`] that says which line
//! and column is wrong; it never puts a field's value in the error.
//!
//! A spreadsheet's marks that keep a cell as text (`'09012345678`,
//! `="0012345"`, written so that the leading zeros of a phone, postal code
//! or id survive) belong to the file's format, not to the value: they are
//! taken off every field here, before any normalizer sees it
//! ([`spreadsheet_text`]).

use csv::ByteRecord;

use super::any_width_digit;
use super::encoding::Encoding;
use super::headers::{readable_header, Field, Source as FieldSource};
use super::reader::Source;

/// The decoded text of one row's fields, reused from row to row.
#[derive(Debug, Default)]
pub struct RawFields {
    values: [String; Field::COUNT],
    /// The text of the field's second column (`FieldMap::second`).
    seconds: [String; Field::COUNT],
    /// The text of the phone's third column (`FieldMap::third`), read
    /// only as the third box of one number ([`join_number_parts`]).
    third: String,
}

impl RawFields {
    /// The trimmed text of `field` (empty when absent or blank).
    pub fn get(&self, field: Field) -> &str {
        &self.values[field as usize]
    }

    /// The trimmed text of `field`'s second column (an email's or a
    /// phone's; empty when there is none or it is blank): the value where
    /// the first gives none.
    pub fn second(&self, field: Field) -> &str {
        &self.seconds[field as usize]
    }

    /// Sets a field's second column directly (tests).
    #[cfg(test)]
    pub fn set_second(&mut self, field: Field, value: &str) {
        let slot = &mut self.seconds[field as usize];
        slot.clear();
        slot.push_str(value.trim());
    }

    /// Sets a field directly (tests and generated data).
    pub fn set(&mut self, field: Field, value: &str) {
        let slot = &mut self.values[field as usize];
        slot.clear();
        slot.push_str(value.trim());
    }

    fn clear(&mut self) {
        for value in self.values.iter_mut().chain(&mut self.seconds) {
            value.clear();
        }
        self.third.clear();
    }
}

/// Said of a rejected row with a line break inside quotes (the run's
/// closing message looks for it among the reject reasons).
pub const OPEN_QUOTE_HINT: &str = ", with a line break inside quotes: a quote not closed takes in the lines after it";

/// [`OPEN_QUOTE_HINT`] when the row has a line break inside quotes.
fn open_quote_hint(quoted_line_break: bool) -> &'static str {
    if quoted_line_break {
        OPEN_QUOTE_HINT
    } else {
        ""
    }
}

/// Whether a field of `record` holds a line break (only a quoted one can).
pub(super) fn has_quoted_line_break(record: &ByteRecord) -> bool {
    record.iter().any(|field| field.iter().any(|&b| b == b'\n' || b == b'\r'))
}

/// Why a row cannot be used. Rendered by [`RowError::reason`] into
/// rejects.csv; it holds positions and header names, never values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowError {
    /// The row has another number of fields than the header;
    /// `quoted_line_break` when a field holds a line break, which only a
    /// quoted field can: a quote never closed reads the lines after it,
    /// up to the next quote or the end of the file, as one field, so
    /// those rows are in this one's raw text and nowhere else.
    FieldCount { expected: usize, found: usize, quoted_line_break: bool },
    /// A field's bytes are not valid in the file's encoding (0-based column).
    BadEncoding { column: usize },
    /// A required field is empty.
    MissingRequired(Field),
    /// A recovered row with no usable identifying value.
    NoIdentifyingValue,
    /// A field longer than `--max-field-bytes` (0-based column); a line
    /// break inside quotes as for [`RowError::FieldCount`] (the bytes past
    /// the limit are not read: the rows a quote not closed took in are in
    /// no output, and the reason is what tells of them).
    FieldTooLong { column: usize, limit: usize, quoted_line_break: bool },
}

impl RowError {
    /// A one-line reason naming the column, for rejects.csv.
    pub fn reason(&self, source: &Source) -> String {
        match self {
            // One reason for every row with a line break inside quotes
            // (counts.json groups rejects by reason); the raw text shows
            // how many lines it took.
            RowError::FieldCount { expected, found, quoted_line_break } => {
                format!("expected {expected} fields, found {found}{}", open_quote_hint(*quoted_line_break))
            }
            RowError::BadEncoding { column } => format!(
                "column {} ({}): bytes that are not valid {}",
                column + 1,
                header_shown(source, *column),
                source.encoding.name()
            ),
            RowError::MissingRequired(field) => format!("empty {}", field.name()),
            RowError::NoIdentifyingValue => "no usable identifying value".to_string(),
            RowError::FieldTooLong { column, limit, quoted_line_break } => format!(
                "column {} ({}): longer than --max-field-bytes ({limit} bytes){}",
                column + 1,
                header_shown(source, *column),
                open_quote_hint(*quoted_line_break)
            ),
        }
    }
}

/// The header of `column` as a reject reason names it: as written, unless
/// it looks like a value (`headers::readable_header`), which no output
/// shows.
fn header_shown(source: &Source, column: usize) -> &str {
    match (readable_header(&source.headers, column), source.headers.get(column)) {
        (Some(header), _) => header,
        (None, Some(_)) => "a header that looks like a value, not shown",
        (None, None) => "?",
    }
}

/// Whether a row longer than the header is longer only by empty fields:
/// exports that end every data line with a delimiter (`a,b,c,`) write
/// them, and the row's fields are all where the header says. A short row,
/// or one with text past the header, is rejected: its fields may have
/// shifted (a line broken inside an unquoted field, a comma inside an
/// address), and a shifted field read as another would be wrong data.
fn only_trailing_delimiters(record: &ByteRecord, header_fields: usize) -> bool {
    record.len() > header_fields && record.iter().skip(header_fields).all(|field| field.trim_ascii().is_empty())
}

/// Decodes the mapped fields of `record` into `out`.
pub fn decode_row(record: &ByteRecord, source: &Source, out: &mut RawFields) -> Result<(), RowError> {
    out.clear();
    if record.len() != source.headers.len() && !only_trailing_delimiters(record, source.headers.len()) {
        let (expected, found) = (source.headers.len(), record.len());
        return Err(RowError::FieldCount { expected, found, quoted_line_break: has_quoted_line_break(record) });
    }
    // A row shorter than the limit has no field over it: one comparison for
    // almost every row.
    let limit = source.max_field_bytes;
    if record.as_slice().len() > limit {
        if let Some(column) = record.iter().position(|field| field.len() > limit) {
            return Err(RowError::FieldTooLong { column, limit, quoted_line_break: has_quoted_line_break(record) });
        }
    }
    // UTF-8 rows are validated once as a whole; a field is then a slice of
    // it (valid when it starts and ends on character boundaries, which every
    // field of a valid row does unless a multi-byte character was split by a
    // delimiter, impossible in UTF-8). Only a row that fails goes field by
    // field, to find the column to blame.
    let whole_row = match source.encoding {
        // simdutf8: the same answer as std::str::from_utf8, several times
        // faster on Japanese text (this runs on every row).
        Encoding::Utf8 => simdutf8::basic::from_utf8(record.as_slice()).ok(),
        Encoding::Cp932 => None,
    };
    let decode = |column: usize, slot: &mut String| match whole_row {
        Some(text) => {
            let range = record.range(column).unwrap_or(0..0);
            push_trimmed(text.get(range).unwrap_or_default(), slot);
            Ok(())
        }
        None => decode_field(record, source, column, slot),
    };
    for field in Field::ALL {
        let slot = &mut out.values[field as usize];
        match source.map.source(field) {
            FieldSource::Absent => {}
            FieldSource::Whole(column) => {
                decode(column, slot)?;
                if let Some(second) = source.map.second(field) {
                    decode(second, &mut out.seconds[field as usize])?;
                }
                if let Some(third) = source.map.third(field) {
                    decode(third, &mut out.third)?;
                }
                join_number_parts(field, out);
            }
            // "surname given" with one space keeps the split visible to the
            // name normalizers; an address's parts are read one after the
            // other the same way (the address normalizer drops the spaces,
            // but for one between two numbers, which separates them).
            // 年, 月 and 日 after the parts make a date the date parser
            // reads whatever the year's form (1980, 昭和55, S55); a part that
            // already ends in its mark keeps one. A part left empty leaves
            // the date unusable, and every part empty leaves it missing.
            FieldSource::DateParts(parts) => {
                let mut any = false;
                for (column, mark) in parts.into_iter().zip(DATE_PART_MARKS) {
                    let before = slot.len();
                    if let Some(column) = column {
                        decode(column, slot)?;
                    }
                    any |= slot.len() > before;
                    if !slot.ends_with(mark) {
                        slot.push(mark);
                    }
                }
                if !any {
                    slot.clear();
                }
            }
            split @ (FieldSource::Split { .. } | FieldSource::AddressParts(_)) => {
                for column in split.columns() {
                    let had_text = !slot.is_empty();
                    if had_text {
                        slot.push(' ');
                    }
                    let before = slot.len();
                    decode(column, slot)?;
                    if had_text && slot.len() == before {
                        slot.pop();
                    }
                }
            }
        }
    }
    Ok(())
}

/// A number asked for in boxes and kept in numbered columns (a postal code
/// in 3 + 4 digits, zip01 and zip02; a phone as area code, exchange and
/// line, tel01, tel02 and tel03, as Japanese web forms and their tables
/// keep them) becomes one value with a dash between the parts. Told from
/// a customer's several numbers in numbered columns (電話番号1, 電話番号2)
/// by the values: the boxes hold short runs of digits of those lengths,
/// a whole number at least 10 digits. A postal code's second column is
/// read only as its second box, a phone's third only as its third.
fn join_number_parts(field: Field, out: &mut RawFields) {
    let (first, second) = (&out.values[field as usize], &out.seconds[field as usize]);
    let parts = match field {
        Field::PostalCode => digit_run(first, 3..=3) && digit_run(second, 4..=4),
        Field::Phone => {
            first.starts_with(['0', '０'])
                && digit_run(first, 2..=5)
                && digit_run(second, 1..=4)
                && digit_run(&out.third, 4..=4)
        }
        _ => false,
    };
    if parts {
        let value = &mut out.values[field as usize];
        value.push('-');
        value.push_str(&out.seconds[field as usize]);
        if field == Field::Phone {
            value.push('-');
            value.push_str(&out.third);
        }
    }
    if parts || field == Field::PostalCode {
        out.seconds[field as usize].clear();
    }
    out.third.clear();
}

/// Whether `text` is only digits (ASCII or full-width), as many as `len`.
fn digit_run(text: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    text.chars().all(|c| any_width_digit(c).is_some()) && len.contains(&text.chars().count())
}

/// The marks written after a birth date's year, month and day parts.
const DATE_PART_MARKS: [char; 3] = ['年', '月', '日'];

/// Appends `text` without leading and trailing white space, and without
/// a spreadsheet's text mark ([`spreadsheet_text`]).
fn push_trimmed(text: &str, out: &mut String) {
    out.push_str(spreadsheet_text(trimmed(text)));
}

/// `text` without leading and trailing white space.
fn trimmed(text: &str) -> &str {
    // ASCII space first (cheap), then Unicode white space (U+3000) if any.
    let text = text.trim_ascii();
    let needs_unicode_trim = text.starts_with(|c: char| !c.is_ascii() && c.is_whitespace())
        || text.ends_with(|c: char| !c.is_ascii() && c.is_whitespace());
    if needs_unicode_trim {
        text.trim()
    } else {
        text
    }
}

/// A trimmed cell without the mark a spreadsheet writes to keep it as text:
/// a leading apostrophe (`'0312345678`) or a formula of a quoted string
/// (`="0312345678"`, what Excel users write so that a CSV opened in Excel
/// keeps its leading zeros). Neither begins a name, date, email, phone,
/// postal code, address, passport number or booking value, and left on,
/// each made a date, postal code or passport number unusable. One mark is
/// taken, and the value inside is trimmed; a cell that is only a mark is
/// left as it is.
pub fn spreadsheet_text(text: &str) -> &str {
    let inner = match text.strip_prefix("=\"").and_then(|rest| rest.strip_suffix('"')) {
        Some(quoted) => quoted,
        None => match text.strip_prefix('\'') {
            Some(rest) if !rest.is_empty() => rest,
            _ => return text,
        },
    };
    trimmed(inner)
}

/// Appends the trimmed, decoded text of one column to `out`.
fn decode_field(record: &ByteRecord, source: &Source, column: usize, out: &mut String) -> Result<(), RowError> {
    let bytes = record.get(column).unwrap_or_default();
    let start = out.len();
    if !source.encoding.decode_into(bytes, out) {
        out.truncate(start);
        return Err(RowError::BadEncoding { column });
    }
    let decoded = &out[start..];
    let value = spreadsheet_text(decoded.trim());
    if value.len() != decoded.len() {
        // Where the value lies in what was decoded (a sub-slice of it).
        let value_start = value.as_ptr() as usize - decoded.as_ptr() as usize;
        let value_len = value.len();
        out.replace_range(start..start + value_start, "");
        out.truncate(start + value_len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases: the raw cell, then the field's text.
    #[test]
    fn spreadsheet_text_marks_come_off() {
        crate::normalize::table_test::run("spreadsheet_text", |raw| spreadsheet_text(trimmed(raw)).to_string());
    }

    #[test]
    fn a_number_in_boxes_is_joined_and_several_numbers_are_not() {
        crate::normalize::table_test::run("number_parts", |case| {
            let (field, columns) = case.split_once(' ').expect("field first|second|third");
            let field = match field {
                "postal" => Field::PostalCode,
                "phone" => Field::Phone,
                "email" => Field::Email,
                other => panic!("no numbered columns for {other}"),
            };
            let mut parts = columns.split('|');
            let mut raw = RawFields::default();
            raw.set(field, parts.next().unwrap_or_default());
            raw.set_second(field, parts.next().unwrap_or_default());
            raw.third = parts.next().unwrap_or_default().to_string();
            join_number_parts(field, &mut raw);
            assert!(raw.third.is_empty(), "{case}: the third column is read once");
            format!("{}|{}", raw.get(field), raw.second(field))
        });
    }
}
