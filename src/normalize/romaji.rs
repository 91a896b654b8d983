//! The romaji match key (research notes section 2.3, Appendix A).
//!
//! Kana become Hepburn through the table in `hepburn.rs`, in the kana→romaji
//! direction only (romaji is never turned into kana: IME conventions read
//! `homma` as ほっま). Any romaji, kana-derived or typed, then goes through
//! this one shared fold so that Hepburn, passport Hepburn and Kunrei spellings agree:
//! OHNO = ONO = OONO, SHUICHI = SYUITI, HOMMA = HONMA, ITCHI = ICCHI.
//!
//! The strict key keeps doubled vowels and consonants; the loose key also
//! collapses them and folds TCH→CH, V→B, L→R. Treat a key match as evidence,
//! not identity: 大内 OUCHI and 越智 OCHI share a key.
//!
//! Invariant: keys contain only A–Z, and folding a key again changes nothing
//! (the fold runs to its fixed point).

use unicode_normalization::UnicodeNormalization;

/// Strict or loose folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    Strict,
    Loose,
}

/// Rule 3, the scanner: Kunrei/Nihon-shiki and wapuro spellings → Hepburn,
/// longest match first (so SHU is never read as S + HU).
///
/// SHI CHI TSU SHA SHU SHO CHA CHU CHO are kept; SYA SYU SYO → SHA SHU SHO;
/// TYA TYU TYO and CYA CYU CYO → CHA CHU CHO; ZYA JYA DYA (and -U, -O) → JA
/// JU JO; SI → SHI; TI → CHI; TU → TSU; HU → FU; ZI DI → JI; DU → ZU; WO → O.
/// Returns how many bytes the spelling at `s[i..]` has and what replaces it.
fn scan(s: &[u8], i: usize) -> Option<(usize, Replacement)> {
    let at = |k: usize| s.get(i + k).copied().unwrap_or(0);
    let (first, second, third) = (s[i], at(1), at(2));
    let is_yaw = |b: u8| matches!(b, b'A' | b'U' | b'O');
    let three = |bytes: [u8; 3]| Some((3, Replacement { bytes, len: 3 }));
    let two = |bytes: &[u8]| {
        let mut out = [0u8; 3];
        out[..bytes.len()].copy_from_slice(bytes);
        Some((2, Replacement { bytes: out, len: bytes.len() as u8 }))
    };
    match (first, second) {
        (b'S' | b'C', b'H') if matches!(third, b'I' | b'A' | b'U' | b'O') => three([first, b'H', third]),
        (b'T', b'S') if third == b'U' => three(*b"TSU"),
        (b'S', b'Y') if is_yaw(third) => three([b'S', b'H', third]),
        (b'T' | b'C', b'Y') if is_yaw(third) => three([b'C', b'H', third]),
        (b'Z' | b'J' | b'D', b'Y') if is_yaw(third) => Some((3, Replacement { bytes: [b'J', third, 0], len: 2 })),
        (b'S', b'I') => Some((2, Replacement { bytes: *b"SHI", len: 3 })),
        (b'T', b'I') => Some((2, Replacement { bytes: *b"CHI", len: 3 })),
        (b'T', b'U') => Some((2, Replacement { bytes: *b"TSU", len: 3 })),
        (b'H', b'U') => two(b"FU"),
        (b'Z' | b'D', b'I') => two(b"JI"),
        (b'D', b'U') => two(b"ZU"),
        (b'W', b'O') => two(b"O"),
        _ => None,
    }
}

/// What the scanner writes for one spelling (at most three letters).
#[derive(Clone, Copy)]
struct Replacement {
    bytes: [u8; 3],
    len: u8,
}

