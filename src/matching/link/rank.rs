//! How the persons a booking finds rank: each person's link (its best
//! record, or the record a rule links), in (score descending, person
//! ascending) order.
//!
//! Invariant: records come in record order and persons are ranked by
//! (score, person), so nothing depends on thread count or hash order.

use super::candidate::{PersonCandidate, Ranked};
use super::{Link, LinkScratch, Linker};
use crate::matching::compare::Level;
use crate::matching::score::{all_but_the_name_agree, name_rule, NameRule};

impl Linker<'_> {
    /// The scored records grouped per person (`scratch.candidates`), and
    /// the persons ranked by (score descending, person ascending) into
    /// `scratch.best`.
    pub(super) fn rank_persons(&self, scratch: &mut LinkScratch) {
        scratch.candidates.clear();
        for &(record, score) in &scratch.scored {
            let person = self.persons.person_of(record);
            let link = Link { person, record, score };
            let name = score.vector.name();
            let named = !name.is_no_evidence();
            let by_rule = self.name_rule(&link).map(|rule| (link, rule));
            // Records come in ascending order: a tie keeps the first.
            let better = |old: Option<Link>| old.is_none_or(|o| score.weight > o.score.weight);
            match scratch.candidates.iter_mut().find(|c| c.best.person == person) {
                Some(c) => {
                    if better(Some(c.best)) {
                        c.best = link;
                    }
                    if named && better(c.best_named) {
                        c.best_named = Some(link);
                    }
                    c.name_conflict |= name.is_different();
                    c.contradicted |= !all_but_the_name_agree(&score.vector);
                    if by_rule.is_some() && better(c.best_by_name_rule.map(|(l, _)| l)) {
                        c.best_by_name_rule = by_rule;
                    }
                }
                None => scratch.candidates.push(PersonCandidate {
                    best: link,
                    best_named: named.then_some(link),
                    name_conflict: name.is_different(),
                    names_another: false,
                    contradicted: !all_but_the_name_agree(&score.vector),
                    best_by_name_rule: by_rule,
                }),
            }
        }
        for &record in &scratch.namesakes {
            let person = self.persons.person_of(record);
            if let Some(c) = scratch.candidates.iter_mut().find(|c| c.best.person == person) {
                c.name_conflict = true;
                c.names_another = true;
            }
        }
        scratch.best.clear();
        scratch.best.extend(scratch.candidates.iter().map(|c| Ranked {
            link: self.person_link(c),
            named: c.best_named.is_some(),
            by_contacts_alone: c.by_contacts_alone(),
        }));
        // One entry a person, so (score, person) orders them totally and
        // the unstable sort gives the stable order without the stable
        // sort's buffer (an allocation a booking).
        scratch.best.sort_unstable_by(|x, y| {
            y.link.score.weight.total_cmp(&x.link.score.weight).then(x.link.person.cmp(&y.link.person))
        });
    }

    /// The person's link ([`PersonCandidate::link`]), except that when it
    /// does not link and another record of the person does by a
    /// whole-name rule, no record of the person giving another name, that
    /// record is the person's link. A better-scoring row of the customer
    /// that agrees less (a romaji row with the postal code and another
    /// phone, 2.6 bits) hid the row with the whole name and the email
    /// (−1.2 bits, the phone changed): the rule that links the second was
    /// never asked, and the customer went to review. The rules that ask
    /// every field both give to agree (the name with the birth date or
    /// the postal code) count only when no record of the person gives
    /// another birth date, mailbox, phone or home: without that check a
    /// namesake at the customer's postal code, whose other row gave
    /// another house number, took the booking (3 false records on the
    /// second generator's romaji file). Measured: second generator +14
    /// (plain), +4 (scripts), +2 (romaji) truly affected records, none
    /// false; the 36-setting grid and 1,000,000 generated persons
    /// identical.
    fn person_link(&self, c: &PersonCandidate) -> Link {
        let link = c.link();
        match c.best_by_name_rule {
            Some((by_rule, rule))
                if !c.name_conflict
                    && (!c.contradicted || rule.holds_beside_other_contacts())
                    && !self.links(&link) =>
            {
                by_rule
            }
            _ => link,
        }
    }

    /// Whether the link is one by the weight, the contact identity rule or
    /// a whole-name rule.
    pub(super) fn links(&self, link: &Link) -> bool {
        link.score.weight >= self.thresholds.match_weight || self.identity(link) || self.name_rule(link).is_some()
    }

    /// The whole-name rule that links it, if one does (`score::name_rule`).
    fn name_rule(&self, link: &Link) -> Option<NameRule> {
        let score = &link.score;
        name_rule(&score.vector, score.phone_line, score.weight, self.thresholds.review_weight)
    }
}
