//! Deduplication: recovered records → persons, from the scored candidate
//! pairs (SPEC section 5).
//!
//! Pairs at or above the match threshold, and pairs a rule links (the
//! contact identity rule, `score::contact_identity`, the whole name
//! beside a personal contact, `score::name_and_personal_contact_agree`,
//! and the whole name and birth date with nothing against them,
//! `score::name_and_birth_date_agree`),
//! but for a pair of namesakes' shape, the whole name and birth date beside
//! contacts that all differ (`score::only_the_name_and_birth_date_agree`),
//! are joined strongest first
//! (union–find). The chaining guard: a join that would put two different
//! passport numbers, or two incompatible birth dates (neither equal nor one
//! typo apart), or two records scored against each other below the middle
//! of the review band (a namesake and the other person's row, joined
//! through a third row) unless more pairs across the two clusters join as
//! one person's than were scored apart ([`one_persons_pair`]), into one person is refused and
//! counted. Because joins run
//! from the strongest pair down, a refused join is exactly the weakest link
//! of the chain that would have made the conflict: the cluster is split
//! there. A record that fits two such persons equally joins neither
//! (`ambiguous_records`).
//!
//! Invariant: pairs are taken in (weight descending, record ids ascending)
//! order, so the persons do not depend on thread count or hash order.
//! Nothing is allocated per record: neighbour lists are two flat arrays
//! ([`Adjacency`]), a cluster's members a circular list through `next`.

use rayon::prelude::*;
use serde::Serialize;

use super::compare::{compare, compare_birth, has_name, ComparisonVector, PhoneLevel};
use super::score::{
    agreed_phone_line, agrees_wherever_compared, contact_identity, name_and_personal_contact_agree, name_rule,
    only_the_name_and_birth_date_agree, Identity,
};
use super::{Persons, RecordIdx};
use crate::normalize::phone::Line;
use crate::normalize::store::RecordStore;
use crate::normalize::Date;

/// One scored candidate pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoredPair {
    pub a: RecordIdx,
    pub b: RecordIdx,
    pub weight: f64,
    /// What the weight was made of (kept for links.csv).
    pub vector: ComparisonVector,
    pub tf_adjustment: f64,
    /// The kind of the phone number the two agree on (`Score::phone_line`).
    pub phone_line: Line,
}

/// What the clustering reads of a scored candidate pair: 16 bytes, where
/// a [`ScoredPair`] is 40 (the 21.6M candidate pairs of 8,000,000
/// generated persons held as scored pairs were the run's peak).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairWeight {
    pub weight: f64,
    /// A rule links the pair whatever its weight: the contact identity
    /// rule (`score::contact_identity`), the whole name beside the
    /// email, a mobile number or the home
    /// (`score::name_and_personal_contact_agree`), or the whole name and
    /// birth date with nothing against them at or above the review
    /// threshold (`score::name_and_birth_date_agree`). Two rows of the leak are
    /// as much one person's by that evidence as a row and a booking.
    ///
    /// The phone's joins are right less often than the others' (20,000
    /// persons, right / all: grid setting v0.15/m0.15/r3/s7 168 / 251; a
    /// second generator's sparse rows 666 / 715, and 67 / 135 where most
    /// persons are leaked once, the row without a name then as often
    /// another household member's only row). Tried and not kept: turning
    /// them off where the file shows a shared phone is mostly a
    /// household's, estimated from how often a row without a name and a
    /// named row that agree on the phone agree on the email too (against
    /// how often one person's two named rows do, and two members of a
    /// household). It tracked the truth on the second generator's files
    /// (0.21 where 0.50 were right, 0.76 where 0.93 were) but not on the
    /// grid's, whose rows without a name give another mailbox more often
    /// than its named rows do: 0.24 to 0.49 where 0.66 to 0.78 were right,
    /// and dedup F1 fell on 16 of 36 settings (worst 0.9177 → 0.9075, mean
    /// 0.96221 → 0.95826) while affected F1 rose on 14 (mean 0.98613 →
    /// 0.98622): the persons come apart for little.
    /// Without the household correction it turned off on 3 grid settings
    /// (dedup F1 −0.003 to −0.009 there) for +0.0096 on the once-leaked
    /// sparse file. The evidence that would decide it, who else books with
    /// the number, comes only with the bookings, after the clustering.
    /// Nor turning the phone's joins off altogether: affected F1 unchanged
    /// on the grid (mean 0.98634 -> 0.98636, worst 0.9673 -> 0.9670) and up
    /// by 0.0005 on the second generator's once-leaked files, but dedup F1
    /// fell at all 36 settings (mean 0.96751 -> 0.95300, persons +0.5%).
    pub by_rule: bool,
    /// The two rows give the same name and agree on every other field both
    /// give (`score::agrees_wherever_compared`): whatever the weight, the
    /// pair is not "scored apart" (see [`cluster`]).
    pub agrees: bool,
    /// The two rows have the shape of namesakes born the same day
    /// (`score::only_the_name_and_birth_date_agree`): not joined by their
    /// weight, whatever it is. Not "scored apart" either: counted so, it
    /// split one person's rows that a third row joins (worst grid setting,
    /// dedup F1 0.9273 → 0.9233).
    pub namesakes_shape: bool,
}

