//! Addresses (SPEC section 4, research notes section 4): an offline key, no
//! network; the one gazetteer is the municipality names of the city part.
//!
//! Characters: NFKC, spaces dropped (a space between two numbers is `-`), any dash next to a digit or kanji
//! numeral is `-`, kanji variants folded, ヶ/ケ/が/ガ between kanji → ケ
//! (霞ヶ関 = 霞が関), の/ノ/之 after a kanji and before a kanji or digit → ノ
//! (丸の内 = 丸ノ内).
//! Structure, parsed in order:
//! - prefecture: one of the 47 names of `tables/prefectures.tsv` at the
//!   start, or missing when omitted (never guessed);
//! - city: the longest municipality name of `tables/municipalities.tsv` at
//!   the start (佐波郡玉村町, 北九州市八幡西区, 豊田市 before the town 市平町),
//!   else by its markers: `…郡…町/村`, `…市` (with a following `…区` of a
//!   designated city), `…区` (Tokyo), or `…町/村` (`address/city.rs`);
//! - town: up to the first number, with a leading 大字/字 dropped (and in
//!   京都市 the street directions before it: 烏丸通御池下る虎屋町 = 虎屋町); the
//!   number of a numbered town (北一条西, 五番町) in digits, other kanji
//!   numerals of a name (十日町) as they are;
//! - numbers: chome, banchi, go… from 丁目/番地/番/号/の/hyphens, kanji numerals
//!   as digits: `一丁目2番3号` = `1-2-3`;
//! - building: whatever follows (building name, room); a の/ノ after the
//!   last number joins no number and starts the building (3号ノースゲート).
//!
//! A house is located by its first [`HOUSE_NUMBERS`] numbers (丁目, 番, 号);
//! a fourth is a room or a floor (`1-2-3-101`, `1丁目2番3号101号室`, `2F`),
//! which many forms and people leave out or write as a building name
//! instead. Matching compares the house ([`house_numbers`], [`same_house`],
//! [`two_flats`]).
//!
//! The parse is a heuristic; what matters for matching is that both sides
//! parse the same way, which they do since both run this code.
//!
//! Speed (this runs on every row of both sides): the character rules are
//! one pass that copies the runs they leave alone, over the raw text when
//! it needs no NFKC but width folds (most addresses), and the parse works
//! on byte offsets of the result, without a vector of characters.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::romaji;
use super::text::{is_kanji_numeral, parse_number, push_decimal};
use super::{Outcome, Scratch};
use crate::input::any_width_digit;

mod characters;
mod city;
mod grid;
mod house;
mod inner_number;
#[cfg(test)]
mod kenall_tests;
mod kyoto;
mod numeral_town;
use characters::{character_rules, table_names};
use city::city_length;
pub use house::{house_numbers, same_house, two_flats, HOUSE_NUMBERS};
use kyoto::kyoto_town;

/// A normalized address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Address<S = String> {
    /// The whole address after the character rules.
    pub full: S,
    /// One of the 47 prefecture names, or empty.
    pub prefecture: S,
    pub city: S,
    pub town: S,
    /// Numbers joined with `-`: `1-2-3`.
    pub numbers: S,
    pub building: S,
}

impl<S> Address<S> {
    /// The same address with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> Address<T> {
        Address {
            full: f(&self.full),
            prefecture: f(&self.prefecture),
            city: f(&self.city),
            town: f(&self.town),
            numbers: f(&self.numbers),
            building: f(&self.building),
        }
    }
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

/// The 47 names by their first character, longest first so a longer name
/// wins (the first character narrows 47 names to at most a handful).
static PREFECTURES: LazyLock<FxHashMap<char, Vec<&'static str>>> = LazyLock::new(|| {
    let mut by_first: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
    for name in include_str!("tables/prefectures.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(1))
    {
        if let Some(first) = name.chars().next() {
            by_first.entry(first).or_default().push(name);
        }
    }
    for names in by_first.values_mut() {
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    }
    by_first
});

fn is_numeric(c: char) -> bool {
    c.is_ascii_digit() || is_kanji_numeral(c)
}

/// Normalizes an address into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut Address) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    let mut coded = std::mem::take(&mut scratch.coded_address);
    let raw = match prefecture_written_otherwise(raw) {
        Some((name, rest)) => {
            coded.clear();
            coded.extend([name, rest]);
            coded.as_str()
        }
        None => raw,
    };
    character_rules(raw, &mut scratch.text, &mut scratch.aux, &mut out.full);
    scratch.coded_address = coded;
    if out.full.is_empty() {
        return Outcome::Invalid;
    }
    parse(out);
    Outcome::Value
}

