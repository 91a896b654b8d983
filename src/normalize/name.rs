//! Names in kanji, kana and romaji.
//!
//! First version (issue "Japanese normalization, complete" finishes it): NFKC,
//! separators dropped from the kanji and kana keys, hiragana→katakana, any
//! dash after kana read as the long-vowel mark, romaji upper-cased into
//! space-separated tokens.

use super::kana::{is_katakana, to_katakana};
use super::text::{is_dash, nfkc_into};
use super::Outcome;

/// Separators between surname and given name that carry no meaning in a key.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '・' | '/' | ',' | '、')
}

/// Kanji name key: NFKC without separators.
pub fn normalize_kanji(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    out.extend(scratch.chars().filter(|c| !is_separator(*c)));
    if out.is_empty() {
        Outcome::Invalid
    } else {
        Outcome::Value
    }
}

/// Kana name key: katakana without separators; a dash after kana is ー.
/// A value with no kana at all is unusable.
pub fn normalize_kana(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    let mut kana_letters = 0usize;
    for c in scratch.chars().map(to_katakana) {
        if is_separator(c) {
            continue;
        }
        if is_dash(c) {
            if out.chars().next_back().is_some_and(is_katakana) {
                out.push('ー');
            }
            continue;
        }
        if is_katakana(c) {
            kana_letters += 1;
        }
        out.push(c);
    }
    if kana_letters == 0 {
        out.clear();
        return Outcome::Invalid;
    }
    Outcome::Value
}

/// Romaji name: upper-case ASCII letters, tokens separated by one space.
pub fn normalize_romaji(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    for c in scratch.chars() {
        if c.is_ascii_alphabetic() {
            out.push(c.to_ascii_uppercase());
        } else if (is_separator(c) || c == '-') && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() {
        Outcome::Invalid
    } else {
        Outcome::Value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    fn key(f: fn(&str, &mut String, &mut String) -> Outcome, raw: &str) -> String {
        let (mut scratch, mut out) = (String::new(), String::new());
        f(raw, &mut scratch, &mut out);
        out
    }

    #[test]
    fn kanji_table() {
        table_test::run("name_kanji", |raw| key(normalize_kanji, raw));
    }

    #[test]
    fn kana_table() {
        table_test::run("name_kana", |raw| key(normalize_kana, raw));
    }

    #[test]
    fn romaji_table() {
        table_test::run("name_romaji", |raw| key(normalize_romaji, raw));
    }
}
