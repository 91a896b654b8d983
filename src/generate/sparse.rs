//! The sparse structures of a generated recovered row: a romaji name only,
//! a name with the birth date and one contact, no name at all, a name in
//! one script only, two fields only (the classes in classes.csv).
//!
//! Invariant: a row's structure is drawn from the person's own generator,
//! so it depends on (seed, index) only.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::person::Person;
use super::render::Fields;

/// Makes a rendered recovered row sparse, as restored rows are: a romaji
/// name only, a name with the birth date and one contact, no name at all
/// (contacts only), a name in one script only, or two fields only. `rate`
/// is the share of rows of each of the last three structures.
pub(super) fn sparsen_row(
    person: &Person,
    fields: &mut Fields,
    classes: &mut Vec<&'static str>,
    rate: f64,
    rng: &mut ChaCha8Rng,
) {
    if rng.random_bool(0.05) {
        classes.push("romaji_only");
        if fields.romaji.is_empty() {
            fields.romaji = format!("{} {}", person.surname.romaji, person.given.romaji);
        }
        fields.kanji.clear();
        fields.kana.clear();
    } else if rng.random_bool(0.10) {
        // A sparse row: a name, the birth date and one contact only.
        classes.push("sparse_row");
        let keep_phone = rng.random_bool(0.5);
        fields.kanji.clear();
        fields.romaji.clear();
        fields.address.clear();
        fields.postal.clear();
        fields.gender.clear();
        if keep_phone {
            fields.email.clear();
        } else {
            fields.phone.clear();
        }
    } else if rng.random_bool(rate) {
        classes.push("no_name");
        keep_contacts_only(fields, rng);
    } else if rng.random_bool(rate) {
        // A name in one script only.
        fields.romaji.clear();
        if rng.random_bool(0.5) {
            classes.push("kanji_only");
            fields.kana.clear();
        } else {
            classes.push("kana_only");
            fields.kanji.clear();
        }
    } else if rng.random_bool(rate) {
        classes.push("two_fields");
        keep_two_fields(fields, rng);
    }
}

/// No name: some mix of the contacts and the birth date.
fn keep_contacts_only(fields: &mut Fields, rng: &mut ChaCha8Rng) {
    fields.kanji.clear();
    fields.kana.clear();
    fields.romaji.clear();
    fields.gender.clear();
    fields.passport.clear();
    fields.issue.clear();
    let [email, phone, address, birth] = match rng.random_range(0..5) {
        0 => [true, false, false, false],
        1 => [false, true, false, false],
        2 => [true, true, false, false],
        3 => [false, true, true, false],
        _ => [true, false, true, true],
    };
    if !email {
        fields.email.clear();
    }
    if !phone {
        fields.phone.clear();
    }
    if !address {
        fields.address.clear();
        fields.postal.clear();
    }
    if !birth {
        fields.birth.clear();
    }
}

/// Two fields only: the kana name and one other, or two contacts.
fn keep_two_fields(fields: &mut Fields, rng: &mut ChaCha8Rng) {
    let name_and: Option<usize> = rng.random_bool(0.6).then(|| rng.random_range(0..4));
    let kept = std::mem::take(fields);
    match name_and {
        Some(other) => {
            fields.kana = kept.kana;
            match other {
                0 => fields.birth = kept.birth,
                1 => fields.email = kept.email,
                2 => fields.phone = kept.phone,
                _ => fields.address = kept.address,
            }
        }
        None => {
            fields.email = kept.email;
            fields.phone = kept.phone;
        }
    }
}
