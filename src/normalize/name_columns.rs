//! Names written in another script's column, put in the column of their
//! script before they are normalized: a kana or romaji name in the kanji
//! name column (a customer without kanji, a form with one name field), a
//! kanji name in the kana or romaji column, and a kanji name with its
//! reading or romaji after it, in brackets or apart (`山田 太郎（やまだ
//! たろう）`, `山田 太郎 / YAMADA TARO`: a combined column).
//!
//! Why: a kana name compared as a kanji name is "different" (−5.6 bits on
//! the default model) though the two sides never wrote the name in one
//! script; in the column of its script it is compared with the other
//! side's reading, or not at all when there is none (not comparable is not
//! different).
//!
//! Invariant: a column's own text keeps its place; a text from another
//! column only fills a column its row left empty (else it is dropped: the
//! row gave that script already). A text whose script is mixed or unknown
//! stays where it was written, to be judged by that column's rules.

use super::name::without_trailing_honorifics;
use super::note::without_notes;

/// What a name text is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// At least one kanji.
    Kanji,
    /// Kana only (with separators).
    Kana,
    /// Latin letters only (with separators).
    Latin,
    /// Nothing of the above, or kana with Latin letters.
    Other,
}

/// The script of `text`, its honorific (様, さん) and a note in brackets
/// after it (`ヤマダ タロウ（旧姓 サトウ）`, `note::without_notes`) aside.
pub fn script(text: &str) -> Script {
    let text = without_honorific(&text[without_notes(text)]);
    let (mut kana, mut latin, mut other) = (false, false, false);
    for c in text.chars() {
        if is_ideograph(c) {
            return Script::Kanji;
        }
        if is_kana_letter(c) {
            kana = true;
        } else if c.is_alphabetic() && !c.is_numeric() {
            latin = true;
        } else if !is_name_separator(c) {
            other = true;
        }
    }
    match (kana, latin, other) {
        (true, false, false) => Script::Kana,
        (false, true, false) => Script::Latin,
        _ => Script::Other,
    }
}

/// The three name texts of a row, each in the column of its script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameTexts<'a> {
    pub kanji: &'a str,
    pub kana: &'a str,
    pub romaji: &'a str,
}

/// Sorts a row's name texts into the columns of their scripts (module
/// comment). Allocates nothing: it runs on every row.
pub fn sort_columns<'a>(kanji: &'a str, kana: &'a str, romaji: &'a str) -> NameTexts<'a> {
    if plainly_in_place(kanji, kana, romaji) {
        return NameTexts { kanji, kana, romaji };
    }
    sort_columns_general(kanji, kana, romaji)
}

/// Whether a row is the common one whose texts all stay where they are,
/// told from its bytes (reading every character's script was 1% of a
/// 1,000,000-person run): the kanji column empty or starting with a kanji,
/// ending in no bracket and holding nothing another script's name could be
/// (so [`script`] is Kanji and there is no other name to split:
/// [`may_hold_another_name`]), the kana column of kana letters and
/// separators only (Kana, or Other when no letter: both stay), the romaji
/// column ASCII (Latin or Other: both stay). A property test checks that
/// the general path agrees.
fn plainly_in_place(kanji: &str, kana: &str, romaji: &str) -> bool {
    let kanji_stays = kanji.is_empty()
        || (kanji.chars().next().is_some_and(is_ideograph)
            && !kanji.trim_end().ends_with([')', '）'])
            && !may_hold_another_name(kanji));
    kanji_stays && romaji.is_ascii() && is_plain_kana(kana)
}

/// Whether a kanji column's bytes leave room for a name in another script
/// written after the kanji ([`written_apart`]): an ASCII letter, a
/// full-width letter or half-width kana (both start with the byte EF), or
/// kana (E3 81 to E3 83) with a gap before the parts (`山田 太郎 ヤマダタロウ`).
fn may_hold_another_name(kanji: &str) -> bool {
    let bytes = kanji.as_bytes();
    let (mut gap, mut kana) = (false, false);
    for (at, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphabetic() || b == 0xEF {
            return true;
        }
        // A space, a slash, a bar, the ideographic space (E3 80 80).
        gap |= matches!(b, b' ' | b'/' | b'|') || (b == 0xE3 && bytes.get(at + 1..at + 3) == Some(&[0x80, 0x80]));
        kana |= b == 0xE3 && matches!(bytes.get(at + 1), Some(0x81..=0x83));
    }
    gap && kana
}

