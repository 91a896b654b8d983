//! Rendering a true person as one row (recovered or booking side), with the
//! variation classes of SPEC section 4 applied at random and recorded, so
//! `evaluate` can report recall per class.
//!
//! Invariant: a row's text depends only on the person and the RNG it is
//! given; every class applied is returned in the order applied.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use unicode_normalization::char::decompose_canonical;

use super::person::{changed_email, Person, CHANGED_MOBILE_NUMBERS};
use crate::normalize::romaji::{fold, FoldScratch, Strength};

/// The customer fields of one rendered row.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    pub kanji: String,
    pub kana: String,
    pub romaji: String,
    pub gender: String,
    pub birth: String,
    pub email: String,
    pub postal: String,
    pub address: String,
    pub phone: String,
    pub passport: String,
    pub issue: String,
}

/// Default share of rows that get each variation class (`--variation-share`).
pub const DEFAULT_VARIATION_SHARE: f64 = 0.06;
/// Share of rows that carry a romaji name.
const ROMAJI_SHARE: f64 = 0.4;

/// Every variation class, for `classes.csv` and the tests (structural cases
/// are in [`STRUCTURE_CLASSES`]).
pub const CLASSES: [&str; 40] = [
    "kanji_variant",
    "kanji_no_space",
    "kanji_full_width_space",
    "kana_hiragana",
    "kana_half_width",
    "kana_long_vowel",
    "kana_small_enlarged",
    "kana_no_space",
    "romaji_wapuro",
    "romaji_oh",
    "romaji_kunrei",
    "romaji_slash_title",
    "romaji_western_order",
    "name_given_first",
    "date_era",
    "date_era_letter",
    "date_slash",
    "date_compact",
    "email_upper",
    "email_full_width",
    "phone_plus81",
    "phone_no_dash",
    "phone_full_width",
    "phone_parentheses",
    "postal_mark",
    "postal_no_dash",
    "postal_full_width",
    "address_kanji_numerals",
    "address_hyphens",
    "address_no_prefecture",
    "address_ga_variant",
    "address_room_number",
    "passport_lower_spaced",
    "kana_typo",
    "email_changed",
    "phone_changed",
    "address_moved",
    "missing_fields",
    "channel_spelling",
    "product_spelling",
];

/// Classes of structure rather than spelling.
pub const STRUCTURE_CLASSES: [&str; 13] = [
    "household",
    "twin",
    "namesake",
    "duplicate_row",
    "sparse_row",
    "romaji_only",
    "no_name",
    "kanji_only",
    "kana_only",
    "two_fields",
    "exact_duplicate",
    "booking_kanji_only",
    "booking_kana_only",
];

pub fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| if ('!'..='~').contains(&c) { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

pub fn hiragana(kana: &str) -> String {
    kana.chars()
        .map(|c| if ('ァ'..='ヶ').contains(&c) { char::from_u32(c as u32 - 0x60).unwrap_or(c) } else { c })
        .collect()
}

const FULL: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー";
const HALF: &str = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ";

pub fn half_width(kana: &str) -> String {
    let mut out = String::new();
    for c in kana.chars() {
        let mut base = c;
        let mut mark = None;
        decompose_canonical(c, |d| match d {
            '\u{3099}' => mark = Some('ﾞ'),
            '\u{309A}' => mark = Some('ﾟ'),
            other => base = other,
        });
        match FULL.chars().position(|f| f == base) {
            Some(i) => {
                out.push(HALF.chars().nth(i).unwrap_or(base));
                out.extend(mark);
            }
            None => out.push(c),
        }
    }
    out
}

/// ウ after an O-row kana written as ー (サトウ → サトー).
fn long_vowel(kana: &str) -> String {
    let mut out = String::new();
    for c in kana.chars() {
        if c == 'ウ' && out.chars().next_back().is_some_and(|p| "オコソトノホモヨロヲゴゾドボポョ".contains(p))
        {
            out.push('ー');
        } else {
            out.push(c);
        }
    }
    out
}

fn passport_romaji(wapuro: &str, scratch: &mut FoldScratch) -> String {
    let mut out = String::new();
    fold(wapuro, Strength::Strict, scratch, &mut out);
    out
}

fn kunrei(hepburn: &str) -> String {
    let mut out = hepburn.to_string();
    for (from, to) in [
        ("SHA", "SYA"),
        ("SHU", "SYU"),
        ("SHO", "SYO"),
        ("CHA", "TYA"),
        ("CHU", "TYU"),
        ("CHO", "TYO"),
        ("SHI", "SI"),
        ("CHI", "TI"),
        ("TSU", "TU"),
        ("FU", "HU"),
        ("JA", "ZYA"),
        ("JU", "ZYU"),
        ("JO", "ZYO"),
        ("JI", "ZI"),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn kanji_numeral(n: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    n.to_string().chars().map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize]).collect()
}

fn era(year: i16) -> (&'static str, char, i16) {
    match year {
        ..=1988 => ("昭和", 'S', year - 1925),
        1989..=2018 => ("平成", 'H', year - 1988),
        _ => ("令和", 'R', year - 2018),
    }
}

fn formatted_phone(digits: &str) -> String {
    // Mobile: 3-4-4. Fixed: area code (from the generator's own table),
    // then the exchange, then the last four digits.
    let area_len = if digits.len() == 11 {
        3
    } else {
        super::person::AREA_CODES.iter().filter(|a| digits.starts_with(*a)).map(|a| a.len()).max().unwrap_or(2)
    };
    let subscriber = digits.len() - 4;
    format!("{}-{}-{}", &digits[..area_len], &digits[area_len..subscriber], &digits[subscriber..])
}

/// Whether each variation class applies to the row being rendered, drawn
/// with the row's share; the classes that do are recorded in the order
/// applied.
struct Variations<'c> {
    share: f64,
    applied: &'c mut Vec<&'static str>,
}

