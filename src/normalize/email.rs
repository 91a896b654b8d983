//! Email addresses: trimmed, NFKC (full-width ＠ and ．), lower-case.
//!
//! A value without exactly one `@` between a non-empty local part and domain,
//! or with spaces inside, is unusable. Japanese carrier addresses that break
//! RFC 5322 (consecutive dots, a dot before `@`) are kept as they are.

use super::text::nfkc_into;
use super::Outcome;

/// Normalizes an email address into `out`.
pub fn normalize(raw: &str, scratch: &mut String, out: &mut String) -> Outcome {
    out.clear();
    if raw.is_empty() {
        return Outcome::Missing;
    }
    scratch.clear();
    nfkc_into(raw, scratch);
    let trimmed = scratch.trim();
    let Some((local, domain)) = trimmed.split_once('@') else {
        return Outcome::Invalid;
    };
    let usable =
        !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !trimmed.chars().any(char::is_whitespace);
    if !usable {
        return Outcome::Invalid;
    }
    out.extend(trimmed.chars().flat_map(char::to_lowercase));
    Outcome::Value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::table_test;

    #[test]
    fn email_table() {
        table_test::run("email", |raw| {
            let (mut scratch, mut out) = (String::new(), String::new());
            normalize(raw, &mut scratch, &mut out);
            out
        });
    }
}
