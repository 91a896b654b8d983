//! The link decision for one booking.
//!
//! First linker: a booking is linked to a person when one of its exact keys
//! (block.rs) equals one of the person's. Its score is the number of keys
//! that agree. Keys pointing at two or more different persons make the link
//! only possible, for each of them (review), never a guess.
//!
//! Invariant: [`Linker::decide`] is a pure function of the booking and the
//! index, safe to call from many threads; its output lists persons in
//! ascending order.

use super::block::{key_hash, KeyKind, KeySet};
use super::index::PersonIndex;
use super::PersonIdx;
use crate::normalize::NormalizedRecord;

/// One booking–person link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub person: PersonIdx,
    pub score: f64,
    /// Which keys agreed.
    pub agreeing: KeySet,
}

/// What the linker decided for one booking.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkDecision {
    /// No person shares a key with the booking.
    Unlinked,
    /// A link above the match threshold.
    Match(Link),
    /// Possible links only (review), ascending by person.
    Possible(Vec<Link>),
}

/// Buffers a worker reuses across bookings.
#[derive(Debug, Default)]
pub struct LinkScratch {
    key: String,
    record_key: String,
    candidates: Vec<(PersonIdx, KeySet)>,
}

/// Links bookings to the persons of the recovered file.
pub struct Linker<'a> {
    records: &'a [NormalizedRecord],
    index: &'a PersonIndex,
}

impl<'a> Linker<'a> {
    pub fn new(records: &'a [NormalizedRecord], index: &'a PersonIndex) -> Linker<'a> {
        Linker { records, index }
    }

    /// Decides the link of one normalized booking.
    pub fn decide(&self, booking: &NormalizedRecord, scratch: &mut LinkScratch) -> LinkDecision {
        scratch.candidates.clear();
        for kind in KeyKind::ALL {
            for variant in 0..kind.variants() {
                if kind.write_key(booking, variant, &mut scratch.key) {
                    self.collect(kind, scratch);
                }
            }
        }
        let link =
            |&(person, agreeing): &(PersonIdx, KeySet)| Link { person, score: f64::from(agreeing.len()), agreeing };
        match scratch.candidates.as_slice() {
            [] => LinkDecision::Unlinked,
            [only] => LinkDecision::Match(link(only)),
            several => {
                let mut links: Vec<Link> = several.iter().map(link).collect();
                links.sort_by_key(|l| l.person);
                LinkDecision::Possible(links)
            }
        }
    }

    /// Adds the persons whose `kind` key equals `scratch.key` to the candidates.
    fn collect(&self, kind: KeyKind, scratch: &mut LinkScratch) {
        for entry in self.index.candidates(kind, key_hash(kind, &scratch.key)) {
            kind.write_key(&self.records[entry.record as usize], entry.variant, &mut scratch.record_key);
            if scratch.record_key != scratch.key {
                continue;
            }
            match scratch.candidates.iter_mut().find(|(p, _)| *p == entry.person) {
                Some((_, agreeing)) => agreeing.insert(kind),
                None => {
                    let mut agreeing = KeySet::default();
                    agreeing.insert(kind);
                    scratch.candidates.push((entry.person, agreeing));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::block::key_entries;
    use crate::matching::dedup::group;
    use crate::normalize::date::parse_iso;

    fn record(email: &str, passport: &str, birth: &str) -> NormalizedRecord {
        let mut record =
            NormalizedRecord { passport_number: passport.into(), birth_date: parse_iso(birth), ..Default::default() };
        record.email.key = email.into();
        record
    }

    fn decide(recovered: &[NormalizedRecord], booking: &NormalizedRecord) -> LinkDecision {
        let keys = key_entries(recovered);
        let persons = group(recovered, &keys);
        let index = PersonIndex::build(&keys, &persons);
        Linker::new(recovered, &index).decide(booking, &mut LinkScratch::default())
    }

    #[test]
    fn agreeing_keys_make_a_match_scored_by_their_number() {
        let recovered = vec![record("a@x.jp", "TK1234567", "1980-01-02")];
        match decide(&recovered, &record("a@x.jp", "TK1234567", "1980-01-02")) {
            LinkDecision::Match(link) => {
                assert_eq!(link.person, 0);
                assert_eq!(link.score, 2.0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn keys_pointing_at_two_persons_are_only_possible() {
        let recovered = vec![record("a@x.jp", "", "1980-01-02"), record("", "TK1234567", "1990-01-01")];
        let decision = decide(&recovered, &record("a@x.jp", "TK1234567", "1980-01-02"));
        match decision {
            LinkDecision::Possible(links) => assert_eq!(links.iter().map(|l| l.person).collect::<Vec<_>>(), vec![0, 1]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_shared_key_is_unlinked() {
        let recovered = vec![record("a@x.jp", "", "1980-01-02")];
        assert_eq!(decide(&recovered, &record("a@x.jp", "", "1980-01-03")), LinkDecision::Unlinked);
    }
}
