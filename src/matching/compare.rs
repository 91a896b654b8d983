//! Field-by-field comparison of two normalized records into graded
//! agreement levels (issue "Probabilistic linkage"; SPEC section 5).
//!
//! Each [`Comparison`] has its levels ordered from strongest agreement to
//! disagreement, and a `Missing` level (weight 0) when either side lacks the
//! field. Similarity runs on the normalized keys, character by character
//! (Jaro–Winkler from the strsim crate), never on raw bytes.
//!
//! Invariant: [`compare`] is symmetric and deterministic; a level index is
//! always below its comparison's [`Comparison::levels`] count.

use crate::normalize::name::NameOrder;
use crate::normalize::{Date, Gender, NormalizedRecord};

/// Jaro–Winkler similarity above which two name keys count as similar.
pub const NAME_SIMILARITY_THRESHOLD: f64 = 0.92;

/// One comparison of the vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Comparison {
    Name,
    Surname,
    GivenName,
    BirthDate,
    Email,
    Phone,
    PostalCode,
    Address,
    Passport,
    Gender,
}

impl Comparison {
    /// Every comparison, in vector order.
    pub const ALL: [Comparison; 10] = [
        Comparison::Name,
        Comparison::Surname,
        Comparison::GivenName,
        Comparison::BirthDate,
        Comparison::Email,
        Comparison::Phone,
        Comparison::PostalCode,
        Comparison::Address,
        Comparison::Passport,
        Comparison::Gender,
    ];

    /// The name used in links.csv and explanations.
    pub fn name(self) -> &'static str {
        match self {
            Comparison::Name => "name",
            Comparison::Surname => "surname",
            Comparison::GivenName => "given_name",
            Comparison::BirthDate => "birth_date",
            Comparison::Email => "email",
            Comparison::Phone => "phone",
            Comparison::PostalCode => "postal_code",
            Comparison::Address => "address",
            Comparison::Passport => "passport",
            Comparison::Gender => "gender",
        }
    }

    /// The level names, strongest agreement first, `missing` last.
    pub fn level_names(self) -> &'static [&'static str] {
        match self {
            Comparison::Name => {
                &["kanji_exact", "strict_exact", "loose_exact", "similar", "different", "kanji_different", "missing"]
            }
            Comparison::Surname | Comparison::GivenName => &["exact", "similar", "different", "missing"],
            Comparison::BirthDate => &["exact", "swapped_or_one_digit", "same_year", "different", "missing"],
            Comparison::Email => &["exact", "same_local_part", "similar_local_part", "different", "missing"],
            Comparison::Phone => &["exact", "same_last_8", "different", "missing"],
            Comparison::PostalCode => &["exact", "same_first_3", "different", "missing"],
            Comparison::Address => &["numbers_and_town", "city", "prefecture", "different", "missing"],
            Comparison::Passport | Comparison::Gender => &["agree", "disagree", "missing"],
        }
    }

    /// Number of levels, `missing` included.
    pub fn levels(self) -> usize {
        self.level_names().len()
    }

    /// The index of the `missing` level.
    pub fn missing(self) -> u8 {
        (self.levels() - 1) as u8
    }
}

/// The level of every comparison for one pair of records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComparisonVector(pub [u8; Comparison::ALL.len()]);

impl ComparisonVector {
    /// The level of `comparison`.
    pub fn level(&self, comparison: Comparison) -> u8 {
        self.0[comparison as usize]
    }

    /// The comparisons that agree (the name at any exact level, the others
    /// at their first level), in vector order: review.csv's evidence.
    pub fn agreeing(self) -> impl Iterator<Item = Comparison> {
        Comparison::ALL.into_iter().filter(move |c| match c {
            Comparison::Name => self.level(*c) <= 2,
            _ => self.level(*c) == 0,
        })
    }
}

fn similar(a: &str, b: &str) -> bool {
    strsim::jaro_winkler(a, b) >= NAME_SIMILARITY_THRESHOLD
}

/// A name part one kana typo away: Jaro–Winkler is too harsh on short
/// parts (MEGUMU and NAGUMU are one kana apart, Jaro–Winkler 0.78), so two
/// edits on parts of four letters or more, three on parts of seven or
/// more, also count as similar.
fn close_spelling(a: &str, b: &str) -> bool {
    let shorter = a.len().min(b.len());
    // One kana is up to three letters (シ SHI, ツ TSU): three edits on long
    // parts (TATSUNDO, TAHANDO).
    let allowed = if shorter >= 7 { 3 } else { 2 };
    shorter >= 4 && strsim::levenshtein(a, b) <= allowed
}

