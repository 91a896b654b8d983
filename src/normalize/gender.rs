//! Gender: 男/男性/M/male/1 → M, 女/女性/F/female/2 → F, 0/9/X → unknown.
//!
//! Gender is weak evidence (entry errors, legal changes); it never vetoes a
//! match on its own.

use super::text::nfkc_into;
use super::Outcome;

/// A normalized gender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Gender {
    #[default]
    Unknown,
    Male,
    Female,
}

/// Normalizes a gender value into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut Gender) -> Outcome {
    *out = Gender::Unknown;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    let value = scratch.trim();
    *out = match value {
        "男" | "男性" | "1" => Gender::Male,
        "女" | "女性" | "2" => Gender::Female,
        "0" | "9" | "不明" => Gender::Unknown,
        _ if value.eq_ignore_ascii_case("m") || value.eq_ignore_ascii_case("male") => Gender::Male,
        _ if value.eq_ignore_ascii_case("f") || value.eq_ignore_ascii_case("female") => Gender::Female,
        _ if value.eq_ignore_ascii_case("x") || value.eq_ignore_ascii_case("u") => Gender::Unknown,
        _ => return Outcome::Invalid,
    };
    Outcome::Value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_english_forms() {
        let mut scratch = String::new();
        for (raw, expected) in [
            ("男", Gender::Male),
            ("女性", Gender::Female),
            ("Ｆ", Gender::Female),
            ("male", Gender::Male),
            ("9", Gender::Unknown),
        ] {
            let mut out = Gender::Unknown;
            assert_eq!(normalize(raw, &mut scratch, &mut out), Outcome::Value, "{raw}");
            assert_eq!(out, expected, "{raw}");
        }
        let mut out = Gender::Unknown;
        assert_eq!(normalize("?", &mut scratch, &mut out), Outcome::Invalid);
    }
}
