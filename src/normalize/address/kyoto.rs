//! Kyoto's street directions: in 京都市 an address names the crossing
//! streets and the way from them before the town (烏丸通御池下る虎屋町: on
//! 烏丸通, south of 御池, in 虎屋町). Japan Post's town is the name after the
//! directions, and people write them or leave them out, so the town is
//! read without them.

/// Where Kyoto's street directions end: 上る (north of the crossing), 下る
/// (south), 西入 / 東入 (west / east along the street), 入る, in hiragana or
/// katakana. People and forms write them before the town or leave them
/// out (烏丸通御池下る虎屋町 = 虎屋町), and Japan Post's town is the name
/// after them.
const KYOTO_DIRECTIONS: [&str; 8] = ["上る", "下る", "上ル", "下ル", "入る", "入ル", "西入", "東入"];

/// The town of a Kyoto city address without its street directions: the
/// name after the last direction (`烏丸通御池下る虎屋町` → `虎屋町`). Only in
/// 京都市, where the directions are the custom (elsewhere a town can hold
/// 西入 or 上る in its name), and only when a name follows.
pub fn kyoto_town<'t>(city: &str, town: &'t str) -> &'t str {
    if !city.starts_with("京都市") {
        return town;
    }
    let cut = KYOTO_DIRECTIONS.iter().filter_map(|d| town.rfind(d).map(|at| at + d.len())).max();
    let Some(mut cut) = cut else {
        return town;
    };
    // 西入ル, 東入る: the verb's ending after 入.
    if let Some(ending) = ["ル", "る"].iter().find(|e| town[cut..].starts_with(**e)) {
        cut += ending.len();
    }
    match &town[cut..] {
        "" => town,
        name => name,
    }
}
