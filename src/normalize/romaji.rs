//! The romaji match key (research notes section 2.3, Appendix A).
//!
//! Kana become Hepburn through a plain table, in the kana→romaji direction
//! only (romaji is never turned into kana: IME conventions read `homma` as
//! ほっま). Any romaji, kana-derived or typed, then goes through one shared
//! fold so that Hepburn, passport Hepburn and Kunrei spellings agree:
//! OHNO = ONO = OONO, SHUICHI = SYUITI, HOMMA = HONMA, ITCHI = ICCHI.
//!
//! The strict key keeps doubled vowels and consonants; the loose key also
//! collapses them and folds TCH→CH, V→B, L→R. Treat a key match as evidence,
//! not identity: 大内 OUCHI and 越智 OCHI share a key.
//!
//! Invariant: keys contain only A–Z, and folding a key again changes nothing
//! (the fold runs to its fixed point).

use unicode_normalization::UnicodeNormalization;

use super::text::is_dash;

/// Strict or loose folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    Strict,
    Loose,
}

fn mono(c: char) -> Option<&'static str> {
    Some(match c {
        'ア' => "A",
        'イ' => "I",
        'ウ' => "U",
        'エ' => "E",
        'オ' => "O",
        'カ' => "KA",
        'キ' => "KI",
        'ク' => "KU",
        'ケ' => "KE",
        'コ' => "KO",
        'サ' => "SA",
        'シ' => "SHI",
        'ス' => "SU",
        'セ' => "SE",
        'ソ' => "SO",
        'タ' => "TA",
        'チ' => "CHI",
        'ツ' => "TSU",
        'テ' => "TE",
        'ト' => "TO",
        'ナ' => "NA",
        'ニ' => "NI",
        'ヌ' => "NU",
        'ネ' => "NE",
        'ノ' => "NO",
        'ハ' => "HA",
        'ヒ' => "HI",
        'フ' => "FU",
        'ヘ' => "HE",
        'ホ' => "HO",
        'マ' => "MA",
        'ミ' => "MI",
        'ム' => "MU",
        'メ' => "ME",
        'モ' => "MO",
        'ヤ' => "YA",
        'ユ' => "YU",
        'ヨ' => "YO",
        'ラ' => "RA",
        'リ' => "RI",
        'ル' => "RU",
        'レ' => "RE",
        'ロ' => "RO",
        'ワ' => "WA",
        'ヰ' => "I",
        'ヱ' => "E",
        'ヲ' => "O",
        'ガ' => "GA",
        'ギ' => "GI",
        'グ' => "GU",
        'ゲ' => "GE",
        'ゴ' => "GO",
        'ザ' => "ZA",
        'ジ' => "JI",
        'ズ' => "ZU",
        'ゼ' => "ZE",
        'ゾ' => "ZO",
        'ダ' => "DA",
        'ヂ' => "JI",
        'ヅ' => "ZU",
        'デ' => "DE",
        'ド' => "DO",
        'バ' => "BA",
        'ビ' => "BI",
        'ブ' => "BU",
        'ベ' => "BE",
        'ボ' => "BO",
        'パ' => "PA",
        'ピ' => "PI",
        'プ' => "PU",
        'ペ' => "PE",
        'ポ' => "PO",
        'ヴ' => "VU",
        'ァ' => "A",
        'ィ' => "I",
        'ゥ' => "U",
        'ェ' => "E",
        'ォ' => "O",
        'ャ' => "YA",
        'ュ' => "YU",
        'ョ' => "YO",
        'ヮ' => "WA",
        'ヵ' => "KA",
        'ヶ' => "KE",
        _ => return None,
    })
}

