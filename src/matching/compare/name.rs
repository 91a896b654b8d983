//! Name comparisons: the whole name (kanji, romaji keys from kana and
//! romaji, readings of a kanji-only name) and its surname and given-name
//! parts, into the graded levels of `levels.rs`.
//!
//! Invariant: every comparison here is symmetric; a name one side lacks,
//! or written in no script the other shares, is no evidence (`missing`,
//! `no_common_script`), never `different`.

use std::cell::RefCell;

use super::{NameLevel, PartLevel};
use crate::normalize::hepburn::vowel_of;
use crate::normalize::kana::is_katakana;
use crate::normalize::name::{NameOrder, RomajiName};
use crate::normalize::readings::{self, ReadingMatch, WholeNameKeys};
use crate::normalize::romaji::{fold, FoldScratch, Strength};
use crate::normalize::RecordView;

mod parts;

pub(super) use self::parts::compare_parts;
pub use self::parts::{given_names_differ, name_part, Parts};

/// Jaro–Winkler similarity above which two name keys count as similar.
pub const NAME_SIMILARITY_THRESHOLD: f64 = 0.92;

fn similar(a: &str, b: &str) -> bool {
    jaro_winkler(a, b) >= NAME_SIMILARITY_THRESHOLD
}

/// Jaro–Winkler similarity (prefix weight 0.1 over at most four
/// characters, the bonus above 0.7: Winkler's definition). rapidfuzz
/// computes it bit-parallel without allocating, about twice as fast as
/// strsim with the same values; keys are mostly ASCII, whose bytes are
/// their characters.
pub(super) fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        rapidfuzz::distance::jaro_winkler::similarity(a.bytes(), b.bytes())
    } else {
        rapidfuzz::distance::jaro_winkler::similarity(a.chars(), b.chars())
    }
}

/// Whether the Levenshtein distance in characters is at most `limit`
/// (rapidfuzz stops once it is exceeded).
pub(super) fn within_edits(a: &str, b: &str, limit: usize) -> bool {
    let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(limit);
    if a.is_ascii() && b.is_ascii() {
        rapidfuzz::distance::levenshtein::distance_with_args(a.bytes(), b.bytes(), &args).is_some()
    } else {
        rapidfuzz::distance::levenshtein::distance_with_args(a.chars(), b.chars(), &args).is_some()
    }
}

/// A name part one kana typo away: Jaro–Winkler is too harsh on short
/// parts (MEGUMU and NAGUMU are one kana apart, Jaro–Winkler 0.78), so two
/// edits on parts of four letters or more, three on parts of seven or
/// more, also count as similar.
fn close_spelling(a: &str, b: &str) -> bool {
    allowed_edits(a, b).is_some_and(|allowed| within_edits(a, b, allowed))
}

/// The edits [`close_spelling`] allows between two parts, none when the
/// shorter has under four letters.
fn allowed_edits(a: &str, b: &str) -> Option<usize> {
    let shorter = a.len().min(b.len());
    // One kana is up to three letters (シ SHI, ツ TSU): three edits on long
    // parts (TATSUNDO, TAHANDO).
    (shorter >= 4).then_some(if shorter >= 7 { 3 } else { 2 })
}

/// Largest Jaro–Winkler prefix bonus: 0.1 a letter over at most four.
const MAX_PREFIX_BONUS: f64 = 0.4;

