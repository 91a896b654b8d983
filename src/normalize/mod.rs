//! Normalization: what "the same" means for each field (SPEC section 4,
//! research notes sections 1–8).
//!
//! Every field module exposes the same shape of function,
//! `normalize(raw, scratch, out) -> Outcome`: it writes the field's
//! canonical value and keys into `out` (cleared first) and says whether the
//! value was usable. An unusable value becomes missing and is counted per
//! field in counts.json (`invalid_<field>`); it never aborts the run and is
//! never printed.
//!
//! Invariant: normalizing a row allocates nothing on the common path once the
//! [`Scratch`] and [`NormalizedRecord`] buffers have grown (a romaji name
//! field, rarer, allocates its token list).

pub mod address;
pub mod date;
pub mod email;
pub mod gender;
pub mod hepburn;
pub mod kana;
pub mod kanji;
pub mod name;
pub mod name_columns;
pub mod name_romaji;
#[cfg(test)]
mod notation_properties;
pub mod note;
pub mod part_memo;
pub mod passport;
pub mod phone;
pub mod placeholder;
pub mod postal;
#[cfg(test)]
mod properties;
pub mod reading_table;
pub mod readings;
pub mod romaji;
pub mod store;
pub mod text;

pub use date::Date;
pub use gender::Gender;

use crate::input::record::RawFields;
use crate::input::Field;

/// What a normalizer made of one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A usable value was written.
    Value,
    /// A usable value was written, but the input needed a repair worth
    /// counting (a date past its era's end, read in the next era).
    Flagged,
    /// The raw value was empty.
    Missing,
    /// The raw value was present but unusable; the output is left empty.
    Invalid,
}

impl Outcome {
    /// Whether a usable value was written (flagged or not).
    pub fn is_usable(self) -> bool {
        matches!(self, Outcome::Value | Outcome::Flagged)
    }
}

/// Buffers a worker reuses from row to row, and the reference date.
#[derive(Debug)]
pub struct Scratch {
    pub text: String,
    pub aux: String,
    pub tmp: String,
    /// A date with its dashes written `-` (`date::normalize`).
    pub dashed: String,
    pub names: name::NameScratch,
    /// Letters of a romaji name's tokens, and the tokens as ranges into it.
    pub letters: String,
    pub tokens: Vec<(usize, usize)>,
    /// A kana name with its two parts swapped (`normalize_record`).
    pub reordered: String,
    /// A phone's second column, normalized beside the first
    /// (`normalize_phone`).
    pub second_phone: String,
    /// An address whose prefecture was written as its code
    /// (`address::normalize`).
    pub coded_address: String,
    /// Dates after this day are unusable (no birth or issue date lies in the
    /// future), and two-digit years resolve to the latest year not after it.
    pub reference_date: Date,
}

impl Scratch {
    /// Scratch judging dates against `reference_date` (the run's `--as-of`).
    pub fn new(reference_date: Date) -> Scratch {
        Scratch {
            text: String::new(),
            aux: String::new(),
            tmp: String::new(),
            dashed: String::new(),
            names: name::NameScratch::default(),
            letters: String::new(),
            tokens: Vec::new(),
            reordered: String::new(),
            second_phone: String::new(),
            coded_address: String::new(),
            reference_date,
        }
    }
}

impl Default for Scratch {
    /// Scratch whose reference date is the last day jiff can represent, so
    /// that no date is judged to be in the future (tests and benchmarks).
    fn default() -> Scratch {
        Scratch::new(Date::MAX)
    }
}

/// The normalized values and keys of one record (recovered or booking row).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
///
/// `S` is how a text is held: `String` while a row is normalized, `&str` in
/// a [`RecordView`] that the matching code reads, an offset in a
/// [`store::RecordStore`].
pub struct NormalizedRecord<S = String> {
    pub name_kanji: name::KanjiName<S>,
    pub name_kana: name::KanaName<S>,
    pub name_romaji: name::RomajiField<S>,
    pub gender: Gender,
    /// The gender came from a romaji title, not a gender column.
    pub gender_from_title: bool,
    pub birth_date: Option<Date>,
    pub email: email::Email<S>,
    pub address: address::Address<S>,
    /// Seven ASCII digits.
    pub postal_code: S,
    /// National number, digits only, leading 0.
    pub phone: S,
    /// Two letters and seven digits.
    pub passport_number: S,
    pub passport_issue_date: Option<Date>,
}