fn digraph(first: char, small: char) -> Option<&'static str> {
    let y = |ya: &'static str, yu: &'static str, yo: &'static str| match small {
        'ャ' => Some(ya),
        'ュ' => Some(yu),
        'ョ' => Some(yo),
        _ => None,
    };
    match first {
        'キ' => y("KYA", "KYU", "KYO"),
        'ギ' => y("GYA", "GYU", "GYO"),
        'シ' => y("SHA", "SHU", "SHO").or(if small == 'ェ' { Some("SHE") } else { None }),
        'ジ' | 'ヂ' => y("JA", "JU", "JO").or(if small == 'ェ' { Some("JE") } else { None }),
        'チ' => y("CHA", "CHU", "CHO").or(if small == 'ェ' { Some("CHE") } else { None }),
        'ニ' => y("NYA", "NYU", "NYO"),
        'ヒ' => y("HYA", "HYU", "HYO"),
        'ビ' => y("BYA", "BYU", "BYO"),
        'ピ' => y("PYA", "PYU", "PYO"),
        'ミ' => y("MYA", "MYU", "MYO"),
        'リ' => y("RYA", "RYU", "RYO"),
        'フ' => match small {
            'ァ' => Some("FA"),
            'ィ' => Some("FI"),
            'ェ' => Some("FE"),
            'ォ' => Some("FO"),
            _ => None,
        },
        'ヴ' => match small {
            'ァ' => Some("VA"),
            'ィ' => Some("VI"),
            'ェ' => Some("VE"),
            'ォ' => Some("VO"),
            _ => None,
        },
        'ウ' => match small {
            'ィ' => Some("WI"),
            'ェ' => Some("WE"),
            'ォ' => Some("WO"),
            _ => None,
        },
        'テ' if small == 'ィ' => Some("TI"),
        'デ' if small == 'ィ' => Some("DI"),
        'デ' if small == 'ュ' => Some("DYU"),
        'ト' if small == 'ゥ' => Some("TU"),
        'ド' if small == 'ゥ' => Some("DU"),
        'イ' if small == 'ェ' => Some("YE"),
        _ => None,
    }
}

