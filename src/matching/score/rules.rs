//! The rules that decide a pair whatever its weight, and the shapes sent
//! to an analyst: the contact identity of a row without a name (a
//! passport number; an email; a phone with the place; the birth date and
//! the home; the home alone), the whole name
//! beside a personal contact, the birth date or the postal code, and the
//! partial contacts that make a possible link. Each rule's reason and the
//! measurement behind it sit beside it. The linker, the chains and the
//! clustering ask these, never their own copies.

use crate::matching::compare::{
    AddressLevel, AgreeLevel, BirthLevel, ComparisonVector, EmailLevel, NameLevel, PartLevel, PhoneLevel, PostalLevel,
};
use crate::normalize::phone::Line;

/// The near-personal evidence that links a pair by the identity rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// The passport number: issued to one person, never a household's.
    Passport,
    Email,
    Phone,
    /// The birth date and the home (the street address to the house
    /// number, [`AddressLevel::NumbersAndTown`]) together.
    BirthAndHome,
    /// The home alone (the street address to the house number), when the
    /// pair has nothing else to compare: a household's, so held back when
    /// the leak says another resident's (`link::SharedContacts::home`).
    Home,
}

/// The contact identity rule: one row has no name at all, nothing about
/// the person disagrees (birth date, passport, gender), and either the
/// passport number or the email agrees exactly, or the whole phone number
/// does while no other contact disagrees (email, postal code, address) and
/// either the birth date or the address agrees too or nothing but the
/// phone can be compared at all. A mobile number needs neither when no email is compared and
/// the birth date is not compared or agrees: a place that disagrees beside
/// it is a move. Failing both, the birth date and the home (the street
/// address to the house number) agreeing together link, when neither the
/// email nor the phone disagrees. Such a pair is linked whatever its
/// weight. `line` is the
/// kind of the pair's phone number ([`crate::normalize::phone::line`] of
/// either row's: when the phones agree they are one number).
///
/// Why a mobile with another address links: a handset is one person's and
/// its number goes with them through a move and a change of carrier
/// (number portability), while a fixed line changes with the address and
/// is the household's. Measured before the rule (rows without a name,
/// email or birth date whose phone a booking gives with another postal
/// code or town, the phone not given by named rows of two persons; grid
/// settings v0.15/m0.15/r3/s7, v0.06/m0.15/r3/s11): mobiles were the
/// row's own customer's in 124 of 135 (0.92), fixed lines in 46 of 53
/// (0.87), so fixed lines keep the place check. A birth date that agrees
/// beside the mobile is more evidence of the person, not less: a booking
/// without a name whose mobile and birth date are a named row's, at the
/// address it moved to, had gone to review (second generator, romaji
/// files: recall 0.9903 → 0.9910, precision unchanged).
///
/// Why the phone needs a second agreement when there is something else to
/// compare and the email does not: a phone is a household's more often
/// than an email (a landline, a family plan). Measured on the grid (20,000
/// generated persons, variation 0.06, missing rate 0.15, seed 11): links by
/// the phone beside other fields that agree only loosely were the right
/// person's in 1,109 of 1,228 (0.90), by the email in 2,303 of 2,351
/// (0.98). Why the phone alone links when it is all there is to compare
/// (a row holding only a phone number, or a booking with nothing else the
/// row has): the number is then the whole of the leaked evidence, nothing
/// speaks against it, and a number that named rows of two persons give is
/// held back as a household's (`link::shared_contacts`); whoever booked
/// with it is the customer to tell. Measured: grid mean recall 0.9617 →
/// 0.9756, worst 0.9182 → 0.9374, mean precision 0.99656 → 0.99562, worst
/// 0.9946 → 0.9930; 1,000,000 persons recall 0.9798 → 0.9867, precision
/// 0.9968 → 0.9964 (the records it adds are right 0.95 of the time).
/// Why the email may come with another phone or address:
/// people change phones and move and keep their email (rows with a changed
/// phone: recall 0.941 with that veto, 0.961 without, on 100,000 persons).
///
/// Why the birth date and the home link a row without a name: a home is a
/// household's, a birth date one of some 30,000 days, and the members of
/// one household born the same day are twins; the two together are one
/// person's as much as a mailbox is (and a household's twins, when named
/// rows of two persons give that day and home, are held back like a
/// family's landline: `link::SharedContacts`). Before the rule such a row
/// (a leak row of a birth date, a postal code and an address) scored above
/// the threshold against its customer's booking, yet lost the booking to
/// the customer's named rows and ended unmatched: the named person
/// outranks contact-only ones, which link beside it only by this rule.
/// An email or a phone that disagrees keeps it out: it is what tells twins
/// apart.
///
/// Why the home links alone when it is all the two rows have in common to
/// compare (no email, phone or birth date on one side or the other; the
/// postal code, if both give one, the same): the leaked row is then an
/// address and nothing more, nothing speaks against the booking's customer
/// living there, and whoever booked from that home is the resident to
/// tell, as whoever booked with a lone leaked phone number is. A home is a
/// household's more surely than a phone, so it is held back (a possible
/// link, for review) when the leak itself names two residents: named rows
/// of two persons give it, or the row's own person gives a name (the
/// booking's customer, under another name, is then another resident;
/// `link::SharedContacts::home`). Beside another phone it stays for review
/// ([`only_the_home_agrees`]). Before, such a row went to review
/// (`possible_home_only`), where on the second generator's sparse files
/// 146 of 151 had been the booking's customer's. Measured with the rule:
/// 36-setting grid affected F1 up at 31 settings, down at none (worst
/// 0.9675 -> 0.9681, mean 0.98638 -> 0.98661; precision down at 4 by at
/// most 0.0003); second generator sparse +122 truly affected records, 5
/// false; once-leaked sparse +93, 6 false (a resident who did not book,
/// whose row only the home says anything of); 1,000,000 persons +124, 5
/// false (F1 0.99313 -> 0.99322).
///
/// Why the passport number links alone: a passport is issued to one
/// person, each member of a household holds their own, and its number
/// (two letters and seven digits) is not reused, so two rows that give one
/// number are one holder's, more surely than two that give one mailbox.
/// Its fitted weight (about 14 bits on the second generator's files) is
/// the u floor's, not the evidence's: random pairs never share one, so
/// the model cannot say how rare a shared one is. A birth date or gender
/// that disagrees still keeps the pair apart (a typed number matching
/// another's). Measured with the named case below: see
/// [`name_and_personal_contact_agree`].
///
/// Why a rule and not a weight: with Fellegi–Sunter on millions of rows the
/// prior odds of a pair are about 1 in the number of rows, and a single
/// field can never outweigh that (an exact email gains 16 bits against a
/// prior of −18 on 100,000 generated persons). Yet an exact email or phone
/// number is near-personal: when it is shared, it is shared by a household
/// (a landline, a family address), whose members the missing name could
/// not tell apart anyway, and a shared contact matches two persons equally:
/// the tie and ambiguity rules keep such a row from joining either. The
/// leaked row carries that contact; the customer who booked with it is the
/// one to tell. Measured on `generate --persons 100000 --seed 7`: of the
/// leaked rows holding only a phone number that exactly one booked person
/// also gave, 598 are that person's and 14 another's.
pub fn contact_identity(v: &ComparisonVector, line: Line) -> Option<Identity> {
    let place_agrees = place_agrees(v);
    if v.name() != NameLevel::Missing || !person_agrees(v) {
        return None;
    }
    // A phone is a household's more often than an email: it links with the
    // birth date or the address agreeing too, or alone when it is all the
    // two rows have in common to compare. Tried and not kept: a fixed line
    // alone not linking (a landline is a household's, so the row might be
    // any member's). On the 36-setting grid precision rose at 31 settings
    // (mean 0.99561 -> 0.99589) but recall fell at all 36 (mean 0.97736 ->
    // 0.97316, affected F1 worst 0.9673 -> 0.9643): such a row is far more
    // often the one holder's than another member's.
    let nothing_else = v.birth_date() == BirthLevel::Missing
        && v.email() == EmailLevel::Missing
        && v.postal_code() == PostalLevel::Missing
        && v.address() == AddressLevel::Missing;
    let second_agreement =
        v.birth_date() == BirthLevel::Exact || v.address() == AddressLevel::NumbersAndTown || nothing_else;
    let moved_mobile = line == Line::Mobile
        && matches!(v.birth_date(), BirthLevel::Missing | BirthLevel::Exact)
        && v.email() == EmailLevel::Missing;
    if v.passport() == AgreeLevel::Agree {
        Some(Identity::Passport)
    } else if v.email() == EmailLevel::Exact {
        Some(Identity::Email)
    } else if v.phone() == PhoneLevel::Exact
        && v.email() != EmailLevel::Different
        && ((place_agrees && second_agreement) || moved_mobile)
    {
        Some(Identity::Phone)
    } else if v.birth_date() == BirthLevel::Exact
        && v.address() == AddressLevel::NumbersAndTown
        && place_agrees
        && v.email() != EmailLevel::Different
        && v.phone() != PhoneLevel::Different
    {
        Some(Identity::BirthAndHome)
    } else if only_the_home_agrees(v) && v.phone() == PhoneLevel::Missing {
        Some(Identity::Home)
    } else {
        None
    }
}

