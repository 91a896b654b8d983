//! The notification rules: which bookings make a customer affected.
//!
//! The rules are a TOML file (`default_rules.toml` is embedded; `--rules`
//! replaces it). An unknown key or a bad value is an error naming the key.
//! Values are compared after [`normalize_value`]: NFKC, all white space
//! removed, ASCII lower-cased.
//!
//! A booking is *online* when its channel is an online channel, or a store
//! channel whose booking_method says it was booked online (booked online,
//! paid in store: SPEC section 1). It *qualifies* when it is online and its
//! product is not excluded. Unknown channels follow the `unknown` policy.

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::normalize::text::nfkc_into;

/// The embedded default rules, printed by `leakmatch rules`.
pub const DEFAULT_RULES_TOML: &str = include_str!("default_rules.toml");

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
struct RulesFile {
    channels: ChannelsSection,
    booking_method: BookingMethodSection,
    #[serde(default)]
    payment_place: PaymentPlaceSection,
    products: ProductsSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelsSection {
    online: Vec<String>,
    store: Vec<String>,
    unknown: UnknownChannelPolicy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookingMethodSection {
    online: Vec<String>,
    store: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentPlaceSection {
    store: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductsSection {
    excluded: Vec<String>,
}

/// A normalized value, or a prefix when the pattern ended in `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pattern {
    Exact(String),
    Prefix(String),
}

impl Pattern {
    fn parse(raw: &str, key: &str) -> Result<Pattern> {
        let (body, is_prefix) = match raw.strip_suffix('*') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        let value = normalize_value(body);
        if value.is_empty() && !is_prefix {
            bail!("rules: {key}: an empty value");
        }
        Ok(if is_prefix { Pattern::Prefix(value) } else { Pattern::Exact(value) })
    }

    fn matches(&self, value: &str) -> bool {
        match self {
            Pattern::Exact(exact) => value == exact,
            Pattern::Prefix(prefix) => value.starts_with(prefix.as_str()),
        }
    }
}

fn patterns(values: &[String], key: &str) -> Result<Vec<Pattern>> {
    values.iter().map(|v| Pattern::parse(v, key)).collect()
}

fn any_match(patterns: &[Pattern], value: &str) -> bool {
    patterns.iter().any(|p| p.matches(value))
}

/// Channel and product values as the rules compare them: NFKC, no white
/// space, ASCII lower-case.
pub fn normalize_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalize_value_into(raw, &mut out);
    out
}

/// [`normalize_value`] into a reused buffer (the per-booking hot path).
pub fn normalize_value_into(raw: &str, out: &mut String) {
    display_value_into(raw, out);
    out.make_ascii_lowercase();
}

/// A channel or product value as shown in outputs: NFKC, white space
/// removed, case kept (`JAPANiCAN`).
pub fn display_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    display_value_into(raw, &mut out);
    out
}

fn display_value_into(raw: &str, out: &mut String) {
    out.clear();
    nfkc_into(raw, out);
    out.retain(|c| !c.is_whitespace());
}

/// The loaded, validated rules.
#[derive(Clone, Debug)]
pub struct Rules {
    online_channels: Vec<Pattern>,
    store_channels: Vec<Pattern>,
    unknown_channel: UnknownChannelPolicy,
    online_methods: Vec<Pattern>,
    store_methods: Vec<Pattern>,
    store_payment_places: Vec<Pattern>,
    excluded_products: Vec<Pattern>,
}

/// How a channel value is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    Online,
    Store,
    Unknown,
}

/// The rule verdict on one booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookingClass {
    /// The channel's kind after the unknown-channel policy.
    pub channel: ChannelKind,
    /// The channel's kind as the rules list it (`Unknown` when neither list
    /// has it, whatever the policy): what unknown_channels counts.
    pub listed_channel: ChannelKind,
    /// Booked online (online channel, or store channel booked via the net).
    pub online: bool,
    pub product_excluded: bool,
    /// Booked online and paid in a store.
    pub online_paid_in_store: bool,
}

impl BookingClass {
    /// Online and not an excluded product: makes a linked person affected.
    pub fn qualifies(self) -> bool {
        self.online && !self.product_excluded
    }

    /// A store booking (not booked online) on a known store channel.
    pub fn is_store(self) -> bool {
        !self.online && self.channel == ChannelKind::Store
    }

    /// An unknown channel under the review policy, product not excluded.
    pub fn needs_review(self) -> bool {
        self.channel == ChannelKind::Unknown && !self.product_excluded
    }
}

/// The raw rule-relevant values of a booking, already passed through
/// [`normalize_value`].
#[derive(Clone, Copy, Debug, Default)]
pub struct BookingValues<'a> {
    pub channel: &'a str,
    pub booking_method: &'a str,
    pub payment_place: &'a str,
    pub product: &'a str,
}

impl Rules {
    /// The embedded default rules.
    pub fn default_rules() -> Rules {
        Rules::parse(DEFAULT_RULES_TOML).expect("the embedded default rules are valid")
    }