/// The 47 names by their JIS X 0401 code (1 to 47), from the same table,
/// each with the romaji key of its name in romaji (`romaji::fold`).
static PREFECTURES_BY_CODE: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    include_str!("tables/prefectures.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut columns = l.split('\t').skip(1);
            let (name, romaji) = (columns.next()?, columns.next().unwrap_or_default());
            Some((name, romaji_key(romaji)))
        })
        .collect()
});

fn romaji_key(text: &str) -> String {
    let mut key = String::new();
    romaji::fold(text, romaji::Strength::Loose, &mut romaji::FoldScratch::default(), &mut key);
    key
}

/// A prefecture written otherwise before the rest of the address, as a
/// table's prefecture column holds it and the columns are read one after
/// the other: as its JIS X 0401 code (EC-CUBE's `pref`, `13 千代田区…`), as
/// its ISO 3166-2:JP code (Shopify's `JP-13`, the same numbers) or in
/// romaji (`Tokyo`, `TOKYO-TO`, `Hyōgo`, `Osaka-fu`, as English forms
/// write it): its name and the rest. A code or a romaji word alone before
/// a space, then text that is no number, starts no address written out.
fn prefecture_written_otherwise(raw: &str) -> Option<(&'static str, &str)> {
    let (head, rest) = raw.split_once([' ', '\u{3000}'])?;
    let rest = rest.trim_start_matches([' ', '\u{3000}']);
    let starts_with_text =
        rest.chars().next().is_some_and(|c| any_width_digit(c).is_none() && !c.is_ascii_punctuation());
    if !starts_with_text {
        return None;
    }
    let name = prefecture_of_number(head).or_else(|| prefecture_of_romaji(head))?;
    // The rest may name the prefecture again (a table's address column
    // written out in full): once is enough.
    Some((if rest.starts_with(name) { "" } else { name }, rest))
}

/// The prefecture whose JIS X 0401 number `head` is (`13`, `JP-13`).
fn prefecture_of_number(head: &str) -> Option<&'static str> {
    let head = ["JP-", "jp-"].iter().find_map(|country| head.strip_prefix(country)).unwrap_or(head);
    let mut chars = head.chars();
    let first = any_width_digit(chars.next()?)?;
    let code = match (chars.next(), chars.next()) {
        (None, _) => first,
        (Some(ones), None) => first * 10 + any_width_digit(ones)?,
        _ => return None,
    };
    PREFECTURES_BY_CODE.get((code as usize).checked_sub(1)?).map(|(name, _)| *name)
}

/// The words after a prefecture's romaji name that say which kind it is
/// (Tokyo-to, Osaka-fu, Aichi-ken).
const ROMAJI_KINDS: [&str; 4] = ["to", "fu", "ken", "do"];

/// The prefecture whose name `head` is in romaji, by the romaji key
/// (Hepburn, Kunrei and long vowels alike: Tōkyō, TOUKYOU, Hyogo).
fn prefecture_of_romaji(head: &str) -> Option<&'static str> {
    // Latin letters only (with a macron or circumflex: Tōkyō): kanji are
    // alphabetic too, and an address's first words are read here often.
    let latin = |c: char| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
    if !head.chars().next().is_some_and(latin) || !head.chars().all(|c| latin(c) || c == '-') {
        return None;
    }
    let word = match head.rsplit_once('-') {
        Some((word, kind)) if ROMAJI_KINDS.iter().any(|k| k.eq_ignore_ascii_case(kind)) => word,
        _ => head,
    };
    let key = romaji_key(word);
    PREFECTURES_BY_CODE.iter().find(|(_, romaji)| !key.is_empty() && *romaji == key).map(|(name, _)| *name)
}

/// The seven digits of a postal code written before the address in its
/// field (`〒100-0005 東京都…`), pushed onto `out`; false when there is
/// none. A row that wrote its postal code only there (an export with one
/// address column) still has the code the person wrote, as evidence like
/// the postal code column's.
pub fn postal_code_written_first(address: &Address, out: &mut String) -> bool {
    let code = &address.full[..leading_postal_code(&address.full)];
    out.extend(code.chars().filter(char::is_ascii_digit));
    !code.is_empty()
}

