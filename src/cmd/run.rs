//! `leakmatch run`: the pipeline, in order. No logic of its own lives here.

use std::time::Instant;

use anyhow::Result;

use crate::config::RunConfig;
use crate::matching::{block, dedup, index::PersonIndex, link::Linker, PersonIdx};
use crate::output::counts::Counts;
use crate::output::rejects::RejectWriter;
use crate::output::results::ResultSet;
use crate::output::{report, summary, StagingDir};
use crate::progress::Progress;
use crate::{assess, bookings, recovered};

/// Runs the whole job on the configured thread pool.
pub fn run(config: &RunConfig) -> Result<()> {
    config.pool.install(|| pipeline(config))
}

fn pipeline(config: &RunConfig) -> Result<()> {
    let started = Instant::now();
    let progress = Progress::new(config.quiet);
    let staging = StagingDir::create(&config.out)?;
    let mut rejects = RejectWriter::create(&staging)?;

    // 1. Recovered rows → normalized records, kept in memory.
    let recovered = recovered::load(&config.recovered, config.as_of, &mut rejects, &progress)?;
    // 2. Records → persons, and the index the bookings are probed against.
    let keys = block::key_entries(&recovered.records);
    let persons = dedup::group(&recovered.records, &keys);
    let index = PersonIndex::build(&keys, &persons);
    drop(keys);
    // 3. Bookings streamed through the linker and the rules.
    let linker = Linker::new(&recovered.records, &index);
    let bookings = bookings::link_all(&config.bookings, config.as_of, &config.rules, &linker, &mut rejects, &progress)?;
    rejects.finish()?;
    // 4. One status per person.
    let outcomes = assess::assess(&persons, &recovered.records, &bookings, config.as_of);
    // 5. Outputs, committed atomically.
    let results = ResultSet {
        recovered: &recovered,
        persons: &persons,
        bookings: &bookings,
        outcomes: &outcomes,
        include_sensitive: config.include_sensitive,
    };
    let counts = Counts::compute(&recovered, &bookings, &outcomes, |p| !results.emails(p as PersonIdx).is_empty());
    results.write(&staging)?;
    report::write(&counts, &staging)?;
    counts.write(&staging)?;
    staging.commit()?;

    if config.affected_to_stdout {
        results.stream_affected(config.format)?;
    }
    if !config.quiet {
        summary::print(&counts, &config.out, started.elapsed().as_secs_f64());
    }
    if let Some(expected) = &config.expect {
        counts.check_expected(expected)?;
    }
    Ok(())
}
