//! `leakmatch rules`: prints the embedded default rules file.

use std::io::Write;

use anyhow::Result;

use crate::rules::DEFAULT_RULES_TOML;

/// Writes the default rules to stdout.
pub fn run() -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(DEFAULT_RULES_TOML.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