impl PairWeight {
    /// `review_weight`: the least weight the whole name and birth date rule
    /// links at (`score::name_rule`), as in the linker.
    pub fn of(weight: f64, vector: &ComparisonVector, phone_line: Line, review_weight: f64) -> PairWeight {
        PairWeight {
            weight,
            by_rule: contact_identity(vector, phone_line).is_some()
                || name_rule(vector, phone_line, weight, review_weight).is_some(),
            agrees: agrees_wherever_compared(vector),
            namesakes_shape: only_the_name_and_birth_date_agree(vector),
        }
    }
}

/// A pair the clustering may join: its records and weight.
#[derive(Clone, Copy, Debug)]
struct Edge {
    a: RecordIdx,
    b: RecordIdx,
    weight: f64,
}

/// Clustering figures for counts.json.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClusterStats {
    /// Pairs at or above the match threshold.
    pub pairs_above_threshold: u64,
    /// Joins that merged two clusters.
    pub joins: u64,
    /// Joins refused because the clusters hold different passport numbers.
    pub split_passport: u64,
    /// Joins refused because the clusters hold incompatible birth dates.
    pub split_birth_date: u64,
    /// Joins refused because a pair across the clusters scored below the
    /// `apart` weight (and no more pairs across them join).
    pub split_scored_apart: u64,
    /// Joins made although a pair across the clusters scored below the
    /// `apart` weight, because more pairs across them join as one person's
    /// ([`one_persons_pair`]).
    pub joined_over_apart: u64,
    /// Records that fit two persons equally (see [`ambiguous_records`]) and
    /// join neither.
    pub split_ambiguous: u64,
    /// Pairs above the threshold not joined because a record was ambiguous.
    pub ambiguous_pairs: u64,
    /// Pairs of a named record and a row without a name taken after every
    /// other pair because another row of the record's name was scored
    /// apart from that row (see [`nameless_pairs_outranked`]).
    pub nameless_outranked: u64,
}

/// What the guard keeps per cluster: its passport number (at most one) and
/// its distinct birth dates (compatible with each other); the first date
/// inline, so a cluster of one allocates nothing. One per record, so it is
/// kept at 24 bytes (the further dates, rare, behind one pointer: with a
/// `Vec` inline it was 40 bytes, 145 MB more on 9,000,000 records).
#[derive(Clone, Debug, Default)]
struct Summary {
    passport: Option<RecordIdx>,
    first_birth: Option<Date>,
    #[expect(clippy::box_collection, reason = "one pointer inline: a Vec is three (see above)")]
    more_births: Option<Box<Vec<Date>>>,
}

const _: () = assert!(size_of::<Summary>() <= 24);

