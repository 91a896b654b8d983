//! True persons: every attribute is a pure function of (seed, person
//! index), so persons can be made in parallel in any order and the same seed
//! always gives the same people.
//!
//! Structure: persons come in blocks of [`HOUSEHOLD_BLOCK`]; a block's first
//! person may head a household whose members share surname, address and
//! phone (sometimes email); two children of a household may be twins (same
//! birth date). Some persons are namesakes of a person of another block
//! (same kanji, kana and birth date, everything else different).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::tables::{GivenName, Surname, Town, GIVEN_NAMES, SURNAMES, TOWNS};
use crate::normalize::Date;

/// Persons per household block.
pub const HOUSEHOLD_BLOCK: u64 = 4;
/// Share of blocks that are households of 2–4 persons.
const HOUSEHOLD_SHARE: f64 = 0.25;
/// Share of persons that are namesakes of someone in another block.
const NAMESAKE_SHARE: f64 = 0.01;
/// Share of persons with a passport.
const PASSPORT_SHARE: f64 = 0.3;

/// An RNG for one purpose of one person (or block): independent streams.
pub fn rng(seed: u64, purpose: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(index);
    rng
}

const PURPOSE_BASE: u64 = 1;
const PURPOSE_BLOCK: u64 = 2;
const PURPOSE_STRUCTURE: u64 = 3;
const PURPOSE_EMAIL_NUMBER: u64 = 4;
const PURPOSE_PHONE_NUMBER: u64 = 5;
const PURPOSE_PASSPORT_NUMBER: u64 = 6;

/// The multiplier of [`distinct_number`]'s permutation: a prime (Knuth's
/// multiplicative-hashing constant, 2^32 / phi), so it is coprime to every
/// number space below it and `index * M + offset (mod space)` is a
/// permutation of the space.
const PERMUTATION_MULTIPLIER: u128 = 2_654_435_761;

/// A number in `0..space` that no other person index below `space` gets for
/// the same seed and purpose: the index put through a permutation of the
/// space (a seed's and purpose's own offset). It is how an email, a phone
/// or a passport number belongs to one person only, as they do. Drawn at
/// random, strangers shared them by chance (outside a household, 13,271
/// emails and 997 phones at 1,000,000 persons; 386,289 emails, 60,804
/// phones and 4,721 passports at 8,000,000), which made an exact email, the
/// near-personal evidence the linker weighs, a coincidence between strangers
/// that grew with the file.
fn distinct_number(seed: u64, purpose: u64, index: u64, space: u64) -> u64 {
    let offset = rng(seed, purpose, u64::MAX).random_range(0..space);
    let number = (u128::from(index) * PERMUTATION_MULTIPLIER + u128::from(offset)) % u128::from(space);
    // Below `space`, so within u64.
    number as u64
}

/// How a person relates to others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    Single,
    HouseholdHead,
    HouseholdMember,
    Twin,
    Namesake,
}

impl Structure {
    pub fn class(self) -> Option<&'static str> {
        match self {
            Structure::Single => None,
            Structure::HouseholdHead | Structure::HouseholdMember => Some("household"),
            Structure::Twin => Some("twin"),
            Structure::Namesake => Some("namesake"),
        }
    }
}

/// A true person.
#[derive(Clone, Debug)]
pub struct Person {
    pub index: u64,
    pub surname: &'static Surname,
    pub given: &'static GivenName,
    pub given_kanji: &'static str,
    pub birth: Date,
    pub email: String,
    /// National digits.
    pub phone: String,
    pub town: &'static Town,
    pub numbers: (u32, u32, u32),
    pub building: Option<String>,
    pub passport: Option<(String, Date)>,
    pub structure: Structure,
}

impl Person {
    /// The person id written to truth.csv.
    pub fn id(&self) -> String {
        format!("T{:08}", self.index + 1)
    }
}

const DOMAINS: [&str; 8] = [
    "gmail.com",
    "yahoo.co.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "i.softbank.jp",
    "icloud.com",
    "outlook.jp",
    "nifty.com",
];
/// Area codes of the fixed-line numbers the generator makes.
pub const AREA_CODES: [&str; 10] = ["03", "06", "045", "052", "011", "092", "022", "075", "078", "0466"];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn date_between(rng: &mut ChaCha8Rng, from_year: i16, to_year: i16) -> Date {
    let year = rng.random_range(from_year..=to_year);
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=28);
    Date::constant(year, month, day)
}

fn surname(rng: &mut ChaCha8Rng) -> &'static Surname {
    let (names, cumulative) = &*SURNAMES;
    let total = *cumulative.last().expect("surnames");
    let draw = rng.random_range(0..total);
    &names[cumulative.partition_point(|c| *c <= draw)]
}

