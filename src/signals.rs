//! Interruption: SIGINT and SIGTERM remove the staging folders of results
//! not yet committed, then end the process with 130 or 143 (exit.rs). The
//! previous result in `--out` is left as it was; a folder of personal data
//! half written is never left behind.
//!
//! Invariant: a commit (moving staged files into `--out`) holds the same
//! lock the signal thread takes, so an interruption waits for a commit under
//! way to finish: `--out` holds either the previous result or the new one,
//! whole. A process killed outright (SIGKILL, power loss) cannot clean up;
//! the next run beside the same `--out` removes the staging folders of
//! processes that are gone (`output::StagingDir::create`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context, Result};
use signal_hook::consts::signal::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::exit::Exit;

/// Staging folders to remove if the process is interrupted.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn staging() -> MutexGuard<'static, Vec<PathBuf>> {
    // A poisoned lock only means a thread panicked; the list is still sound.
    STAGING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the thread that handles SIGINT and SIGTERM.
pub fn install() -> Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM]).context("cannot install the signal handlers")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no commit starts after this.
                let folders = staging();
                for folder in folders.iter() {
                    let _ = std::fs::remove_dir_all(folder);
                }
                let exit = if signal == SIGINT { Exit::Interrupted } else { Exit::Terminated };
                eprintln!("leakmatch: interrupted: nothing was written to the result folder");
                std::process::exit(exit as i32);
            }
        })
        .context("cannot start the signal thread")?;
    Ok(())
}

/// Registers a staging folder to remove on interruption.
pub fn register(folder: &Path) {
    staging().push(folder.to_path_buf());
}

/// Forgets a staging folder (it was removed, or moved into place).
pub fn unregister(folder: &Path) {
    staging().retain(|f| f != folder);
}

/// Runs `commit` with interruption held off, then forgets `folder`.
pub fn committing<T>(folder: &Path, commit: impl FnOnce() -> T) -> T {
    let mut folders = staging();
    let result = commit();
    folders.retain(|f| f != folder);
    result
}
