//! The readings of kanji name parts, held compactly: every text in one
//! buffer, each part held once and found through a hash table of its
//! position, each part's readings a range of spans. A map of `String` to
//! `Vec<String>` over the 367,000 lines of the two tables took about 80 MB
//! of memory; this takes about a seventh of that (the readings module's doc
//! says where the tables come from).
//!
//! Invariant: a part's readings keep the order of their first appearance
//! in the files (the name dataset before JMnedict), without repeats, and
//! each part knows how many of its readings come first from the name
//! dataset ([`Source::Common`]): the readings people use, before the rarer
//! ones JMnedict adds.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// (start, length) of a text in [`PartTable::text`].
type Span = (u32, u16);

/// Where a reading comes from: the name dataset, whose readings are the
/// ones people use, or JMnedict, which adds rarer ones (a surname's
/// variants, a given name's literary readings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Common,
    Rare,
}

/// The readings of one kind of part (surnames, or given names).
#[derive(Debug, Default)]
pub struct PartTable {
    text: String,
    /// The parts (folded kanji), in the order first pushed.
    parts: Vec<Span>,
    /// The position in `parts` of each part, by the hash of its text: a
    /// look-up is one hash and one comparison. A binary search over the
    /// 100,000-odd parts (17 string comparisons, most of them cache
    /// misses) was 4% of a whole run in `perf`, scoring and probing every
    /// kanji-only name.
    positions: HashTable<u32>,
    /// Part `i`'s readings are `readings[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// How many of part `i`'s readings come from [`Source::Common`] (they
    /// come first).
    commons: Vec<u16>,
    readings: Vec<Span>,
}

/// The readings of one part (loose romaji keys).
#[derive(Clone, Copy, Debug)]
pub struct Readings<'t> {
    table: &'t PartTable,
    range: (u32, u32),
    commons: u16,
}

impl<'t> Readings<'t> {
    pub fn len(&self) -> usize {
        (self.range.1 - self.range.0) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where reading `index` comes from.
    pub fn source(&self, index: usize) -> Source {
        if index < usize::from(self.commons) {
            Source::Common
        } else {
            Source::Rare
        }
    }

    /// Reading `index` (below [`Readings::len`]).
    pub fn get(&self, index: usize) -> &'t str {
        self.table.span(self.table.readings[self.range.0 as usize + index])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'t str> + 't {
        let table = self.table;
        table.readings[self.range.0 as usize..self.range.1 as usize].iter().map(move |&span| table.span(span))
    }

    pub fn contains(&self, reading: &str) -> bool {
        self.iter().any(|r| r == reading)
    }
}

/// Collects (part, reading) pairs, their texts in one buffer (no string
/// per pair: 367,000 pairs of `String`s peaked at 40 MB while loading).
/// A part is filed once, when first pushed, and found again by its hash:
/// the table is then its pairs grouped by part, with no sort by text
/// (sorting the pairs by their parts' texts was about a quarter of
/// building the tables, 100 of some 380 ms, which every run pays once).
#[derive(Debug, Default)]
pub struct PartTableBuilder {
    text: String,
    /// The distinct parts, in the order first pushed.
    parts: Vec<Span>,
    positions: HashTable<u32>,
    /// (part's position in `parts`, reading, its source), in pushing order.
    pairs: Vec<(u32, Span, Source)>,
}

impl PartTableBuilder {
    /// Files `reading` under `part`. A part's common readings must be
    /// pushed before its rare ones (the name dataset's file, or a keys
    /// file's first group, is read first).
    pub fn push(&mut self, part: &str, reading: &str, source: Source) {
        let PartTableBuilder { text, parts, positions, pairs } = self;
        let hash = part_hash(part);
        let position = match positions.find(hash, |&p| span_of(text, parts[p as usize]) == part) {
            Some(&position) => position,
            None => {
                let position = parts.len() as u32;
                parts.push(push_text(text, part));
                positions.insert_unique(hash, position, |&p| part_hash(span_of(text, parts[p as usize])));
                position
            }
        };
        let reading = push_text(text, reading);
        pairs.push((position, reading, source));
    }

    /// The table, the pairs' texts its buffer.
    pub fn build(self) -> PartTable {
        let PartTableBuilder { text, parts, positions, mut pairs } = self;
        let at = |span: Span| span_of(&text, span);
        // A stable sort keeps each part's readings in file order.
        pairs.sort_by_key(|&(position, ..)| position);
        let (mut starts, mut readings) = (Vec::with_capacity(parts.len() + 1), Vec::<Span>::new());
        let mut commons = Vec::with_capacity(parts.len());
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            starts.push(readings.len() as u32);
            let first = readings.len();
            let mut common = 0u16;
            for &(_, reading, source) in group {
                if !readings[first..].iter().any(|&span| at(span) == at(reading)) {
                    readings.push(reading);
                    common += u16::from(source == Source::Common);
                }
            }
            commons.push(common);
        }
        starts.push(readings.len() as u32);
        PartTable { text, parts, positions, starts, commons, readings }
    }
}

