//! The notification rules: which bookings make a customer affected.
//!
//! The rules are a TOML file (`default_rules.toml` is embedded; `--rules`
//! replaces it; `file.rs` is its shape). Channel, booking_method,
//! payment_place and product values are compared in their folded form
//! (`fold.rs`: NFKC, no white space, lower case, katakana, one dash form),
//! against patterns that match exactly, by prefix, suffix or contained text
//! (`pattern.rs`; the most specific wins).
//!
//! The decision on one booking (SPEC sections 1 and 5):
//! - the channel is online, store, unknown (the `unknown` policy applies) or
//!   missing (always review: a leaked person must not vanish with a row);
//! - an online channel is online whatever booking_method says; a payment
//!   place meaning a store marks it paid in store;
//! - a store channel is online (booked on the net, paid in a store) when
//!   booking_method is an online value, or when payment_place says so
//!   (ネット予約・店舗精算, 店頭精算 …) unless booking_method says store
//!   (conflicting evidence: review); an unknown booking_method is review; an
//!   empty one is a store booking, unless payment_place is unknown (review);
//! - an excluded product excludes the booking whatever the channel; a product
//!   matching both an excluded and a qualifying pattern (none exactly) is
//!   ambiguous (review when the booking is otherwise online); every other
//!   product, known or not, qualifies.
//!
//! Invariant: a value the rules do not know never decides silently: it either
//! sends the booking to review or is counted as unknown (or both).

mod file;
pub mod fold;
pub mod inventory;
mod pattern;

use anyhow::{bail, Context, Result};

use file::RulesFile;
pub use file::UnknownChannelPolicy;
pub use fold::{fold_value, fold_value_into};
use pattern::{Matcher, PatternKind};

/// The embedded default rules, printed by `leakmatch rules`.
pub const DEFAULT_RULES_TOML: &str = include_str!("default_rules.toml");

/// A channel as the rules list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChannelClass {
    Online,
    Store,
    /// A value no pattern matches.
    Unknown,
    /// An empty channel cell.
    Missing,
}

impl ChannelClass {
    pub fn name(self) -> &'static str {
        match self {
            ChannelClass::Online => "online",
            ChannelClass::Store => "store",
            ChannelClass::Unknown => "unknown",
            ChannelClass::Missing => "missing",
        }
    }
}

/// A booking_method value as the rules list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MethodClass {
    Online,
    Store,
    Unknown,
    Empty,
}

impl MethodClass {
    pub fn name(self) -> &'static str {
        match self {
            MethodClass::Online => "online",
            MethodClass::Store => "store",
            MethodClass::Unknown => "unknown",
            MethodClass::Empty => "empty",
        }
    }
}

/// A payment_place value as the rules list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaymentClass {
    Online,
    Store,
    /// Booked on the net and paid in a store (ネット予約・店舗精算).
    NetBookedStorePaid,
    Unknown,
    Empty,
}

impl PaymentClass {
    pub fn name(self) -> &'static str {
        match self {
            PaymentClass::Online => "online",
            PaymentClass::Store => "store",
            PaymentClass::NetBookedStorePaid => "net_booked_store_paid",
            PaymentClass::Unknown => "unknown",
            PaymentClass::Empty => "empty",
        }
    }

    fn paid_in_store(self) -> bool {
        matches!(self, PaymentClass::Store | PaymentClass::NetBookedStorePaid)
    }
}

/// Index of an excluded-product category in the rules.
pub type CategoryId = u16;

/// A product value as the rules list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProductClass {
    Excluded(CategoryId),
    /// Matches both an excluded and a qualifying pattern, neither exactly.
    Ambiguous,
    Qualifying,
    /// In no list: qualifies (the notice lists exclusions only), counted.
    Unknown,
    Empty,
}

/// Why the rules cannot decide a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewCause {
    UnknownChannel,
    MissingChannel,
    UnknownBookingMethod,
    UnknownPaymentPlace,
    ConflictingBookingMethod,
    AmbiguousProduct,
}

impl ReviewCause {
    pub fn name(self) -> &'static str {
        match self {
            ReviewCause::UnknownChannel => "unknown_channel",
            ReviewCause::MissingChannel => "missing_channel",
            ReviewCause::UnknownBookingMethod => "unknown_booking_method",
            ReviewCause::UnknownPaymentPlace => "unknown_payment_place",
            ReviewCause::ConflictingBookingMethod => "conflicting_booking_method",
            ReviewCause::AmbiguousProduct => "ambiguous_product",
        }
    }
}