impl Summary {
    /// The summary of each record, a cluster of one.
    fn of_each(records: &RecordStore) -> Vec<Summary> {
        let summary = |i: usize| {
            let r = records.get(i);
            Summary {
                passport: (!r.passport_number.is_empty()).then_some(i as RecordIdx),
                first_birth: r.birth_date,
                more_births: None,
            }
        };
        (0..records.len()).into_par_iter().map(summary).collect()
    }

    fn births(&self) -> impl Iterator<Item = Date> + '_ {
        self.first_birth.into_iter().chain(self.more_births.iter().flat_map(|more| more.iter().copied()))
    }

    /// Takes in the passport and birth dates of a cluster merged into this one.
    fn absorb(&mut self, other: Summary) {
        self.passport = self.passport.or(other.passport);
        for birth in other.births() {
            if self.first_birth.is_none() {
                self.first_birth = Some(birth);
            } else if !self.births().any(|b| b == birth) {
                self.more_births.get_or_insert_default().push(birth);
            }
        }
    }
}

/// Per-record lists in two flat arrays: record r's list is
/// `items[offsets[r]..offsets[r + 1]]`, in the order the edges came.
/// Offsets are u32 (one per record: 36 MB less on 9,000,000 records than
/// usize); more than 4,294,967,295 list items would be more candidate
/// pairs than any machine this runs on holds.
struct Adjacency<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy + Default> Adjacency<T> {
    /// From edges `(a, item for a's list, b, item for b's list)`.
    fn build<I>(records: usize, edges: I) -> Adjacency<T>
    where
        I: Iterator<Item = (RecordIdx, T, RecordIdx, T)> + Clone,
    {
        let mut offsets = vec![0u32; records + 1];
        for (a, _, b, _) in edges.clone() {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for r in 0..records {
            offsets[r + 1] = offsets[r].checked_add(offsets[r + 1]).expect("fewer than 2^32 list items");
        }
        let mut fill = offsets[..records].to_vec();
        let mut items = vec![T::default(); offsets[records] as usize];
        for (a, for_a, b, for_b) in edges {
            items[fill[a as usize] as usize] = for_a;
            fill[a as usize] += 1;
            items[fill[b as usize] as usize] = for_b;
            fill[b as usize] += 1;
        }
        Adjacency { offsets, items }
    }

    fn of(&self, record: RecordIdx) -> &[T] {
        &self.items[self.offsets[record as usize] as usize..self.offsets[record as usize + 1] as usize]
    }
}

/// The result of clustering.
#[derive(Debug, Default)]
pub struct Clusters {
    pub persons: Persons,
    /// The pairs that joined two clusters, in join order.
    pub joins: Vec<(RecordIdx, RecordIdx)>,
    pub stats: ClusterStats,
}

/// The edges the clustering walks, taken out of the scored pairs.
struct Edges {
    /// Pairs that may join, heaviest first, without those of an ambiguous
    /// record.
    strong: Vec<Edge>,
    /// Per record, the records it was scored apart from.
    against: Adjacency<RecordIdx>,
    /// Per record, the records `strong` may join it to.
    joining: Adjacency<RecordIdx>,
    stats: ClusterStats,
}

impl Edges {
    /// Sorts the pairs into those that may join and those scored apart.
    fn of(
        records: &RecordStore,
        pairs: Vec<(RecordIdx, RecordIdx)>,
        weights: Vec<PairWeight>,
        threshold: f64,
        apart: f64,
    ) -> Edges {
        debug_assert_eq!(pairs.len(), weights.len());
        let scored = || pairs.iter().zip(&weights).map(|(&(a, b), w)| (Edge { a, b, weight: w.weight }, w));
        // A pair a rule links is not scored apart, whatever its weight: a row
        // with only an email scores under the review band against its own
        // person (one field never outweighs the prior), and counting that as
        // "apart" made the guard refuse the very join the rule asks for.
        // Nor is a pair that gives the same name and agrees on every other
        // field both give: its weight is low because little was compared (a
        // name beside a postal code and address, against the name beside a
        // birth date and an email), and missing is not different. Counted
        // apart, it made a row without a name that fits both (the email of
        // one, the address of the other) ambiguous, and the person stayed
        // split in three (second generator, sparse files).
        let apart_pairs =
            scored().filter(|(p, w)| p.weight < apart && !w.by_rule && !w.agrees).map(|(p, _)| (p.a, p.b, p.b, p.a));
        let against = Adjacency::build(records.len(), apart_pairs);
        let mut strong: Vec<Edge> = scored()
            .filter(|(p, w)| (p.weight >= threshold && !w.namesakes_shape) || w.by_rule)
            .map(|(p, _)| p)
            .collect();
        drop((pairs, weights));
        // Equal edges are indistinguishable, so the unstable sort's order is
        // the one order whatever the thread count.
        strong.par_sort_unstable_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
        let pairs_above_threshold = strong.len() as u64;
        let outranked = nameless_pairs_outranked(records, &strong, &against);
        let ambiguous = ambiguous_records(records, &strong, &against, &outranked);
        // An outranked pair is taken after every other (its record's own
        // row first), in the same relative order: still one order.
        let (mut kept, mut later) = (Vec::with_capacity(strong.len()), Vec::new());
        for (edge, outranked) in strong.into_iter().zip(&outranked) {
            if !ambiguous[edge.a as usize] && !ambiguous[edge.b as usize] {
                if *outranked {
                    later.push(edge)
                } else {
                    kept.push(edge)
                }
            }
        }
        let nameless_outranked = later.len() as u64;
        kept.append(&mut later);
        let strong = kept;
        let stats = ClusterStats {
            pairs_above_threshold,
            split_ambiguous: ambiguous.iter().filter(|a| **a).count() as u64,
            ambiguous_pairs: pairs_above_threshold - strong.len() as u64,
            nameless_outranked,
            ..Default::default()
        };
        let joining = Adjacency::build(records.len(), strong.iter().map(|p| (p.a, p.b, p.b, p.a)));
        Edges { strong, against, joining, stats }
    }
}

/// Groups records into persons from `pairs` (any order) and their
/// `weights` (one each): pairs at or above `threshold` join; two clusters
/// holding a pair scored below `apart` are never joined. Both are dropped
/// once the pairs that can join and the pairs scored apart are taken out
/// of them, before the per-record arrays are made.
pub fn cluster(
    records: &RecordStore,
    pairs: Vec<(RecordIdx, RecordIdx)>,
    weights: Vec<PairWeight>,
    threshold: f64,
    apart: f64,
) -> Clusters {
    let Edges { strong, against, joining, mut stats } = Edges::of(records, pairs, weights, threshold, apart);
    // Members of a cluster: a circular list through `next`, from its root.
    let mut next: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
    let mut size = vec![1u32; records.len()];
    let mut parent: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
    let mut summaries = Summary::of_each(records);
    let mut joins = Vec::new();
    for pair in strong {
        let (ra, rb) = (find(&mut parent, pair.a), find(&mut parent, pair.b));
        if ra == rb {
            continue;
        }
        let (sa, sb) = (&summaries[ra as usize], &summaries[rb as usize]);
        if let (Some(x), Some(y)) = (sa.passport, sb.passport) {
            if records.get(x as usize).passport_number != records.get(y as usize).passport_number {
                stats.split_passport += 1;
                continue;
            }
        }
        let incompatible = sa.births().any(|x| sb.births().any(|y| !compare_birth(Some(x), Some(y)).is_compatible()));
        if incompatible {
            stats.split_birth_date += 1;
            continue;
        }
        let (small, other) = if size[ra as usize] <= size[rb as usize] { (ra, rb) } else { (rb, ra) };
        let (apart_pairs, unvouched) = apart_pairs(records, (small, other), &next, &against, &joining, &mut parent);
        if apart_pairs > 0 {
            let apart_pairs = unvouched;
            let one_persons = |a, b| one_persons_pair(records, a, b);
            if pairs_across(small, other, &next, &joining, &mut parent, one_persons) <= apart_pairs {
                stats.split_scored_apart += 1;
                continue;
            }
            stats.joined_over_apart += 1;
        }
        // The smaller root survives, so roots are first records.
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut summaries[gone as usize]);
        summaries[keep as usize].absorb(moved);
        parent[gone as usize] = keep;
        // Splicing two circular lists: swap the successors of their roots.
        next.swap(keep as usize, gone as usize);
        size[keep as usize] += size[gone as usize];
        stats.joins += 1;
        joins.push((pair.a, pair.b));
    }
    let roots: Vec<RecordIdx> = (0..records.len() as RecordIdx).map(|r| find(&mut parent, r)).collect();
    Clusters { persons: Persons::from_roots(&roots), joins, stats }
}

