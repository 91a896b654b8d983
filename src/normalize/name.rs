//! Names in kanji, kana and romaji (SPEC section 4, research notes §2.4, §3).
//!
//! - Kanji key: separators dropped (space, U+3000, ・, /, comma), honorifics
//!   様/殿/さん/君/ちゃん stripped, 々 repeated, kana inside made katakana,
//!   kanji variants folded (strict and loose tables).
//! - Kana key: katakana (hiragana, half-width, ヵヶ, iteration marks), any
//!   dash after kana read as ー, separators dropped; the loose key enlarges
//!   small kana. Its romaji key comes from the kana→Hepburn table.
//! - Romaji: `YAMADA/TARO MR`, `Taro Yamada`, `Yamada, Taro`: titles
//!   MR/MRS/MS/MISS/MSTR/DR stripped (also glued on: `TAROMR`, safe because
//!   Hepburn syllables end in a vowel or N) and kept as a gender hint; the
//!   slash and comma forms give the order; a plain space does not, so both
//!   orders are keyed.
//!
//! Kanji names are never split (山田太郎 has no separator to trust); the
//! kana and romaji keys carry the surname/given split where the row gives one.

use super::gender::Gender;
use super::kana::{enlarge, is_katakana, push_katakana_key};
use super::kanji::{fold_loose, fold_strict};
use super::romaji::{fold, kana_to_hepburn, FoldScratch, Strength};
use super::text::{is_dash, is_kana_letter, is_space, is_tilde, prepare};
use super::{Outcome, Scratch};

/// Separators between surname and given name.
fn is_separator(c: char) -> bool {
    is_space(c) || matches!(c, '・' | '/' | ',' | '、' | '･')
}

const HONORIFICS: [&str; 6] = ["ちゃん", "さん", "くん", "様", "殿", "君"];

/// Which order the parts of a romaji name are known to be in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NameOrder {
    /// One token: no split.
    #[default]
    Unsplit,
    /// Surname first, known (kana, `SURNAME/GIVEN`, `Surname, Given`).
    SurnameFirst,
    /// Two or more tokens separated by spaces: either order.
    Ambiguous,
}

/// Romaji match keys of one name (from kana or from a romaji field).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RomajiName {
    pub order: NameOrder,
    /// Strict key of the first part (the surname unless the order is
    /// ambiguous); empty when unsplit.
    pub surname: String,
    /// Strict key of the other parts; empty when unsplit.
    pub given: String,
    /// Strict key of the whole name in written order.
    pub strict: String,
    /// Loose key of the whole name in written order.
    pub loose: String,
    /// Loose key with the parts swapped, only when the order is ambiguous.
    pub swapped_loose: String,
}

impl RomajiName {
    fn clear(&mut self) {
        self.order = NameOrder::Unsplit;
        self.surname.clear();
        self.given.clear();
        self.strict.clear();
        self.loose.clear();
        self.swapped_loose.clear();
    }

    /// Fills the keys from romaji parts: `first` and `rest` (rest empty when
    /// unsplit; anything but letters in them is ignored by the fold).
    fn fill(&mut self, first: &str, rest: &str, order: NameOrder, fold_scratch: &mut FoldScratch, whole: &mut String) {
        self.clear();
        let has_rest = rest.bytes().any(|b| b.is_ascii_alphabetic());
        self.order = if has_rest { order } else { NameOrder::Unsplit };
        whole.clear();
        whole.push_str(first);
        whole.push_str(rest);
        fold(whole, Strength::Strict, fold_scratch, &mut self.strict);
        fold(whole, Strength::Loose, fold_scratch, &mut self.loose);
        if self.order != NameOrder::Unsplit {
            fold(first, Strength::Strict, fold_scratch, &mut self.surname);
            fold(rest, Strength::Strict, fold_scratch, &mut self.given);
        }
        if self.order == NameOrder::Ambiguous {
            whole.clear();
            whole.push_str(rest);
            whole.push_str(first);
            fold(whole, Strength::Loose, fold_scratch, &mut self.swapped_loose);
            if self.swapped_loose == self.loose {
                self.swapped_loose.clear();
            }
        }
    }
}

/// Kanji name keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KanjiName {
    pub strict: String,
    pub loose: String,
}

/// Kana name keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KanaName {
    /// Katakana, separators dropped, small kana kept.
    pub strict: String,
    /// Katakana with small kana enlarged.
    pub loose: String,
    pub romaji: RomajiName,
}