impl Variations<'_> {
    fn vary(&mut self, class: &'static str, rng: &mut ChaCha8Rng) -> bool {
        let applied = rng.random_bool(self.share);
        if applied {
            self.applied.push(class);
        }
        applied
    }
}

/// Renders `person` as one row's customer fields; pushes the classes applied.
/// The fields are drawn in one fixed order (kanji, kana, romaji, birth date,
/// email, phone, address, passport, then the fields dropped), which the
/// committed fixtures depend on: the same seed gives the same bytes.
pub fn render(
    person: &Person,
    share: f64,
    rng: &mut ChaCha8Rng,
    classes: &mut Vec<&'static str>,
    fold_scratch: &mut FoldScratch,
) -> Fields {
    let v = &mut Variations { share, applied: classes };
    let mut f = Fields { kanji: kanji_name(person, v, rng), kana: kana_name(person, v, rng), ..Fields::default() };
    if rng.random_bool(ROMAJI_SHARE) {
        f.romaji = romaji_name(person, v, rng, fold_scratch);
    }
    f.gender = if person.given.male { "男" } else { "女" }.to_string();
    f.birth = birth_date(person, v, rng);
    f.email = email(person, v, rng);
    f.phone = phone(person, v, rng);
    (f.address, f.postal) = address_and_postal_code(person, v, rng);
    if let Some((number, issue)) = &person.passport {
        f.passport = if v.vary("passport_lower_spaced", rng) {
            format!("{} {}", number[..2].to_lowercase(), &number[2..])
        } else {
            number.clone()
        };
        f.issue = issue.to_string();
    }
    drop_some_fields(&mut f, v, rng);
    // Drawn from a key of its own at the row's place in its stream: every
    // other draw of every row is what it was before this class existed.
    let mut key = rng.get_seed();
    key[0] ^= GIVEN_NAME_FIRST_KEY;
    let mut order = ChaCha8Rng::from_seed(key);
    order.set_stream(rng.get_stream());
    order.set_word_pos(rng.get_word_pos());
    if order.random_bool(share) && given_name_first(&mut f) {
        v.applied.push("name_given_first");
    }
    f
}

/// What tells the key [`given_name_first`] is drawn with from the row's
/// (any bits: the generator's streams are its persons, so another stream
/// of the same key would be another person's draws).
const GIVEN_NAME_FIRST_KEY: u8 = 0x5A;

