//! `leakmatch run`: the pipeline, in order. No logic of its own lives here.

use std::time::Instant;

use anyhow::{Context, Result};

use crate::assess::{PersonOutcome, Status};
use crate::bookings::chain::{self, ChainInputs, ChainRows};
use crate::bookings::halves;
use crate::bookings::household::{self, HouseholdSplits, NamedRecords};
use crate::bookings::BookingLinks;
use crate::config::RunConfig;
use crate::input::headers::shown_header_list;
use crate::input::record::OPEN_QUOTE_HINT;
use crate::input::Field;
use crate::matching::dedup::{self, Dedup};
use crate::matching::link::{shared_contacts, Linker};
use crate::matching::PersonIdx;
use crate::output::counts::{Counts, Linkage};
use crate::output::rejects::{RawText, RejectWriter};
use crate::output::repeated_ids::RepeatedIds;
use crate::output::results::ResultSet;
use crate::output::{booking_rules, links, mailing, report, summary, StagingDir};
use crate::progress::{Progress, StepTimes};
use crate::recovered::{LoadOptions, RecoveredSet};
use crate::{assess, bookings, recovered};

/// Runs the whole job on the configured thread pool.
pub fn run(config: &RunConfig) -> Result<()> {
    if config.parse_only {
        return config.pool.install(|| parse_only(config));
    }
    config.pool.install(|| pipeline(config))
}

/// `--parse-only`: the parse floor of the same inputs, on stdout.
fn parse_only(config: &RunConfig) -> Result<()> {
    let started = Instant::now();
    let sources: Vec<&crate::input::Source> = std::iter::once(&config.recovered).chain(&config.bookings).collect();
    let rows = crate::input::parse_only(&sources)?;
    println!("parsed {rows} rows in {:.3} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn pipeline(config: &RunConfig) -> Result<()> {
    let started = Instant::now();
    let progress = Progress::new(config.quiet);
    let (staging, mut rejects) = open_staging(config)?;

    // 1. Recovered rows → normalized records, kept in memory.
    let mut steps = StepTimes::new(config.timings);
    let options = LoadOptions { spill_dir: Some(staging.path()), keep_passport_numbers: config.include_sensitive };
    let mut recovered = recovered::load(&config.recovered, config.as_of, &mut rejects, &progress, options)?;
    steps.step("load");
    steps.note(|| {
        let (bytes, records) = (recovered.records.heap_bytes(), recovered.records.len().max(1));
        format!("record store: {bytes} bytes, {} bytes per record", bytes / records)
    });
    // 2. Records → persons: blocking, model, scores, clustering.
    let mut dedup = dedup::deduplicate(&mut recovered.records, &config.matching, &mut steps);
    steps.step("persons");
    steps.note(|| {
        let (entries, bytes) = dedup.index.size();
        format!("booking index: {entries} keys, {bytes} bytes")
    });
    // 3. Bookings streamed through the linker and the rules.
    let (mut bookings, chain_rows, named) =
        link_bookings(config, &mut recovered, &mut dedup, &mut rejects, &progress, &staging)?;
    let reject_reasons = rejects.finish()?;
    steps.step("bookings");
    steps.note(|| {
        let per_booking = bookings.records_scored as f64 / bookings.rows_read.max(1) as f64;
        format!("bookings: {} records scored, {per_booking:.1} per booking row", bookings.records_scored)
    });
    // 4. A household's row without a name that a booking of another
    // member links through leaves its person.
    let mut households = household::split(&mut dedup.persons, &mut dedup.joins, &mut bookings, &named);
    drop(named);
    // 5. One status per person; then the bookings that agree with a
    // booking of an excluded person, or of one in review, are that
    // person's too, and the status is taken again.
    let assessed = Assessed { recovered: &recovered, dedup: &dedup, households: &households };
    let mut outcomes = assessed.settle(config, &mut bookings, chain_rows, &progress, &mut steps)?;
    // 6. Persons that one booking ties into one customer are joined, and
    // their status is taken again.
    let joined_via_booking = halves::join(&mut dedup.persons, &mut bookings, &mut households);
    if joined_via_booking > 0 {
        outcomes = assess::assess(&dedup.persons, &recovered, &bookings, &households);
    }
    steps.step("halves");
    // 7. Outputs, committed atomically.
    let results = ResultSet {
        recovered: &recovered,
        persons: &dedup.persons,
        bookings: &bookings,
        outcomes: &outcomes,
        include_sensitive: config.include_sensitive,
    };
    let mut counts =
        Counts::compute(&recovered, &bookings, &outcomes, &config.rules, |p| results.has_email(p as PersonIdx));
    let mut linkage = Linkage::new(&dedup, &bookings, config.matching.thresholds, households.counts);
    linkage.common_contacts.affected_only_common_email = results.affected_with_only_common_email();
    linkage.persons_joined_via_booking = joined_via_booking;
    counts.linkage = Some(linkage);
    counts.rejects_by_reason = reject_reasons;
    steps.step("  counts");
    let repeated = RepeatedIds::count(&recovered, &bookings, config.recovered.map.has(Field::RecordId));
    (counts.repeated_record_ids, counts.repeated_booking_ids) = (repeated.records, repeated.bookings);
    describe_inputs(config, &mut counts);
    steps.step("  id repeats");
    write_result_files(config, &results, &dedup, &staging)?;
    steps.step("  csv files");
    counts.output_unencodable = staging.unencodable();
    report::write(&counts, config.lang, &staging)?;
    counts.write(&staging)?;
    staging.commit()?;
    steps.step("outputs");
    // 8. What the caller asked for besides the folder.
    finish(config, &results, &counts, started.elapsed().as_secs_f64())?;
    steps.print();
    if let Some(expected) = &config.expect {
        counts.check_expected(expected)?;
    }
    Ok(())
}

/// What a person's status is taken from, besides the bookings.
struct Assessed<'a> {
    recovered: &'a RecoveredSet,
    dedup: &'a Dedup,
    households: &'a HouseholdSplits,
}