    /// Reads a rules file.
    pub fn from_file(path: &std::path::Path) -> Result<Rules> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read rules file {}", path.display()))?;
        Rules::parse(&text).with_context(|| format!("rules file {}", path.display()))
    }

    /// Parses rules from TOML text.
    pub fn parse(text: &str) -> Result<Rules> {
        let file: RulesFile = toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
        Ok(Rules {
            online_channels: patterns(&file.channels.online, "channels.online")?,
            store_channels: patterns(&file.channels.store, "channels.store")?,
            unknown_channel: file.channels.unknown,
            online_methods: patterns(&file.booking_method.online, "booking_method.online")?,
            store_methods: patterns(&file.booking_method.store, "booking_method.store")?,
            store_payment_places: patterns(&file.payment_place.store, "payment_place.store")?,
            excluded_products: patterns(&file.products.excluded, "products.excluded")?,
        })
    }

    /// Classifies a channel value (normalized).
    pub fn channel_kind(&self, channel: &str) -> ChannelKind {
        // Store first: a store pattern is the more specific statement.
        if any_match(&self.store_channels, channel) {
            ChannelKind::Store
        } else if any_match(&self.online_channels, channel) {
            ChannelKind::Online
        } else {
            ChannelKind::Unknown
        }
    }

    /// The verdict on one booking from raw values, normalized here (the
    /// booking stream normalizes into reused buffers and calls [`Rules::classify`]).
    pub fn classify_raw(
        &self,
        channel: &str,
        booking_method: &str,
        payment_place: &str,
        product: &str,
    ) -> BookingClass {
        let values = [channel, booking_method, payment_place, product].map(normalize_value);
        let [channel, booking_method, payment_place, product] = &values;
        self.classify(BookingValues { channel, booking_method, payment_place, product })
    }

    /// The verdict on one booking.
    pub fn classify(&self, values: BookingValues<'_>) -> BookingClass {
        let listed = self.channel_kind(values.channel);
        let effective = match (listed, self.unknown_channel) {
            (ChannelKind::Unknown, UnknownChannelPolicy::Online) => ChannelKind::Online,
            (ChannelKind::Unknown, UnknownChannelPolicy::Store) => ChannelKind::Store,
            (kind, _) => kind,
        };
        let booked_via_net = any_match(&self.online_methods, values.booking_method)
            && !any_match(&self.store_methods, values.booking_method);
        let online = match effective {
            ChannelKind::Online => true,
            ChannelKind::Store => booked_via_net,
            ChannelKind::Unknown => false,
        };
        let paid_in_store =
            any_match(&self.store_payment_places, values.payment_place) || effective == ChannelKind::Store;
        BookingClass {
            channel: effective,
            listed_channel: listed,
            online,
            product_excluded: any_match(&self.excluded_products, values.product),
            online_paid_in_store: online && paid_in_store,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(channel: &str, method: &str, place: &str, product: &str) -> BookingClass {
        Rules::default_rules().classify_raw(channel, method, place, product)
    }

    #[test]
    fn online_channels_qualify() {
        for channel in
            ["JTBホームページ", "るるぶトラベル", "JAPANiCAN", "提携サイト:楽天トラベル", "JTBﾎｰﾑﾍﾟｰｼﾞ", "japanican"]
        {
            let class = classify(channel, "", "", "国内宿泊");
            assert!(class.qualifies() && class.channel == ChannelKind::Online, "{channel}");
        }
    }

    #[test]
    fn store_channels_do_not_qualify() {
        for channel in ["JTB店舗", "提携販売店店舗", "JTB旅物語販売センター"] {
            let class = classify(channel, "店頭", "", "国内宿泊");
            assert!(!class.qualifies() && class.is_store(), "{channel}");
        }
    }

    #[test]
    fn store_channel_booked_via_net_is_online_paid_in_store() {
        let class = classify("JTB店舗", "ネット", "店舗", "国内宿泊");
        assert!(class.qualifies() && class.online_paid_in_store && !class.is_store());
    }

    #[test]
    fn online_booking_paid_in_store_is_flagged() {
        let class = classify("JTBホームページ", "", "店舗", "国内宿泊");
        assert!(class.qualifies() && class.online_paid_in_store);
    }

    #[test]
    fn excluded_products_do_not_qualify_even_online() {
        for product in ["JTB旅物語", "高速バス", "海外ホテル", "その他旅行関連商品(保険)", "ﾚｽﾄﾗﾝ"]
        {
            let class = classify("JTBホームページ", "", "", product);
            assert!(class.online && class.product_excluded && !class.qualifies(), "{product}");
        }
    }

    #[test]
    fn unknown_channel_needs_review_unless_product_excluded() {
        assert!(classify("謎チャネル", "", "", "国内宿泊").needs_review());
        assert!(!classify("謎チャネル", "", "", "高速バス").needs_review());
    }

    #[test]
    fn unknown_key_is_an_error_naming_the_key() {
        let text = DEFAULT_RULES_TOML.replace("[products]", "[products]\nexclude_typo = []");
        let err = format!("{:#}", Rules::parse(&text).unwrap_err());
        assert!(err.contains("exclude_typo"), "{err}");
    }

    #[test]
    fn bad_policy_value_is_an_error_naming_the_value() {
        let text = DEFAULT_RULES_TOML.replace("unknown = \"review\"", "unknown = \"maybe\"");
        let err = format!("{:#}", Rules::parse(&text).unwrap_err());
        assert!(err.contains("maybe") && err.contains("unknown"), "{err}");
    }
}