/// Reads the town at the start of `rest` into `town`; returns what follows.
fn parse_town<'a>(city: &str, rest: &'a str, town: &mut String) -> &'a str {
    // A town with a number inside its name (`inner_number`) is its name in
    // one form, whichever form it was written in; the numbers follow it,
    // after a separator the character rules made of a space (サンシャイン60
    // 45階).
    if let Some((len, name)) = inner_number::known(city, rest) {
        town.push_str(name);
        return rest[len..].strip_prefix('-').unwrap_or(&rest[len..]);
    }
    let town_len = town_length(rest);
    let mut town_text = kyoto_town(city, &rest[..town_len]);
    for prefix in ["大字", "字"] {
        if let Some(name) = town_text.strip_prefix(prefix).filter(|name| !name.is_empty()) {
            town_text = name;
            break;
        }
    }
    let rest = &rest[town_len..];
    // 北1西2 is Hokkaido's short form of 北1条西2丁目 (`address/grid.rs`).
    if let Some((number, direction, used)) = grid::short_grid_town(town_text, rest) {
        town.push_str(town_text);
        town.push_str(number);
        town.push('条');
        town.push(direction);
        return &rest[used..];
    }
    push_town(town_text, town);
    rest
}

/// Splits `out.full` into the address parts. Positions are byte offsets
/// into the text; the limits of the heuristics (`郡` within the first seven
/// characters, …) are counted in characters.
fn parse(out: &mut Address) {
    let Address { full, prefecture, city, town, numbers, building } = out;
    let mut rest = full.as_str();
    rest = &rest[leading_postal_code(rest)..];
    let first = rest.chars().next();
    if let Some(name) =
        first.and_then(|c| PREFECTURES.get(&c)).and_then(|names| names.iter().find(|name| rest.starts_with(**name)))
    {
        prefecture.push_str(name);
        rest = &rest[name.len()..];
    }
    let city_len = city_length(rest);
    city.push_str(&rest[..city_len]);
    rest = &rest[city_len..];
    rest = parse_town(city, rest, town);
    let numbers_len = parse_numbers(rest, numbers);
    building.push_str(&rest[numbers_len..]);
}

/// The UTF-8 of a three-byte character, for matching bytes against.
const fn utf8_of(text: &str) -> [u8; 3] {
    let bytes = text.as_bytes();
    [bytes[0], bytes[1], bytes[2]]
}

/// Bytes in the UTF-8 character that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Whether the character `c` at byte `at` starts an address number (not
/// part of a town name such as 一番町 or 北一条).
///
/// A run of kanji digits without 十/百/千 (六九) is not read positionally:
/// only its last digit can be a number, the rest belongs to the town
/// (前弥六九の3の7 is 前弥六, 9-3-7); a run with them is a number from
/// where it reads as one (前弥六三十四丁目 is 前弥六, 34), and a town of
/// `numeral_town` keeps its last numeral. A kanji number before の/ノ is an
/// address number only when another number follows (一の宮 is a name).
/// A number of a numbered town (`numbered_town_suffix`) is the town's, in
/// digits or in kanji (東9号南, 東九号南).
fn starts_address_number(text: &str, at: usize, c: char) -> bool {
    if c.is_ascii_digit() {
        let rest = &text[at..];
        let digits_end = rest.find(|d: char| !d.is_ascii_digit()).unwrap_or(rest.len());
        return !numbered_town_suffix(&rest[digits_end..]);
    }
    if !is_kanji_numeral(c) {
        return false;
    }
    let run: &str = {
        let rest = &text[at..];
        let end = rest.char_indices().find(|&(_, c)| !is_kanji_numeral(c)).map_or(rest.len(), |(i, _)| i);
        &rest[..end]
    };
    let positional = run.chars().any(|c| matches!(c, '十' | '百' | '千'));
    if !positional && run.chars().nth(1).is_some() {
        return false;
    }
    // A run that is no number from here (六三十四: 六, then 三十四) begins
    // with the town's last kanji; the number begins after it.
    if positional && parse_number(run).is_none() {
        return false;
    }
    // A town whose name ends in a numeral keeps it when a number follows
    // (`numeral_town`: 前弥六十六丁目 is 前弥六, 16).
    let run_after = &run[c.len_utf8()..];
    if parse_number(run_after).is_some() && numeral_town::is_numeral_town(&text[..at + c.len_utf8()]) {
        return false;
    }
    let after_run = &text[at + run.len()..];
    if numbered_town_suffix(after_run) {
        return false;
    }
    let mut after = after_run.chars();
    match after.next() {
        Some('丁') => after.next() == Some('目'),
        Some('番') => !matches!(after.next(), Some('町' | '丁')),
        Some('号' | '-') => true,
        Some('の' | 'ノ') => after.next().is_some_and(|c| c.is_ascii_digit() || is_kanji_numeral(c)),
        _ => false,
    }
}

