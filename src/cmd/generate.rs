//! `leakmatch generate`: writes a synthetic dataset with ground truth,
//! atomically (staging folder, renamed into place when complete).

use std::io::Write;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::cli::GenerateArgs;
use crate::exit::UsageError;
use crate::generate::{generate, truth_counts_json, GenerateConfig};
use crate::output::StagingDir;

/// Generates the dataset into `--out`.
pub fn run(args: &GenerateArgs) -> Result<()> {
    if !(0.0..=100.0).contains(&args.booking_only_ratio) {
        return Err(
            UsageError(format!("--booking-only-ratio {}: a number from 0 to 100", args.booking_only_ratio)).into()
        );
    }
    let shares = [
        ("--variation-share", args.variation_share),
        ("--missing-rate", args.missing_rate),
        ("--dummy-email-share", args.dummy_email_share),
    ];
    for (flag, value) in shares {
        if !(0.0..=1.0).contains(&value) {
            return Err(UsageError(format!("{flag} {value}: a number from 0 to 1")).into());
        }
    }
    if args.out.exists() && std::fs::read_dir(&args.out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        bail!("--out {}: exists and is not empty (generate never overwrites a dataset)", args.out.display());
    }
    let pool = crate::config::thread_pool(args.threads)?;
    let started = Instant::now();
    let config = GenerateConfig {
        persons: args.persons,
        seed: args.seed,
        booking_only_ratio: args.booking_only_ratio,
        cp932: args.cp932,
        rows_per_person: args.rows_per_person,
        variation_share: args.variation_share,
        missing_rate: args.missing_rate,
        dummy_email_share: args.dummy_email_share,
    };
    if args.out.exists() {
        std::fs::remove_dir(&args.out)
            .with_context(|| format!("cannot replace the empty folder {}", args.out.display()))?;
    }
    let staging = StagingDir::create(&args.out)?;
    let counts = pool.install(|| generate(&config, &staging))?;
    let mut file = staging.create_file("truth_counts.json")?;
    file.write_all(truth_counts_json(&counts)?.as_bytes()).context("cannot write truth_counts.json")?;
    crate::output::sync(file)?;
    staging.commit()?;
    if !args.quiet {
        eprintln!(
            "leakmatch: generated {} in {:.1} s: {} recovered rows, {} booking rows, {} persons ({} affected)",
            args.out.display(),
            started.elapsed().as_secs_f64(),
            counts.recovered_rows,
            counts.booking_rows,
            counts.persons,
            counts.affected
        );
    }
    Ok(())
}
