//! `leakmatch train`: fit the linkage model on a recovered file once and
//! write it as JSON, to reuse with `run --model FILE`.

use std::io::Write;

use anyhow::{Context, Result};

use crate::config::TrainConfig;
use crate::input::stream::DiscardRejects;
use crate::matching::dedup;
use crate::progress::Progress;
use crate::recovered;

/// Loads, fits, writes the model; a short summary on stderr.
pub fn run(config: &TrainConfig) -> Result<()> {
    config.pool.install(|| {
        let progress = Progress::new(config.quiet);
        let mut recovered = recovered::load(
            &config.recovered,
            config.as_of,
            &mut DiscardRejects,
            &progress,
            recovered::LoadOptions::default(),
        )?;
        let (model, report) = dedup::fit(&mut recovered.records, config.block_cap);
        let mut text = model.to_json()?;
        text.push('\n');
        let path = &config.model_out;
        std::fs::write(path, text).with_context(|| format!("cannot write the model {}", path.display()))?;
        if !config.quiet {
            let mut stderr = std::io::stderr().lock();
            match report {
                Some(r) => writeln!(
                    stderr,
                    "trained on {} records: {} candidate pairs, {} random pairs, EM {} iterations, \
                     lambda {:.3e}; wrote {}",
                    recovered.records.len(),
                    r.candidate_pairs,
                    r.random_pairs,
                    r.em_iterations,
                    r.lambda,
                    path.display()
                )?,
                None => writeln!(
                    stderr,
                    "{} records are too few to train on: wrote the shipped defaults to {}",
                    recovered.records.len(),
                    path.display()
                )?,
            }
        }
        Ok(())
    })
}