/// Whether a number followed by `after` belongs to the town's name:
/// Japan Post writes such towns with their number (旭川市東光７条,
/// 名張市春日丘５番町, 夕張郡長沼町１０区, 上川郡鷹栖町２２線, 上川郡東川町東９号南;
/// KEN_ALL). Read as address numbers they made every resident of 春日丘5番町
/// agree on the address "5".
fn numbered_town_suffix(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some('条' | '線' | '区' | '軒') => true,
        Some('番') => matches!(chars.next(), Some('町' | '丁')),
        Some('地') => chars.next() == Some('割'),
        // 東９号南 is a town, 13番21号 コーポ a house number.
        Some('号') => matches!(chars.next(), Some('東' | '西' | '南' | '北')),
        _ => false,
    }
}

/// Appends a town's name with the number of a numbered town (北一条西,
/// 春日丘五番町, 東九号南) in digits (北1条西): Japan Post writes some of
/// them in kanji and some in digits (北海道札幌市中央区北一条西, 旭川市東光７条),
/// and people write either, so one form is kept. Other kanji numerals of a
/// name stay (十日町, 一の宮).
fn push_town(name: &str, out: &mut String) {
    push_numbers_in_digits(name, out, numbered_town_suffix);
}

/// Appends `name` with each run of kanji numerals that reads as a number
/// and is followed by what `in_digits` accepts written in digits.
fn push_numbers_in_digits(name: &str, out: &mut String, in_digits: impl Fn(&str) -> bool) {
    let mut rest = name;
    while let Some(start) = rest.find(is_kanji_numeral) {
        let run_len = rest[start..].find(|c| !is_kanji_numeral(c)).unwrap_or(rest.len() - start);
        let (run, after) = (&rest[start..start + run_len], &rest[start + run_len..]);
        out.push_str(&rest[..start]);
        match parse_number(run).filter(|_| in_digits(after)) {
            Some(value) => push_decimal(value, out),
            None => out.push_str(run),
        }
        rest = after;
    }
    out.push_str(rest);
}

/// Byte length of the town part: up to the first address number.
fn town_length(text: &str) -> usize {
    text.char_indices().find(|&(at, c)| starts_address_number(text, at, c)).map_or(text.len(), |(at, _)| at)
}

/// Whether `rest`, after a number, makes it a building's number: 番館,
/// 号館, 番棟, 号棟 (一番館, 3号館, A棟 aside).
fn is_building_number(rest: &str) -> bool {
    ["番館", "号館", "番棟", "号棟"].iter().any(|unit| rest.starts_with(unit))
}

/// Whether a number after the house numbers, followed by `rest`, begins the
/// building's name or its floor ([`is_floor`]; `after_digits`: a kanji
/// number after a number in digits). Read as a fourth number, the number
/// of a building (一番館, 3号館, 2号棟) disagreed with the room a booking
/// gave (`2-3-13-1` against `2-3-13-101` for 一番館101), and a building named after its numbered town
/// (一番町ハイツ, 五番町マンション) or a kanji number with 番 before a name
/// (1-1 一番ビル) made `1-2-1` of the `1-2` of the same home written without
/// its building.
fn starts_the_building(rest: &str, after_digits: bool) -> bool {
    is_building_number(rest) || is_floor(rest) || numbered_town_suffix(rest) || after_digits && names_a_building(rest)
}

/// Whether `rest`, after a number, makes it a floor: 階, or `F` not
/// followed by a letter (`2F`; a word such as `FRONT` is not) nor by what
/// makes F a building's name (`F棟`, `F館`, `F号棟`, and `F-101` as `A-101`
/// names a flat of building A: the character rules drop the space of
/// `1-2-3 F棟101` or `1-2-3 F-101`, and the 3 stays the house's). A
/// floor locates no house: read as one more number, `1-1 2F` (the space
/// made a hyphen) was the house `1-1-2`, another house than the `1-1` of the
/// same home written without its floor, and `1-2-3 2F` the flat `1-2-3-2`,
/// another flat than the `1-2-3-201` of the same room.
fn is_floor(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some('階') => true,
        Some('F' | 'f') => {
            !chars.next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '棟' | '館' | '号' | '-'))
        }
        _ => false,
    }
}

/// Whether `rest`, after a kanji number, is 番 and then a name (一番ビル),
/// not a unit followed by another number or the end (一番地, 一番三号).
fn names_a_building(rest: &str) -> bool {
    let mut chars = rest.chars();
    chars.next() == Some('番')
        && chars.next().is_some_and(|c| !(is_numeric(c) || matches!(c, '地' | '号' | '-' | 'の' | 'ノ')))
}