impl Assessed<'_> {
    /// One status per person; then the bookings that agree with a booking
    /// of an excluded person, or of one in review, become that person's
    /// too (`chain::follow`), and the status is taken again.
    fn settle(
        &self,
        config: &RunConfig,
        bookings: &mut BookingLinks,
        chain_rows: ChainRows,
        progress: &Progress,
        steps: &mut StepTimes,
    ) -> Result<Vec<PersonOutcome>> {
        let persons = &self.dedup.persons;
        let mut outcomes = assess::assess(persons, self.recovered, bookings, self.households);
        steps.step("assess");
        let chain_inputs = ChainInputs {
            sources: &config.bookings,
            as_of: config.as_of,
            rules: &config.rules,
            scorer: &self.dedup.scorer,
            common: &self.dedup.common,
            thresholds: config.matching.thresholds,
            progress,
        };
        let unsettled =
            |person: PersonIdx| matches!(outcomes[person as usize].status, Status::Excluded | Status::Review);
        if chain::follow(&chain_inputs, bookings, chain_rows, unsettled)? > 0 {
            outcomes = assess::assess(persons, self.recovered, bookings, self.households);
        }
        steps.step("chains");
        Ok(outcomes)
    }
}

/// The staging folder the outputs are written into (committed at the end)
/// and the rejects file in it, with the raw text the flags allow.
fn open_staging(config: &RunConfig) -> Result<(StagingDir, RejectWriter)> {
    let mut staging = StagingDir::create(&config.out)?;
    staging.set_excel(config.excel);
    staging.set_cp932(config.output_cp932);
    let raw = match (config.include_sensitive, config.redact_rejects) {
        (true, _) => RawText::Whole,
        (false, true) => RawText::KeyedHash,
        (false, false) => RawText::PassportBlanked,
    };
    let rejects = RejectWriter::create(&staging, raw)?;
    Ok((staging, rejects))
}

/// What counts.json says of the input files themselves: the encoding each
/// was read as, the columns no field reads, and what the booking folders
/// hold that is not read.
fn describe_inputs(config: &RunConfig, counts: &mut Counts) {
    counts.unread_booking_paths.clone_from(&config.unread_booking_paths);
    let sources = || std::iter::once(&config.recovered).chain(&config.bookings);
    counts.input_encodings =
        sources().map(|source| (source.display.clone(), source.encoding.name().to_string())).collect();
    counts.unread_columns = sources()
        .filter(|source| !source.map.unread_columns().is_empty())
        .map(|source| {
            let headers = shown_header_list(&source.headers, source.map.unread_columns().iter().copied());
            (source.display.clone(), headers)
        })
        .collect();
}

