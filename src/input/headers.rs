//! Header matching: which column of a file holds which field.
//!
//! Headers are compared after NFKC, trimming and lower-casing with the aliases
//! of `tables/header_aliases.tsv`; `--map FIELD=HEADER` overrides an alias.
//! A name may come whole (氏名) or split in two columns (姓 + 名), an
//! address whole (住所) or in up to four (都道府県, 市区町村, 町名番地, 建物名);
//! the split form is used only when the whole one is absent, but for a
//! building column, read after a whole address.
//!
//! Invariant: a [`FieldMap`] of a recovered file has at least one identifying
//! field, and one of a booking file has booking_id and channel; otherwise
//! [`FieldMap::resolve`] fails naming the file and the headers it saw.

use anyhow::{bail, Result};

use super::InputKind;

mod aliases;
mod shown;
pub use aliases::header_key;
#[cfg(test)]
use aliases::ALIASES;
use aliases::{described_alias, exact_alias};
use shown::holds_values;
pub use shown::{looks_like_a_value, readable_header, shown_header, shown_header_list, shown_headers};

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

    /// Whether a file of `kind` reads the field: a booking export has no
    /// record id (its rows are keyed by the booking id), and a recovered
    /// file's booking columns are no one's rule input. A column of a field
    /// its file does not read is reported unread, as any other.
    pub fn is_read_in(self, kind: InputKind) -> bool {
        let booking_only = matches!(
            self,
            Field::BookingId
                | Field::Channel
                | Field::BookingMethod
                | Field::PaymentPlace
                | Field::Product
                | Field::BookedAt
        );
        match kind {
            InputKind::Recovered => !booking_only,
            InputKind::Bookings => self != Field::RecordId,
            InputKind::RuleValues => true,
        }
    }

    /// A name in one of its scripts.
    pub fn is_name(self) -> bool {
        matches!(self, Field::NameKanji | Field::NameKana | Field::NameRomaji)
    }
}

/// Which part of a field a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Whole,
    Surname,
    Given,
    /// One part of an address split over columns ([`AddressPart`]).
    Address(AddressPart),
    /// The year, month or day of a birth date split over columns.
    Date(DatePart),
}

/// The parts a birth date is split into by forms that ask for it in three
/// boxes and by database tables that keep them so (生年 / 生月 / 生日,
/// birth_year / birth_month / birth_day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

impl DatePart {
    pub const ALL: [DatePart; 3] = [DatePart::Year, DatePart::Month, DatePart::Day];

    /// The part's column name as `--map` takes it.
    fn name(self) -> &'static str {
        match self {
            DatePart::Year => "birth_year",
            DatePart::Month => "birth_month",
            DatePart::Day => "birth_day",
        }
    }
}

/// Headers that name the whole birth date in most files but the day where
/// a year and a month column stand beside them (誕生年, 誕生月, 誕生日).
/// (`birth_day` is one of them: headers are compared without underscores.)
const DAY_OR_DATE_HEADERS: [&str; 2] = ["誕生日", "birthday"];

/// The parts an address is split into by forms and exports that ask for
/// it field by field (都道府県 / 市区町村 / 町名番地 / 建物名), in the order
/// they are written one after the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressPart {
    Prefecture,
    City,
    Street,
    Building,
}

impl AddressPart {
    pub const ALL: [AddressPart; 4] =
        [AddressPart::Prefecture, AddressPart::City, AddressPart::Street, AddressPart::Building];

    /// The part's column name as `--map` takes it.
    fn name(self) -> &'static str {
        match self {
            AddressPart::Prefecture => "address_prefecture",
            AddressPart::City => "address_city",
            AddressPart::Street => "address_street",
            AddressPart::Building => "address_building",
        }
    }
}

/// A column a header can name: a field, one half of a split name field, or
/// one part of a split address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Column {
    pub field: Field,
    pub part: Part,
}

impl Column {
    /// Parses a column name such as `email` or `surname_kana`.
    pub fn from_name(name: &str) -> Option<Column> {
        if let Some(part) = AddressPart::ALL.into_iter().find(|p| p.name() == name) {
            return Some(Column { field: Field::Address, part: Part::Address(part) });
        }
        if let Some(part) = DatePart::ALL.into_iter().find(|p| p.name() == name) {
            return Some(Column { field: Field::BirthDate, part: Part::Date(part) });
        }
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
            Part::Address(part) => part.name().to_string(),
            Part::Date(part) => part.name().to_string(),
        }
    }

    /// Every column name `--map` accepts, for error messages and the README.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = Field::ALL.iter().map(|f| f.name().to_string()).collect();
        for script in ["kanji", "kana", "romaji"] {
            names.push(format!("surname_{script}"));
            names.push(format!("given_{script}"));
        }
        names.extend(AddressPart::ALL.iter().map(|part| part.name().to_string()));
        names.extend(DatePart::ALL.iter().map(|part| part.name().to_string()));
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
    /// An address in up to four columns, by [`AddressPart`] in order (any
    /// may be absent): read as their texts one after the other.
    AddressParts([Option<usize>; 4]),
    /// A birth date in up to three columns, by [`DatePart`] in order (any
    /// may be absent): read as 年, 月 and 日 after each.
    DateParts([Option<usize>; 3]),
}