/// How many pairs of `pairs` (listed under both their records) join a
/// member of the cluster rooted at `small` to one of the cluster rooted
/// at `other` and pass `counts`. Each such pair has exactly one end in
/// the smaller cluster: walking its circular list of members through
/// `next` counts each once.
fn pairs_across(
    small: RecordIdx,
    other: RecordIdx,
    next: &[RecordIdx],
    pairs: &Adjacency<RecordIdx>,
    parent: &mut [RecordIdx],
    mut counts: impl FnMut(RecordIdx, RecordIdx) -> bool,
) -> usize {
    let mut count = 0;
    let mut member = small;
    loop {
        for &n in pairs.of(member) {
            if find(parent, n) == other && counts(member, n) {
                count += 1;
            }
        }
        member = next[member as usize];
        if member == small {
            return count;
        }
    }
}

/// Whether two records agree on what one person has and neither a
/// namesake nor a household member shares: the whole name beside a
/// personal contact (`score::name_and_personal_contact_agree`), or, for a
/// row without a name, the email and the phone both exactly the other's
/// with nothing about the person against it (the contact identity rule
/// by the email, `score::contact_identity`, the phone agreeing too).
/// Namesakes share a name (and at times a birth date) under other
/// contacts, a household a contact under other names. A household's
/// family mailbox and line together fit every member's rows: such a row
/// fits two persons scored apart and joins neither (`ambiguous_records`)
/// before any vote. Counted, the rows without a name raised the joins over
/// a pair scored apart on the grid from 19 to 98 (typically a row giving
/// only the email and the phone, kept apart by one row of its person with
/// an older email): dedup F1 up at 18 settings and down at none (mean
/// 0.96705 → 0.96751), affected recall up at 3, no person of two; the
/// second generator and 1,000,000 persons identical.
///
/// The chaining guard's vote: a pair scored apart across two clusters
/// (`against`) keeps them apart unless more pairs across them join as one
/// person's (`pairs_across`, counted by this test). One person's rows give several
/// independent pairs across a split, each of which says "the same
/// person", and one row with a mistyped name scores apart from one of
/// them: one such pair should not veto the rest. Only a pair of one
/// person's votes (the whole name beside a personal contact, or a row
/// without a name giving the other's email and phone): a namesake chain is
/// bridged by rows that fit both namesakes (a name and a birth date), a
/// household by rows without a name (a shared phone or address), and
/// neither bridge is evidence of one person. A tie stays apart.
///
/// Measured on the 36-setting grid (20,000 persons), before this rule,
/// counting each pair of clusters once: 425 of 635 refusals were between
/// two pieces of one person (mostly at variation 0.15: a row whose kana
/// given name was mistyped beyond "similar" scored apart from its
/// person's other sparse rows, and the two pieces then tied on the booking
/// and went to review). With the rule, named pairs voting only, 19 joins
/// over a pair scored apart, none of two persons (with the rows without a
/// name, above): dedup F1 up on 11 settings, down on none (mean
/// 0.96691 → 0.96703), affected recall and F1 up at the worst setting
/// (0.9420 → 0.9424, 0.9671 → 0.9673); the second generator's files and
/// 1,000,000 persons identical. Tried first and not kept, every joining
/// pair voting: 272 of the 425 refusals outvoted (dedup F1 mean 0.96818,
/// down on 2 settings), but also 9 of the 210 between two persons, and it
/// joined two namesakes born the same day at 1,000,000 persons (through
/// two rows of a name and a birth date only) and a household's two
/// members on the second generator (through rows without a name).
fn one_persons_pair(records: &RecordStore, a: RecordIdx, b: RecordIdx) -> bool {
    let (a, b) = (records.get(a as usize), records.get(b as usize));
    let vector = compare(&a, &b);
    let line = agreed_phone_line(&vector, || a.phone);
    name_and_personal_contact_agree(&vector, line) || mailbox_and_line(&vector, line)
}