/// The hash [`PartKinds`] files a text under: its part hash without the
/// flag bits.
fn filed_hash(text: &str) -> u64 {
    part_hash(text) & !FLAGS
}

/// The hash a part is filed under.
fn part_hash(part: &str) -> u64 {
    FxBuildHasher.hash_one(part)
}

/// The text of `span` in `buffer`.
fn span_of(buffer: &str, (start, len): Span) -> &str {
    let start = start as usize;
    buffer.get(start..start + usize::from(len)).unwrap_or_default()
}

/// Appends `text` to `buffer`; its span there.
fn push_text(buffer: &mut String, text: &str) -> Span {
    let start = buffer.len() as u32;
    buffer.push_str(text);
    // A part or a reading is a few characters: a longer one is cut, and
    // then never found (the table files are committed and tested).
    (start, u16::try_from(text.len()).unwrap_or(u16::MAX))
}

impl PartTable {
    fn span(&self, span: Span) -> &str {
        span_of(&self.text, span)
    }

    /// The readings of `part`, when the table knows it.
    pub fn get(&self, part: &str) -> Option<Readings<'_>> {
        let same = |&p: &u32| self.span(self.parts[p as usize]) == part;
        let at = *self.positions.find(part_hash(part), same)? as usize;
        Some(Readings { table: self, range: (self.starts[at], self.starts[at + 1]), commons: self.commons[at] })
    }

    pub fn contains_key(&self, part: &str) -> bool {
        self.get(part).is_some()
    }

    /// Whether the table knows `part` with a reading from
    /// [`Source::Common`]: a name in common use as this kind of part.
    pub fn knows_in_common_use(&self, part: &str) -> bool {
        self.get(part).is_some_and(|readings| readings.commons > 0)
    }

    /// The texts of the parts.
    pub(super) fn part_texts(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|&span| self.span(span))
    }
}

/// What the tables know a text as: a surname and a given name in common
/// use (each: with a reading from [`Source::Common`], the name dataset),
/// and a surname and a given name in either source. JMnedict's lists do
/// not count for "in common use": they put nearly every given name among
/// some family's surnames (花子, ハナコ), and a given name's being a
/// surname somewhere says nothing of how a row is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kinds {
    pub surname: bool,
    pub given_name: bool,
    pub surname_anywhere: bool,
    pub given_name_anywhere: bool,
}

/// Which kinds of part the two tables know each text as, for the one
/// question every name row asks (is it written given name first?): one
/// look-up in an array of 8-byte slots, a cache miss or two, where the
/// tables' own look-up reads the hash table's control bytes, its slot, the
/// part's span, its text and its readings' range (written given name first
/// took 8% of a whole run at 200,000 persons in `perf`, nearly all of it
/// in those misses).
///
/// A slot holds a text's 59-bit hash and five flags: surname, given name
/// (both in common use), surname and given name in either source, and
/// "ask the tables" (two of the tables' texts with one hash, which the
/// shipped tables do not have, a test says). A text the tables do not know
/// is taken for one they do only if its hash equals one of theirs, a chance
/// of about one in 2^59 a look-up.
#[derive(Debug)]
pub struct PartKinds {
    slots: Vec<u64>,
    /// `slots.len()` is `1 << index_bits`.
    index_bits: u32,
}

const SURNAME: u64 = 1;
const GIVEN_NAME: u64 = 2;
const ASK_TABLES: u64 = 4;
const GIVEN_NAME_ANYWHERE: u64 = 8;
const SURNAME_ANYWHERE: u64 = 16;
const FLAGS: u64 = SURNAME | GIVEN_NAME | ASK_TABLES | GIVEN_NAME_ANYWHERE | SURNAME_ANYWHERE;

impl PartKinds {
    /// Every part of `surnames` and `given_names`, at most half the slots
    /// full (a look-up for a text not known then reads one or two slots of
    /// one cache line).
    pub fn new(surnames: &PartTable, given_names: &PartTable) -> PartKinds {
        let parts = surnames.parts.len() + given_names.parts.len();
        let index_bits = (parts.max(1) * 2).next_power_of_two().trailing_zeros();
        let mut kinds = PartKinds { slots: vec![0; 1 << index_bits], index_bits };
        for text in surnames.part_texts() {
            // The surnames are distinct: a hash already filed is a collision.
            let hash = filed_hash(text);
            let at = kinds.slot_of(hash);
            let common = if surnames.knows_in_common_use(text) { SURNAME } else { 0 };
            kinds.slots[at] |= hash | if kinds.slots[at] == 0 { SURNAME_ANYWHERE | common } else { ASK_TABLES };
        }
        for text in given_names.part_texts() {
            let hash = filed_hash(text);
            let at = kinds.slot_of(hash);
            let collides = (kinds.slots[at] & SURNAME_ANYWHERE != 0 && !surnames.contains_key(text))
                || kinds.slots[at] & GIVEN_NAME_ANYWHERE != 0;
            let common = if given_names.knows_in_common_use(text) { GIVEN_NAME } else { 0 };
            kinds.slots[at] |= hash | if collides { ASK_TABLES } else { GIVEN_NAME_ANYWHERE | common };
        }
        kinds
    }

