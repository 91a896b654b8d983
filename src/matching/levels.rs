//! The comparisons of a record pair and their levels, by name.
//!
//! Every comparison has its own closed set of levels (an enum per
//! comparison), listed from the strongest agreement down, with the levels
//! that carry no evidence last: `missing` (the field is absent on either
//! side) and, for names, `no_common_script` (a kanji-only name against a
//! kana- or romaji-only one: nothing could be compared). Those weigh 0
//! whatever the model says — not comparable is not different. Code tests
//! levels by variant, never by position, and the model file stores m and u
//! by level name (`weights.rs`), so adding a level shifts nothing.
//!
//! Invariant: a [`ComparisonVector`] holds, per comparison, the index of a
//! variant of that comparison's enum; [`Level::ALL`] lists the variants in
//! index order.

/// A comparison's closed set of levels.
pub trait Level: Copy + Eq + std::fmt::Debug + 'static {
    /// Every level, strongest agreement first, no-evidence levels last.
    const ALL: &'static [Self];
    /// The level names, in the order of [`Level::ALL`].
    const NAMES: &'static [&'static str];
    /// The name in links.csv, explanations and the model file.
    fn name(self) -> &'static str;
    /// The position in [`Level::ALL`] (how a vector stores it).
    fn index(self) -> u8;
    /// Missing or not comparable: weight 0, whatever the model says.
    fn is_no_evidence(self) -> bool;
    /// The level stored at `index`.
    fn from_index(index: u8) -> Self {
        Self::ALL[index as usize]
    }
}

macro_rules! levels {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
        no_evidence: [$($none:ident),+]
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Level for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            const NAMES: &'static [&'static str] = &[$($text,)+];
            fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }
            fn index(self) -> u8 {
                self as u8
            }
            fn is_no_evidence(self) -> bool {
                matches!(self, $($name::$none)|+)
            }
        }
    };
}

levels! {
    /// The whole name.
    pub enum NameLevel {
        /// The kanji keys are equal.
        KanjiExact = "kanji_exact",
        /// A strict romaji key (from kana or romaji) is equal.
        StrictExact = "strict_exact",
        /// A loose romaji key, or the loose kanji key, is equal.
        LooseExact = "loose_exact",
        /// A kanji-only name against a reading: a known reading of the
        /// kanji (normalize/readings.rs) is the other row's.
        ReadingAgrees = "reading_agrees",
        /// Close readings (a typo) or both parts similar; or a kanji-only
        /// name against a reading: one part's known reading is the other
        /// row's and the other part's is a typo away from one.
        Similar = "similar",
        /// A kanji-only name against a reading: the known readings of the
        /// kanji are not the other row's (weaker than `different`: unusual
        /// readings exist).
        ReadingDiffers = "reading_differs",
        /// The readings differ.
        Different = "different",
        /// Both rows give kanji names and they differ.
        KanjiDifferent = "kanji_different",
        /// A kanji-only name against a kana- or romaji-only one, and the
        /// kanji's readings are not known.
        NoCommonScript = "no_common_script",
        Missing = "missing",
    }
    no_evidence: [NoCommonScript, Missing]
}

impl NameLevel {
    /// Kanji, strict or loose key equal.
    pub fn is_exact(self) -> bool {
        matches!(self, NameLevel::KanjiExact | NameLevel::StrictExact | NameLevel::LooseExact)
    }

    /// The whole name is the other row's: exact, or a known reading of the
    /// kanji is the other row's kana or romaji.
    pub fn is_same_name(self) -> bool {
        self.is_exact() || self == NameLevel::ReadingAgrees
    }

    /// The readings or the kanji disagree.
    pub fn is_different(self) -> bool {
        matches!(self, NameLevel::Different | NameLevel::KanjiDifferent)
    }
}

