//! A test reader that hands out its bytes in chunks of a fixed size, so
//! readers layered on it are tested across every buffer boundary.

use std::io::{self, Read};

/// Reads `.0` in chunks of at most `.1` bytes.
pub struct Chunked<'a>(pub &'a [u8], pub usize);

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(self.1).min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}