/// The rules' verdict on one booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Booked online, product not excluded: makes a linked person affected.
    Qualifying { paid_in_store: bool },
    /// A store booking and/or an excluded product.
    Excluded { store: bool, product: Option<CategoryId> },
    /// The rules cannot decide: the person goes to review.
    Review(ReviewCause),
}

/// Which rule entry matched each value (indices for [`Rules::pattern_text`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MatchedEntries {
    pub channel: Option<u16>,
    pub method: Option<u16>,
    pub payment: Option<u16>,
    pub product: Option<u16>,
}

/// The rule facts of one booking and the decision they lead to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BookingClass {
    /// The channel as the rules list it (before the unknown-channel policy).
    pub channel: ChannelClass,
    pub method: MethodClass,
    pub payment: PaymentClass,
    pub product: ProductClass,
    pub decision: Decision,
    pub matched: MatchedEntries,
}

impl BookingClass {
    /// Online and not an excluded product: makes a linked person affected.
    pub fn qualifies(self) -> bool {
        matches!(self.decision, Decision::Qualifying { .. })
    }

    /// Qualifying, booked online and paid in a store.
    pub fn online_paid_in_store(self) -> bool {
        matches!(self.decision, Decision::Qualifying { paid_in_store: true })
    }

    /// A store booking (not booked online) on a store channel.
    pub fn is_store(self) -> bool {
        matches!(self.decision, Decision::Excluded { store: true, .. })
    }

    /// The excluded-product category, when the product is excluded.
    pub fn excluded_category(self) -> Option<CategoryId> {
        match self.decision {
            Decision::Excluded { product, .. } => product,
            _ => None,
        }
    }

    /// Why the rules cannot decide, if they cannot.
    pub fn review_cause(self) -> Option<ReviewCause> {
        match self.decision {
            Decision::Review(cause) => Some(cause),
            _ => None,
        }
    }

    /// The decision in one word: qualifying, store, product, store+product or review.
    pub fn decision_name(self) -> &'static str {
        match self.decision {
            Decision::Qualifying { .. } => "qualifying",
            Decision::Excluded { store: true, product: Some(_) } => "store+product",
            Decision::Excluded { store: true, product: None } => "store",
            Decision::Excluded { .. } => "product",
            Decision::Review(_) => "review",
        }
    }
}

/// The folded rule-relevant values of a booking (see [`fold_value`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct BookingValues<'a> {
    pub channel: &'a str,
    pub booking_method: &'a str,
    pub payment_place: &'a str,
    pub product: &'a str,
}

/// What a channel pattern stands for.
#[derive(Clone, Copy, Debug)]
struct ChannelTag {
    class: ChannelClass,
    /// Index of the canonical name.
    name: u16,
    /// A prefix entry of `online`/`store` (`提携サイト:*`): the canonical name
    /// keeps the rest of the value (`提携サイト:楽天トラベル`).
    keeps_rest: bool,
}

/// The loaded, validated rules.
#[derive(Clone, Debug)]
pub struct Rules {
    channels: Matcher<ChannelTag>,
    channel_names: Vec<String>,
    /// The class of each entry of `channel_names`.
    channel_classes: Vec<ChannelClass>,
    unknown_channel: UnknownChannelPolicy,
    methods: Matcher<MethodClass>,
    payments: Matcher<PaymentClass>,
    excluded: Matcher<CategoryId>,
    categories: Vec<String>,
    qualifying: Matcher<()>,
}

