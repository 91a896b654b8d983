//! Patterns of the rules file and the choice among several that match.
//!
//! A pattern is written as a value, with `*` at its end (prefix), at its
//! start (suffix) or at both (contains): `JTB旅物語*`, `*店舗精算`, `*保険*`.
//! Patterns and values are compared in their folded form (see `fold`).
//!
//! Invariant: when several patterns of one [`Matcher`] match a value, the most
//! specific wins — an exact value before a prefix, a prefix before a suffix,
//! a suffix before a contains, and among two of a kind the longer one; a tie
//! goes to the pattern listed first. So the outcome never depends on hash or
//! thread order, only on the rules file.

use anyhow::{bail, Result};

use super::fold::fold_value;

/// How a pattern matches, from most to least specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PatternKind {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

/// One pattern: its kind, its folded text and the text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub kind: PatternKind,
    /// Folded, without the `*`.
    pub folded: String,
    /// As written in the rules file (shown by `explain` and `values`).
    pub written: String,
}

impl Pattern {
    /// Parses one written pattern; `key` names the rules-file key in errors.
    pub fn parse(written: &str, key: &str) -> Result<Pattern> {
        let (body, kind) = match (written.strip_prefix('*'), written.strip_suffix('*')) {
            (Some(_), Some(_)) if written.len() >= 2 => (&written[1..written.len() - 1], PatternKind::Contains),
            (Some(rest), None) => (rest, PatternKind::Suffix),
            (None, Some(rest)) => (rest, PatternKind::Prefix),
            _ => (written, PatternKind::Exact),
        };
        if body.contains('*') {
            bail!("rules: {key}: \"{written}\": `*` may stand only at the start or the end of a pattern");
        }
        let folded = fold_value(body);
        if folded.is_empty() {
            bail!("rules: {key}: an empty pattern (\"{written}\")");
        }
        Ok(Pattern { kind, folded, written: written.to_string() })
    }

    /// Whether the folded `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        match self.kind {
            PatternKind::Exact => value == self.folded,
            PatternKind::Prefix => value.starts_with(self.folded.as_str()),
            PatternKind::Suffix => value.ends_with(self.folded.as_str()),
            PatternKind::Contains => value.contains(self.folded.as_str()),
        }
    }

    /// Lower is more specific: the kind first, then the longer text.
    fn specificity(&self) -> (PatternKind, std::cmp::Reverse<usize>) {
        (self.kind, std::cmp::Reverse(self.folded.len()))
    }
}

/// Patterns, each tagged with what it stands for (a channel kind, a method
/// class, a product category).
#[derive(Clone, Debug)]
pub struct Matcher<T> {
    entries: Vec<(Pattern, T)>,
}

impl<T> Default for Matcher<T> {
    fn default() -> Self {
        Matcher { entries: Vec::new() }
    }
}

impl<T: Copy> Matcher<T> {
    /// Adds the written patterns of one rules-file key, tagged `tag`.
    pub fn add(&mut self, written: &[String], key: &str, tag: T) -> Result<()> {
        for w in written {
            self.entries.push((Pattern::parse(w, key)?, tag));
        }
        Ok(())
    }

    /// The most specific matching entry: its index and tag.
    pub fn best(&self, value: &str) -> Option<(usize, T)> {
        let mut best: Option<(usize, &Pattern, T)> = None;
        for (index, (pattern, tag)) in self.entries.iter().enumerate() {
            if !pattern.matches(value) {
                continue;
            }
            if best.is_none_or(|(_, b, _)| pattern.specificity() < b.specificity()) {
                best = Some((index, pattern, *tag));
            }
        }
        best.map(|(index, _, tag)| (index, tag))
    }

    /// How many patterns there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The pattern of entry `index` (from [`Matcher::best`]).
    pub fn pattern(&self, index: usize) -> &Pattern {
        &self.entries[index].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(patterns: &[&str]) -> Matcher<usize> {
        let mut m = Matcher::default();
        for (i, p) in patterns.iter().enumerate() {
            m.add(&[p.to_string()], "test", i).unwrap();
        }
        m
    }

    #[test]
    fn kinds_match_as_written() {
        let m = matcher(&["国内宿泊", "JTB旅物語*", "*店舗精算", "*保険*"]);
        assert_eq!(m.best("国内宿泊").map(|b| b.1), Some(0));
        assert_eq!(m.best("国内宿泊プラン"), None);
        assert_eq!(m.best(&fold_value("JTB旅物語（国内）")).map(|b| b.1), Some(1));
        assert_eq!(m.best("ネット予約・店舗精算").map(|b| b.1), Some(2));
        assert_eq!(m.best("店舗精算").map(|b| b.1), Some(2));
        assert_eq!(m.best("海外旅行保険").map(|b| b.1), Some(3));
        assert_eq!(m.best("保険").map(|b| b.1), Some(3));
    }

    #[test]
    fn the_most_specific_pattern_wins_whatever_the_order() {
        let m = matcher(&["*保険*", "提携サイト*", "提携サイト:*", "提携サイト:楽天トラベル"]);
        assert_eq!(m.best("提携サイト:楽天トラベル").map(|b| b.1), Some(3));
        assert_eq!(m.best("提携サイト:じゃらん").map(|b| b.1), Some(2));
        assert_eq!(m.best("提携サイト保険").map(|b| b.1), Some(1));
    }

    #[test]
    fn a_star_inside_or_an_empty_pattern_is_an_error_naming_the_key() {
        for bad in ["JTB*旅物語", "*", "**", " "] {
            let err = Pattern::parse(bad, "products.excluded").unwrap_err().to_string();
            assert!(err.contains("products.excluded"), "{bad}: {err}");
        }
    }
}