/// Whether a named pair is one customer by name and a personal contact:
/// the whole name agrees (exactly, or a known reading of the kanji), the
/// passport number, the email, a mobile number or the home (the street
/// address to the house number in one town of one city, `AddressLevel::NumbersAndTown`, with the
/// same postal code or one given on one side only) agrees exactly, and
/// nothing about the person disagrees (birth date, passport, gender). A
/// household shares a mailbox, a handset or a home under other given
/// names, and namesakes share a name under other mailboxes, numbers and
/// homes; the two together are one person's whatever the other contacts
/// say (a customer moves and changes numbers between bookings). A fixed
/// line is a household's and changes with the address: it does not count.
/// A mobile or a home beside an email that disagrees (not a changed form
/// of the same mailbox) does not count either: two members of one household under one
/// full name (a father and son; a generator drawing given names from a
/// short list) share the handset and the home but not the mailbox, and
/// only the mailbox or the birth date tells them apart. Scored, a common
/// name and one such contact beside a changed one fall under the threshold
/// (2.4 to 4.9 bits on the second generator's files for the email or
/// mobile, 3.0 to 6.4 bits for the home: a romaji-only name against a kana
/// one, or the email changed since), where such bookings went to review.
/// The linker and the clustering both apply it (`link::Linker::decide`,
/// `cluster::PairWeight`).
///
/// The passport number is the most personal of these (one holder's, never
/// a household's). Before it counted here, a kana-only booking with the
/// row's passport number and no contact of the row's scored 4.8 bits (a
/// common name's term frequency took 3.4) and went to review. Measured
/// with the identity rule's passport case: affected F1 up on all seven of
/// the second generator's files (romaji 0.9952 → 0.9956, plain 0.9984 →
/// 0.9985), precision unchanged on each.
pub fn name_and_personal_contact_agree(v: &ComparisonVector, line: Line) -> bool {
    let home = matches!(v.postal_code(), PostalLevel::Exact | PostalLevel::Missing)
        && v.address() == AddressLevel::NumbersAndTown;
    let mobile = v.phone() == PhoneLevel::Exact && line == Line::Mobile;
    let personal = v.email() == EmailLevel::Exact
        || v.passport() == AgreeLevel::Agree
        || ((mobile || home) && v.email() != EmailLevel::Different);
    v.name().is_same_name()
        && personal
        && matches!(v.birth_date(), BirthLevel::Exact | BirthLevel::Missing)
        && v.passport() != AgreeLevel::Disagree
        && v.gender() != AgreeLevel::Disagree
}

