//! Kana → Hepburn, by a plain table (research notes section 2.3): the first
//! half of the romaji key; `romaji.rs` folds the result. The syllables are
//! data (`tables/hepburn.tsv`); this file reads them and applies ッ, ン and
//! the long-vowel mark.
//!
//! Invariant: only the kana→romaji direction exists here; the output is
//! upper-case ASCII letters and spaces (kept as part separators).

use std::sync::LazyLock;

use super::kana::enlarge;
use super::text::is_dash;

/// The first character of the katakana block (U+30A0), whose 96 code
/// points index the table.
const KATAKANA_BLOCK_START: u32 = 0x30A0;
const KATAKANA_BLOCK_LEN: usize = 96;
/// The small kana a digraph ends in, in the table's column order.
const DIGRAPH_SMALL: [char; 8] = ['ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ'];

/// `tables/hepburn.tsv`, indexed by code point: a syllable per katakana and
/// a digraph per katakana and small kana.
struct HepburnTable {
    mono: [Option<&'static str>; KATAKANA_BLOCK_LEN],
    digraph: [[Option<&'static str>; DIGRAPH_SMALL.len()]; KATAKANA_BLOCK_LEN],
}

static TABLE: LazyLock<HepburnTable> = LazyLock::new(|| HepburnTable::parse(include_str!("tables/hepburn.tsv")));

impl HepburnTable {
    /// Panics on a malformed row: the table is part of the build, and a
    /// unit test reads it.
    fn parse(text: &'static str) -> HepburnTable {
        let mut table = HepburnTable {
            mono: [None; KATAKANA_BLOCK_LEN],
            digraph: [[None; DIGRAPH_SMALL.len()]; KATAKANA_BLOCK_LEN],
        };
        for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (kana, romaji) = line.split_once('\t').expect("hepburn.tsv: kana<TAB>romaji");
            let mut chars = kana.chars();
            let first = chars.next().and_then(block_index).expect("hepburn.tsv: a katakana first");
            match (chars.next(), chars.next()) {
                (None, _) => table.mono[first] = Some(romaji),
                (Some(small), None) => {
                    let column = small_index(small).expect("hepburn.tsv: a digraph ends in a small kana");
                    table.digraph[first][column] = Some(romaji);
                }
                _ => panic!("hepburn.tsv: one or two kana a row"),
            }
        }
        table
    }
}

fn block_index(c: char) -> Option<usize> {
    let index = (c as u32).checked_sub(KATAKANA_BLOCK_START)? as usize;
    (index < KATAKANA_BLOCK_LEN).then_some(index)
}

fn small_index(c: char) -> Option<usize> {
    DIGRAPH_SMALL.iter().position(|s| *s == c)
}

fn mono(c: char) -> Option<&'static str> {
    TABLE.mono[block_index(c)?]
}

fn digraph(first: char, small: char) -> Option<&'static str> {
    TABLE.digraph[block_index(first)?][small_index(small)?]
}

/// The vowel a katakana (or small kana) ends its sound in, as a Hepburn
/// letter (A I U E O): カ A, ョ O; none for ン, ッ, ー and what is no kana.
pub fn vowel_of(kana: char) -> Option<char> {
    let last = *mono(enlarge(kana))?.as_bytes().last()?;
    matches!(last, b'A' | b'I' | b'U' | b'E' | b'O').then_some(last as char)
}

/// Whether [`kana_to_hepburn`] ends `kana` with a ッ still waiting for a
/// consonant to double: a ッ followed only by what the reading skips
/// (dashes, ー, characters it drops), which then doubles the consonant of
/// whatever text follows, across a separator.
pub fn leaves_sokuon_pending(kana: &str) -> bool {
    for c in kana.chars().rev() {
        match c {
            'ッ' => return true,
            ' ' => {}
            _ if is_dash(c) => {}
            'ン' => return false,
            _ if mono(c).is_some() => return false,
            _ => {}
        }
    }
    false
}

/// Appends the Hepburn romanization (upper case) of katakana `kana` to
/// `out`. ン is always N (the fold handles M), ッ doubles the next consonant
/// (T before CH), the long-vowel mark and dashes are dropped (MOFA: ニーナ =
/// NINA), spaces are kept as separators, anything else is dropped.
pub fn kana_to_hepburn(kana: &str, out: &mut String) {
    let mut chars = kana.chars().peekable();
    let mut sokuon = false;
    while let Some(c) = chars.next() {
        // A digraph only where a small kana of the table follows.
        let syllable = match chars.peek().and_then(|&next| digraph(c, next)) {
            Some(pair) => {
                chars.next();
                pair
            }
            None => match c {
                'ン' => {
                    out.push('N');
                    sokuon = false;
                    continue;
                }
                'ッ' => {
                    sokuon = true;
                    continue;
                }
                // A separator keeps a pending ッ: the key must not depend on
                // where the parts were split.
                ' ' => {
                    out.push(' ');
                    continue;
                }
                _ if is_dash(c) => continue,
                _ => match mono(c) {
                    Some(syllable) => syllable,
                    None => continue,
                },
            },
        };
        if std::mem::take(&mut sokuon) {
            if syllable.starts_with("CH") {
                out.push('T');
            } else if let Some(first) = syllable.chars().next().filter(|f| !"AIUEO".contains(*f)) {
                out.push(first);
            }
        }
        out.push_str(syllable);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every katakana letter from ァ to ヴ has a syllable in the table but
    /// ッ and ン (read by `kana_to_hepburn` itself); ヷ to ヺ, absent from
    /// the passport table, read as nothing.
    #[test]
    fn the_table_covers_every_katakana_letter() {
        let missing: String =
            ('ァ'..='ヺ').filter(|&c| mono(c).is_none() && !matches!(c, 'ッ' | 'ン' | 'ヷ'..='ヺ')).collect();
        assert_eq!(missing, "");
        assert_eq!(mono('ヷ'), None);
    }

    /// Digraphs, ッ and ン by the passport table (the long vowels as
    /// written, before `romaji.rs` folds them).
    #[test]
    fn names_read_as_a_passport_writes_them() {
        for (kana, hepburn) in [
            ("キョウコ", "KYOUKO"),
            ("ハットリ", "HATTORI"),
            ("マッチャ", "MATCHA"),
            ("シンイチ", "SHINICHI"),
            ("ジュンペイ", "JUNPEI"),
            ("チェ", "CHE"),
            ("ヴァイオリン", "VAIORIN"),
            ("ティーナ", "TINA"),
            ("フォン ヤマダ", "FON YAMADA"),
        ] {
            let mut out = String::new();
            kana_to_hepburn(kana, &mut out);
            assert_eq!(out, hepburn, "{kana}");
        }
    }
}
