//! A name's surname and given-name parts and their comparison: the parts
//! of each record from its kana and romaji readings (a known order, an
//! ambiguous romaji order oriented against the other record, a name
//! without a separator cut at the other's part, one name read the other
//! way round when both parts agree only so), and their levels.
//!
//! Invariant: the levels do not depend on the order of the pair.

use super::super::Level;
use super::{one_kana_apart, part_level, PartLevel};
use crate::normalize::name::NameOrder;
use crate::normalize::RecordView;

/// The (surname, given name) parts of a record, from the first of its kana
/// and romaji names whose order is known (kana with a separator,
/// `SURNAME/GIVEN`); `None` when no order is known.
fn known_parts<'a>(r: &RecordView<'a>) -> Option<(&'a str, &'a str)> {
    known_order_readings(r).into_iter().flatten().next()
}

/// The (surname, given name) parts of each of a record's kana and romaji
/// names whose order is known.
fn known_order_readings<'a>(r: &RecordView<'a>) -> [Option<Parts<'a>>; 2] {
    [&r.name_kana.romaji, &r.name_romaji.romaji].map(|n| {
        (n.order == NameOrder::SurnameFirst && !n.surname.is_empty() && !n.given.is_empty())
            .then_some((n.surname, n.given))
    })
}

/// Of the known-order readings of both records (kana with a separator,
/// romaji `SURNAME/GIVEN`), the pair whose parts agree best, with its part
/// levels; of equally close pairs the first (each record's readings in
/// order). A record's name is what any of its readings says: a typo in its
/// kana (マジマ for コジマ) must not hide the romaji beside it
/// (KOJIMA/MORIMI) that agrees.
///
/// Pairs that differ in both parts as written are read with one name the
/// other way round too ([`turned_round`]).
///
/// Each pair's levels are computed once, a reading equal to the one before
/// it is skipped (a romaji name is most often its kana's), and an exact
/// pair ends the search: a namesake's row, the linker's commonest
/// candidate, was compared twelve times a pair (`given_names_differ`, 7% of
/// the bookings step at 8,000,000 generated persons in `perf`).
fn closest_known<'a>(a: &RecordView<'a>, b: &RecordView<'a>) -> Option<Closest<'a>> {
    let distinct = |r: &RecordView<'a>| {
        let [first, second] = known_order_readings(r);
        [first, second.filter(|parts| first != Some(*parts))]
    };
    let mut best: Option<(u8, Closest<'a>)> = None;
    // Equally close pairs are told apart by what does not depend on the
    // pair's order: the surname's level first (a shared surname before
    // two similar ones), then the texts, each pair's two read in order.
    let tie_key = |&(x, y, levels, _): &Closest<'a>| (levels.0, levels.1, x.min(y), x.max(y));
    for x in distinct(a).into_iter().flatten() {
        for y in distinct(b).into_iter().flatten() {
            let levels = (part_level(x.0, y.0), part_level(x.1, y.1));
            let apart = distance(levels);
            let found = (x, y, levels, Turned::Neither);
            let closer =
                best.as_ref().is_none_or(|(d, kept)| apart < *d || (apart == *d && tie_key(&found) < tie_key(kept)));
            if closer {
                best = Some((apart, found));
                if apart == 0 {
                    return best.map(|(_, found)| found);
                }
            }
        }
    }
    // Both parts different as written: one name read the other way round.
    if best.is_some_and(|(d, _)| d == BOTH_PARTS_DIFFERENT) {
        for x in distinct(a).into_iter().flatten() {
            for y in distinct(b).into_iter().flatten() {
                if let Some(found) = turned_round(x, y) {
                    let apart = distance(found.2);
                    if best.is_none_or(|(d, _)| apart < d) {
                        best = Some((apart, found));
                    }
                }
            }
        }
    }
    best.map(|(_, found)| found)
}

/// Both records' parts as compared, their levels, and which name was read
/// the other way round.
type Closest<'a> = (Parts<'a>, Parts<'a>, Levels, Turned);

