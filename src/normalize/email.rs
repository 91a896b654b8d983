//! Email addresses: trimmed, NFKC (full-width ＠ and ．), lower-case; plus a
//! secondary key for Gmail, where dots and a `+tag` in the local part do not
//! change the mailbox (googlemail.com is gmail.com).
//!
//! A value written as in a mail header or a link (`Name <addr>`,
//! `mailto:addr`) or after a label (`PC:addr`) is the address inside, and
//! a note beside it in brackets (`taro@example.jp (PC)`, `【携帯】taro@…`;
//! RFC 5322 calls the round ones comments) is dropped. A value without exactly one `@` between a
//! non-empty local part and domain, with a bracket left, spaces inside
//! (but beside the `@`, dropped), a
//! character no address holds (`,` `;` `:` and brackets in the local part;
//! anything but letters, digits, `-` and `.` in the domain), is unusable:
//! two addresses in one cell (`a@x; b@y`) among them, since which one the
//! customer reads the data does not say. A full stop after the domain is
//! dropped, and so is a list separator after the only address (`a@x;`).
//! Japanese carrier addresses that break RFC 5322 (consecutive dots, a dot
//! before `@`) are kept as they are.

use super::note::without_notes_either_side;
use super::text::prepared;
use super::{Outcome, Scratch};

/// A normalized email and its match key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Email<S = String> {
    /// The address to mail: trimmed, NFKC, lower-case.
    pub address: S,
    /// The address as compared: Gmail dots and +tags dropped, else the address.
    pub key: S,
}

impl<S> Email<S> {
    /// The same email with each text mapped by `f`, in field order.
    pub fn map<'a, T>(&'a self, f: &mut impl FnMut(&'a S) -> T) -> Email<T> {
        Email { address: f(&self.address), key: f(&self.key) }
    }
}

/// Normalizes an email address into `out`.
pub fn normalize(raw: &str, scratch: &mut Scratch, out: &mut Email) -> Outcome {
    out.address.clear();
    out.key.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    // A full stop after the address is the sentence's it was copied from
    // (`taro@example.jp.`, `…jp。`): no mail domain ends with one. A list
    // separator after it (`taro@example.jp;`, as a mail program copies a
    // recipient) ends a list of one address: no domain ends with one either.
    let prepared = prepared(raw, &mut scratch.aux, &mut scratch.text).trim();
    let trimmed = bare_address(without_note(prepared)).trim_end_matches(['.', '。', ';', ',', '、']).trim_end();
    let Some((local, domain)) = trimmed.split_once('@') else {
        return Outcome::Invalid;
    };
    // A space beside the `@` (`taro @example.jp`, `taro ＠ example.jp`) was
    // typed, or put there to keep the address from harvesters: an address
    // holds no space, and the text either side is the one mailbox. A space
    // anywhere else (`ta ro@…`, `山田 taro@…`) leaves the address in doubt.
    let (local, domain) = (local.trim_end(), domain.trim_start());
    // A bracket left after `bare_address` and `without_note` is half of a
    // pair, or a note inside the address: not an address.
    let local_ok = local.chars().all(|c| !c.is_whitespace() && !NOT_IN_LOCAL_PART.contains(&c));
    let domain_ok = domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if local.is_empty() || domain.is_empty() || !local_ok || !domain_ok {
        return Outcome::Invalid;
    }
    if local.is_ascii() && domain.is_ascii() {
        out.address.extend([local, "@", domain]);
        out.address.make_ascii_lowercase();
    } else {
        out.address.extend([local, "@", domain].iter().flat_map(|part| part.chars()).flat_map(char::to_lowercase));
    }
    let (local, domain) = out.address.split_once('@').unwrap_or_default();
    if domain == "gmail.com" || domain == "googlemail.com" {
        let mailbox = local.split('+').next().unwrap_or(local);
        out.key.extend(mailbox.chars().filter(|c| *c != '.'));
        out.key.push_str("@gmail.com");
    } else {
        out.key.push_str(&out.address);
    }
    Outcome::Value
}

/// The address of a value written as in a mail header or a link
/// (`山田太郎 <taro@example.jp>`, `<taro@example.jp>`, `mailto:taro@example.jp`),
/// as exports copied from a mail client or a web page hold it, or after a
/// label (`PC:taro@example.jp`, `携帯：taro@…`): the part inside the
/// brackets, after the last colon before the `@`. A colon cannot stand in
/// an unquoted local part, so what precedes it (a scheme, a label) is
/// never the address's.
fn bare_address(text: &str) -> &str {
    let inside = match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(before_close)) => before_close[open + 1..].trim(),
        _ => text,
    };
    let before_at = inside.find('@').map_or(inside, |at| &inside[..at]);
    match before_at.rfind(':') {
        Some(colon) => inside[colon + 1..].trim_start(),
        None => inside,
    }
}

/// The address without a note in brackets after or before it
/// (`taro@example.jp (PC)`, `(自宅)taro@example.jp`, `【携帯】…`): what an
/// address says of itself (whose, which device), never part of it.
fn without_note(text: &str) -> &str {
    &text[without_notes_either_side(text)]
}

/// Characters an address's local part cannot hold unquoted (RFC 5322's
/// specials but `.` and `@`; a quoted local part is too rare in customer
/// data to be worth reading, and unusable here).
const NOT_IN_LOCAL_PART: [char; 11] = ['(', ')', '<', '>', '[', ']', ',', ';', ':', '\\', '"'];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn email_table() {
        table_test::run("email", |raw| {
            let mut out = Email::default();
            normalize(raw, &mut Scratch::default(), &mut out);
            if out.key == out.address {
                out.address
            } else {
                format!("{}|{}", out.address, out.key)
            }
        });
    }
}