/// Whether a pair without a name agrees on the phone and disagrees on the
/// email alone, nothing else speaking against it: the contact
/// [`contact_identity`] links on, beside a mailbox the customer may have
/// changed since. Not enough to match: a household member's own mailbox
/// beside the family's handset looks the same. Not "no" either: scored, it
/// falls under the review threshold (prior −15.1, phone +14.8, email −2.9
/// bits on the grid's worst setting) and the row ended unmatched, though
/// its phone is the booking's. There, of the 47 leaked rows giving only an
/// email and a phone that ended unmatched while one booked person (and a
/// different email) gave the phone, 39 were that person's. Such a pair is a
/// possible link: an analyst decides (`link::Linker::below_threshold`,
/// `link::Linker::household_contact_links`).
pub fn phone_beside_another_email(v: &ComparisonVector) -> bool {
    v.name() == NameLevel::Missing
        && v.phone() == PhoneLevel::Exact
        && v.email() == EmailLevel::Different
        && nothing_about_the_person_or_place_disagrees(v)
}

/// The birth date (beyond a typo), passport and gender do not disagree.
fn person_agrees(v: &ComparisonVector) -> bool {
    !matches!(v.birth_date(), BirthLevel::SameYear | BirthLevel::Different)
        && v.passport() != AgreeLevel::Disagree
        && v.gender() != AgreeLevel::Disagree
}

