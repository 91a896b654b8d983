//! Whether two records share a key, read part by part from the records
//! without writing the keys ([`KeyKind::same_key`]): what the candidate
//! checks ask of every record a probe finds.
//!
//! Invariant: `same_key` says what comparing the texts
//! [`KeyKind::write_key`] writes would say.

use super::{email_domain, KeyKind};
use crate::normalize::address::house_numbers;
use crate::normalize::RecordView;

impl KeyKind {
    /// Whether variant `va` of this key of `a` equals variant `vb` of `b`:
    /// what comparing the keys [`KeyKind::write_key`] writes would say,
    /// part by part, without writing them (this runs for every candidate).
    pub fn same_key(self, a: &RecordView<'_>, va: u8, b: &RecordView<'_>, vb: u8) -> bool {
        let value = self.value(a, va);
        !value.is_empty() && value == self.value(b, vb) && self.same_rest(a, va, b, vb)
    }

    /// Whether the parts of the key besides its value ([`KeyKind::push_rest`])
    /// are the same for variant `va` of `a` and `vb` of `b`.
    pub(super) fn same_rest(self, a: &RecordView<'_>, va: u8, b: &RecordView<'_>, vb: u8) -> bool {
        let same_birth = a.birth_date.is_some() && a.birth_date == b.birth_date;
        match self {
            KeyKind::Passport | KeyKind::Email | KeyKind::EmailLocalPart | KeyKind::Phone => true,
            KeyKind::NameBirth
            | KeyKind::KanjiBirth
            | KeyKind::GivenBirth
            | KeyKind::SurnameBirth
            | KeyKind::BirthPostal => same_birth,
            KeyKind::SurnamePostal | KeyKind::SurnameInitialPostal => {
                let initial = self.initial(a, va);
                let initial_holds =
                    (initial.is_some() || self == KeyKind::SurnamePostal) && initial == self.initial(b, vb);
                !a.postal_code.is_empty() && a.postal_code == b.postal_code && initial_holds
            }
            KeyKind::KanjiPostal => !a.postal_code.is_empty() && a.postal_code == b.postal_code,
            KeyKind::BirthAddress => same_birth && !a.address.town.is_empty() && a.address.town == b.address.town,
            KeyKind::NameAddress | KeyKind::SurnameAddress => {
                let (x, y) = (&a.address, &b.address);
                let house = house_numbers(x.numbers);
                !x.town.is_empty() && !house.is_empty() && x.town == y.town && house == house_numbers(y.numbers)
            }
            KeyKind::Address => {
                let (x, y) = (&a.address, &b.address);
                !x.town.is_empty() && !x.city.is_empty() && x.town == y.town && x.city == y.city
            }
            KeyKind::NameEmailDomain => {
                let domain = email_domain(a);
                !domain.is_empty() && domain == email_domain(b)
            }
        }
    }
}