impl Source {
    /// The columns the field is read from, in reading order.
    pub fn columns(self) -> impl Iterator<Item = usize> {
        let (whole, split, parts, date) = match self {
            Source::Absent => (None, [None; 2], [None; 4], [None; 3]),
            Source::Whole(column) => (Some(column), [None; 2], [None; 4], [None; 3]),
            Source::Split { surname, given } => (None, [surname, given], [None; 4], [None; 3]),
            Source::AddressParts(parts) => (None, [None; 2], parts, [None; 3]),
            Source::DateParts(date) => (None, [None; 2], [None; 4], date),
        };
        whole
            .into_iter()
            .chain(split.into_iter().flatten())
            .chain(parts.into_iter().flatten())
            .chain(date.into_iter().flatten())
    }
}

/// The resolved column layout of one file.
#[derive(Clone, Debug)]
pub struct FieldMap {
    sources: [Source; Field::COUNT],
    /// For an email, a phone or a postal code read whole from one column,
    /// the next columns that name the field too (電話番号 and 携帯電話番号,
    /// メールアドレス and 携帯メール, tel01, tel02 and tel03), at most
    /// [`more_columns`] of them ([`FieldMap::second`], [`FieldMap::third`]).
    more: [[Option<usize>; 2]; Field::COUNT],
    /// Columns no field reads (their indexes, in file order): a column
    /// whose header is no alias and no `--map`, or a later duplicate.
    unread: Vec<usize>,
}

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
        let Assigned { whole, surname, given, address_parts, date_parts, mut more } =
            Assigned::from_keys(kind, &keys, overrides);
        // The split forms are read only when the whole one is absent.
        let mut sources = [Source::Absent; Field::COUNT];
        for field in Field::ALL {
            let i = field as usize;
            sources[i] = match (whole[i], surname[i], given[i]) {
                (Some(index), _, _) => Source::Whole(index),
                (None, None, None) => Source::Absent,
                (None, surname, given) => Source::Split { surname, given },
            };
        }
        let address = &mut sources[Field::Address as usize];
        let building = address_parts[AddressPart::Building as usize];
        match *address {
            Source::Absent if address_parts.iter().any(Option::is_some) => {
                *address = Source::AddressParts(address_parts);
            }
            // A building column beside a whole address (住所 and 建物名 or
            // 住所2, as many forms ask) is read after it: the building and
            // the room are what tell two flats at one house number apart
            // (neighbours, not a household). Other parts beside a whole
            // address are not: the whole address holds them already, or
            // leaves out only what its postal code and city tell.
            Source::Whole(whole) if building.is_some() => {
                *address = Source::AddressParts([None, None, Some(whole), building]);
            }
            _ => {}
        }
        sources[Field::BirthDate as usize] = birth_date(sources[Field::BirthDate as usize], date_parts, &keys);
        for field in Field::ALL {
            if !matches!(sources[field as usize], Source::Whole(_)) {
                more[field as usize] = [None; 2];
            }
        }
        let read: Vec<usize> = sources
            .iter()
            .flat_map(|source| source.columns())
            .chain(more.iter().flatten().flatten().copied())
            .collect();
        let unread = (0..headers.len()).filter(|index| !read.contains(index)).collect();
        let map = FieldMap { sources, more, unread };
        map.check(file, kind, headers)?;
        Ok(map)
    }

    fn check(&self, file: &str, kind: InputKind, headers: &[String]) -> Result<()> {
        let seen = || shown_headers(headers, 0..headers.len());
        let headerless = || -> Result<()> {
            if holds_values(headers) {
                bail!(
                    "{file}: line 1 holds values, not column names (an email, a date or a number: \
                     not shown here); the file needs a header row that names its columns \
                     (氏名, 生年月日, メールアドレス, 予約番号, …: see README, Input fields)"
                );
            }
            Ok(())
        };
        let needs_identifying = kind != InputKind::RuleValues;
        if needs_identifying && !Field::ALL.iter().any(|f| f.is_identifying() && self.has(*f)) {
            headerless()?;
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
                headerless()?;
                bail!("{file}: a booking export needs a {} column; headers seen: {}", required.name(), seen());
            }
        }
        Ok(())
    }

    /// Where `field` comes from.
    pub fn source(&self, field: Field) -> Source {
        self.sources[field as usize]
    }

    /// The column read for `field` where its own gives no usable value:
    /// a form asks for several phones (自宅, 携帯) and emails (PC, 携帯),
    /// and a customer fills in one, not always the first. Only where the
    /// first is empty or unusable, never beside it: a record holds one
    /// value a field, and the first is the one the file puts first.
    /// For a postal code, the second box of a code asked for in two (zip01,
    /// zip02), read only as that (`record::join_number_parts`).
    pub fn second(&self, field: Field) -> Option<usize> {
        self.more[field as usize][0]
    }

    /// A phone's third column: the third box of a number asked for in
    /// three (tel01, tel02, tel03), read only as that.
    pub fn third(&self, field: Field) -> Option<usize> {
        self.more[field as usize][1]
    }

    /// Whether the file has `field` at all.
    pub fn has(&self, field: Field) -> bool {
        self.sources[field as usize] != Source::Absent
    }

    /// The indexes of the columns no field reads, in file order.
    pub fn unread_columns(&self) -> &[usize] {
        &self.unread
    }
}

