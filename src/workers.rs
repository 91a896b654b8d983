//! Worker state that outlives a rayon split.
//!
//! `map_init` makes its state once per split, and rayon splits every batch
//! into many: state made there starts cold each time. Workers hold a memo
//! of name parts (normalize/part_memo.rs) that pays only when it stays
//! warm, so they are leased from a [`Pool`] and returned when the split
//! ends, to be reused by the next one.
//!
//! Invariant: a worker's state is scratch and memo only — pure functions of
//! what it has seen — so which worker handles a row never changes a result.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

/// Idle workers, made on demand.
pub struct Pool<T, F: Fn() -> T> {
    idle: Mutex<Vec<T>>,
    make: F,
}

impl<T, F: Fn() -> T> Pool<T, F> {
    pub fn new(make: F) -> Self {
        Pool { idle: Mutex::new(Vec::new()), make }
    }

    /// The workers made so far, once every lease has ended (to merge what
    /// each of them tallied).
    pub fn into_idle(self) -> Vec<T> {
        self.idle.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// An idle worker, or a new one.
    pub fn lease(&self) -> Lease<'_, T, F> {
        // A poisoned lock only means another worker panicked; the idle list
        // itself is still sound.
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Lease { worker: Some(idle.unwrap_or_else(|| (self.make)())), pool: self }
    }
}

/// A worker on loan; back to the pool when dropped.
pub struct Lease<'p, T, F: Fn() -> T> {
    worker: Option<T>,
    pool: &'p Pool<T, F>,
}

impl<T, F: Fn() -> T> Deref for Lease<'_, T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        self.worker.as_ref().expect("a lease holds its worker until dropped")
    }
}

impl<T, F: Fn() -> T> DerefMut for Lease<'_, T, F> {
    fn deref_mut(&mut self) -> &mut T {
        self.worker.as_mut().expect("a lease holds its worker until dropped")
    }
}

impl<T, F: Fn() -> T> Drop for Lease<'_, T, F> {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            self.pool.idle.lock().unwrap_or_else(|e| e.into_inner()).push(worker);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returned_worker_is_leased_again() {
        let made = std::sync::atomic::AtomicUsize::new(0);
        let pool = Pool::new(|| {
            made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Vec::<u32>::new()
        });
        {
            let mut first = pool.lease();
            first.push(7);
        }
        let second = pool.lease();
        assert_eq!(*second, vec![7], "the same worker, with its state");
        let _third = pool.lease();
        assert_eq!(made.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
