//! The character rules of an address (the parent module's "Characters"),
//! in one pass over the text: NFKC, spaces dropped (a space between two
//! numbers is `-`), dashes beside numbers as `-`, kanji variants folded,
//! ケ and ノ between kanji.

use super::is_numeric;
use crate::normalize::kanji::Folder;
use crate::normalize::text::{fast_nfkc, is_dash, is_kanji, is_space, is_stray_mark, is_tilde, prepare, Prepared};

/// The CJK and kana blocks: no space, dash or tilde among them.
fn is_cjk(c: char) -> bool {
    ('\u{3040}'..'\u{FE00}').contains(&c)
}

/// Writes `raw` after the character rules of the module comment into
/// `full` (cleared first); `text` and `aux` are scratch buffers.
pub(super) fn character_rules(raw: &str, text: &mut String, aux: &mut String, full: &mut String) {
    full.clear();
    // Most addresses need no NFKC but the width folds: the rules read the
    // raw text then, folding as they go; else they read the prepared text.
    if !apply_character_rules(raw, Text::Raw, full) {
        full.clear();
        text.clear();
        let plain = prepare(raw, aux, text) == Prepared::Plain;
        apply_character_rules(text, Text::Prepared { plain }, full);
    }
}

/// The names of one of the address tables (`tables/*.tsv`: one name a
/// line, `#` comments) after the address's character rules, as the parse
/// sees them (駒ヶ根市 is read 駒ケ根市).
pub(super) fn table_names(table: &'static str) -> impl Iterator<Item = String> {
    let (mut text, mut aux) = (String::new(), String::new());
    table.lines().map(str::trim).filter(|line| !line.starts_with('#') && !line.is_empty()).map(move |raw| {
        let mut name = String::new();
        character_rules(raw, &mut text, &mut aux, &mut name);
        name
    })
}

/// What [`apply_character_rules`] reads.
#[derive(Clone, Copy)]
enum Text {
    /// The raw value: each character through [`fast_nfkc`], and the rules
    /// give up (return `false`) at the first that needs the full NFKC.
    Raw,
    /// The output of [`prepare`]; `plain` when it took the fast path (no
    /// stray combining mark to drop).
    Prepared { plain: bool },
}

impl Text {
    /// The character the rules see for `c`, `None` to give up.
    fn read(self, c: char) -> Option<char> {
        match self {
            Text::Raw => fast_nfkc(c),
            Text::Prepared { .. } => Some(c),
        }
    }

    fn plain(self) -> bool {
        match self {
            Text::Raw => true,
            Text::Prepared { plain } => plain,
        }
    }
}

/// Appends `text` to `full` with the character rules of the module
/// comment, in one pass. `false` when `text` is raw and needs the full
/// NFKC first (`full` then holds a part to discard).
///
/// The rules read as two stages: first spaces and stray marks dropped
/// (a space between two digits becomes `-`: `1-2-3 101`, a room, is not
/// 3101) and kanji variants folded; then dashes, tildes, ケ and ノ rewritten
/// by their neighbours in that sequence, the one before already rewritten
/// (the last character of `full`), the one after not yet ([`next_kept`]).
/// Only ー, ヶケがガヵ, のノ之 and the tildes depend on their neighbours, so every other
/// character is written as it comes.
fn apply_character_rules(text: &str, read: Text, full: &mut String) -> bool {
    let variants = Folder::strict();
    let plain = read.plain();
    let bytes = text.as_bytes();
    let mut pending_space = false;
    // Characters the rules leave as they are (most of an address: kanji
    // without variant, digits, letters) are copied a run at a time.
    let mut unchanged_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        if !pending_space {
            // Printable ASCII but the tilde: every such character is its own
            // rewrite (white space and control characters are read below).
            if lead.is_ascii_graphic() && lead != b'~' {
                at += 1;
                continue;
            }
            // U+4000..=U+9FFF, ideographs (and hexagrams, which no rule touches
            // either): unchanged unless 之 or a variant.
            if (0xE4..=0xE9).contains(&lead) {
                let c = text[at..].chars().next().unwrap_or_default();
                if c != '之' && variants.fold(c) == c {
                    at += 3;
                    continue;
                }
            }
        }
        full.push_str(&text[unchanged_from..at]);
        let Some(raw) = text[at..].chars().next() else { break };
        at += raw.len_utf8();
        unchanged_from = at;
        let Some(c) = read.read(raw) else {
            return false;
        };
        // Kanji and kana (most of an address) are never spaces: skip the
        // Unicode white-space lookup for them.
        if !is_cjk(c) && is_space(c) {
            pending_space = true;
            continue;
        }
        if !plain && is_stray_mark(c) {
            continue;
        }
        if std::mem::take(&mut pending_space)
            && c.is_ascii_digit()
            && full.as_bytes().last().is_some_and(u8::is_ascii_digit)
        {
            full.push('-');
        }
        let c = variants.fold(c);
        let rewritten = if depends_on_neighbours(c) {
            let before = full.chars().next_back();
            let after = next_kept(&text[at..], read).map(|next| variants.fold(next));
            rewrite(c, before, after)
        } else {
            rewrite(c, None, None)
        };
        full.push(rewritten);
    }
    full.push_str(&text[unchanged_from..]);
    true
}

/// The first character of `rest` the first stage keeps (not a space, not a
/// stray mark), unfolded.
fn next_kept(rest: &str, read: Text) -> Option<char> {
    let plain = read.plain();
    rest.chars().filter_map(|c| read.read(c)).find(|&c| !is_space(c) && (plain || !is_stray_mark(c)))
}

fn depends_on_neighbours(c: char) -> bool {
    matches!(c, 'ー' | 'ヶ' | 'ケ' | 'が' | 'ガ' | 'ヵ' | 'の' | 'ノ' | '之') || is_tilde(c)
}

fn rewrite(c: char, before: Option<char>, after: Option<char>) -> char {
    // Digits, letters and kanji (all but 之) are left as they are.
    if c.is_ascii_alphanumeric() || (is_kanji(c) && c != '之') {
        return c;
    }
    if is_dash(c) {
        if before.is_some_and(is_numeric) || after.is_some_and(is_numeric) || c != 'ー' {
            '-'
        } else {
            c
        }
    } else if is_tilde(c) {
        // Between two numbers a wave dash is the hyphen typed with the
        // wrong key (3～2～1): a home has no range of house numbers.
        if before.is_some_and(is_numeric) && after.is_some_and(is_numeric) {
            '-'
        } else {
            '~'
        }
    } else if matches!(c, 'ヶ' | 'ケ' | 'が' | 'ガ' | 'ヵ')
        && before.is_some_and(is_kanji)
        && after.is_some_and(is_kanji)
    {
        'ケ'
    } else if matches!(c, 'の' | 'ノ' | '之')
        && before.is_some_and(is_kanji)
        && after.is_some_and(|a| is_kanji(a) || a.is_ascii_digit())
    {
        // Before a digit too: a town that ends in 之 (厳木町平之) is then
        // written alike before 一丁目 and before 1丁目.
        'ノ'
    } else {
        c
    }
}
