//! Normalization: what "the same" means for each field (SPEC section 4).
//!
//! Every field module exposes the same shape of function,
//! `normalize(raw, scratch, out) -> Outcome`: it writes the field's canonical
//! key into `out` (cleared first) and says whether the value was usable. An
//! unusable value becomes missing and is counted per field in counts.json
//! (`invalid_<field>`); it never aborts the run and is never printed.
//!
//! Invariant: normalizing a row allocates nothing once the [`Scratch`] and
//! [`NormalizedRecord`] buffers have grown to the row's size.

pub mod address;
pub mod date;
pub mod email;
pub mod gender;
pub mod kana;
pub mod name;
pub mod passport;
pub mod phone;
pub mod postal;
pub mod text;

pub use date::Date;
pub use gender::Gender;

use crate::input::record::RawFields;
use crate::input::Field;

/// What a normalizer made of one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A usable key was written.
    Value,
    /// The raw value was empty.
    Missing,
    /// The raw value was present but unusable; the key is left empty.
    Invalid,
}

/// Buffers a worker reuses from row to row.
#[derive(Debug, Default)]
pub struct Scratch {
    pub text: String,
}

/// The normalized keys of one record (recovered row or booking row).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizedRecord {
    /// Kanji name key: NFKC, no spaces.
    pub name_kanji: String,
    /// Kana name key: katakana, no spaces.
    pub name_kana: String,
    /// Romaji name: upper-case tokens separated by one space.
    pub name_romaji: String,
    pub gender: Gender,
    pub birth_date: Option<Date>,
    /// Trimmed, NFKC, lower-case.
    pub email: String,
    pub address: String,
    /// Seven ASCII digits.
    pub postal_code: String,
    /// National number, digits only, leading 0.
    pub phone: String,
    /// Two letters and seven digits.
    pub passport_number: String,
    pub passport_issue_date: Option<Date>,
}

impl NormalizedRecord {
    /// Whether any identifying key survived normalization.
    pub fn has_identifying_value(&self) -> bool {
        !(self.name_kanji.is_empty()
            && self.name_kana.is_empty()
            && self.name_romaji.is_empty()
            && self.birth_date.is_none()
            && self.email.is_empty()
            && self.address.is_empty()
            && self.postal_code.is_empty()
            && self.phone.is_empty()
            && self.passport_number.is_empty())
    }
}

/// Fields whose value was present but unusable in one row, as a bit set over
/// [`Field`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvalidFields(u32);

impl InvalidFields {
    fn mark(&mut self, field: Field, outcome: Outcome) {
        if outcome == Outcome::Invalid {
            self.0 |= 1 << field as u32;
        }
    }

    /// Whether `field` was invalid.
    pub fn contains(self, field: Field) -> bool {
        self.0 & (1 << field as u32) != 0
    }
}

/// Per-field totals of invalid values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvalidCounts(pub [u64; Field::COUNT]);

impl InvalidCounts {
    /// Adds one row's invalid fields.
    pub fn add(&mut self, invalid: InvalidFields) {
        for field in Field::ALL {
            if invalid.contains(field) {
                self.0[field as usize] += 1;
            }
        }
    }

    /// Adds another total.
    pub fn merge(&mut self, other: &InvalidCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            *mine += theirs;
        }
    }

    pub fn get(&self, field: Field) -> u64 {
        self.0[field as usize]
    }
}

/// Normalizes the customer fields of a row into `out`.
pub fn normalize_record(raw: &RawFields, scratch: &mut Scratch, out: &mut NormalizedRecord) -> InvalidFields {
    let mut invalid = InvalidFields::default();
    let s = &mut scratch.text;
    invalid.mark(Field::NameKanji, name::normalize_kanji(raw.get(Field::NameKanji), s, &mut out.name_kanji));
    invalid.mark(Field::NameKana, name::normalize_kana(raw.get(Field::NameKana), s, &mut out.name_kana));
    invalid.mark(Field::NameRomaji, name::normalize_romaji(raw.get(Field::NameRomaji), s, &mut out.name_romaji));
    invalid.mark(Field::Gender, gender::normalize(raw.get(Field::Gender), s, &mut out.gender));
    invalid.mark(Field::BirthDate, date::normalize(raw.get(Field::BirthDate), s, &mut out.birth_date));
    invalid.mark(Field::Email, email::normalize(raw.get(Field::Email), s, &mut out.email));
    invalid.mark(Field::Address, address::normalize(raw.get(Field::Address), s, &mut out.address));
    invalid.mark(Field::PostalCode, postal::normalize(raw.get(Field::PostalCode), s, &mut out.postal_code));
    invalid.mark(Field::Phone, phone::normalize(raw.get(Field::Phone), s, &mut out.phone));
    invalid
        .mark(Field::PassportNumber, passport::normalize(raw.get(Field::PassportNumber), s, &mut out.passport_number));
    invalid.mark(
        Field::PassportIssueDate,
        date::normalize(raw.get(Field::PassportIssueDate), s, &mut out.passport_issue_date),
    );
    invalid
}

#[cfg(test)]
pub(crate) mod table_test {
    //! Drives the table tests in fixtures/normalize/<field>.tsv: one case per
    //! line, `input<TAB>expected`, `#` comments; an empty expected value means
    //! the input is unusable (or missing).

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
            cases += 1;
            let got = normalize(input);
            if got != expected {
                failures.push(format!("line {}: {input:?} -> {got:?}, expected {expected:?}", index + 1));
            }
        }
        assert!(cases > 0, "{}: no cases", path.display());
        assert!(failures.is_empty(), "{}:\n{}", path.display(), failures.join("\n"));
    }
}
