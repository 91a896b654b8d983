//! The city part of an address: a city whose name holds 郡, a county and
//! its town (…郡…町/村), a city (…市, with the ward of a designated city),
//! a Tokyo ward (…区), or a town or village (…町/村).

use std::sync::LazyLock;

use super::{is_numeric, utf8_of, utf8_width};

/// Length in bytes of the city part at the start of `text` (0 when none
/// is found).
///
/// One scan finds every marker: only the first of each counts, looked for
/// from the second character (a city has a name before its 市), and none
/// at or after an ASCII digit (numbers belong to the town part). Limits such as
/// "郡 within the first seven characters" count characters.
pub(super) fn city_length(text: &str) -> usize {
    if let Some(city) = CITIES_NAMED_GUN.iter().find(|city| text.starts_with(**city)) {
        return city.len();
    }
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
        let ward = text[end..].char_indices().take(5).skip(1).find(|&(_, c)| c == '区');
        if let Some((ku, _)) = ward {
            if !text[end..end + ku].chars().any(is_numeric) {
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

/// Cities whose name holds 郡 (`tables/cities_named_gun.tsv`): a city, not
/// a county and its town, whatever 町 or 村 follows (蒲郡市中央本町 is the
/// town 中央本町 of 蒲郡市). Longest first: 大和郡山市 before 郡山市.
static CITIES_NAMED_GUN: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut cities: Vec<&'static str> = include_str!("../tables/cities_named_gun.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    cities.sort_by_key(|c| std::cmp::Reverse(c.len()));
    cities
});

const GUN: [u8; 3] = utf8_of("郡");
const SHI: [u8; 3] = utf8_of("市");
const KU: [u8; 3] = utf8_of("区");
const MACHI: [u8; 3] = utf8_of("町");
const MURA: [u8; 3] = utf8_of("村");
