//! The keys of name parts, remembered per worker (issue "Japanese
//! normalization": speed). Names repeat — 佐藤 is 1.5% of Japan, and a
//! generated file of 100,000 rows has 30,000 distinct kana parts among
//! 184,000 — so the Hepburn reading and the two folds of a part are done
//! once per worker and looked up after.
//!
//! A whole name's key is the fold of its whole text. When the first part
//! ends on an inert letter ([`PartEnd::joins`]) that equals the parts' keys
//! end to end, and the memo answers it; otherwise the whole text is folded
//! (not remembered: whole names rarely repeat).
//!
//! Invariant: remembering changes nothing but speed. Every answer is what
//! `fold` (and `kana_to_hepburn`) would compute; the shortcut is checked
//! against folding the whole text by a property test (properties.rs).

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

use super::hepburn::kana_to_hepburn;
use super::romaji::{fold, FoldScratch, Strength};

/// Most parts remembered, and most bytes of keys kept; the memo starts over
/// when either is reached (a few megabytes per worker).
const CAPACITY_PARTS: usize = 1 << 18;
const CAPACITY_BYTES: usize = 8 << 20;

/// Letters after which nothing the fold does can reach across into the next
/// part: no rule's window starts with one of them or ends on one of them
/// (rules 3–10 start with S C T Z J D H W M N O U; the end-of-word
/// conditions look at N, H, O; loose V→B and L→R can double a letter).
const INERT_LAST_LETTERS: &[u8] = b"AEIKGRBPFQX";

/// Where a part's text and keys are in the arena: text, strict, loose.
#[derive(Clone, Copy, Debug)]
struct Entry {
    start: u32,
    text_len: u32,
    strict_len: u32,
    loose_len: u32,
    first_letter: u8,
    last_letter: u8,
}

/// The keys of one name part, and the last letter the fold read from it.
#[derive(Clone, Copy, Debug)]
pub struct PartKeys<'m> {
    pub strict: &'m str,
    pub loose: &'m str,
    /// The first and last A–Z letters of the text the fold read (0 when
    /// none).
    pub first_letter: u8,
    pub last_letter: u8,
}

/// The end of a name part, enough to tell whether the next part joins it
/// cleanly.
#[derive(Clone, Copy, Debug)]
pub struct PartEnd {
    last_letter: u8,
    strict_last: Option<u8>,
    /// The strict key ends on a doubled letter (OO, UU kept at the end).
    strict_doubled_end: bool,
    loose_last: Option<u8>,
}

impl PartKeys<'_> {
    pub fn end(&self) -> PartEnd {
        let strict = self.strict.as_bytes();
        PartEnd {
            last_letter: self.last_letter,
            strict_last: strict.last().copied(),
            strict_doubled_end: strict.len() >= 2 && strict[strict.len() - 1] == strict[strict.len() - 2],
            loose_last: self.loose.as_bytes().last().copied(),
        }
    }

    /// What [`PartEnd::joins`] needs of the part on the right.
    pub fn start(&self) -> PartStart {
        PartStart { first_letter: self.first_letter, loose_first: self.loose.as_bytes().first().copied() }
    }
}

/// The start of a name part.
#[derive(Clone, Copy, Debug)]
pub struct PartStart {
    first_letter: u8,
    loose_first: Option<u8>,
}

impl PartEnd {
    /// Whether the key of this part + the next (as one text) is the key of
    /// this part followed by the key of the next, strict and loose. The
    /// loose keys must not meet on a doubled letter, and the last letter
    /// the fold read must be inert ([`INERT_LAST_LETTERS`]), or an O or U
    /// that no rule can join to the next part: not followed by O, U or H
    /// (OO, OU, UU, OH) and not a doubled end the fold kept as final.
    pub fn joins(self, next: PartStart) -> bool {
        let (Some(end), Some(start)) = (self.loose_last, next.loose_first) else {
            return false;
        };
        if end == start {
            return false;
        }
        match self.last_letter {
            b'O' | b'U' => {
                matches!(self.strict_last, Some(b'O' | b'U'))
                    && !self.strict_doubled_end
                    && !matches!(next.first_letter, b'O' | b'U' | b'H')
            }
            letter => INERT_LAST_LETTERS.contains(&letter) && self.strict_last == Some(letter),
        }
    }
}

/// What a part is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartText {
    Romaji,
    /// Katakana, read through the kana→Hepburn table.
    Kana,
}