impl Replacement {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

fn is_vowel_or_y(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// Reusable buffers for [`fold`].
#[derive(Debug, Default)]
pub struct FoldScratch {
    key: Vec<u8>,
    temp: Vec<u8>,
}

/// Appends the match key of any romaji text to `out` (A–Z only).
pub fn fold(text: &str, strength: Strength, scratch: &mut FoldScratch, out: &mut String) {
    let FoldScratch { key, temp, .. } = scratch;
    key.clear();
    // Rule 1: NFKC, strip diacritics (Ō → O), upper case; rule 2: A–Z only.
    if text.is_ascii() {
        key.extend(text.bytes().filter(u8::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()));
    } else {
        for c in text.nfkd() {
            if c.is_ascii_alphabetic() {
                key.push(c.to_ascii_uppercase() as u8);
            }
        }
    }
    // Running the rules to their fixed point makes the key idempotent
    // (a single pass leaves e.g. OUU → OU, which folds again to O). Most
    // keys are a fixed point already: `would_change` sees that in one scan.
    for _ in 0..8 {
        if !would_change(key, strength) {
            break;
        }
        fold_once(key, temp, strength);
    }
    // Only ASCII letters are in the key: push them as they are.
    out.push_str(std::str::from_utf8(key).unwrap_or_default());
}

/// Whether [`fold_once`] would change `s`: exactly the rules' triggers, so
/// `false` means `s` is already a fixed point. Written as plain byte loops:
/// it runs on every key, and most keys are fixed points.
fn would_change(s: &[u8], strength: Strength) -> bool {
    scanner_would_change(s) || pair_rules_would_change(s) || (strength == Strength::Loose && would_change_loose(s))
}

/// Rule 3's triggers, read as the scanner reads.
fn scanner_would_change(s: &[u8]) -> bool {
    let at = |k: usize| s.get(k).copied().unwrap_or(0);
    let is_aiuo = |b: u8| matches!(b, b'A' | b'I' | b'U' | b'O');
    let is_auo = |b: u8| matches!(b, b'A' | b'U' | b'O');
    // Rule 3, aligned as the scanner reads: SH?, CH?, TSU are kept whole.
    let mut i = 0;
    while i < s.len() {
        let (c, n1, n2) = (s[i], at(i + 1), at(i + 2));
        // Every spelling the scanner reads starts with one of these letters.
        if !matches!(c, b'S' | b'C' | b'T' | b'Z' | b'J' | b'D' | b'H' | b'W') {
            i += 1;
            continue;
        }
        let kept_whole = match (c, n1) {
            (b'S' | b'C', b'H') => is_aiuo(n2),
            (b'T', b'S') => n2 == b'U',
            _ => false,
        };
        if kept_whole {
            i += 3;
            continue;
        }
        let rewritten = match (c, n1) {
            (b'S' | b'T' | b'C' | b'Z' | b'J' | b'D', b'Y') => is_auo(n2),
            (b'S' | b'T' | b'Z' | b'D', b'I') | (b'T' | b'H' | b'D', b'U') | (b'W', b'O') => true,
            _ => false,
        };
        if rewritten {
            return true;
        }
        i += 1;
    }
    false
}

/// Rules 4–10's triggers.
fn pair_rules_would_change(s: &[u8]) -> bool {
    let consonant_or_end = |k: usize| k >= s.len() || !is_vowel_or_y(s[k]);
    for k in 0..s.len().saturating_sub(1) {
        // Every trigger starts with one of these letters.
        if !matches!(s[k], b'C' | b'M' | b'O' | b'U' | b'N') {
            continue;
        }
        let triggered = match (s[k], s[k + 1]) {
            // Rule 4: a run of C/T before H longer than "TC".
            (b'C', b'H') => {
                k > 0
                    && matches!(s[k - 1], b'C' | b'T')
                    && (s[k - 1] == b'C' || (k > 1 && matches!(s[k - 2], b'C' | b'T')))
            }
            (b'M', b'B' | b'M' | b'P') | (b'O', b'U') | (b'U', b'U') => true,
            (b'N', b'N') | (b'O', b'H') => consonant_or_end(k + 2),
            (b'O', b'O') => k + 2 != s.len(),
            _ => false,
        };
        if triggered {
            return true;
        }
    }
    false
}

/// Letters rule 11 collapses when doubled: the vowels and
/// B D F G H J K L M P R S T Z.
pub(crate) fn collapses_when_doubled(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'B' | b'D' | b'F' | b'G' | b'H' | b'J' | b'K' | b'L' | b'M')
        || matches!(b, b'P' | b'R' | b'S' | b'T' | b'Z')
}

/// Rule 11's triggers: a doubled vowel or consonant, TCH, V, L (one pass).
fn would_change_loose(s: &[u8]) -> bool {
    for (i, &b) in s.iter().enumerate() {
        let next = s.get(i + 1).copied();
        if matches!(b, b'V' | b'L')
            || (next == Some(b) && collapses_when_doubled(b))
            || (b == b'T' && next == Some(b'C') && s.get(i + 2) == Some(&b'H'))
        {
            return true;
        }
    }
    false
}

/// Rewrites `cur` left to right into `next` and swaps them: `step` writes
/// the output for position `i` and returns how many bytes it consumed.
#[inline]
fn sweep(cur: &mut Vec<u8>, next: &mut Vec<u8>, mut step: impl FnMut(&[u8], usize, &mut Vec<u8>) -> usize) {
    next.clear();
    let mut i = 0;
    while i < cur.len() {
        i += step(cur, i, next);
    }
    std::mem::swap(cur, next);
}

/// Writes the first byte of `pair` for it when `pair` starts at `i` and
/// `condition` holds (2 bytes consumed); else copies one byte.
#[inline]
fn pair_to_one(s: &[u8], i: usize, out: &mut Vec<u8>, pair: [u8; 2], condition: bool) -> usize {
    if s[i] == pair[0] && s.get(i + 1) == Some(&pair[1]) && condition {
        out.push(pair[0]);
        2
    } else {
        out.push(s[i]);
        1
    }
}

/// One pass of rules 3–11 over `cur`, in place (`next` is scratch). Each
/// rule is one left-to-right sweep, as the reference prototype's regular
/// expressions are. Each sweep is skipped when the letters it rewrites are
/// absent (most keys need only a few of them); skipping changes nothing.
fn fold_once(cur: &mut Vec<u8>, next: &mut Vec<u8>, strength: Strength) {
    scanner_and_tch(cur, next);
    nasals_and_long_vowels(cur, next);
    if strength == Strength::Loose {
        collapse_loose(cur, next);
    }
}

/// Rules 3 (the scanner) and 4 ((C|T)+CH → TCH).
fn scanner_and_tch(cur: &mut Vec<u8>, next: &mut Vec<u8>) {
    if scanner_would_change(cur) {
        sweep(cur, next, |s, i, o| match scan(s, i) {
            Some((consumed, replacement)) => {
                o.extend_from_slice(replacement.as_slice());
                consumed
            }
            None => {
                o.push(s[i]);
                1
            }
        });
    }
    if has_pair(cur, b"CH") {
        sweep(cur, next, |s, i, o| {
            if !matches!(s[i], b'C' | b'T') {
                o.push(s[i]);
                return 1;
            }
            let run_end = i + s[i..].iter().take_while(|b| matches!(b, b'C' | b'T')).count();
            if run_end >= i + 2 && s[run_end - 1] == b'C' && s.get(run_end) == Some(&b'H') {
                o.extend_from_slice(b"TCH");
                return run_end + 1 - i;
            }
            // No TCH here: the whole run stays as it is.
            o.extend_from_slice(&s[i..run_end]);
            run_end - i
        });
    }
}

fn has_pair(cur: &[u8], pair: &[u8; 2]) -> bool {
    cur.windows(2).any(|w| w == pair)
}

/// Rules 5–10, one sweep each in the prototype's order (merging them could
/// reach another fixed point, e.g. on a word-final OOH).
fn nasals_and_long_vowels(cur: &mut Vec<u8>, next: &mut Vec<u8>) {
    let end_or_consonant = |s: &[u8], i: usize| s.get(i).is_none_or(|b| !is_vowel_or_y(*b));
    // Rule 5: M before B, M, P → N.
    if cur.contains(&b'M') {
        sweep(cur, next, |s, i, o| {
            o.push(if s[i] == b'M' && matches!(s.get(i + 1), Some(b'B' | b'M' | b'P')) { b'N' } else { s[i] });
            1
        });
    }
    // Rule 6: NN before a consonant (not Y) or at the end → N.
    if has_pair(cur, b"NN") {
        sweep(cur, next, |s, i, o| pair_to_one(s, i, o, *b"NN", end_or_consonant(s, i + 2)));
    }
    // Rule 7: OH before a consonant or at the end → O.
    if has_pair(cur, b"OH") {
        sweep(cur, next, |s, i, o| pair_to_one(s, i, o, *b"OH", end_or_consonant(s, i + 2)));
    }
    // Rule 8: OU → O.
    if has_pair(cur, b"OU") {
        sweep(cur, next, |s, i, o| pair_to_one(s, i, o, *b"OU", true));
    }
    // Rule 9: OO → O except word-final (MOFA keeps SENOO).
    if has_pair(cur, b"OO") {
        sweep(cur, next, |s, i, o| pair_to_one(s, i, o, *b"OO", i + 2 != s.len()));
    }
    // Rule 10: UU → U.
    if has_pair(cur, b"UU") {
        sweep(cur, next, |s, i, o| pair_to_one(s, i, o, *b"UU", true));
    }
}

/// Rule 11 (the loose key): collapse repeated vowels and doubled
/// consonants, TCH → CH, V → B, L → R.
fn collapse_loose(cur: &mut Vec<u8>, next: &mut Vec<u8>) {
    next.clear();
    let mut i = 0;
    while i < cur.len() {
        let c = cur[i];
        if matches!(c, b'A' | b'E' | b'I' | b'O' | b'U') {
            next.push(c);
            i += cur[i..].iter().take_while(|b| **b == c).count();
        } else if collapses_when_doubled(c) && cur.get(i + 1) == Some(&c) {
            next.push(c);
            i += 2;
        } else if c == b'T' && cur.get(i + 1) == Some(&b'C') && cur.get(i + 2) == Some(&b'H') {
            next.extend_from_slice(b"CH");
            i += 3;
        } else {
            next.push(match c {
                b'V' => b'B',
                b'L' => b'R',
                other => other,
            });
            i += 1;
        }
    }
    std::mem::swap(cur, next);
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn romaji_key(text: &str, strength: Strength) -> String {
        let mut out = String::new();
        fold(text, strength, &mut FoldScratch::default(), &mut out);
        out
    }

    use crate::normalize::hepburn::kana_to_hepburn;

    pub(crate) fn kana_key(kana: &str, strength: Strength) -> String {
        let mut hepburn = String::new();
        let mut katakana = String::new();
        let mut prepared = String::new();
        crate::normalize::text::prepare(kana, &mut String::new(), &mut prepared);
        crate::normalize::kana::to_katakana_key(&prepared, &mut katakana);
        kana_to_hepburn(&katakana, &mut hepburn);
        romaji_key(&hepburn, strength)
    }

    /// MOFA's own passport-Hepburn examples (interscript map
    /// mofa-jpn-Hrkt-Latn-1989, MIT; research notes section 2.3).
    const MOFA: [(&str, &str); 28] = [
        ("なんば", "NAMBA"),
        ("ほんま", "HOMMA"),
        ("さんぺい", "SAMPEI"),
        ("はっとり", "HATTORI"),
        ("きっかわ", "KIKKAWA"),
        ("ほっち", "HOTCHI"),
        ("はっちょう", "HATCHO"),
        ("にいな", "NIINA"),
        ("ニーナ", "NINA"),
        ("しいな", "SHIINA"),
        ("シーナ", "SHINA"),
        ("サリー", "SARI"),
        ("さりい", "SARII"),
        ("ひゅうが", "HYUGA"),
        ("ゆうき", "YUKI"),
        ("ゆうこ", "YUKO"),
        ("こうた", "KOTA"),
        ("ようこ", "YOKO"),
        ("りょうこ", "RYOKO"),
        ("おおの", "ONO"),
        ("おおこうち", "OKOCHI"),
        ("おおにし", "ONISHI"),
        ("せのお", "SENOO"),
        ("たかとお", "TAKATOO"),
        ("よこお", "YOKOO"),
        ("いとう", "ITO"),
        ("たかとう", "TAKATO"),
        ("みそのう", "MISONO"),
    ];

    #[test]
    fn all_28_mofa_passport_examples_agree_with_the_kana_key() {
        let failures: Vec<String> = MOFA
            .iter()
            .filter(|(kana, passport)| kana_key(kana, Strength::Strict) != romaji_key(passport, Strength::Strict))
            .map(|(kana, passport)| {
                format!(
                    "{kana}: {} vs {passport}: {}",
                    kana_key(kana, Strength::Strict),
                    romaji_key(passport, Strength::Strict)
                )
            })
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn hepburn_kunrei_and_passport_spellings_agree() {
        let groups: [&[&str]; 6] = [
            &["OHNO", "ONO", "OONO", "ÔNO", "Ōno", "オーノ", "オオノ"],
            &["SHUICHI", "SYUITI", "SHUUICHI", "シュウイチ"],
            &["HOMMA", "HONMA", "ホンマ"],
            &["ITCHI", "ICCHI", "ITTCHI", "ITTI", "イッチ"],
            &["JUNICHI", "JUN'ICHI", "JUN-ICHI", "ジュンイチ"],
            &["TSUYOSHI", "TUYOSI", "ツヨシ"],
        ];
        for group in groups {
            let keys: Vec<String> = group
                .iter()
                .map(|s| {
                    if s.is_ascii() || s.starts_with(['Ô', 'Ō']) {
                        romaji_key(s, Strength::Strict)
                    } else {
                        kana_key(s, Strength::Strict)
                    }
                })
                .collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{group:?} -> {keys:?}");
        }
    }

    #[test]
    fn loose_key_collapses_doubles_and_foreign_sounds() {
        assert_eq!(romaji_key("HATTORI", Strength::Loose), romaji_key("HATORI", Strength::Loose));
        assert_eq!(romaji_key("EIICHI", Strength::Loose), romaji_key("EICHI", Strength::Loose));
        assert_eq!(romaji_key("VAIORIN", Strength::Loose), "BAIORIN");
        assert_ne!(romaji_key("HATTORI", Strength::Strict), romaji_key("HATORI", Strength::Strict));
    }

    /// Differential test against the reading/romaji pairs of
    /// japanese-personal-name-dataset (fixtures/normalize/romaji_names.tsv).
    #[test]
    fn kana_and_dataset_romaji_agree_on_the_loose_key() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/normalize/romaji_names.tsv");
        let text = std::fs::read_to_string(path).expect("romaji_names.tsv");
        let (mut pairs, mut loose_agree, mut strict_agree) = (0usize, 0usize, 0usize);
        let mut disagreements = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (_kind, reading, romaji) = (fields.next(), fields.next().unwrap(), fields.next().unwrap());
            pairs += 1;
            if kana_key(reading, Strength::Strict) == romaji_key(romaji, Strength::Strict) {
                strict_agree += 1;
            }
            if kana_key(reading, Strength::Loose) == romaji_key(romaji, Strength::Loose) {
                loose_agree += 1;
            } else {
                disagreements.push(format!("{reading} {romaji}"));
            }
        }
        assert_eq!(pairs, 11_462);
        let loose_rate = loose_agree as f64 / pairs as f64;
        println!(
            "romaji differential: {pairs} pairs, loose agreement {loose_agree} ({:.4}%), strict {strict_agree} ({:.4}%); loose disagreements: {disagreements:?}",
            100.0 * loose_rate,
            100.0 * strict_agree as f64 / pairs as f64
        );
        assert!(loose_rate >= 0.999, "loose agreement {loose_rate}: {disagreements:?}");
    }

    #[test]
    fn ohashi_keeps_its_h_and_kanno_its_double_n() {
        assert_eq!(romaji_key("OHASHI", Strength::Strict), "OHASHI");
        assert_eq!(romaji_key("KANNO", Strength::Strict), "KANNO");
        assert_eq!(romaji_key("HONNDA", Strength::Strict), "HONDA");
    }
}