/// Which value of a booking a rule entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleField {
    Channel,
    BookingMethod,
    PaymentPlace,
    Product,
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
        let mut rules = Rules {
            channels: Matcher::default(),
            channel_names: Vec::new(),
            channel_classes: Vec::new(),
            unknown_channel: file.channels.unknown,
            methods: Matcher::default(),
            payments: Matcher::default(),
            excluded: Matcher::default(),
            categories: Vec::new(),
            qualifying: Matcher::default(),
        };
        // Store entries first: on a tie between an online and a store
        // pattern, the store entry (the narrower statement) wins.
        for (list, class, key) in [
            (&file.channels.store, ChannelClass::Store, "channels.store"),
            (&file.channels.online, ChannelClass::Online, "channels.online"),
        ] {
            for written in list {
                let name = written.trim_matches('*').to_string();
                let keeps_rest = written.ends_with('*') && !written.starts_with('*');
                let tag = ChannelTag { class, name: rules.channel_names.len() as u16, keeps_rest };
                rules.channel_names.push(name);
                rules.channel_classes.push(class);
                rules.channels.add(std::slice::from_ref(written), key, tag)?;
            }
        }
        for (name, patterns) in &file.channels.aliases {
            let folded = fold_value(name);
            let Some(index) = rules.channel_names.iter().position(|n| fold_value(n) == folded) else {
                bail!("rules: channels.aliases: \"{name}\" is not a channel of channels.online or channels.store");
            };
            let tag = ChannelTag { class: rules.channel_classes[index], name: index as u16, keeps_rest: false };
            rules.channels.add(patterns, "channels.aliases", tag)?;
        }
        rules.methods.add(&file.booking_method.store, "booking_method.store", MethodClass::Store)?;
        rules.methods.add(&file.booking_method.online, "booking_method.online", MethodClass::Online)?;
        let place = &file.payment_place;
        rules.payments.add(
            &place.net_booked_store_paid,
            "payment_place.net_booked_store_paid",
            PaymentClass::NetBookedStorePaid,
        )?;
        rules.payments.add(&place.store, "payment_place.store", PaymentClass::Store)?;
        rules.payments.add(&place.online, "payment_place.online", PaymentClass::Online)?;
        for (category, patterns) in file.products.excluded.categories() {
            let id = rules.categories.len() as CategoryId;
            rules.excluded.add(&patterns, "products.excluded", id)?;
            rules.categories.push(category);
        }
        rules.qualifying.add(&file.products.qualifying, "products.qualifying", ())?;
        Ok(rules)
    }

    /// The unknown-channel policy as written in the rules file.
    pub fn unknown_policy_name(&self) -> &'static str {
        match self.unknown_channel {
            UnknownChannelPolicy::Review => "review",
            UnknownChannelPolicy::Online => "online",
            UnknownChannelPolicy::Store => "store",
        }
    }

    /// The name of an excluded-product category.
    pub fn category_name(&self, id: CategoryId) -> &str {
        &self.categories[id as usize]
    }

    /// The rule entry as written in the rules file.
    pub fn pattern_text(&self, field: RuleField, entry: u16) -> &str {
        let entry = entry as usize;
        match field {
            RuleField::Channel => &self.channels.pattern(entry).written,
            RuleField::BookingMethod => &self.methods.pattern(entry).written,
            RuleField::PaymentPlace => &self.payments.pattern(entry).written,
            RuleField::Product => match self.product_entry(entry) {
                (true, e) => &self.excluded.pattern(e).written,
                (false, e) => &self.qualifying.pattern(e).written,
            },
        }
    }

    /// Product entries are numbered excluded first, then qualifying.
    fn product_entry(&self, entry: usize) -> (bool, usize) {
        let excluded = self.excluded.len();
        if entry < excluded {
            (true, entry)
        } else {
            (false, entry - excluded)
        }
    }

    /// The class of a folded channel value, and the entry that matched.
    pub fn channel_class(&self, channel: &str) -> (ChannelClass, Option<u16>) {
        if channel.is_empty() {
            return (ChannelClass::Missing, None);
        }
        match self.channels.best(channel) {
            Some((entry, tag)) => (tag.class, Some(entry as u16)),
            None => (ChannelClass::Unknown, None),
        }
    }

    /// The name every output reports for a folded channel value: the
    /// matching entry's name (`JAPANiCAN` for `japanican`), the entry's
    /// prefix and the value's rest for a prefix entry, the folded value for
    /// an unknown channel, empty for a missing one.
    pub fn canonical_channel_into(&self, channel: &str, out: &mut String) {
        out.clear();
        match self.channels.best(channel) {
            Some((entry, tag)) => {
                out.push_str(&self.channel_names[tag.name as usize]);
                if tag.keeps_rest {
                    let prefix = &self.channels.pattern(entry).folded;
                    out.push_str(channel.get(prefix.len()..).unwrap_or(""));
                }
            }
            None => out.push_str(channel),
        }
    }

    /// The class of a folded booking_method value.
    pub fn method_class(&self, method: &str) -> (MethodClass, Option<u16>) {
        if method.is_empty() {
            return (MethodClass::Empty, None);
        }
        self.methods.best(method).map_or((MethodClass::Unknown, None), |(e, class)| (class, Some(e as u16)))
    }

    /// The class of a folded payment_place value.
    pub fn payment_class(&self, place: &str) -> (PaymentClass, Option<u16>) {
        if place.is_empty() {
            return (PaymentClass::Empty, None);
        }
        self.payments.best(place).map_or((PaymentClass::Unknown, None), |(e, class)| (class, Some(e as u16)))
    }

    /// The class of a folded product value: an exact entry of either list
    /// decides; otherwise excluded and qualifying patterns that both match
    /// make it ambiguous.
    pub fn product_class(&self, product: &str) -> (ProductClass, Option<u16>) {
        if product.is_empty() {
            return (ProductClass::Empty, None);
        }
        let excluded = self.excluded.best(product);
        let qualifying = self.qualifying.best(product);
        let offset = self.excluded.len();
        let excluded_exact = excluded.is_some_and(|(e, _)| self.excluded.pattern(e).kind == PatternKind::Exact);
        let qualifying_exact = qualifying.is_some_and(|(q, ())| self.qualifying.pattern(q).kind == PatternKind::Exact);
        match (excluded, qualifying) {
            (Some((e, id)), _) if excluded_exact => (ProductClass::Excluded(id), Some(e as u16)),
            (_, Some((q, ()))) if qualifying_exact => (ProductClass::Qualifying, Some((offset + q) as u16)),
            (Some(_), Some(_)) => (ProductClass::Ambiguous, None),
            (Some((e, id)), None) => (ProductClass::Excluded(id), Some(e as u16)),
            (None, Some((q, ()))) => (ProductClass::Qualifying, Some((offset + q) as u16)),
            (None, None) => (ProductClass::Unknown, None),
        }
    }

    /// The verdict on one booking from raw values, folded here (the booking
    /// stream folds into reused buffers and calls [`Rules::classify`]).
    pub fn classify_raw(
        &self,
        channel: &str,
        booking_method: &str,
        payment_place: &str,
        product: &str,
    ) -> BookingClass {
        let values = [channel, booking_method, payment_place, product].map(fold_value);
        let [channel, booking_method, payment_place, product] = &values;
        self.classify(BookingValues { channel, booking_method, payment_place, product })
    }

    /// The verdict on one booking (values folded).
    pub fn classify(&self, values: BookingValues<'_>) -> BookingClass {
        let (channel, channel_entry) = self.channel_class(values.channel);
        let (method, method_entry) = self.method_class(values.booking_method);
        let (payment, payment_entry) = self.payment_class(values.payment_place);
        let (product, product_entry) = self.product_class(values.product);
        let effective = match (channel, self.unknown_channel) {
            (ChannelClass::Unknown, UnknownChannelPolicy::Online) => ChannelClass::Online,
            (ChannelClass::Unknown, UnknownChannelPolicy::Store) => ChannelClass::Store,
            (class, _) => class,
        };
        let decision = decide(effective, method, payment, product);
        let matched = MatchedEntries {
            channel: channel_entry,
            method: method_entry,
            payment: payment_entry,
            product: product_entry,
        };
        BookingClass { channel, method, payment, product, decision, matched }
    }
}