/// The postal code and the address (beyond the prefecture) do not disagree.
fn place_agrees(v: &ComparisonVector) -> bool {
    v.postal_code() != PostalLevel::Different
        && !matches!(v.address(), AddressLevel::Different | AddressLevel::Prefecture)
}

/// Nothing about the person or the place disagrees: a pair without a name
/// whose one contact agrees, with nothing else speaking against it.
fn nothing_about_the_person_or_place_disagrees(v: &ComparisonVector) -> bool {
    person_agrees(v) && place_agrees(v)
}

/// Whether a pair without a name agrees on the mailbox name alone, at
/// another provider (`same_local_part`: a customer who left a carrier's
/// mail for a free one keeps the handle), nothing else speaking against it.
/// Not enough to match: a handle can be two people's at two providers, and
/// the local part alone weighs under the prior (−2.8 bits on one grid
/// setting). Not "no" either: on the grid's worst setting 71 of 74 such
/// rows that ended unmatched were that booking's customer's. Such a pair is
/// a possible link, as [`phone_beside_another_email`] is.
pub fn mailbox_at_another_provider(v: &ComparisonVector) -> bool {
    v.name() == NameLevel::Missing
        && v.email() == EmailLevel::SameLocalPart
        && v.phone() != PhoneLevel::Different
        && nothing_about_the_person_or_place_disagrees(v)
}

/// Whether a pair without a name agrees on the phone at a place that
/// disagrees (another postal code, or an address in another city), the
/// email not disagreeing and nothing about the person: a fixed line, or a
/// mobile beside a birth date one typo away or a similar mailbox, that
/// [`contact_identity`] does not link (a fixed line is a household's and
/// changes with the address, and a mobile's move is taken for one only
/// where no email is compared and the birth date, if compared, agrees).
/// Not enough to match; not "no" either: scored, the place's two
/// disagreements put it under the review threshold (prior −15.2,
/// phone +13.9, postal code and address −4.4 each on the grid's worst
/// setting) and the row ended unmatched though its number is the booking's.
/// Before the rule, rows without a name, email or birth date whose fixed
/// line a booking gave at another place were that booking's customer's in
/// 46 of 53 (README "Linking"). Such a pair is a possible link.
pub fn phone_at_another_place(v: &ComparisonVector) -> bool {
    v.name() == NameLevel::Missing
        && v.phone() == PhoneLevel::Exact
        && v.email() != EmailLevel::Different
        && !place_agrees(v)
        && person_agrees(v)
}