/// Whether a pair gives the same email and phone with nothing about the
/// person against it (the contact identity rule by the email, the phone
/// agreeing too).
fn mailbox_and_line(vector: &ComparisonVector, line: Line) -> bool {
    contact_identity(vector, line) == Some(Identity::Email) && vector.phone() == PhoneLevel::Exact
}

/// How many pairs scored apart join a member of the cluster rooted at
/// `small` to one of the cluster rooted at `other` (as [`pairs_across`]
/// counts), and how many of them have no vouched row at either end
/// ([`vouched`]): only those count in the chaining guard's vote
/// ([`one_persons_pair`]). Only the smaller cluster's members and their
/// pairs are walked.
fn apart_pairs(
    records: &RecordStore,
    (small, other): (RecordIdx, RecordIdx),
    next: &[RecordIdx],
    against: &Adjacency<RecordIdx>,
    joining: &Adjacency<RecordIdx>,
    parent: &mut [RecordIdx],
) -> (usize, usize) {
    let (mut all, mut unvouched) = (0, 0);
    let mut member = small;
    loop {
        for &n in against.of(member) {
            if find(parent, n) == other {
                all += 1;
                if !vouched(records, member, other, joining, parent) && !vouched(records, n, small, joining, parent) {
                    unvouched += 1;
                }
            }
        }
        member = next[member as usize];
        if member == small {
            return (all, unvouched);
        }
    }
}

