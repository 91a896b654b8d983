//! The city part of an address: a municipality Japan Post names
//! (`tables/municipalities.tsv`: a city, a Tokyo ward, a designated city with
//! its ward, a county town with or without its county), the longest that
//! starts the text; failing one (a typo, a name since merged away), the
//! markers: a county and its town (…郡…町/村), a city (…市, with the ward
//! of a designated city), a Tokyo ward (…区), or a town or village (…町/村).
//!
//! Why the table first: the markers alone misread names that hold a marker
//! (佐波郡玉村町 as the county town 玉村, 北九州市八幡西区 without its ward
//! since 八 is a numeral) and towns that start with one (豊田市市平町,
//! 新宿区市谷 as the cities 豊田市市 and 新宿区市). Parsing every town of
//! Japan Post's data (pref+city+town+1-2-3), the markers put the city's end
//! in the wrong place for 1,360 of 115,750; the table, for none (the
//! `every_kenall_town_parses_its_city` test checks the generator's sample).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::{is_numeric, table_names, utf8_of, utf8_width};

/// Length in bytes of the city part at the start of `text` (0 when none
/// is found).
///
/// One scan finds every marker: only the first of each counts, looked for
/// from the second character (a city has a name before its 市), and none
/// at or after an ASCII digit (numbers belong to the town part). Limits such as
/// "郡 within the first seven characters" count characters.
pub(super) fn city_length(text: &str) -> usize {
    let known = known_municipality_length(text);
    if known > 0 {
        return known;
    }
    marked_city_length(text)
}

/// Length in bytes of the longest name of [`MUNICIPALITIES`] that starts
/// `text`, 0 when none does. Every such name ends in 市, 区, 町 or 村, so
/// only the prefixes that end in one are looked up.
fn known_municipality_length(text: &str) -> usize {
    let table = &*MUNICIPALITIES;
    let mut longest = 0;
    for (index, (at, c)) in text.char_indices().enumerate() {
        if index >= table.max_chars || c.is_ascii_digit() {
            break;
        }
        if matches!(c, '市' | '区' | '町' | '村') {
            let end = at + c.len_utf8();
            if table.names.contains(&text[..end]) {
                longest = end;
            }
        }
    }
    longest
}

/// The city part found by its markers alone (module comment).
fn marked_city_length(text: &str) -> usize {
    #[derive(Clone, Copy)]
    struct Mark {
        index: usize,
        at: usize,
    }
    let (mut gun, mut gun_town, mut shi, mut ku, mut town) = (None::<Mark>, None::<Mark>, None::<Mark>, None, None);
    // On bytes: the markers are three-byte characters, compared whole.
    let bytes = text.as_bytes();
    let (mut at, mut index) = (0, 0);
    while at < bytes.len() {
        let lead = bytes[at];
        if lead.is_ascii_digit() {
            break;
        }
        let width = utf8_width(lead);
        if width == 3 && index > 0 {
            let mark = Mark { index, at };
            // Plain comparisons (not a jump on the lead byte): almost every
            // character is none of the markers, which predicts well.
            let c = [lead, bytes[at + 1], bytes[at + 2]];
            if c == GUN {
                gun.get_or_insert(mark);
            } else if c == SHI {
                shi.get_or_insert(mark);
            } else if c == KU {
                ku.get_or_insert(mark);
            } else if c == MACHI || c == MURA {
                town.get_or_insert(mark);
                // The town of a county: 町/村 at least two characters after 郡.
                if gun.is_some_and(|g| index >= g.index + 2) {
                    gun_town.get_or_insert(mark);
                }
            }
        }
        at += width;
        index += 1;
    }
    const MARK_LEN: usize = 3; // 郡 市 区 町 村 in UTF-8
                               // 郡 then 町/村: a county town.
    if let (Some(_), Some(town)) = (gun.filter(|g| g.index <= 6), gun_town) {
        return town.at + MARK_LEN;
    }
    if let Some(shi) = shi {
        let mut end = shi.at + MARK_LEN;
        // 四日市市, 廿日市市: the city name itself ends in 市.
        if text[end..].starts_with('市') {
            end += MARK_LEN;
        }
        // A ward of a designated city: 大阪市北区 (区 within the next four
        // characters but one, with no numeral before it).
        // A numeral just before 区 makes a numbered district (夕張郡長沼町１０区),
        // not a ward; one earlier is part of a ward's name (八幡西区, 千種区).
        let ward = text[end..].char_indices().take(5).skip(1).find(|&(_, c)| c == '区');
        if let Some((ku, _)) = ward {
            if !text[end..end + ku].chars().next_back().is_some_and(is_numeric) {
                end += ku + MARK_LEN;
            }
        }
        return end;
    }
    if let Some(ku) = ku.filter(|k| k.index <= 6) {
        return ku.at + MARK_LEN;
    }
    if let Some(town) = town.filter(|t| t.index <= 6) {
        return town.at + MARK_LEN;
    }
    0
}

/// The names of `tables/municipalities.tsv` after the address's character
/// rules (so 駒ヶ根市 is looked up as the parse sees it, 駒ケ根市), and the
/// most characters one has.
struct Municipalities {
    names: FxHashSet<String>,
    max_chars: usize,
}

static MUNICIPALITIES: LazyLock<Municipalities> = LazyLock::new(|| {
    let names: FxHashSet<String> = table_names(include_str!("../tables/municipalities.tsv")).collect();
    let max_chars = names.iter().map(|name| name.chars().count()).max().unwrap_or(0);
    Municipalities { names, max_chars }
});

const GUN: [u8; 3] = utf8_of("郡");
const SHI: [u8; 3] = utf8_of("市");
const KU: [u8; 3] = utf8_of("区");
const MACHI: [u8; 3] = utf8_of("町");
const MURA: [u8; 3] = utf8_of("村");