/// Whether a pair without a name agrees on the home (the street address
/// to the house number, `AddressLevel::NumbersAndTown`, the postal code not
/// disagreeing) and on nothing else: no email or birth date compared, the
/// phone not compared or another number, and nothing about the person
/// disagreeing. With no phone compared, the identity rule links such a
/// pair ([`contact_identity`], `Identity::Home`) unless the leak names
/// another resident. Beside another phone it is not enough to match: the
/// home is the whole household's, and the other number may be a
/// resident's own mobile. Not "no" either:
/// scored, the address alone weighs under the prior (13.7 bits against
/// −15.2 on the second generator's sparse files) and the row ended
/// unmatched, its status decided silently. There, of 151 such rows without
/// a phone left unmatched whose address a booking gave, 146 were that
/// booking's customer's (114 truly affected); on the grid, rows beside
/// another phone moved to review were truly affected 621 times of 717 (the
/// customer's number changed between the leak and the booking). Such a
/// pair is a possible link: an analyst decides (`link::Doubt::HomeOnly`).
pub fn only_the_home_agrees(v: &ComparisonVector) -> bool {
    v.name() == NameLevel::Missing
        && v.address() == AddressLevel::NumbersAndTown
        && v.email() == EmailLevel::Missing
        && matches!(v.phone(), PhoneLevel::Missing | PhoneLevel::Different)
        && v.birth_date() == BirthLevel::Missing
        && nothing_about_the_person_or_place_disagrees(v)
}

/// Whether a pair without a name is for an analyst by its contacts: the
/// phone beside another email or at another place, or the mailbox name at
/// another provider.
pub fn contact_for_review(v: &ComparisonVector) -> bool {
    phone_beside_another_email(v) || phone_at_another_place(v) || mailbox_at_another_provider(v)
}

/// Whether a named pair agrees exactly on every field both rows give: a
/// name (exact, or a known reading of the kanji) and, wherever compared,
/// the exact birth date, email, phone, postal code, address, passport and
/// gender. Nothing in such a pair points to another person.
pub fn agrees_wherever_compared(v: &ComparisonVector) -> bool {
    v.name().is_same_name() && all_but_the_name_agree(v)
}

/// Whether a pair agrees exactly on every field but the name that both
/// rows give ([`agrees_wherever_compared`] without the name).
pub fn all_but_the_name_agree(v: &ComparisonVector) -> bool {
    matches!(v.birth_date(), BirthLevel::Exact | BirthLevel::Missing)
        && matches!(v.email(), EmailLevel::Exact | EmailLevel::Missing)
        && matches!(v.phone(), PhoneLevel::Exact | PhoneLevel::Missing)
        && matches!(v.postal_code(), PostalLevel::Exact | PostalLevel::Missing)
        && matches!(v.address(), AddressLevel::NumbersAndTown | AddressLevel::Missing)
        && v.passport() != AgreeLevel::Disagree
        && v.gender() != AgreeLevel::Disagree
}

/// Whether a pair is one customer by the whole name and the birth date:
/// the name agrees (kanji, the strict or loose key of the kana or romaji,
/// or a known reading of the kanji), the birth date agrees, and every
/// other field both rows give agrees too ([`agrees_wherever_compared`]).
/// Missing is not different: a sparse row of a name and a birth date against its customer's
/// booking has nothing else to compare, and nothing in the pair points to
/// another person. The other person it could be is a namesake born the
/// same day, rare even among namesakes (a birth date is one of some 30,000
/// days); one whose email, phone or address both rows give and differ is
/// not linked by this rule.
///
/// Why a rule beside the weight: such a pair scores under the match
/// threshold where the file's names repeat (a common name's term
/// frequency) and its persons are leaked about once each (the leak's pair
/// prior, which the linker uses, is then lower than the odds that a
/// booking is a given person's). It links at or above the review
/// threshold ([`name_rule`]): a name so common that the model doubts it
/// beside the birth date is left to an analyst. Measured (README,
/// "Decisions"): second generator, seeds 5, 6 and 9, +273, +211 and +198
/// truly affected records, 0, −1 and +2 false; the 36-setting grid, whose
/// names follow the population's frequencies, unchanged.
///
/// Why a reading counts: an unusual reading makes a reading disagree, not
/// agree, and the namesakes a reading adds (other kanji read alike) must
/// still be born the same day. Left out, a romaji name and a birth date
/// against the customer's kanji booking scored 4.6 bits and went to
/// review. Measured: second generator's sparse files +16, +21 and +21
/// truly affected records, none false; the grid identical; 1,000,000
/// persons +162 true, 3 false.
pub fn name_and_birth_date_agree(v: &ComparisonVector) -> bool {
    v.name().is_same_name() && v.birth_date() == BirthLevel::Exact && agrees_wherever_compared(v)
}