/// Kana letters (U+3041–3096, U+30A1–30FA, ー), the middle dot, the
/// ideographic space and ASCII spaces only, checked on the UTF-8 bytes.
fn is_plain_kana(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at..] {
            [b' ', ..] => at += 1,
            // U+3000..=U+3FFF: E3, then two continuation bytes of 6 bits.
            [0xE3, second, third, ..] => {
                let low = (u32::from(second & 0x3F) << 6) | u32::from(third & 0x3F);
                if !matches!(low, 0x000 | 0x041..=0x096 | 0x0A1..=0x0FC) {
                    return false;
                }
                at += 3;
            }
            _ => return false,
        }
    }
    true
}

/// [`sort_columns`] without the shortcut for the common row.
pub(super) fn sort_columns_general<'a>(kanji: &'a str, kana: &'a str, romaji: &'a str) -> NameTexts<'a> {
    let (kanji, other_name) = split_other_name(kanji);
    let written = [(kanji, Script::Kanji), (kana, Script::Kana), (romaji, Script::Latin)];
    let mut out = NameTexts::default();
    // Each column's own text first (a text of no clear script stays too),
    // then the others where their script's column is empty.
    let mut moved: [Option<(&'a str, Script)>; 3] = [None; 3];
    for ((text, column), moved) in written.into_iter().zip(&mut moved) {
        match script(text) {
            of_text if text.is_empty() || of_text == column || of_text == Script::Other => set(&mut out, column, text),
            of_text => *moved = Some((text, of_text)),
        }
    }
    for (text, of_text) in moved.into_iter().flatten().chain(other_name) {
        fill(&mut out, of_text, text);
    }
    out
}

fn set<'a>(out: &mut NameTexts<'a>, script: Script, text: &'a str) {
    match script {
        Script::Kanji => out.kanji = text,
        Script::Kana => out.kana = text,
        Script::Latin | Script::Other => out.romaji = text,
    }
}

fn fill<'a>(out: &mut NameTexts<'a>, script: Script, text: &'a str) {
    let empty = match script {
        Script::Kanji => out.kanji.is_empty(),
        Script::Kana => out.kana.is_empty(),
        Script::Latin | Script::Other => out.romaji.is_empty(),
    };
    if empty {
        set(out, script, text);
    }
}

/// A kanji name and the same name in another script that a combined
/// column writes after it: its kana reading or its romaji, in brackets
/// (`山田 太郎（やまだ たろう）`, `山田 太郎 (YAMADA TARO)`) or apart
/// (`山田 太郎 ヤマダ タロウ`, `山田 太郎 / YAMADA TARO`); the text as it is
/// otherwise. Kept in the kanji name, such a tail made the kanji key
/// (山田太郎YAMADATARO) another person's.
fn split_other_name(text: &str) -> (&str, Option<(&str, Script)>) {
    if let Some((name, other)) = in_brackets(text) {
        return (name, Some(other));
    }
    let body = without_honorific(&text[without_notes(text)]);
    match written_apart(body) {
        Some((name, other)) => (name, Some(other)),
        None => (text, None),
    }
}

/// The other name in brackets after a kanji name. Kana shorter than the
/// name's kanji (`山田 花子（ハナ）`, a nickname or half a reading) is a
/// note, not the reading ([`reads_every_kanji`]); so is one Latin word
/// (`(MR)`, a title; `(JTB)`): a romaji name has two.
fn in_brackets(text: &str) -> Option<(&str, (&str, Script))> {
    let inner_end = text.trim_end().strip_suffix([')', '）'])?;
    let open = inner_end.rfind(['(', '（'])?;
    let name = inner_end[..open].trim_end();
    let inside = inner_end[open..].trim_start_matches(['(', '（']).trim();
    if script(name) != Script::Kanji {
        return None;
    }
    match script(inside) {
        Script::Kana if reads_every_kanji(name, inside) => Some((name, (inside, Script::Kana))),
        Script::Latin if name_parts(inside).count() >= 2 => Some((name, (inside, Script::Latin))),
        _ => None,
    }
}

