//! Names in kanji, kana and romaji (SPEC section 4, research notes §2.4, §3).
//!
//! - Kanji key: separators dropped (space, U+3000, ・, /, comma), honorifics
//!   様/殿/さん/君/ちゃん stripped, a note in brackets after the name or
//!   between its parts dropped (`山田太郎（旧姓 佐藤）`, `小林（田中）直美`,
//!   `note`; the kana key too), a group booking's "and others" dropped
//!   (`山田太郎 他2名`),
//!   々 repeated, kana inside made katakana,
//!   kanji variants folded (strict and loose tables).
//! - Kana key: katakana only (hiragana, half-width, ヵヶ, iteration marks;
//!   anything else dropped), any dash after kana read as ー, separators dropped; the loose key enlarges
//!   small kana. Its romaji key comes from the kana→Hepburn table.
//! - Romaji: the field itself is read in `name_romaji.rs` (titles, order);
//!   its keys, like the kana key's romaji reading, are a [`RomajiName`].
//!
//! Kanji names are never split (山田太郎 has no separator to trust); the
//! kana and romaji keys carry the surname/given split where the row gives one.
//!
//! Speed: most names are written plainly (kanji with a space, katakana
//! with a space, `SURNAME GIVEN` in ASCII). Each kind has a shortcut for
//! that form which keys the raw text's slices without the general passes;
//! a property test per kind checks the shortcut against the general path.

use super::hepburn::leaves_sokuon_pending;
use super::kana::push_katakana_key;
use super::kanji::Folder;
use super::note::{inner_note, without_trailing_note};
use super::part_memo::{Join, PartMemo, PartText};
use super::romaji::FoldScratch;
use super::text::{
    is_dash, is_kana_letter, is_kanji, is_kanji_numeral, is_space, is_stray_mark, is_tilde, prepare, push_mapped,
    Prepared,
};
use super::{Outcome, Scratch};

mod kana_name;
mod order;
mod party;
mod split;

#[cfg(test)]
pub(crate) use super::name_romaji::normalize_romaji_general;
pub use super::name_romaji::{normalize_romaji, RomajiField};
pub use kana_name::normalize_kana;
#[cfg(test)]
pub(crate) use kana_name::normalize_kana_general;
pub use order::swap_two_parts;
use order::{surname_first, turn_at, two_parts, PartBreaks};
use party::without_party_note;
pub use split::split_kana_by_kanji;

/// Separators between surname and given name: also `_` (a system that
/// writes no space in a field, `YAMADA_TARO`) and `=` or ゠, the double
/// hyphen between the names of a foreign name in katakana (ジョン＝スミス);
/// kept, either was a character of the kanji key (山田_太郎 against 山田太郎).
pub(crate) fn is_separator(c: char) -> bool {
    is_space(c) || matches!(c, '・' | '/' | ',' | '、' | '･' | '_' | '=' | '゠')
}

pub(super) const HONORIFICS: [&str; 6] = ["ちゃん", "さん", "くん", "様", "殿", "君"];

/// `text` without the [`HONORIFICS`] at its end, as many as follow one
/// another, and without the `gap` characters around them.
pub(super) fn without_trailing_honorifics(text: &str, gap: impl Fn(char) -> bool + Copy) -> &str {
    let mut text = text.trim_end_matches(gap);
    while let Some(h) = HONORIFICS.iter().find(|h| text.len() > h.len() && text.ends_with(*h)) {
        text = text[..text.len() - h.len()].trim_end_matches(gap);
    }
    text
}

/// Honorifics written in kana as a word of their own, as a kana column
/// reads the 様 or 殿 of the name column beside it (`ヤマダ タロウ サマ`),
/// or a form adds さん; or in kana after a name in kanji (`山田太郎さま`).
/// Taken only after a whole name, a surname and a given name apart, or
/// after a kanji: `タカハシ サマ` may be a surname and a given name read
/// サマ (or typed so: a generated row's typo for サク was read as an
/// honorific, and its booking was lost), and run into a kana name, サマ or
/// サン could be its last letters. (チャン is left: it is also a surname,
/// 陳, and a foreign name may put it last.)
const KANA_HONORIFICS: [&str; 6] = ["サマ", "さま", "ドノ", "どの", "サン", "クン"];

/// The honorific of [`KANA_HONORIFICS`] that `text` ends with, after a
/// name in two parts and a separator, or after a character that is not
/// kana.
fn kana_honorific(text: &str) -> Option<&'static str> {
    KANA_HONORIFICS.iter().copied().find(|h| {
        let Some(before) = text.strip_suffix(h) else {
            return false;
        };
        let name = before.trim_end_matches(is_separator);
        let after_kanji =
            name.len() == before.len() && name.chars().next_back().is_some_and(|c| !is_kana_letter(c) && c != 'ー');
        let after_whole_name =
            name.len() < before.len() && name.trim_start_matches(is_separator).contains(is_separator);
        after_kanji || after_whole_name
    })
}