/// The levels of parts already compared, and which name was read the
/// other way round.
type Oriented = (Levels, Turned);

/// Which record's parts a comparison read the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Turned {
    Neither,
    First,
    Second,
}

/// Parts `x` and `y` that differ in both parts as written, read with one
/// name the other way round, when both parts then agree at least loosely
/// (exact or similar). Only then is a name read the other way round: a
/// name written given name first where the reading tables could not tell
/// its order (トミコ モリ, both parts surnames and given names in use)
/// differs in both parts from the same name written surname first (モリ
/// サミコ, a kana typo), and agrees turned round. A pair that agrees in one
/// part as written (a namesake's surname, a household's) is read as
/// written; one that agrees turned round in one part only (ケン サトウ and
/// ケン タナカ) is two names. Agreeing in both parts turned round, one
/// row's surname is the other's given name and the reverse, which another
/// person's name almost never is.
///
/// Which row was written given name first the parts do not tell: the
/// surname is read as the part that agrees better, so that the levels do
/// not depend on the order of the pair, and the given name, which tells a
/// household's members apart, as the one that agrees worse.
///
/// When both parts agree alike, the row turned is the one whose parts sort
/// first: which it is must not depend on the order of the pair either, as
/// the kana read after it (`compare_parts`) are read turned with it.
fn turned_round<'a>(x: Parts<'a>, y: Parts<'a>) -> Option<Closest<'a>> {
    let (first, second) = (part_level(x.1, y.0), part_level(x.0, y.1));
    if first == PartLevel::Different || second == PartLevel::Different {
        return None;
    }
    let turn_first = match first.index().cmp(&second.index()) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => x <= y,
    };
    Some(if turn_first {
        ((x.1, x.0), y, (first, second), Turned::First)
    } else {
        (x, (y.1, y.0), (second, first), Turned::Second)
    })
}

/// How far apart a pair's parts are: `PartLevel::index` summed (exact 0,
/// similar 1, different 2 per part).
fn distance((surname, given): Levels) -> u8 {
    surname.index() + given.index()
}

/// The distance of a pair of part pairs that differ in both parts
/// (`PartLevel::index` of `different` twice): only such a pair is read
/// with one name the other way round ([`turned_round`]).
const BOTH_PARTS_DIFFERENT: u8 = 2 * PartLevel::Different as u8;

/// The levels of a surname pair and a given-name pair.
pub(in crate::matching::compare) type Levels = (PartLevel, PartLevel);

/// The surname (`surname`) or given-name part of a record whose order is
/// known.
pub fn name_part<'a>(r: &RecordView<'a>, surname: bool) -> Option<&'a str> {
    known_parts(r).map(|(s, g)| if surname { s } else { g })
}

/// (surname, given name) keys of one record.
pub type Parts<'a> = (&'a str, &'a str);