/// Streams the bookings through the linker and the rules, then frees the
/// index and the normalized records, which are needed no more (but for
/// which of them give a name: one bit a record), before the linked
/// bookings and the texts the outputs print come back from disk: so they
/// never take memory at once (on 8,000,000 persons 1.1 GB, 2.3 GB, 1 GB
/// and 0.8 GB).
fn link_bookings(
    config: &RunConfig,
    recovered: &mut RecoveredSet,
    dedup: &mut Dedup,
    rejects: &mut RejectWriter,
    progress: &Progress,
    staging: &StagingDir,
) -> Result<(BookingLinks, ChainRows, NamedRecords)> {
    let shared_contacts = shared_contacts(&recovered.records, &dedup.persons, &dedup.index, config.matching.block_cap);
    let linker = Linker {
        records: &recovered.records,
        persons: &dedup.persons,
        index: &dedup.index,
        scorer: &dedup.scorer,
        thresholds: config.matching.thresholds,
        block_cap: config.matching.block_cap,
        common: &dedup.common,
        shared_contacts: &shared_contacts,
    };
    let linked =
        bookings::link_all(&config.bookings, config.as_of, &config.rules, &linker, rejects, progress, staging.path())?;
    drop(shared_contacts);
    drop(std::mem::take(&mut dedup.index));
    let named = NamedRecords::of(&recovered.records);
    recovered.free_records();
    let (bookings, chain_rows) = linked.read_back()?;
    recovered.texts.read_back()?;
    Ok((bookings, chain_rows, named))
}

/// The result CSV files. They are independent: two groups of about equal
/// size are written at once (links.csv, the largest, alone; on 1,000,000
/// persons it takes as long as the other four), and each file's rows are formatted in
/// parallel chunks written in order (`output::chunked`), so a core that is
/// done with its group helps with the other and no file's bytes depend on
/// the threads.
fn write_result_files(config: &RunConfig, results: &ResultSet<'_>, dedup: &Dedup, staging: &StagingDir) -> Result<()> {
    let (other_files, link_files) = rayon::join(
        || {
            results.write(staging).and_then(|()| mailing::write_no_email(results, staging))?;
            booking_rules::write(staging, results.bookings, &config.rules)
        },
        || {
            let thresholds = config.matching.thresholds;
            let recovered = (results.recovered, config.recovered.display.as_str());
            links::write(staging, recovered, dedup, results.bookings, results.outcomes, thresholds)
        },
    );
    other_files?;
    link_files
}

/// After the commit: the affected list on stdout (`--affected -`), the
/// summary on stderr, and the characters CP932 could not hold.
fn finish(config: &RunConfig, results: &ResultSet<'_>, counts: &Counts, seconds: f64) -> Result<()> {
    if config.affected_to_stdout {
        let streamed = if config.one_per_email {
            mailing::stream_one_per_email(results, config.format)
        } else {
            results.stream_affected(config.format)
        };
        streamed.context("cannot write the affected list to standard output (--affected -)")?;
    }
    if !config.quiet {
        summary::print(counts, &config.out, seconds, config.lang);
    }
    // Headers are column names, never a customer's data.
    for (file, headers) in &counts.unread_columns {
        eprintln!(
            "leakmatch: {file}: columns not read (a header no field knows, or one more column of a field already read; \
             --map FIELD=HEADER chooses): {}",
            headers.join(", ")
        );
    }
    // A quote not closed hides every row after it in one reject: said
    // where a pipeline's log shows it, not only in rejects.csv.
    for (reason, rows) in counts.rejects_by_reason.iter().filter(|(reason, _)| reason.contains(OPEN_QUOTE_HINT)) {
        eprintln!("leakmatch: {rows} rejected row(s), {reason} (rejects.csv gives the file and line)");
    }
    // Ids, like headers, are no customer's data; the counts say enough.
    if counts.repeated_record_ids > 0 {
        eprintln!(
            "leakmatch: {} recovered row(s) have the record_id of an earlier row: all are kept, and the id names \
             each of them in persons.csv (counts.json repeated_record_ids)",
            counts.repeated_record_ids
        );
    }
    if counts.repeated_booking_ids > 0 {
        eprintln!(
            "leakmatch: {} linked booking row(s) have the booking_id of an earlier row of the same file: all are \
             kept, and `explain` shows the decision of each (counts.json repeated_booking_ids)",
            counts.repeated_booking_ids
        );
    }
    // Counts only: which value is common would be a customer's data.
    if let Some(common) = counts.linkage.as_ref().map(|l| &l.common_contacts) {
        if common.emails + common.phones > 0 {
            eprintln!(
                "leakmatch: {} email(s) and {} phone number(s) are each given by the recovered rows of more than {} \
                 persons (a dummy typed by staff, a shop's or a company's): compared as missing, an agreement on one \
                 weighed by its frequency (counts.json linkage.common_contacts)",
                common.emails,
                common.phones,
                crate::matching::common::MAX_HOUSEHOLD_PERSONS
            );
        }
    }
    for (file, columns) in &counts.output_unencodable {
        for (column, count) in columns {
            eprintln!("leakmatch: {file}, column {column}: {count} characters CP932 cannot hold, written as 〓");
        }
    }
    Ok(())
}
