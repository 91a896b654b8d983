//! Kana names written without a space, split where the row's kanji name
//! says their parts meet, or without a kanji name where the reading tables
//! read one surname and one given name (see [`split_kana_by_kanji`]).
//!
//! Invariant: only a kana name without a split is changed, and only its
//! given-name offset and romaji keys (its katakana keys hold no
//! separator); a cut the readings cannot place leaves it whole.

use super::{leaves_sokuon_pending, KanaName, KanjiName, NameOrder, NameScratch};
use crate::normalize::part_memo::PartText;
use crate::normalize::readings::{self, KanaCut};
use crate::normalize::Scratch;

/// Splits the keys of a kana name written without a space where the row's
/// kanji name says its parts meet (ウエノイサヒコ beside 上埜 勇彦 as ウエノ
/// イサヒコ; `readings::kana_cut`), so that the name has parts: the surname
/// and given-name keys that find a typo in the other part, and the part
/// comparisons that tell a household's members apart. Without them such a
/// row with a typo in its kana (ヨコヤマカハミ for 横山 香貴美) shared no
/// name key with its person's other rows. Returns whether it split.
///
/// The readings are loose keys, which fold a long vowel: サト and サトウ
/// both read SATO, ヤマダ and ヤマダア both YAMADA. When more than one cut
/// reads as the placed part, the other part decides: the cut whose other
/// part is fewest edits from a known reading of the kanji's other part
/// (サトウ|ハナコ for 佐藤 花子, ヤマダ|アリサシ for 山田 有年, not ヤマダア|リサシ);
/// a tie, or an other part the tables do not know, leaves the name whole.
///
/// A kana name without a kanji name beside it is split by the tables
/// alone, and only where one cut makes a surname in common use and then a
/// given name in common use (`readings::kana_cut_by_kinds`: ヤマダタロウ as
/// ヤマダ タロウ): with no kanji to place it, a typo is not guessed at.
pub fn split_kana_by_kanji(kanji: &KanjiName, scratch: &mut Scratch, out: &mut KanaName) -> bool {
    if out.given_start != 0 || out.romaji.order != NameOrder::Unsplit || out.strict.is_empty() {
        return false;
    }
    if kanji.strict.is_empty() {
        let Some(at) = readings::kana_cut_by_kinds(&out.strict) else {
            return false;
        };
        return split_at(at, scratch, out);
    }
    let whole = &out.romaji.loose;
    let Some(placed) = readings::kana_cut(&kanji.strict, kanji.given_start, whole) else {
        return false;
    };
    let (placed_key, surname_placed, other_kanji) = match placed {
        KanaCut::Surname { len, kanji_cut } => (&whole[..len], true, &kanji.strict[kanji_cut..]),
        KanaCut::Given { len, kanji_cut } => (&whole[whole.len() - len..], false, &kanji.strict[..kanji_cut]),
    };
    let NameScratch { memo, fold, .. } = &mut scratch.names;
    let kana = &out.strict;
    // (cut, its other part's distance to the kanji's) of the best cut, and
    // whether another is as near.
    let (mut best, mut tied) = (None::<(usize, usize)>, false);
    for (at, _) in kana.char_indices().skip(1) {
        let (placed_kana, other_kana) =
            if surname_placed { (&kana[..at], &kana[at..]) } else { (&kana[at..], &kana[..at]) };
        if memo.keys(placed_kana, PartText::Kana, fold).loose != placed_key {
            continue;
        }
        let other = memo.keys(other_kana, PartText::Kana, fold).loose;
        let distance = readings::reading_distance(other_kanji, !surname_placed, other).unwrap_or(usize::MAX);
        match best {
            Some((_, nearest)) if distance > nearest => {}
            Some((_, nearest)) if distance == nearest => tied = true,
            _ => (best, tied) = (Some((at, distance)), false),
        }
    }
    let Some((at, _)) = best.filter(|_| !tied) else {
        return false;
    };
    split_at(at, scratch, out)
}

/// Splits `out`'s keys at byte `at` of its katakana key (not after a ッ,
/// which the romaji reads into the next part's consonant).
fn split_at(at: usize, scratch: &mut Scratch, out: &mut KanaName) -> bool {
    if leaves_sokuon_pending(&out.strict[..at]) {
        return false;
    }
    // The katakana keys hold no separator: only where the given name
    // starts, and the romaji keys read in two parts, change.
    out.given_start = at;
    let (surname, given) = out.strict.split_at(at);
    out.romaji.fill((surname, given), NameOrder::SurnameFirst, PartText::Kana, &mut scratch.names);
    true
}
