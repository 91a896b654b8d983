//! Kana → Hepburn, by a plain table (research notes section 2.3): the first
//! half of the romaji key; `romaji.rs` folds the result.
//!
//! Invariant: only the kana→romaji direction exists here; the output is
//! upper-case ASCII letters and spaces (kept as part separators).

use super::text::is_dash;

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
        let small_follows =
            chars.peek().is_some_and(|n| matches!(n, 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ャ' | 'ュ' | 'ョ'));
        let syllable = match chars.peek().filter(|_| small_follows).and_then(|&next| digraph(c, next)) {
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