/// The per-worker memo: a map from a 64-bit hash of (kind, text) to the
/// entry, whose text is checked in the arena (no allocation per part, one
/// probe per lookup).
#[derive(Debug, Default)]
pub struct PartMemo {
    entries: FxHashMap<u64, Entry>,
    /// Every remembered part: its text, strict key and loose key, end to end.
    arena: String,
    hepburn: String,
    strict: String,
    loose: String,
    whole: String,
}

/// The first and last A–Z letters the fold reads in `text` (0 when none).
fn end_letters(text: &str) -> (u8, u8) {
    use unicode_normalization::UnicodeNormalization;
    let upper = |b: u8| b.to_ascii_uppercase();
    if text.is_ascii() {
        let mut letters = text.bytes().filter(u8::is_ascii_alphabetic);
        let first = letters.next().map_or(0, upper);
        (first, letters.next_back().map_or(first, upper))
    } else {
        let mut letters = text.nfkd().filter(char::is_ascii_alphabetic).map(|c| c as u8);
        let first = letters.next().map_or(0, upper);
        (first, letters.last().map_or(first, upper))
    }
}

impl PartMemo {
    /// The keys of one part (a surname, a given name, or an unsplit name).
    pub fn keys(&mut self, part: &str, text: PartText, scratch: &mut FoldScratch) -> PartKeys<'_> {
        let hash = {
            let mut hasher = FxHasher::default();
            hasher.write_u8(text as u8);
            hasher.write(part.as_bytes());
            hasher.finish()
        };
        let known = self.entries.get(&hash).copied().filter(|e| {
            let start = e.start as usize;
            &self.arena[start..start + e.text_len as usize] == part
        });
        let entry = match known {
            Some(entry) => entry,
            None => self.remember(hash, part, text, scratch),
        };
        let start = entry.start as usize + entry.text_len as usize;
        let middle = start + entry.strict_len as usize;
        PartKeys {
            strict: &self.arena[start..middle],
            loose: &self.arena[middle..middle + entry.loose_len as usize],
            first_letter: entry.first_letter,
            last_letter: entry.last_letter,
        }
    }

    fn remember(&mut self, hash: u64, part: &str, text: PartText, scratch: &mut FoldScratch) -> Entry {
        let (first_letter, last_letter) = self.fold_into(part, text, scratch);
        if self.entries.len() >= CAPACITY_PARTS || self.arena.len() >= CAPACITY_BYTES {
            self.entries.clear();
            self.arena.clear();
        }
        let entry = Entry {
            start: self.arena.len() as u32,
            text_len: part.len() as u32,
            strict_len: self.strict.len() as u32,
            loose_len: self.loose.len() as u32,
            first_letter,
            last_letter,
        };
        self.arena.push_str(part);
        self.arena.push_str(&self.strict);
        self.arena.push_str(&self.loose);
        self.entries.insert(hash, entry);
        entry
    }

    /// Folds `part` into `self.strict` and `self.loose`; returns the first
    /// and last letters the fold read.
    fn fold_into(&mut self, part: &str, text: PartText, scratch: &mut FoldScratch) -> (u8, u8) {
        self.strict.clear();
        self.loose.clear();
        let read = match text {
            PartText::Romaji => part,
            PartText::Kana => {
                self.hepburn.clear();
                kana_to_hepburn(part, &mut self.hepburn);
                &self.hepburn
            }
        };
        fold(read, Strength::Strict, scratch, &mut self.strict);
        fold(&self.strict, Strength::Loose, scratch, &mut self.loose);
        end_letters(read)
    }

    /// Appends the keys of two parts read as one text (for kana with the
    /// separator between them: it keeps a pending ッ, see kana_to_hepburn)
    /// to `strict` (when given) and `loose`. Not remembered.
    pub fn push_whole(
        &mut self,
        (first, rest): (&str, &str),
        text: PartText,
        scratch: &mut FoldScratch,
        strict: Option<&mut String>,
        loose: &mut String,
    ) {
        let mut whole = std::mem::take(&mut self.whole);
        whole.clear();
        whole.push_str(first);
        if text == PartText::Kana {
            whole.push(' ');
        }
        whole.push_str(rest);
        self.fold_into(&whole, text, scratch);
        self.whole = whole;
        if let Some(strict) = strict {
            strict.push_str(&self.strict);
        }
        loose.push_str(&self.loose);
    }
}