levels! {
    /// A surname or a given name (compared when both rows give the parts).
    pub enum PartLevel {
        Exact = "exact",
        /// Jaro–Winkler, two or three letters, or one kana apart.
        Similar = "similar",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// The birth date.
    pub enum BirthLevel {
        Exact = "exact",
        /// Day and month swapped, or one digit off.
        SwappedOrOneDigit = "swapped_or_one_digit",
        SameYear = "same_year",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

impl BirthLevel {
    /// Equal, or one typo apart: dates one person's rows can hold.
    pub fn is_compatible(self) -> bool {
        matches!(self, BirthLevel::Exact | BirthLevel::SwappedOrOneDigit)
    }
}

levels! {
    /// The email address (its key: Gmail dots and +tags dropped).
    pub enum EmailLevel {
        Exact = "exact",
        SameLocalPart = "same_local_part",
        SimilarLocalPart = "similar_local_part",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// The phone number.
    pub enum PhoneLevel {
        Exact = "exact",
        SameLast8 = "same_last_8",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// The postal code.
    pub enum PostalLevel {
        Exact = "exact",
        SameFirst3 = "same_first_3",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// The address key.
    pub enum AddressLevel {
        NumbersAndTown = "numbers_and_town",
        City = "city",
        Prefecture = "prefecture",
        Different = "different",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// A value that agrees or not (passport number, gender).
    pub enum AgreeLevel {
        Agree = "agree",
        Disagree = "disagree",
        Missing = "missing",
    }
    no_evidence: [Missing]
}

levels! {
    /// The agreement pattern of the contact fields a household shares:
    /// which of email (exact), phone (exact or the same last 8 digits) and
    /// the place (the address down to its numbers) agree, for pairs where
    /// at least two of the three are present on both sides. One comparison
    /// for the three, so the model learns what two or three agreeing
    /// contacts say together (Splink's way with correlated fields) instead
    /// of adding their weights as if a household did not share them. A
    /// field missing on either side counts as not agreeing. With fewer than
    /// two compared there is no dependency to model: `missing`, and the
    /// fields count on their own. The postal code is not part of the place:
    /// it covers a neighbourhood, and with it the pattern's u (measured on
    /// generated data) rose tenfold and "place only" weighed 7.6 bits
    /// against the address's 16.5.
    pub enum ContactLevel {
        EmailPhonePlace = "email_phone_place",
        EmailPhone = "email_phone",
        EmailPlace = "email_place",
        PhonePlace = "phone_place",
        EmailOnly = "email_only",
        PhoneOnly = "phone_only",
        PlaceOnly = "place_only",
        /// Two or three compared, none agrees.
        NoneAgree = "none_agree",
        /// Fewer than two of email, phone and address on both sides.
        Missing = "missing",
    }
    no_evidence: [Missing]
}

impl ContactLevel {
    /// The pattern of a pair's email, phone and address levels.
    pub fn of(email: EmailLevel, phone: PhoneLevel, address: AddressLevel) -> ContactLevel {
        let compared = [email != EmailLevel::Missing, phone != PhoneLevel::Missing, address != AddressLevel::Missing];
        if compared.iter().filter(|c| **c).count() < 2 {
            return ContactLevel::Missing;
        }
        let email_agrees = email == EmailLevel::Exact;
        let phone_agrees = matches!(phone, PhoneLevel::Exact | PhoneLevel::SameLast8);
        let place_agrees = address == AddressLevel::NumbersAndTown;
        match (email_agrees, phone_agrees, place_agrees) {
            (true, true, true) => ContactLevel::EmailPhonePlace,
            (true, true, false) => ContactLevel::EmailPhone,
            (true, false, true) => ContactLevel::EmailPlace,
            (false, true, true) => ContactLevel::PhonePlace,
            (true, false, false) => ContactLevel::EmailOnly,
            (false, true, false) => ContactLevel::PhoneOnly,
            (false, false, true) => ContactLevel::PlaceOnly,
            (false, false, false) => ContactLevel::NoneAgree,
        }
    }

    /// The single-field patterns whose fields agree in this pattern (what
    /// the contacts say when they only say "same household").
    pub fn single_fields(self) -> &'static [ContactLevel] {
        use ContactLevel::*;
        match self {
            EmailPhonePlace => &[EmailOnly, PhoneOnly, PlaceOnly],
            EmailPhone => &[EmailOnly, PhoneOnly],
            EmailPlace => &[EmailOnly, PlaceOnly],
            PhonePlace => &[PhoneOnly, PlaceOnly],
            EmailOnly => &[EmailOnly],
            PhoneOnly => &[PhoneOnly],
            PlaceOnly => &[PlaceOnly],
            NoneAgree | Missing => &[],
        }
    }

    /// Whether email or phone agree: every such pair is a candidate (email
    /// and phone are blocking keys), so the pattern's u can be counted over
    /// the candidates instead of sampled.
    pub fn is_blocked(self) -> bool {
        !matches!(self, ContactLevel::PlaceOnly | ContactLevel::NoneAgree | ContactLevel::Missing)
    }
}

/// One comparison of the vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Comparison {
    Name,
    Surname,
    GivenName,
    BirthDate,
    Email,
    Phone,
    PostalCode,
    Address,
    Passport,
    Gender,
    Contact,
}

/// Calls the generic function `$f::<L>()` with `L` the level enum of `$comparison`.
macro_rules! with_levels {
    ($comparison:expr, $f:ident) => {
        match $comparison {
            Comparison::Name => $f::<NameLevel>(),
            Comparison::Surname | Comparison::GivenName => $f::<PartLevel>(),
            Comparison::BirthDate => $f::<BirthLevel>(),
            Comparison::Email => $f::<EmailLevel>(),
            Comparison::Phone => $f::<PhoneLevel>(),
            Comparison::PostalCode => $f::<PostalLevel>(),
            Comparison::Address => $f::<AddressLevel>(),
            Comparison::Passport | Comparison::Gender => $f::<AgreeLevel>(),
            Comparison::Contact => $f::<ContactLevel>(),
        }
    };
}

impl Comparison {
    /// Every comparison, in vector order.
    pub const ALL: [Comparison; 11] = [
        Comparison::Name,
        Comparison::Surname,
        Comparison::GivenName,
        Comparison::BirthDate,
        Comparison::Email,
        Comparison::Phone,
        Comparison::PostalCode,
        Comparison::Address,
        Comparison::Passport,
        Comparison::Gender,
        Comparison::Contact,
    ];

    /// The name used in links.csv, explanations and the model file.
    pub fn name(self) -> &'static str {
        match self {
            Comparison::Name => "name",
            Comparison::Surname => "surname",
            Comparison::GivenName => "given_name",
            Comparison::BirthDate => "birth_date",
            Comparison::Email => "email",
            Comparison::Phone => "phone",
            Comparison::PostalCode => "postal_code",
            Comparison::Address => "address",
            Comparison::Passport => "passport",
            Comparison::Gender => "gender",
            Comparison::Contact => "contact",
        }
    }

    /// The level names, strongest agreement first, no-evidence levels last.
    pub fn level_names(self) -> &'static [&'static str] {
        fn names<L: Level>() -> &'static [&'static str] {
            L::NAMES
        }
        with_levels!(self, names)
    }

    /// Number of levels, no-evidence levels included.
    pub fn levels(self) -> usize {
        self.level_names().len()
    }

    /// Whether the level at `index` carries no evidence (weight 0).
    pub fn is_no_evidence(self, index: u8) -> bool {
        fn check<L: Level>() -> fn(u8) -> bool {
            |index| L::from_index(index).is_no_evidence()
        }
        with_levels!(self, check)(index)
    }

    /// The index of the level named `name`.
    pub fn level_index(self, name: &str) -> Option<u8> {
        self.level_names().iter().position(|n| *n == name).map(|i| i as u8)
    }
}

/// The level of every comparison for one pair of records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComparisonVector(pub [u8; Comparison::ALL.len()]);

impl Default for ComparisonVector {
    /// Every comparison missing.
    fn default() -> Self {
        let mut levels = [0u8; Comparison::ALL.len()];
        for comparison in Comparison::ALL {
            levels[comparison as usize] = (comparison.levels() - 1) as u8;
        }
        ComparisonVector(levels)
    }
}

impl ComparisonVector {
    /// The level index of `comparison` (for loops over every comparison;
    /// code that decides on a level uses the typed getters).
    pub fn level(&self, comparison: Comparison) -> u8 {
        self.0[comparison as usize]
    }

    /// Sets the level of `comparison`.
    pub fn set<L: Level>(&mut self, comparison: Comparison, level: L) {
        debug_assert_eq!(comparison.level_names(), L::NAMES, "{} takes another level type", comparison.name());
        self.0[comparison as usize] = level.index();
    }

    pub fn name(&self) -> NameLevel {
        NameLevel::from_index(self.level(Comparison::Name))
    }

    pub fn surname(&self) -> PartLevel {
        PartLevel::from_index(self.level(Comparison::Surname))
    }

    pub fn given_name(&self) -> PartLevel {
        PartLevel::from_index(self.level(Comparison::GivenName))
    }

    pub fn birth_date(&self) -> BirthLevel {
        BirthLevel::from_index(self.level(Comparison::BirthDate))
    }

    pub fn email(&self) -> EmailLevel {
        EmailLevel::from_index(self.level(Comparison::Email))
    }

    pub fn phone(&self) -> PhoneLevel {
        PhoneLevel::from_index(self.level(Comparison::Phone))
    }

    pub fn postal_code(&self) -> PostalLevel {
        PostalLevel::from_index(self.level(Comparison::PostalCode))
    }

    pub fn address(&self) -> AddressLevel {
        AddressLevel::from_index(self.level(Comparison::Address))
    }

    pub fn passport(&self) -> AgreeLevel {
        AgreeLevel::from_index(self.level(Comparison::Passport))
    }

    pub fn gender(&self) -> AgreeLevel {
        AgreeLevel::from_index(self.level(Comparison::Gender))
    }

    pub fn contact(&self) -> ContactLevel {
        ContactLevel::from_index(self.level(Comparison::Contact))
    }

    /// The comparisons that agree (the name at any exact level, the others
    /// at their strongest level), in vector order: review.csv's evidence.
    pub fn agreeing(self) -> impl Iterator<Item = Comparison> {
        Comparison::ALL.into_iter().filter(move |c| match c {
            Comparison::Name => self.name().is_exact(),
            // The pattern repeats the contact fields listed already.
            Comparison::Contact => false,
            // Every enum lists its strongest agreement first.
            _ => self.level(*c) == 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparison_ends_with_its_no_evidence_levels() {
        for comparison in Comparison::ALL {
            let names = comparison.level_names();
            assert_eq!(names.last(), Some(&"missing"), "{}", comparison.name());
            let evidence = (0..names.len() as u8).filter(|&i| !comparison.is_no_evidence(i)).count();
            let expected = if comparison == Comparison::Name { names.len() - 2 } else { names.len() - 1 };
            assert_eq!(evidence, expected, "{}", comparison.name());
            assert_eq!(comparison.level_index(names[1]), Some(1));
        }
        assert!(NameLevel::NoCommonScript.is_no_evidence() && !NameLevel::Different.is_no_evidence());
    }

    #[test]
    fn a_default_vector_is_missing_everywhere() {
        let vector = ComparisonVector::default();
        assert_eq!(vector.name(), NameLevel::Missing);
        assert_eq!(vector.passport(), AgreeLevel::Missing);
        assert_eq!(vector.agreeing().count(), 0);
    }
}