/// A romaji name field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RomajiField {
    /// Upper-case tokens, surname first when known, one space apart.
    pub display: String,
    pub romaji: RomajiName,
    /// Gender implied by a title (MR → male, MRS/MS/MISS → female).
    pub title_gender: Gender,
}

fn strip_honorifics(text: &mut String) {
    loop {
        let trimmed_len = text.trim_end().len();
        text.truncate(trimmed_len);
        match HONORIFICS.iter().find(|h| text.ends_with(*h) && text.len() > h.len()) {
            Some(h) => text.truncate(text.len() - h.len()),
            None => break,
        }
    }
}

/// Kanji name keys into `out`.
pub fn normalize_kanji(raw: &str, scratch: &mut Scratch, out: &mut KanjiName) -> Outcome {
    out.strict.clear();
    out.loose.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    prepare(raw, &mut scratch.aux, &mut scratch.text);
    strip_honorifics(&mut scratch.text);
    for c in scratch.text.chars() {
        if is_separator(c) || is_tilde(c) {
            continue;
        }
        if is_dash(c) {
            if out.strict.chars().next_back().is_some_and(|p| is_katakana(p) && p != 'ー') {
                out.strict.push('ー');
            }
            continue;
        }
        if c == '々' {
            if let Some(previous) = out.strict.chars().next_back() {
                out.strict.push(previous);
            }
            continue;
        }
        if is_kana_letter(c) || matches!(c, 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ') {
            push_katakana_key(c, &mut out.strict);
            continue;
        }
        out.strict.push(fold_strict(c));
    }
    if out.strict.is_empty() {
        return Outcome::Invalid;
    }
    out.loose.extend(out.strict.chars().map(fold_loose));
    Outcome::Value
}

/// Kana name keys into `out`. A value with no kana letter is unusable.
pub fn normalize_kana(raw: &str, scratch: &mut Scratch, out: &mut KanaName) -> Outcome {
    out.strict.clear();
    out.loose.clear();
    out.romaji.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    prepare(raw, &mut scratch.aux, &mut scratch.text);
    strip_honorifics(&mut scratch.text);
    // `spaced` keeps one space between parts, for the surname/given split.
    let spaced = &mut scratch.aux;
    spaced.clear();
    let mut kana_letters = 0usize;
    for c in scratch.text.chars() {
        if is_separator(c) {
            if !spaced.is_empty() && !spaced.ends_with(' ') {
                spaced.push(' ');
            }
            continue;
        }
        if is_tilde(c) {
            continue;
        }
        if is_dash(c) {
            if spaced.chars().next_back().is_some_and(|p| is_katakana(p) && p != 'ー') {
                spaced.push('ー');
            }
            continue;
        }
        let before = spaced.len();
        push_katakana_key(c, spaced);
        kana_letters += spaced[before..].chars().filter(|k| is_katakana(*k) && *k != 'ー').count();
    }
    if kana_letters == 0 {
        return Outcome::Invalid;
    }
    let trimmed = spaced.trim_end().len();
    spaced.truncate(trimmed);
    out.strict.extend(spaced.chars().filter(|c| *c != ' '));
    out.loose.extend(out.strict.chars().map(enlarge));
    let Scratch { text: hepburn, aux: spaced, tmp, fold: fold_scratch, .. } = scratch;
    hepburn.clear();
    kana_to_hepburn(spaced, hepburn);
    let (first, rest) = hepburn.split_once(' ').unwrap_or((hepburn.as_str(), ""));
    out.romaji.fill(first, rest, NameOrder::SurnameFirst, fold_scratch, tmp);
    Outcome::Value
}

/// Titles that may follow a romaji name, longest first, with their gender.
const TITLES: [(&str, Gender); 6] = [
    ("MSTR", Gender::Male),
    ("MISS", Gender::Female),
    ("MRS", Gender::Female),
    ("MR", Gender::Male),
    ("MS", Gender::Female),
    ("DR", Gender::Unknown),
];

/// Removes a title token or a title glued to the end of the last token.
fn strip_titles(tokens: &mut Vec<String>) -> Gender {
    let mut gender = Gender::Unknown;
    tokens.retain(|token| match TITLES.iter().find(|(title, _)| token == title) {
        Some((_, g)) => {
            gender = *g;
            false
        }
        None => true,
    });
    if let Some(last) = tokens.last_mut() {
        for (title, g) in TITLES {
            if let Some(rest) = last.strip_suffix(title) {
                let ends_like_japanese = rest.len() >= 2 && rest.ends_with(['A', 'I', 'U', 'E', 'O', 'N']);
                if ends_like_japanese {
                    last.truncate(rest.len());
                    gender = g;
                    break;
                }
            }
        }
    }
    gender
}

