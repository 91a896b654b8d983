//! Field-by-field comparison of two normalized records into graded
//! agreement levels (SPEC section 5).
//!
//! Each [`Comparison`] has its own level enum (`levels.rs`), from strongest
//! agreement to disagreement, then the levels without evidence (weight 0):
//! `missing` when either side lacks the field, and for names
//! `no_common_script`. Similarity runs on the normalized keys, character by
//! character (Jaro–Winkler and Levenshtein from the rapidfuzz crate), never on raw bytes.
//!
//! Invariant: [`compare`] is symmetric and deterministic.

pub use super::levels::{
    AddressLevel, AgreeLevel, BirthLevel, Comparison, ComparisonVector, ContactLevel, EmailLevel, Level, NameLevel,
    PartLevel, PhoneLevel, PostalLevel,
};
mod name;

use self::name::{compare_name, compare_parts, is_name_handle, surname_reading_agrees, within_edits};
pub use self::name::{given_names_differ, has_name, has_reading, name_part, Parts, NAME_SIMILARITY_THRESHOLD};
use crate::normalize::address::{same_house, two_flats};
use crate::normalize::{Date, Gender, RecordView};

/// The eight digits of YYYYMMDD.
fn digits(date: Date) -> [u8; 8] {
    let mut out = [0u8; 8];
    let (year, month, day) = (date.year() as u32, date.month() as u32, date.day() as u32);
    let value = year * 10_000 + month * 100 + day;
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = (value / 10u32.pow(7 - k as u32) % 10) as u8;
    }
    out
}

pub fn compare_birth(a: Option<Date>, b: Option<Date>) -> BirthLevel {
    let (Some(a), Some(b)) = (a, b) else {
        return BirthLevel::Missing;
    };
    if a == b {
        return BirthLevel::Exact;
    }
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    let one_digit = digits(a).iter().zip(digits(b).iter()).filter(|(x, y)| x != y).count() == 1;
    if swapped || one_digit {
        BirthLevel::SwappedOrOneDigit
    } else if a.year() == b.year() {
        BirthLevel::SameYear
    } else {
        BirthLevel::Different
    }
}

fn compare_email(a: &RecordView<'_>, b: &RecordView<'_>) -> EmailLevel {
    let (x, y) = (&a.email.key, &b.email.key);
    if x.is_empty() || y.is_empty() {
        EmailLevel::Missing
    } else if x == y {
        EmailLevel::Exact
    } else {
        fn local(key: &str) -> &str {
            key.split('@').next().unwrap_or_default()
        }
        let (p, q) = (local(x), local(y));
        let kept = if p == q {
            EmailLevel::SameLocalPart
        } else if similar_local_parts(p, q) {
            EmailLevel::SimilarLocalPart
        } else {
            return EmailLevel::Different;
        };
        // A handle made of the name alone, beside two names: every
        // namesake's at some provider, so no evidence the name is not.
        let shorter = if p.len() <= q.len() { p } else { q };
        if has_name(a) && has_name(b) && is_name_handle(shorter, a, b) {
            EmailLevel::Missing
        } else {
            kept
        }
    }
}

/// The shortest local part that counts as similar to another: shorter
/// handles (taro, info) are too many people's to say anything held inside
/// another or one letter off.
const MIN_SIMILAR_LOCAL_PART: usize = 5;