/// Byte length of the unit or connector at the start of `rest` (丁目, 番地,
/// 番, 号, -, の, ノ; the longer first), 0 when there is none.
fn unit_length(rest: &[u8]) -> usize {
    let three = |from: usize| rest.get(from..from + 3).and_then(|b| <[u8; 3]>::try_from(b).ok());
    if rest.first() == Some(&b'-') {
        return 1;
    }
    match three(0) {
        Some(CHO) if three(3) == Some(ME) => 6,
        Some(BAN) if three(3) == Some(CHI) => 6,
        Some(BAN | GO | HIRAGANA_NO | KATAKANA_NO) => 3,
        _ => 0,
    }
}

const CHO: [u8; 3] = utf8_of("丁");
const ME: [u8; 3] = utf8_of("目");
const BAN: [u8; 3] = utf8_of("番");
const CHI: [u8; 3] = utf8_of("地");
const GO: [u8; 3] = utf8_of("号");
const HIRAGANA_NO: [u8; 3] = utf8_of("の");
const KATAKANA_NO: [u8; 3] = utf8_of("ノ");

/// The longest run of numerals read as one number, in bytes: a longer run
/// is read as several numbers (none of which is a real address number).
const MAX_NUMBER_BYTES: usize = 60;

/// The length of a postal code written before the address in its field
/// (`〒100-0001 東京都…`, `1000001 東京都…`, the space dropped by the
/// character rules), 0 when there is none: read as the address, it became
/// a town `〒` and the numbers `100-1`, and the row's address compared
/// different from its own person's. Three digits, an optional hyphen and
/// four digits, after an optional 〒, before something not a digit.
fn leading_postal_code(text: &str) -> usize {
    let body = text.strip_prefix('〒').unwrap_or(text);
    let bytes = body.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let end = if bytes.get(3) == Some(&b'-') { 8 } else { 7 };
    if digits(0..3) && digits(end - 4..end) && !bytes.get(end).is_some_and(u8::is_ascii_digit) {
        text.len() - body.len() + end
    } else {
        0
    }
}

/// Parses numbers and their units into `out` (`1-2-3`); returns how many
/// bytes of `text` were consumed.
fn parse_numbers(text: &str, out: &mut String) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Where the numbers end if no number follows: before a trailing の/ノ,
    // which joins two numbers and is otherwise a name's first character
    // (3号ノースゲートビル: the building is ノースゲートビル).
    let mut end = 0;
    // Whether the last number was written in ASCII digits.
    let mut last_run_ascii = false;
    loop {
        let start = at;
        // A run is ASCII digits or kanji numerals, never both: 13三筋 is
        // the number 13 and a building name.
        let kanji = bytes.get(at).is_some_and(|&b| b >= 0x80);
        let ascii_only = !kanji;
        while at < bytes.len() && at - start <= MAX_NUMBER_BYTES {
            if !kanji && bytes[at].is_ascii_digit() {
                at += 1;
            } else if kanji && bytes[at] >= 0x80 && text[at..].chars().next().is_some_and(is_kanji_numeral) {
                at += "一".len();
            } else {
                break;
            }
        }
        if at == start {
            return end;
        }
        // A kanji numeral run followed by a name (三筋クレスト, 三井ビル)
        // starts the building, not a number.
        if kanji && at < bytes.len() && unit_length(&bytes[at..]) == 0 {
            return start;
        }
        if !out.is_empty() && starts_the_building(&text[at..], kanji && last_run_ascii) {
            return start;
        }
        let run = &text[start..at];
        // ASCII digits without a leading zero are already the decimal form
        // of their value: copied as they are.
        let as_written = ascii_only && run.len() <= 9 && (run.len() == 1 || !run.starts_with('0'));
        let value = match as_written {
            true => None,
            false => match parse_number(run) {
                Some(value) => Some(value),
                None => return start,
            },
        };
        if !out.is_empty() {
            out.push('-');
        }
        match value {
            Some(value) => push_decimal(value, out),
            None => out.push_str(run),
        }
        last_run_ascii = ascii_only;
        end = at;
        // The units and connectors after the number (`番地の`, `丁目-`).
        loop {
            let unit = unit_length(&bytes[at..]);
            if unit == 0 {
                break;
            }
            let joins_only = matches!(bytes.get(at..at + unit), Some(b) if b == HIRAGANA_NO || b == KATAKANA_NO);
            at += unit;
            if !joins_only {
                end = at;
            }
        }
    }
}

#[cfg(test)]
mod tests;
