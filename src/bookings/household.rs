//! A household's row without a name, split off its person once the bookings
//! say it may be another member's.
//!
//! The clustering joins a row without a name to the named person whose
//! contacts it carries (an email, or a phone with the place: the contact
//! identity rule). Every member of a household gives those contacts, so
//! which member's row it is, the leak alone does not say. The bookings can:
//! when a booking of another name links through that row
//! (`Doubt::HouseholdRow`: the person's named rows give another name), the
//! booker is a member whose row it may be as much as the person's. The row
//! then leaves the person, with the rows without a name joined to it, as a
//! person of its own that carries those possible links; its status is what
//! both readings give (`assess::settle_household_rows`), so neither member
//! is decided silently, and the person's letter no longer carries the
//! other member's contacts.
//!
//! A row stays where it is when a booking of the person's own name (or
//! without a name) links through it too (the person's bookings claim it),
//! or when it is all that joins two of the person's named rows (splitting
//! it would split them).
//!
//! Invariant: the split persons are numbered after every other person, in
//! the order of (person, first record of the group), and the links stay in
//! person order, each person's in booking order: nothing depends on the
//! thread count.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{BookingLinks, LinkKind, PersonLink};
use crate::matching::cluster::{find, ScoredPair};
use crate::matching::compare::has_name;
use crate::matching::link::Doubt;
use crate::matching::{PersonIdx, Persons, RecordIdx};
use crate::normalize::store::RecordStore;

/// Which recovered records give a name in any script, one bit a record:
/// taken before the records are freed, for [`split`].
#[derive(Debug, Default)]
pub struct NamedRecords {
    bits: Vec<u64>,
}

impl NamedRecords {
    pub fn of(records: &RecordStore) -> NamedRecords {
        let mut bits = vec![0u64; records.len().div_ceil(64)];
        for (record, view) in records.iter().enumerate() {
            if has_name(&view) {
                bits[record / 64] |= 1 << (record % 64);
            }
        }
        NamedRecords { bits }
    }

    fn contains(&self, record: RecordIdx) -> bool {
        let record = record as usize;
        self.bits.get(record / 64).is_some_and(|word| word & (1 << (record % 64)) != 0)
    }
}

/// What [`split`] did, for counts.json (`linkage.household_rows`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HouseholdRowCounts {
    /// Records moved into persons of their own.
    pub split: u64,
    /// Rows left in their person: a booking of the person's own also
    /// links through them.
    pub kept_claimed: u64,
    /// Rows left in their person: they alone join two of its named rows.
    pub kept_bridging: u64,
}

/// The persons [`split`] made: each with the person it left.
#[derive(Debug, Default)]
pub struct HouseholdSplits {
    /// (the person left, the new person), in new-person order.
    pub pairs: Vec<(PersonIdx, PersonIdx)>,
    pub counts: HouseholdRowCounts,
}

