//! Persons that one booking ties into one customer, joined once the
//! statuses are taken.
//!
//! The clustering keeps two rows of one name and birth date apart when
//! their contacts all differ (namesakes born the same day,
//! `score::only_the_name_and_birth_date_agree`), and one customer's rows,
//! written years apart, may differ so. The linker then matches that
//! customer's booking to both persons (`link::Linker::split_links`: a
//! customer the clustering left in two). When the booking gives one
//! person's mailbox, phone number, home or passport number and another of
//! the other's, neither given by both (`score::ties_across`, decided by
//! the linker, which still has the records), the customer wrote both on one form:
//! the two persons are one, with one status and one letter. A booking
//! matched by the name and birth date alone joins nothing: it says no more
//! than the two rows said to the clustering.
//!
//! The join runs after the chains (`chain`), whose seeds name the persons
//! as the stream left them; the persons are then assessed again. A joined
//! person takes the smaller index and later persons move down, so persons
//! stay numbered by their first record (the household rows split off
//! still last). A booking links a person once: of a joined person's links
//! to one booking, a match outranks a possible link and then the higher
//! score stays; a match that goes becomes its record's `join_via_booking`
//! row in links.csv, which says why the record is in the person.
//!
//! Limit: the two persons' records are compared with the booking, not
//! with each other again; each tie's records are not born apart
//! (`link::Linker::born_apart`), and a person's records agree with each
//! other (the clustering's guard).
//!
//! Invariant: the ties are taken in booking order, union–find keeps the
//! smaller index as the root, and the links are sorted on a total order:
//! nothing depends on the thread count.

use rayon::slice::ParallelSliceMut;

use super::household::HouseholdSplits;
use super::{BookingLinks, LinkKind, PersonLink};
use crate::matching::cluster::find;
use crate::matching::{PersonIdx, Persons};

/// Joins the persons the bookings tie (module documentation); returns how
/// many persons were joined into another.
pub fn join(persons: &mut Persons, bookings: &mut BookingLinks, households: &mut HouseholdSplits) -> u64 {
    let ties = std::mem::take(&mut bookings.halves);
    let mut parent: Vec<PersonIdx> = (0..persons.len() as PersonIdx).collect();
    let mut joined = 0;
    for &(top, half) in &ties {
        let a = find(&mut parent, persons.person_of(top));
        let b = find(&mut parent, persons.person_of(half));
        if a != b {
            parent[a.max(b) as usize] = a.min(b);
            joined += 1;
        }
    }
    if joined == 0 {
        return 0;
    }
    // A root is below every person of its group, so it is numbered first.
    let mut new_of = vec![0 as PersonIdx; persons.len()];
    let mut next = 0;
    for p in 0..persons.len() as PersonIdx {
        let root = find(&mut parent, p);
        new_of[p as usize] = if root == p {
            next += 1;
            next - 1
        } else {
            new_of[root as usize]
        };
    }
    persons.renumber(&new_of, next as usize);
    for link in &mut bookings.links {
        link.person = new_of[link.person as usize];
    }
    for pair in &mut households.pairs {
        *pair = (new_of[pair.0 as usize], new_of[pair.1 as usize]);
    }
    one_link_per_booking(bookings);
    joined
}

/// Sorts the links by (person, booking) and keeps one per pair: the match,
/// then the higher score; a match that goes is kept in
/// `BookingLinks::joined_via`.
fn one_link_per_booking(bookings: &mut BookingLinks) {
    let rank = |l: &PersonLink| u8::from(l.kind != LinkKind::Match);
    bookings.links.par_sort_unstable_by(|a, b| {
        (a.person, a.booking, rank(a))
            .cmp(&(b.person, b.booking, rank(b)))
            .then(b.score.total_cmp(&a.score))
            .then(a.record.cmp(&b.record))
    });
    let joined_via = &mut bookings.joined_via;
    bookings.links.dedup_by(|later, kept| {
        let repeated = later.person == kept.person && later.booking == kept.booking;
        if repeated && later.kind == LinkKind::Match {
            joined_via.push(*later);
        }
        repeated
    });
    joined_via.sort_by_key(|l| (l.person, l.record, l.booking));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::compare::ComparisonVector;
    use crate::matching::RecordIdx;
    use crate::normalize::phone::Line;

    fn link(person: PersonIdx, booking: u32, record: RecordIdx, kind: LinkKind, score: f64) -> PersonLink {
        PersonLink {
            person,
            booking,
            kind,
            record,
            score,
            vector: ComparisonVector::default(),
            tf_adjustment: 0.0,
            phone_line: Line::Other,
        }
    }

    /// Records 0, 1 | 2 | 3 | 4 are persons 0..4; booking 0 ties persons 0
    /// and 2 (records 1 and 3), booking 1 is person 1's alone.
    fn tied() -> (Persons, BookingLinks) {
        let persons = Persons::from_roots(&[0, 0, 2, 3, 4]);
        let mut links = vec![
            link(0, 0, 1, LinkKind::Match, 30.0),
            link(1, 1, 2, LinkKind::Match, 20.0),
            link(2, 0, 3, LinkKind::Match, 25.0),
            link(2, 2, 3, LinkKind::Possible(crate::matching::link::Doubt::Tie), 5.0),
            link(3, 3, 4, LinkKind::Match, 12.0),
        ];
        links.sort_by_key(|l| (l.person, l.booking));
        let halves = vec![(1, 3)];
        (persons, BookingLinks { links, halves, ..BookingLinks::default() })
    }

    #[test]
    fn tied_persons_become_one_and_later_persons_move_down() {
        let (mut persons, mut bookings) = tied();
        let mut households = HouseholdSplits { pairs: vec![(3, 1)], ..HouseholdSplits::default() };
        assert_eq!(join(&mut persons, &mut bookings, &mut households), 1);
        assert_eq!(persons.len(), 3);
        assert_eq!(persons.members(0), &[0, 1, 3]);
        assert_eq!(persons.members(1), &[2]);
        assert_eq!(persons.members(2), &[4]);
        assert_eq!(households.pairs, vec![(2, 1)], "the household pairs follow the numbering");
        let kept: Vec<(PersonIdx, u32, RecordIdx)> =
            bookings.links.iter().map(|l| (l.person, l.booking, l.record)).collect();
        assert_eq!(kept, vec![(0, 0, 1), (0, 2, 3), (1, 1, 2), (2, 3, 4)], "one link per booking, the best match");
        let via: Vec<(PersonIdx, u32, RecordIdx)> =
            bookings.joined_via.iter().map(|l| (l.person, l.booking, l.record)).collect();
        assert_eq!(via, vec![(0, 0, 3)], "the match that went says how record 3 joined");
        assert!(bookings.halves.is_empty());
    }

    #[test]
    fn without_ties_nothing_moves() {
        let (mut persons, mut bookings) = tied();
        bookings.halves.clear();
        let before = (persons.clone(), bookings.links.clone());
        assert_eq!(join(&mut persons, &mut bookings, &mut HouseholdSplits::default()), 0);
        assert_eq!((persons, bookings.links), before);
    }

    #[test]
    fn ties_chain_into_one_person_whatever_their_order() {
        for halves in [vec![(4, 3), (0, 4)], vec![(0, 4), (4, 3)]] {
            let (mut persons, mut bookings) = tied();
            bookings.halves = halves;
            assert_eq!(join(&mut persons, &mut bookings, &mut HouseholdSplits::default()), 2);
            assert_eq!(persons.len(), 2);
            assert_eq!(persons.members(0), &[0, 1, 3, 4]);
            assert_eq!(persons.members(1), &[2]);
        }
    }
}
