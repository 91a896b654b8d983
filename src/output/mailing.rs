//! For mailers and letters: the `--affected -` stream as one message per
//! distinct email and family at it (`--one-per-email`; a message names
//! persons of one surname only, [`family_groups`]), and no_email.csv, the affected
//! persons no email reaches, with the postal address as written in the
//! recovered file (for letters by post).
//!
//! Invariant: messages come in the order of their first affected person
//! (person_id), persons within a message in person order, so the stream is
//! the same whatever the thread count; every affected person is in exactly
//! one message per email it uses, or in no_email.csv.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::results::ResultSet;
use super::table::{escape_formula, join, LIST_SEPARATOR};
use super::StagingDir;
use crate::cli::Format;
use crate::input::record::RawFields;
use crate::input::Field;
use crate::matching::common::MAX_HOUSEHOLD_PERSONS;
use crate::matching::compare::has_name;
use crate::matching::{PersonIdx, Persons};
use crate::normalize::name::{KanjiName, NameOrder};
use crate::normalize::{normalize_record, NormalizedRecord, RecordView, Scratch};
use crate::recovered::RowText;

/// The file name in the result folder.
pub const NO_EMAIL_FILE: &str = "no_email.csv";

/// One affected person in a message.
#[derive(Debug, Serialize)]
struct Addressee<'a> {
    person_id: String,
    name_kanji: &'a str,
    name_kana: &'a str,
    name_romaji: &'a str,
}

/// One message: an email and every affected person who uses it.
#[derive(Debug, Serialize)]
struct Message<'a> {
    email: &'a str,
    persons: Vec<Addressee<'a>>,
}

fn addressee<'a>(results: &ResultSet<'a>, person: PersonIdx) -> Addressee<'a> {
    Addressee {
        person_id: Persons::person_id(person),
        name_kanji: results.first_name(person, RowText::NameKanji),
        name_kana: results.first_name(person, RowText::NameKana),
        name_romaji: results.first_name(person, RowText::NameRomaji),
    }
}

/// The messages, in the order of their first person.
fn messages<'a>(results: &ResultSet<'a>) -> Vec<Message<'a>> {
    let mut order: Vec<&'a str> = Vec::new();
    let mut by_email: BTreeMap<&'a str, Vec<PersonIdx>> = BTreeMap::new();
    for person in results.affected_persons() {
        for email in results.emails(person) {
            let persons = by_email.entry(email).or_default();
            if persons.is_empty() {
                order.push(email);
            }
            persons.push(person);
        }
    }
    let mut messages: Vec<(PersonIdx, Message<'a>)> = Vec::new();
    for email in order {
        for group in family_groups(results, &by_email[email]) {
            let persons = group.iter().map(|&p| addressee(results, p)).collect();
            messages.push((group[0], Message { email, persons }));
        }
    }
    // A family split off its address's first message comes in the order of
    // its own first person (stable: a person's emails keep their order).
    messages.sort_by_key(|(first, _)| *first);
    messages.into_iter().map(|(_, message)| message).collect()
}

/// [`family_groups`] on the persons' names: indexes into `names`, each
/// group in order, groups in the order of their first member.
///
/// A person joins the first group whose first named member is of its
/// family (a group of persons without a name fits anyone), so a person
/// without a name first does not bring two surnames together. One
/// comparison per group: a dummy mailbox that thousands of customers share
/// costs the groups of its surnames, not the square of its persons.
fn group_families(names: &[NormalizedRecord]) -> Vec<Vec<usize>> {
    // Each group, and its first member with a name.
    let mut groups: Vec<(Vec<usize>, Option<usize>)> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let view = name.view();
        let named = has_name(&view).then_some(index);
        let fits = |(_, first_named): &&mut (Vec<usize>, Option<usize>)| {
            first_named.is_none_or(|first| one_family(&names[first].view(), &view))
        };
        match groups.iter_mut().find(fits) {
            Some((members, first_named)) => {
                members.push(index);
                *first_named = first_named.or(named);
            }
            None => groups.push((vec![index], named)),
        }
    }
    groups.into_iter().map(|(members, _)| members).collect()
}