/// Whether [`similar`] or [`close_spelling`] can hold, from the letters
/// the two parts share (as a multiset) and their lengths alone: false is
/// sure, true is "compare". Most parts a booking's candidates are scored
/// on are another person's (a resident of the same address, a twin), and
/// this answers them without Jaro–Winkler and Levenshtein (together 6.6%
/// of a run at 8,000,000 persons in `perf`, nearly all of it here).
///
/// Bounds, with `c` the shared letters: Jaro matches at most `c`
/// letters, so Jaro ≤ (c/|x| + c/|y| + 1)/3, and Jaro–Winkler adds at most
/// [`MAX_PREFIX_BONUS`] of the rest; an alignment keeps at most `c`
/// letters, so Levenshtein ≥ max(|x|, |y|) − c. Parts not in ASCII are
/// always compared (the bound counts bytes).
fn may_be_close(x: &str, y: &str) -> bool {
    // Counts are bytes: a part longer than a byte counts is compared.
    if !(x.is_ascii() && y.is_ascii()) || x.is_empty() || y.is_empty() || x.len() > usize::from(u8::MAX) {
        return true;
    }
    // Letters counted by their low five bits (A–Z apart; another byte may
    // share a count with a letter, which can only raise `shared`, so the
    // bound stays a bound).
    let bucket = |letter: u8| usize::from(letter & 31);
    let mut counts = [0u8; 32];
    for &letter in x.as_bytes() {
        counts[bucket(letter)] += 1;
    }
    let mut shared = 0usize;
    for &letter in y.as_bytes() {
        let count = &mut counts[bucket(letter)];
        if *count > 0 {
            *count -= 1;
            shared += 1;
        }
    }
    if allowed_edits(x, y).is_some_and(|allowed| x.len().max(y.len()) - shared <= allowed) {
        return true;
    }
    let (c, lx, ly) = (shared as f64, x.len() as f64, y.len() as f64);
    let jaro_bound = (c / lx + c / ly + 1.0) / 3.0;
    // A hair of slack: the bound must never fall under a value the exact
    // computation reaches by rounding.
    jaro_bound + MAX_PREFIX_BONUS * (1.0 - jaro_bound) + 1e-9 >= NAME_SIMILARITY_THRESHOLD
}

/// Whole-name similarity: Jaro–Winkler read forwards and backwards must
/// both pass. Forwards alone rewards a shared surname (YAMADATARO and
/// YAMADAHANAKO share six leading letters); a typo keeps both directions
/// close, another given name does not.
fn similar_both_ways(a: &str, b: &str) -> bool {
    // Keys are A–Z only, so reversing bytes reverses characters.
    similar(a, b)
        && rapidfuzz::distance::jaro_winkler::similarity(a.bytes().rev(), b.bytes().rev()) >= NAME_SIMILARITY_THRESHOLD
}

/// The romaji keys a record's name can be read as (strict, then loose).
fn name_keys<'a>(r: &RecordView<'a>) -> ([&'a str; 2], [&'a str; 3]) {
    let kana = &r.name_kana.romaji;
    let romaji = &r.name_romaji.romaji;
    ([kana.strict, romaji.strict], [kana.loose, romaji.loose, romaji.swapped_loose])
}

/// Whether `a`'s romaji name, written in an unknown order (`NAOKI ABE`:
/// two words and a space), read the other way round is one of `b`'s
/// strict keys exactly. The order is unknown, not wrong: the swap is the
/// same name read as its writer meant it, as good as an exact match (a
/// person whose surname is another's given name and whose given name is
/// that one's surname is no likelier than a namesake), not the looser
/// agreement of `loose_exact` (long vowels, small kana) it was graded as.
/// Compared in place: the swapped key is the given-name key, then the
/// surname key.
///
/// A kana name written in two parts is read the other way round too: a
/// row may write it given name first (ヒデツナ オオキ) where the reading
/// tables cannot tell (both parts are surnames and given names in use), as
/// a romaji name in unknown order may.
fn swapped_strict_equal(a: &RecordView<'_>, b: &[&str; 2]) -> bool {
    let (romaji, kana) = (&a.name_romaji.romaji, &a.name_kana.romaji);
    let swapped_is = |first: &str, rest: &str| b.iter().any(|key| is_turned_round((first, rest), key));
    (romaji.order == NameOrder::Ambiguous && swapped_is(romaji.surname, romaji.given))
        || (kana.order == NameOrder::SurnameFirst && swapped_is(kana.surname, kana.given))
}

/// Whether `key` is the two parts `(first, rest)`, both given, the other
/// way round: `rest` then `first`.
fn is_turned_round((first, rest): (&str, &str), key: &str) -> bool {
    !first.is_empty()
        && !rest.is_empty()
        && key.len() == first.len() + rest.len()
        && key.starts_with(rest)
        && key.ends_with(first)
}

