//! Hokkaido's grid towns written short. Sapporo and other Hokkaido cities
//! number their blocks on a grid: 北1条西2丁目 is the second block west on
//! the first street north, and Japan Post's town is 北1条西 (the 丁目 is the
//! address's first number). Their residents often write 北1西2 for it,
//! which reads as the town 北 and the numbers 1…: the same house then
//! compared as another town. The short form is read as the long one.

/// The four directions a grid town is named by.
const DIRECTIONS: [char; 4] = ['北', '南', '東', '西'];

/// When `town` is one direction and `after` (the text after it) starts
/// with a number, another direction and another number (北 + `1西2-3`),
/// the grid town's number and its second direction (`1`, `西`) and the
/// bytes of `after` they take; else `None`.
pub fn short_grid_town<'t>(town: &str, after: &'t str) -> Option<(&'t str, char, usize)> {
    let mut town_chars = town.chars();
    if !matches!((town_chars.next(), town_chars.next()), (Some(d), None) if DIRECTIONS.contains(&d)) {
        return None;
    }
    let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
    if digits == 0 {
        return None;
    }
    let mut rest = after[digits..].chars();
    let second = rest.next().filter(|d| DIRECTIONS.contains(d))?;
    rest.next().filter(char::is_ascii_digit)?;
    Some((&after[..digits], second, digits + second.len_utf8()))
}