/// Whether two persons at one mailbox may share a message: one of them
/// gives no name (nothing of theirs to show), or both give a surname in
/// one script and the two are the same. Where the surnames cannot be
/// compared so (a kanji name against a kana one), each gets a message: a
/// family split in two gets two mails, while strangers put together would
/// read each other's names.
///
/// Kanji surnames compare as written when a name is in two parts; a kanji
/// name in one piece (山田花子) by its first two characters (a
/// one-character surname, 林, then gets a message of its own). Kana and
/// romaji compare by the romaji key of the surname: the kana name's first
/// part, the romaji name's first part, or its last when it may be written
/// given name first (`KEN SATO`).
fn one_family(a: &RecordView<'_>, b: &RecordView<'_>) -> bool {
    if !has_name(a) || !has_name(b) {
        return true;
    }
    let (x, y) = (&a.name_kanji, &b.name_kanji);
    if !x.strict.is_empty() && !y.strict.is_empty() {
        return match (kanji_surname(x), kanji_surname(y)) {
            (Some(s), Some(t)) => s == t,
            (Some(s), None) => y.strict.starts_with(s),
            (None, Some(t)) => x.strict.starts_with(t),
            (None, None) => first_two_chars(x.strict).is_some_and(|p| Some(p) == first_two_chars(y.strict)),
        };
    }
    let theirs = romaji_surnames(b);
    romaji_surnames(a).iter().flatten().any(|surname| theirs.contains(&Some(surname)))
}

/// The surname of a kanji name written in two parts.
fn kanji_surname<'k>(name: &KanjiName<&'k str>) -> Option<&'k str> {
    name.strict.get(..usize::from(name.given_start)).filter(|surname| !surname.is_empty())
}

fn first_two_chars(text: &str) -> Option<&str> {
    text.char_indices().nth(2).map(|(at, _)| &text[..at])
}

/// The romaji keys a person's surname may be ([`one_family`]).
fn romaji_surnames<'r>(r: &RecordView<'r>) -> [Option<&'r str>; 3] {
    let given = |text: &'r str| Some(text).filter(|t| !t.is_empty());
    let romaji = &r.name_romaji.romaji;
    let either_order = romaji.order == NameOrder::Ambiguous;
    [given(r.name_kana.romaji.surname), given(romaji.surname), given(romaji.given).filter(|_| either_order)]
}

/// `persons` (in person order) who share one email, in groups that get one
/// message each: persons of one surname ([`one_family`]); more persons than
/// [`MAX_HOUSEHOLD_PERSONS`] (no family's mailbox), one message each, so
/// that no customer reads the names of strangers who share their surname
/// (the 佐藤 of a dummy mailbox). A family shares
/// its surname (in Japan a married couple must), while a mailbox given
/// under unrelated names, a company's or a dummy that staff typed for
/// customers without one (`none@none.jp`), must not show one customer's
/// name to another: each surname gets a message of its own at that
/// address.
fn family_groups(results: &ResultSet<'_>, persons: &[PersonIdx]) -> Vec<Vec<PersonIdx>> {
    if persons.len() < 2 {
        return vec![persons.to_vec()];
    }
    if persons.len() > MAX_HOUSEHOLD_PERSONS {
        return persons.iter().map(|&person| vec![person]).collect();
    }
    let mut scratch = Scratch::default();
    let names: Vec<NormalizedRecord> = persons
        .iter()
        .map(|&person| {
            let mut raw = RawFields::default();
            for (field, text) in [
                (Field::NameKanji, RowText::NameKanji),
                (Field::NameKana, RowText::NameKana),
                (Field::NameRomaji, RowText::NameRomaji),
            ] {
                raw.set(field, results.first_name(person, text));
            }
            let mut name = NormalizedRecord::default();
            normalize_record(&raw, &mut scratch, &mut name);
            name
        })
        .collect();
    group_families(&names).into_iter().map(|group| group.into_iter().map(|i| persons[i]).collect()).collect()
}

