//! Which contacts of a row without a name are a household's: also given
//! by named records of two or more persons, so the contact identity rule
//! links nothing by them (a booking they fit goes to review).
//!
//! Invariant: the answer for a record depends only on the record store,
//! the persons and the index, never on thread count.

use rayon::prelude::*;

use super::super::block::{key_hash, KeyKind};
use super::super::compare::has_name;
use super::super::index::RecordIndex;
use super::super::score::Identity;
use super::super::{Persons, RecordIdx};
use crate::normalize::address::two_flats;
use crate::normalize::store::RecordStore;
use crate::normalize::RecordView;

/// Which contacts of a row without a name are a household's: also given by
/// named records of two or more persons (the clustering's persons).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SharedContacts {
    pub email: bool,
    pub phone: bool,
    /// The birth date and the home together (twins living together).
    pub birth_and_home: bool,
    /// The home (the street address to the house number): also given by
    /// named rows of two persons, or the row's own person gives a name.
    /// For the home alone (`Identity::Home`), the row's person's name says
    /// which resident it is, and a booking under another name is another
    /// resident's (counted: such links on the second generator's
    /// once-leaked sparse file were 2 false of 4).
    pub home: bool,
}

impl SharedContacts {
    /// Whether the contact that the identity rule links by is a household's.
    pub(super) fn holds(self, identity: Identity) -> bool {
        match identity {
            // A passport number is issued to one person: never a household's.
            Identity::Passport => false,
            Identity::Email => self.email,
            Identity::Phone => self.phone,
            Identity::BirthAndHome => self.birth_and_home,
            Identity::Home => self.home,
        }
    }
}

/// For every record without a name: whether its email, whether its phone,
/// whether its birth date and home together, and whether its home, are
/// also given by named records of two or more persons (the home also when
/// the row's own person gives a name: [`SharedContacts::home`]). Such a
/// contact is a household's (or a company's): it does not say which of them
/// the row is, so the identity rule links nothing by it (a booking it fits
/// goes to review instead). Each contact is judged on its own: a row that
/// carries the household's landline beside an email only one member gives
/// is that member's by the email (on the 36-setting grid the row-wide flag
/// sent such rows to no booking; see README "Linking").
///
/// A key that more records give than `block_cap` counts as shared whoever
/// gives it (a store's phone, an office building). This guards the cost:
/// walking such a block once per row without a name in it costs the
/// square of its size. It changes no link in practice: the linker does not
/// probe an over-cap block, and a row found through another key agrees on
/// that key too, which with the contact weighs above the threshold.
pub fn shared_contacts(
    records: &RecordStore,
    persons: &Persons,
    index: &RecordIndex,
    block_cap: usize,
) -> Vec<SharedContacts> {
    let holders = Holders { records, persons, index, block_cap };
    (0..records.len())
        .into_par_iter()
        .map_init(String::new, |key, record_index| {
            let record = &records.get(record_index);
            if has_name(record) {
                return SharedContacts::default();
            }
            let any = |_: &RecordView<'_>| true;
            // The address key is the house: a neighbour in another flat of
            // the building (`two_flats`) is no resident of this home.
            let same_flat = |other: &RecordView<'_>| !two_flats(record.address.building, other.address.building);
            let born_that_day = |other: &RecordView<'_>| {
                same_flat(other) && record.birth_date.is_some_and(|b| other.birth_date == Some(b))
            };
            let home_held_by_two = holders.held_by_two(KeyKind::Address, record, key, &same_flat);
            SharedContacts {
                email: holders.held_by_two(KeyKind::Email, record, key, &any),
                phone: holders.held_by_two(KeyKind::Phone, record, key, &any),
                // Twins at the home are two persons at it: the birth date
                // filter is walked only where the home is held by two.
                birth_and_home: home_held_by_two && holders.held_by_two(KeyKind::Address, record, key, &born_that_day),
                home: home_held_by_two || holders.person_has_a_name(record_index as RecordIdx),
            }
        })
        .collect()
}

/// Where the holders of a key are looked up.
struct Holders<'a> {
    records: &'a RecordStore,
    persons: &'a Persons,
    index: &'a RecordIndex,
    block_cap: usize,
}

impl Holders<'_> {
    /// Whether some record of `record`'s person gives a name in any script.
    fn person_has_a_name(&self, record: RecordIdx) -> bool {
        let person = self.persons.person_of(record);
        self.persons.members(person).iter().any(|&m| has_name(&self.records.get(m as usize)))
    }

    /// Whether named records of two or more persons that `also` accepts
    /// share `record`'s `kind` key, or more records than the block cap do.
    fn held_by_two(
        &self,
        kind: KeyKind,
        record: &RecordView<'_>,
        key: &mut String,
        also: &dyn Fn(&RecordView<'_>) -> bool,
    ) -> bool {
        if !kind.write_key(record, 0, key) {
            return false;
        }
        let block = self.index.candidates(kind, key_hash(kind, key));
        if block.len() > self.block_cap {
            return true;
        }
        let mut first = None;
        for entry in block {
            let other = &self.records.get(entry.record() as usize);
            if !has_name(other) || !kind.same_key(record, 0, other, entry.variant()) || !also(other) {
                continue;
            }
            let person = self.persons.person_of(entry.record());
            match first {
                None => first = Some(person),
                Some(seen) if seen != person => return true,
                Some(_) => {}
            }
        }
        false
    }
}