/// Which order the parts of a romaji name are known to be in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RomajiName<S = String> {
    pub order: NameOrder,
    /// Strict key of the first part (the surname unless the order is
    /// ambiguous); empty when unsplit.
    pub surname: S,
    /// Strict key of the other parts; empty when unsplit.
    pub given: S,
    /// Strict key of the whole name in written order.
    pub strict: S,
    /// Loose key of the whole name in written order.
    pub loose: S,
    /// Loose key with the parts swapped, only when the order is ambiguous.
    pub swapped_loose: S,
}

impl<S> RomajiName<S> {
    /// The same keys with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> RomajiName<T> {
        RomajiName {
            order: self.order,
            surname: f(&self.surname),
            given: f(&self.given),
            strict: f(&self.strict),
            loose: f(&self.loose),
            swapped_loose: f(&self.swapped_loose),
        }
    }
}

impl RomajiName {
    pub(crate) fn clear(&mut self) {
        self.order = NameOrder::Unsplit;
        self.surname.clear();
        self.given.clear();
        self.strict.clear();
        self.loose.clear();
        self.swapped_loose.clear();
    }

    /// Fills the keys from romaji parts: `first` and `rest` (rest empty when
    /// unsplit; anything but letters in them is ignored by the fold). The
    /// whole-name keys are the fold of the whole text; when the parts join
    /// (`PartEnd::joins`) that is their keys end to end (the loose keys with
    /// the letter they meet on written once), which the per-worker memo of
    /// parts answers without folding.
    pub(crate) fn fill(
        &mut self,
        (first, rest): (&str, &str),
        order: NameOrder,
        text: PartText,
        scratch: &mut NameScratch,
    ) {
        self.clear();
        let NameScratch { memo, fold, .. } = scratch;
        let surname = memo.keys(first, text, fold);
        self.surname.push_str(surname.strict);
        self.loose.push_str(surname.loose);
        let (surname_loose, surname_end, surname_start) = (surname.loose.len(), surname.end(), surname.start());
        let (mut forward, mut backward) = (Join::Clean, Join::Clean);
        if !rest.is_empty() {
            let given = memo.keys(rest, text, fold);
            self.given.push_str(given.strict);
            // For now the parts' loose keys end to end, whatever the join.
            self.loose.push_str(given.loose);
            if !given.strict.is_empty() {
                forward = surname_end.joins(given.start());
            }
            backward = given.end().joins(surname_start);
        }
        self.order = if self.given.is_empty() { NameOrder::Unsplit } else { order };
        if self.order == NameOrder::Unsplit {
            self.strict.push_str(&self.surname);
            self.surname.clear();
            self.given.clear();
            return;
        }
        if self.order == NameOrder::Ambiguous {
            let (surname, given) = self.loose.split_at(surname_loose);
            match backward {
                Join::Clean => {
                    self.swapped_loose.push_str(given);
                    self.swapped_loose.push_str(surname);
                }
                Join::LooseMeet => {
                    self.swapped_loose.push_str(given);
                    self.swapped_loose.push_str(&surname[1..]);
                }
                Join::Fold => memo.push_whole((rest, first), text, fold, None, &mut self.swapped_loose),
            }
        }
        match forward {
            Join::Fold => {
                self.loose.clear();
                memo.push_whole((first, rest), text, fold, Some(&mut self.strict), &mut self.loose);
            }
            join => {
                self.strict.push_str(&self.surname);
                self.strict.push_str(&self.given);
                if join == Join::LooseMeet {
                    // The given name's first loose letter is the one written once.
                    self.loose.remove(surname_loose);
                }
            }
        }
        if self.swapped_loose == self.loose {
            self.swapped_loose.clear();
        }
    }
}

/// The buffers [`RomajiName::fill`] works with.
#[derive(Debug, Default)]
pub struct NameScratch {
    pub memo: PartMemo,
    pub fold: FoldScratch,
    /// Whether the last kanji name normalized was written given name first
    /// and put surname first ([`normalize_kanji`]): `normalize_record`
    /// reads its row's kana name in the same order.
    pub kanji_given_first: bool,
}

/// Kanji name keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KanjiName<S = String> {
    pub strict: S,
    /// Byte offset in `strict` where the given name starts, when the name
    /// was written in two parts and the offset fits a byte; 0 when the name
    /// gives no split. After a name written given name first was turned,
    /// the offset is the turned key's.
    pub given_start: u8,
    pub loose: S,
}

