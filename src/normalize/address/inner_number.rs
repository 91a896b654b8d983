//! Towns with a number inside their name (`tables/inner_number_towns.tsv`,
//! Japan Post's 89: 雨竜町 第3町内, 厚岸町 太田3の通り, 浜中町 一番沢, 港区
//! 麻布十番, 浦臼町 浦臼第3, 仙台市青葉区 中央SS30住友生命仙台中央ビル …): read
//! as an address, the number was the house's and the rest of the name a
//! building, so that every house of the town was one house (第3町内123番地
//! and 第3町内124番地 both the house 3 of the town 第), or the number was a
//! first house number (麻布十番1-2-3 the house 10-1-2), or one with the
//! house number glued after it (浦臼第3123番地 the house 3123, 浦臼第3 123番地
//! 3-123). Such a name is the town, and the numbers are read after it. Its numbers in kanji or in digits are one
//! name (稲荷町三丁目北 = 稲荷町3丁目北), the town kept in digits, as a
//! numbered town's (北一条西 = 北1条西).
//!
//! Invariant: a name is matched whole from the town's start (a 大字 or 字
//! before it allowed), the longest that fits, and only in its own city
//! (one city's name ends with the other's: a county or a designated city
//! left out), so 本町一丁目上 of 十日町市 leaves every other 本町 alone.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::{character_rules, push_numbers_in_digits};

/// One form of a town of the table: its city, the name as it may be
/// written, and the town it is (numbers in digits), after the address's
/// character rules, as the parse sees them.
struct Town {
    city: String,
    written: String,
    name: String,
}

/// The towns by the first character of their name.
static TOWNS: LazyLock<FxHashMap<char, Vec<Town>>> = LazyLock::new(|| {
    let (mut text, mut aux) = (String::new(), String::new());
    let mut fold = |raw: &str| {
        let mut folded = String::new();
        character_rules(raw, &mut text, &mut aux, &mut folded);
        folded
    };
    let mut by_first: FxHashMap<char, Vec<Town>> = FxHashMap::default();
    let table = include_str!("../tables/inner_number_towns.tsv");
    for line in table.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let (city, written) = line.split_once('\t').unwrap_or(("", line));
        let (city, written) = (fold(city), fold(written));
        let mut name = String::new();
        push_numbers_in_digits(&written, &mut name, |_| true);
        for written in [written, name.clone()] {
            let town = Town { city: city.clone(), written, name: name.clone() };
            if let Some(first) = town.written.chars().next() {
                by_first.entry(first).or_default().push(town);
            }
        }
    }
    by_first
});

/// The town of the table that `text` (the address from the town's start)
/// begins with in `city`: the bytes it takes, its 大字 or 字 included, and
/// its name. `None` when none (or no city was read).
pub(super) fn known(city: &str, text: &str) -> Option<(usize, &'static str)> {
    if city.is_empty() {
        return None;
    }
    let prefix_len = ["大字", "字"].iter().find(|p| text.starts_with(**p)).map_or(0, |p| p.len());
    let name_text = &text[prefix_len..];
    let towns: &'static [Town] = TOWNS.get(&name_text.chars().next()?)?;
    let in_city = |town: &Town| town.city.ends_with(city) || city.ends_with(town.city.as_str());
    towns
        .iter()
        .filter(|town| name_text.starts_with(town.written.as_str()) && in_city(town))
        .max_by_key(|town| town.written.len())
        .map(|town| (prefix_len + town.written.len(), town.name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_whole_from_the_start_in_their_city() {
        let length = |city, text| known(city, text).map_or(0, |(len, _)| len);
        assert_eq!(known("雨竜郡雨竜町", "第3町内123番地"), Some(("第3町内".len(), "第3町内")));
        // The county left out, or 大字 before the name.
        assert_eq!(length("雨竜町", "大字第3町内123"), "大字第3町内".len());
        // The longest name that fits: 第1町内 is no prefix of 第10町内.
        assert_eq!(length("雨竜郡雨竜町", "第10町内5"), "第10町内".len());
        assert_eq!(length("雨竜郡雨竜町", "第3"), 0);
        assert_eq!(length("雨竜郡雨竜町", "X第3町内"), 0);
        // A number at the end of the name, the house number glued after it.
        assert_eq!(known("樺戸郡浦臼町", "浦臼第3123番地"), Some(("浦臼第3".len(), "浦臼第3")));
        // Numbers in kanji or in digits: one town, in digits.
        assert_eq!(known("十日町市", "本町一丁目上"), Some(("本町一丁目上".len(), "本町1丁目上")));
        assert_eq!(known("十日町市", "本町1丁目上"), Some(("本町1丁目上".len(), "本町1丁目上")));
        // Another city's town, or no city read.
        assert_eq!(length("松本市", "本町一丁目上"), 0);
        assert_eq!(length("", "第3町内123番地"), 0);
        assert_eq!(length("雨竜郡雨竜町", ""), 0);
    }
}
