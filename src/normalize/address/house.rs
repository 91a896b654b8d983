//! The house an address's numbers locate, for matching: its first
//! [`HOUSE_NUMBERS`] numbers (丁目, 番, 号). A fourth is a room or a floor
//! (`1-2-3-101`, `1丁目2番3号101号室`, `2F`), which many forms and people
//! leave out or write as a building name instead. A room at the end of
//! the building part (`メゾン101`) tells two flats apart as a fourth number
//! does ([`two_flats`]).

/// How many numbers locate a house: 丁目, 番(地), 号. Any after them is a
/// room or a floor, not part of where the house is.
pub const HOUSE_NUMBERS: usize = 3;

/// The numbers that locate the house: `numbers` up to its
/// [`HOUSE_NUMBERS`]th number (`1-2-3-101` → `1-2-3`).
pub fn house_numbers(numbers: &str) -> &str {
    match numbers.match_indices('-').nth(HOUSE_NUMBERS - 1) {
        Some((cut, _)) => &numbers[..cut],
        None => numbers,
    }
}

/// Whether two numbers tuples give the same house and no two rooms: equal,
/// or one is the other's house numbers followed by a room or floor. A room
/// on one side only is missing on the other, not different (the same
/// customer writes `1-2-3-101` on one form and `1-2-3 メゾン101` on
/// another); two different rooms are two flats. Empty is no house.
pub fn same_house(x: &str, y: &str) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if short == long {
        return true;
    }
    let whole_house = short.bytes().filter(|&b| b == b'-').count() + 1 >= HOUSE_NUMBERS;
    whole_house && long.strip_prefix(short).is_some_and(|rest| rest.starts_with('-'))
}

/// Whether two building parts name two flats of one building: the same
/// name before a room number at the end of each, the rooms different
/// (`メゾン101` and `メゾン102号室`), as two fourth numbers (`1-2-3-101`,
/// `1-2-3-102`) are two flats for [`same_house`]. Anything else says
/// nothing: a building part without a room, two names (`メゾン` and
/// `MEZON`, or `グランドメゾン21` and `グランドメゾン21-305`: the 21 may be
/// the building's, not a room), or a room written as a fourth number on
/// one side and after the building's name on the other.
pub fn two_flats(x: &str, y: &str) -> bool {
    match (flat(x), flat(y)) {
        (Some((name_x, room_x)), Some((name_y, room_y))) => name_x == name_y && room_x != room_y,
        _ => false,
    }
}

/// A building part's name and room: the digits at its end (after a 号室,
/// 号 or 室 dropped; leading zeros dropped) and the name before them (a
/// `-` between the two dropped), both non-empty.
fn flat(building: &str) -> Option<(&str, &str)> {
    let text = ["号室", "号", "室"].iter().find_map(|mark| building.strip_suffix(mark)).unwrap_or(building);
    let name = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let room = text[name.len()..].trim_start_matches('0');
    let name = name.strip_suffix('-').unwrap_or(name);
    (!name.is_empty() && !room.is_empty()).then_some((name, room))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn house_table() {
        table_test::run("address_house", |pair| {
            let (x, y) = pair.split_once('|').unwrap_or((pair, ""));
            let same = same_house(x, y);
            assert_eq!(same, same_house(y, x), "{pair}: not symmetric");
            let keys_meet = house_numbers(x) == house_numbers(y);
            assert!(!same || keys_meet, "{pair}: the same house must share its blocking key");
            if same { "same" } else { "different" }.to_string()
        });
    }

    #[test]
    fn building_table() {
        table_test::run("address_building", |pair| {
            let (x, y) = pair.split_once('|').unwrap_or((pair, ""));
            let two = two_flats(x, y);
            assert_eq!(two, two_flats(y, x), "{pair}: not symmetric");
            if two { "two flats" } else { "nothing said" }.to_string()
        });
    }
}
