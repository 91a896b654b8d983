//! `leakmatch evaluate`: scores a result folder against ground truth and
//! prints the table; `--json` also writes it, `--min-f1` turns a low
//! affected-set F1 into exit 3 (for CI's regression floor).

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::EvaluateArgs;
use crate::evaluation::evaluate;
use crate::exit::{ExpectationFailed, UsageError};

/// Evaluates, prints, and checks the F1 floor.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    if let Some(floor) = args.min_f1 {
        if !(0.0..=1.0).contains(&floor) {
            return Err(UsageError(format!("--min-f1 {floor}: a number from 0 to 1")).into());
        }
    }
    let evaluation = evaluate(&args.truth, &args.result)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(evaluation.to_table().as_bytes())?;
    stdout.flush()?;
    if let Some(path) = &args.json {
        let mut text = serde_json::to_string_pretty(&evaluation).context("cannot encode the evaluation")?;
        text.push('\n');
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(floor) = args.min_f1 {
        let f1 = evaluation.affected_records.f1;
        if f1 < floor {
            return Err(ExpectationFailed(format!("affected-set F1 {f1:.4} is below --min-f1 {floor}")).into());
        }
    }
    Ok(())
}