/// Whether two recovered rows have the shape of namesakes born the same
/// day: the whole name and the birth date agree, the email or the phone
/// disagrees (not a changed form of the same mailbox: another one), and
/// no contact agrees (no mailbox, phone number, postal code or home in
/// common). The clustering does not join such a pair by its weight
/// (`cluster::PairWeight`). A common name has thousands of holders across
/// some 25,000 birth days of the living, so one leak of millions holds
/// many namesakes born the same day, and what tells them apart is their
/// contacts. One customer's two rows of one leak rarely differ in every
/// contact, and when they do the customer's bookings still find each row.
/// Measured before the rule on the 36-setting grid: such joins were another
/// person's 125 of 176 times beside another email and 130 of 230 beside
/// another phone; the weight EM gives them (7.7 bits at the worst setting,
/// the match threshold 7) only follows how often the generator changes a
/// contact. With the rule: affected precision up at all 36 settings (mean
/// 0.99559 → 0.99643, worst 0.9920 → 0.9937), recall down at 34 (mean
/// 0.97789 → 0.97732), F1 up at 19 and down at 7 (mean 0.98661 → 0.98672,
/// worst 0.9681 → 0.9680), dedup F1 mean 0.96753 → 0.96773; the worst
/// setting's pairs touching a namesake right 31 of 50 times instead of 31
/// of 97; 1,000,000 persons 9 truly affected records and 10 false fewer,
/// namesake pair precision 0.826 → 0.839; second generator identical.
/// Tried and not kept: names that agree only up to a typo (`similar`) of
/// the same shape held back too (two namesakes, one row's kana mistyped):
/// grid precision up at 19 settings (mean +0.00008), recall down at 19
/// (−0.00013), F1 down at 14 and up at 8, dedup F1 mean 0.96797 → 0.96764:
/// one person's rows with a typo and every contact changed are commoner
/// than namesakes born the same day, one of them mistyped.
/// A booking of that shape is not held back the same way: a customer's
/// booking made years from the leaked row changes contacts far more often
/// than two rows of one leak do (held back there too, grid recall fell
/// 0.0086 for precision +0.0019); it is scored like any other pair.
pub fn only_the_name_and_birth_date_agree(v: &ComparisonVector) -> bool {
    let another_mailbox_or_line = v.email() == EmailLevel::Different || v.phone() == PhoneLevel::Different;
    v.name().is_same_name() && v.birth_date() == BirthLevel::Exact && another_mailbox_or_line && !a_contact_agrees(v)
}

/// The personal identifiers a pair agrees on exactly, one bit each: the
/// mailbox, the phone number, the home to its house number, the passport
/// number (`ties_across`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identifiers(u8);

impl Identifiers {
    pub fn of(v: &ComparisonVector) -> Identifiers {
        let agreed = [
            v.email() == EmailLevel::Exact,
            v.phone() == PhoneLevel::Exact,
            v.address() == AddressLevel::NumbersAndTown,
            v.passport() == AgreeLevel::Agree,
        ];
        Identifiers(agreed.iter().enumerate().map(|(bit, &agrees)| u8::from(agrees) << bit).sum())
    }

    /// Those of either.
    pub fn or(self, other: Identifiers) -> Identifiers {
        Identifiers(self.0 | other.0)
    }

    /// Whether one of these is not among `other`.
    fn any_beyond(self, other: Identifiers) -> bool {
        self.0 & !other.0 != 0
    }
}

