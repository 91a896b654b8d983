//! Email addresses: trimmed, NFKC (full-width ＠ and ．), lower-case; plus a
//! secondary key for Gmail, where dots and a `+tag` in the local part do not
//! change the mailbox (googlemail.com is gmail.com).
//!
//! A value without exactly one `@` between a non-empty local part and domain,
//! or with spaces inside, is unusable. Japanese carrier addresses that break
//! RFC 5322 (consecutive dots, a dot before `@`) are kept as they are.

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
    let trimmed = prepared(raw, &mut scratch.aux, &mut scratch.text).trim();
    let Some((local, domain)) = trimmed.split_once('@') else {
        return Outcome::Invalid;
    };
    let has_space = trimmed.chars().any(char::is_whitespace);
    if local.is_empty() || domain.is_empty() || domain.contains('@') || has_space {
        return Outcome::Invalid;
    }
    if trimmed.is_ascii() {
        out.address.push_str(trimmed);
        out.address.make_ascii_lowercase();
    } else {
        out.address.extend(trimmed.chars().flat_map(char::to_lowercase));
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
