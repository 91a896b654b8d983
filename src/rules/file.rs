//! The rules file as written (TOML), before its patterns are parsed.
//!
//! Invariant: an unknown key, a value of the wrong type or an unknown policy
//! is an error that names the key; nothing in a rules file is ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

/// What to do with a channel the rules do not list.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UnknownChannelPolicy {
    /// The booking sends its person to review (SPEC section 5).
    Review,
    /// Treat it as an online channel.
    Online,
    /// Treat it as a store channel.
    Store,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub channels: ChannelsSection,
    pub booking_method: BookingMethodSection,
    #[serde(default)]
    pub payment_place: PaymentPlaceSection,
    pub products: ProductsSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelsSection {
    /// Online channels: each entry is a pattern and, without its `*`, the
    /// channel's canonical name.
    pub online: Vec<String>,
    pub store: Vec<String>,
    pub unknown: UnknownChannelPolicy,
    /// Other spellings: canonical name (an entry of `online` or `store`) →
    /// patterns.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingMethodSection {
    pub online: Vec<String>,
    pub store: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentPlaceSection {
    #[serde(default)]
    pub online: Vec<String>,
    #[serde(default)]
    pub store: Vec<String>,
    /// Values saying the booking was made on the net and paid in a store.
    #[serde(default)]
    pub net_booked_store_paid: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductsSection {
    /// Known products that qualify (so that an unknown one can be reported).
    #[serde(default)]
    pub qualifying: Vec<String>,
    pub excluded: ExcludedProducts,
}

/// Excluded products: categories with their patterns, or (the older form) a
/// plain list where each pattern is its own category.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "a table of category = [patterns], or a list of patterns")]
pub enum ExcludedProducts {
    Categories(BTreeMap<String, Vec<String>>),
    List(Vec<String>),
}

impl ExcludedProducts {
    /// (category, patterns) in a fixed order: as the TOML table sorts them, or
    /// in list order.
    pub fn categories(&self) -> Vec<(String, Vec<String>)> {
        match self {
            ExcludedProducts::Categories(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            ExcludedProducts::List(list) => {
                list.iter().map(|p| (p.trim_matches('*').to_string(), vec![p.clone()])).collect()
            }
        }
    }
}
