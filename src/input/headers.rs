//! Header matching: which column of a file holds which field.
//!
//! Headers are compared after NFKC, trimming and lower-casing with the aliases
//! of `tables/header_aliases.tsv`; `--map FIELD=HEADER` overrides an alias.
//! A name may come whole (氏名) or split in two columns (姓 + 名); the split
//! form is used only when the whole one is absent.
//!
//! Invariant: a [`FieldMap`] of a recovered file has at least one identifying
//! field, and one of a booking file has booking_id and channel; otherwise
//! [`FieldMap::resolve`] fails naming the file and the headers it saw.

use std::sync::LazyLock;

use anyhow::{bail, Result};
use unicode_normalization::UnicodeNormalization;

use super::InputKind;

/// A logical field of a record (SPEC section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    RecordId,
    NameKanji,
    NameKana,
    NameRomaji,
    Gender,
    BirthDate,
    Email,
    Address,
    PostalCode,
    Phone,
    PassportNumber,
    PassportIssueDate,
    BookingId,
    Channel,
    BookingMethod,
    PaymentPlace,
    Product,
    BookedAt,
}

impl Field {
    /// Number of fields; sizes the per-field arrays.
    pub const COUNT: usize = 18;

    /// Every field, in declaration order.
    pub const ALL: [Field; Field::COUNT] = [
        Field::RecordId,
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
        Field::BookingId,
        Field::Channel,
        Field::BookingMethod,
        Field::PaymentPlace,
        Field::Product,
        Field::BookedAt,
    ];

    /// The field's name as used in `--map`, counts.json and messages.
    pub fn name(self) -> &'static str {
        match self {
            Field::RecordId => "record_id",
            Field::NameKanji => "name_kanji",
            Field::NameKana => "name_kana",
            Field::NameRomaji => "name_romaji",
            Field::Gender => "gender",
            Field::BirthDate => "birth_date",
            Field::Email => "email",
            Field::Address => "address",
            Field::PostalCode => "postal_code",
            Field::Phone => "phone",
            Field::PassportNumber => "passport_number",
            Field::PassportIssueDate => "passport_issue_date",
            Field::BookingId => "booking_id",
            Field::Channel => "channel",
            Field::BookingMethod => "booking_method",
            Field::PaymentPlace => "payment_place",
            Field::Product => "product",
            Field::BookedAt => "booked_at",
        }
    }

    /// Fields that can identify a person on their own or together; a recovered
    /// file needs at least one of them.
    pub fn is_identifying(self) -> bool {
        matches!(
            self,
            Field::NameKanji
                | Field::NameKana
                | Field::NameRomaji
                | Field::BirthDate
                | Field::Email
                | Field::Address
                | Field::PostalCode
                | Field::Phone
                | Field::PassportNumber
        )
    }
}

/// Which part of a field a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Whole,
    Surname,
    Given,
}

/// A column a header can name: a field, or one half of a split name field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Column {
    pub field: Field,
    pub part: Part,
}

impl Column {
    /// Parses a column name such as `email` or `surname_kana`.
    pub fn from_name(name: &str) -> Option<Column> {
        let (part, rest) = if let Some(rest) = name.strip_prefix("surname_") {
            (Part::Surname, rest)
        } else if let Some(rest) = name.strip_prefix("given_") {
            (Part::Given, rest)
        } else {
            (Part::Whole, name)
        };
        let field_name = if part == Part::Whole { rest.to_string() } else { format!("name_{rest}") };
        let field = Field::ALL.into_iter().find(|f| f.name() == field_name)?;
        let is_name = matches!(field, Field::NameKanji | Field::NameKana | Field::NameRomaji);
        (part == Part::Whole || is_name).then_some(Column { field, part })
    }

    /// The column's name as `--map` takes it (`email`, `surname_kana`).
    pub fn name(self) -> String {
        let field = self.field.name();
        match self.part {
            Part::Whole => field.to_string(),
            Part::Surname => field.replacen("name_", "surname_", 1),
            Part::Given => field.replacen("name_", "given_", 1),
        }
    }

    /// Every column name `--map` accepts, for error messages and the README.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = Field::ALL.iter().map(|f| f.name().to_string()).collect();
        for script in ["kanji", "kana", "romaji"] {
            names.push(format!("surname_{script}"));
            names.push(format!("given_{script}"));
        }
        names
    }
}

/// Where one field's value comes from in a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Not in this file.
    Absent,
    /// One column holds the whole value.
    Whole(usize),
    /// Surname and given name in two columns (either may be absent).
    Split { surname: Option<usize>, given: Option<usize> },
}

/// The resolved column layout of one file.
#[derive(Clone, Debug)]
pub struct FieldMap {
    sources: [Source; Field::COUNT],
}

/// Normalizes a header or alias for comparison: NFKC, trimmed, lower-case.
pub fn header_key(header: &str) -> String {
    header.nfkc().collect::<String>().trim().to_lowercase()
}

static ALIASES: LazyLock<Vec<(String, Column)>> = LazyLock::new(|| {
    include_str!("tables/header_aliases.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (column, alias) = line.split_once('\t').expect("header_aliases.tsv: column<TAB>alias");
            let column = Column::from_name(column).expect("header_aliases.tsv: known column name");
            (header_key(alias), column)
        })
        .collect()
});