    /// The slot that holds `hash` (a [`filed_hash`]), or the empty slot it
    /// would go in.
    fn slot_of(&self, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (hash >> (u64::BITS - self.index_bits)) as usize;
        while self.slots[at] != 0 && self.slots[at] & !FLAGS != hash {
            at = (at + 1) & mask;
        }
        at
    }

    /// What the tables know `text` as (`surnames` and `given_names` the
    /// tables this was made of, asked only after a collision).
    pub fn of(&self, text: &str, surnames: &PartTable, given_names: &PartTable) -> Kinds {
        let slot = self.slots[self.slot_of(filed_hash(text))];
        if slot & ASK_TABLES != 0 {
            return Kinds {
                surname: surnames.knows_in_common_use(text),
                given_name: given_names.knows_in_common_use(text),
                surname_anywhere: surnames.contains_key(text),
                given_name_anywhere: given_names.contains_key(text),
            };
        }
        Kinds {
            surname: slot & SURNAME != 0,
            given_name: slot & GIVEN_NAME != 0,
            surname_anywhere: slot & SURNAME_ANYWHERE != 0,
            given_name_anywhere: slot & GIVEN_NAME_ANYWHERE != 0,
        }
    }

    /// How many slots say "ask the tables".
    pub fn collisions(&self) -> usize {
        self.slots.iter().filter(|&&slot| slot & ASK_TABLES != 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_keep_their_first_order_without_repeats() {
        let pairs = [
            ("佐藤", "SATO", Source::Common),
            ("高", "TAKA", Source::Common),
            ("佐藤", "SAFUJI", Source::Common),
            ("高", "KO", Source::Rare),
            ("佐藤", "SATO", Source::Rare),
            ("佐藤", "SADO", Source::Rare),
        ];
        let mut builder = PartTableBuilder::default();
        for (part, reading, source) in pairs {
            builder.push(part, reading, source);
        }
        let table = builder.build();
        let sato = table.get("佐藤").expect("known");
        assert_eq!(sato.iter().collect::<Vec<_>>(), ["SATO", "SAFUJI", "SADO"]);
        assert_eq!((sato.len(), sato.get(1)), (3, "SAFUJI"));
        // A rare source's repeat of a common reading stays common.
        let sources: Vec<Source> = (0..sato.len()).map(|i| sato.source(i)).collect();
        assert_eq!(sources, [Source::Common, Source::Common, Source::Rare]);
        assert!(sato.contains("SAFUJI") && !sato.contains("KO"));
        assert_eq!(table.get("高").map(|r| r.iter().collect::<Vec<_>>()), Some(vec!["TAKA", "KO"]));
        assert!(table.get("鈴木").is_none() && !table.contains_key("佐"));
    }

    #[test]
    fn a_slot_two_texts_share_sends_the_question_to_the_tables() {
        let (mut surnames, mut given_names) = (PartTableBuilder::default(), PartTableBuilder::default());
        surnames.push("佐藤", "SATO", Source::Common);
        surnames.push("和泉", "IZUMI", Source::Common);
        given_names.push("和泉", "IZUMI", Source::Common);
        given_names.push("花子", "HANAKO", Source::Common);
        // A surname in the rare source only: 花子 stays a given name.
        surnames.push("花子", "HANAKO", Source::Rare);
        given_names.push("マリー", "MARI", Source::Rare);
        let (surnames, given_names) = (surnames.build(), given_names.build());
        let mut kinds = PartKinds::new(&surnames, &given_names);
        let of = |kinds: &PartKinds, text| kinds.of(text, &surnames, &given_names);
        let both = Kinds { surname: true, given_name: true, surname_anywhere: true, given_name_anywhere: true };
        assert_eq!(of(&kinds, "和泉"), both);
        let hanako = Kinds { surname: false, given_name: true, surname_anywhere: true, given_name_anywhere: true };
        assert_eq!(of(&kinds, "花子"), hanako);
        // A given name in the rare source only: a given name, not in common use.
        let marie = Kinds { given_name_anywhere: true, ..Kinds::default() };
        assert_eq!(of(&kinds, "マリー"), marie);
        assert_eq!(of(&kinds, "鈴木"), Kinds::default());
        // As if 佐藤's hash were also another text's: its slot says "ask".
        let at = kinds.slot_of(filed_hash("佐藤"));
        kinds.slots[at] = (kinds.slots[at] & !FLAGS) | ASK_TABLES;
        assert_eq!(kinds.collisions(), 1);
        assert_eq!(of(&kinds, "佐藤"), Kinds { surname: true, surname_anywhere: true, ..Kinds::default() });
    }
}