impl<S> KanjiName<S> {
    /// The same keys with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> KanjiName<T> {
        KanjiName { strict: f(&self.strict), given_start: self.given_start, loose: f(&self.loose) }
    }
}

/// Kana name keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KanaName<S = String> {
    /// Katakana, separators dropped, small kana kept.
    pub strict: S,
    /// Byte offset in `strict` where the given name starts (after the first
    /// separator); 0 when the kana gives no split.
    pub given_start: usize,
    /// Katakana with small kana enlarged.
    pub loose: S,
    pub romaji: RomajiName<S>,
}

impl<S> KanaName<S> {
    /// The same keys with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> KanaName<T> {
        KanaName {
            strict: f(&self.strict),
            given_start: self.given_start,
            loose: f(&self.loose),
            romaji: self.romaji.map(f),
        }
    }
}

/// Strips honorifics and notes from `text`; says whether a note inside the
/// name was taken out (the text after it moved).
fn strip_honorifics(text: &mut String) -> bool {
    // A note between the surname and the given name (`小林（田中）直美`, the
    // maiden name) is no more the name than one after it.
    let mut inner_removed = false;
    while let Some(note) = inner_note(text) {
        text.replace_range(note, "");
        inner_removed = true;
    }
    loop {
        let trimmed_len = text.trim_end_matches(is_separator).len();
        text.truncate(trimmed_len);
        if let Some(h) = HONORIFICS.iter().find(|h| text.ends_with(*h) && text.len() > h.len()) {
            text.truncate(text.len() - h.len());
        } else if let Some(h) = kana_honorific(text) {
            text.truncate(text.len() - h.len());
        } else if let Some(name) = without_trailing_note(text) {
            // A note in brackets (`山田太郎様（故人）`, `山田太郎（旧姓 佐藤）`)
            // says something of the name, a maiden name or a role; it is not
            // the name, and kept in the key it made the row's name
            // "different" from the person's other rows. Before or after an
            // honorific, both go, as many as follow one another. (A kanji
            // name's reading in brackets was split off before, by
            // `name_columns`; a romaji title `(MR)` is the romaji rules'.)
            text.truncate(name.end);
            text.drain(..name.start);
        } else {
            return inner_removed;
        }
    }
}

/// Kanji name keys into `out`.
pub fn normalize_kanji(raw: &str, scratch: &mut Scratch, out: &mut KanjiName) -> Outcome {
    out.strict.clear();
    out.given_start = 0;
    out.loose.clear();
    scratch.names.kanji_given_first = false;
    if raw.is_empty() {
        return Outcome::Missing;
    }
    if is_plain_kanji_name(raw) {
        // What the general path below makes of it, without its passes.
        let (strict, loose) = (Folder::strict(), Folder::loose());
        push_mapped(raw, &mut out.strict, |c| (!is_separator(c)).then(|| strict.fold(c)));
        // Folding keeps each ideograph one ideograph: the first part's
        // characters are the key's first characters.
        let cut = two_parts(raw).map(|(first, _)| {
            out.strict.char_indices().nth(first.chars().count()).map_or(out.strict.len(), |(at, _)| at)
        });
        split_parts(cut, out, scratch);
        push_mapped(&out.strict, &mut out.loose, |c| Some(loose.fold(c)));
        return Outcome::Value;
    }
    normalize_kanji_general(raw, scratch, out)
}

/// Turns a kanji key whose second part starts at byte `cut` (two parts
/// written apart) surname first when it was written given name first
/// (`surname_first`), and records where its given name starts.
fn split_parts(cut: Option<usize>, out: &mut KanjiName, scratch: &mut Scratch) {
    out.given_start = 0;
    scratch.names.kanji_given_first = false;
    let Some(cut) = cut.filter(|&cut| cut > 0 && cut < out.strict.len()) else {
        return;
    };
    let mut turned = surname_first(cut, &mut out.strict, &mut scratch.tmp);
    if turned && ends_in_honorific_or_note(&out.strict, &mut scratch.tmp) {
        // Turned, an honorific written first (様/澤) now ends the key, and a
        // second reading would strip it: the key would not be its own key.
        // Such a text is left in the order written.
        let back = out.strict.len() - cut;
        turn_at(back, &mut out.strict, &mut scratch.tmp);
        turned = false;
    }
    scratch.names.kanji_given_first = turned;
    // Turned, the first part written is now the key's end.
    let given_start = if turned { out.strict.len() - cut } else { cut };
    out.given_start = u8::try_from(given_start).unwrap_or(0);
}

