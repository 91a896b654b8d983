//! Linked bookings held on disk while the bookings stream, read back once
//! the index they were linked with is freed.
//!
//! While the bookings are linked, memory holds the recovered records and
//! the index of their keys; every linked booking adds its links, its id
//! and email (about 100 bytes: 1 GB on 8,000,000 generated persons, the
//! run's peak). Written to a file instead, they come back after the index
//! (1.1 GB there) is gone, so the two never take memory at once.
//!
//! The files are `crate::spill` files: unnamed, in the staging folder.
//! [`LinkedOnDisk`] is the streamed result until it is read back.
//!
//! Invariant: what [`Spill::read_back`] returns is exactly what was
//! written, in order.

use std::path::Path;

use anyhow::Result;

use rayon::slice::ParallelSliceMut;

use super::chain::ChainRows;
use super::{
    cap_contact_only_links, linked_and_possible_rows, BookingLinks, LinkKind, LinkedBooking, PersonLink,
    MAX_CONTACT_ONLY_BOOKINGS,
};
use crate::input::at::RowAt;
use crate::matching::compare::ComparisonVector;
use crate::matching::link::Doubt;
use crate::normalize::phone::Line;
use crate::spill::SpillFile;

/// Bytes of one encoded [`LinkedBooking`].
const BOOKING_BYTES: usize = 8 + 4 + 4 + 4 + 4;
/// Bytes of one encoded [`PersonLink`].
const LINK_BYTES: usize = 4 + 4 + 1 + 4 + 8 + size_of::<ComparisonVector>() + 8 + 1;

/// The bookings linked, their links on disk (see `spill`) until
/// [`LinkedOnDisk::read_back`], called once the index is freed.
#[derive(Debug)]
pub struct LinkedOnDisk(pub(super) BookingLinks);

impl LinkedOnDisk {
    /// Every linked booking and link back in memory, the links in person
    /// order; the seeds and the unlinked bookings stay on disk for
    /// `chain::follow`.
    pub fn read_back(self) -> Result<(BookingLinks, ChainRows)> {
        let mut links = self.0;
        let chain_rows = ChainRows {
            seeds: links.seeds.take().unwrap_or_default(),
            unlinked: links.unlinked.take().unwrap_or_default(),
        };
        if let Some(mut spill) = links.spill.take() {
            spill.write(&links.bookings, &links.links, &links.text)?;
            let back = spill.read_back()?;
            (links.bookings, links.links, links.text) = (back.bookings, back.links, back.text);
        }
        // Each person's links in booking order. A booking links a person
        // at most once, so (person, booking) is unique and an unstable sort
        // gives the stable order, without the stable sort's buffer of half
        // the links (260 MB at 8,000,000 persons).
        links.links.par_sort_unstable_by_key(|link| (link.person, link.booking));
        links.contact_only_capped = cap_contact_only_links(&mut links.links, MAX_CONTACT_ONLY_BOOKINGS);
        (links.rows_linked, links.rows_possible) = linked_and_possible_rows(&links.links, links.bookings.len());
        Ok((links, chain_rows))
    }
}

/// The three unnamed files.
#[derive(Debug)]
pub struct Spill {
    bookings: SpillFile,
    links: SpillFile,
    text: SpillFile,
}

/// What a spill gives back.
pub struct SpilledLinks {
    pub bookings: Vec<LinkedBooking>,
    pub links: Vec<PersonLink>,
    pub text: String,
}

impl Spill {
    /// Three unnamed files in `dir`.
    pub fn create(dir: &Path) -> Result<Spill> {
        Ok(Spill { bookings: SpillFile::create(dir)?, links: SpillFile::create(dir)?, text: SpillFile::create(dir)? })
    }

    /// Appends bookings, links and text (each in order).
    pub fn write(&mut self, bookings: &[LinkedBooking], links: &[PersonLink], text: &str) -> Result<()> {
        for booking in bookings {
            self.bookings.write(&encode_booking(booking))?;
        }
        for link in links {
            self.links.write(&encode_link(link))?;
        }
        self.text.write(text.as_bytes())
    }

    /// The bookings and the bytes of text written so far.
    pub fn written(&self) -> (usize, usize) {
        (self.bookings.len() / BOOKING_BYTES, self.text.len())
    }

    /// Everything written, in order.
    pub fn read_back(self) -> Result<SpilledLinks> {
        Ok(SpilledLinks {
            bookings: self.bookings.read_records(decode_booking)?,
            links: self.links.read_records(decode_link)?,
            text: self.text.read_string()?,
        })
    }
}

fn encode_booking(b: &LinkedBooking) -> [u8; BOOKING_BYTES] {
    let mut out = [0u8; BOOKING_BYTES];
    let mut at = 0;
    put(&mut out, &mut at, &b.text_start.to_le_bytes());
    put(&mut out, &mut at, &b.id_len.to_le_bytes());
    put(&mut out, &mut at, &b.email_len.to_le_bytes());
    put(&mut out, &mut at, &b.profile.to_le_bytes());
    put(&mut out, &mut at, &b.file.to_le_bytes());
    out
}