/// The parts of both records: known orders as they are; a romaji name in
/// ambiguous order (`Taro Yamada`) is read in the order whose first part
/// matches the other record's surname. With the part levels when choosing
/// the pair compared them already.
fn part_pairs<'a>(a: &RecordView<'a>, b: &RecordView<'a>) -> Option<(Parts<'a>, Parts<'a>, Option<Oriented>)> {
    let ambiguous = |r: &RecordView<'a>| {
        let n = &r.name_romaji.romaji;
        (n.order == NameOrder::Ambiguous && !n.surname.is_empty() && !n.given.is_empty())
            .then_some((n.surname, n.given))
    };
    // The reading of (x, y) whose parts are closer to the known ones; none
    // when neither reading shares a part (exact 0, similar 1, different 2
    // per part: a sum over 3 has no part better than similar).
    let distance = |p: &str, q: &str| part_level(p, q).index();
    let orient = |(x, y): Parts<'a>, (surname, given): Parts<'a>| {
        let written = distance(x, surname) + distance(y, given);
        let swapped = distance(y, surname) + distance(x, given);
        if written.min(swapped) > 3 {
            None
        } else if swapped < written {
            Some((y, x))
        } else {
            Some((x, y))
        }
    };
    // A name written without a separator (キシモトキチロウ) is cut after the
    // other record's surname when it starts with it, else before the other
    // record's given name when it ends with it: a typo in one part must not
    // leave the whole name uncut and compared as one string (KIKARA ATSUKA
    // against KIMURAATSUKA is one kana typo in the surname, yet the whole
    // strings fail Jaro–Winkler read backwards).
    let cut = |r: &RecordView<'a>, (surname, given): Parts<'a>| -> Option<Parts<'a>> {
        let unsplit =
            || [&r.name_kana.romaji, &r.name_romaji.romaji].into_iter().filter(|n| n.order == NameOrder::Unsplit);
        unsplit()
            .find_map(|n| cut_after(n.strict, surname))
            .or_else(|| unsplit().find_map(|n| cut_before(n.strict, given)))
    };
    let other =
        |r: &RecordView<'a>, known: Parts<'a>| ambiguous(r).and_then(|p| orient(p, known)).or_else(|| cut(r, known));
    // A romaji name in ambiguous order against one without a separator:
    // the order that cuts the other (SOGA TSUNEJIRO cuts ハガツネジロウ
    // before TSUNEJIRO, a typo in the surname).
    let cut_by_ambiguous = |r: &RecordView<'a>, other: &RecordView<'a>| {
        let (x, y) = ambiguous(r)?;
        [(x, y), (y, x)].into_iter().find_map(|order| cut(other, order).map(|parts| (order, parts)))
    };
    // When the known parts do not cut the other name (a kana typo in the
    // surname, ハトー イミコ against かとういまこ), the record's romaji in
    // ambiguous order may (KATO IMIKO cuts KATOIMAKO after KATO): a name
    // without a separator is read by whichever of the other's readings cuts
    // it, not only the first.
    let parts = match (known_parts(a), known_parts(b)) {
        (Some(_), Some(_)) => {
            return closest_known(a, b).map(|(x, y, levels, turned)| (x, y, Some((levels, turned))));
        }
        (Some(x), None) => other(b, x).map(|y| (x, y)).or_else(|| cut_by_ambiguous(a, b)),
        (None, Some(y)) => other(a, y).map(|x| (x, y)).or_else(|| cut_by_ambiguous(b, a).map(|(y, x)| (x, y))),
        (None, None) => cut_by_ambiguous(a, b).or_else(|| cut_by_ambiguous(b, a).map(|(y, x)| (x, y))),
    };
    parts.map(|(x, y)| (x, y, None))
}

/// The parts of both records as [`part_pairs`] reads them, and the
/// surname and given-name levels, compared only when both rows give the
/// parts.
pub(in crate::matching::compare) fn compare_parts<'a>(
    a: &RecordView<'a>,
    b: &RecordView<'a>,
) -> (Option<(Parts<'a>, Parts<'a>)>, Levels) {
    let Some(((s1, g1), (s2, g2), known)) = part_pairs(a, b) else {
        return (None, (PartLevel::Missing, PartLevel::Missing));
    };
    let (mut surname, mut given) = known.map_or_else(|| (part_level(s1, s2), part_level(g1, g2)), |(levels, _)| levels);
    // A name's parts read the other way round: its kana too.
    let turned = known.map_or(Turned::Neither, |(_, turned)| turned);
    let turn =
        |parts: Option<Parts<'a>>, which: Turned| parts.map(|(s, g)| if turned == which { (g, s) } else { (s, g) });
    // Romaji spellings of one kana typo can be three letters apart
    // (ホシテル HOSHITERU, ホカテル HOKATERU): read the kana themselves, a
    // kana name without a separator cut as its romaji was.
    let (own_a, own_b) = (turn(kana_parts(a), Turned::First), turn(kana_parts(b), Turned::Second));
    let kana_a = own_a.or_else(|| own_b.and_then(|parts| cut_kana(a, parts)));
    let kana_b = own_b.or_else(|| own_a.and_then(|parts| cut_kana(b, parts)));
    if let (Some((ks1, kg1)), Some((ks2, kg2))) = (kana_a, kana_b) {
        if surname == PartLevel::Different && one_kana_apart(ks1, ks2) {
            surname = PartLevel::Similar;
        }
        if given == PartLevel::Different && one_kana_apart(kg1, kg2) {
            given = PartLevel::Similar;
        } else if given == PartLevel::Similar && two_given_names(kg1, kg2) {
            given = PartLevel::Different;
        }
    }
    (Some(((s1, g1), (s2, g2))), (surname, given))
}