/// The other name written apart after a kanji name: every part from the
/// first without a kanji on is of one script. Romaji of two parts or more
/// is a name (a kanji name has no Latin letter). Kana is the reading
/// ([`is_whole_reading`]) or part of the name (`山田 さくら`, a kanji
/// surname and a kana given name, stays one name).
fn written_apart(text: &str) -> Option<(&str, (&str, Script))> {
    let (mut kanji_parts, mut other_start, mut other_parts) = (0, None, 0);
    for part in name_parts(text) {
        let offset = part.as_ptr() as usize - text.as_ptr() as usize;
        match (part.chars().any(is_ideograph), other_start) {
            (true, None) => kanji_parts += 1,
            (true, Some(_)) => return None,
            (false, None) => (other_start, other_parts) = (Some(offset), 1),
            (false, Some(_)) => other_parts += 1,
        }
    }
    let other_start = other_start.filter(|_| kanji_parts > 0)?;
    let name = text[..other_start].trim_end_matches(is_part_gap);
    let other = text[other_start..].trim_end();
    match script(other) {
        Script::Latin if other_parts >= 2 => Some((name, (other, Script::Latin))),
        Script::Kana if is_whole_reading(name, other, kanji_parts + other_parts) => Some((name, (other, Script::Kana))),
        _ => None,
    }
}

/// Whether kana written apart after a kanji name is its whole reading
/// rather than a given name in kana after a kanji surname (`山田 さくら`,
/// two parts, two kanji and three kana): three parts or more with every
/// kanji read (`山田 太郎 ヤマダタロウ`; `山田 花子 ハナ`, too short, stays),
/// or two parts whose kana are [`READING_SURPLUS`] more than the kanji and
/// at least [`MIN_WHOLE_READING`] (`山田太郎 ヤマダタロウ`; a kana given name
/// is mostly two to four kana: `林 みどり` stays).
fn is_whole_reading(name: &str, kana: &str, parts: usize) -> bool {
    if parts >= 3 {
        reads_every_kanji(name, kana)
    } else {
        kana_letters(kana) >= (ideographs(name) + READING_SURPLUS).max(MIN_WHOLE_READING)
    }
}

/// A surname and a given name read at least one kana a kanji, and most
/// kanji of a name read two (山田太郎 ヤマダタロウ: six for four); a kana
/// given name after a kanji surname has no such surplus over the kanji.
const READING_SURPLUS: usize = 2;

/// Kana of a whole name's reading, at the least: a surname and a given
/// name of two or three kana each (ヤマダ タロウ: six). Five leaves room for
/// short ones (ハラ トユキ).
const MIN_WHOLE_READING: usize = 5;

/// Whether `kana` gives each kanji of `name` at least one kana, as a
/// name's reading does (四月一日 ワタヌキ: four kana for four kanji; 八月一日
/// ホズミ, three for four, is the rare exception).
fn reads_every_kanji(name: &str, kana: &str) -> bool {
    kana_letters(kana) >= ideographs(name)
}

fn kana_letters(text: &str) -> usize {
    text.chars().filter(|&c| is_kana_letter(c)).count()
}

fn ideographs(text: &str) -> usize {
    text.chars().filter(|&c| is_ideograph(c)).count()
}

/// The parts of a name text between the gaps [`is_part_gap`] makes.
fn name_parts(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_part_gap).filter(|part| !part.is_empty())
}

/// What stands between the parts of a combined name column: spaces,
/// slashes, a vertical bar and the middle dot.
fn is_part_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '/' | '／' | '|' | '｜' | '・' | '･')
}

fn without_honorific(text: &str) -> &str {
    without_trailing_honorifics(text, char::is_whitespace)
}

/// CJK ideographs (the unified blocks, extension A, compatibility) and the
/// iteration mark 々, as names are written.
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}' | '々' | '〆')
}

/// What stands between the parts of a name, or around a title: spaces,
/// the middle dot, and the punctuation of romaji names (`YAMADA, Taro`,
/// `YAMADA/TARO MR`, `O'NEIL`, `(MR)`). A digit or any other sign makes a
/// text no name to move (`=SUM(1+1)` stays where it was written).
fn is_name_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '・' | '･' | '.' | ',' | '-' | '/' | '／' | '|' | '｜' | '\'' | '’' | '(' | ')' | '（' | '）')
}

/// Hiragana and katakana letters, full and half width, with the long-vowel
/// mark (not the middle dot, a separator).
fn is_kana_letter(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn name_columns_table() {
        table_test::run("name_columns", |row| {
            let mut columns = row.split('|');
            let mut next = || columns.next().unwrap_or("");
            let (kanji, kana, romaji) = (next(), next(), next());
            let sorted = sort_columns(kanji, kana, romaji);
            format!("{}|{}|{}", sorted.kanji, sorted.kana, sorted.romaji)
        });
    }
}