/// Splits the household rows off their persons (module documentation):
/// `persons` gains the new persons, `joins` loses the pairs that joined
/// them to the rest, and their household-row links move to them.
pub fn split(
    persons: &mut Persons,
    joins: &mut Vec<ScoredPair>,
    bookings: &mut BookingLinks,
    named: &NamedRecords,
) -> HouseholdSplits {
    let mut flagged: Vec<(PersonIdx, RecordIdx)> = bookings
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Possible(Doubt::HouseholdRow) && persons.members(l.person).len() > 1)
        .map(|l| (l.person, l.record))
        .collect();
    if flagged.is_empty() {
        return HouseholdSplits::default();
    }
    flagged.sort_unstable();
    flagged.dedup();
    let mut joins_of: FxHashMap<PersonIdx, Vec<(RecordIdx, RecordIdx)>> = FxHashMap::default();
    for (person, _) in &flagged {
        joins_of.entry(*person).or_default();
    }
    for join in joins.iter() {
        if let Some(list) = joins_of.get_mut(&persons.person_of(join.a)) {
            list.push((join.a, join.b));
        }
    }
    let mut counts = HouseholdRowCounts::default();
    let (mut groups, mut from) = (Vec::new(), Vec::new());
    for rows in flagged.chunk_by(|a, b| a.0 == b.0) {
        let person = rows[0].0;
        let local = PersonGraph::new(persons.members(person), &joins_of[&person]);
        let mut person_groups: Vec<Vec<RecordIdx>> = Vec::new();
        for &(_, row) in rows {
            // The rule links through rows without a name only; a named row
            // is the person's by its name, and stays.
            if !named.contains(row) && !person_groups.iter().any(|g| g.contains(&row)) {
                person_groups.push(local.nameless_group(row, named));
            }
        }
        if person_groups.is_empty() {
            continue;
        }
        let moving: Vec<RecordIdx> = person_groups.iter().flatten().copied().collect();
        let rows_moving = moving.len() as u64;
        if claimed_by_own_booking(bookings, person, &moving) {
            counts.kept_claimed += rows_moving;
        } else if !local.connected_without(&moving) {
            counts.kept_bridging += rows_moving;
        } else {
            counts.split += rows_moving;
            person_groups.sort_unstable_by_key(|g| g[0]);
            from.extend(std::iter::repeat_n(person, person_groups.len()));
            groups.extend(person_groups);
        }
    }
    let new_persons = persons.split_off(&groups);
    joins.retain(|j| persons.person_of(j.a) == persons.person_of(j.b));
    // The new persons come after every other, so their links go to the
    // end, the rest staying in order (no sort of every link). Stable: each
    // person's links stay in booking order.
    let mut moved = Vec::new();
    bookings.links.retain(|link| {
        let now = persons.person_of(link.record);
        let moves = link.kind == LinkKind::Possible(Doubt::HouseholdRow) && now != link.person;
        if moves {
            moved.push(PersonLink { person: now, ..*link });
        }
        !moves
    });
    moved.sort_by_key(|l| l.person);
    bookings.links.extend(moved);
    HouseholdSplits { pairs: from.into_iter().zip(new_persons).collect(), counts }
}

/// Whether a link of `person` other than a household row's goes through
/// one of `rows`: a booking of its own name (or of none) scored best there.
fn claimed_by_own_booking(bookings: &BookingLinks, person: PersonIdx, rows: &[RecordIdx]) -> bool {
    let start = bookings.links.partition_point(|l| l.person < person);
    bookings.links[start..]
        .iter()
        .take_while(|l| l.person == person)
        .any(|l| l.kind != LinkKind::Possible(Doubt::HouseholdRow) && rows.contains(&l.record))
}

/// One person's records and the joins between them, as positions in its
/// member list (a person has a handful of records).
struct PersonGraph<'a> {
    members: &'a [RecordIdx],
    edges: Vec<(usize, usize)>,
}

