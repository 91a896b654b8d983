//! A name's parts and their order: where the parts of a name written in
//! two stand, and a name written given name first put surname first when
//! the reading tables say so (`readings::written_given_first`).
//!
//! Invariant: a name is reordered only when it has exactly two parts and
//! the tables know the first only as a given name and the second only as
//! a surname; anything else is left as written.

use super::super::readings;
use super::is_separator;

/// Puts a kanji name written given name first (`伸幸 宇佐見`, its two parts
/// apart in the text, folded and joined in `strict`, the second from byte
/// `cut`) surname first, as every other row writes it, when the reading
/// tables say so (`readings::written_given_first`); says whether it did.
/// `tmp` is scratch.
pub(super) fn surname_first(cut: usize, strict: &mut String, tmp: &mut String) -> bool {
    if !readings::written_given_first(&strict[..cut], &strict[cut..]) {
        return false;
    }
    turn_at(cut, strict, tmp);
    true
}

/// `strict` with its bytes from `cut` moved before the ones up to it.
/// `tmp` is scratch.
pub(super) fn turn_at(cut: usize, strict: &mut String, tmp: &mut String) {
    tmp.clear();
    tmp.push_str(&strict[cut..]);
    tmp.push_str(&strict[..cut]);
    std::mem::swap(strict, tmp);
}

/// `text` with its two parts swapped (`ウサミ ノブユキ` for `ノブユキ ウサミ`)
/// into `out`, when it has exactly two; else `text`.
pub fn swap_two_parts<'a>(text: &'a str, out: &'a mut String) -> &'a str {
    let Some((first, second)) = two_parts(text) else {
        return text;
    };
    out.clear();
    out.push_str(second);
    out.push(' ');
    out.push_str(first);
    out
}

/// The two parts of a name written in exactly two (between separators).
pub(super) fn two_parts(text: &str) -> Option<(&str, &str)> {
    let mut parts = text.split(is_separator).filter(|p| !p.is_empty());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(first), Some(second), None) => Some((first, second)),
        _ => None,
    }
}

/// Part starts a name's key keeps track of: two parts and as many
/// honorifics or notes written apart after them (`伸幸 宇佐見 様 様`) as
/// anyone writes; a name with more breaks is left as written.
const TRACKED_BREAKS: usize = 4;

/// The breaks between the parts of a name as its characters are kept:
/// a separator counts once something is kept after it and before it.
#[derive(Default)]
pub(super) struct PartBreaks {
    /// A separator was seen since the last character kept.
    pending: bool,
    breaks: usize,
    /// Where the second, third … part start in the kept text (bytes,
    /// ascending).
    starts: [usize; TRACKED_BREAKS],
}

impl PartBreaks {
    /// A separator is seen (it counts once a character is kept after it).
    pub(super) fn separator(&mut self) {
        self.pending = true;
    }

    /// A character is kept at byte `at` of the kept text.
    pub(super) fn keep(&mut self, at: usize) {
        if self.pending && at > 0 {
            if let Some(start) = self.starts.get_mut(self.breaks) {
                *start = at;
            }
            self.breaks += 1;
        }
        self.pending = false;
    }

    /// Where the second part starts when the name has exactly two in the
    /// first `kept_len` bytes (the parts after them, honorifics or notes
    /// written apart, `伸幸 宇佐見 様`, were stripped).
    pub(super) fn second_start(&self, kept_len: usize) -> Option<usize> {
        if self.breaks > TRACKED_BREAKS {
            return None;
        }
        let starts = &self.starts[..self.breaks];
        let kept_breaks = starts.iter().filter(|&&start| start < kept_len).count();
        starts.first().copied().filter(|_| kept_breaks == 1)
    }
}