/// Whether [`strip_honorifics`] would shorten `key` (read into `tmp`).
fn ends_in_honorific_or_note(key: &str, tmp: &mut String) -> bool {
    tmp.clear();
    tmp.push_str(key);
    strip_honorifics(tmp);
    tmp.len() != key.len()
}

/// A kanji name written the plain way (most are): CJK ideographs
/// (U+4E00..=U+9FFF) and spaces (ASCII or U+3000) only, at least one
/// ideograph, not ending in an honorific (様 殿 君) or what may be a party
/// note (他, a kanji numeral and 名 or 人), which the general path of
/// [`normalize_kanji`] only folds, dropping the spaces.
fn is_plain_kanji_name(raw: &str) -> bool {
    let (mut before_last, mut last) = (None, None);
    for c in raw.chars() {
        match c {
            '\u{4E00}'..='\u{9FFF}' => (before_last, last) = (last, Some(c)),
            ' ' | '\u{3000}' => {}
            _ => return false,
        }
    }
    let counted_party = || matches!(last, Some('名' | '人')) && before_last.is_some_and(is_kanji_numeral);
    last.is_some_and(|c| !matches!(c, '様' | '殿' | '君' | '他')) && !counted_party()
}

/// A kana iteration mark (ゝ ゞ ヽ ヾ): it repeats the kana before it.
fn is_kana_repeat(c: char) -> bool {
    matches!(c, 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// [`normalize_kanji`] for any text (`out` cleared, `raw` not empty).
pub(crate) fn normalize_kanji_general(raw: &str, scratch: &mut Scratch, out: &mut KanjiName) -> Outcome {
    scratch.text.clear();
    let plain = prepare(raw, &mut scratch.aux, &mut scratch.text) == Prepared::Plain;
    if let Some(name_len) = without_party_note(&scratch.text) {
        scratch.text.truncate(name_len);
    }
    // Phase 1: drop what a key never holds (separators, tildes, stray marks,
    // a dash not after kana) and repeat 々, so that phase 2 sees the real end
    // of the name.
    // Where the separators stood between what was kept: the name's parts.
    let cleaned = &mut scratch.aux;
    cleaned.clear();
    let mut parts = PartBreaks::default();
    for c in scratch.text.chars() {
        if is_separator(c) {
            parts.separator();
            continue;
        }
        if is_tilde(c) || (!plain && is_stray_mark(c)) {
            continue;
        }
        let last = cleaned.chars().next_back();
        let kept = match c {
            _ if is_dash(c) => last.filter(|p| is_kana_letter(*p)).map(|_| 'ー'),
            // 々 (and 〻, its older vertical form: 佐〻木) repeats a kanji;
            // after kana or nothing it means nothing.
            '々' | '〻' => last.filter(|p| !is_kana_letter(*p) && *p != 'ー'),
            // ゝ ゞ ヽ ヾ repeat a kana; after anything else they mean nothing
            // and go here, not in phase 3, or a name ending 様ゝ kept its
            // honorific once and lost it on a second pass.
            _ if is_kana_repeat(c) => last.filter(|p| is_kana_letter(*p) || is_kana_repeat(*p)).map(|_| c),
            _ => Some(c),
        };
        if let Some(kept) = kept {
            parts.keep(cleaned.len());
            cleaned.push(kept);
        }
    }
    // Phase 2: honorifics and notes in brackets after the name. A note
    // inside it moved the second part: its order is left as written.
    let inner_note_removed = strip_honorifics(cleaned);
    let second_start = parts.second_start(cleaned.len()).filter(|_| !inner_note_removed);
    // Phase 3: kana to katakana, kanji variants folded.
    let (strict, loose) = (Folder::strict(), Folder::loose());
    let mut cut = None;
    for (at, c) in cleaned.char_indices() {
        if Some(at) == second_start {
            cut = Some(out.strict.len());
        }
        // After a kanji, a small ヵ is the counter mark ヶ (三ヵ島 = 三ヶ島),
        // not the kana カ.
        if c == 'ヵ' && out.strict.chars().next_back().is_some_and(is_kanji) {
            out.strict.push('ケ');
            continue;
        }
        if is_kana_letter(c) || is_kana_repeat(c) {
            push_katakana_key(c, &mut out.strict);
            continue;
        }
        out.strict.push(strict.fold(c));
    }
    // Brackets or signs alone (`()`, `-`) are no name.
    if !out.strict.chars().any(char::is_alphanumeric) {
        out.strict.clear();
        return Outcome::Invalid;
    }
    // Given name first, as the plain path reads it.
    split_parts(cut, out, scratch);
    push_mapped(&out.strict, &mut out.loose, |c| Some(loose.fold(c)));
    Outcome::Value
}

#[cfg(test)]
mod tests;
