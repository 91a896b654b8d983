//! What one person's records say about a booking (`PersonCandidate`), how
//! the persons rank, and which persons beside the winner a booking reaches
//! by contacts alone or through a household's row.
//!
//! Invariant: every list here is in person order or ranked by (score,
//! person), so nothing depends on thread count or hash order.

use super::{Doubt, Link, PossibleLink, MAX_POSSIBLE_LINKS};
use crate::matching::score::{Identity, NameRule};
use crate::matching::PersonIdx;

/// What one person's records say about a booking.
#[derive(Clone, Copy, Debug)]
pub(super) struct PersonCandidate {
    /// The best-scoring record.
    pub(super) best: Link,
    /// The best-scoring record with a name comparable to the booking's.
    pub(super) best_named: Option<Link>,
    /// A record whose name disagrees with the booking's.
    pub(super) name_conflict: bool,
    /// A record found by a surname key alone that names someone else (not
    /// scored, see `Linker::score_candidates`): the person is not one known
    /// by its contacts alone.
    pub(super) names_another: bool,
    /// A record of the person that gives a field the booking gives
    /// otherwise, beside the name (`score::all_but_the_name_agree`): another
    /// birth date, mailbox, phone, postal code, home, passport or gender.
    pub(super) contradicted: bool,
    /// The best-scoring record that a whole-name rule links
    /// (`score::name_rule`), whatever its weight, and the rule.
    pub(super) best_by_name_rule: Option<(Link, NameRule)>,
}

impl PersonCandidate {
    /// The person's link: its best record's, except that a record without a
    /// name (contacts only) cannot outweigh the person's own name when that
    /// name disagrees with the booking's: a household's nameless row
    /// carries the contacts of every member, the named rows say which
    /// member this person is.
    pub(super) fn link(&self) -> Link {
        match (self.name_conflict, self.best_named) {
            (true, Some(named)) => named,
            _ => self.best,
        }
    }

    /// Known to the booking by its contacts alone: no record of the person
    /// has a name comparable to the booking's, and none names someone else.
    pub(super) fn by_contacts_alone(&self) -> bool {
        self.best_named.is_none() && !self.names_another
    }

    /// The person's record without a name that the contact identity rule
    /// links to the booking, when the person's link is another record (its
    /// named records give another name): a household's row, whose email or
    /// phone every member gives. The clustering joined it to one member by
    /// those contacts; whether it is that member's or the booking's
    /// customer's, the data does not say. Not a row linked by the home
    /// alone: every resident's booking gives the home, so it says nothing
    /// of whose row it is, and the clustering joined the row by more (with
    /// the home alone linking, a row of a birth date and the home left its
    /// named person for another member's booking without a birth date:
    /// second generator sparse, 4 truly affected records lost).
    pub(super) fn household_row(&self) -> Option<Link> {
        let nameless_links = self.best.score.identity().is_some_and(|by| by != Identity::Home);
        (nameless_links && self.link().record != self.best.record).then_some(self.best)
    }
}

/// A person's link to the booking, ranked.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ranked {
    pub(super) link: Link,
    /// Some record of the person has a name comparable to the booking's.
    pub(super) named: bool,
    /// [`PersonCandidate::by_contacts_alone`].
    pub(super) by_contacts_alone: bool,
}

/// The best links of the persons other than `top` known by contacts alone
/// ([`PersonCandidate::by_contacts_alone`]) that `keep` accepts, in person
/// order.
pub(super) fn contacts_alone_except(
    top: Link,
    candidates: &[PersonCandidate],
    keep: impl Fn(&Link) -> bool,
) -> Vec<Link> {
    let mut links: Vec<Link> = candidates
        .iter()
        .filter(|c| c.best.person != top.person && c.by_contacts_alone() && keep(&c.best))
        .map(|c| c.best)
        .collect();
    links.sort_by_key(|l| l.person);
    links
}

/// Adds to `possible` the household rows ([`PersonCandidate::household_row`])
/// of persons other than `matched` (the booking's person, if any) and not in
/// it yet, in person order, up to
/// [`MAX_POSSIBLE_LINKS`] in all. The booking's customer may be the member
/// whose row it is: unknown is not "no", so the person becomes a possible
/// link, for review. Before this, the booking linked nowhere and its
/// customer ended unmatched, decided silently, though the leaked row holds
/// the phone or email they booked with.
pub(super) fn add_household_rows(
    possible: &mut Vec<PossibleLink>,
    matched: Option<PersonIdx>,
    candidates: &[PersonCandidate],
) {
    let start = possible.len();
    for c in candidates {
        if let Some(row) = c.household_row() {
            if Some(row.person) != matched && possible.iter().all(|p| p.link.person != row.person) {
                possible.push(PossibleLink::new(row, Doubt::HouseholdRow));
            }
        }
    }
    possible[start..].sort_by_key(|p| p.link.person);
    possible.truncate(MAX_POSSIBLE_LINKS);
}