/// Whether one booking, matched by the records `top` and `half` of two
/// persons (`link::Linker::split_links`: a customer the clustering left in
/// two), ties the persons into one: both records give the booking's whole
/// name (exactly, or a known reading of its kanji), and each person agrees
/// with the booking on a personal
/// identifier the other person does not (`top_person`, `half_person`: the
/// [`Identifiers`] any of its records agrees on with the booking). The
/// customer then gave one person's mailbox and the other's phone on one
/// form, which two persons would not: the two are one customer
/// (`bookings::halves`). What both persons give tells nothing: the
/// clustering compared it, and a household's members share a phone and
/// the home (two members of one full name kept apart by their birth dates
/// a digit apart, on the second generator's files, each matched by the
/// home or the phone their other rows also give). Two rows matched by the
/// name and birth date alone add nothing the clustering did not compare
/// either, and it may have kept them apart as namesakes born the same day
/// ([`only_the_name_and_birth_date_agree`]). A name a typo away
/// (`NameLevel::Similar`) is not enough: a twin's given name may read a
/// kana or two from the other's, and twins share the birth date, the phone
/// and the home. Measured with it: on 1,000,000 generated persons the one
/// wrong join of 278 was a twin matched with her sister's booking that way
/// (the 23 `join_via_booking` rows of such names on the grid were right).
pub fn ties_across(
    top: &ComparisonVector,
    half: &ComparisonVector,
    top_person: Identifiers,
    half_person: Identifiers,
) -> bool {
    let same_name = |v: &ComparisonVector| v.name().is_same_name();
    same_name(top) && same_name(half) && top_person.any_beyond(half_person) && half_person.any_beyond(top_person)
}

/// Whether two rows' contacts tell them apart as two persons: both give
/// at least one of the email, phone, postal code and home, and none of
/// those agrees (agreeing as in [`only_the_name_and_birth_date_agree`]).
/// The deduplication asks it of a pair only the surname and the birth date
/// brought together, whose given names are one typo apart
/// (`pairs::candidate_pairs`): the rows of two persons of one surname born
/// the same day, given names a kana apart (サイトウ トラユキ and トキユキ,
/// サトウ ミリコ and ミキコ; a common surname has holders born on every
/// day of the year), differ in what contacts they give, while one
/// customer's row with a typo and nothing else to compare (a kana name and
/// a birth date) has no contact to differ in. Measured against two
/// contacts or more needed to tell them apart: grid precision up at 10
/// settings and recall down at 9 (F1 mean 0.98681 → 0.98680), and on
/// 1,000,000 generated persons 34 more records affected of which 6 false,
/// against 86 of which 43.
pub fn contacts_tell_apart(v: &ComparisonVector) -> bool {
    let a_contact_compared = v.email() != EmailLevel::Missing
        || v.phone() != PhoneLevel::Missing
        || v.postal_code() != PostalLevel::Missing
        || v.address() != AddressLevel::Missing;
    a_contact_compared && !a_contact_agrees(v)
}

/// Whether a contact agrees: the mailbox (exactly or a changed form of it),
/// the phone number (or its last eight digits), the postal code, or the
/// home to the house number.
fn a_contact_agrees(v: &ComparisonVector) -> bool {
    !matches!(v.email(), EmailLevel::Different | EmailLevel::Missing)
        || matches!(v.phone(), PhoneLevel::Exact | PhoneLevel::SameLast8)
        || v.postal_code() == PostalLevel::Exact
        || v.address() == AddressLevel::NumbersAndTown
}