/// Where the channel, method and payment place put a booking before the
/// product is looked at.
enum Placement {
    Online { paid_in_store: bool },
    Store,
    Review(ReviewCause),
}

fn place_booking(channel: ChannelClass, method: MethodClass, payment: PaymentClass) -> Placement {
    match channel {
        ChannelClass::Online => Placement::Online { paid_in_store: payment.paid_in_store() },
        ChannelClass::Store => match (method, payment) {
            (MethodClass::Online, _) => Placement::Online { paid_in_store: true },
            (MethodClass::Store, PaymentClass::NetBookedStorePaid) => {
                Placement::Review(ReviewCause::ConflictingBookingMethod)
            }
            (_, PaymentClass::NetBookedStorePaid) => Placement::Online { paid_in_store: true },
            (MethodClass::Unknown, _) => Placement::Review(ReviewCause::UnknownBookingMethod),
            (MethodClass::Empty, PaymentClass::Unknown) => Placement::Review(ReviewCause::UnknownPaymentPlace),
            _ => Placement::Store,
        },
        ChannelClass::Unknown => Placement::Review(ReviewCause::UnknownChannel),
        ChannelClass::Missing => Placement::Review(ReviewCause::MissingChannel),
    }
}

fn decide(channel: ChannelClass, method: MethodClass, payment: PaymentClass, product: ProductClass) -> Decision {
    let placement = place_booking(channel, method, payment);
    match (product, placement) {
        (ProductClass::Excluded(id), placement) => {
            Decision::Excluded { store: matches!(placement, Placement::Store), product: Some(id) }
        }
        (_, Placement::Review(cause)) => Decision::Review(cause),
        (_, Placement::Store) => Decision::Excluded { store: true, product: None },
        (ProductClass::Ambiguous, Placement::Online { .. }) => Decision::Review(ReviewCause::AmbiguousProduct),
        (_, Placement::Online { paid_in_store }) => Decision::Qualifying { paid_in_store },
    }
}

#[cfg(test)]
mod tests;
