//! `leakmatch generate`: a synthetic dataset with ground truth (SPEC
//! section 7): recovered.csv, bookings/<channel>.csv, truth.csv,
//! booking_truth.csv, classes.csv and truth_counts.json.
//!
//! Persons 0..N are in the recovered file (one row, or two or three rows
//! written differently); persons N.. appear only in bookings. Each person's
//! rows and bookings are a pure function of (seed, index), made in parallel
//! chunks and written in index order, so the same seed gives the same bytes
//! whatever the thread count. True statuses come from the rules module on
//! the true bookings; passport statuses are as of [`TRUTH_AS_OF`] (run with
//! `--as-of 2016-06-14` to compare).

mod booking_case;
pub mod person;
pub mod render;
mod sparse;
pub mod tables;

use std::collections::BTreeMap;
use std::fs::File;

use anyhow::{Context, Result};
use rand::Rng;
use rayon::prelude::*;

use self::booking_case::{draw_booking, BookingCase, BOOKING_FILES};
use self::person::{person, rng, Person};
use self::render::{render, Fields};
use self::sparse::sparsen_row;
use crate::assess::{status_for_bookings, Reasons, Status};
use crate::bookings::UnknownValues;
use crate::normalize::passport::{self, PassportStatus};
use crate::normalize::romaji::FoldScratch;
use crate::normalize::Date;
use crate::output::counts::Counts;
use crate::output::StagingDir;
use crate::rules::{BookingClass, Rules};
use rand_chacha::ChaCha8Rng;

/// The as-of date of the generated truth (the date of the real incident's
/// announcement, as in the README's example).
pub const TRUTH_AS_OF: (i16, i8, i8) = (2016, 6, 14);
/// Persons made per parallel chunk.
const CHUNK_PERSONS: u64 = 8192;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateConfig {
    /// Persons in the recovered file.
    pub persons: u64,
    pub seed: u64,
    /// Booking-only persons per recovered person (bookings ≈ 3–4× recovered
    /// rows with the default 2).
    pub booking_only_ratio: f64,
    /// Write recovered.csv in CP932 (characters it lacks become 〓).
    pub cp932: bool,
    /// Most rows a recovered person can have (2 or more: a share of persons
    /// get 2..=this many rows, written differently).
    pub rows_per_person: u32,
    /// Share of rows that get each variation class.
    pub variation_share: f64,
    /// Share of recovered rows of each sparse structure (no name, a name in
    /// one script only, two fields only), of persons with an exact
    /// duplicate row, and of bookings with a name in one script only.
    pub missing_rate: f64,
    /// Share of persons (recovered and booking-only) who gave no email and
    /// were typed [`DUMMY_EMAIL`] by staff, in every row and booking.
    pub dummy_email_share: f64,
}

/// The mailbox staff type for a customer without one.
pub const DUMMY_EMAIL: &str = "none@none.jp";

/// One rendered recovered row.
struct RecoveredRow {
    fields: Fields,
    classes: Vec<&'static str>,
}

/// One rendered booking.
struct BookingRow {
    case: BookingCase,
    /// The channel as written (a spelling variant of `case.channel`).
    channel_text: String,
    /// The product as written.
    product_text: String,
    class: BookingClass,
    /// The channel's name as a perfect run reports it (the rules' canonical name).
    canonical_channel: String,
    fields: Fields,
    classes: Vec<&'static str>,
    booked_at: String,
}

/// Everything one person contributes.
struct PersonOutput {
    person: Person,
    rows: Vec<RecoveredRow>,
    bookings: Vec<BookingRow>,
    status: Status,
    reasons: Reasons,
    passport: PassportStatus,
}

const PURPOSE_ROWS: u64 = 10;
const PURPOSE_BOOKINGS: u64 = 11;
/// Its own stream, so that a share of 0 leaves every other draw as it was.
const PURPOSE_DUMMY_EMAIL: u64 = 12;

