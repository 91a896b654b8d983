//! Record pairs for the probabilistic linker: candidate pairs from the
//! blocking keys, with a cap on block size, and random pairs for
//! estimating u.
//!
//! Invariant: pairs are (smaller, larger) record indexes, sorted and
//! distinct, so everything downstream is independent of hash and thread
//! order. A block larger than the cap is skipped for its rule and counted,
//! so one shared office phone or a namesake-heavy key cannot go quadratic.

use rand::{Rng, SeedableRng};

use super::block::{entries_share_key, KeyEntry, KeyKind};
use super::compare::{compare, given_names_differ};
use super::score::contacts_tell_apart;
use super::RecordIdx;
use crate::normalize::store::RecordStore;
use crate::normalize::RecordView;

/// Default largest block a rule pairs up (a flag in the linker).
pub const DEFAULT_BLOCK_CAP: usize = 1000;

/// Pair counts of one blocking rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Pairs this rule proposed (before removing pairs other rules also found).
    pub pairs: u64,
    /// Blocks skipped for being larger than the cap.
    pub blocks_capped: u64,
}

/// Candidate pairs and the figures counts.json reports about them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CandidatePairs {
    pub pairs: Vec<(RecordIdx, RecordIdx)>,
    /// Per rule, in [`KeyKind::ALL`] order.
    pub stats: Vec<(KeyKind, RuleStats)>,
}

/// Entries a parallel work unit starts with (then runs on to the end of
/// its last block): large enough that a unit's overhead is negligible,
/// small enough that two cores share the work evenly.
const PAIR_CHUNK_ENTRIES: usize = 1 << 16;

/// All pairs of records that share a blocking key (verified on the key
/// text, not only its hash), skipping blocks larger than `cap`. Runs of
/// whole blocks are paired in parallel; the pairs are sorted at the end,
/// so the result does not depend on how the runs were split.
pub fn candidate_pairs(records: &RecordStore, entries: &[KeyEntry], cap: usize) -> CandidatePairs {
    use rayon::prelude::*;
    let runs = block_runs(entries);
    let (mut pairs, per_rule) =
        runs.par_windows(2).map(|run| pair_blocks(records, &entries[run[0]..run[1]], cap)).reduce(
            || (Vec::new(), [RuleStats::default(); KeyKind::ALL.len()]),
            |(mut pairs, mut stats), (more, more_stats)| {
                pairs.extend(more);
                for (total, add) in stats.iter_mut().zip(more_stats) {
                    total.pairs += add.pairs;
                    total.blocks_capped += add.blocks_capped;
                }
                (pairs, stats)
            },
        );
    pairs.par_sort_unstable();
    pairs.dedup();
    let stats = KeyKind::ALL.iter().copied().zip(per_rule).collect();
    CandidatePairs { pairs, stats }
}

/// Boundaries cutting `entries` into runs of whole blocks, about
/// [`PAIR_CHUNK_ENTRIES`] each: 0, …, `entries.len()`.
fn block_runs(entries: &[KeyEntry]) -> Vec<usize> {
    let mut bounds = vec![0];
    let mut at = 0;
    while at < entries.len() {
        let mut end = (at + PAIR_CHUNK_ENTRIES).min(entries.len());
        while end < entries.len() && entries[end].block() == entries[end - 1].block() {
            end += 1;
        }
        bounds.push(end);
        at = end;
    }
    bounds
}

/// The pairs of a run of whole blocks, and each rule's figures over it.
fn pair_blocks(
    records: &RecordStore,
    entries: &[KeyEntry],
    cap: usize,
) -> (Vec<(RecordIdx, RecordIdx)>, [RuleStats; KeyKind::ALL.len()]) {
    let mut stats = [RuleStats::default(); KeyKind::ALL.len()];
    let mut pairs = Vec::new();
    // The block's records, read once each (a block of n is n²/2 checks).
    let mut views = Vec::new();
    for block in entries.chunk_by(|a, b| a.block() == b.block()) {
        let kind = block[0].kind();
        let rule = &mut stats[KeyKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)];
        if block.len() > cap {
            rule.blocks_capped += 1;
            continue;
        }
        if block.len() < 2 {
            // Most keys are one record's: nothing to read.
            continue;
        }
        // The block's records are asked for before any is read (layouts,
        // then the texts they locate; `crate::prefetch`): the pairs step on
        // 8,000,000 persons went 5.5-5.6 -> 3.9-4.0 s.
        records.prefetch(block.iter().map(|entry| entry.record() as usize));
        views.clear();
        views.extend(block.iter().map(|entry| records.get(entry.record() as usize)));
        for (i, (a, view_a)) in block.iter().zip(&views).enumerate() {
            for (b, view_b) in block[i + 1..].iter().zip(&views[i + 1..]) {
                let (ra, rb) = (a.record(), b.record());
                if ra != rb
                    && entries_share_key(kind, view_a, a.variant(), view_b, b.variant())
                    && (kind != KeyKind::SurnameBirth || surname_and_birth_pair(view_a, view_b))
                    // Two fuller rows are namesakes at a provider as often.
                    && (kind != KeyKind::NameEmailDomain || kind.indexes(view_a) || kind.indexes(view_b))
                {
                    rule.pairs += 1;
                    pairs.push((ra.min(rb), ra.max(rb)));
                }
            }
        }
    }
    (pairs, stats)
}