/// Appends the Hepburn romanization (upper case) of katakana `kana` to
/// `out`. ン is always N (the fold handles M), ッ doubles the next consonant
/// (T before CH), the long-vowel mark and dashes are dropped (MOFA: ニーナ =
/// NINA), spaces are kept as separators, anything else is dropped.
pub fn kana_to_hepburn(kana: &str, out: &mut String) {
    let mut chars = kana.chars().peekable();
    let mut sokuon = false;
    while let Some(c) = chars.next() {
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
                ' ' => {
                    out.push(' ');
                    sokuon = false;
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

/// Kunrei/Nihon-shiki and wapuro spellings → Hepburn, longest match first.
const SCAN: [(&str, &str); 35] = [
    ("SHI", "SHI"),
    ("CHI", "CHI"),
    ("TSU", "TSU"),
    ("SHA", "SHA"),
    ("SHU", "SHU"),
    ("SHO", "SHO"),
    ("CHA", "CHA"),
    ("CHU", "CHU"),
    ("CHO", "CHO"),
    ("SYA", "SHA"),
    ("SYU", "SHU"),
    ("SYO", "SHO"),
    ("TYA", "CHA"),
    ("TYU", "CHU"),
    ("TYO", "CHO"),
    ("CYA", "CHA"),
    ("CYU", "CHU"),
    ("CYO", "CHO"),
    ("ZYA", "JA"),
    ("ZYU", "JU"),
    ("ZYO", "JO"),
    ("JYA", "JA"),
    ("JYU", "JU"),
    ("JYO", "JO"),
    ("DYA", "JA"),
    ("DYU", "JU"),
    ("DYO", "JO"),
    ("SI", "SHI"),
    ("TI", "CHI"),
    ("TU", "TSU"),
    ("HU", "FU"),
    ("ZI", "JI"),
    ("DI", "JI"),
    ("DU", "ZU"),
    ("WO", "O"),
];

fn is_vowel_or_y(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// Reusable buffers for [`fold`].
#[derive(Debug, Default)]
pub struct FoldScratch {
    key: Vec<u8>,
    previous: Vec<u8>,
    temp: Vec<u8>,
}

/// Appends the match key of any romaji text to `out` (A–Z only).
pub fn fold(text: &str, strength: Strength, scratch: &mut FoldScratch, out: &mut String) {
    let FoldScratch { key, previous, temp } = scratch;
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
    // (a single pass leaves e.g. OUU → OU, which folds again to O).
    for _ in 0..8 {
        previous.clear();
        previous.extend_from_slice(key);
        fold_once(key, temp, strength);
        if key == previous {
            break;
        }
    }
    // Only ASCII letters were pushed, so this cannot fail.
    out.push_str(std::str::from_utf8(key).unwrap_or_default());
}

/// One rewriting step at position `i` of the input: pushes its output and
/// returns how many input bytes it consumed.
type Step<'a> = &'a dyn Fn(&[u8], usize, &mut Vec<u8>) -> usize;

/// One pass of rules 3–11 over `cur`, in place (`next` is scratch).
fn fold_once(cur: &mut Vec<u8>, next: &mut Vec<u8>, strength: Strength) {
    let pass = |cur: &mut Vec<u8>, next: &mut Vec<u8>, step: Step<'_>| {
        next.clear();
        let mut i = 0;
        while i < cur.len() {
            i += step(cur, i, next);
        }
        std::mem::swap(cur, next);
    };
    // Rule 3: the scanner.
    pass(cur, next, &|s, i, o| {
        for (pattern, replacement) in SCAN {
            if s[i..].starts_with(pattern.as_bytes()) {
                o.extend_from_slice(replacement.as_bytes());
                return pattern.len();
            }
        }
        o.push(s[i]);
        1
    });
    // Rule 4: (C|T)+CH → TCH.
    pass(cur, next, &|s, i, o| {
        let run_end = i + s[i..].iter().take_while(|b| matches!(b, b'C' | b'T')).count();
        if run_end >= i + 2 && s[run_end - 1] == b'C' && s.get(run_end) == Some(&b'H') {
            o.extend_from_slice(b"TCH");
            return run_end + 1 - i;
        }
        o.push(s[i]);
        1
    });
    // Rule 5: M before B, M, P → N.
    pass(cur, next, &|s, i, o| {
        let before_labial = matches!(s.get(i + 1), Some(b'B' | b'M' | b'P'));
        o.push(if s[i] == b'M' && before_labial { b'N' } else { s[i] });
        1
    });
    // Rule 6: NN before a consonant (not Y) or at the end → N.
    pass(cur, next, &|s, i, o| {
        if s[i..].starts_with(b"NN") && s.get(i + 2).is_none_or(|b| !is_vowel_or_y(*b)) {
            o.push(b'N');
            return 2;
        }
        o.push(s[i]);
        1
    });
    // Rule 7: OH before a consonant or at the end → O.
    pass(cur, next, &|s, i, o| {
        if s[i..].starts_with(b"OH") && s.get(i + 2).is_none_or(|b| !is_vowel_or_y(*b)) {
            o.push(b'O');
            return 2;
        }
        o.push(s[i]);
        1
    });
    // Rules 8–10: OU → O; OO → O except word-final (SENOO); UU → U.
    pass(cur, next, &|s, i, o| {
        if s[i..].starts_with(b"OU") || s[i..].starts_with(b"UU") || (s[i..].starts_with(b"OO") && i + 2 != s.len()) {
            o.push(s[i]);
            return 2;
        }
        o.push(s[i]);
        1
    });
    if strength == Strength::Loose {
        // Rule 11: collapse repeated vowels and doubled consonants, TCH → CH,
        // V → B, L → R.
        pass(cur, next, &|s, i, o| {
            let c = s[i];
            if matches!(c, b'A' | b'E' | b'I' | b'O' | b'U') {
                o.push(c);
                return s[i..].iter().take_while(|b| **b == c).count();
            }
            if b"BDFGHJKLMPRSTZ".contains(&c) && s.get(i + 1) == Some(&c) {
                o.push(c);
                return 2;
            }
            if s[i..].starts_with(b"TCH") {
                o.extend_from_slice(b"CH");
                return 3;
            }
            o.push(match c {
                b'V' => b'B',
                b'L' => b'R',
                other => other,
            });
            1
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn romaji_key(text: &str, strength: Strength) -> String {
        let mut out = String::new();
        fold(text, strength, &mut FoldScratch::default(), &mut out);
        out
    }

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

    #[test]
    fn ohashi_keeps_its_h_and_kanno_its_double_n() {
        assert_eq!(romaji_key("OHASHI", Strength::Strict), "OHASHI");
        assert_eq!(romaji_key("KANNO", Strength::Strict), "KANNO");
        assert_eq!(romaji_key("HONNDA", Strength::Strict), "HONDA");
    }
}