fn make(config: &GenerateConfig, index: u64, rules: &Rules, fold_scratch: &mut FoldScratch) -> PersonOutput {
    let mut person = person(config.seed, index);
    if config.dummy_email_share > 0.0
        && rng(config.seed, PURPOSE_DUMMY_EMAIL, index).random_bool(config.dummy_email_share)
    {
        person.email = DUMMY_EMAIL.to_string();
    }
    let rows = if index < config.persons { recovered_rows(config, &person, fold_scratch) } else { Vec::new() };
    let mut rng = rng(config.seed, PURPOSE_BOOKINGS, index);
    let count = match rng.random_range(0..100) {
        0..20 => 0,
        20..70 => 1,
        70..90 => 2,
        _ => rng.random_range(3..=4),
    };
    let bookings: Vec<BookingRow> =
        (0..count).map(|_| booking_row(config, &person, rules, &mut rng, fold_scratch)).collect();
    let classes: Vec<BookingClass> = bookings.iter().map(|b| b.class).collect();
    let (status, reasons) = status_for_bookings(&classes);
    let as_of = Date::constant(TRUTH_AS_OF.0, TRUTH_AS_OF.1, TRUTH_AS_OF.2);
    let passport = person
        .passport
        .as_ref()
        .map_or(PassportStatus::None, |(_, issue)| passport::status(Some(*issue), Some(person.birth), as_of));
    PersonOutput { person, rows, bookings, status, reasons, passport }
}

/// The rows of a person of the recovered file: one, or (7.5% of persons)
/// two to `--rows-per-person` written differently, and sometimes one of
/// them again byte for byte.
fn recovered_rows(config: &GenerateConfig, person: &Person, fold_scratch: &mut FoldScratch) -> Vec<RecoveredRow> {
    let mut rng = rng(config.seed, PURPOSE_ROWS, person.index);
    let copies = if config.rows_per_person > 1 && rng.random_bool(0.075) {
        rng.random_range(2..=config.rows_per_person)
    } else {
        1
    };
    // Every row of a person given the staff's mailbox is of that class.
    let dummy_email = (person.email == DUMMY_EMAIL).then_some("dummy_email");
    let mut rows = Vec::new();
    for copy in 0..copies {
        let mut classes = Vec::new();
        if copy > 0 {
            classes.push("duplicate_row");
        }
        classes.extend(person.structure.class());
        classes.extend(dummy_email);
        let mut fields = render(person, config.variation_share, &mut rng, &mut classes, fold_scratch);
        sparsen_row(person, &mut fields, &mut classes, config.missing_rate, &mut rng);
        rows.push(RecoveredRow { fields, classes });
    }
    // The same row written twice, byte for byte (a restored file holds
    // copies of one record).
    if rng.random_bool(config.missing_rate / 2.0) {
        let classes = std::iter::once("exact_duplicate").chain(dummy_email).collect();
        rows.push(RecoveredRow { fields: rows[0].fields.clone(), classes });
    }
    rows
}

/// One booking of `person`: its rule case, its customer fields as that
/// channel's export writes them, and its channel and product spelled as
/// other systems do.
fn booking_row(
    config: &GenerateConfig,
    person: &Person,
    rules: &Rules,
    rng: &mut ChaCha8Rng,
    fold_scratch: &mut FoldScratch,
) -> BookingRow {
    let share = config.variation_share;
    let case = draw_booking(rng);
    let mut classes = Vec::new();
    let mut fields = render(person, share, rng, &mut classes, fold_scratch);
    // Booking exports rarely carry a passport.
    if !rng.random_bool(0.2) {
        fields.passport.clear();
        fields.issue.clear();
    }
    // Some systems keep the name in one script only.
    if rng.random_bool(config.missing_rate) {
        classes.push("booking_kanji_only");
        fields.kana.clear();
        fields.romaji.clear();
    } else if rng.random_bool(config.missing_rate) {
        classes.push("booking_kana_only");
        fields.kanji.clear();
        fields.romaji.clear();
    }
    let booked_at =
        format!("{}-{:02}-{:02}", rng.random_range(2015..=2016), rng.random_range(1..=5), rng.random_range(1..=28));
    let channel_text = if rng.random_bool(share) {
        classes.push("channel_spelling");
        // Half-width kana, or a hyphen for the long vowel (ホ-ムペ-ジ).
        if rng.random_bool(0.5) {
            render::half_width(case.channel)
        } else {
            case.channel.replace('ー', "-")
        }
    } else {
        case.channel.to_string()
    };
    let product_text = if rng.random_bool(share) {
        // Spaces and full width, as exports from other systems write it.
        classes.push("product_spelling");
        format!(" {} ", render::full_width(case.product_text))
    } else {
        case.product_text.to_string()
    };
    let mut canonical_channel = String::new();
    rules.canonical_channel_into(&crate::rules::fold_value(case.channel), &mut canonical_channel);
    BookingRow {
        case,
        channel_text,
        product_text,
        class: rules.classify_raw(case.channel, case.method, case.place, case.product),
        canonical_channel,
        fields,
        classes,
        booked_at,
    }
}

/// The open output files.
struct Writers {
    recovered: csv::Writer<File>,
    bookings: BTreeMap<&'static str, csv::Writer<File>>,
    truth: csv::Writer<File>,
    booking_truth: csv::Writer<File>,
    classes: csv::Writer<File>,
    cp932: bool,
}