/// A normalized record whose texts are borrowed: what comparing, blocking
/// and scoring read, from a [`store::RecordStore`] or from a row just
/// normalized ([`NormalizedRecord::view`]).
pub type RecordView<'a> = NormalizedRecord<&'a str>;

impl<S> NormalizedRecord<S> {
    /// The same record with each text mapped by `f`, always in the same
    /// field order (the store relies on it to lay texts out and read them
    /// back).
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> NormalizedRecord<T> {
        NormalizedRecord {
            name_kanji: self.name_kanji.map(f),
            name_kana: self.name_kana.map(f),
            name_romaji: self.name_romaji.map(f),
            gender: self.gender,
            gender_from_title: self.gender_from_title,
            birth_date: self.birth_date,
            email: self.email.map(f),
            address: self.address.map(f),
            postal_code: f(&self.postal_code),
            phone: f(&self.phone),
            passport_number: f(&self.passport_number),
            passport_issue_date: self.passport_issue_date,
        }
    }
}

impl NormalizedRecord {
    /// The record with its texts borrowed.
    pub fn view(&self) -> RecordView<'_> {
        self.map(&mut |text: &String| text.as_str())
    }
}

impl NormalizedRecord {
    /// Whether any identifying key survived normalization.
    pub fn has_identifying_value(&self) -> bool {
        !(self.name_kanji.strict.is_empty()
            && self.name_kana.strict.is_empty()
            && self.name_romaji.romaji.strict.is_empty()
            && self.birth_date.is_none()
            && self.email.key.is_empty()
            && self.address.full.is_empty()
            && self.postal_code.is_empty()
            && self.phone.is_empty()
            && self.passport_number.is_empty())
    }
}

/// Per-field bit sets over [`Field`] for one row: values that were invalid,
/// and values that were flagged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldFlags {
    invalid: u32,
    flagged: u32,
    present: u32,
}

impl FieldFlags {
    fn mark(&mut self, field: Field, outcome: Outcome) {
        if outcome != Outcome::Missing {
            self.present |= 1 << field as u32;
        }
        match outcome {
            Outcome::Invalid => self.invalid |= 1 << field as u32,
            Outcome::Flagged => self.flagged |= 1 << field as u32,
            Outcome::Value | Outcome::Missing => {}
        }
    }

    /// Whether `field` had a value (usable or not).
    pub fn is_present(self, field: Field) -> bool {
        self.present & (1 << field as u32) != 0
    }

    /// Whether `field` was invalid.
    pub fn is_invalid(self, field: Field) -> bool {
        self.invalid & (1 << field as u32) != 0
    }

    /// Whether `field` was flagged.
    pub fn is_flagged(self, field: Field) -> bool {
        self.flagged & (1 << field as u32) != 0
    }
}

/// Per-field totals of present, invalid and flagged values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldCounts {
    pub invalid: [u64; Field::COUNT],
    pub flagged: [u64; Field::COUNT],
    pub present: [u64; Field::COUNT],
}

impl FieldCounts {
    /// Adds one row's flags.
    pub fn add(&mut self, flags: FieldFlags) {
        for field in Field::ALL {
            self.invalid[field as usize] += u64::from(flags.is_invalid(field));
            self.flagged[field as usize] += u64::from(flags.is_flagged(field));
            self.present[field as usize] += u64::from(flags.is_present(field));
        }
    }

    /// Adds another total.
    pub fn merge(&mut self, other: &FieldCounts) {
        for field in 0..Field::COUNT {
            self.invalid[field] += other.invalid[field];
            self.flagged[field] += other.flagged[field];
            self.present[field] += other.present[field];
        }
    }

    pub fn invalid(&self, field: Field) -> u64 {
        self.invalid[field as usize]
    }

    pub fn flagged(&self, field: Field) -> u64 {
        self.flagged[field as usize]
    }

    pub fn present(&self, field: Field) -> u64 {
        self.present[field as usize]
    }
}

/// The customer fields a normalizer exists for, in output order.
pub const CUSTOMER_FIELDS: [Field; 11] = [
    Field::NameKanji,
    Field::NameKana,
    Field::NameRomaji,
    Field::Gender,
    Field::BirthDate,
    Field::Email,
    Field::Address,
    Field::PostalCode,
    Field::Phone,
    Field::PassportNumber,
    Field::PassportIssueDate,
];