/// Local parts one of a person's habits apart: one holds the other
/// (taro.yamada, taro.yamada2, new.taro.yamada), or one typo (an edit:
/// taro.yamada, taro_yamada, taroyamada), the shorter at least
/// [`MIN_SIMILAR_LOCAL_PART`] long.
///
/// Not Jaro–Winkler, which graded them before: it rewards a shared start,
/// and local parts made of the owner's name (takashiikeda1346,
/// takashiikeda9455) share the name, so two namesakes' mailboxes came out
/// "similar" (+5.7 bits) beside the name that already agreed, the same
/// fact counted twice. On the second generator's files (200,000 persons,
/// whose mailboxes are the name and four digits), booking and record links
/// graded similar by Jaro–Winkler alone were another person's in 2,344 of
/// 2,346, those where one local part holds the other right in 21,266 of
/// 21,267; on the grid no link was similar by Jaro–Winkler alone.
fn similar_local_parts(p: &str, q: &str) -> bool {
    let (short, long) = if p.len() <= q.len() { (p, q) } else { (q, p) };
    short.chars().count() >= MIN_SIMILAR_LOCAL_PART && (long.contains(short) || within_edits(p, q, 1))
}

/// Digits of a phone number that identify the line whatever its prefix
/// was written as (080-1234-5678 and 090-1234-5678 share them).
const PHONE_SAME_TAIL_DIGITS: usize = 8;

fn compare_phone(x: &str, y: &str) -> PhoneLevel {
    let tail = PHONE_SAME_TAIL_DIGITS;
    if x.is_empty() || y.is_empty() {
        PhoneLevel::Missing
    } else if x == y {
        PhoneLevel::Exact
    } else if x.len() >= tail && y.len() >= tail && x[x.len() - tail..] == y[y.len() - tail..] {
        PhoneLevel::SameLast8
    } else {
        PhoneLevel::Different
    }
}

fn compare_postal(x: &str, y: &str) -> PostalLevel {
    if x.is_empty() || y.is_empty() {
        PostalLevel::Missing
    } else if x == y {
        PostalLevel::Exact
    } else if x.get(..3) == y.get(..3) {
        PostalLevel::SameFirst3
    } else {
        PostalLevel::Different
    }
}

fn compare_address(a: &RecordView<'_>, b: &RecordView<'_>) -> AddressLevel {
    let (x, y) = (&a.address, &b.address);
    if x.full.is_empty() || y.full.is_empty() {
        return AddressLevel::Missing;
    }
    let same = |p: &str, q: &str| !p.is_empty() && p == q;
    // One town name and house number in two cities (本町1-2-3) are two
    // houses. A city given on one side only, or as its ward alone on one
    // (中区 and 横浜市中区, 大衡村 and 黒川郡大衡村), does not say so.
    let one_city = || x.city.is_empty() || y.city.is_empty() || x.city.ends_with(y.city) || y.city.ends_with(x.city);
    let one_prefecture = || x.prefecture.is_empty() || y.prefecture.is_empty() || x.prefecture == y.prefecture;
    // The house, not the room: a room on one side only is missing there;
    // two rooms, as fourth numbers or after one building's name, are two
    // flats (neighbours, not one household).
    let one_flat = || same_house(x.numbers, y.numbers) && !two_flats(x.building, y.building);
    if one_flat() && same_town(x.town, y.town) && one_city() && one_prefecture() {
        AddressLevel::NumbersAndTown
    } else if same(x.city, y.city) {
        AddressLevel::City
    } else if same(x.prefecture, y.prefecture) {
        AddressLevel::Prefecture
    } else {
        AddressLevel::Different
    }
}

/// The mark of a small section (字, koaza) inside a town: 長倉字大原 is the
/// section 大原 of the town 長倉 (the parse has dropped a leading 大字/字).
const SECTION_MARK: char = '字';

/// Whether two towns, both given, are one: equal, equal but for the
/// section marks (長倉字大原 = 長倉大原: many write the section without its
/// mark), or one the other with its section left out (長倉字大原 = 長倉:
/// land lots are numbered within the town in most of Japan, so many leave
/// the section out; the house numbers and the city must agree besides).
/// A 字 that is part of a name (十文字町, 栗沢町万字) is taken out of both
/// sides alike, so it cannot make two towns one.
fn same_town(x: &str, y: &str) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if x == y {
        return true;
    }
    if !x.contains(SECTION_MARK) && !y.contains(SECTION_MARK) {
        return false;
    }
    let section_left_out = |long: &str, short: &str| {
        long.strip_prefix(short)
            .and_then(|rest| rest.strip_prefix(SECTION_MARK))
            .is_some_and(|section| !section.is_empty())
    };
    let unmarked = |c: &char| *c != SECTION_MARK;
    x.chars().filter(unmarked).eq(y.chars().filter(unmarked)) || section_left_out(x, y) || section_left_out(y, x)
}

