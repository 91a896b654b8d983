//! Assessment: one status per person, from its links and the rules, and its
//! passport status (SPEC section 5).
//!
//! Status precedence: affected, review, excluded, unmatched (the first that
//! applies wins).
//! - affected: a match link to a qualifying booking (online, product not
//!   excluded);
//! - review: a possible link to a qualifying or undecidable booking, or a
//!   match link to a booking the rules cannot decide (`rules::ReviewCause`:
//!   unknown or missing channel, unknown booking method on a store channel …);
//! - excluded: match links, none qualifying; reasons `store` and/or `product`;
//! - unmatched: no match link (possible links to non-qualifying bookings only
//!   count as nothing).
//!
//! A household's row split off its person (`bookings::household`) takes
//! what both readings give, the person's status and the booker's
//! ([`settle_household_rows`]): affected when the person is affected and
//! the household-row booking qualifies (reason `household_row`: a member is
//! affected whichever the row is); review when one reading would send a
//! letter and the other would not, or cannot tell; otherwise what its own
//! links say (no letter either way).
//!
//! Invariant: the result is ordered by person and each person's bookings by
//! booking order, so it is independent of the thread count.

use crate::bookings::household::HouseholdSplits;
use crate::bookings::{BookingLinks, LinkKind, PersonLink};
use crate::matching::link::Doubt;
use crate::matching::{PersonIdx, Persons};
use crate::normalize::passport::PassportStatus;
use crate::recovered::RecoveredSet;
use crate::rules::{BookingClass, Decision, ReviewCause};

/// The status of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Affected,
    Review,
    Excluded,
    Unmatched,
}

impl Status {
    /// The value written to persons.csv.
    pub fn name(self) -> &'static str {
        match self {
            Status::Affected => "affected",
            Status::Review => "review",
            Status::Excluded => "excluded",
            Status::Unmatched => "unmatched",
        }
    }
}

/// Why a person has its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// affected: a qualifying online booking.
    Online,
    /// affected: a qualifying booking made online and paid in a store.
    PaidInStore,
    /// affected: a household's row without a name, split off a person who
    /// is affected, through which a qualifying booking of another member
    /// links: whichever member's row it is, that member is affected.
    HouseholdRow,
    /// review: a possible link to a qualifying or undecidable booking.
    PossibleLink,
    /// review: a link to a booking the rules cannot decide (unknown or
    /// missing channel, unknown booking method on a store channel …).
    Undecided(ReviewCause),
    /// excluded: store bookings only.
    Store,
    /// excluded: bookings of excluded products.
    Product,
}

impl Reason {
    /// The value written to the reasons column.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Online => "online",
            Reason::PaidInStore => "paid_in_store",
            Reason::HouseholdRow => "household_row",
            Reason::PossibleLink => "possible_link",
            Reason::Undecided(cause) => cause.name(),
            Reason::Store => "store",
            Reason::Product => "product",
        }
    }
}

/// A set of [`Reason`]s, one bit each, iterated in sorted order: a person's
/// reasons cost two bytes, not a list (millions of persons).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reasons(u16);

impl Reasons {
    /// Every reason, in `Reason`'s order (a test checks it is sorted).
    const ALL: [Reason; 12] = [
        Reason::Online,
        Reason::PaidInStore,
        Reason::HouseholdRow,
        Reason::PossibleLink,
        Reason::Undecided(ReviewCause::UnknownChannel),
        Reason::Undecided(ReviewCause::MissingChannel),
        Reason::Undecided(ReviewCause::UnknownBookingMethod),
        Reason::Undecided(ReviewCause::UnknownPaymentPlace),
        Reason::Undecided(ReviewCause::ConflictingBookingMethod),
        Reason::Undecided(ReviewCause::AmbiguousProduct),
        Reason::Store,
        Reason::Product,
    ];

    fn insert(&mut self, reason: Reason) {
        if let Some(bit) = Reasons::ALL.iter().position(|r| *r == reason) {
            self.0 |= 1 << bit;
        }
    }

