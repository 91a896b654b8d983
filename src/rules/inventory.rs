//! The inventory of rule values in booking exports: every distinct folded
//! channel, booking_method, payment_place and product value with its row
//! count, and how the rules classify it (`leakmatch values`).
//!
//! Invariant: tallies are sums, so merging per-thread tallies in any order
//! gives the same inventory; rows come out sorted (values that need a
//! look first, then by rows, then by value), never in hash order.

use rustc_hash::FxHashMap;

use super::{fold_value_into, ChannelClass, MethodClass, PaymentClass, ProductClass, RuleField, Rules};

/// The fields an inventory covers, in output order.
pub const FIELDS: [RuleField; 4] =
    [RuleField::Channel, RuleField::BookingMethod, RuleField::PaymentPlace, RuleField::Product];

impl RuleField {
    /// The field's column name.
    pub fn name(self) -> &'static str {
        match self {
            RuleField::Channel => "channel",
            RuleField::BookingMethod => "booking_method",
            RuleField::PaymentPlace => "payment_place",
            RuleField::Product => "product",
        }
    }
}

/// Row counts of each folded value, per field.
#[derive(Debug, Default)]
pub struct Inventory {
    counts: [FxHashMap<String, u64>; 4],
    fold_scratch: String,
    folded: String,
}

impl Inventory {
    /// Counts one booking's raw values (channel, method, payment place, product).
    pub fn add_raw(&mut self, raw: [&str; 4]) {
        for (counts, value) in self.counts.iter_mut().zip(raw) {
            fold_value_into(value, &mut self.fold_scratch, &mut self.folded);
            match counts.get_mut(self.folded.as_str()) {
                Some(rows) => *rows += 1,
                None => {
                    counts.insert(self.folded.clone(), 1);
                }
            }
        }
    }

    /// Adds another inventory's counts.
    pub fn merge(&mut self, other: Inventory) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (value, rows) in theirs {
                *mine.entry(value).or_insert(0) += rows;
            }
        }
    }

    /// Every value with its classification, per field in [`FIELDS`] order.
    pub fn rows(&self, rules: &Rules) -> Vec<ValueRow> {
        let mut rows = Vec::new();
        for (field, counts) in FIELDS.into_iter().zip(&self.counts) {
            let mut field_rows: Vec<ValueRow> =
                counts.iter().map(|(value, &count)| ValueRow::classify(field, value, count, rules)).collect();
            field_rows.sort_by(|a, b| {
                (!a.needs_attention, std::cmp::Reverse(a.rows), &a.value).cmp(&(
                    !b.needs_attention,
                    std::cmp::Reverse(b.rows),
                    &b.value,
                ))
            });
            rows.extend(field_rows);
        }
        rows
    }
}

/// One distinct value and what the rules make of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueRow {
    pub field: RuleField,
    /// The folded value (empty for an empty cell).
    pub value: String,
    pub rows: u64,
    /// online / store / unknown / missing (channel); online / store /
    /// unknown / empty (method); online / store / net_booked_store_paid /
    /// unknown / empty (payment place); excluded:<category> / qualifying /
    /// ambiguous / unknown / empty (product).
    pub class: String,
    /// The rule entry that matched, as written in the rules file.
    pub rule: String,
    /// What the value does or is reported as: the canonical channel name,
    /// or what an unknown value leads to.
    pub effect: String,
    /// Unknown, missing or ambiguous: a value an analyst should look at.
    pub needs_attention: bool,
}

impl ValueRow {
    fn classify(field: RuleField, value: &str, rows: u64, rules: &Rules) -> ValueRow {
        let rule = |entry: Option<u16>| entry.map(|e| rules.pattern_text(field, e).to_string()).unwrap_or_default();
        let (class, rule, effect, needs_attention) = match field {
            RuleField::Channel => {
                let (class, entry) = rules.channel_class(value);
                let mut canonical = String::new();
                rules.canonical_channel_into(value, &mut canonical);
                let effect = match class {
                    ChannelClass::Online | ChannelClass::Store => format!("reported as {canonical}"),
                    ChannelClass::Unknown => format!("unknown channel policy: {}", rules.unknown_policy_name()),
                    ChannelClass::Missing => "review (missing_channel)".to_string(),
                };
                let attention = matches!(class, ChannelClass::Unknown | ChannelClass::Missing);
                (class.name().to_string(), rule(entry), effect, attention)
            }
            RuleField::BookingMethod => {
                let (class, entry) = rules.method_class(value);
                let effect = match class {
                    MethodClass::Online => "booked online (on a store channel: online, paid in store)",
                    MethodClass::Store => "booked in a store",
                    MethodClass::Unknown => "on a store channel: review (unknown_booking_method)",
                    MethodClass::Empty => "on a store channel: a store booking",
                };
                (class.name().to_string(), rule(entry), effect.to_string(), class == MethodClass::Unknown)
            }
            RuleField::PaymentPlace => {
                let (class, entry) = rules.payment_class(value);
                let effect = match class {
                    PaymentClass::Online => "paid online",
                    PaymentClass::Store => "paid in a store",
                    PaymentClass::NetBookedStorePaid => "booked on the net, paid in a store (online)",
                    PaymentClass::Unknown => "on a store channel with no booking_method: review",
                    PaymentClass::Empty => "",
                };
                (class.name().to_string(), rule(entry), effect.to_string(), class == PaymentClass::Unknown)
            }
            RuleField::Product => {
                let (class, entry) = rules.product_class(value);
                let (name, effect) = match class {
                    ProductClass::Excluded(id) => (format!("excluded:{}", rules.category_name(id)), "excluded"),
                    ProductClass::Ambiguous => ("ambiguous".to_string(), "review (ambiguous_product)"),
                    ProductClass::Qualifying => ("qualifying".to_string(), "qualifies"),
                    ProductClass::Unknown => ("unknown".to_string(), "qualifies (not in any list)"),
                    ProductClass::Empty => ("empty".to_string(), "qualifies"),
                };
                let attention = matches!(class, ProductClass::Ambiguous | ProductClass::Unknown);
                (name, rule(entry), effect.to_string(), attention)
            }
        };
        ValueRow { field, value: value.to_string(), rows, class, rule, effect, needs_attention }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_fold_into_one_row_and_unknown_values_come_first() {
        let rules = Rules::default_rules();
        let mut inventory = Inventory::default();
        for raw in [
            ["JTBホームページ", "ネット", "オンライン", "国内宿泊"],
            ["JTBﾎｰﾑﾍﾟｰｼﾞ", "ﾈｯﾄ", "オンライン", "国内宿泊"],
            ["JTBホ-ムペ-ジ", "FAX", "", "海外旅行保険"],
            ["謎チャネル", "ネット", "オンライン", "クルーズ"],
        ] {
            inventory.add_raw(raw);
        }
        let rows = inventory.rows(&rules);
        let channels: Vec<(&str, u64, &str)> = rows
            .iter()
            .filter(|r| r.field == RuleField::Channel)
            .map(|r| (r.value.as_str(), r.rows, r.class.as_str()))
            .collect();
        assert_eq!(channels, vec![("謎チャネル", 1, "unknown"), ("jtbホームページ", 3, "online")]);
        let product = rows.iter().find(|r| r.value == "海外旅行保険").unwrap();
        assert_eq!(product.class, "excluded:その他旅行関連商品（保険、積立等）");
        assert_eq!(product.rule, "*保険*");
        let methods: Vec<&str> =
            rows.iter().filter(|r| r.field == RuleField::BookingMethod).map(|r| r.value.as_str()).collect();
        assert_eq!(methods, vec!["fax", "ネット"]);
    }
}
