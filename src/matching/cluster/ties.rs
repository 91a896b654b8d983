//! Which pairs may tie or outrank others in the clustering: records that
//! fit two persons equally join neither, and a named record's pair with a
//! housemate's row without a name waits for the record's own row. Both
//! read the pairs above the threshold in the clustering's one order
//! (weight descending, record ids ascending), so their answers do not
//! depend on thread count.

use rayon::prelude::*;

use super::{Adjacency, Edge};
use crate::matching::compare::{compare, has_name, AgreeLevel, BirthLevel, EmailLevel};
use crate::matching::link::TIE_MARGIN_BITS;
use crate::matching::RecordIdx;
use crate::normalize::store::RecordStore;

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
pub(super) fn ambiguous_records(
    records: &RecordStore,
    strong: &[Edge],
    against: &Adjacency<RecordIdx>,
    outranked: &[bool],
) -> Vec<bool> {
    // An outranked pair (`nameless_pairs_outranked`) does not tie its named
    // record (the record's name says which of the two it is), so the named
    // end skips it; it still ties the row without a name.
    let edges = strong.iter().zip(outranked).map(|(p, &o)| {
        let skip = |record: RecordIdx| o && has_name(&records.get(record as usize));
        (p.a, (p.weight, p.b, skip(p.a)), p.b, (p.weight, p.a, skip(p.b)))
    });
    let partners = Adjacency::build(records.len(), edges);
    (0..records.len() as RecordIdx)
        .into_par_iter()
        .map(|record| {
            // `strong` is sorted strongest first, so each list is too.
            let mut list = partners.of(record).iter().filter(|(.., skip)| !skip);
            let Some(&(best_weight, best, _)) = list.next() else {
                return false;
            };
            let mut rest = list.peekable();
            let margin = if rest.peek().is_some() && household_fields_alone(records, record, best) {
                f64::INFINITY
            } else {
                TIE_MARGIN_BITS
            };
            rest.take_while(|(weight, ..)| best_weight - weight < margin)
                .any(|(_, other, _)| against.of(best).contains(other))
        })
        .collect()
}

/// For each of `strong`'s pairs: whether it pairs a named record with a
/// row without a name while another of the record's partners gives the
/// record's whole name, was scored apart from that row and gives another
/// mailbox than it, and the record and the row share only what a
/// household shares (phone, postal code, address: not the mailbox, the
/// birth date or the passport number). The two rows are then two persons
/// (a household's members: without a name, the mailbox is what tells them
/// apart), and the record's name says which of them it is. Such a pair is
/// taken after every other (the record's own row first, which then keeps
/// the housemate's row out) and does not tie the record between the two
/// ([`ambiguous_records`]).
///
/// Why: the weights do not say it. Without a name each household field
/// the row shares counts on its own (`Scorer::effective_weights`), so a
/// housemate's row giving the family phone and home outweighed the
/// record's own full row and, joined first, kept that row out for good
/// (scored apart). Found on the second generator's sparse files: a row of
/// a name, postal code, address and phone joined a housemate's nameless
/// row by the phone identity rule, not its own row of the same name,
/// phone and home.
///
/// Limits, each measured: a row that shares the record's mailbox is left
/// to the vote of the pairs across ([`super::one_persons_pair`]), as it
/// may be the customer's own after a change of mailbox. Scored apart for another
/// address alone, the named partner may be the customer after a move and
/// the row the old home: without the mailbox condition such a row on the
/// grid went from its own person to a housemate's landline. Nor is the
/// pair dropped: it still ties the row without a name between two
/// persons, which keeps a household's row out of both (dropped, a row
/// with a family mailbox and a housemate's phone was no longer tied and
/// joined the mailbox's other user).
pub(super) fn nameless_pairs_outranked(
    records: &RecordStore,
    strong: &[Edge],
    against: &Adjacency<RecordIdx>,
) -> Vec<bool> {
    let partners = Adjacency::build(records.len(), strong.iter().map(|p| (p.a, p.b, p.b, p.a)));
    strong
        .par_iter()
        .map(|edge| {
            let (a, b) = (records.get(edge.a as usize), records.get(edge.b as usize));
            let (named, named_row, nameless) = match (has_name(&a), has_name(&b)) {
                (true, false) => (edge.a, a, edge.b),
                (false, true) => (edge.b, b, edge.a),
                _ => return false,
            };
            let nameless_row = records.get(nameless as usize);
            let tie = compare(&named_row, &nameless_row);
            let personal = tie.email() == EmailLevel::Exact
                || tie.birth_date() == BirthLevel::Exact
                || tie.passport() == AgreeLevel::Agree;
            !personal
                && partners.of(named).iter().any(|&other| {
                    // The adjacency tests first: a record is read only for
                    // a partner scored apart from the row.
                    if other == nameless || !against.of(other).contains(&nameless) {
                        return false;
                    }
                    let other_row = records.get(other as usize);
                    compare(&other_row, &nameless_row).email() == EmailLevel::Different
                        && compare(&named_row, &other_row).name().is_same_name()
                })
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
/// Nor was it kept that the other member's row giving another value for a
/// contact the row shares with `best` (another email, phone or address)
/// breaks the tie: on the second generator's sparse file 11 split persons
/// fewer (dedup F1 0.9533 → 0.9539), but on the grid affected precision
/// fell 0.0001 to 0.0002 at 9 of 36 settings (mean F1 0.98633 → 0.98630),
/// a household's shared line read as the member's whose own row gives it,
/// while another member's row gives a mobile of their own. Nor the email
/// when no record scored apart from `best` gives that mailbox: grid dedup
/// F1 up at 31 settings (mean 0.96884 → 0.96947), but recall down at 14 by
/// up to 0.0002, affected F1 unchanged: the other member's row leaving the
/// email out is missing, not another mailbox (a mother's row gave the
/// family mailbox named after her son, whose own row left it out). Nor
/// only when every such record gives another mailbox: no change.
fn household_fields_alone(records: &RecordStore, record: RecordIdx, best: RecordIdx) -> bool {
    let (row, other) = (records.get(record as usize), records.get(best as usize));
    let same_birth = row.birth_date.is_some() && row.birth_date == other.birth_date;
    let same_passport = !row.passport_number.is_empty() && row.passport_number == other.passport_number;
    !has_name(&row) && !same_birth && !same_passport
}
