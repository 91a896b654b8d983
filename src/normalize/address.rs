//! Addresses (SPEC section 4, research notes section 4): an offline key, no
//! gazetteer and no network.
//!
//! Characters: NFKC, spaces dropped (a space between two numbers is `-`), any dash next to a digit or kanji
//! numeral is `-`, kanji variants folded, ヶ/ケ/が/ガ between kanji → ケ
//! (霞ヶ関 = 霞が関), の/ノ/之 between kanji → ノ (丸の内 = 丸ノ内).
//! Structure, parsed in order:
//! - prefecture: one of the 47 names of `tables/prefectures.tsv` at the
//!   start, or missing when omitted (never guessed);
//! - city: `…郡…町/村`, `…市` (with a following `…区` of a designated city),
//!   `…区` (Tokyo), or `…町/村`;
//! - town: up to the first number, with a leading 大字/字 dropped; kanji
//!   numerals inside town names (一番町, 北一条) stay;
//! - numbers: chome, banchi, go… from 丁目/番地/番/号/の/hyphens, kanji numerals
//!   as digits: `一丁目2番3号` = `1-2-3`;
//! - building: whatever follows (building name, room).
//!
//! The parse is a heuristic; what matters for matching is that both sides
//! parse the same way, which they do since both run this code.

use std::sync::LazyLock;

use super::kanji::fold_strict;
use super::text::{is_dash, is_kanji_numeral, is_space, is_stray_mark, is_tilde, parse_number, prepare, Prepared};
use super::{Outcome, Scratch};

/// A normalized address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// The whole address after the character rules.
    pub full: String,
    /// One of the 47 prefecture names, or empty.
    pub prefecture: String,
    pub city: String,
    pub town: String,
    /// Numbers joined with `-`: `1-2-3`.
    pub numbers: String,
    pub building: String,
}

impl Address {
    fn clear(&mut self) {
        self.full.clear();
        self.prefecture.clear();
        self.city.clear();
        self.town.clear();
        self.numbers.clear();
        self.building.clear();
    }
}

/// The 47 names, as characters (compared against the address's characters
/// without decoding UTF-8 again), longest first so a longer name wins.
static PREFECTURES: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    let mut names: Vec<Vec<char>> = include_str!("tables/prefectures.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(1).map(|name| name.chars().collect()))
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
});

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
}

/// The CJK and kana blocks: no space, dash or tilde among them.
fn is_cjk(c: char) -> bool {
    ('\u{3040}'..'\u{FE00}').contains(&c)
}

fn is_numeric(c: char) -> bool {
    c.is_ascii_digit() || is_kanji_numeral(c)
}

/// Normalizes an address into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut Address) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.text.clear();
    let plain = prepare(raw, &mut scratch.aux, &mut scratch.text) == Prepared::Plain;
    let chars = &mut scratch.chars;
    chars.clear();
    // Spaces go, except that one between two numbers (`1-2-3 101`, a room)
    // becomes a hyphen rather than gluing them into 3101.
    let mut pending_space = false;
    for c in scratch.text.chars() {
        // Kanji and kana (most of an address) are never spaces: skip the
        // Unicode white-space lookup for them.
        if !is_cjk(c) && is_space(c) {
            pending_space = true;
            continue;
        }
        if !plain && is_stray_mark(c) {
            continue;
        }
        if std::mem::take(&mut pending_space) && c.is_ascii_digit() && chars.last().is_some_and(char::is_ascii_digit) {
            chars.push('-');
        }
        chars.push(fold_strict(c));
    }
    for i in 0..chars.len() {
        let c = chars[i];
        // Digits, letters and kanji (all but ケ ノ 之) are left as they are.
        if c.is_ascii_alphanumeric() || (is_kanji(c) && c != '之') {
            continue;
        }
        let (before, after) = (i.checked_sub(1).map(|p| chars[p]), chars.get(i + 1).copied());
        chars[i] = if is_dash(c) {
            if before.is_some_and(is_numeric) || after.is_some_and(is_numeric) || c != 'ー' {
                '-'
            } else {
                c
            }
        } else if is_tilde(c) {
            '~'
        } else if matches!(c, 'ヶ' | 'ケ' | 'が' | 'ガ' | 'ヵ')
            && before.is_some_and(is_kanji)
            && after.is_some_and(is_kanji)
        {
            'ケ'
        } else if matches!(c, 'の' | 'ノ' | '之') && before.is_some_and(is_kanji) && after.is_some_and(is_kanji) {
            'ノ'
        } else {
            c
        };
    }
    if chars.is_empty() {
        return Outcome::Invalid;
    }
    // `full` once, with the byte offset of every character, so the parts
    // are copied out of it as slices.
    let offsets = &mut scratch.offsets;
    offsets.clear();
    for &c in chars.iter() {
        offsets.push(out.full.len());
        out.full.push(c);
    }
    offsets.push(out.full.len());
    parse(chars, offsets, out);
    Outcome::Value
}