/// The columns each field's aliases and `--map` name, before the whole
/// and split forms are weighed against each other.
#[derive(Default)]
struct Assigned {
    whole: [Option<usize>; Field::COUNT],
    surname: [Option<usize>; Field::COUNT],
    given: [Option<usize>; Field::COUNT],
    address_parts: [Option<usize>; 4],
    date_parts: [Option<usize>; 3],
    more: [[Option<usize>; 2]; Field::COUNT],
}

impl Assigned {
    /// `--map` first, then the aliases, then what a note or a number hides,
    /// so that a described column (電話番号(勤務先)) is read only when no
    /// plain one (電話番号) is there, wherever the two stand. A field the
    /// file's kind does not read is left out ([`Field::is_read_in`]).
    fn from_keys(kind: InputKind, keys: &[String], overrides: &[(Column, String)]) -> Assigned {
        let mut assigned = Assigned::default();
        // A field `--map` names is read from that column alone.
        let mapped: Vec<Field> = overrides.iter().map(|(column, _)| column.field).collect();
        let override_keys: Vec<String> = overrides.iter().map(|(_, header)| header_key(header)).collect();
        for (column, wanted) in overrides.iter().map(|(column, _)| column).zip(&override_keys) {
            if let Some(index) = keys.iter().position(|k| k == wanted) {
                assigned.assign(kind, *column, index, &mapped);
            }
        }
        for alias in [exact_alias as fn(&str) -> Option<Column>, described_alias] {
            for (index, key) in keys.iter().enumerate() {
                if override_keys.contains(key) {
                    continue;
                }
                if let Some(column) = alias(key) {
                    assigned.assign(kind, column, index, &mapped);
                }
            }
        }
        assigned
    }

    /// The first matching column wins; a later one is an email's, a
    /// phone's or a postal code's next column, or else ignored (a later
    /// duplicate).
    fn assign(&mut self, kind: InputKind, column: Column, index: usize, mapped: &[Field]) {
        if !column.field.is_read_in(kind) {
            return;
        }
        let field = column.field;
        let slot = match column.part {
            Part::Whole => &mut self.whole[field as usize],
            Part::Surname => &mut self.surname[field as usize],
            Part::Given => &mut self.given[field as usize],
            Part::Address(part) => &mut self.address_parts[part as usize],
            Part::Date(part) => &mut self.date_parts[part as usize],
        };
        match *slot {
            None => *slot = Some(index),
            Some(first) if first != index && column.part == Part::Whole && !mapped.contains(&field) => {
                let more = &mut self.more[field as usize][..more_columns(field)];
                if let Some(free) = more.iter_mut().find(|c| c.is_none()) {
                    *free = Some(index);
                }
            }
            Some(_) => {}
        }
    }
}

/// Where the birth date comes from: its whole column, else its parts; but
/// a whole column headed 誕生日 or birthday beside a year and a month
/// column and no day column is the day (誕生年, 誕生月, 誕生日), as the
/// whole date it would be read as a date and be unusable in every row.
fn birth_date(whole: Source, mut parts: [Option<usize>; 3], keys: &[String]) -> Source {
    let [year, month, day] = parts;
    match whole {
        Source::Whole(column)
            if year.is_some()
                && month.is_some()
                && day.is_none()
                && DAY_OR_DATE_HEADERS.iter().any(|header| header_key(header) == keys[column]) =>
        {
            parts[DatePart::Day as usize] = Some(column);
            Source::DateParts(parts)
        }
        Source::Absent if parts.iter().any(Option::is_some) => Source::DateParts(parts),
        source => source,
    }
}

/// How many columns of `field` are read after its first
/// ([`FieldMap::second`]): an email's and a phone's second, the contacts a
/// customer has several of; a phone's third and a postal code's second,
/// the boxes a form asks a number in. Not a name, a birth date or an
/// address: two columns of one of those are a duplicate, or another
/// person's or place's (氏名(旧姓), 住所(勤務先)).
fn more_columns(field: Field) -> usize {
    match field {
        Field::Phone => 2,
        Field::Email | Field::PostalCode => 1,
        _ => 0,
    }
}

/// Tells whether `header` appears among `headers` after header normalization.
pub fn contains_header(headers: &[String], header: &str) -> bool {
    let wanted = header_key(header);
    headers.iter().any(|h| header_key(h) == wanted)
}

#[cfg(test)]
mod tests;