/// Whether two kanji names are one name, one of them written in two parts
/// and the other its parts the other way round (秀松 東 against 東 秀松):
/// a name written given name first whose order the reading tables could
/// not tell (東 is a surname and a given name in common use), against the
/// same name written surname first. As with a romaji name read the other
/// way round ([`swapped_strict_equal`]), the same name in another order is
/// exact agreement: a person whose surname is another's given name and
/// whose given name is that one's surname is no likelier than a namesake.
fn kanji_swapped_equal(a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    let swapped_is = |x: &RecordView<'_>, y: &str| {
        let (key, cut) = (x.name_kanji.strict, usize::from(x.name_kanji.given_start));
        key.is_char_boundary(cut) && is_turned_round(key.split_at(cut), y)
    };
    swapped_is(a, b.name_kanji.strict) || swapped_is(b, a.name_kanji.strict)
}

fn any_equal(a: &[&str], b: &[&str]) -> bool {
    a.iter().filter(|x| !x.is_empty()).any(|x| b.contains(x))
}

/// A kanji-only name against a reading whose surname alone the readings
/// table can read, and agrees (its given name is unusual): the surname
/// comparison agrees, the given name stays not comparable.
pub(super) fn surname_reading_agrees(a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    let (kanji, reading) = if a.name_kanji.strict.is_empty() { (b, a) } else { (a, b) };
    readings::only_surname_agrees(kanji, reading)
}

/// Whether a record gives a name in any script (a kanji key or a reading).
pub fn has_name(r: &RecordView<'_>) -> bool {
    !r.name_kanji.strict.is_empty() || has_reading(r)
}

/// Readings of a kanji name tried for a handle ([`is_name_handle`]): the
/// likelier come first, and a handle is the name as its owner reads it.
const HANDLE_READINGS: usize = 16;

/// Whether an email's local part is a whole name of one of the two
/// records and nothing else: the letters of its romaji name in either
/// order (taro.yamada, yamada_taro, satou.kenichi for サトウ ケンイチ), or
/// of a reading of its kanji name when neither row gives a reading, no
/// digit. Such a handle is what every namesake would choose: found at two
/// providers beside a name that agrees, it says nothing the name did not.
pub(super) fn is_name_handle(local: &str, a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    thread_local! {
        /// Reused by every comparison on the thread (a pair whose local
        /// parts agree is rare, but a hot loop allocates nothing).
        static FOLD: RefCell<(FoldScratch, String, WholeNameKeys)> = RefCell::default();
    }
    if local.bytes().any(|c| c.is_ascii_digit()) {
        return false;
    }
    FOLD.with_borrow_mut(|(scratch, key, readings)| {
        key.clear();
        fold(local, Strength::Loose, scratch, key);
        if key.is_empty() {
            return false;
        }
        if [a, b].iter().any(|r| name_keys(r).1.iter().any(|whole| is_rotation(whole, key))) {
            return true;
        }
        !has_reading(a)
            && !has_reading(b)
            && [a, b].iter().any(|r| {
                readings.fill(r.name_kanji.strict, HANDLE_READINGS);
                readings.keys().iter().any(|whole| is_rotation(whole, key))
            })
    })
}

/// Whether `key` is `whole` read from some letter on and round again
/// (TAROYAMADA of YAMADATARO): a whole name with its parts in either order,
/// without knowing where one part ends.
fn is_rotation(whole: &str, key: &str) -> bool {
    let (whole, key) = (whole.as_bytes(), key.as_bytes());
    whole.len() == key.len()
        && (0..whole.len()).any(|at| key[..whole.len() - at] == whole[at..] && key[whole.len() - at..] == whole[..at])
}

/// Whether a record gives its name in kana or romaji (a reading).
pub fn has_reading(r: &RecordView<'_>) -> bool {
    let (_, loose) = name_keys(r);
    loose.iter().any(|k| !k.is_empty())
}