fn compare_exact(x: &str, y: &str) -> AgreeLevel {
    if x.is_empty() || y.is_empty() {
        AgreeLevel::Missing
    } else if x == y {
        AgreeLevel::Agree
    } else {
        AgreeLevel::Disagree
    }
}

fn compare_gender(a: Gender, b: Gender) -> AgreeLevel {
    match (a, b) {
        (Gender::Unknown, _) | (_, Gender::Unknown) => AgreeLevel::Missing,
        (x, y) if x == y => AgreeLevel::Agree,
        _ => AgreeLevel::Disagree,
    }
}

/// Compares two records field by field.
pub fn compare(a: &RecordView<'_>, b: &RecordView<'_>) -> ComparisonVector {
    compare_reading_parts(a, b).0
}

/// [`compare`], with the name parts of both records as the comparison
/// read them (for the term-frequency adjustment, which would otherwise
/// read them again).
pub fn compare_reading_parts<'a>(
    a: &RecordView<'a>,
    b: &RecordView<'a>,
) -> (ComparisonVector, Option<(Parts<'a>, Parts<'a>)>) {
    let mut vector = ComparisonVector::default();
    let (parts, (surname, given)) = compare_parts(a, b);
    vector.set(Comparison::Surname, surname);
    vector.set(Comparison::GivenName, given);
    let name = compare_name(a, b, (surname, given));
    vector.set(Comparison::Name, name);
    match name {
        // A reading of the whole kanji name is the other row's name: each
        // part is read as the other row's, so the rules that ask whether
        // the given names differ (a household member, a namesake) see the
        // same name. The parts weigh nothing beside it, as beside any
        // whole-name agreement (`score`, dependency rule 1): the name level
        // carries the evidence, with the discount for a kanji name read
        // several ways.
        NameLevel::ReadingAgrees => {
            vector.set(Comparison::Surname, PartLevel::Exact);
            vector.set(Comparison::GivenName, PartLevel::Exact);
        }
        NameLevel::NoCommonScript if surname_reading_agrees(a, b) => {
            vector.set(Comparison::Surname, PartLevel::Exact);
        }
        // Similar names with a part different: the kanji's reading came
        // within a typo of the other row's where the two kana did not
        // (`name::own_reading_against_other`). That part is then a typo
        // too, as similar whole names have both parts at least similar.
        NameLevel::Similar if surname == PartLevel::Different || given == PartLevel::Different => {
            let typo = |part: PartLevel| if part == PartLevel::Different { PartLevel::Similar } else { part };
            vector.set(Comparison::Surname, typo(surname));
            vector.set(Comparison::GivenName, typo(given));
        }
        _ => {}
    }
    vector.set(Comparison::BirthDate, compare_birth(a.birth_date, b.birth_date));
    vector.set(Comparison::Email, compare_email(a, b));
    vector.set(Comparison::Phone, compare_phone(a.phone, b.phone));
    vector.set(Comparison::PostalCode, compare_postal(a.postal_code, b.postal_code));
    vector.set(Comparison::Address, compare_address(a, b));
    vector.set(Comparison::Passport, compare_exact(a.passport_number, b.passport_number));
    vector.set(Comparison::Gender, compare_gender(a.gender, b.gender));
    let contact = ContactLevel::of(vector.email(), vector.phone(), vector.address());
    vector.set(Comparison::Contact, contact);
    (vector, parts)
}

#[cfg(test)]
mod tests;