fn given(rng: &mut ChaCha8Rng, male: bool) -> (&'static GivenName, &'static str) {
    let (men, women) = &*GIVEN_NAMES;
    let name = pick(rng, if male { men } else { women });
    (name, pick(rng, &name.kanji).as_str())
}

/// The eight digits after 070 / 080 / 090 of the persons' own mobile
/// numbers: the lower half of those that do not start with 0 (the
/// numbering plan gives 0800 to free dial); [`distinct_number`] keeps them
/// apart below 45,000,000 persons.
pub(super) const OWN_MOBILE_NUMBERS: std::ops::Range<u64> = 10_000_000..55_000_000;
/// The upper half: the numbers a person changes to, so a changed phone is
/// no one's own.
pub(super) const CHANGED_MOBILE_NUMBERS: std::ops::Range<u64> = 55_000_000..100_000_000;

/// A mobile number (070/080/090) seven times in ten, else a fixed line of
/// one of [`AREA_CODES`]. Each is the person's own while the persons are
/// fewer than its subscriber numbers: 45,000,000 mobiles, 10^8 for a
/// two-digit area code, 10^7 for three digits, 10^6 for 0466.
fn phone(rng: &mut ChaCha8Rng, seed: u64, index: u64) -> String {
    if rng.random_bool(0.7) {
        let space = OWN_MOBILE_NUMBERS.end - OWN_MOBILE_NUMBERS.start;
        let subscriber = OWN_MOBILE_NUMBERS.start + distinct_number(seed, PURPOSE_PHONE_NUMBER, index, space);
        format!("{}{subscriber:08}", pick(rng, &["070", "080", "090"]))
    } else {
        let area = pick(rng, &AREA_CODES);
        let width = 10 - area.len();
        let subscriber = distinct_number(seed, PURPOSE_PHONE_NUMBER, index, 10u64.pow(width as u32));
        format!("{area}{subscriber:0width$}")
    }
}

/// Numbers an email handle ends with: every person's is its own below
/// 10,000,000 persons ([`distinct_number`]), so no two persons' addresses
/// coincide whatever their names and providers (a handle's digits are the
/// whole number: names carry none).
const EMAIL_NUMBERS: u64 = 10_000_000;

fn email(rng: &mut ChaCha8Rng, surname: &Surname, given: &GivenName, seed: u64, index: u64) -> String {
    let (s, g) = (surname.romaji.to_lowercase(), given.romaji.to_lowercase());
    let number = distinct_number(seed, PURPOSE_EMAIL_NUMBER, index, EMAIL_NUMBERS);
    let local = match rng.random_range(0..3) {
        0 => format!("{g}.{s}{number}"),
        1 => format!("{s}{g}{number}"),
        _ => format!("{}{s}{number}", &g[..1.min(g.len())]),
    };
    format!("{local}@{}", pick(rng, &DOMAINS))
}

/// The address a person gave after changing email. Three ways, equally
/// often: a prefix on the old one (`new.`), the same local part at another
/// provider, and a wholly other address (a new provider's or employer's
/// handle), which shares nothing with the old one, as a real change of
/// provider or job often does.
pub fn changed_email(rng: &mut ChaCha8Rng, email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    match rng.random_range(0..3) {
        0 => format!("new.{email}"),
        1 => {
            // One of the other providers, drawn without collecting them:
            // the draw's index skips the old provider's place.
            let old = DOMAINS.iter().position(|d| *d == domain).unwrap_or(DOMAINS.len());
            let drawn = rng.random_range(0..DOMAINS.len() - 1);
            format!("{local}@{}", DOMAINS[if drawn < old { drawn } else { drawn + 1 }])
        }
        _ => {
            let handle: String = (0..HANDLE_LETTERS).map(|_| (b'a' + rng.random_range(0..26u8)) as char).collect();
            format!("{handle}{}@{}", rng.random_range(10..100), pick(rng, &DOMAINS))
        }
    }
}

/// Letters of a wholly new email handle: eight random letters cannot
/// resemble a local part made of the person's name.
const HANDLE_LETTERS: usize = 8;

/// The seven digits of a passport number: every person's is its own below
/// 10,000,000 persons ([`distinct_number`]), as a passport number is.
const PASSPORT_NUMBERS: u64 = 10_000_000;

