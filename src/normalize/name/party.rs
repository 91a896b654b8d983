//! A group booking's "and others" after the name it is made under
//! (`山田太郎 他2名`): a note, not the name, taken off before the name is
//! keyed (kanji and kana columns alike).

use super::{is_separator, without_trailing_honorifics};
use crate::normalize::text::is_kanji_numeral;

/// "And others" (他, 外, ほか) after the name a booking is made under,
/// with a count of persons (`山田太郎 他2名`, `山田太郎外三名様`, `ほか1人`,
/// `ヤマダ タロウ ホカ2メイ` in the kana column),
/// or without one when written apart (`山田 太郎 他`): a group booking's
/// note, not the name. Kept, it made the key 山田太郎他2名, another person's.
/// 外 alone is no note: a name may end in it (森 鴎外).
const PARTY_WORDS: [&str; 4] = ["他", "外", "ほか", "ホカ"];
/// The counters after a party note's count, in kanji and as a kana column
/// reads them (`ホカ2メイ`).
const PARTY_COUNTERS: [&str; 6] = ["名", "人", "メイ", "めい", "ニン", "にん"];

/// The length of `text` without a party note after the name
/// ([`PARTY_WORDS`]); `None` when there is none or nothing would be left.
pub(super) fn without_party_note(text: &str) -> Option<usize> {
    let text = without_trailing_honorifics(text, is_separator);
    let name = match PARTY_COUNTERS.iter().find_map(|counter| text.strip_suffix(counter)) {
        Some(counted) => {
            let counted = counted.trim_end_matches(is_separator);
            let word = counted.trim_end_matches(|c: char| c.is_ascii_digit() || is_kanji_numeral(c));
            if word.len() == counted.len() {
                return None;
            }
            PARTY_WORDS.iter().find_map(|w| word.trim_end_matches(is_separator).strip_suffix(w))?
        }
        None => PARTY_WORDS
            .iter()
            .filter(|w| **w != "外")
            .find_map(|w| text.strip_suffix(w))
            .filter(|name| name.ends_with(is_separator))?,
    };
    let name = name.trim_end_matches(is_separator);
    (!name.is_empty()).then_some(name.len())
}