fn decode_booking(bytes: &[u8; BOOKING_BYTES]) -> LinkedBooking {
    let mut at = 0;
    LinkedBooking {
        text_start: u64::from_le_bytes(take(bytes, &mut at)),
        id_len: u32::from_le_bytes(take(bytes, &mut at)),
        email_len: u32::from_le_bytes(take(bytes, &mut at)),
        profile: u32::from_le_bytes(take(bytes, &mut at)),
        file: u32::from_le_bytes(take(bytes, &mut at)),
    }
}

fn encode_link(l: &PersonLink) -> [u8; LINK_BYTES] {
    let mut out = [0u8; LINK_BYTES];
    let mut at = 0;
    // 0 a match; a possible link its reason's code + 1.
    let kind = match l.kind {
        LinkKind::Match => 0u8,
        LinkKind::Possible(doubt) => doubt.code() + 1,
    };
    put(&mut out, &mut at, &l.person.to_le_bytes());
    put(&mut out, &mut at, &l.booking.to_le_bytes());
    put(&mut out, &mut at, &[kind]);
    put(&mut out, &mut at, &l.record.to_le_bytes());
    put(&mut out, &mut at, &l.score.to_bits().to_le_bytes());
    put(&mut out, &mut at, &l.vector.0);
    put(&mut out, &mut at, &l.tf_adjustment.to_bits().to_le_bytes());
    put(&mut out, &mut at, &[u8::from(l.phone_line == Line::Mobile)]);
    out
}

fn decode_link(bytes: &[u8; LINK_BYTES]) -> PersonLink {
    let mut at = 0;
    PersonLink {
        person: u32::from_le_bytes(take(bytes, &mut at)),
        booking: u32::from_le_bytes(take(bytes, &mut at)),
        kind: match take::<1>(bytes, &mut at)[0].checked_sub(1) {
            None => LinkKind::Match,
            // Written by `encode_link` from a reason, so always one.
            Some(code) => LinkKind::Possible(Doubt::from_code(code).unwrap_or(Doubt::BelowThreshold)),
        },
        record: u32::from_le_bytes(take(bytes, &mut at)),
        score: f64::from_bits(u64::from_le_bytes(take(bytes, &mut at))),
        vector: ComparisonVector(take(bytes, &mut at)),
        tf_adjustment: f64::from_bits(u64::from_le_bytes(take(bytes, &mut at))),
        phone_line: if take::<1>(bytes, &mut at)[0] == 1 { Line::Mobile } else { Line::Other },
    }
}

/// Writes `part` as the next bytes of a record being encoded.
pub(super) fn put(out: &mut [u8], at: &mut usize, part: &[u8]) {
    out[*at..*at + part.len()].copy_from_slice(part);
    *at += part.len();
}

/// Bytes of an encoded [`RowAt`].
pub(super) const ROW_AT_BYTES: usize = 4 + 8 + 4;

/// Appends where a row is (its file, start and length).
pub(super) fn put_row_at(out: &mut [u8], at: &mut usize, row: RowAt) {
    put(out, at, &row.file.to_le_bytes());
    put(out, at, &row.start.to_le_bytes());
    put(out, at, &row.len.to_le_bytes());
}

/// The next [`RowAt`] of a record being decoded.
pub(super) fn take_row_at(bytes: &[u8], at: &mut usize) -> RowAt {
    let file = u32::from_le_bytes(take(bytes, at));
    let start = u64::from_le_bytes(take(bytes, at));
    let len = u32::from_le_bytes(take(bytes, at));
    RowAt { file, start, len }
}

/// The next `N` bytes of a record being decoded.
pub(super) fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[*at..*at + N]);
    *at += N;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_comes_back_in_order() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let booking =
            |i: u32| LinkedBooking { text_start: u64::from(i) << 33, id_len: i, email_len: 7, profile: 3, file: i % 5 };
        let mut vector = ComparisonVector::default();
        vector.0[0] = 2;
        let link = |i: u32, kind| PersonLink {
            person: i * 3,
            booking: i,
            kind,
            record: u32::MAX - i,
            score: -1.5 * f64::from(i),
            vector,
            tf_adjustment: 0.25,
            phone_line: if i == 1 { Line::Mobile } else { Line::Other },
        };
        let mut spill = Spill::create(dir.path())?;
        spill.write(&[booking(0), booking(1)], &[link(0, LinkKind::Match)], "B1a@x.jp")?;
        spill.write(
            &[booking(2)],
            &[link(1, LinkKind::Possible(Doubt::HouseholdRow)), link(2, LinkKind::Match)],
            "B2",
        )?;
        let back = spill.read_back()?;
        assert_eq!(back.bookings, [booking(0), booking(1), booking(2)]);
        assert_eq!(
            back.links,
            [link(0, LinkKind::Match), link(1, LinkKind::Possible(Doubt::HouseholdRow)), link(2, LinkKind::Match)]
        );
        assert_eq!(back.text, "B1a@x.jp".to_string() + "B2");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 0, "the files have no name");
        Ok(())
    }
}