/// Whether two records the surname + birth date key brought together are
/// paired: not when their given names differ (a sibling, a twin, a
/// namesake: the booking side does not score those either,
/// `Linker::score_candidates`), nor when their contacts tell them apart
/// (`score::contacts_tell_apart`).
fn surname_and_birth_pair(a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    !given_names_differ(a, b) && !contacts_tell_apart(&compare(a, b))
}

/// `count` distinct random pairs of distinct records, from `seed` (u is
/// estimated on them: among random pairs, matches are negligible).
pub fn random_pairs(record_count: usize, count: usize, seed: u64) -> Vec<(RecordIdx, RecordIdx)> {
    if record_count < 2 {
        return Vec::new();
    }
    let possible = record_count as u128 * (record_count as u128 - 1) / 2;
    let wanted = (count as u128).min(possible) as usize;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut pairs = std::collections::BTreeSet::new();
    while pairs.len() < wanted {
        let a = rng.random_range(0..record_count) as RecordIdx;
        let b = rng.random_range(0..record_count) as RecordIdx;
        if a != b {
            pairs.insert((a.min(b), a.max(b)));
        }
    }
    pairs.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::block::key_entries;
    use crate::normalize::date::parse_iso;
    use crate::normalize::store::RecordStore;
    use crate::normalize::NormalizedRecord;

    fn with_phone(phone: &str) -> NormalizedRecord {
        NormalizedRecord { phone: phone.into(), birth_date: parse_iso("1980-01-02"), ..Default::default() }
    }

    #[test]
    fn records_sharing_a_key_become_sorted_distinct_pairs() {
        let records: RecordStore =
            [with_phone("0311112222"), with_phone("0399998888"), with_phone("0311112222"), with_phone("0311112222")]
                .into_iter()
                .collect();
        let found = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
        assert_eq!(found.pairs, vec![(0, 2), (0, 3), (2, 3)]);
        let phone = found.stats.iter().find(|(k, _)| *k == KeyKind::Phone).unwrap().1;
        assert_eq!(phone, RuleStats { pairs: 3, blocks_capped: 0 });
    }

    #[test]
    fn a_block_over_the_cap_is_skipped_and_counted() {
        let records: RecordStore = (0..5).map(|_| with_phone("0120000000")).collect();
        let found = candidate_pairs(&records, &key_entries(&records), 4);
        assert!(found.pairs.is_empty());
        assert_eq!(found.stats.iter().map(|(_, s)| s.blocks_capped).sum::<u64>(), 1);
    }

    #[test]
    fn surname_and_birth_date_pair_a_given_names_typo_unless_the_given_names_or_the_contacts_differ() {
        use crate::input::Field;
        use crate::normalize::normalize_fields;
        let row = |kana: &str, contacts: &[(Field, &str)]| {
            let mut fields = vec![(Field::NameKana, kana), (Field::BirthDate, "1938-01-01")];
            fields.extend_from_slice(contacts);
            normalize_fields(&fields)
        };
        let (email, phone) = ((Field::Email, "okada@example.com"), (Field::Phone, "090-1111-2222"));
        let records: RecordStore = [
            row("オカダ サトミツ", &[email, phone]),
            // One kana mistyped, nothing else to compare: one customer.
            row("オカダ サトミタ", &[]),
            // Another given name: a relative.
            row("オカダ ハナコ", &[]),
            // One kana mistyped and another mailbox, nothing in common: a
            // namesake born the same day (paired with the row that has no
            // contact to differ in).
            row("オカダ サトミチ", &[(Field::Email, "x@example.org")]),
        ]
        .into_iter()
        .collect();
        let found = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
        let by_surname = found.stats.iter().find(|(k, _)| *k == KeyKind::SurnameBirth).unwrap().1;
        assert_eq!(found.pairs, vec![(0, 1), (1, 3)]);
        assert_eq!(by_surname.pairs, 2);
    }

    #[test]
    fn a_name_and_a_mailbox_alone_pair_with_a_row_of_the_name_at_the_same_provider() {
        use crate::input::Field;
        use crate::normalize::normalize_fields;
        let name = (Field::NameKanji, "藤田 太郎");
        let full = |email| normalize_fields(&[name, (Field::BirthDate, "1954-06-01"), (Field::Email, email)]);
        let records: RecordStore = [
            normalize_fields(&[name, (Field::Email, "taro.fujita764@yahoo.co.jp")]),
            full("new605.taro.fujita764@yahoo.co.jp"),
            // Another 藤田 太郎 at the provider, born another day.
            normalize_fields(&[name, (Field::BirthDate, "1971-02-03"), (Field::Email, "fujita.t@yahoo.co.jp")]),
            // A 藤田 太郎 at another provider: not in the block.
            normalize_fields(&[name, (Field::BirthDate, "1960-01-01"), (Field::Email, "taro.fujita@gmail.com")]),
        ]
        .into_iter()
        .collect();
        let found = candidate_pairs(&records, &key_entries(&records), DEFAULT_BLOCK_CAP);
        // The sparse row pairs with both rows at its provider; the two
        // fuller rows there do not pair with each other by it.
        assert_eq!(found.pairs, vec![(0, 1), (0, 2)]);
    }

    #[test]
    fn a_kanji_only_row_pairs_with_a_kana_or_romaji_row_through_its_reading_and_birth_date() {
        use crate::input::Field;
        use crate::matching::block::{merge_sorted, reading_entries};
        use crate::normalize::normalize_fields;
        let row = |name: (Field, &str), birth: &str| normalize_fields(&[name, (Field::BirthDate, birth)]);
        let records: RecordStore = [
            row((Field::NameKanji, "幸田 洋子"), "1980-01-02"),
            row((Field::NameKana, "コウダ ヨウコ"), "1980-01-02"),
            row((Field::NameRomaji, "KOHDA YOKO"), "1980-01-02"),
            // Another birth date, a name 洋子 is not read as, the kanji
            // name born another day: none pairs through a reading.
            row((Field::NameKana, "コウダ ヨウコ"), "1980-01-03"),
            row((Field::NameKana, "コウダ ハナコ"), "1980-01-02"),
            row((Field::NameKanji, "幸田 洋子"), "1980-01-03"),
        ]
        .into_iter()
        .collect();
        let all: Vec<u32> = (0..records.len() as u32).collect();
        let mut entries = key_entries(&records);
        let without_readings = candidate_pairs(&records, &entries, DEFAULT_BLOCK_CAP).pairs;
        assert_eq!(without_readings, vec![(1, 2)]);
        merge_sorted(&mut entries, &reading_entries(&records, &all, &[KeyKind::NameBirth]));
        let found = candidate_pairs(&records, &entries, DEFAULT_BLOCK_CAP);
        assert_eq!(found.pairs, vec![(0, 1), (0, 2), (1, 2), (3, 5)]);
    }

    #[test]
    fn a_kanji_only_row_pairs_with_a_kana_row_through_its_reading_and_street_address() {
        use crate::input::Field;
        use crate::matching::block::{merge_sorted, reading_entries, READING_KINDS};
        use crate::normalize::normalize_fields;
        let row = |name: (Field, &str), address: &str| {
            normalize_fields(&[name, (Field::PostalCode, "630-8352"), (Field::Address, address)])
        };
        let home = "奈良市北風呂町4-20-17";
        let records: RecordStore = [
            row((Field::NameKanji, "山口 陽子"), home),
            row((Field::NameKana, "ヤマグチ ヨウコ"), home),
            // Another house number, and a name 陽子 is not read as: neither
            // pairs through a reading.
            row((Field::NameKana, "ヤマグチ ヨウコ"), "奈良市北風呂町4-20-18"),
            row((Field::NameKana, "ヤマグチ ハナコ"), home),
        ]
        .into_iter()
        .collect();
        let all: Vec<u32> = (0..records.len() as u32).collect();
        let mut entries = key_entries(&records);
        let only_birth = reading_entries(&records, &all, &[KeyKind::NameBirth]);
        assert!(only_birth.is_empty(), "no birth date, no name + birth date reading key");
        let without_readings = candidate_pairs(&records, &entries, DEFAULT_BLOCK_CAP).pairs;
        assert!(!without_readings.contains(&(0, 1)), "{without_readings:?}");
        merge_sorted(&mut entries, &reading_entries(&records, &all, &READING_KINDS));
        let found = candidate_pairs(&records, &entries, DEFAULT_BLOCK_CAP).pairs;
        let with_the_kanji_row: Vec<_> = found.iter().filter(|(a, _)| *a == 0).collect();
        assert_eq!(with_the_kanji_row, [&(0, 1)], "{found:?}");
    }

    #[test]
    fn random_pairs_are_distinct_seeded_and_bounded() {
        let pairs = random_pairs(100, 500, 7);
        assert_eq!(pairs.len(), 500);
        assert!(pairs.windows(2).all(|w| w[0] < w[1]) && pairs.iter().all(|(a, b)| a < b));
        assert_eq!(pairs, random_pairs(100, 500, 7));
        assert_ne!(pairs, random_pairs(100, 500, 8));
        assert_eq!(random_pairs(3, 10, 1).len(), 3);
        assert!(random_pairs(1, 10, 1).is_empty());
    }
}