/// Whole-name similarity: Jaro–Winkler read forwards and backwards must
/// both pass. Forwards alone rewards a shared surname (YAMADATARO and
/// YAMADAHANAKO share six leading letters); a typo keeps both directions
/// close, another given name does not.
fn similar_both_ways(a: &str, b: &str) -> bool {
    // Keys are A–Z only, so reversing bytes reverses characters.
    similar(a, b)
        && strsim::generic_jaro_winkler(&Reversed(a.as_bytes()), &Reversed(b.as_bytes())) >= NAME_SIMILARITY_THRESHOLD
}

/// A byte string read backwards, without copying it.
struct Reversed<'a>(&'a [u8]);

impl<'a> IntoIterator for &Reversed<'a> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::iter::Rev<std::slice::Iter<'a, u8>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().rev().copied()
    }
}

/// The romaji keys a record's name can be read as (strict, then loose).
fn name_keys(r: &NormalizedRecord) -> ([&str; 2], [&str; 3]) {
    let kana = &r.name_kana.romaji;
    let romaji = &r.name_romaji.romaji;
    (
        [kana.strict.as_str(), romaji.strict.as_str()],
        [kana.loose.as_str(), romaji.loose.as_str(), romaji.swapped_loose.as_str()],
    )
}

fn any_equal(a: &[&str], b: &[&str]) -> bool {
    a.iter().filter(|x| !x.is_empty()).any(|x| b.contains(x))
}

/// `kanji_different` when both rows give kanji names that differ (and no
/// reading agrees exactly): stronger evidence than readings that differ,
/// which may be a kana typo.
///
/// `parts` are the surname and given-name levels. The whole names are
/// "similar" when both parts are at least similar; without parts on both
/// sides, when Jaro–Winkler finds the keys close read forwards and
/// backwards. Never when both rows give kanji names that differ (太郎 and
/// 次郎 read one kana apart), nor when the given names differ (a shared
/// surname is the long common prefix Jaro–Winkler rewards: 山田太郎 and
/// 山田花子).
fn compare_name(a: &NormalizedRecord, b: &NormalizedRecord, parts: (u8, u8)) -> u8 {
    let (a_strict, a_loose) = name_keys(a);
    let (b_strict, b_loose) = name_keys(b);
    let has_name = |r: &NormalizedRecord, loose: &[&str; 3]| {
        !r.name_kanji.strict.is_empty() || loose.iter().any(|k| !k.is_empty())
    };
    if !has_name(a, &a_loose) || !has_name(b, &b_loose) {
        return Comparison::Name.missing();
    }
    let kanji_both = !a.name_kanji.strict.is_empty() && !b.name_kanji.strict.is_empty();
    if kanji_both && a.name_kanji.strict == b.name_kanji.strict {
        return 0;
    } else if any_equal(&a_strict, &b_strict) {
        return 1;
    } else if any_equal(&a_loose, &b_loose) || (kanji_both && a.name_kanji.loose == b.name_kanji.loose) {
        return 2;
    }
    let (surname, given) = parts;
    let kanji_differ = kanji_both && a.name_kanji.loose != b.name_kanji.loose;
    let similar_names = if surname == Comparison::Surname.missing() {
        a_loose
            .iter()
            .filter(|k| !k.is_empty())
            .any(|x| b_loose.iter().filter(|k| !k.is_empty()).any(|y| similar_both_ways(x, y)))
    } else {
        surname <= 1 && given <= 1
    };
    if kanji_differ {
        5
    } else if similar_names {
        3
    } else {
        4
    }
}

/// The (surname, given name) parts of a record, from the first of its kana
/// and romaji names whose order is known (kana with a separator,
/// `SURNAME/GIVEN`); `None` when no order is known.
fn known_parts(r: &NormalizedRecord) -> Option<(&str, &str)> {
    [&r.name_kana.romaji, &r.name_romaji.romaji]
        .into_iter()
        .find(|n| n.order == NameOrder::SurnameFirst && !n.surname.is_empty() && !n.given.is_empty())
        .map(|n| (n.surname.as_str(), n.given.as_str()))
}

