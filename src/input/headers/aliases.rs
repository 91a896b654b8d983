//! Header aliases: a header's key (NFKC, lower case, no separators) and
//! the column it names, exactly (`tables/header_aliases.tsv`) or as an
//! alias with a note, a number or the customer's role around it.
//!
//! Invariant: a key names at most one column (test `no_two_fields_share_an_alias`).

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::{more_columns, Column, Part};
use crate::input::invisible::is_invisible;

/// Normalizes a header or alias for comparison: NFKC, lower-case, and
/// without invisible characters (`invisible::is_invisible`: a NUL, a
/// zero-width space or a byte order mark left inside a header), spaces,
/// underscores, hyphens and full stops, which exports put
/// between a header's words as they like (`Birth Date`, `birth_date`,
/// `BirthDate`, `E-mail`, `Passport No.` are one header each; read as
/// different, `Birth Date` was a column no field read).
pub fn header_key(header: &str) -> String {
    header
        .nfkc()
        .filter(|&c| !matches!(c, ' ' | '_' | '-' | '.') && !c.is_whitespace() && !is_invisible(c))
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) static ALIASES: LazyLock<Vec<(String, Column)>> = LazyLock::new(|| {
    include_str!("../tables/header_aliases.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (column, alias) = line.split_once('\t').expect("header_aliases.tsv: column<TAB>alias");
            let column = Column::from_name(column).expect("header_aliases.tsv: known column name");
            (header_key(alias), column)
        })
        .collect()
});

/// The column a header key that is no alias describes: for a field other
/// than a name, the alias before a note in brackets at its end (`生年月日(西暦)`,
/// `電話番号(携帯)`, `メールアドレス【PC】`: exports describe a column so), or
/// for an email, a phone or a postal code the alias before a number
/// (`電話番号1`, `email2`, `zip01`: a customer's several numbers, or the
/// boxes of one; read as columns of one field are, [`FieldMap::second`]), or
/// an alias after the customer's role ([`CUSTOMER_ROLES`]: 予約者電話番号,
/// 会員メールアドレス; 予約者名 is the booker's whole name, not a given name).
/// A name's note says which name it is (`氏名(英字)`
/// is the romaji name, `氏名(旧姓)` a former one), so a name header with a
/// note no alias lists stays unread, and is reported as such.
pub(super) fn described_alias(key: &str) -> Option<Column> {
    let after_role = || {
        let rest = CUSTOMER_ROLE_KEYS.iter().find_map(|role| key.strip_prefix(role.as_str()))?;
        let column = exact_alias(rest).or_else(|| described_alias(rest))?;
        // The role's 名 (予約者名, 予約者名カナ) is its whole name.
        match column.part {
            Part::Given if rest.starts_with('名') => Some(Column { part: Part::Whole, ..column }),
            _ => Some(column),
        }
    };
    let before_note = || {
        let head = HEADER_NOTE_BRACKETS.iter().find_map(|&(open, close)| {
            let inner = key.strip_suffix(close)?;
            inner.rfind(open).map(|at| &inner[..at]).filter(|head| !head.is_empty())
        })?;
        exact_alias(head).filter(|column| !column.field.is_name())
    };
    let before_number = || {
        let head = key.trim_end_matches(|c: char| c.is_ascii_digit());
        (head.len() < key.len() && !head.is_empty())
            .then(|| exact_alias(head))
            .flatten()
            .filter(|column| more_columns(column.field) > 0)
    };
    before_note().or_else(before_number).or_else(after_role)
}

/// Words a file puts before a field to say whose it is when that is the
/// customer's: the booker (予約者), the applicant (申込者), the group's
/// representative (代表者), the customer (お客様, 顧客) or the member (会員).
/// The booker is the customer the rules ask about; a guest (宿泊者, 同行者)
/// may be another person, so those columns stay unread.
const CUSTOMER_ROLES: [&str; 8] = ["予約者", "ご予約者", "申込者", "お申込者", "代表者", "お客様", "顧客", "会員"];

/// [`CUSTOMER_ROLES`] as header keys, longest first (ご予約者 before 予約者
/// could not clash, but a role that begins another would).
static CUSTOMER_ROLE_KEYS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut keys: Vec<String> = CUSTOMER_ROLES.iter().map(|role| header_key(role)).collect();
    keys.sort_by_key(|key| std::cmp::Reverse(key.len()));
    keys
});

/// The column whose alias a header key is.
pub(super) fn exact_alias(key: &str) -> Option<Column> {
    ALIASES.iter().find(|(alias, _)| alias == key).map(|(_, column)| *column)
}

/// The brackets of a note at the end of a header, after NFKC (which makes
/// full-width ones ASCII; 【】 it leaves).
const HEADER_NOTE_BRACKETS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('【', '】')];