/// `kanji_different` when both rows give kanji names that differ (and no
/// reading agrees exactly): stronger evidence than readings that differ,
/// which may be a kana typo.
///
/// `parts` are the surname and given-name levels. The whole names are
/// "similar" when both parts are at least similar; without parts on both
/// sides, when Jaro–Winkler finds the keys close read forwards and
/// backwards, or the kana are one kana apart. Never when both rows give
/// kanji names that differ (太郎 and 次郎 read one kana apart), nor when
/// the given names differ (a shared surname is the long common prefix
/// Jaro–Winkler rewards: 山田太郎 and 山田花子).
pub(super) fn compare_name(a: &RecordView<'_>, b: &RecordView<'_>, parts: (PartLevel, PartLevel)) -> NameLevel {
    let (a_strict, a_loose) = name_keys(a);
    let (b_strict, b_loose) = name_keys(b);
    let has_reading = |loose: &[&str; 3]| loose.iter().any(|k| !k.is_empty());
    if !has_name(a) || !has_name(b) {
        return NameLevel::Missing;
    }
    // A kanji-only name against a kana- or romaji-only one (幸田 洋子 and
    // コウダ ヨウコ) meets through the readings of the kanji; when those are
    // not known nothing was compared: not comparable is not different.
    let kanji_both = !a.name_kanji.strict.is_empty() && !b.name_kanji.strict.is_empty();
    let readings_both = has_reading(&a_loose) && has_reading(&b_loose);
    if !kanji_both && !readings_both {
        let (kanji, reading) = if a.name_kanji.strict.is_empty() { (b, a) } else { (a, b) };
        // One part's reading agreeing and the other's a typo away is the
        // kana typo two kana rows would call similar, judged the same way.
        let typo = |x: &str, y: &str| part_level(x, y) != PartLevel::Different;
        return match readings::compare(kanji, reading, typo) {
            ReadingMatch::Agrees => NameLevel::ReadingAgrees,
            ReadingMatch::Close => NameLevel::Similar,
            ReadingMatch::Differs => NameLevel::ReadingDiffers,
            ReadingMatch::Unknown => NameLevel::NoCommonScript,
        };
    }
    if kanji_both && (a.name_kanji.strict == b.name_kanji.strict || kanji_swapped_equal(a, b)) {
        return NameLevel::KanjiExact;
    }
    if let Some(level) = kanji_both.then(|| kana_in_kanji_against_reading(a, b)).flatten() {
        return level;
    }
    if any_equal(&a_strict, &b_strict) || swapped_strict_equal(a, &b_strict) || swapped_strict_equal(b, &a_strict) {
        return NameLevel::StrictExact;
    } else if any_equal(&a_loose, &b_loose) || (kanji_both && a.name_kanji.loose == b.name_kanji.loose) {
        return NameLevel::LooseExact;
    }
    if is_one_part_of(a, b) || is_one_part_of(b, a) {
        return NameLevel::Missing;
    }
    let (surname, given) = parts;
    let kanji_differ = kanji_both && a.name_kanji.loose != b.name_kanji.loose;
    let similar_names = if surname == PartLevel::Missing {
        // Without parts the whole names are read as the parts are: close
        // keys, or kana one kana apart (a typo: サトサタユ, サトウタユ).
        let whole_kana_typo = !a.name_kana.loose.is_empty()
            && !b.name_kana.loose.is_empty()
            && one_kana_apart(a.name_kana.loose, b.name_kana.loose);
        whole_kana_typo
            || a_loose
                .iter()
                .filter(|k| !k.is_empty())
                .any(|x| b_loose.iter().filter(|k| !k.is_empty()).any(|y| similar_both_ways(x, y)))
    } else {
        surname <= PartLevel::Similar && given <= PartLevel::Similar
    };
    if kanji_differ {
        NameLevel::KanjiDifferent
    } else if similar_names {
        NameLevel::Similar
    } else {
        own_reading_against_other(a, b).unwrap_or(NameLevel::Different)
    }
}