/// Romaji name keys into `out`.
pub fn normalize_romaji(raw: &str, scratch: &mut Scratch, out: &mut RomajiField) -> Outcome {
    out.display.clear();
    out.romaji.clear();
    out.title_gender = Gender::Unknown;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    prepare(raw, &mut scratch.aux, &mut scratch.text);
    let text = scratch.text.to_uppercase();
    // The slash (airline PNR) and comma forms put the surname first.
    let (order, parts): (NameOrder, Vec<&str>) = if let Some((surname, given)) = text.split_once('/') {
        (NameOrder::SurnameFirst, vec![surname, given])
    } else if let Some((surname, given)) = text.split_once(',') {
        (NameOrder::SurnameFirst, vec![surname, given])
    } else {
        (NameOrder::Ambiguous, vec![text.as_str()])
    };
    let mut groups: Vec<Vec<String>> = parts
        .iter()
        .map(|part| {
            part.split(|c: char| is_separator(c))
                .map(|t| t.chars().filter(|c| c.is_alphabetic()).collect::<String>())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .collect();
    for group in &mut groups {
        let gender = strip_titles(group);
        if gender != Gender::Unknown {
            out.title_gender = gender;
        }
    }
    let tokens: Vec<String> = groups.concat();
    if tokens.is_empty() {
        return Outcome::Invalid;
    }
    out.display.push_str(&tokens.join(" "));
    let (first, rest) = match (order, groups.as_slice()) {
        (NameOrder::SurnameFirst, [surname, given]) if !surname.is_empty() && !given.is_empty() => {
            (surname.concat(), given.concat())
        }
        _ => (tokens[0].clone(), tokens[1..].concat()),
    };
    let order = if order == NameOrder::SurnameFirst && groups.iter().all(|g| !g.is_empty()) {
        NameOrder::SurnameFirst
    } else {
        NameOrder::Ambiguous
    };
    out.romaji.fill(&first, &rest, order, &mut scratch.fold, &mut scratch.tmp);
    if out.romaji.strict.is_empty() {
        out.display.clear();
        out.romaji.clear();
        return Outcome::Invalid;
    }
    Outcome::Value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    fn scratch() -> Scratch {
        Scratch::default()
    }

    #[test]
    fn kanji_table() {
        table_test::run("name_kanji", |raw| {
            let mut out = KanjiName::default();
            normalize_kanji(raw, &mut scratch(), &mut out);
            format!("{}|{}", out.strict, out.loose).trim_matches('|').to_string()
        });
    }

    #[test]
    fn kana_table() {
        table_test::run("name_kana", |raw| {
            let mut out = KanaName::default();
            normalize_kana(raw, &mut scratch(), &mut out);
            if out.strict.is_empty() {
                return String::new();
            }
            let r = &out.romaji;
            format!("{}|{}|{}|{}|{}|{}", out.strict, out.loose, r.surname, r.given, r.strict, r.loose)
        });
    }

    #[test]
    fn romaji_table() {
        table_test::run("name_romaji", |raw| {
            let mut out = RomajiField::default();
            normalize_romaji(raw, &mut scratch(), &mut out);
            if out.display.is_empty() {
                return String::new();
            }
            let gender = match out.title_gender {
                Gender::Male => "M",
                Gender::Female => "F",
                Gender::Unknown => "",
            };
            format!(
                "{}|{}|{}|{}|{}",
                out.display, out.romaji.strict, out.romaji.loose, out.romaji.swapped_loose, gender
            )
        });
    }

    #[test]
    fn kana_and_romaji_in_any_order_share_a_loose_key() {
        let mut kana = KanaName::default();
        normalize_kana("やまだ　たろう", &mut scratch(), &mut kana);
        for raw in ["YAMADA/TARO MR", "Taro Yamada", "Yamada, Taro", "YAMADATARO", "yamada taroh"] {
            let mut romaji = RomajiField::default();
            normalize_romaji(raw, &mut scratch(), &mut romaji);
            let keys = [&romaji.romaji.loose, &romaji.romaji.swapped_loose];
            assert!(keys.contains(&&kana.romaji.loose), "{raw}: {:?} vs {}", keys, kana.romaji.loose);
        }
    }
}