/// The surname (`surname`) or given-name part of a record whose order is
/// known.
pub fn name_part(r: &NormalizedRecord, surname: bool) -> Option<&str> {
    known_parts(r).map(|(s, g)| if surname { s } else { g })
}

/// (surname, given name) keys of one record.
pub type Parts<'a> = (&'a str, &'a str);

/// The parts of both records: known orders as they are; a romaji name in
/// ambiguous order (`Taro Yamada`) is read in the order whose first part
/// matches the other record's surname.
pub fn part_pairs<'a>(a: &'a NormalizedRecord, b: &'a NormalizedRecord) -> Option<(Parts<'a>, Parts<'a>)> {
    let ambiguous = |r: &'a NormalizedRecord| {
        let n = &r.name_romaji.romaji;
        (n.order == NameOrder::Ambiguous && !n.surname.is_empty() && !n.given.is_empty())
            .then_some((n.surname.as_str(), n.given.as_str()))
    };
    // The reading of (x, y) whose parts are closer to the known ones; none
    // when neither reading shares a part.
    let orient = |(x, y): Parts<'a>, (surname, given): Parts<'a>| {
        let written = part_level(x, surname) + part_level(y, given);
        let swapped = part_level(y, surname) + part_level(x, given);
        if written.min(swapped) > 3 {
            None
        } else if swapped < written {
            Some((y, x))
        } else {
            Some((x, y))
        }
    };
    // A name written without a separator (キシモトキチロウ) is cut after the
    // other record's surname when it starts with it.
    let cut = |r: &'a NormalizedRecord, (surname, _): Parts<'a>| -> Option<Parts<'a>> {
        [&r.name_kana.romaji, &r.name_romaji.romaji]
            .into_iter()
            .filter(|n| n.order == NameOrder::Unsplit)
            .find_map(|n| n.strict.strip_prefix(surname).filter(|given| !given.is_empty()))
            .map(|given| (surname, given))
    };
    let other = |r: &'a NormalizedRecord, known: Parts<'a>| {
        ambiguous(r).and_then(|p| orient(p, known)).or_else(|| cut(r, known))
    };
    match (known_parts(a), known_parts(b)) {
        (Some(x), Some(y)) => Some((x, y)),
        (Some(x), None) => other(b, x).map(|y| (x, y)),
        (None, Some(y)) => other(a, y).map(|x| (x, y)),
        (None, None) => None,
    }
}

/// The surname and given-name levels, compared only when both rows give
/// the parts.
fn compare_parts(a: &NormalizedRecord, b: &NormalizedRecord) -> (u8, u8) {
    let Some(((s1, g1), (s2, g2))) = part_pairs(a, b) else {
        return (Comparison::Surname.missing(), Comparison::GivenName.missing());
    };
    let (mut surname, mut given) = (part_level(s1, s2), part_level(g1, g2));
    // Romaji spellings of one kana typo can be three letters apart
    // (ホシテル HOSHITERU, ホカテル HOKATERU): read the kana themselves.
    if let (Some((ks1, kg1)), Some((ks2, kg2))) = (kana_parts(a), kana_parts(b)) {
        if surname == 2 && one_kana_apart(ks1, ks2) {
            surname = 1;
        }
        if given == 2 && one_kana_apart(kg1, kg2) {
            given = 1;
        }
    }
    (surname, given)
}

/// The (surname, given name) loose katakana (small kana enlarged: ジュンジ
/// and ジユンジ are one name) of a record whose kana gives a split. Every
/// katakana is three bytes in UTF-8, so the split offset of the strict key
/// is the loose key's too.
fn kana_parts(r: &NormalizedRecord) -> Option<(&str, &str)> {
    let kana = &r.name_kana;
    let split = kana.given_start;
    (split > 0 && split < kana.loose.len() && kana.loose.is_char_boundary(split)).then(|| kana.loose.split_at(split))
}

/// Two kana strings of at least two kana one edit apart.
fn one_kana_apart(a: &str, b: &str) -> bool {
    a.chars().count().min(b.chars().count()) >= 2 && strsim::levenshtein(a, b) <= 1
}

