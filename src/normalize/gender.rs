//! Gender: 男/男性/男子/おとこ/♂/M/male/1 → male, 女/女性/女子/おんな/♀/F/
//! female/2 → female, 0/9/X/U/不明/その他/回答しない/未回答 → unknown (ISO 5218 and
//! Japanese 住基 coding use 1 and 2); a note in brackets beside the value
//! is dropped (`男性（M）`), as is a float's `.0` (`1.0`, a column of floats).
//! A title where the gender column holds the form's salutation (`Mr.`,
//! `MRS`, `Ms`, `Miss`: the romaji titles) says the gender as plainly; `Dr`
//! says none.
//!
//! Gender is weak evidence (entry errors, legal changes); it never vetoes a
//! match on its own. A romaji title (MR, MRS …) is only a hint, used when
//! the gender column is empty.

use super::name_romaji::title_gender;
use super::note::without_notes;
use super::placeholder::is_placeholder;
use super::text::{prepare, without_zero_fraction};
use super::{Outcome, Scratch};

/// A normalized gender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Gender {
    #[default]
    Unknown,
    Male,
    Female,
}

impl Gender {
    /// The value written by `leakmatch normalize`.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Unknown => "U",
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
}

/// Normalizes a gender value into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut Gender) -> Outcome {
    *out = Gender::Unknown;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    let _ = prepare(raw, &mut scratch.aux, &mut scratch.text);
    // A note in brackets beside it (`男性（M）`, `女(F)`) is dropped; a value
    // wholly in brackets is the value.
    let value = scratch.text.trim();
    let value = without_zero_fraction(value[without_notes(value)].trim());
    let is = |word: &str| value.eq_ignore_ascii_case(word);
    *out = match value {
        "男" | "男性" | "男子" | "おとこ" | "オトコ" | "♂" | "1" => Gender::Male,
        "女" | "女性" | "女子" | "おんな" | "オンナ" | "♀" | "2" => Gender::Female,
        // Other, not answered: no evidence either way.
        "0" | "9" | "不明" | "その他" | "回答しない" | "無回答" | "未回答" | "未記入" | "未選択" => {
            Gender::Unknown
        }
        _ if is("m") || is("male") || is("man") => Gender::Male,
        _ if is("f") || is("female") || is("woman") => Gender::Female,
        _ if is("x") || is("u") || is("unknown") || is("other") => Gender::Unknown,
        _ if let Some(gender) = title_gender(value.strip_suffix('.').unwrap_or(value)) => gender,
        _ if is_placeholder(value) => return Outcome::Missing,
        _ => return Outcome::Invalid,
    };
    Outcome::Value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn gender_table() {
        table_test::run("gender", |raw| {
            let mut out = Gender::Unknown;
            match normalize(raw, &mut Scratch::default(), &mut out) {
                Outcome::Value | Outcome::Flagged => out.code().to_string(),
                Outcome::Missing | Outcome::Invalid => String::new(),
            }
        });
    }
}