const RECOVERED_HEADERS: [&str; 12] = [
    "レコードID",
    "氏名",
    "フリガナ",
    "氏名ローマ字",
    "性別",
    "生年月日",
    "メールアドレス",
    "郵便番号",
    "住所",
    "電話番号",
    "旅券番号",
    "旅券発行日",
];
const BOOKING_HEADERS: [&str; 15] = [
    "予約番号",
    "販売チャネル",
    "予約方法",
    "精算場所",
    "商品",
    "予約日",
    "氏名",
    "フリガナ",
    "氏名ローマ字",
    "生年月日",
    "メールアドレス",
    "電話番号",
    "郵便番号",
    "住所",
    "旅券番号",
];

/// CP932 bytes of `text`; characters CP932 lacks become 〓 (the geta mark
/// Japanese systems print for a missing character).
fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    if !had_errors {
        return bytes.into_owned();
    }
    let (geta, _, _) = encoding_rs::SHIFT_JIS.encode("〓");
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let (encoded, _, missing) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
        out.extend_from_slice(if missing { &geta } else { &encoded });
    }
    out
}

/// The keys of counts.json whose true value the generator knows (figures
/// of the linker, such as booking_linked, are left out so `--expect` can
/// compare the file as it is).
pub fn truth_counts_json(counts: &Counts) -> Result<String> {
    const KEYS: [&str; 23] = [
        "recovered_rows",
        "recovered_rejected",
        "booking_rows",
        "booking_rejected",
        "persons",
        "affected",
        "excluded",
        "excluded_store",
        "excluded_product",
        "review",
        "unmatched",
        "affected_with_email",
        "affected_without_email",
        "affected_online_paid_in_store",
        "passports_valid",
        "passports_possibly_valid",
        "passports_expired",
        "affected_by_channel",
        "unknown_channels",
        "unknown_booking_methods",
        "unknown_payment_places",
        "unknown_products",
        "bookings_without_channel",
    ];
    let all = serde_json::to_value(counts).context("cannot encode the true counts")?;
    let mut selected = serde_json::Map::new();
    for key in KEYS {
        selected.insert(key.to_string(), all.get(key).cloned().unwrap_or(serde_json::Value::Null));
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(selected)).context("cannot encode the true counts")?;
    text.push('\n');
    Ok(text)
}

impl Writers {
    fn new(staging: &StagingDir, cp932: bool) -> Result<Writers> {
        let writer =
            |name: &str| -> Result<csv::Writer<File>> { Ok(csv::Writer::from_writer(staging.create_file(name)?)) };
        let mut recovered = writer("recovered.csv")?;
        Self::write_row(&mut recovered, RECOVERED_HEADERS.iter().map(|h| h.to_string()).collect(), cp932)?;
        let mut truth = writer("truth.csv")?;
        truth.write_record(["record_id", "person_id", "status", "passport_status", "reasons"])?;
        let mut booking_truth = writer("booking_truth.csv")?;
        booking_truth.write_record(["booking_id", "person_id"])?;
        let mut classes = writer("classes.csv")?;
        classes.write_record(["record_id", "class", "side"])?;
        staging.create_dir("bookings")?;
        let mut bookings = BTreeMap::new();
        for file in BOOKING_FILES {
            let mut w = writer(&format!("bookings/{file}.csv"))?;
            w.write_record(BOOKING_HEADERS)?;
            bookings.insert(file, w);
        }
        Ok(Writers { recovered, bookings, truth, booking_truth, classes, cp932 })
    }

    fn write_row(wtr: &mut csv::Writer<File>, cells: Vec<String>, as_cp932: bool) -> Result<()> {
        if as_cp932 {
            wtr.write_record(cells.iter().map(|c| cp932(c)))?;
        } else {
            wtr.write_record(&cells)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        let mut all = vec![self.recovered, self.truth, self.booking_truth, self.classes];
        all.extend(self.bookings.into_values());
        for wtr in all {
            crate::output::sync(wtr.into_inner().map_err(|e| e.into_error())?)?;
        }
        Ok(())
    }
}

/// Generates the dataset into the staging folder; returns the true counts.
pub fn generate(config: &GenerateConfig, staging: &StagingDir) -> Result<Counts> {
    let rules = Rules::default_rules();
    let booking_only = (config.persons as f64 * config.booking_only_ratio).round() as u64;
    let total = config.persons + booking_only;
    let mut writers = Writers::new(staging, config.cp932)?;
    let mut counts = Counts::default();
    let mut unknown = UnknownValues::default();
    let (mut record_number, mut booking_number) = (0u64, 0u64);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK_PERSONS).min(total);
        let outputs: Vec<PersonOutput> = (start..end)
            .into_par_iter()
            .map_init(FoldScratch::default, |fold, index| make(config, index, &rules, fold))
            .collect();
        for output in outputs {
            let numbers = (&mut record_number, &mut booking_number);
            write_person(&output, &mut writers, &mut counts, &mut unknown, numbers)?;
        }
        start = end;
    }
    writers.finish()?;
    counts.unknown_channels = unknown.channels;
    counts.unknown_booking_methods = unknown.booking_methods;
    counts.unknown_payment_places = unknown.payment_places;
    counts.unknown_products = unknown.products;
    counts.ambiguous_products = unknown.ambiguous_products;
    counts.bookings_without_channel = unknown.missing_channel_rows;
    Ok(counts)
}