impl<'a> PersonGraph<'a> {
    fn new(members: &'a [RecordIdx], joins: &[(RecordIdx, RecordIdx)]) -> PersonGraph<'a> {
        let at = |record: RecordIdx| members.binary_search(&record).ok();
        let edges = joins.iter().filter_map(|&(a, b)| Some((at(a)?, at(b)?))).collect();
        PersonGraph { members, edges }
    }

    /// `row` and the rows without a name joined to it through rows
    /// without a name, ascending.
    fn nameless_group(&self, row: RecordIdx, named: &NamedRecords) -> Vec<RecordIdx> {
        let Ok(start) = self.members.binary_search(&row) else {
            return vec![row];
        };
        let roots = self.components(|i| !named.contains(self.members[i]));
        (0..self.members.len()).filter(|&i| roots[i] == roots[start]).map(|i| self.members[i]).collect()
    }

    /// Whether the records other than `moving` stay joined into one.
    fn connected_without(&self, moving: &[RecordIdx]) -> bool {
        let stays = |i: usize| !moving.contains(&self.members[i]);
        let roots = self.components(stays);
        let mut staying = (0..self.members.len()).filter(|&i| stays(i)).map(|i| roots[i]);
        let first = staying.next();
        staying.all(|root| Some(root) == first)
    }

    /// Each position's component (its root) under the joins whose two
    /// records `keep` accepts; a position it refuses is alone.
    fn components(&self, keep: impl Fn(usize) -> bool) -> Vec<u32> {
        let mut parent: Vec<u32> = (0..self.members.len() as u32).collect();
        for &(a, b) in &self.edges {
            if keep(a) && keep(b) {
                let (a, b) = (find(&mut parent, a as u32), find(&mut parent, b as u32));
                // The smaller root wins: the result does not depend on the
                // order of the joins.
                parent[a.max(b) as usize] = a.min(b);
            }
        }
        (0..self.members.len() as u32).map(|i| find(&mut parent, i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::compare::ComparisonVector;
    use crate::normalize::phone::Line;

    fn named(flags: &[bool]) -> NamedRecords {
        let mut bits = vec![0u64; flags.len().div_ceil(64)];
        for (record, _) in flags.iter().enumerate().filter(|(_, named)| **named) {
            bits[record / 64] |= 1 << (record % 64);
        }
        NamedRecords { bits }
    }

    fn join(a: RecordIdx, b: RecordIdx) -> ScoredPair {
        ScoredPair {
            a,
            b,
            weight: 20.0,
            vector: ComparisonVector::default(),
            tf_adjustment: 0.0,
            phone_line: Line::Other,
        }
    }

    fn link(person: PersonIdx, booking: u32, record: RecordIdx, kind: LinkKind) -> PersonLink {
        PersonLink {
            person,
            booking,
            kind,
            record,
            score: 10.0,
            vector: ComparisonVector::default(),
            tf_adjustment: 0.0,
            phone_line: Line::Other,
        }
    }

    const HOUSEHOLD: LinkKind = LinkKind::Possible(Doubt::HouseholdRow);

    /// Records 0 (named) and 1, 2 (no name, 2 a copy of 1) are person 0;
    /// record 3 is person 1. Booking 0 is person 0's; booking 1 links
    /// through record 1 as a household row; `extra` adds links.
    fn household(extra: &[PersonLink]) -> (Persons, Vec<ScoredPair>, BookingLinks, HouseholdSplits) {
        let mut persons = Persons::from_roots(&[0, 0, 0, 3]);
        let mut joins = vec![join(0, 1), join(1, 2)];
        let mut links = vec![link(0, 0, 0, LinkKind::Match), link(0, 1, 1, HOUSEHOLD), link(1, 2, 3, LinkKind::Match)];
        links.extend_from_slice(extra);
        let mut bookings = BookingLinks { links, ..BookingLinks::default() };
        bookings.links.sort_by_key(|l| (l.person, l.booking));
        let splits = split(&mut persons, &mut joins, &mut bookings, &named(&[true, false, false, true]));
        (persons, joins, bookings, splits)
    }

    #[test]
    fn a_household_row_and_its_copies_leave_the_person_with_their_links() {
        let (persons, joins, bookings, splits) = household(&[]);
        assert_eq!(persons.len(), 3);
        assert_eq!(persons.members(0), &[0]);
        assert_eq!(persons.members(2), &[1, 2]);
        assert_eq!(splits.pairs, vec![(0, 2)]);
        assert_eq!(splits.counts, HouseholdRowCounts { split: 2, kept_claimed: 0, kept_bridging: 0 });
        let kept: Vec<(RecordIdx, RecordIdx)> = joins.iter().map(|j| (j.a, j.b)).collect();
        assert_eq!(kept, vec![(1, 2)], "the join to the named row is undone, the copy's kept");
        let moved: Vec<(PersonIdx, u32)> = bookings.links.iter().map(|l| (l.person, l.booking)).collect();
        assert_eq!(moved, vec![(0, 0), (1, 2), (2, 1)], "links stay in person order");
    }

    #[test]
    fn a_row_a_booking_of_the_persons_own_links_through_stays() {
        let (persons, joins, _, splits) = household(&[link(0, 3, 2, LinkKind::Match)]);
        assert_eq!(persons.len(), 2);
        assert_eq!(persons.members(0), &[0, 1, 2]);
        assert_eq!(joins.len(), 2);
        assert!(splits.pairs.is_empty());
        assert_eq!(splits.counts.kept_claimed, 2);
    }

    #[test]
    fn a_row_that_alone_joins_two_named_rows_stays() {
        let mut persons = Persons::from_roots(&[0, 0, 0]);
        let mut joins = vec![join(0, 1), join(1, 2)];
        let mut bookings = BookingLinks { links: vec![link(0, 0, 1, HOUSEHOLD)], ..BookingLinks::default() };
        let splits = split(&mut persons, &mut joins, &mut bookings, &named(&[true, false, true]));
        assert_eq!(persons.len(), 1);
        assert_eq!(splits.counts, HouseholdRowCounts { split: 0, kept_claimed: 0, kept_bridging: 1 });
        assert_eq!(bookings.links[0].person, 0);
    }
}