/// Splits `chars` (whose text is `out.full`, `offsets[i]` the byte offset
/// of character i) into the address parts.
fn parse(chars: &[char], offsets: &[usize], out: &mut Address) {
    let Address { full, prefecture, city, town, numbers, building } = out;
    let text = |from: usize, to: usize| &full[offsets[from]..offsets[to]];
    let mut at = 0;
    let first = chars.first().copied();
    if let Some(name) = PREFECTURES.iter().find(|name| name.first().copied() == first && chars.starts_with(name)) {
        prefecture.push_str(text(0, name.len()));
        at = name.len();
    }
    let city_len = city_length(&chars[at..]);
    city.push_str(text(at, at + city_len));
    at += city_len;
    let town_len = town_length(&chars[at..]);
    let mut town_start = at;
    for prefix in [&['大', '字'][..], &['字'][..]] {
        if chars[at..at + town_len].starts_with(prefix) && town_len > prefix.len() {
            town_start += prefix.len();
            break;
        }
    }
    town.push_str(text(town_start, at + town_len));
    at += town_len;
    let numbers_len = parse_numbers(&chars[at..], numbers);
    building.push_str(text(at + numbers_len, chars.len()));
}

fn position(chars: &[char], from: usize, wanted: &[char]) -> Option<usize> {
    chars.get(from..)?.iter().position(|c| wanted.contains(c)).map(|p| p + from)
}

/// Length of the city part at the start of `chars` (0 when none is found).
fn city_length(chars: &[char]) -> usize {
    let has_digit_before = |end: usize| chars[..end].iter().any(|c| c.is_ascii_digit());
    // 郡 then 町/村: a county town.
    if let Some(gun) = position(chars, 1, &['郡']).filter(|g| *g <= 6) {
        if let Some(town) = position(chars, gun + 2, &['町', '村']) {
            if !has_digit_before(town) {
                return town + 1;
            }
        }
    }
    if let Some(mut shi) = position(chars, 1, &['市']).filter(|s| !has_digit_before(*s)) {
        // 四日市市, 廿日市市: the city name itself ends in 市.
        if chars.get(shi + 1) == Some(&'市') {
            shi += 1;
        }
        let mut end = shi + 1;
        // A ward of a designated city: 大阪市北区.
        if let Some(ku) = position(chars, end + 1, &['区']).filter(|k| *k <= end + 4) {
            if !chars[end..ku].iter().any(|c| is_numeric(*c)) {
                end = ku + 1;
            }
        }
        return end;
    }
    if let Some(ku) = position(chars, 1, &['区']).filter(|k| !has_digit_before(*k) && *k <= 6) {
        return ku + 1;
    }
    if let Some(town) = position(chars, 1, &['町', '村']).filter(|t| !has_digit_before(*t) && *t <= 6) {
        return town + 1;
    }
    0
}

/// Whether a number starting at `i` is an address number (not part of a
/// town name such as 一番町 or 北一条).
fn starts_address_number(chars: &[char], i: usize) -> bool {
    if chars[i].is_ascii_digit() {
        return true;
    }
    if !is_kanji_numeral(chars[i]) {
        return false;
    }
    let end = i + chars[i..].iter().take_while(|c| is_kanji_numeral(**c)).count();
    match chars.get(end) {
        Some('丁') => chars.get(end + 1) == Some(&'目'),
        Some('番') => !matches!(chars.get(end + 1), Some('町' | '丁')),
        Some('号' | '-') => true,
        None => false,
        _ => false,
    }
}

fn town_length(chars: &[char]) -> usize {
    (0..chars.len()).find(|&i| starts_address_number(chars, i)).unwrap_or(chars.len())
}

/// Parses numbers and their units into `out` (`1-2-3`); returns how many
/// characters were consumed.
/// Appends `value` in decimal (without the formatting machinery: this runs
/// for every number of every address).
fn push_decimal(mut value: u32, out: &mut String) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// Units and connectors after an address number, longest first.
const NUMBER_UNITS: [&[char]; 7] = [&['丁', '目'], &['番', '地'], &['番'], &['号'], &['-'], &['の'], &['ノ']];

fn parse_numbers(chars: &[char], out: &mut String) -> usize {
    let mut i = 0;
    while i < chars.len() && is_numeric(chars[i]) {
        // A stack buffer: no allocation per address.
        let mut buf = [0u8; 64];
        let mut len = 0;
        let start = i;
        while i < chars.len() && is_numeric(chars[i]) && len + 4 <= buf.len() {
            len += chars[i].encode_utf8(&mut buf[len..]).len();
            i += 1;
        }
        let Some(value) = std::str::from_utf8(&buf[..len]).ok().and_then(parse_number) else {
            return start;
        };
        if !out.is_empty() {
            out.push('-');
        }
        push_decimal(value, out);
        // The units and connectors after the number (`番地の`, `丁目-`).
        while let Some(unit) = NUMBER_UNITS.iter().find(|u| chars[i..].starts_with(u)) {
            i += unit.len();
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn address_table() {
        table_test::run("address", |raw| {
            let mut out = Address::default();
            normalize(raw, &mut Scratch::default(), &mut out);
            if out.full.is_empty() {
                return String::new();
            }
            format!("{}|{}|{}|{}|{}", out.prefecture, out.city, out.town, out.numbers, out.building)
        });
    }
}
