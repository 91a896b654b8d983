//! leakmatch: finds the customers affected by a personal-data leak.
//!
//! The pipeline of `leakmatch run` (see `cmd/run.rs`): [`input`] reads and
//! decodes rows, [`normalize`] makes every field comparable, [`recovered`]
//! keeps the recovered rows in memory, [`matching`] groups them into persons
//! and links bookings to them, [`bookings`] streams the booking exports,
//! [`rules`] says which bookings count, [`assess`] gives each person a status,
//! and [`output`] writes the result folder atomically.

pub mod assess;
pub mod bookings;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod evaluation;
pub mod exit;
pub mod generate;
pub mod input;
pub mod matching;
pub mod normalize;
pub mod output;
pub mod prefetch;
pub mod progress;
pub mod recovered;
pub mod rules;
pub mod signals;
pub mod spill;
pub mod workers;