impl FieldMap {
    /// Resolves the columns of a file from its decoded headers.
    ///
    /// `overrides` are the `--map` pairs; an override whose header is not in
    /// this file is ignored here (config checks it names some input file).
    pub fn resolve(
        file: &str,
        kind: InputKind,
        headers: &[String],
        overrides: &[(Column, String)],
    ) -> Result<FieldMap> {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut whole: [Option<usize>; Field::COUNT] = [None; Field::COUNT];
        let mut surname: [Option<usize>; Field::COUNT] = [None; Field::COUNT];
        let mut given: [Option<usize>; Field::COUNT] = [None; Field::COUNT];
        let mut assign = |column: Column, index: usize| {
            let slot = match column.part {
                Part::Whole => &mut whole[column.field as usize],
                Part::Surname => &mut surname[column.field as usize],
                Part::Given => &mut given[column.field as usize],
            };
            // The first matching column wins; a later duplicate header is ignored.
            slot.get_or_insert(index);
        };
        for (column, header) in overrides {
            let wanted = header_key(header);
            if let Some(index) = keys.iter().position(|k| *k == wanted) {
                assign(*column, index);
            }
        }
        for (index, key) in keys.iter().enumerate() {
            if overrides.iter().any(|(_, h)| header_key(h) == *key) {
                continue;
            }
            if let Some((_, column)) = ALIASES.iter().find(|(alias, _)| alias == key) {
                assign(*column, index);
            }
        }
        let mut sources = [Source::Absent; Field::COUNT];
        for field in Field::ALL {
            let i = field as usize;
            sources[i] = match (whole[i], surname[i], given[i]) {
                (Some(index), _, _) => Source::Whole(index),
                (None, None, None) => Source::Absent,
                (None, surname, given) => Source::Split { surname, given },
            };
        }
        let map = FieldMap { sources };
        map.check(file, kind, headers)?;
        Ok(map)
    }

    fn check(&self, file: &str, kind: InputKind, headers: &[String]) -> Result<()> {
        let seen = || headers.join(", ");
        let needs_identifying = kind != InputKind::RuleValues;
        if needs_identifying && !Field::ALL.iter().any(|f| f.is_identifying() && self.has(*f)) {
            bail!(
                "{file}: no identifying column (name, birth date, email, address, postal code, \
                 phone or passport number); headers seen: {}",
                seen()
            );
        }
        let required: &[Field] = match kind {
            InputKind::Recovered => &[],
            InputKind::Bookings => &[Field::BookingId, Field::Channel],
            InputKind::RuleValues => &[Field::Channel],
        };
        for &required in required {
            if !self.has(required) {
                bail!("{file}: a booking export needs a {} column; headers seen: {}", required.name(), seen());
            }
        }
        Ok(())
    }

    /// Where `field` comes from.
    pub fn source(&self, field: Field) -> Source {
        self.sources[field as usize]
    }

    /// Whether the file has `field` at all.
    pub fn has(&self, field: Field) -> bool {
        self.sources[field as usize] != Source::Absent
    }
}

/// Tells whether `header` appears among `headers` after header normalization.
pub fn contains_header(headers: &[String], header: &str) -> bool {
    let wanted = header_key(header);
    headers.iter().any(|h| header_key(h) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn japanese_headers_match_after_nfkc_and_case_folding() {
        let headers = strings(&["ﾚｺｰﾄﾞID", " 氏名 ", "フリガナ", "EMAIL", "生年月日"]);
        let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
        assert_eq!(map.source(Field::RecordId), Source::Whole(0));
        assert_eq!(map.source(Field::NameKanji), Source::Whole(1));
        assert_eq!(map.source(Field::NameKana), Source::Whole(2));
        assert_eq!(map.source(Field::Email), Source::Whole(3));
        assert_eq!(map.source(Field::BirthDate), Source::Whole(4));
    }

    #[test]
    fn split_name_columns_are_combined() {
        let headers = strings(&["姓", "名", "セイ", "メイ"]);
        let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &[]).unwrap();
        assert_eq!(map.source(Field::NameKanji), Source::Split { surname: Some(0), given: Some(1) });
        assert_eq!(map.source(Field::NameKana), Source::Split { surname: Some(2), given: Some(3) });
    }

    #[test]
    fn map_override_wins_over_alias() {
        let headers = strings(&["email", "連絡先"]);
        let overrides = vec![(Column::from_name("email").unwrap(), "連絡先".to_string())];
        let map = FieldMap::resolve("f", InputKind::Recovered, &headers, &overrides).unwrap();
        assert_eq!(map.source(Field::Email), Source::Whole(1));
    }

    #[test]
    fn file_without_identifying_column_names_its_headers() {
        let err =
            FieldMap::resolve("x.csv", InputKind::Recovered, &strings(&["id", "memo"]), &[]).unwrap_err().to_string();
        assert!(err.contains("x.csv") && err.contains("id, memo"), "{err}");
    }

    #[test]
    fn booking_file_needs_booking_id_and_channel() {
        let err = FieldMap::resolve("b.csv", InputKind::Bookings, &strings(&["email", "channel"]), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("booking_id"), "{err}");
    }

    #[test]
    fn column_names_round_trip() {
        for name in Column::all_names() {
            assert!(Column::from_name(&name).is_some(), "{name}");
        }
        assert!(Column::from_name("surname_email").is_none());
        assert!(Column::from_name("nope").is_none());
    }
}
