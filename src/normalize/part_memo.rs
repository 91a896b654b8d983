//! The keys of name parts, remembered per worker, for speed. Names
//! repeat — 佐藤 is 1.5% of Japan, and a generated file of 100,000 rows
//! has 30,000 distinct kana parts among 184,000 — so the Hepburn reading
//! and the two folds of a part are done once per worker and looked up
//! after.
//!
//! A whole name's key is the fold of its whole text. When no fold rule can
//! reach across the separator ([`PartEnd::joins`]) that equals the parts'
//! keys end to end (the loose keys with the letter they meet on written
//! once), and the memo answers it; otherwise the whole text is folded (not
//! remembered: whole names rarely repeat).
//!
//! Invariant: remembering changes nothing but speed. Every answer is what
//! `fold` (and `kana_to_hepburn`) would compute (tests below); the shortcut
//! is checked against folding the whole text by a property test
//! (properties.rs).

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use super::hepburn::kana_to_hepburn;
use super::romaji::{collapses_when_doubled, fold, FoldScratch, Strength};

/// Most parts remembered; the memo starts over when it is reached (64
/// bytes a part: 2 MiB a worker, within one core's 2 MiB L2 here). The
/// common parts come back soon after a restart; a table four times larger
/// missed the L2 on every look-up and was slower: bookings step at
/// 1,000,000 persons 12.4 -> 12.0 s, 8,000,000 (two booking files) 35.8–37.9
/// -> 34.5–35.0 s; 1 << 13 was slower again (12.2 s).
const CAPACITY_PARTS: usize = 1 << 15;

/// Bytes a slot holds of a part's text, strict key and loose key together;
/// a part with more is folded every time (a long name: rare).
const INLINE_BYTES: usize = 49;

/// Letters after which nothing the fold does can reach across into the next
/// part: no rule's window starts with one of them or ends on one of them
/// (rules 3–10 start with S C T Z J D H W M N O U; the end-of-word
/// conditions look at N, H, O; loose V→B and L→R can double a letter).
const INERT_LAST_LETTERS: &[u8] = b"AEIKGRBPFQX";

/// One remembered part in one cache line: its hash, text, strict key and
/// loose key end to end, and the letters the fold read first, second and
/// last. A
/// look-up reads this line and nothing else (with the text kept apart, as
/// it was, a look-up missed the cache twice: this was a sixth of a row).
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Slot {
    hash: u64,
    kind: u8,
    text_len: u8,
    strict_len: u8,
    loose_len: u8,
    first_letter: u8,
    second_letter: u8,
    last_letter: u8,
    bytes: [u8; INLINE_BYTES],
}

impl Slot {
    fn text(&self) -> &[u8] {
        &self.bytes[..usize::from(self.text_len)]
    }

    /// The strict and loose keys (A–Z only, so always UTF-8).
    fn keys(&self) -> (&str, &str) {
        let strict_start = usize::from(self.text_len);
        let loose_start = strict_start + usize::from(self.strict_len);
        let loose_end = loose_start + usize::from(self.loose_len);
        // One validation for both (they are A–Z, so the cut is on a boundary).
        let keys = std::str::from_utf8(&self.bytes[strict_start..loose_end]).unwrap_or_default();
        keys.split_at_checked(loose_start - strict_start).unwrap_or_default()
    }
}

/// The keys of one name part, and the letters the fold read at its ends.
#[derive(Clone, Copy, Debug)]
pub struct PartKeys<'m> {
    pub strict: &'m str,
    pub loose: &'m str,
    /// The first, second and last A–Z letters of the text the fold read (0
    /// when none).
    pub first_letter: u8,
    pub second_letter: u8,
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
        PartStart {
            first_letter: self.first_letter,
            second_letter: self.second_letter,
            strict_first: self.strict.as_bytes().first().copied(),
            loose_first: self.loose.as_bytes().first().copied(),
        }
    }
}

/// The start of a name part.
#[derive(Clone, Copy, Debug)]
pub struct PartStart {
    first_letter: u8,
    second_letter: u8,
    /// The key's first letter can differ from the text's: WO is read O.
    strict_first: Option<u8>,
    loose_first: Option<u8>,
}

/// How the keys of two parts read as one text relate to the parts' keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// Both keys are the parts' keys end to end.
    Clean,
    /// The strict key is; the loose key is too, but for the letter the
    /// two loose keys meet on, which the loose fold writes once
    /// (YAMADA + AKIRA: YAMADAKIRA).
    LooseMeet,
    /// A fold rule may reach across: fold the whole text.
    Fold,
}

