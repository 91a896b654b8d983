//! Romaji name fields (SPEC section 4, research notes §2.4): `YAMADA/TARO
//! MR`, `Taro Yamada`, `Yamada, Taro`. Titles MR/MRS/MS/MISS/MSTR/DR are
//! stripped (also glued on: `TAROMR`, safe because Hepburn syllables end in
//! a vowel or N) and kept as a gender hint; the slash and comma forms give
//! the order; a plain space does not, so both orders are keyed. The keys
//! are those of [`RomajiName`], shared with the kana field's reading.

use super::gender::Gender;
use super::name::{is_separator, NameOrder, RomajiName};
use super::note::without_notes;
use super::part_memo::PartText;
use super::text::prepare;
use super::{Outcome, Scratch};

/// A romaji name field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RomajiField<S = String> {
    /// Upper-case tokens, surname first when known, one space apart.
    pub display: S,
    pub romaji: RomajiName<S>,
    /// Gender implied by a title (MR → male, MRS/MS/MISS → female).
    pub title_gender: Gender,
}

impl<S> RomajiField<S> {
    /// The same field with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> RomajiField<T> {
        RomajiField { display: f(&self.display), romaji: self.romaji.map(f), title_gender: self.title_gender }
    }
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

/// Whether `word` is one of [`TITLES`], in any case.
fn is_title(word: &str) -> bool {
    title_gender(word).is_some()
}

/// The gender of the title `word` (any case), `None` when it is no title.
pub fn title_gender(word: &str) -> Option<Gender> {
    TITLES.iter().find(|(title, _)| word.eq_ignore_ascii_case(title)).map(|&(_, gender)| gender)
}