/// Normalizes the customer fields of a row into `out`.
pub fn normalize_record(raw: &RawFields, scratch: &mut Scratch, out: &mut NormalizedRecord) -> FieldFlags {
    let mut flags = FieldFlags::default();
    let s = scratch;
    // A placeholder (`-`, `なし`, `N/A`) is a missing value; gender reads
    // its own words first (`不明` is an answer there).
    let raw_get = |field| placeholder::or_missing(raw.get(field));
    // Each name text in the column of its script (a kana name in the kanji
    // column is the kana name); it is counted in that column.
    let names =
        name_columns::sort_columns(raw_get(Field::NameKanji), raw_get(Field::NameKana), raw_get(Field::NameRomaji));
    flags.mark(Field::NameKanji, name::normalize_kanji(names.kanji, s, &mut out.name_kanji));
    // A row that writes its kanji name given name first writes its kana
    // name so too (伸幸 宇佐見, ノブユキ ウサミ): read surname first alike.
    let mut reordered = std::mem::take(&mut s.reordered);
    let kana = if s.names.kanji_given_first { name::swap_two_parts(names.kana, &mut reordered) } else { names.kana };
    flags.mark(Field::NameKana, name::normalize_kana(kana, s, &mut out.name_kana));
    s.reordered = reordered;
    name::split_kana_by_kanji(&out.name_kanji, s, &mut out.name_kana);
    flags.mark(Field::NameRomaji, name::normalize_romaji(names.romaji, s, &mut out.name_romaji));
    flags.mark(Field::Gender, gender::normalize(raw.get(Field::Gender), s, &mut out.gender));
    out.gender_from_title = false;
    if out.gender == Gender::Unknown && out.name_romaji.title_gender != Gender::Unknown {
        out.gender = out.name_romaji.title_gender;
        out.gender_from_title = true;
    }
    flags.mark(Field::BirthDate, date::normalize(raw_get(Field::BirthDate), s, &mut out.birth_date));
    flags.mark(Field::Email, first_usable(raw, Field::Email, |text| email::normalize(text, s, &mut out.email)));
    let postal_text = raw_get(Field::PostalCode);
    let (mut postal_outcome, postal_rest) = postal::normalize_with_rest(postal_text, s, &mut out.postal_code);
    // An address written after the code in the postal code column is the
    // row's address where its own column is empty (`postal`).
    let address_text = match raw_get(Field::Address) {
        "" if postal_rest == postal::Rest::Address => postal_text,
        text => text,
    };
    flags.mark(Field::Address, address::normalize(address_text, s, &mut out.address));
    if postal_outcome == Outcome::Missing && address::postal_code_written_first(&out.address, &mut out.postal_code) {
        postal_outcome = Outcome::Value;
    }
    flags.mark(Field::PostalCode, postal_outcome);
    flags.mark(Field::Phone, normalize_phone(raw, s, &mut out.phone));
    flags.mark(Field::PassportNumber, passport::normalize(raw_get(Field::PassportNumber), s, &mut out.passport_number));
    flags.mark(
        Field::PassportIssueDate,
        date::normalize(raw_get(Field::PassportIssueDate), s, &mut out.passport_issue_date),
    );
    flags
}

/// `normalize` of the field's first usable value: its own column's, else
/// its second column's (`RawFields::second`: a form's 携帯 number where the
/// home one is left empty, `なし` or mistyped). Where neither is usable the
/// first column's outcome is counted (unusable if it was), or the second's
/// when the first was empty. Each normalizer leaves its output empty
/// unless it returns a usable value, so the output is the value returned.
fn first_usable(raw: &RawFields, field: Field, mut normalize: impl FnMut(&str) -> Outcome) -> Outcome {
    let first = normalize(placeholder::or_missing(raw.get(field)));
    let second = placeholder::or_missing(raw.second(field));
    if first.is_usable() || second.is_empty() {
        return first;
    }
    match normalize(second) {
        outcome if outcome.is_usable() || first == Outcome::Missing => outcome,
        _ => first,
    }
}