    pub fn contains(self, reason: Reason) -> bool {
        Reasons::ALL.iter().position(|r| *r == reason).is_some_and(|bit| self.0 & (1 << bit) != 0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The reasons, sorted.
    pub fn iter(self) -> impl Iterator<Item = Reason> {
        Reasons::ALL.into_iter().enumerate().filter(move |(bit, _)| self.0 & (1 << bit) != 0).map(|(_, r)| r)
    }
}

/// The assessment of one person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonOutcome {
    pub status: Status,
    /// Reasons for `status`.
    pub reasons: Reasons,
    /// Where the person's links (match and possible, in booking order) lie
    /// in [`BookingLinks::links`]: a range, not a copy, so the assessment
    /// holds no second list of every link.
    links: (u32, u32),
    /// The best link score (0 when unlinked).
    pub score: f64,
    pub passport: PassportStatus,
}

impl PersonOutcome {
    /// The person's links, in booking order.
    pub fn links<'a>(&self, bookings: &'a BookingLinks) -> &'a [PersonLink] {
        &bookings.links[self.links.0 as usize..self.links.1 as usize]
    }

    /// The links that make the person affected: match links to qualifying
    /// bookings, or for a household's row affected either way
    /// ([`Reason::HouseholdRow`]) its household-row links to them.
    pub fn qualifying_links<'a>(&self, bookings: &'a BookingLinks) -> impl Iterator<Item = &'a PersonLink> {
        let household = self.reasons.contains(Reason::HouseholdRow);
        self.links(bookings).iter().filter(move |l| {
            let counts = l.kind == LinkKind::Match || (household && l.kind == LinkKind::Possible(Doubt::HouseholdRow));
            counts && bookings.class(l.booking).qualifies()
        })
    }
}

/// Assesses every person (the links are in person order, see
/// [`BookingLinks::links`]), the household rows split off last.
pub fn assess(
    persons: &Persons,
    recovered: &RecoveredSet,
    bookings: &BookingLinks,
    households: &HouseholdSplits,
) -> Vec<PersonOutcome> {
    let mut outcomes = assess_each(persons, recovered, bookings);
    settle_household_rows(households, &mut outcomes, bookings);
    outcomes
}

fn assess_each(persons: &Persons, recovered: &RecoveredSet, bookings: &BookingLinks) -> Vec<PersonOutcome> {
    debug_assert!(bookings.links.windows(2).all(|w| w[0].person <= w[1].person));
    // Persons in order walk the person-sorted links once (no table of
    // every person's range alongside the outcomes).
    let mut end = 0usize;
    (0..persons.len())
        .map(|person| {
            let start = end;
            end += bookings.links[start..].iter().take_while(|l| l.person as usize == person).count();
            let (slice, links) = (&bookings.links[start..end], (start as u32, end as u32));
            let passport = person_passport(persons, recovered, person as PersonIdx);
            let (status, reasons) = status_of(slice, bookings);
            let score = slice.iter().map(|l| l.score).fold(0.0, f64::max);
            PersonOutcome { status, reasons, links, score, passport }
        })
        .collect()
}

/// The status of each household row split off a person: what the two
/// readings give, the row as the person's (the person's status) and as the
/// booker's (its household-row bookings, all it has). See the module
/// documentation.
///
/// Bookers of two names may link through one row, one of them with a
/// store booking only: the row as that booker's sends no letter, yet one
/// qualifying booking makes it affected. Tried and not kept: affected only
/// when every booking linked through the row qualifies (bookings carry no
/// name here to tell their bookers apart). On the 36-setting grid precision
/// rose at 29 settings (mean 0.99644 → 0.99666) but recall fell at 34
/// (0.97780 → 0.97710) and affected F1 at 30. At two settings of it, of
/// the rows with such a booking, 15 had it from a booker with a qualifying
/// booking too (14 truly affected), and 20 from a booker with none (10).
fn settle_household_rows(households: &HouseholdSplits, outcomes: &mut [PersonOutcome], bookings: &BookingLinks) {
    for &(person, row) in &households.pairs {
        let as_the_persons = outcomes[person as usize].status;
        let outcome = &mut outcomes[row as usize];
        let booker_qualifies = outcome.links(bookings).iter().any(|l| bookings.class(l.booking).qualifies());
        match as_the_persons {
            Status::Affected if booker_qualifies => {
                outcome.status = Status::Affected;
                outcome.reasons = Reasons::default();
                outcome.reasons.insert(Reason::HouseholdRow);
            }
            Status::Affected | Status::Review => {
                if outcome.status != Status::Review {
                    outcome.status = Status::Review;
                    outcome.reasons = Reasons::default();
                    outcome.reasons.insert(Reason::PossibleLink);
                }
            }
            Status::Excluded | Status::Unmatched => {}
        }
    }
}

