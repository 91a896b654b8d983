//! Deduplication: recovered rows that share an exact key become one person.
//!
//! Union-find over the key entries; the root of a cluster is always its
//! smallest record, so the grouping is the same whatever order the unions
//! run in. Equal hashes are verified against the key text before a union.

use super::block::KeyEntry;
use super::{Persons, RecordIdx};
use crate::normalize::NormalizedRecord;

/// Union-find over record indexes; roots are cluster minima.
struct UnionFind {
    parent: Vec<RecordIdx>,
}

impl UnionFind {
    fn new(len: usize) -> UnionFind {
        UnionFind { parent: (0..len as RecordIdx).collect() }
    }

    fn find(&mut self, mut x: RecordIdx) -> RecordIdx {
        while self.parent[x as usize] != x {
            // Path halving keeps trees shallow without recursion.
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    fn union(&mut self, a: RecordIdx, b: RecordIdx) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (small, large) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[large as usize] = small;
        }
    }
}

/// Groups `records` into persons using their sorted key `entries`.
pub fn group(records: &[NormalizedRecord], entries: &[KeyEntry]) -> Persons {
    let mut uf = UnionFind::new(records.len());
    let (mut key_a, mut key_b) = (String::new(), String::new());
    let mut pending: Vec<(RecordIdx, u8)> = Vec::new();
    let mut rest: Vec<(RecordIdx, u8)> = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let (kind, hash) = (entries[start].kind, entries[start].hash);
        let end = start + entries[start..].iter().take_while(|e| e.kind == kind && e.hash == hash).count();
        if end - start > 1 {
            pending.clear();
            pending.extend(entries[start..end].iter().map(|e| (e.record, e.variant)));
            // Split the run by key text: a hash collision must not merge.
            while let Some((&(first, first_variant), others)) = pending.split_first() {
                kind.write_key(&records[first as usize], first_variant, &mut key_a);
                rest.clear();
                for &(other, other_variant) in others {
                    kind.write_key(&records[other as usize], other_variant, &mut key_b);
                    if key_a == key_b {
                        uf.union(first, other);
                    } else {
                        rest.push((other, other_variant));
                    }
                }
                std::mem::swap(&mut pending, &mut rest);
            }
        }
        start = end;
    }
    let roots: Vec<RecordIdx> = (0..records.len() as RecordIdx).map(|r| uf.find(r)).collect();
    Persons::from_roots(&roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::block::key_entries;
    use crate::normalize::date::parse_iso;

    fn record(email: &str, phone: &str, birth: &str) -> NormalizedRecord {
        let mut record = NormalizedRecord { phone: phone.into(), birth_date: parse_iso(birth), ..Default::default() };
        record.email.key = email.into();
        record
    }

    #[test]
    fn shared_keys_chain_into_one_person() {
        let records = vec![
            record("a@x.jp", "", "1980-01-02"),
            record("other@x.jp", "0312345678", "1970-01-01"),
            record("a@x.jp", "0901111222", "1980-01-02"),
            record("", "0901111222", "1980-01-02"),
        ];
        let persons = group(&records, &key_entries(&records));
        assert_eq!(persons.len(), 2);
        assert_eq!(persons.members(0), &[0, 2, 3]);
        assert_eq!(persons.members(1), &[1]);
    }

    #[test]
    fn same_email_different_birth_date_stays_apart() {
        let records = vec![record("family@x.jp", "", "1980-01-02"), record("family@x.jp", "", "2010-05-05")];
        assert_eq!(group(&records, &key_entries(&records)).len(), 2);
    }
}