impl PartEnd {
    /// How the key of this part + the next (as one text) relates to the
    /// keys of the parts ([`Join`]). The strict keys join end to end when
    /// the last letter the fold read is inert ([`INERT_LAST_LETTERS`]), or
    /// an O or U that no rule can join to the next part: not followed by
    /// O or U (OO, OU, UU; in the text or in the next key, where WO is O),
    /// nor by an H that rule 7 could drop (OH before a consonant or the end:
    /// an H followed by a vowel or Y is safe, but not HU, which the scanner
    /// reads FU), and not a doubled end the fold kept as final. The loose keys then join too, except that when they meet on
    /// a letter rule 11 writes once doubled, it is written once.
    pub fn joins(self, next: PartStart) -> Join {
        let (Some(end), Some(start)) = (self.loose_last, next.loose_first) else {
            return Join::Fold;
        };
        let strict_joins = match self.last_letter {
            b'O' | b'U' => {
                let h_kept =
                    next.first_letter == b'H' && matches!(next.second_letter, b'A' | b'E' | b'I' | b'O' | b'Y');
                matches!(self.strict_last, Some(b'O' | b'U'))
                    && !self.strict_doubled_end
                    && (!matches!(next.first_letter, b'O' | b'U' | b'H') || h_kept)
                    && !matches!(next.strict_first, Some(b'O' | b'U'))
            }
            letter => INERT_LAST_LETTERS.contains(&letter) && self.strict_last == Some(letter),
        };
        match (strict_joins, end == start) {
            (false, _) => Join::Fold,
            (true, false) => Join::Clean,
            (true, true) if collapses_when_doubled(end) => Join::LooseMeet,
            (true, true) => Join::Clean,
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

/// The per-worker memo: a hash table of [`Slot`]s keyed by a 64-bit hash
/// of (kind, text), the text checked in the slot (no allocation per part,
/// one cache line per look-up).
#[derive(Debug, Default)]
pub struct PartMemo {
    slots: HashTable<Slot>,
    /// The slot answered last, or the keys of a part too long for one.
    current: Slot,
    hepburn: String,
    strict: String,
    loose: String,
    whole: String,
}

impl Default for Slot {
    fn default() -> Slot {
        Slot {
            hash: 0,
            kind: 0,
            text_len: 0,
            strict_len: 0,
            loose_len: 0,
            first_letter: 0,
            second_letter: 0,
            last_letter: 0,
            bytes: [0; INLINE_BYTES],
        }
    }
}

/// The first, second and last A–Z letters the fold reads in `text` (0 when
/// none; the second is 0 with fewer than two).
fn end_letters(text: &str) -> (u8, u8, u8) {
    use unicode_normalization::UnicodeNormalization;
    let ends = |letters: &mut dyn DoubleEndedIterator<Item = u8>| {
        let first = letters.next().map_or(0, |b| b.to_ascii_uppercase());
        let second = letters.next().map_or(0, |b| b.to_ascii_uppercase());
        let last = letters.next_back().map_or(if second == 0 { first } else { second }, |b| b.to_ascii_uppercase());
        (first, second, last)
    };
    if text.is_ascii() {
        ends(&mut text.bytes().filter(u8::is_ascii_alphabetic))
    } else {
        let letters: Vec<u8> = text.nfkd().filter(char::is_ascii_alphabetic).map(|c| c as u8).collect();
        ends(&mut letters.into_iter())
    }
}

impl PartMemo {
    /// The keys of one part (a surname, a given name, or an unsplit name).
    pub fn keys(&mut self, part: &str, text: PartText, scratch: &mut FoldScratch) -> PartKeys<'_> {
        // Never 0, the kind of an empty (default) slot.
        let kind = text as u8 + 1;
        let hash = {
            let mut hasher = FxHasher::default();
            hasher.write_u8(kind);
            hasher.write(part.as_bytes());
            hasher.finish()
        };
        let is_part = |slot: &Slot| slot.hash == hash && slot.kind == kind && slot.text() == part.as_bytes();
        if let Some(slot) = self.slots.find(hash, is_part) {
            self.current = *slot;
            return self.current_keys();
        }
        let (first_letter, second_letter, last_letter) = self.fold_into(part, text, scratch);
        let (text_len, strict_len, loose_len) = (part.len(), self.strict.len(), self.loose.len());
        if text_len + strict_len + loose_len > INLINE_BYTES {
            return PartKeys { strict: &self.strict, loose: &self.loose, first_letter, second_letter, last_letter };
        }
        if self.slots.len() >= CAPACITY_PARTS {
            self.slots.clear();
        }
        let mut slot = Slot { hash, kind, first_letter, second_letter, last_letter, ..Slot::default() };
        // Each length fits in a u8: together they are at most INLINE_BYTES.
        (slot.text_len, slot.strict_len, slot.loose_len) = (text_len as u8, strict_len as u8, loose_len as u8);
        let strict_start = text_len + strict_len;
        slot.bytes[..text_len].copy_from_slice(part.as_bytes());
        slot.bytes[text_len..strict_start].copy_from_slice(self.strict.as_bytes());
        slot.bytes[strict_start..strict_start + loose_len].copy_from_slice(self.loose.as_bytes());
        self.slots.insert_unique(hash, slot, |slot| slot.hash);
        self.current = slot;
        self.current_keys()
    }

    fn current_keys(&self) -> PartKeys<'_> {
        let (strict, loose) = self.current.keys();
        let Slot { first_letter, second_letter, last_letter, .. } = self.current;
        PartKeys { strict, loose, first_letter, second_letter, last_letter }
    }

    /// Folds `part` into `self.strict` and `self.loose`; returns the first,
    /// second and last letters the fold read.
    fn fold_into(&mut self, part: &str, text: PartText, scratch: &mut FoldScratch) -> (u8, u8, u8) {
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
        match text {
            PartText::Romaji => whole.push_str(without_final_oh_h(first)),
            PartText::Kana => {
                whole.push_str(first);
                whole.push(' ');
            }
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

/// A romaji part without the H of a final OH: the long O of a passport
/// spelling (SATOH, ITOH, KOHNO's OH at a word's end), which rule 7 of
/// the fold reads as O at the end of a word. Read as one text with the
/// next part, the H stood before its first letter and was kept before a
/// vowel or Y (ITOH AKIRA gave ITOHAKIRA, not the ITOAKIRA of イトウ
/// アキラ): the part's end is a word's end, so it is read as one. No
/// Hepburn syllable ends in H, so nothing else is lost.
fn without_final_oh_h(part: &str) -> &str {
    let bytes = part.as_bytes();
    match bytes {
        [.., o, h] if o.eq_ignore_ascii_case(&b'O') && h.eq_ignore_ascii_case(&b'H') => &part[..part.len() - 1],
        _ => part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys as computed without the memo.
    fn folded(part: &str, text: PartText) -> (String, String, (u8, u8, u8)) {
        let mut fresh = PartMemo::default();
        let letters = fresh.fold_into(part, text, &mut FoldScratch::default());
        (fresh.strict, fresh.loose, letters)
    }

    fn answer(memo: &mut PartMemo, part: &str, text: PartText) -> (String, String, (u8, u8, u8)) {
        let keys = memo.keys(part, text, &mut FoldScratch::default());
        (keys.strict.to_string(), keys.loose.to_string(), (keys.first_letter, keys.second_letter, keys.last_letter))
    }

    #[test]
    fn answers_are_the_fold_first_time_and_after() {
        let long_kana = "ジュンイチロウジュンイチロウ";
        let parts = [
            ("サトウ", PartText::Kana),
            ("SATOU", PartText::Romaji),
            ("ジュンイチロウ", PartText::Kana),
            (long_kana, PartText::Kana),
            ("HOMMA", PartText::Romaji),
            ("", PartText::Romaji),
            ("Ōno", PartText::Romaji),
        ];
        let (strict, loose, _) = folded(long_kana, PartText::Kana);
        assert!(long_kana.len() + strict.len() + loose.len() > INLINE_BYTES, "one part must be too long to keep");
        let mut memo = PartMemo::default();
        for round in 0..3 {
            for (part, text) in parts {
                assert_eq!(answer(&mut memo, part, text), folded(part, text), "{part} round {round}");
            }
        }
        // The same text as kana and as romaji are two parts.
        assert_ne!(answer(&mut memo, "サトウ", PartText::Kana).0, "");
        assert_eq!(memo.slots.len(), parts.len() - 1, "all but the long part remembered once");
    }

    #[test]
    fn a_full_memo_starts_over_and_still_answers() {
        let mut memo = PartMemo::default();
        for i in 0..CAPACITY_PARTS + 10 {
            memo.keys(&format!("TARO{i}"), PartText::Romaji, &mut FoldScratch::default());
        }
        assert!(memo.slots.len() <= CAPACITY_PARTS);
        assert_eq!(answer(&mut memo, "TARO7", PartText::Romaji), folded("TARO7", PartText::Romaji));
    }
}