/// The level of two name parts: exact, similar, different.
fn part_level(x: &str, y: &str) -> u8 {
    if x == y {
        0
    } else if similar(x, y) || close_spelling(x, y) {
        1
    } else {
        2
    }
}

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

pub fn compare_birth(a: Option<Date>, b: Option<Date>) -> u8 {
    let (Some(a), Some(b)) = (a, b) else {
        return Comparison::BirthDate.missing();
    };
    if a == b {
        return 0;
    }
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    let one_digit = digits(a).iter().zip(digits(b).iter()).filter(|(x, y)| x != y).count() == 1;
    if swapped || one_digit {
        1
    } else if a.year() == b.year() {
        2
    } else {
        3
    }
}

fn compare_email(a: &NormalizedRecord, b: &NormalizedRecord) -> u8 {
    let (x, y) = (&a.email.key, &b.email.key);
    if x.is_empty() || y.is_empty() {
        Comparison::Email.missing()
    } else if x == y {
        0
    } else {
        fn local(key: &str) -> &str {
            key.split('@').next().unwrap_or_default()
        }
        let (p, q) = (local(x), local(y));
        if p == q {
            1
        } else if similar_local_parts(p, q) {
            2
        } else {
            3
        }
    }
}

/// Local parts one edit of a person's habits apart: one holds the other
/// (taro.yamada, taro.yamada2, new.taro.yamada) with at least five
/// characters in common, or Jaro–Winkler finds them close.
fn similar_local_parts(p: &str, q: &str) -> bool {
    let (short, long) = if p.len() <= q.len() { (p, q) } else { (q, p) };
    (short.len() >= 5 && long.contains(short)) || strsim::jaro_winkler(p, q) >= 0.9
}

fn compare_suffix(x: &str, y: &str, same_tail: usize, missing: u8) -> u8 {
    if x.is_empty() || y.is_empty() {
        missing
    } else if x == y {
        0
    } else if x.len() >= same_tail && y.len() >= same_tail && x[x.len() - same_tail..] == y[y.len() - same_tail..] {
        1
    } else {
        2
    }
}

fn compare_postal(x: &str, y: &str) -> u8 {
    if x.is_empty() || y.is_empty() {
        Comparison::PostalCode.missing()
    } else if x == y {
        0
    } else if x.get(..3) == y.get(..3) {
        1
    } else {
        2
    }
}

fn compare_address(a: &NormalizedRecord, b: &NormalizedRecord) -> u8 {
    let (x, y) = (&a.address, &b.address);
    if x.full.is_empty() || y.full.is_empty() {
        return Comparison::Address.missing();
    }
    let same = |p: &str, q: &str| !p.is_empty() && p == q;
    if same(&x.numbers, &y.numbers) && same(&x.town, &y.town) {
        0
    } else if same(&x.city, &y.city) {
        1
    } else if same(&x.prefecture, &y.prefecture) {
        2
    } else {
        3
    }
}

fn compare_exact(x: &str, y: &str, missing: u8) -> u8 {
    if x.is_empty() || y.is_empty() {
        missing
    } else if x == y {
        0
    } else {
        1
    }
}

fn compare_gender(a: Gender, b: Gender) -> u8 {
    match (a, b) {
        (Gender::Unknown, _) | (_, Gender::Unknown) => Comparison::Gender.missing(),
        (x, y) if x == y => 0,
        _ => 1,
    }
}