/// Whether `short`'s name is one part of `long`'s and nothing more: a row
/// that gives the surname alone (山田, ヤマダ, YAMADA: a terse form, a
/// surname column beside an empty given-name column) or the given name
/// alone, against a name in two parts whose part it is. Every script both
/// rows give must agree so (the kanji against the kanji name's parts, each
/// kana or romaji reading of one word against the parts of the other's
/// readings), and at least one must be compared.
///
/// The whole names were then not compared, as a row without a name is not:
/// `missing`, not `different`. Scored `different` (−4 bits), a leak row
/// giving its surname, birth date and phone linked to its own booking
/// only where the contacts outweighed it; the parts alone do not tell a
/// household's members apart (they share the surname), which the rules
/// for a row without a name already weigh. Measured with
/// `scripts/export_artifacts.py` (`surname`: 5% of the leak rows keep
/// their first name part alone) on `generate --persons 20000 --seed 7`:
/// affected F1 0.9835 → 0.9928 with the readings no longer cutting a
/// surname written alone (`readings::kana_cut`); 8 rows of a household's
/// surname, phone and home then joined another member (precision 0.9986 →
/// 0.9981), the price of not calling the part different.
fn is_one_part_of(short: &RecordView<'_>, long: &RecordView<'_>) -> bool {
    let mut compared = false;
    let (short_kanji, long_kanji) = (&short.name_kanji, &long.name_kanji);
    if !short_kanji.strict.is_empty() && !long_kanji.strict.is_empty() {
        let cut = usize::from(long_kanji.given_start);
        if short_kanji.given_start != 0 || cut == 0 || !long_kanji.strict.is_char_boundary(cut) {
            return false;
        }
        let (surname, given) = long_kanji.strict.split_at(cut);
        if short_kanji.strict != surname && short_kanji.strict != given {
            return false;
        }
        compared = true;
    }
    let long_parts = [&long.name_kana.romaji, &long.name_romaji.romaji]
        .map(|n| (n.order != NameOrder::Unsplit && !n.surname.is_empty() && !n.given.is_empty()).then_some(n));
    for reading in [&short.name_kana.romaji, &short.name_romaji.romaji] {
        if reading.strict.is_empty() || long_parts.iter().all(Option::is_none) {
            continue;
        }
        if reading.order != NameOrder::Unsplit {
            return false;
        }
        let is_part = |n: &&RomajiName<&str>| reading.strict == n.surname || reading.strict == n.given;
        if !long_parts.iter().flatten().any(is_part) {
            return false;
        }
        compared = true;
    }
    compared
}

/// Two readings that differ where one row also gives the kanji name and
/// the other does not (間宮 力朗 マミヤ リキロタ against マミヤ リキドウ):
/// when the kanji row's own kana is a typo of its kanji's reading (リキロウ),
/// the other row's may be one too, and the kanji, which its writer picked
/// from a list, is the row's surer spelling. So the kanji is read against
/// the other row's reading as a kanji-only name would be: `reading_agrees` when a known reading is the other row's, `similar`
/// when one part's is and the other part's a typo away (the parts then say
/// so: `compare_reading_parts`). Asked only when the two kana differ beyond
/// a typo: kana a typo apart stay `similar` with their parts, which weighs
/// more than a reading that agrees (see the README, "Names"). `None` when
/// the case does not apply or the readings do not come close.
fn own_reading_against_other(a: &RecordView<'_>, b: &RecordView<'_>) -> Option<NameLevel> {
    let (kanji, reading) = match (a.name_kanji.strict.is_empty(), b.name_kanji.strict.is_empty()) {
        (false, true) => (a, b),
        (true, false) => (b, a),
        _ => return None,
    };
    let typo = |x: &str, y: &str| part_level(x, y) != PartLevel::Different;
    // Only a row whose own kana is a typo of its kanji's reading: a kana
    // that is a reading of its kanji is the name as its writer reads it, and
    // another row's kana beyond a typo from it is another name (a
    // household's 柴 樹美 シバ タテミ and シバ ハツネ), however close one of the
    // kanji's many other readings comes.
    let own = &kanji.name_kana.romaji;
    let reads_so =
        readings::reads_as_written(kanji.name_kanji.strict, kanji.name_kanji.given_start, own.surname, own.given);
    if reads_so || readings::compare(kanji, kanji, typo) != ReadingMatch::Close {
        return None;
    }
    match readings::compare(kanji, reading, typo) {
        ReadingMatch::Agrees => Some(NameLevel::ReadingAgrees),
        ReadingMatch::Close => Some(NameLevel::Similar),
        ReadingMatch::Differs | ReadingMatch::Unknown => None,
    }
}

