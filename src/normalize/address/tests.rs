//! Unit tests of `normalize::address` (table cases in fixtures/normalize/).

use super::*;
use crate::normalize::table_test;

#[test]
fn postal_code_written_first_table() {
    table_test::run("address_postal", |raw| {
        let mut out = Address::default();
        normalize(raw, &mut Scratch::default(), &mut out);
        let mut code = String::new();
        postal_code_written_first(&out, &mut code);
        code
    });
}

#[test]
fn address_table() {
    table_test::run("address", |raw| {
        let mut out = Address::default();
        normalize(raw, &mut Scratch::default(), &mut out);
        if out.full.is_empty() {
            return String::new();
        }
        format!("{}|{}|{}|{}|{}", out.prefecture, out.city, out.town, out.numbers, out.building)
    });
}
