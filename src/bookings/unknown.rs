//! The rule values of booking rows that the rules do not know, tallied
//! for counts.json and `values`.
//!
//! Invariant: a tally is a sum, so merging the workers' tallies in any
//! order gives one result.

use std::collections::BTreeMap;

use crate::rules::{BookingClass, BookingValues, ChannelClass, MethodClass, PaymentClass, ProductClass};

/// Rule values the rules do not know, with their booking rows (folded
/// values; counts.json and `values` report them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownValues {
    pub channels: BTreeMap<String, u64>,
    pub booking_methods: BTreeMap<String, u64>,
    pub payment_places: BTreeMap<String, u64>,
    pub products: BTreeMap<String, u64>,
    /// Products matching an excluded and a qualifying pattern at once.
    pub ambiguous_products: BTreeMap<String, u64>,
    /// Booking rows with an empty channel.
    pub missing_channel_rows: u64,
}

fn add_one(map: &mut BTreeMap<String, u64>, value: &str) {
    match map.get_mut(value) {
        Some(rows) => *rows += 1,
        None => {
            map.insert(value.to_string(), 1);
        }
    }
}

impl UnknownValues {
    /// Counts the unknown values of one booking (folded values and their class).
    pub fn tally(&mut self, values: BookingValues<'_>, class: &BookingClass) {
        match class.channel {
            ChannelClass::Unknown => add_one(&mut self.channels, values.channel),
            ChannelClass::Missing => self.missing_channel_rows += 1,
            ChannelClass::Online | ChannelClass::Store => {}
        }
        if class.method == MethodClass::Unknown {
            add_one(&mut self.booking_methods, values.booking_method);
        }
        if class.payment == PaymentClass::Unknown {
            add_one(&mut self.payment_places, values.payment_place);
        }
        match class.product {
            ProductClass::Unknown => add_one(&mut self.products, values.product),
            ProductClass::Ambiguous => add_one(&mut self.ambiguous_products, values.product),
            _ => {}
        }
    }

    /// Adds another tally (sums: the order of merging does not matter).
    pub fn merge(&mut self, other: UnknownValues) {
        for (mine, theirs) in [
            (&mut self.channels, other.channels),
            (&mut self.booking_methods, other.booking_methods),
            (&mut self.payment_places, other.payment_places),
            (&mut self.products, other.products),
            (&mut self.ambiguous_products, other.ambiguous_products),
        ] {
            for (value, rows) in theirs {
                *mine.entry(value).or_insert(0) += rows;
            }
        }
        self.missing_channel_rows += other.missing_channel_rows;
    }
}