/// Streams one message per distinct email to stdout in `format`: CSV
/// columns email, person_ids, names_kanji, names_kana, names_romaji (lists
/// joined with `;`, one item per person in person_ids order, empty when
/// that person has no such name), or one JSON object per line.
pub fn stream_one_per_email(results: &ResultSet<'_>, format: Format) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let messages = messages(results);
    match format {
        Format::Csv => {
            let mut wtr = csv::Writer::from_writer(&mut out);
            wtr.write_record(["email", "person_ids", "names_kanji", "names_kana", "names_romaji"])?;
            for m in &messages {
                // Positions kept (an empty name stays an empty item), so the
                // n-th name is the n-th person's.
                let list = |pick: for<'x> fn(&'x Addressee<'_>) -> &'x str| {
                    escape_formula(&m.persons.iter().map(pick).collect::<Vec<_>>().join(LIST_SEPARATOR)).into_owned()
                };
                wtr.write_record([
                    escape_formula(m.email).into_owned(),
                    join(m.persons.iter().map(|p| p.person_id.as_str())),
                    list(|p| p.name_kanji),
                    list(|p| p.name_kana),
                    list(|p| p.name_romaji),
                ])?;
            }
            wtr.flush()?;
        }
        Format::Jsonl => {
            for m in &messages {
                serde_json::to_writer(&mut out, m).context("cannot encode a JSON line")?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes no_email.csv: every affected person without any email, with the
/// names and the first postal address of its rows as written.
pub fn write_no_email(results: &ResultSet<'_>, staging: &StagingDir) -> Result<()> {
    let mut wtr = staging.csv_file(NO_EMAIL_FILE)?;
    wtr.write_record(["person_id", "name_kanji", "name_kana", "name_romaji", "postal_code", "address", "record_ids"])?;
    for person in results.affected_persons().filter(|&p| !results.has_email(p)) {
        let a = addressee(results, person);
        wtr.write_record([
            a.person_id.as_str(),
            &escape_formula(a.name_kanji),
            &escape_formula(a.name_kana),
            &escape_formula(a.name_romaji),
            &escape_formula(results.first_name(person, RowText::PostalCode)),
            &escape_formula(results.first_name(person, RowText::Address)),
            &escape_formula(&join(results.record_ids(person))),
        ])?;
    }
    super::finish_csv(wtr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_fields;

    fn names(rows: &[(&str, &str, &str)]) -> Vec<NormalizedRecord> {
        let fields = |&(kanji, kana, romaji): &(&str, &str, &str)| {
            normalize_fields(&[(Field::NameKanji, kanji), (Field::NameKana, kana), (Field::NameRomaji, romaji)])
        };
        rows.iter().map(fields).collect()
    }

    #[test]
    fn one_mail_names_one_surname_and_a_nameless_person_does_not_join_two() {
        let rows = [
            ("", "", ""),
            ("山田 太郎", "", ""),
            ("鈴木 次郎", "", ""),
            ("山田 花子", "", ""),
            ("", "ヤマダ ハナエ", ""),
        ];
        // The kana-only ヤマダ cannot be compared with the kanji 山田: a mail of its own.
        assert_eq!(group_families(&names(&rows)), [vec![0, 1, 3], vec![2], vec![4]]);
    }

    #[test]
    fn surnames_compare_within_a_script() {
        let family = |a: (&str, &str, &str), b: (&str, &str, &str)| {
            let n = names(&[a, b]);
            one_family(&n[0].view(), &n[1].view())
        };
        assert!(family(("山田太郎", "", ""), ("山田花子", "", "")));
        assert!(family(("山田 太郎", "", ""), ("山田花子", "", "")));
        assert!(!family(("林太郎", "", ""), ("林花子", "", "")));
        assert!(!family(("山田 太郎", "", ""), ("山口 花子", "", "")));
        assert!(family(("", "ヤマダ タロウ", ""), ("", "", "HANAKO YAMADA")));
        assert!(family(("", "", "YAMADA/TARO"), ("", "やまだ はなこ", "")));
        assert!(!family(("", "スズキ ケン", ""), ("", "", "SATO/KEN")));
        assert!(!family(("山田 太郎", "", ""), ("", "ヤマダ ハナコ", "")));
        assert!(family(("", "", ""), ("鈴木 次郎", "", "")));
    }
}