/// Whether two kana given names that the romaji find similar are two
/// names: two kana or more apart, their long vowels written alike
/// (`one_kana_apart`). サトシ and ツヨシ (SATOSHI, TSUYOSHI) are three
/// letters apart, within the romaji's allowance for one kana, yet they are
/// two common names: one surname, phone and home with them is two members
/// of a household, not one person mistyped. A typo changes one kana.
/// (A name written with ー was left to the romaji while the kana check
/// counted ー against ウ; with long vowels written alike it is not: grid
/// recall up at 1 setting, dedup F1 down at 1, the rest identical.)
///
/// Only given names: a surname two kana apart is as often a typo on each
/// side (シラハタ in the leak, シマハマ in the booking, for シラハマ), and
/// one surname with two given names is the household's pattern. Measured
/// on the 36-setting grid (20,000 persons): pair precision of households
/// 0.96301 → 0.96359 and of twins 0.90771 → 0.90984 (38 wrong pairs
/// fewer), kana-typo pairs 23 true fewer of 37,227, affected F1 mean
/// 0.98633 → 0.98634, worst unchanged (0.9673); the second generator's
/// files within ±0.0001. Tried first on both parts and with the mark
/// counted: recall down at 16 settings (typo beside a long vowel, a typo on
/// each side of a surname), F1 worst 0.9671.
fn two_given_names(x: &str, y: &str) -> bool {
    x != y && !one_kana_apart(x, y)
}

/// Whether both records give a given name and the two are neither the same
/// nor similar (Jaro–Winkler, a few letters or one kana apart; two kana
/// given names two kana apart are never similar, `two_given_names`): the
/// given-name level of [`compare`] is `different`.
pub fn given_names_differ(a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    let (_, (_, given)) = compare_parts(a, b);
    given == PartLevel::Different
}

/// The (surname, given name) loose katakana (small kana enlarged: ジュンジ
/// and ジユンジ are one name) of a record whose kana gives a split. Every
/// katakana is three bytes in UTF-8, so the split offset of the strict key
/// is the loose key's too.
fn kana_parts<'a>(r: &RecordView<'a>) -> Option<(&'a str, &'a str)> {
    let kana = &r.name_kana;
    let split = kana.given_start;
    (split > 0 && split < kana.loose.len() && kana.loose.is_char_boundary(split)).then(|| kana.loose.split_at(split))
}

/// The loose kana of a record whose kana has no separator, cut after the
/// other record's kana surname when it starts with it, else before its
/// kana given name when it ends with it (ひらのちの against ヒラノ カノ:
/// ヒラノ + チノ).
fn cut_kana<'a>(r: &RecordView<'a>, (surname, given): (&str, &str)) -> Option<(&'a str, &'a str)> {
    let kana = r.name_kana.loose;
    if r.name_kana.given_start != 0 {
        return None;
    }
    cut_after(kana, surname).or_else(|| cut_before(kana, given))
}

/// `text` cut after `surname` when it starts with it and goes on.
fn cut_after<'t>(text: &'t str, surname: &str) -> Option<(&'t str, &'t str)> {
    let rest = text.strip_prefix(surname).filter(|rest| !rest.is_empty())?;
    Some(text.split_at(text.len() - rest.len()))
}

/// `text` cut before `given` when it ends with it after something else.
fn cut_before<'t>(text: &'t str, given: &str) -> Option<(&'t str, &'t str)> {
    let rest = text.strip_suffix(given).filter(|rest| !rest.is_empty())?;
    Some(text.split_at(rest.len()))
}
