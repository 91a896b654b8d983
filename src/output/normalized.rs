//! The table `leakmatch normalize` writes: the raw columns, a `status`
//! column (`ok` or why the row is rejected), then the normalized values and
//! keys of every field (README lists them).
//!
//! Invariant: one output row per input row, in input order; passport numbers
//! (raw and normalized) are blanked unless `--include-sensitive`; every cell
//! passes the formula escape, the same on both sides of a join.

use std::fmt::Write;

use csv::ByteRecord;

use super::booking_rules::decision_reasons;
use super::table::{escape_formula, escape_formula_in_place};
use crate::input::headers::Source as FieldSource;
use crate::input::record::{decode_row, RawFields};
use crate::input::{Field, InputKind, Source};
use crate::normalize::{normalize_record, Date, Gender, NormalizedRecord, Scratch, CUSTOMER_FIELDS};
use crate::rules::{fold_value_into, BookingValues, Rules};

/// Per-worker buffers.
pub struct NormalizedRow {
    raw: RawFields,
    scratch: Scratch,
    record: NormalizedRecord,
    /// The NFKC text of a rule value being folded.
    fold_scratch: String,
}

impl NormalizedRow {
    /// Buffers judging dates against `as_of`.
    pub fn new(as_of: Date) -> NormalizedRow {
        NormalizedRow {
            raw: RawFields::default(),
            scratch: Scratch::new(as_of),
            record: NormalizedRecord::default(),
            fold_scratch: String::new(),
        }
    }
}

/// The column layout for one input file.
pub struct NormalizedTable<'a> {
    source: &'a Source,
    include_sensitive: bool,
    /// Input columns that hold a passport number.
    passport_columns: Vec<usize>,
    /// What a booking's decision columns say.
    rules: &'a Rules,
}

const CUSTOMER_COLUMNS: [&str; 27] = [
    "name_kanji_key",
    "name_kanji_loose",
    "name_kana_key",
    "name_kana_loose",
    "name_kana_surname_key",
    "name_kana_given_key",
    "name_kana_romaji_key",
    "name_kana_romaji_loose",
    "name_romaji_norm",
    "name_romaji_key",
    "name_romaji_loose",
    "name_romaji_swapped_loose",
    "gender_norm",
    "birth_date_norm",
    "email_norm",
    "email_key",
    "address_norm",
    "address_prefecture",
    "address_city",
    "address_town",
    "address_numbers",
    "address_building",
    "postal_code_norm",
    "phone_norm",
    "passport_number_norm",
    "passport_issue_date_norm",
    "invalid_fields",
];
/// A booking's rule values, then the rules' decision on it and its reasons,
/// in the vocabulary of bookings.csv (every row of the file, linked or not:
/// what an analyst joins to see which bookings would make their customer
/// affected).
const BOOKING_COLUMNS: [&str; 6] =
    ["channel_norm", "booking_method_norm", "payment_place_norm", "product_norm", "decision", "decision_reasons"];

