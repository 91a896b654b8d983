//! The table `leakmatch normalize` writes: the raw columns, a `status`
//! column (`ok` or why the row is rejected), then the normalized values and
//! keys of every field (README lists them).
//!
//! Invariant: one output row per input row, in input order; passport numbers
//! (raw and normalized) are blanked unless `--include-sensitive`; every cell
//! passes the formula escape, the same on both sides of a join.

use csv::ByteRecord;

use super::booking_rules::decision_reasons;
use super::table::escape_formula;
use crate::input::headers::Source as FieldSource;
use crate::input::record::{decode_row, RawFields};
use crate::input::{Field, InputKind, Source};
use crate::normalize::{normalize_record, Date, NormalizedRecord, Scratch};
use crate::rules::{fold_value, BookingValues, Rules};

/// Per-worker buffers.
pub struct NormalizedRow {
    raw: RawFields,
    scratch: Scratch,
    record: NormalizedRecord,
}

impl NormalizedRow {
    /// Buffers judging dates against `as_of`.
    pub fn new(as_of: Date) -> NormalizedRow {
        NormalizedRow { raw: RawFields::default(), scratch: Scratch::new(as_of), record: NormalizedRecord::default() }
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

    /// The cells of one input row.
    pub fn cells(&self, row: &mut NormalizedRow, record: &ByteRecord) -> Vec<String> {
        let mut cells = Vec::with_capacity(self.column_count());
        for (column, bytes) in record.iter().enumerate().take(self.source.headers.len()) {
            let text = if self.passport_columns.contains(&column) && !self.include_sensitive {
                String::new()
            } else {
                self.source.encoding.decode_lossy(bytes)
            };
            cells.push(text);
        }
        cells.resize(self.source.headers.len(), String::new());
        if let Err(error) = decode_row(record, self.source, &mut row.raw) {
            cells.push(format!("rejected: {}", error.reason(self.source)));
            cells.resize(self.column_count(), String::new());
            return cells.into_iter().map(|c| escape_formula(&c).into_owned()).collect();
        }
        cells.push("ok".into());
        let flags = normalize_record(&row.raw, &mut row.scratch, &mut row.record);
        let r = &row.record;
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let invalid: Vec<&str> =
            crate::normalize::CUSTOMER_FIELDS.iter().filter(|f| flags.is_invalid(**f)).map(|f| f.name()).collect();
        let passport = if self.include_sensitive { r.passport_number.clone() } else { String::new() };
        cells.extend([
            r.name_kanji.strict.clone(),
            r.name_kanji.loose.clone(),
            r.name_kana.strict.clone(),
            r.name_kana.loose.clone(),
            r.name_kana.romaji.surname.clone(),
            r.name_kana.romaji.given.clone(),
            r.name_kana.romaji.strict.clone(),
            r.name_kana.romaji.loose.clone(),
            r.name_romaji.display.clone(),
            r.name_romaji.romaji.strict.clone(),
            r.name_romaji.romaji.loose.clone(),
            r.name_romaji.romaji.swapped_loose.clone(),
            // A title's hint counts; an unknown gender is written as empty.
            if r.gender == crate::normalize::Gender::Unknown { String::new() } else { r.gender.code().to_string() },
            date(r.birth_date),
            r.email.address.clone(),
            r.email.key.clone(),
            r.address.full.clone(),
            r.address.prefecture.clone(),
            r.address.city.clone(),
            r.address.town.clone(),
            r.address.numbers.clone(),
            r.address.building.clone(),
            r.postal_code.clone(),
            r.phone.clone(),
            passport,
            date(r.passport_issue_date),
            invalid.join(";"),
        ]);
        if self.source.kind == InputKind::Bookings {
            let [channel, booking_method, payment_place, product] =
                [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product]
                    .map(|field| fold_value(row.raw.get(field)));
            let class = self.rules.classify(BookingValues {
                channel: &channel,
                booking_method: &booking_method,
                payment_place: &payment_place,
                product: &product,
            });
            cells.extend([channel, booking_method, payment_place, product]);
            cells.extend([class.decision_name().to_string(), decision_reasons(&class)]);
        }
        cells.into_iter().map(|c| escape_formula(&c).into_owned()).collect()
    }
}