/// Removes title tokens from one group of token ranges (`(start, end)` into
/// `letters`), and a title glued to the end of the group's last token.
/// Returns the gender the title implies.
fn strip_titles(letters: &str, tokens: &mut [(usize, usize)]) -> Gender {
    let mut gender = Gender::Unknown;
    for token in tokens.iter_mut() {
        if let Some((_, g)) = TITLES.iter().find(|(title, _)| &letters[token.0..token.1] == *title) {
            gender = *g;
            token.1 = token.0;
        }
    }
    if let Some(last) = tokens.iter_mut().rev().find(|t| t.1 > t.0) {
        let text = &letters[last.0..last.1];
        for (title, g) in TITLES {
            if let Some(rest) = text.strip_suffix(title) {
                let ends_like_japanese = rest.len() >= 2 && rest.ends_with(['A', 'I', 'U', 'E', 'O', 'N']);
                if ends_like_japanese {
                    last.1 = last.0 + rest.len();
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
    if let Some(space) = plain_romaji_name(raw) {
        // What the general path below makes of it, without its passes.
        out.display.push_str(raw);
        out.display.make_ascii_uppercase();
        let (first, rest) = match space {
            Some(at) => (&out.display[..at], &out.display[at + 1..]),
            None => (out.display.as_str(), ""),
        };
        out.romaji.fill((first, rest), NameOrder::Ambiguous, PartText::Romaji, &mut scratch.names);
        if out.romaji.strict.is_empty() {
            out.display.clear();
            out.romaji.clear();
            return Outcome::Invalid;
        }
        return Outcome::Value;
    }
    normalize_romaji_general(raw, scratch, out)
}

/// Whether a romaji name is written the plain way (most are): ASCII letters
/// as one word or two around one space, neither a title nor ending in one
/// (`TAROMR`), which the general path of [`normalize_romaji`] only
/// upper-cases. `Some(position of the space)`, `None` inside when one word.
fn plain_romaji_name(raw: &str) -> Option<Option<usize>> {
    let bytes = raw.as_bytes();
    let space = raw.find(' ');
    let words_are_letters = match space {
        Some(at) => at > 0 && bytes[..at].iter().chain(&bytes[at + 1..]).all(u8::is_ascii_alphabetic),
        None => bytes.iter().all(u8::is_ascii_alphabetic),
    };
    if !words_are_letters || raw.ends_with(' ') {
        return None;
    }
    let (first, last) = match space {
        Some(at) => (&raw[..at], &raw[at + 1..]),
        None => ("", raw),
    };
    let ends_in_title = TITLES
        .iter()
        .any(|(title, _)| last.len() >= title.len() && last[last.len() - title.len()..].eq_ignore_ascii_case(title));
    (!is_title(first) && !ends_in_title).then_some(space)
}

/// [`normalize_romaji`] for any text (`out` cleared, `raw` not empty).
pub(crate) fn normalize_romaji_general(raw: &str, scratch: &mut Scratch, out: &mut RomajiField) -> Outcome {
    scratch.text.clear();
    let _ = prepare(raw, &mut scratch.aux, &mut scratch.text);
    // A note in brackets after the name is dropped as in the other scripts,
    // unless it is a title (`(MR)`), which says the gender.
    let name = without_notes(&scratch.text);
    if !is_title(scratch.text[name.end..].trim_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))) {
        scratch.text.truncate(name.end);
        scratch.text.drain(..name.start);
    }
    let Scratch { text, aux: upper, tmp, names, letters, tokens, .. } = scratch;
    upper.clear();
    if text.is_ascii() {
        upper.push_str(text);
        upper.make_ascii_uppercase();
    } else {
        upper.extend(text.chars().flat_map(char::to_uppercase));
    }
    // The slash (airline PNR) and comma forms put the surname first.
    let split = upper.find('/').or_else(|| upper.find(','));
    let groups: [&str; 2] = match split {
        Some(at) => [&upper[..at], &upper[at + 1..]],
        None => [upper.as_str(), ""],
    };
    // Tokens as ranges into `letters` (letters only: JUN'ICHI → JUNICHI).
    letters.clear();
    tokens.clear();
    let mut group_ends = [0usize; 2];
    for (group, part) in groups.iter().enumerate() {
        for token in part.split(is_separator) {
            let start = letters.len();
            letters.extend(token.chars().filter(|c| c.is_alphabetic()));
            if letters.len() > start {
                tokens.push((start, letters.len()));
            }
        }
        group_ends[group] = tokens.len();
    }
    let (surname_tokens, given_tokens) = tokens.split_at_mut(group_ends[0]);
    for group in [surname_tokens, given_tokens] {
        let gender = strip_titles(letters, group);
        if gender != Gender::Unknown {
            out.title_gender = gender;
        }
    }
    let surviving = |range: &[(usize, usize)]| range.iter().filter(|t| t.1 > t.0).count();
    let surname_count = surviving(&tokens[..group_ends[0]]);
    let both_groups = split.is_some() && surname_count > 0 && surviving(&tokens[group_ends[0]..]) > 0;
    tokens.retain(|t| t.1 > t.0);
    if tokens.is_empty() {
        return Outcome::Invalid;
    }
    // A surname of more than one word keeps the slash before the given name
    // (`DE LA/MARIA`): written with spaces only, a second reading would take
    // its first word for the surname, and the key would change.
    let slash_at = (both_groups && surname_count > 1).then_some(surname_count);
    for (index, &(start, end)) in tokens.iter().enumerate() {
        if index > 0 {
            out.display.push(if Some(index) == slash_at { '/' } else { ' ' });
        }
        out.display.push_str(&letters[start..end]);
    }
    // `first` is the surname when the form says so, else the first token.
    let first_count = if both_groups { surname_count } else { 1 };
    let (first, rest) = (text, tmp);
    first.clear();
    rest.clear();
    for (index, &(start, end)) in tokens.iter().enumerate() {
        let target = if index < first_count { &mut *first } else { &mut *rest };
        target.push_str(&letters[start..end]);
    }
    let order = if both_groups { NameOrder::SurnameFirst } else { NameOrder::Ambiguous };
    out.romaji.fill((first, rest), order, PartText::Romaji, names);
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

    #[test]
    fn romaji_table() {
        table_test::run("name_romaji", |raw| {
            let mut out = RomajiField::default();
            normalize_romaji(raw, &mut Scratch::default(), &mut out);
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
}