impl<'a> NormalizedTable<'a> {
    pub fn new(source: &'a Source, include_sensitive: bool, rules: &'a Rules) -> NormalizedTable<'a> {
        let passport_columns = match source.map.source(Field::PassportNumber) {
            FieldSource::Whole(column) => vec![column],
            _ => Vec::new(),
        };
        NormalizedTable { source, include_sensitive, passport_columns, rules }
    }

    /// The header row.
    pub fn headers(&self) -> Vec<String> {
        let mut headers: Vec<String> = self.source.headers.iter().map(|h| escape_formula(h).into_owned()).collect();
        headers.push("status".into());
        headers.extend(CUSTOMER_COLUMNS.iter().map(|c| c.to_string()));
        if self.source.kind == InputKind::Bookings {
            headers.extend(BOOKING_COLUMNS.iter().map(|c| c.to_string()));
        }
        headers
    }

    fn column_count(&self) -> usize {
        self.source.headers.len()
            + 1
            + CUSTOMER_COLUMNS.len()
            + if self.source.kind == InputKind::Bookings { BOOKING_COLUMNS.len() } else { 0 }
    }

    /// The cells of one input row into `cells`, whose strings are reused
    /// row after row (the normalize stream's slot).
    pub fn cells_into(&self, row: &mut NormalizedRow, record: &ByteRecord, cells: &mut Vec<String>) {
        cells.resize_with(self.column_count(), String::new);
        let mut cursor = CellCursor { cells, next: 0 };
        for column in 0..self.source.headers.len() {
            let cell = cursor.next();
            let blanked = self.passport_columns.contains(&column) && !self.include_sensitive;
            if let Some(bytes) = record.get(column).filter(|_| !blanked) {
                self.source.encoding.decode_lossy_into(bytes, cell);
            }
        }
        match decode_row(record, self.source, &mut row.raw) {
            Ok(()) => {
                cursor.put("ok");
                self.normalized_cells(row, &mut cursor);
            }
            Err(error) => {
                // Writing into a String cannot fail.
                let _ = write!(cursor.next(), "rejected: {}", error.reason(self.source));
                cursor.empty_the_rest();
            }
        }
        debug_assert_eq!(cursor.next, cursor.cells.len(), "every column written");
        cells.iter_mut().for_each(escape_formula_in_place);
    }

    /// The cells after `status` of a row decoded into `row.raw`.
    fn normalized_cells(&self, row: &mut NormalizedRow, cursor: &mut CellCursor<'_>) {
        let flags = normalize_record(&row.raw, &mut row.scratch, &mut row.record);
        let r = &row.record;
        let passport = if self.include_sensitive { r.passport_number.as_str() } else { "" };
        // A title's hint counts; an unknown gender is written as empty.
        let gender = if r.gender == Gender::Unknown { "" } else { r.gender.code() };
        for text in [
            &r.name_kanji.strict,
            &r.name_kanji.loose,
            &r.name_kana.strict,
            &r.name_kana.loose,
            &r.name_kana.romaji.surname,
            &r.name_kana.romaji.given,
            &r.name_kana.romaji.strict,
            &r.name_kana.romaji.loose,
            &r.name_romaji.display,
            &r.name_romaji.romaji.strict,
            &r.name_romaji.romaji.loose,
            &r.name_romaji.romaji.swapped_loose,
        ] {
            cursor.put(text);
        }
        cursor.put(gender);
        cursor.put_date(r.birth_date);
        for text in [
            &r.email.address,
            &r.email.key,
            &r.address.full,
            &r.address.prefecture,
            &r.address.city,
            &r.address.town,
            &r.address.numbers,
            &r.address.building,
            &r.postal_code,
            &r.phone,
        ] {
            cursor.put(text);
        }
        cursor.put(passport);
        cursor.put_date(r.passport_issue_date);
        let invalid = cursor.next();
        for field in CUSTOMER_FIELDS.iter().filter(|f| flags.is_invalid(**f)) {
            if !invalid.is_empty() {
                invalid.push(';');
            }
            invalid.push_str(field.name());
        }
        if self.source.kind == InputKind::Bookings {
            let first = cursor.next;
            for field in [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product] {
                fold_value_into(row.raw.get(field), &mut row.fold_scratch, cursor.next());
            }
            let folded = &cursor.cells[first..];
            let class = self.rules.classify(BookingValues {
                channel: &folded[0],
                booking_method: &folded[1],
                payment_place: &folded[2],
                product: &folded[3],
            });
            cursor.put(class.decision_name());
            cursor.put(decision_reasons(&class));
        }
    }
}

/// Writes an output row's cells in column order, each emptied first.
struct CellCursor<'c> {
    cells: &'c mut [String],
    /// The next column to write.
    next: usize,
}

impl CellCursor<'_> {
    /// The next cell, emptied. The row was sized to the table's columns,
    /// and a row writes each of them once.
    fn next(&mut self) -> &mut String {
        let cell = &mut self.cells[self.next];
        self.next += 1;
        cell.clear();
        cell
    }

    /// Every column not written yet, emptied.
    fn empty_the_rest(&mut self) {
        self.cells[self.next..].iter_mut().for_each(String::clear);
        self.next = self.cells.len();
    }

    fn put(&mut self, text: &str) {
        self.next().push_str(text);
    }

    /// A date as `YYYY-MM-DD`, empty without one.
    fn put_date(&mut self, date: Option<Date>) {
        let cell = self.next();
        if let Some(date) = date {
            // Writing into a String cannot fail.
            let _ = write!(cell, "{date}");
        }
    }
}
