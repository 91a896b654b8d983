//! bookings.csv: the rule decision on every booking that was linked or
//! possibly linked to a person — each value as the rules compared it, its
//! class, the rule entry that matched, and the decision with its reasons —
//! so `leakmatch explain` can say why a booking did or did not make its
//! person affected.
//!
//! Each row names its booking by id and, in its last column, file (the
//! export as given on the command line): exports that each number their
//! bookings from 1 give one id to several bookings, and the file tells them
//! apart (links.csv names its bookings the same way, and `explain` joins
//! the two on both).
//!
//! Invariant: channel, method, payment place and product values are
//! business values, not personal data; no customer field is written. Rows
//! are in booking order (input file and row order).

use anyhow::Result;

use super::table::escape_formula;
use super::StagingDir;
use crate::bookings::{BookingLinks, RuleProfile};
use crate::rules::{BookingClass, Decision, ProductClass, RuleField, Rules};

/// The file name in the result folder.
pub const FILE_NAME: &str = "bookings.csv";

/// The columns, in order.
pub const HEADER: [&str; 16] = [
    "booking_id",
    "channel",
    "channel_class",
    "channel_rule",
    "booking_method",
    "booking_method_class",
    "booking_method_rule",
    "payment_place",
    "payment_place_class",
    "payment_place_rule",
    "product",
    "product_class",
    "product_rule",
    "decision",
    "reasons",
    // Last, so a reader of the columns by place keeps the others'.
    "file",
];

/// The product's class as written: `excluded:<category>`, `qualifying`,
/// `ambiguous`, `unknown` or `empty`.
pub fn product_class_text(class: ProductClass, rules: &Rules) -> String {
    match class {
        ProductClass::Excluded(id) => format!("excluded:{}", rules.category_name(id)),
        ProductClass::Ambiguous => "ambiguous".into(),
        ProductClass::Qualifying => "qualifying".into(),
        ProductClass::Unknown => "unknown".into(),
        ProductClass::Empty => "empty".into(),
    }
}

/// The reasons of one booking's decision, `;`-joined (the vocabulary of
/// persons.csv's reasons column).
pub fn decision_reasons(class: &BookingClass) -> &'static str {
    match class.decision {
        Decision::Qualifying { paid_in_store: false } => "online",
        Decision::Qualifying { paid_in_store: true } => "online;paid_in_store",
        Decision::Excluded { store: true, product: Some(_) } => "store;product",
        Decision::Excluded { store: true, product: None } => "store",
        Decision::Excluded { store: false, product: Some(_) } => "product",
        Decision::Excluded { store: false, product: None } => "",
        Decision::Review(cause) => cause.name(),
    }
}

/// The cells after the booking id: they depend on the booking's rule
/// profile alone, and millions of bookings share a few thousand profiles,
/// so each profile's are made once for the file (fifteen strings a row had
/// made malloc and free a fifth of the result files' time in `perf`).
fn profile_cells(bookings: &BookingLinks, profile: &RuleProfile, rules: &Rules) -> Vec<String> {
    let class = &profile.class;
    let rule = |field, entry: Option<u16>| entry.map(|e| rules.pattern_text(field, e).to_string()).unwrap_or_default();
    vec![
        escape_formula(bookings.values.get(profile.channel)).into_owned(),
        class.channel.name().into(),
        rule(RuleField::Channel, class.matched.channel),
        escape_formula(bookings.values.get(profile.method)).into_owned(),
        class.method.name().into(),
        rule(RuleField::BookingMethod, class.matched.method),
        escape_formula(bookings.values.get(profile.payment)).into_owned(),
        class.payment.name().into(),
        rule(RuleField::PaymentPlace, class.matched.payment),
        escape_formula(bookings.values.get(profile.product)).into_owned(),
        product_class_text(class.product, rules),
        rule(RuleField::Product, class.matched.product),
        class.decision_name().into(),
        decision_reasons(class).into(),
    ]
}

/// Writes bookings.csv into the staging folder.
pub fn write(staging: &StagingDir, bookings: &BookingLinks, rules: &Rules) -> Result<()> {
    let by_profile: Vec<Vec<String>> =
        bookings.profiles().iter().map(|profile| profile_cells(bookings, profile, rules)).collect();
    super::chunked::write_file(staging, FILE_NAME, HEADER, bookings.bookings.len(), |chunk, wtr| {
        for booking in &bookings.bookings[chunk] {
            wtr.write_field(escape_formula(bookings.booking_id(booking)).as_bytes())?;
            for cell in &by_profile[booking.profile_index()] {
                wtr.write_field(cell)?;
            }
            wtr.write_record([escape_formula(bookings.file_name(booking)).as_bytes()])?;
        }
        Ok(())
    })
}