/// Compares two records field by field.
pub fn compare(a: &NormalizedRecord, b: &NormalizedRecord) -> ComparisonVector {
    let mut levels = [0u8; Comparison::ALL.len()];
    let (surname, given) = compare_parts(a, b);
    levels[Comparison::Surname as usize] = surname;
    levels[Comparison::GivenName as usize] = given;
    levels[Comparison::Name as usize] = compare_name(a, b, (surname, given));
    levels[Comparison::BirthDate as usize] = compare_birth(a.birth_date, b.birth_date);
    levels[Comparison::Email as usize] = compare_email(a, b);
    levels[Comparison::Phone as usize] = compare_suffix(&a.phone, &b.phone, 8, Comparison::Phone.missing());
    levels[Comparison::PostalCode as usize] = compare_postal(&a.postal_code, &b.postal_code);
    levels[Comparison::Address as usize] = compare_address(a, b);
    levels[Comparison::Passport as usize] =
        compare_exact(&a.passport_number, &b.passport_number, Comparison::Passport.missing());
    levels[Comparison::Gender as usize] = compare_gender(a.gender, b.gender);
    ComparisonVector(levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Field;
    use crate::normalize::normalize_fields as record;

    fn level(a: &NormalizedRecord, b: &NormalizedRecord, comparison: Comparison) -> &'static str {
        let forward = compare(a, b).level(comparison);
        assert_eq!(forward, compare(b, a).level(comparison), "compare is symmetric");
        comparison.level_names()[forward as usize]
    }

    #[test]
    fn names_grade_from_kanji_to_similar() {
        let taro = record(&[(Field::NameKanji, "山田 太郎"), (Field::NameKana, "ヤマダ タロウ")]);
        let variant = record(&[(Field::NameKanji, "山田　太郎"), (Field::NameKana, "やまだ たろう")]);
        let romaji = record(&[(Field::NameRomaji, "YAMADA/TARO MR")]);
        // タロ would equal タロウ in passport Hepburn (long vowels dropped).
        let typo = record(&[(Field::NameKana, "ヤマダ タロミ")]);
        let other = record(&[(Field::NameKana, "スズキ イチロウ")]);
        assert_eq!(level(&taro, &variant, Comparison::Name), "kanji_exact");
        assert_eq!(level(&taro, &romaji, Comparison::Name), "strict_exact");
        assert_eq!(level(&taro, &typo, Comparison::Name), "similar");
        assert_eq!(level(&taro, &other, Comparison::Name), "different");
        assert_eq!(level(&taro, &record(&[]), Comparison::Name), "missing");
    }

    #[test]
    fn a_household_member_differs_on_the_given_name_only() {
        let taro = record(&[(Field::NameKana, "ヤマダ タロウ")]);
        let hanako = record(&[(Field::NameKana, "ヤマダ ハナコ")]);
        assert_eq!(level(&taro, &hanako, Comparison::Surname), "exact");
        assert_eq!(level(&taro, &hanako, Comparison::GivenName), "different");
    }

    #[test]
    fn birth_dates_grade() {
        let d = |t: &str| record(&[(Field::BirthDate, t)]);
        assert_eq!(level(&d("1980-01-02"), &d("1980-01-02"), Comparison::BirthDate), "exact");
        assert_eq!(level(&d("1980-01-02"), &d("1980-02-01"), Comparison::BirthDate), "swapped_or_one_digit");
        assert_eq!(level(&d("1980-01-02"), &d("1981-01-02"), Comparison::BirthDate), "swapped_or_one_digit");
        assert_eq!(level(&d("1980-01-02"), &d("1980-07-15"), Comparison::BirthDate), "same_year");
        assert_eq!(level(&d("1980-01-02"), &d("1975-07-15"), Comparison::BirthDate), "different");
    }

    #[test]
    fn contacts_grade() {
        let a = record(&[
            (Field::Email, "taro@example.jp"),
            (Field::Phone, "090-1234-5678"),
            (Field::PostalCode, "100-0001"),
        ]);
        let b = record(&[
            (Field::Email, "taro@other.jp"),
            (Field::Phone, "080-1234-5678"),
            (Field::PostalCode, "100-0005"),
        ]);
        assert_eq!(level(&a, &b, Comparison::Email), "same_local_part");
        assert_eq!(level(&a, &b, Comparison::Phone), "same_last_8");
        assert_eq!(level(&a, &b, Comparison::PostalCode), "same_first_3");
    }

    #[test]
    fn addresses_and_passports_grade() {
        let a = record(&[
            (Field::Address, "東京都千代田区丸の内1-1-1"),
            (Field::PassportNumber, "TK1234567"),
            (Field::Gender, "男"),
        ]);
        let b = record(&[
            (Field::Address, "千代田区丸ノ内一丁目1番1号"),
            (Field::PassportNumber, "TK7654321"),
            (Field::Gender, "女"),
        ]);
        let c = record(&[(Field::Address, "東京都千代田区永田町2-3-1")]);
        assert_eq!(level(&a, &b, Comparison::Address), "numbers_and_town");
        assert_eq!(level(&a, &c, Comparison::Address), "city");
        assert_eq!(level(&a, &b, Comparison::Passport), "disagree");
        assert_eq!(level(&a, &b, Comparison::Gender), "disagree");
    }
}