fn status_of(links: &[PersonLink], bookings: &BookingLinks) -> (Status, Reasons) {
    status_from(links.iter().map(|l| (l.kind, bookings.class(l.booking))))
}

/// The status of a person whose bookings are all certain (the generator's
/// ground truth): the same precedence as for linked bookings.
pub fn status_for_bookings(classes: &[BookingClass]) -> (Status, Reasons) {
    status_from(classes.iter().map(|c| (LinkKind::Match, *c)))
}

fn status_from(links: impl Iterator<Item = (LinkKind, BookingClass)>) -> (Status, Reasons) {
    let mut affected = Reasons::default();
    let mut review = Reasons::default();
    let mut excluded = Reasons::default();
    let mut any_match = false;
    for (kind, class) in links {
        any_match |= kind == LinkKind::Match;
        match (kind, class.decision) {
            (LinkKind::Match, Decision::Qualifying { paid_in_store }) => {
                affected.insert(Reason::Online);
                if paid_in_store {
                    affected.insert(Reason::PaidInStore);
                }
            }
            (LinkKind::Match, Decision::Review(cause)) => review.insert(Reason::Undecided(cause)),
            (LinkKind::Match, Decision::Excluded { store, product }) => {
                if store {
                    excluded.insert(Reason::Store);
                }
                if product.is_some() {
                    excluded.insert(Reason::Product);
                }
            }
            (LinkKind::Possible(_), Decision::Qualifying { .. } | Decision::Review(_)) => {
                review.insert(Reason::PossibleLink)
            }
            (LinkKind::Possible(_), Decision::Excluded { .. }) => {}
        }
    }
    if !affected.is_empty() {
        (Status::Affected, affected)
    } else if !review.is_empty() {
        (Status::Review, review)
    } else if any_match {
        (Status::Excluded, excluded)
    } else {
        (Status::Unmatched, Reasons::default())
    }
}

