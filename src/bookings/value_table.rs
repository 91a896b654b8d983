//! The rule values of linked bookings, each stored once and named by a
//! small id.
//!
//! Invariant: ids are given in booking order (the ordered drain), so they
//! do not depend on the thread count.

use rustc_hash::FxHashMap;

/// An index into a [`ValueTable`].
pub type ValueId = u32;

/// Rule values stored once each (a few hundred distinct values stand for
/// millions of bookings).
#[derive(Debug, Default)]
pub struct ValueTable {
    values: Vec<String>,
    ids: FxHashMap<String, ValueId>,
}

impl ValueTable {
    /// The id of `value`, added when new.
    pub fn intern(&mut self, value: &str) -> ValueId {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as ValueId;
        self.values.push(value.to_string());
        self.ids.insert(value.to_string(), id);
        id
    }

    /// The value of `id`; empty for an id never given (a test's default).
    pub fn get(&self, id: ValueId) -> &str {
        self.values.get(id as usize).map_or("", String::as_str)
    }
}