/// The row's phone: the first usable of its columns ([`first_usable`]),
/// but a mobile in the second column over a number of another kind in the
/// first (自宅 03-…, 携帯 090-…): a handset is one person's and a fixed
/// line a household's (`phone::Line`), so the mobile says which member the
/// row is, and it is the number a booking form asking for one most often
/// gets. A record holds one number; the other is not compared.
fn normalize_phone(raw: &RawFields, s: &mut Scratch, out: &mut String) -> Outcome {
    let outcome = first_usable(raw, Field::Phone, |text| phone::normalize(text, s, out));
    let second = placeholder::or_missing(raw.second(Field::Phone));
    if second.is_empty() || !outcome.is_usable() || phone::line(out) == phone::Line::Mobile {
        return outcome;
    }
    let mut other = std::mem::take(&mut s.second_phone);
    let other_outcome = phone::normalize(second, s, &mut other);
    let chosen = if other_outcome.is_usable() && phone::line(&other) == phone::Line::Mobile {
        std::mem::swap(out, &mut other);
        other_outcome
    } else {
        outcome
    };
    s.second_phone = other;
    chosen
}

/// The normalized record of a row made of `fields` (tests of the matching
/// code build their records this way).
#[cfg(test)]
pub(crate) fn normalize_fields(fields: &[(Field, &str)]) -> NormalizedRecord {
    let mut raw = RawFields::default();
    for (field, value) in fields {
        raw.set(*field, value);
    }
    let mut out = NormalizedRecord::default();
    normalize_record(&raw, &mut Scratch::default(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_or_a_phone_is_read_from_its_second_column_where_the_first_gives_none() {
        table_test::run("second_column", |case| {
            let (field, columns) = case.split_once(' ').expect("field first|second");
            let (first, second) = columns.split_once('|').expect("first|second");
            let field = match field {
                "phone" => Field::Phone,
                "email" => Field::Email,
                other => panic!("no second column for {other}"),
            };
            let mut raw = RawFields::default();
            raw.set(field, first);
            raw.set_second(field, second);
            let mut out = NormalizedRecord::default();
            let flags = normalize_record(&raw, &mut Scratch::default(), &mut out);
            let outcome = match (flags.is_invalid(field), flags.is_flagged(field), flags.is_present(field)) {
                (true, ..) => Outcome::Invalid,
                (_, true, _) => Outcome::Flagged,
                (_, _, true) => Outcome::Value,
                _ => Outcome::Missing,
            };
            let value = if field == Field::Phone { out.phone } else { out.email.address };
            format!("{value} {outcome:?}")
        });
    }
}

#[cfg(test)]
pub(crate) mod table_test {
    //! Drives the table tests in fixtures/normalize/<field>.tsv: one case per
    //! line, `input<TAB>expected`, `#` comments; an empty expected value means
    //! the input is unusable (or missing). `\u{XXXX}` in an input is that
    //! character, so a case can hold one that a text file would not show
    //! (a zero-width space) or should not hold (a NUL).

    use std::path::PathBuf;

    /// Runs `normalize` over every case of `fixtures/normalize/<name>.tsv`
    /// and panics listing every failing line.
    pub fn run(name: &str, normalize: impl Fn(&str) -> String) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/normalize").join(format!("{name}.tsv"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut failures = Vec::new();
        let mut cases = 0;
        for (index, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (input, expected) = line.split_once('\t').unwrap_or((line, ""));
            let input = &unescaped(input);
            cases += 1;
            let got = normalize(input);
            if got != expected {
                failures.push(format!("line {}: {input:?} -> {got:?}, expected {expected:?}", index + 1));
            }
        }
        assert!(cases > 0, "{}: no cases", path.display());
        assert!(
            failures.is_empty(),
            "{}: {} of {cases} cases fail:\n{}",
            path.display(),
            failures.len(),
            failures.join("\n")
        );
    }

    /// `text` with each `\u{XXXX}` escape replaced by its character.
    fn unescaped(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("\\u{") {
            out.push_str(&rest[..at]);
            let (hex, after) = rest[at + 3..].split_once('}').unwrap_or_else(|| panic!("{text:?}: escape not closed"));
            let code = u32::from_str_radix(hex, 16).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            out.push(char::from_u32(code).unwrap_or_else(|| panic!("{text:?}: no character U+{hex}")));
            rest = after;
        }
        out.push_str(rest);
        out
    }
}
