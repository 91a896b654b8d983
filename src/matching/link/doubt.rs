//! Why a link is only possible: what the analyst who reviews it has to
//! decide. A possible link is a doubt about which person a booking is, and
//! each kind of doubt asks a different question (two persons fit the same;
//! the evidence is thin; the contact is a household's), so the reason
//! travels with the link to links.csv, review.csv and counts.json.
//!
//! Invariant: the names are stable output vocabulary (README lists them);
//! a new reason is a new variant with a new name, never a renamed one.

use super::Link;

/// What every possible link's decision starts with.
const POSSIBLE_PREFIX: &str = "possible_";

/// Why a link is possible rather than a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Doubt {
    /// Two or more persons reach the match threshold within
    /// `TIE_MARGIN_BITS` of each other: which one booked, the data does
    /// not say.
    Tie,
    /// The best score lies between the review and the match threshold:
    /// some evidence agrees, not enough to match.
    BelowThreshold,
    /// The contact identity rule would link the row, but its email or phone
    /// is a household's (persons of other names give it too).
    HouseholdContact,
    /// A row without a name whose phone is the booking's beside another
    /// email or at another place, or whose mailbox name is the booking's at
    /// another provider (`score::contact_for_review`): part of a contact
    /// agrees.
    PartialContact,
    /// A person's row without a name links by a contact, but the person's
    /// named rows give another name: a household's row joined to one
    /// member, which may be the booker's.
    HouseholdRow,
    /// The person's contact-only links passed the cap of bookings one
    /// customer makes (an office's phone, a placeholder address).
    ManyContactBookings,
    /// A row without a name agrees with the booking on the home and on
    /// nothing else, its phone if any another (`score::only_the_home_agrees`):
    /// the booker's row, or another resident's.
    HomeOnly,
}

impl Doubt {
    /// Every reason, in the order of their codes.
    pub const ALL: [Doubt; 7] = [
        Doubt::Tie,
        Doubt::BelowThreshold,
        Doubt::HouseholdContact,
        Doubt::PartialContact,
        Doubt::HouseholdRow,
        Doubt::ManyContactBookings,
        Doubt::HomeOnly,
    ];

    /// The reason's name in counts.json: its decision without `possible_`.
    pub fn name(self) -> &'static str {
        &self.decision()[POSSIBLE_PREFIX.len()..]
    }

    /// The link's `decision` in links.csv and its kind in review.csv's
    /// evidence: [`POSSIBLE_PREFIX`] and the name.
    pub fn decision(self) -> &'static str {
        match self {
            Doubt::Tie => "possible_tie",
            Doubt::BelowThreshold => "possible_below_threshold",
            Doubt::HouseholdContact => "possible_household_contact",
            Doubt::PartialContact => "possible_partial_contact",
            Doubt::HouseholdRow => "possible_household_row",
            Doubt::ManyContactBookings => "possible_many_contact_bookings",
            Doubt::HomeOnly => "possible_home_only",
        }
    }

    /// What the analyst reviewing the link has to decide (`explain`).
    pub fn question(self) -> &'static str {
        match self {
            Doubt::Tie => "another person scores within a bit of this one: which of them booked?",
            Doubt::BelowThreshold => "the score is under the match threshold: is the evidence enough?",
            Doubt::HouseholdContact => {
                "the email or phone is a household's (persons of other names give it): is this member the booker?"
            }
            Doubt::PartialContact => {
                "a row without a name shares the phone beside another email or at another place, or the mailbox name at another provider: the same customer?"
            }
            Doubt::HouseholdRow => {
                "the person's row without a name carries the booking's contact, its named rows another name: whose row is it?"
            }
            Doubt::ManyContactBookings => {
                "the contact links more bookings than one customer makes (an office's phone?): is any of them this person's?"
            }
            Doubt::HomeOnly => {
                "a row without a name agrees only on the booking's home address (its phone, if any, is another): the booker's row, or another resident's?"
            }
        }
    }

    /// The reason whose [`Doubt::decision`] is `decision`.
    pub fn from_decision(decision: &str) -> Option<Doubt> {
        Doubt::ALL.into_iter().find(|d| d.decision() == decision)
    }

    /// A one-byte code (the spill files): the variant's position, which is
    /// its position in [`Doubt::ALL`] (a test holds them together).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The reason of `code`, `None` for a code no reason has.
    pub fn from_code(code: u8) -> Option<Doubt> {
        Doubt::ALL.get(code as usize).copied()
    }
}

/// A possible link and why it is only possible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PossibleLink {
    pub link: Link,
    pub doubt: Doubt,
}

impl PossibleLink {
    pub fn new(link: Link, doubt: Doubt) -> PossibleLink {
        PossibleLink { link, doubt }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_own_code_name_and_decision() {
        for (i, doubt) in Doubt::ALL.into_iter().enumerate() {
            assert_eq!(Doubt::from_code(doubt.code()), Some(doubt));
            assert_eq!(doubt.decision(), format!("possible_{}", doubt.name()));
            assert_eq!(Doubt::from_decision(doubt.decision()), Some(doubt));
            for other in &Doubt::ALL[i + 1..] {
                assert_ne!(doubt.name(), other.name());
            }
        }
        assert_eq!(Doubt::from_code(Doubt::ALL.len() as u8), None);
        assert_eq!(Doubt::from_decision("possible"), None);
    }
}
