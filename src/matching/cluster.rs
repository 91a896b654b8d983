//! Deduplication: recovered records → persons, from the scored candidate
//! pairs (SPEC section 5).
//!
//! Pairs at or above the match threshold, and pairs a rule links (the
//! contact identity rule, `score::contact_identity`, the whole name
//! beside a personal contact, `score::name_and_personal_contact_agree`,
//! and the whole name and birth date with nothing against them,
//! `score::name_and_birth_date_agree`),
//! are joined strongest first
//! (union–find). The chaining guard: a join that would put two different
//! passport numbers, or two incompatible birth dates (neither equal nor one
//! typo apart), or two records scored against each other below the middle
//! of the review band (a namesake and the other person's row, joined
//! through a third row), into one person is refused and counted. Because joins run
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

use super::compare::{compare_birth, has_name, ComparisonVector};
use super::link::TIE_MARGIN_BITS;
use super::score::{agrees_wherever_compared, contact_identity, name_rule};
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
    pub by_rule: bool,
    /// The two rows give the same name and agree on every other field both
    /// give (`score::agrees_wherever_compared`): whatever the weight, the
    /// pair is not "scored apart" (see [`cluster`]).
    pub agrees: bool,
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
    /// `apart` weight.
    pub split_scored_apart: u64,
    /// Records that fit two persons equally (see [`ambiguous_records`]) and
    /// join neither.
    pub split_ambiguous: u64,
    /// Pairs above the threshold not joined because a record was ambiguous.
    pub ambiguous_pairs: u64,
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
    let mut strong: Vec<Edge> = scored().filter(|(p, w)| p.weight >= threshold || w.by_rule).map(|(p, _)| p).collect();
    drop((pairs, weights));
    // Members of a cluster: a circular list through `next`, from its root.
    let mut next: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
    let mut size = vec![1u32; records.len()];
    // Equal edges are indistinguishable, so the unstable sort's order is
    // the one order whatever the thread count.
    strong.par_sort_unstable_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
    let ambiguous = ambiguous_records(records, &strong, &against);
    let pairs_above_threshold = strong.len() as u64;
    let before = strong.len();
    strong.retain(|p| !ambiguous[p.a as usize] && !ambiguous[p.b as usize]);
    let ambiguous_pairs = (before - strong.len()) as u64;

    let mut parent: Vec<RecordIdx> = (0..records.len() as RecordIdx).collect();
    let mut summaries = Summary::of_each(records);
    let mut stats = ClusterStats {
        pairs_above_threshold,
        split_ambiguous: ambiguous.iter().filter(|a| **a).count() as u64,
        ambiguous_pairs,
        ..Default::default()
    };
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
        if scored_apart(small, other, &next, &against, &mut parent) {
            stats.split_scored_apart += 1;
            continue;
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

/// Whether a member of the cluster rooted at `small` was scored apart from
/// a member of the cluster rooted at `other` (walks the smaller cluster's
/// circular list of members through `next`).
fn scored_apart(
    small: RecordIdx,
    other: RecordIdx,
    next: &[RecordIdx],
    against: &Adjacency<RecordIdx>,
    parent: &mut [RecordIdx],
) -> bool {
    let mut member = small;
    loop {
        if against.of(member).iter().any(|n| find(parent, *n) == other) {
            return true;
        }
        member = next[member as usize];
        if member == small {
            return false;
        }
    }
}

/// Records that fit two persons equally: their two strongest partners
/// above the threshold are within [`TIE_MARGIN_BITS`] of each other and
/// were scored apart from each other (two different persons, such as two
/// members of one household). The evidence says "one of these two" and
/// nothing about which (typically a row without a name that carries the
/// household's phone and address), so such a record joins neither, as a
/// tied booking links to neither.
///
/// A record without a name fits two persons equally whatever the margin
/// when only household fields tie it to the best of them
/// ([`household_fields_alone`]): its weights against household members
/// differ by which fields each member's row happens to give (one gives the
/// address, another does not), and a field one row leaves out is missing,
/// not evidence that the row without a name is the other member's. Measured on the 36-setting grid
/// before: of the rows without a name joined by the phone identity rule,
/// 5,663 were joined to their own person and 2,124 to a household member's
/// (all of them in households), 1,249 of those of another status.
fn ambiguous_records(records: &RecordStore, strong: &[Edge], against: &Adjacency<RecordIdx>) -> Vec<bool> {
    let edges = strong.iter().map(|p| (p.a, (p.weight, p.b), p.b, (p.weight, p.a)));
    let partners = Adjacency::build(records.len(), edges);
    (0..records.len() as RecordIdx)
        .into_par_iter()
        .map(|record| {
            let list = partners.of(record);
            // `strong` is sorted strongest first, so each list is too.
            let Some(&(best_weight, best)) = list.first() else {
                return false;
            };
            let margin = if list.len() > 1 && household_fields_alone(records, record, best) {
                f64::INFINITY
            } else {
                TIE_MARGIN_BITS
            };
            list[1..]
                .iter()
                .take_while(|(weight, _)| best_weight - weight < margin)
                .any(|(_, other)| against.of(best).contains(other))
        })
        .collect()
}

/// Whether `record` has no name and agrees with `best` on nothing one
/// person has alone (the birth date, the passport number): what ties them
/// is what a household shares (phone, email, postal code, address), which
/// the household's other members' rows give as well or leave out. A birth
/// date that agrees is evidence for `best` over a member whose row leaves
/// it out (one day in some 30,000 against the member's own, unknown one).
/// An email that agrees was tried as such evidence too (a mailbox is
/// nearer one person's than a landline): on the second generator's sparse
/// files dedup F1 0.9494 → 0.9510, but on the grid mean affected F1
/// 0.98613 → 0.98611 and worst dedup F1 0.9177 → 0.9170 (its households
/// share a family mailbox), so the email stays a household field here.
fn household_fields_alone(records: &RecordStore, record: RecordIdx, best: RecordIdx) -> bool {
    let (row, other) = (records.get(record as usize), records.get(best as usize));
    let same_birth = row.birth_date.is_some() && row.birth_date == other.birth_date;
    let same_passport = !row.passport_number.is_empty() && row.passport_number == other.passport_number;
    !has_name(&row) && !same_birth && !same_passport
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Field;
    use crate::matching::compare::compare;
    use crate::normalize::date::parse_iso;
    use crate::normalize::store::RecordStore;
    use crate::normalize::{normalize_fields, NormalizedRecord};

    /// A named record (a record without a name is ambiguous between any
    /// two persons it fits: see the test of that rule).
    fn record(passport: &str, birth: &str) -> NormalizedRecord {
        let name_kanji = normalize_fields(&[(Field::NameKanji, "山田 太郎")]).name_kanji;
        NormalizedRecord {
            name_kanji,
            passport_number: passport.into(),
            birth_date: parse_iso(birth),
            ..Default::default()
        }
    }

    fn pair(a: RecordIdx, b: RecordIdx, weight: f64) -> ((RecordIdx, RecordIdx), PairWeight) {
        ((a, b), PairWeight::of(weight, &ComparisonVector::default(), Line::Other, 0.0))
    }

    fn cluster(
        records: &RecordStore,
        scored: &[((RecordIdx, RecordIdx), PairWeight)],
        threshold: f64,
        apart: f64,
    ) -> Clusters {
        let (pairs, weights): (Vec<_>, Vec<_>) = scored.iter().copied().unzip();
        super::cluster(records, pairs, weights, threshold, apart)
    }

    #[test]
    fn pairs_above_the_threshold_join_transitively() {
        let records: RecordStore =
            [record("", "1980-01-02"), record("", "1980-01-02"), record("", "1980-01-02")].into_iter().collect();
        let clusters = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, 5.0), pair(0, 2, -3.0)], 4.0, 0.0);
        assert_eq!(clusters.persons.len(), 2, "0 and 2 were scored apart");
        assert_eq!(clusters.stats.split_scored_apart, 1);
        let clusters = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, 5.0), pair(0, 2, 3.0)], 4.0, 0.0);
        assert_eq!(clusters.persons.len(), 1, "a weak pair below the threshold does not keep them apart");
        assert_eq!(clusters.stats.joins, 2);
        let apart = cluster(&records, &[pair(0, 1, 10.0), pair(1, 2, -5.0)], 0.0, 0.0);
        assert_eq!(apart.persons.len(), 2);
    }

    #[test]
    fn a_low_score_of_two_rows_that_agree_wherever_compared_does_not_keep_them_apart() {
        // 1 gives the name in kanji, 2 in kana, both the birth date: they
        // agree on all they both give, yet score low (a reading is weak
        // evidence, and little was compared). 0 gives both scripts and
        // joins each: nothing says 1 and 2 are two persons.
        let row = |fields: &[(Field, &str)]| normalize_fields(fields);
        let (kanji, kana, birth) =
            ((Field::NameKanji, "田中 勇気"), (Field::NameKana, "タナカ ユウキ"), (Field::BirthDate, "2001-08-24"));
        let full = row(&[kanji, kana, birth]);
        let kana_row = |email: &str| row(&[kana, birth, (Field::Email, email)]);
        let scored = |records: &RecordStore| {
            let weight = |a: RecordIdx, b: RecordIdx, weight: f64| {
                let vector = compare(&records.get(a as usize), &records.get(b as usize));
                ((a, b), PairWeight::of(weight, &vector, Line::Other, 0.0))
            };
            cluster(records, &[weight(0, 1, 20.0), weight(0, 2, 9.0), weight(1, 2, -3.0)], 7.0, 2.0)
        };
        let records: RecordStore = [full.clone(), row(&[kanji, birth]), kana_row("")].into_iter().collect();
        let clusters = scored(&records);
        assert_eq!(clusters.persons.len(), 1);
        assert_eq!(clusters.stats.split_scored_apart, 0);
        // With an email on each that differs, the low score is evidence
        // against: 1 and 2 stay apart, the weaker join is refused.
        let records: RecordStore =
            [full, row(&[kanji, birth, (Field::Email, "yuki@example.jp")]), kana_row("other@example.jp")]
                .into_iter()
                .collect();
        let clusters = scored(&records);
        assert_eq!(clusters.persons.len(), 2);
        assert_eq!(clusters.stats.split_scored_apart, 1);
    }

    #[test]
    fn a_chain_through_two_passports_is_split_at_its_weakest_link() {
        // 1 is a sparse row that looks like both 0 and 2, which hold
        // different passports: the weaker of its two joins is refused.
        let records: RecordStore =
            [record("TK1111111", "1980-01-02"), record("", "1980-01-02"), record("TK2222222", "")]
                .into_iter()
                .collect();
        let clusters = cluster(&records, &[pair(0, 1, 12.0), pair(1, 2, 8.0)], 0.0, 0.0);
        assert_eq!(clusters.persons.len(), 2);
        assert_eq!(clusters.persons.members(0), &[0, 1]);
        assert_eq!(clusters.stats.split_passport, 1);
    }

    #[test]
    fn a_record_that_fits_two_persons_joins_neither_and_one_without_a_name_whatever_the_margin() {
        let named = |name: &str| normalize_fields(&[(Field::NameKanji, name), (Field::Phone, "0312345678")]);
        let nameless = normalize_fields(&[(Field::Phone, "0312345678"), (Field::Address, "東京都千代田区丸の内1-2-3")]);
        // 1 fits 0 and 2, who were scored apart (a household's two members).
        let persons = |middle: NormalizedRecord, second_weight: f64| {
            let mut first = named("山田 太郎");
            first.birth_date = parse_iso("1980-01-02");
            let records: RecordStore = [first, middle, named("山田 花子")].into_iter().collect();
            let clusters =
                cluster(&records, &[pair(0, 1, 12.0), pair(1, 2, second_weight), pair(0, 2, -20.0)], 7.0, 3.5);
            (clusters.persons.len(), clusters.stats.split_ambiguous)
        };
        assert_eq!(persons(named("山田 太郎"), 11.5), (3, 1), "within the tie margin: neither");
        assert_eq!(persons(named("山田 太郎"), 8.0), (2, 0), "a named row joins its clearly better fit");
        // Without a name the weights differ only by what the members' rows
        // happen to give: neither, whatever the margin.
        assert_eq!(persons(nameless.clone(), 8.0), (3, 1));
        assert_eq!(persons(nameless.clone(), 11.5), (3, 1));
        // Unless it agrees with the best on the birth date, which one
        // person has: then the margin decides, as for a named row.
        let mut born = nameless;
        born.birth_date = parse_iso("1980-01-02");
        assert_eq!(persons(born.clone(), 8.0), (2, 0));
        assert_eq!(persons(born, 11.5), (3, 1));
    }

    #[test]
    fn incompatible_birth_dates_are_not_chained_but_a_typo_is() {
        let records: RecordStore =
            [record("", "1980-01-02"), record("", ""), record("", "1975-06-30"), record("", "1980-01-03")]
                .into_iter()
                .collect();
        let clusters = cluster(&records, &[pair(0, 1, 9.0), pair(1, 2, 7.0), pair(0, 3, 6.0)], 0.0, 0.0);
        assert_eq!(clusters.stats.split_birth_date, 1);
        assert_eq!(clusters.persons.members(0), &[0, 1, 3]);
    }
}