/// Two kanji names that differ because one writes a part in kana (山田 はなこ
/// against 山田 花子), when only the other row gives a reading (ヤマダ
/// ハナコ): the kana part is its own reading, so the kana-bearing name is
/// read against that reading as a kanji-only name would be, not graded
/// `kanji_different` for a script the other row never wrote it in. A part
/// typed in kana is what a form gets when its writer does not convert it
/// (or the kanji is outside the character set). `None` when the case does
/// not apply or the readings say nothing.
fn kana_in_kanji_against_reading(a: &RecordView<'_>, b: &RecordView<'_>) -> Option<NameLevel> {
    let has_kana = |r: &RecordView<'_>| r.name_kanji.strict.chars().any(is_katakana);
    let (kanji, reading) = match (has_reading(a), has_reading(b)) {
        (false, true) if has_kana(a) => (a, b),
        (true, false) if has_kana(b) => (b, a),
        _ => return None,
    };
    let typo = |x: &str, y: &str| part_level(x, y) != PartLevel::Different;
    match readings::compare(kanji, reading, typo) {
        ReadingMatch::Agrees => Some(NameLevel::ReadingAgrees),
        ReadingMatch::Close => Some(NameLevel::Similar),
        ReadingMatch::Differs | ReadingMatch::Unknown => None,
    }
}

/// Two kana strings of at least two kana one edit apart, as written or
/// with their long vowels written alike ([`write_long_vowels_alike`]):
/// チョウイチ and チョーイア are one typo apart, the ウ and the ー being two
/// notations of one sound (the loose romaji keys fold them too: CHOICHI,
/// CHOIA), and so are ソーナ and ナウナ.
fn one_kana_apart(a: &str, b: &str) -> bool {
    if a.chars().count().min(b.chars().count()) < 2 {
        return false;
    }
    if within_one_edit(a, b) {
        return true;
    }
    let (mut alike_a, mut alike_b) = ([' '; LONG_VOWEL_KANA_CAPACITY], [' '; LONG_VOWEL_KANA_CAPACITY]);
    match (write_long_vowels_alike(a, &mut alike_a), write_long_vowels_alike(b, &mut alike_b)) {
        (Some(a), Some(b)) => chars_within_one_edit(a, b),
        _ => false,
    }
}

/// The most kana [`write_long_vowels_alike`] rewrites (a name part is far
/// shorter); a longer text is compared as written only.
const LONG_VOWEL_KANA_CAPACITY: usize = 32;

/// `kana` with each long vowel written one way, in its place: the mark ー
/// as the vowel kana of the kana before it (ユーコ ユウコ, ニーナ ニイナ),
/// an o-row kana's long vowel as ウ whether written ー, オ or ウ (トール,
/// トオル, トウル). Kept in place rather than dropped, so a typo beside it
/// stays one edit (ソーナ and ナウナ). Into `out`; `None` when it does not
/// fit.
fn write_long_vowels_alike<'o>(kana: &str, out: &'o mut [char; LONG_VOWEL_KANA_CAPACITY]) -> Option<&'o [char]> {
    let (mut len, mut previous_vowel) = (0, None);
    for c in kana.chars() {
        let written = match (c, previous_vowel) {
            ('ー' | 'オ', Some('O')) => 'ウ',
            ('ー', Some('A')) => 'ア',
            ('ー', Some('I')) => 'イ',
            ('ー', Some('U')) => 'ウ',
            ('ー', Some('E')) => 'エ',
            _ => c,
        };
        *out.get_mut(len)? = written;
        len += 1;
        if written == c {
            previous_vowel = vowel_of(c);
        }
    }
    Some(&out[..len])
}

/// [`within_one_edit`] on characters.
fn chars_within_one_edit(a: &[char], b: &[char]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    a.len() - suffix <= 1 && b.len() - suffix <= 1
}

/// Whether the Levenshtein distance in characters is at most 1: with the
/// common start and then the common end taken off, at most one character
/// is left on each side. What `within_edits(a, b, 1)` answers, without the
/// row of the general algorithm that rapidfuzz allocates for text outside
/// ASCII (kana), on every namesake a booking's linker reads.
fn within_one_edit(a: &str, b: &str) -> bool {
    let prefix: usize = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix: usize =
        a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    a.chars().nth(1).is_none() && b.chars().nth(1).is_none()
}

/// The level of two name parts: exact, similar, different.
fn part_level(x: &str, y: &str) -> PartLevel {
    if x == y {
        PartLevel::Exact
    } else if may_be_close(x, y) && (similar(x, y) || close_spelling(x, y)) {
        PartLevel::Similar
    } else {
        PartLevel::Different
    }
}

#[cfg(test)]
mod tests;