fn write_person(
    out: &PersonOutput,
    w: &mut Writers,
    counts: &mut Counts,
    unknown: &mut UnknownValues,
    (record_number, booking_number): (&mut u64, &mut u64),
) -> Result<()> {
    let person_id = out.person.id();
    let mut has_email = write_recovered_rows(out, &person_id, w, counts, record_number)?;
    let mut channels: Vec<String> = Vec::new();
    for booking in &out.bookings {
        *booking_number += 1;
        write_booking(booking, &format!("B{booking_number:08}"), &person_id, w)?;
        counts.booking_rows += 1;
        counts.booking_used += 1;
        let truth_values = [booking.case.channel, booking.case.method, booking.case.place, booking.case.product]
            .map(crate::rules::fold_value);
        let [channel, booking_method, payment_place, product] = &truth_values;
        unknown.tally(crate::rules::BookingValues { channel, booking_method, payment_place, product }, &booking.class);
        if !out.rows.is_empty() && booking.class.qualifies() {
            has_email |= !booking.fields.email.is_empty();
            if !channels.contains(&booking.canonical_channel) {
                channels.push(booking.canonical_channel.clone());
            }
        }
    }
    if out.rows.is_empty() {
        return Ok(());
    }
    counts.add_person(out.status, out.reasons, out.passport, has_email, channels.iter().map(String::as_str));
    Ok(())
}

/// Writes the person's recovered rows with their truth and classes; returns
/// whether one of them has an email.
fn write_recovered_rows(
    out: &PersonOutput,
    person_id: &str,
    w: &mut Writers,
    counts: &mut Counts,
    record_number: &mut u64,
) -> Result<bool> {
    let reasons: Vec<&str> = out.reasons.iter().map(|r| r.name()).collect();
    let mut has_email = false;
    for row in &out.rows {
        *record_number += 1;
        let record_id = format!("R{record_number:08}");
        let f = &row.fields;
        has_email |= !f.email.is_empty();
        let cells = vec![
            record_id.clone(),
            f.kanji.clone(),
            f.kana.clone(),
            f.romaji.clone(),
            f.gender.clone(),
            f.birth.clone(),
            f.email.clone(),
            f.postal.clone(),
            f.address.clone(),
            f.phone.clone(),
            f.passport.clone(),
            f.issue.clone(),
        ];
        Writers::write_row(&mut w.recovered, cells, w.cp932)?;
        w.truth.write_record([
            record_id.as_str(),
            person_id,
            out.status.name(),
            out.passport.name(),
            &reasons.join(";"),
        ])?;
        for class in &row.classes {
            w.classes.write_record([record_id.as_str(), class, "recovered"])?;
        }
        counts.recovered_rows += 1;
        counts.recovered_used += 1;
    }
    Ok(has_email)
}

/// Writes one booking to its channel's file, with its truth and classes.
fn write_booking(booking: &BookingRow, booking_id: &str, person_id: &str, w: &mut Writers) -> Result<()> {
    let (c, f) = (&booking.case, &booking.fields);
    let cells = [
        booking_id,
        &booking.channel_text,
        c.method_text,
        c.place_text,
        &booking.product_text,
        &booking.booked_at,
        &f.kanji,
        &f.kana,
        &f.romaji,
        &f.birth,
        &f.email,
        &f.phone,
        &f.postal,
        &f.address,
        &f.passport,
    ];
    w.bookings.get_mut(c.file).context("a booking file per channel")?.write_record(cells)?;
    w.booking_truth.write_record([booking_id, person_id])?;
    for class in &booking.classes {
        w.classes.write_record([booking_id, class, "bookings"])?;
    }
    Ok(())
}
