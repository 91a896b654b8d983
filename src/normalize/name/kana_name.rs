//! Kana name keys: the plain form (full-width katakana, one space between
//! the parts) keyed from the raw text's slices, anything else through the
//! general pass (hiragana, half-width, small kana, dashes, honorifics, a
//! group booking's note). Invariant: the shortcut and the general pass give
//! the same keys (property test in properties.rs).

use super::order::{swap_two_parts, two_parts};
use super::party::without_party_note;
use super::{is_separator, kana_honorific, strip_honorifics, KanaName, NameOrder};
use crate::normalize::hepburn::{kana_to_hepburn, leaves_sokuon_pending};
use crate::normalize::kana::{enlarge, is_katakana, is_small_kana, push_katakana_key, to_katakana};
use crate::normalize::part_memo::PartText;
use crate::normalize::readings;
use crate::normalize::text::{is_dash, is_stray_mark, is_tilde, prepare, push_mapped, Prepared};
use crate::normalize::{Outcome, Scratch};

/// Kana name keys into `out`. A value with no kana letter is unusable.
pub fn normalize_kana(raw: &str, scratch: &mut Scratch, out: &mut KanaName) -> Outcome {
    out.strict.clear();
    out.given_start = 0;
    out.loose.clear();
    out.romaji.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    if let Some((first, rest)) = plain_katakana_parts(raw) {
        // Given name first (ノブユキ ウサミ), by the reading tables: surname first.
        let (first, rest) = if readings::written_given_first(first, rest) { (rest, first) } else { (first, rest) };
        // What the general path below makes of it, without its passes.
        out.strict.push_str(first);
        if !rest.is_empty() {
            out.given_start = first.len();
            out.strict.push_str(rest);
        }
        push_mapped(&out.strict, &mut out.loose, |c| Some(enlarge(c)));
        out.romaji.fill((first, rest), NameOrder::SurnameFirst, PartText::Kana, &mut scratch.names);
        return Outcome::Value;
    }
    normalize_kana_general(raw, scratch, out)
}

/// [`normalize_kana`] for any text (`out` cleared, `raw` not empty).
pub(crate) fn normalize_kana_general(raw: &str, scratch: &mut Scratch, out: &mut KanaName) -> Outcome {
    scratch.text.clear();
    let plain = prepare(raw, &mut scratch.aux, &mut scratch.text) == Prepared::Plain;
    if !plain && scratch.text.chars().any(is_stray_mark) {
        scratch.text.retain(|c| !is_stray_mark(c));
    }
    if let Some(name_len) = without_party_note(&scratch.text) {
        scratch.text.truncate(name_len);
    }
    strip_honorifics(&mut scratch.text);
    // `spaced` keeps one space between parts, for the surname/given split.
    let kana_letters = push_spaced_katakana(&scratch.text, &mut scratch.aux);
    let spaced = &mut scratch.aux;
    if kana_letters == 0 {
        return Outcome::Invalid;
    }
    let trimmed = spaced.trim_end().len();
    spaced.truncate(trimmed);
    // Given name first (のぶゆき うさみ), by the reading tables: surname first.
    if two_parts(spaced).is_some_and(|(first, rest)| readings::written_given_first(first, rest)) {
        swap_two_parts(spaced, &mut scratch.tmp);
        std::mem::swap(spaced, &mut scratch.tmp);
    }
    for c in spaced.chars() {
        if c == ' ' {
            if out.given_start == 0 {
                out.given_start = out.strict.len();
            }
            continue;
        }
        out.strict.push(c);
        out.loose.push(enlarge(c));
    }
    let Scratch { text: hepburn, aux: spaced, names, .. } = scratch;
    let (first, rest) = spaced.split_once(' ').unwrap_or((spaced.as_str(), ""));
    if leaves_sokuon_pending(first) {
        // A ッ before the separator doubles the next part's consonant
        // (kana_to_hepburn): read the name whole.
        hepburn.clear();
        kana_to_hepburn(spaced, hepburn);
        let (first, rest) = hepburn.split_once(' ').unwrap_or((hepburn.as_str(), ""));
        out.romaji.fill((first, rest), NameOrder::SurnameFirst, PartText::Romaji, names);
    } else {
        out.romaji.fill((first, rest), NameOrder::SurnameFirst, PartText::Kana, names);
    }
    Outcome::Value
}

/// Writes `text`'s kana into `spaced` as full-width katakana keys, one
/// space between parts, and returns the kana letters written (long-vowel
/// marks not counted). A small kana never starts a part; anything that
/// is not kana is dropped.
fn push_spaced_katakana(text: &str, spaced: &mut String) -> usize {
    spaced.clear();
    let mut kana_letters = 0usize;
    for c in text.chars() {
        // Plain katakana and hiragana letters (all but the rare forms
        // push_katakana_key handles) go straight in: the common case.
        let plain = match c {
            'ァ'..='ヴ' if !matches!(c, 'ヵ' | 'ヶ') => Some(c),
            'ぁ'..='ゔ' => char::from_u32(c as u32 + 0x60),
            _ => None,
        };
        if let Some(k) = plain {
            if is_small_kana(k) && spaced.ends_with(' ') {
                spaced.pop();
            }
            spaced.push(k);
            kana_letters += 1;
            continue;
        }
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
        // A small kana never starts a part (ギ ョ is ギョ).
        if is_small_kana(to_katakana(c)) && spaced.ends_with(' ') {
            spaced.pop();
        }
        let before = spaced.len();
        push_katakana_key(c, spaced);
        // Only kana belong in a kana key: a kanji or letter typed into the
        // kana column is dropped.
        if !spaced[before..].chars().all(is_katakana) {
            spaced.truncate(before);
            continue;
        }
        kana_letters += spaced[before..].chars().filter(|k| *k != 'ー').count();
    }
    kana_letters
}

/// The parts of a kana name written the plain way (most are): full-width
/// katakana letters ァ..=ヴ only, as one part or two around one space
/// (ASCII or U+3000), which the general path of [`normalize_kana`] keys
/// as they are. `None` for anything else, and for the cases where that
/// path changes the text: a small kana starting the second part (joined
/// to the first), a first part ending in ッ (read whole).
fn plain_katakana_parts(raw: &str) -> Option<(&str, &str)> {
    let is_letter = |c: char| ('ァ'..='ヴ').contains(&c);
    let (first, rest) = match raw.find([' ', '\u{3000}']) {
        Some(at) => {
            let separator = raw[at..].chars().next()?;
            (&raw[..at], &raw[at + separator.len_utf8()..])
        }
        None => (raw, ""),
    };
    let plain = !first.is_empty()
        && first.chars().all(is_letter)
        && rest.chars().all(is_letter)
        && !leaves_sokuon_pending(first)
        && !rest.starts_with(is_small_kana)
        && kana_honorific(raw).is_none();
    plain.then_some((first, rest))
}
