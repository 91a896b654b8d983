//! Towns with a number inside their name (`tables/digit_towns.tsv`, Japan
//! Post's 第3町内, 太田3の通り, 南1番通, 象潟町2丁目塩越, 中央SS30住友生命仙台中央ビル
//! …, 33 names): read as an address, the number was the house's and the
//! rest of the name a building, so every house of the town was one house
//! (雨竜町第3町内123番地 and 第3町内124番地 both the house 3 of the town 第).
//! A name of the table is the town, and the numbers are read after it.
//!
//! Invariant: a name is matched whole from the town's start (a 大字 or 字
//! before it allowed), the longest that fits, never inside a longer text.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::table_names;

/// The names after the address's character rules, as the parse sees them,
/// by their first character.
static DIGIT_TOWNS: LazyLock<FxHashMap<char, Vec<String>>> = LazyLock::new(|| {
    let mut by_first: FxHashMap<char, Vec<String>> = FxHashMap::default();
    for name in table_names(include_str!("../tables/digit_towns.tsv")) {
        if let Some(first) = name.chars().next() {
            by_first.entry(first).or_default().push(name);
        }
    }
    by_first
});

/// The byte length of the town of the table that `text` (the address from
/// the town's start) begins with, its 大字 or 字 included; 0 when none.
pub(super) fn known_length(text: &str) -> usize {
    let prefix_len = ["大字", "字"].iter().find(|p| text.starts_with(**p)).map_or(0, |p| p.len());
    let name_text = &text[prefix_len..];
    let Some(names) = name_text.chars().next().and_then(|first| DIGIT_TOWNS.get(&first)) else {
        return 0;
    };
    names
        .iter()
        .filter(|name| name_text.starts_with(name.as_str()))
        .map(|name| prefix_len + name.len())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_whole_from_the_start() {
        assert_eq!(known_length("第3町内123番地"), "第3町内".len());
        assert_eq!(known_length("大字第3町内123"), "大字第3町内".len());
        // The longest name that fits: 第1町内 is no prefix of 第10町内.
        assert_eq!(known_length("第10町内5"), "第10町内".len());
        assert_eq!(known_length("第3"), 0);
        assert_eq!(known_length("X第3町内"), 0);
        assert_eq!(known_length(""), 0);
    }
}