/// Attributes of a person before household and namesake structure.
fn base(seed: u64, index: u64) -> Person {
    let mut rng = rng(seed, PURPOSE_BASE, index);
    let male = rng.random_bool(0.5);
    let surname = surname(&mut rng);
    let (given, given_kanji) = given(&mut rng, male);
    let birth = date_between(&mut rng, 1930, 2010);
    let passport = rng.random_bool(PASSPORT_SHARE).then(|| {
        let letters = format!("{}{}", pick(&mut rng, &['M', 'T']), (b'A' + rng.random_range(0..26u8)) as char);
        let issue = date_between(&mut rng, 2004, 2016);
        let number = distinct_number(seed, PURPOSE_PASSPORT_NUMBER, index, PASSPORT_NUMBERS);
        (format!("{letters}{number:07}"), issue.min(Date::constant(2016, 6, 1)))
    });
    let building = rng.random_bool(0.3).then(|| {
        format!("{}{}", pick(&mut rng, &["メゾン", "コーポ", "ハイツ", "レジデンス"]), rng.random_range(101..1200))
    });
    Person {
        index,
        surname,
        given,
        given_kanji,
        birth,
        email: email(&mut rng, surname, given, seed, index),
        phone: phone(&mut rng, seed, index),
        town: pick(&mut rng, &TOWNS),
        numbers: (rng.random_range(1..10), rng.random_range(1..30), rng.random_range(1..25)),
        building,
        passport,
        structure: Structure::Single,
    }
}

/// The person with index `index` under `seed`.
pub fn person(seed: u64, index: u64) -> Person {
    let mut person = base(seed, index);
    let block = index / HOUSEHOLD_BLOCK;
    let position = index % HOUSEHOLD_BLOCK;
    let mut block_rng = rng(seed, PURPOSE_BLOCK, block);
    let household_size =
        if block_rng.random_bool(HOUSEHOLD_SHARE) { block_rng.random_range(2..=HOUSEHOLD_BLOCK) } else { 1 };
    let twins = household_size >= 3 && block_rng.random_bool(0.3);
    let shared_email = block_rng.random_bool(0.3);
    if household_size > 1 && position < household_size {
        let head = base(seed, block * HOUSEHOLD_BLOCK);
        if position == 0 {
            person.structure = Structure::HouseholdHead;
        } else {
            person.structure = Structure::HouseholdMember;
            person.surname = head.surname;
            person.town = head.town;
            person.numbers = head.numbers;
            person.building = head.building.clone();
            person.phone = head.phone.clone();
            if shared_email {
                person.email = head.email.clone();
            }
            if twins && position == 2 {
                person.birth = base(seed, block * HOUSEHOLD_BLOCK + 1).birth;
                person.structure = Structure::Twin;
            }
        }
        return person;
    }
    let mut structure_rng = rng(seed, PURPOSE_STRUCTURE, index);
    if index >= HOUSEHOLD_BLOCK * 2 && structure_rng.random_bool(NAMESAKE_SHARE) {
        // A namesake of a person in an earlier block: same names and birth.
        let other = base(seed, structure_rng.random_range(0..(block * HOUSEHOLD_BLOCK)));
        person.surname = other.surname;
        person.given = other.given;
        person.given_kanji = other.given_kanji;
        person.birth = other.birth;
        person.structure = Structure::Namesake;
    }
    person
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_a_pure_function_of_seed_and_index() {
        let (a, b) = (person(7, 12345), person(7, 12345));
        assert_eq!((a.surname.kanji.as_str(), a.birth, &a.email), (b.surname.kanji.as_str(), b.birth, &b.email));
        assert_ne!(person(7, 1).email, person(8, 1).email);
    }

    #[test]
    fn household_members_share_the_heads_address_and_phone() {
        let members: Vec<Person> =
            (0..400).map(|i| person(1, i)).filter(|p| p.structure != Structure::Single).collect();
        assert!(!members.is_empty());
        for member in members.iter().filter(|p| matches!(p.structure, Structure::HouseholdMember | Structure::Twin)) {
            let head = person(1, member.index / HOUSEHOLD_BLOCK * HOUSEHOLD_BLOCK);
            assert_eq!(
                (member.phone.as_str(), member.town.town.as_str()),
                (head.phone.as_str(), head.town.town.as_str())
            );
            assert_eq!(member.surname.kanji, head.surname.kanji);
        }
    }

    #[test]
    fn emails_phones_and_passports_are_one_persons_unless_a_household_shares_them() {
        use std::collections::HashMap;
        let mut owners: [HashMap<String, u64>; 3] = Default::default();
        for index in 0..20_000 {
            let p = person(3, index);
            let household = p.index / HOUSEHOLD_BLOCK;
            let passport = p.passport.as_ref().map(|(number, _)| number.clone());
            for (owner, value) in owners.iter_mut().zip([Some(p.email), Some(p.phone), passport]) {
                let Some(value) = value else { continue };
                // The block's persons may share a household's contacts.
                let first = *owner.entry(value.clone()).or_insert(household);
                assert_eq!(first, household, "{value} belongs to persons of two blocks");
            }
        }
        assert_eq!(distinct_number(3, PURPOSE_EMAIL_NUMBER, 5, 7), distinct_number(3, PURPOSE_EMAIL_NUMBER, 5, 7));
        let mut numbers: Vec<u64> = (0..1000).map(|i| distinct_number(9, PURPOSE_PHONE_NUMBER, i, 1000)).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (0..1000).collect::<Vec<u64>>(), "a permutation of the space");
    }
}
