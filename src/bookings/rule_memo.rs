//! A booking worker's memo of rule values by their raw text: the four rule
//! fields (channel, booking method, payment place, product) folded and
//! classified once per distinct combination, shared by the bookings that
//! give it.
//!
//! Invariant: an entry is what folding and classifying its raw texts gives
//! (the answer depends only on them and the rules); the memo starts over
//! past [`RULE_MEMO_ENTRIES`], so it never holds more.

use std::sync::Arc;

use rustc_hash::FxBuildHasher;

use crate::input::record::RawFields;
use crate::input::Field;
use crate::normalize::text::push_decimal;
use crate::rules::{fold_value_into, BookingClass, BookingValues, Rules};

/// The rule fields, in the order of [`RuleEntry::values`].
const RULE_FIELDS: [Field; 4] = [Field::Channel, Field::BookingMethod, Field::PaymentPlace, Field::Product];

/// The rule values of one combination of raw channel, booking method,
/// payment place and product: folded, classified, and the channel's
/// canonical name.
pub(super) struct RuleEntry {
    /// The folded raw values, as the rules and the unknown-value tally see them.
    pub(super) values: [String; 4],
    /// What a linked booking keeps (shared, not copied, per booking).
    pub(super) linked: Arc<RuleValues>,
}

/// What a linked booking keeps of its rule values.
pub(super) struct RuleValues {
    /// Canonical channel, folded method, payment place, product.
    pub(super) values: [String; 4],
    pub(super) class: BookingClass,
}

/// Most combinations a worker remembers; past it the memo starts over, so
/// an export whose values are all distinct costs the folding it always
/// did and no more memory than this.
const RULE_MEMO_ENTRIES: usize = 4096;

/// A worker's memo of rule values by their raw text. Exports repeat a few
/// hundred combinations over millions of rows, and folding (NFKC, script,
/// case) and classifying each row's four values again took about 4% of a
/// run in `perf`. The answer depends only on the raw text and the rules.
#[derive(Default)]
pub(super) struct RuleMemo {
    key: String,
    fold_scratch: String,
    entries: hashbrown::HashMap<String, RuleEntry, FxBuildHasher>,
}

impl RuleMemo {
    pub(super) fn get(&mut self, raw: &RawFields, rules: &Rules) -> &RuleEntry {
        let RuleMemo { key, fold_scratch, entries } = self;
        key.clear();
        for field in RULE_FIELDS {
            // Each text behind its length: four texts cannot run into
            // each other, whatever characters they hold. Written without
            // the formatter, which was 2% of the bookings step in `perf`.
            // A field is at most --max-field-bytes (u32 range).
            let text = raw.get(field);
            push_decimal(u32::try_from(text.len()).unwrap_or(u32::MAX), key);
            key.push(':');
            key.push_str(text);
        }
        if entries.len() >= RULE_MEMO_ENTRIES && !entries.contains_key(key.as_str()) {
            entries.clear();
        }
        // One look-up a row once the memo holds the combination (a
        // look-up and then an index had hashed and compared the key twice).
        entries.entry_ref(key.as_str()).or_insert_with(|| RuleEntry::classify(raw, rules, fold_scratch))
    }
}

impl RuleEntry {
    /// The folded values and class of a booking's rule fields.
    fn classify(raw: &RawFields, rules: &Rules, fold_scratch: &mut String) -> RuleEntry {
        let mut values: [String; 4] = Default::default();
        for (slot, field) in values.iter_mut().zip(RULE_FIELDS) {
            fold_value_into(raw.get(field), fold_scratch, slot);
        }
        let [channel, booking_method, payment_place, product] = &values;
        let class = rules.classify(BookingValues { channel, booking_method, payment_place, product });
        let mut canonical_channel = String::new();
        rules.canonical_channel_into(channel, &mut canonical_channel);
        let [_, method, payment, product] = values.clone();
        let linked = Arc::new(RuleValues { values: [canonical_channel, method, payment, product], class });
        RuleEntry { values, linked }
    }
}
