//! Integration tests: they run the real `leakmatch` binary on fixtures.
//!
//! Table of contents:
// Shared harness: temp folders, running the binary, golden-file comparison.
mod util;
// fixtures/basic against its golden files, and the properties of a result folder.
mod golden;
// UTF-8 (BOM, bad bytes), CP932 detection and forcing, TSV.
mod encoding;
// Output bytes independent of --threads, on data larger than one batch.
mod determinism;
// Bad inputs and flags: exit codes and messages.
mod errors;
// `leakmatch normalize`: the keys beside the raw columns.
mod normalize;
// `leakmatch evaluate`: scores against ground truth.
mod evaluate;
// `leakmatch generate` and the committed fixtures/generated, with CI's F1 floor.
mod generated;
// The notification rules on real export values, `values`, explain's rule decision, reject lines.
mod rules;
// SIGINT, SIGTERM and SIGKILL mid-run: staging removed, previous result intact.
mod signals;
// A marker in every input field never reaches a stream or a message.
mod privacy;
// report.html rendered by headless Chromium.
mod report;
// The probabilistic-linkage building blocks trained on fixtures/generated.
mod linkage;
// Training on a file whose rows teach less than the bookings need: the model's bounds.
mod training;
// Rows that give little but a name (one script, a kanji name and an address): joins and links.
mod few_fields;
// Rows without a name: the identity rule, households' contacts, partial contacts for review.
mod nameless;
// Bookings linked through another booking of the same customer.
mod chains;
// An email or phone that more persons give than a household holds (a dummy mailbox): no one's.
mod common_contacts;