/// The most favourable passport status among the person's rows (a person
/// with any valid passport must be told so); a row needs a usable passport
/// number to count (`passport::status_of_row`, judged as the row is loaded).
fn person_passport(persons: &Persons, recovered: &RecoveredSet, person: PersonIdx) -> PassportStatus {
    persons.members(person).iter().map(|&r| recovered.passport(r)).max().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn booking_links(bookings: &[(&str, &str, &str)], links: &[(u32, LinkKind)]) -> BookingLinks {
        let rules = Rules::default_rules();
        let mut table = BookingLinks::default();
        for (channel, method, product) in bookings {
            table.push_for_test(rules.classify_raw(channel, method, "", product));
        }
        let links = links
            .iter()
            .map(|&(booking, kind)| PersonLink {
                person: 0,
                booking,
                kind,
                record: 0,
                score: 1.0,
                vector: Default::default(),
                tf_adjustment: 0.0,
                phone_line: crate::normalize::phone::Line::Other,
            })
            .collect();
        table.links = links;
        table
    }

    fn status(bookings: &[(&str, &str, &str)], links: &[(u32, LinkKind)]) -> (Status, Vec<Reason>) {
        let table = booking_links(bookings, links);
        let (status, reasons) = status_of(&table.links, &table);
        (status, reasons.iter().collect())
    }

    #[test]
    fn reasons_iterate_in_sorted_order_and_hold_each_reason_once() {
        assert!(Reasons::ALL.windows(2).all(|w| w[0] < w[1]));
        let mut reasons = Reasons::default();
        for reason in [Reason::Product, Reason::Online, Reason::Product, Reason::Undecided(ReviewCause::MissingChannel)]
        {
            reasons.insert(reason);
        }
        let listed: Vec<Reason> = reasons.iter().collect();
        assert_eq!(listed, vec![Reason::Online, Reason::Undecided(ReviewCause::MissingChannel), Reason::Product]);
        assert!(reasons.contains(Reason::Product) && !reasons.contains(Reason::Store));
    }

    #[test]
    fn online_booking_makes_affected_and_wins_over_store() {
        let got = status(
            &[("JTB店舗", "店頭", "国内宿泊"), ("JTBホームページ", "", "国内宿泊")],
            &[(0, LinkKind::Match), (1, LinkKind::Match)],
        );
        assert_eq!(got, (Status::Affected, vec![Reason::Online]));
    }

    #[test]
    fn store_and_product_exclusions_are_both_reasons() {
        let got = status(
            &[("JTB店舗", "店頭", "国内宿泊"), ("JTBホームページ", "", "高速バス")],
            &[(0, LinkKind::Match), (1, LinkKind::Match)],
        );
        assert_eq!(got, (Status::Excluded, vec![Reason::Store, Reason::Product]));
    }

    #[test]
    fn booked_online_paid_in_store_is_affected() {
        let got = status(&[("JTB店舗", "ネット", "国内宿泊")], &[(0, LinkKind::Match)]);
        assert_eq!(got, (Status::Affected, vec![Reason::Online, Reason::PaidInStore]));
    }

    #[test]
    fn review_beats_excluded() {
        let got = status(
            &[("JTB店舗", "店頭", "国内宿泊"), ("謎チャネル", "", "国内宿泊")],
            &[(0, LinkKind::Match), (1, LinkKind::Match)],
        );
        assert_eq!(got, (Status::Review, vec![Reason::Undecided(ReviewCause::UnknownChannel)]));
        let got = status(&[("JTBホームページ", "", "国内宿泊")], &[(0, LinkKind::Possible(Doubt::Tie))]);
        assert_eq!(got, (Status::Review, vec![Reason::PossibleLink]));
    }

    #[test]
    fn possible_link_to_a_store_booking_is_unmatched() {
        assert_eq!(
            status(&[("JTB店舗", "店頭", "国内宿泊")], &[(0, LinkKind::Possible(Doubt::Tie))]).0,
            Status::Unmatched
        );
        assert_eq!(status(&[], &[]).0, Status::Unmatched);
    }

    /// Person 0 left with its own booking (`own`: channel, product);
    /// person 1 split off it with a household-row link to the other
    /// member's booking (`booker`).
    fn household(own: Option<(&str, &str)>, booker: (&str, &str)) -> (Status, Vec<Reason>, Vec<u32>) {
        let rules = Rules::default_rules();
        let mut table = BookingLinks::default();
        table.push_for_test(rules.classify_raw(booker.0, "", "", booker.1));
        let link = |person, booking, kind| PersonLink {
            person,
            booking,
            kind,
            record: person,
            score: 10.0,
            vector: Default::default(),
            tf_adjustment: 0.0,
            phone_line: crate::normalize::phone::Line::Other,
        };
        table.links = vec![link(1, 0, LinkKind::Possible(Doubt::HouseholdRow))];
        if let Some((channel, product)) = own {
            table.push_for_test(rules.classify_raw(channel, "", "", product));
            table.links.insert(0, link(0, 1, LinkKind::Match));
        }
        let persons = Persons::from_roots(&[0, 1]);
        let households = HouseholdSplits { pairs: vec![(0, 1)], ..Default::default() };
        let outcomes = assess(&persons, &RecoveredSet::passportless_for_test(2), &table, &households);
        let row = &outcomes[1];
        (row.status, row.reasons.iter().collect(), row.qualifying_links(&table).map(|l| l.booking).collect())
    }

    #[test]
    fn a_household_row_takes_what_both_readings_give() {
        let online = ("JTBホームページ", "国内宿泊");
        let store = ("JTB店舗", "国内宿泊");
        // Both told: affected, by the booker's booking.
        assert_eq!(household(Some(online), online), (Status::Affected, vec![Reason::HouseholdRow], vec![0]));
        // Told as the person's, not as the booker's: review.
        assert_eq!(household(Some(online), store), (Status::Review, vec![Reason::PossibleLink], vec![]));
        // Told as the booker's, not as the person's: review.
        assert_eq!(household(Some(store), online), (Status::Review, vec![Reason::PossibleLink], vec![]));
        // Told neither way: what its own links say.
        assert_eq!(household(Some(store), store), (Status::Unmatched, vec![], vec![]));
        assert_eq!(household(None, store), (Status::Unmatched, vec![], vec![]));
    }
}
