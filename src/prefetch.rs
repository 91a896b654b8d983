//! A hint to the processor to start loading memory that is about to be
//! read, so that the cache misses of independent look-ups overlap instead
//! of following one another.
//!
//! Linking a booking reads a few dozen places spread over gigabytes (the
//! blocks its keys find, then each record found): every read a cache miss
//! that the processor cannot start before the one it depends on ends.
//! Asking for the next records' memory before reading the first lets those
//! misses run at the same time.
//!
//! Invariant: a prefetch has no effect on results; it never faults, even
//! on an address that is not mapped, and reads nothing the program sees.

/// A cache line of the processors this runs on (x86_64).
const CACHE_LINE_BYTES: usize = 64;

/// Asks for the cache lines holding `item`.
#[inline]
pub fn prefetch<T>(item: &T) {
    prefetch_range((item as *const T).cast::<u8>(), size_of::<T>());
}

/// Asks for the cache lines holding `bytes`.
#[inline]
pub fn prefetch_bytes(bytes: &[u8]) {
    prefetch_range(bytes.as_ptr(), bytes.len());
}

/// Asks for every cache line of the `len` bytes from `first`.
#[inline]
fn prefetch_range(first: *const u8, len: usize) {
    let mut offset = 0;
    while offset < len {
        prefetch_line(first.wrapping_add(offset));
        offset += CACHE_LINE_BYTES;
    }
    // The last line, when the bytes do not start on a line.
    if len > 0 {
        prefetch_line(first.wrapping_add(len - 1));
    }
}

#[inline]
fn prefetch_line(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads no memory the program can observe and
        // cannot fault, whatever the address (here always inside an object
        // the caller holds a reference to); SSE, which provides it, is part
        // of every x86_64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(address.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}
