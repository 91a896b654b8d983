//! Matching: grouping recovered rows into persons and linking bookings to them.
//!
//! The Fellegi–Sunter linker (SPEC section 5): [`block`] (keys that propose
//! pairs), [`pairs`] (candidate and random pairs), [`compare`] (graded
//! levels), [`weights`] + [`train`] + [`tf`] (the model), [`score`] (pair →
//! match weight), [`cluster`] (pairs → persons with the chaining guard),
//! [`duplicates`] (equal rows collapsed before blocking),
//! [`dedup`] (all of that for the recovered file), [`index`] + [`link`]
//! (one booking → a link decision). `cmd/run.rs` only calls
//! [`dedup::deduplicate`] and [`link::Linker::decide`] (through `crate::bookings`).
//!
//! Invariant: persons are numbered by their first row in the recovered file
//! (the rows a run splits off after linking, `bookings::household`, follow
//! all of them, in the order of the person they left; persons a booking
//! ties into one, `bookings::halves`, take the first's place), and every list here
//! is ordered by record or person index, so nothing depends on hash order
//! or thread count.

pub mod block;
pub mod cluster;
pub mod common;
pub mod compare;
pub mod constraints;
pub mod dedup;
pub mod duplicates;
pub mod index;
pub mod levels;
pub mod link;
pub mod pairs;
#[cfg(test)]
mod properties;
pub mod score;
pub mod tf;
pub mod train;
pub mod weights;

/// Index of a record in the recovered file's used rows (0-based).
pub type RecordIdx = u32;
/// Index of a person (0-based; `person_id` is P + index + 1).
pub type PersonIdx = u32;

/// Recovered rows grouped into persons.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Persons {
    /// The person of each record.
    person_of: Vec<PersonIdx>,
    /// Members of person p: `members[offsets[p]..offsets[p + 1]]`, ascending.
    offsets: Vec<u32>,
    members: Vec<RecordIdx>,
}

impl Persons {
    /// Builds the grouping from each record's cluster root, numbering persons
    /// in the order of their first record.
    pub fn from_roots(roots: &[RecordIdx]) -> Persons {
        const UNSET: PersonIdx = PersonIdx::MAX;
        let mut person_of_root = vec![UNSET; roots.len()];
        let mut person_of = Vec::with_capacity(roots.len());
        let mut persons = 0;
        for &root in roots {
            let slot = &mut person_of_root[root as usize];
            if *slot == UNSET {
                *slot = persons;
                persons += 1;
            }
            person_of.push(*slot);
        }
        Persons::from_person_of(person_of, persons as usize)
    }

    /// The grouping of `person_of` (each record's person, below `persons`):
    /// each person's members in record order.
    fn from_person_of(person_of: Vec<PersonIdx>, persons: usize) -> Persons {
        let mut offsets = vec![0u32; persons + 1];
        for &person in &person_of {
            offsets[person as usize + 1] += 1;
        }
        for p in 0..persons {
            offsets[p + 1] += offsets[p];
        }
        let mut fill = offsets.clone();
        let mut members = vec![0; person_of.len()];
        for (record, &person) in person_of.iter().enumerate() {
            members[fill[person as usize] as usize] = record as RecordIdx;
            fill[person as usize] += 1;
        }
        Persons { person_of, offsets, members }
    }

    /// Moves each group of records into a person of its own, numbered after
    /// every person there is, in the order of `groups`; returns their
    /// indexes. A group's records must belong to one person and leave it at
    /// least one (persons are never emptied, so every index stays valid).
    pub fn split_off(&mut self, groups: &[Vec<RecordIdx>]) -> Vec<PersonIdx> {
        let first_new = self.len() as PersonIdx;
        let mut person_of = std::mem::take(&mut self.person_of);
        for (k, group) in groups.iter().enumerate() {
            for &record in group {
                person_of[record as usize] = first_new + k as PersonIdx;
            }
        }
        *self = Persons::from_person_of(person_of, self.len() + groups.len());
        (0..groups.len() as PersonIdx).map(|k| first_new + k).collect()
    }

    /// Joins persons: person p becomes `new_of[p]`, below `persons` (several
    /// persons may become one; every new index must be used).
    pub fn renumber(&mut self, new_of: &[PersonIdx], persons: usize) {
        let mut person_of = std::mem::take(&mut self.person_of);
        for person in &mut person_of {
            *person = new_of[*person as usize];
        }
        *self = Persons::from_person_of(person_of, persons);
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records of a person, ascending.
    pub fn members(&self, person: PersonIdx) -> &[RecordIdx] {
        let p = person as usize;
        &self.members[self.offsets[p] as usize..self.offsets[p + 1] as usize]
    }

    /// The person a record belongs to.
    pub fn person_of(&self, record: RecordIdx) -> PersonIdx {
        self.person_of[record as usize]
    }

    /// Asks for the memory [`Persons::person_of`] reads (`crate::prefetch`).
    pub fn prefetch_person_of(&self, record: RecordIdx) {
        if let Some(person) = self.person_of.get(record as usize) {
            crate::prefetch::prefetch(person);
        }
    }

    /// The person id written to the outputs: `P` and seven digits.
    pub fn person_id(person: PersonIdx) -> String {
        let mut id = String::new();
        Persons::person_id_into(person, &mut id);
        id
    }

    /// [`Persons::person_id`] into `out` (cleared first).
    pub fn person_id_into(person: PersonIdx, out: &mut String) {
        use std::fmt::Write as _;
        out.clear();
        // Writing into a String cannot fail.
        let _ = write!(out, "P{:07}", person as u64 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_are_numbered_by_first_record() {
        let persons = Persons::from_roots(&[0, 1, 0, 3, 1]);
        assert_eq!(persons.len(), 3);
        assert_eq!(persons.members(0), &[0, 2]);
        assert_eq!(persons.members(1), &[1, 4]);
        assert_eq!(persons.members(2), &[3]);
        assert_eq!(persons.person_of(4), 1);
        assert_eq!(Persons::person_id(0), "P0000001");
    }

    #[test]
    fn split_off_numbers_new_persons_after_the_others_and_keeps_the_rest() {
        let mut persons = Persons::from_roots(&[0, 1, 0, 3, 1, 0]);
        let new = persons.split_off(&[vec![2, 5], vec![4]]);
        assert_eq!(new, vec![3, 4]);
        assert_eq!(persons.len(), 5);
        assert_eq!(persons.members(0), &[0]);
        assert_eq!(persons.members(1), &[1]);
        assert_eq!(persons.members(2), &[3]);
        assert_eq!(persons.members(3), &[2, 5]);
        assert_eq!(persons.members(4), &[4]);
        assert_eq!(persons.person_of(5), 3);
        assert_eq!(persons.person_of(0), 0);
    }
}