/// Writes the kanji and the kana name given name first, as a form that
/// asks for the first name first writes them (`花子 山田`, `ハナコ ヤマダ`);
/// a name written without a separator stays as it is, its parts unknown to
/// whoever swapped them. Whether either was turned.
fn given_name_first(f: &mut Fields) -> bool {
    let mut turned = false;
    for name in [&mut f.kanji, &mut f.kana] {
        let mut parts = name.split([' ', '　']).filter(|p| !p.is_empty());
        if let (Some(surname), Some(given), None) = (parts.next(), parts.next(), parts.next()) {
            let separator = if name.contains('　') { '　' } else { ' ' };
            *name = format!("{given}{separator}{surname}");
            turned = true;
        }
    }
    turned
}

fn kanji_name(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> String {
    let mut surname_kanji = person.surname.kanji.clone();
    if v.vary("kanji_variant", rng) {
        if let Some((i, variant)) =
            surname_kanji.char_indices().find_map(|(i, c)| crate::normalize::kanji::variant_of(c).map(|v| (i, v)))
        {
            let len = surname_kanji[i..].chars().next().map_or(0, char::len_utf8);
            surname_kanji.replace_range(i..i + len, &variant.to_string());
        }
    }
    let space = if v.vary("kanji_no_space", rng) {
        ""
    } else if v.vary("kanji_full_width_space", rng) {
        "　"
    } else {
        " "
    };
    format!("{surname_kanji}{space}{}", person.given_kanji)
}

fn kana_name(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> String {
    let mut kana = format!("{} {}", person.surname.kana, person.given.kana);
    if v.vary("kana_typo", rng) {
        let chars: Vec<char> = kana.chars().collect();
        let at = rng.random_range(0..chars.len());
        if chars[at] != ' ' {
            let typo = ['ア', 'カ', 'サ', 'タ', 'ナ', 'ハ', 'マ'][rng.random_range(0..7)];
            kana = chars.iter().enumerate().map(|(i, c)| if i == at { typo } else { *c }).collect();
        }
    }
    if v.vary("kana_long_vowel", rng) {
        kana = long_vowel(&kana);
    }
    if v.vary("kana_small_enlarged", rng) {
        kana = kana.chars().map(crate::normalize::kana::enlarge).collect();
    }
    if v.vary("kana_no_space", rng) {
        kana.retain(|c| c != ' ');
    }
    if v.vary("kana_hiragana", rng) {
        kana = hiragana(&kana);
    } else if v.vary("kana_half_width", rng) {
        kana = half_width(&kana);
    }
    kana
}

fn romaji_name(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng, scratch: &mut FoldScratch) -> String {
    let (s, g) = (person.surname, person.given);
    let (mut sr, mut gr) = (passport_romaji(&s.romaji, scratch), passport_romaji(&g.romaji, scratch));
    if v.vary("romaji_wapuro", rng) {
        (sr, gr) = (s.romaji.clone(), g.romaji.clone());
    } else if s.romaji.contains("OU") && v.vary("romaji_oh", rng) {
        sr = s.romaji.replace("OU", "OH");
    }
    if v.vary("romaji_kunrei", rng) {
        (sr, gr) = (kunrei(&sr), kunrei(&gr));
    }
    if v.vary("romaji_slash_title", rng) {
        format!("{sr}/{gr} {}", if g.male { "MR" } else { "MS" })
    } else if v.vary("romaji_western_order", rng) {
        let capitalize = |t: &str| t[..1].to_string() + &t[1..].to_lowercase();
        format!("{} {}", capitalize(&gr), capitalize(&sr))
    } else {
        format!("{sr} {gr}")
    }
}

fn birth_date(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> String {
    let (y, m, d) = (person.birth.year(), person.birth.month(), person.birth.day());
    if v.vary("date_era", rng) {
        let (name, _, ey) = era(y);
        format!("{name}{}年{m}月{d}日", if ey == 1 { "元".to_string() } else { ey.to_string() })
    } else if v.vary("date_era_letter", rng) {
        let (_, letter, ey) = era(y);
        format!("{letter}{ey}.{m}.{d}")
    } else if v.vary("date_slash", rng) {
        format!("{y}/{m}/{d}")
    } else if v.vary("date_compact", rng) {
        format!("{y}{m:02}{d:02}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

fn email(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> String {
    let email = if v.vary("email_changed", rng) { changed_email(rng, &person.email) } else { person.email.clone() };
    if v.vary("email_upper", rng) {
        email.to_uppercase()
    } else if v.vary("email_full_width", rng) {
        full_width(&email)
    } else {
        email
    }
}

fn phone(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> String {
    let digits = if v.vary("phone_changed", rng) {
        format!("080{:08}", rng.random_range(CHANGED_MOBILE_NUMBERS))
    } else {
        person.phone.clone()
    };
    let phone = if v.vary("phone_plus81", rng) {
        format!("+81 {}", formatted_phone(&digits).trim_start_matches('0'))
    } else if v.vary("phone_no_dash", rng) {
        digits
    } else if v.vary("phone_parentheses", rng) {
        let dashed = formatted_phone(&digits);
        let (area, rest) = dashed.split_once('-').unwrap_or((&dashed, ""));
        format!("({area}){rest}")
    } else {
        formatted_phone(&digits)
    };
    if v.vary("phone_full_width", rng) {
        full_width(&phone)
    } else {
        phone
    }
}

/// The address and the postal code of its town (another town's when the
/// row's customer moved).
fn address_and_postal_code(person: &Person, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) -> (String, String) {
    let moved = v.vary("address_moved", rng);
    let town = if moved { &super::tables::TOWNS[rng.random_range(0..super::tables::TOWNS.len())] } else { person.town };
    let (chome, ban, go) = person.numbers;
    let numbers = if v.vary("address_kanji_numerals", rng) {
        format!("{}丁目{ban}番{go}号", kanji_numeral(chome))
    } else if v.vary("address_hyphens", rng) {
        format!("{chome}-{ban}-{go}")
    } else {
        format!("{chome}丁目{ban}番{go}号")
    };
    let prefecture = if v.vary("address_no_prefecture", rng) { "" } else { town.prefecture.as_str() };
    let town_name = if town.town.contains('ケ') && v.vary("address_ga_variant", rng) {
        // Japan Post writes 旭ケ丘; people write 旭ヶ丘 and 旭が丘 too.
        town.town.replace('ケ', if rng.random_bool(0.5) { "ヶ" } else { "が" })
    } else {
        town.town.clone()
    };
    let mut address = format!("{prefecture}{}{town_name}{numbers}", town.city);
    if let Some(building) = &person.building {
        // The room alone, as a fourth number (`1-2-3-101`, `…3号101号室`):
        // how many forms and people write a flat without the building name.
        let room = building.trim_start_matches(|c: char| !c.is_ascii_digit());
        if !room.is_empty() && v.vary("address_room_number", rng) {
            if numbers.contains('-') {
                address.push('-');
                address.push_str(room);
            } else {
                address.push_str(room);
                address.push_str("号室");
            }
        } else {
            address.push(' ');
            address.push_str(building);
        }
    }
    let code = &town.postal_code;
    let mut postal =
        if v.vary("postal_no_dash", rng) { code.clone() } else { format!("{}-{}", &code[..3], &code[3..]) };
    if v.vary("postal_mark", rng) {
        postal = format!("〒{postal}");
    } else if v.vary("postal_full_width", rng) {
        postal = full_width(&postal);
    }
    (address, postal)
}

/// A few fields missing at random (never all of them).
fn drop_some_fields(f: &mut Fields, v: &mut Variations<'_>, rng: &mut ChaCha8Rng) {
    if v.vary("missing_fields", rng) {
        let count = rng.random_range(2..=4);
        for _ in 0..count {
            match rng.random_range(0..6) {
                0 => f.email.clear(),
                1 => f.phone.clear(),
                2 => f.address.clear(),
                3 => f.postal.clear(),
                4 => f.romaji.clear(),
                _ => f.gender.clear(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_kana_keeps_voiced_marks() {
        assert_eq!(half_width("ガッコウ サトー"), "ｶﾞｯｺｳ ｻﾄｰ");
        assert_eq!(half_width("パン"), "ﾊﾟﾝ");
    }

    #[test]
    fn long_vowels_and_kunrei() {
        assert_eq!(long_vowel("サトウ ユウコ"), "サトー ユウコ");
        assert_eq!(kunrei("SHUICHI TSUJI"), "SYUITI TUZI");
        assert_eq!(era(1980), ("昭和", 'S', 55));
        assert_eq!(formatted_phone("09012345678"), "090-1234-5678");
        assert_eq!(formatted_phone("0312345678"), "03-1234-5678");
        assert_eq!(formatted_phone("0451234567"), "045-123-4567");
        assert_eq!(formatted_phone("0466223344"), "0466-22-3344");
    }
}