/// Whether a pair is one customer by the whole name and the postal code:
/// as [`name_and_birth_date_agree`], with the postal code in the birth
/// date's place. A postal code is a neighbourhood of some hundreds of
/// households while a name's namesakes are spread over the country, and a
/// household member there gives another given name; one of the same full
/// name (a father and son) is told apart by whatever both rows give that
/// differs (the birth date, the mailbox, the phone), which this rule does
/// not link. Sparse rows of a romaji or kana name and a postal code scored
/// under the match threshold (name 9.4 + postal code 11.4 + prior −15.2
/// bits on the second generator's sparse file, less a common name's term
/// frequency). Measured (README, "Decisions"): second generator, seeds 5,
/// 6 and 9, +159 (eight files), +54 and +55 truly affected records, 1, 1
/// and 0 false; the grid and 1,000,000 generated persons unchanged.
pub fn name_and_postal_code_agree(v: &ComparisonVector) -> bool {
    v.name().is_exact() && v.postal_code() == PostalLevel::Exact && agrees_wherever_compared(v)
}

/// Whether a named pair is one customer whose surname changed: the given
/// name agrees exactly and the surname does not, the birth date agrees,
/// and the email or a mobile number agrees exactly (the mobile beside an
/// email that does not disagree), nothing about the person disagreeing
/// (passport, gender).
///
/// Why: in Japan a marriage changes one spouse's surname (the wife's in
/// some 95% of marriages, Ministry of Health, Labour and Welfare vital
/// statistics), and bookings lie years from the leaked row, so a customer
/// books under her new surname with the mailbox and handset she had. The
/// model, fitted on rows where surnames never change, weighs the whole
/// name and the surname disagreeing twice (−14.3 and −10.9 bits fitted on
/// 1,000,000 generated persons): such a booking, its given name, birth
/// date, email and mobile all the row's, scored −1.6 bits and linked
/// nothing, not even for review. Who else could it be: a household member
/// shares the surname (another given name and birth date), a namesake the
/// whole name (another mailbox and number), twins the birth date (another
/// given name). One of another surname with the given name, the birth
/// date and the mailbox or handset of the row is no one but its customer.
/// Measured: neither generator changes a surname, but `generate` at times
/// mistypes one beyond "similar"; the rule linked 9 bookings on the grid
/// and 70 pairs on 1,000,000 persons, all to their customer (34 more truly
/// affected records there, none false); the second generator's files are
/// identical. An integration test holds the marriage case.
pub fn surname_changed(v: &ComparisonVector, line: Line) -> bool {
    let mobile = v.phone() == PhoneLevel::Exact && line == Line::Mobile && v.email() != EmailLevel::Different;
    v.given_name() == PartLevel::Exact
        && v.surname() == PartLevel::Different
        && v.birth_date() == BirthLevel::Exact
        && (v.email() == EmailLevel::Exact || mobile)
        && v.passport() != AgreeLevel::Disagree
        && v.gender() != AgreeLevel::Disagree
}

/// A whole-name rule that links a pair whatever its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    /// [`name_and_personal_contact_agree`].
    PersonalContact,
    /// [`surname_changed`].
    SurnameChanged,
    /// [`name_and_birth_date_agree`], at or above the review threshold.
    BirthDate,
    /// [`name_and_postal_code_agree`], at or above the review threshold.
    PostalCode,
}

impl NameRule {
    /// Whether the rule links a pair whatever other fields say: the whole
    /// name with a personal contact, or with the given name, birth date and
    /// a personal contact beside a changed surname. The other rules link
    /// only where every field both give agrees.
    pub fn holds_beside_other_contacts(self) -> bool {
        matches!(self, NameRule::PersonalContact | NameRule::SurnameChanged)
    }
}

/// The whole-name rule that links a pair of this weight, if one does: the
/// one place the linker, the chains, the clustering and links.csv ask.
pub fn name_rule(v: &ComparisonVector, line: Line, weight: f64, review_weight: f64) -> Option<NameRule> {
    if name_and_personal_contact_agree(v, line) {
        Some(NameRule::PersonalContact)
    } else if surname_changed(v, line) {
        Some(NameRule::SurnameChanged)
    } else if weight >= review_weight && name_and_birth_date_agree(v) {
        Some(NameRule::BirthDate)
    } else if weight >= review_weight && name_and_postal_code_agree(v) {
        Some(NameRule::PostalCode)
    } else {
        None
    }
}