/// Whether `row` has no name and gives exactly the email and the phone of
/// a record of the cluster rooted at `into` ([`mailbox_and_line`], by a
/// pair of `joining`). A pair scored apart with such a row was scored apart
/// for another mailbox or line of that cluster's person, who has both,
/// since the row gives that person's own. Before, such a row (the email and
/// the phone of its person, scored apart from the person's row with an
/// older email) tied one vote against one and stayed alone, though no
/// other person gives that mailbox. Measured (README "Linking"): dedup F1
/// up at 28 grid settings and down at none, 50 more joins on 1,000,000
/// generated persons, none of two persons; the second generator identical.
fn vouched(
    records: &RecordStore,
    row: RecordIdx,
    into: RecordIdx,
    joining: &Adjacency<RecordIdx>,
    parent: &mut [RecordIdx],
) -> bool {
    let view = records.get(row as usize);
    !has_name(&view)
        && joining.of(row).iter().any(|&n| {
            find(parent, n) == into && {
                let vector = compare(&view, &records.get(n as usize));
                mailbox_and_line(&vector, agreed_phone_line(&vector, || view.phone))
            }
        })
}

/// The root of `x` in a union–find forest (`parent[r] == r` at a root),
/// halving the path as it goes.
pub(crate) fn find(parent: &mut [RecordIdx], mut x: RecordIdx) -> RecordIdx {
    while parent[x as usize] != x {
        let grandparent = parent[parent[x as usize] as usize];
        parent[x as usize] = grandparent;
        x = grandparent;
    }
    x
}

mod ties;

use ties::{ambiguous_records, nameless_pairs_outranked};

#[cfg(test)]
mod tests;
