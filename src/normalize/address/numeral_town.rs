//! Towns whose name ends in a kanji numeral (`tables/numeral_towns.tsv`,
//! Japan Post's 前弥六, 助六, 北十三 …, 80 names): before a number written in
//! kanji, 前弥六十六丁目 reads as 前弥 and 66 or as 前弥六 and 16, and only
//! the name says which. Without the table the first reading won, and the
//! town written with digits (前弥六16丁目) was another town.
//!
//! Invariant: a name is matched whole (the text from the town's start, a
//! 大字 or 字 before it allowed), never as the end of a longer name, so the
//! town 二 does not make every 二十三丁目 a 二 and 十三.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::table_names;

/// The names after the address's character rules, as the parse sees them.
static NUMERAL_TOWNS: LazyLock<FxHashSet<String>> =
    LazyLock::new(|| table_names(include_str!("../tables/numeral_towns.tsv")).collect());

/// Whether `town` (the address from the town's start up to here) is a
/// town whose name ends in a kanji numeral.
pub(super) fn is_numeral_town(town: &str) -> bool {
    let name = town.strip_prefix("大字").or_else(|| town.strip_prefix('字')).unwrap_or(town);
    NUMERAL_TOWNS.contains(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_whole() {
        assert!(is_numeral_town("前弥六"));
        assert!(is_numeral_town("大字前弥六"));
        assert!(!is_numeral_town("前弥"));
        assert!(!is_numeral_town("X前弥六"));
        assert!(!is_numeral_town(""));
    }
}
