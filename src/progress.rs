//! Progress bars on stderr, one per phase, advanced once per batch.
//!
//! Invariant: bars are drawn only when stderr is a terminal and `--quiet` is
//! off; otherwise every call is a no-op, so CI logs and pipes stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether and where to draw bars.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    visible: bool,
}

impl Progress {
    /// Bars are visible when stderr is a terminal and not `quiet`.
    pub fn new(quiet: bool) -> Progress {
        Progress { visible: !quiet && std::io::stderr().is_terminal() }
    }

    /// A progress tracker that never draws (tests, library use).
    pub fn hidden() -> Progress {
        Progress { visible: false }
    }

    /// Starts a phase over `total_bytes` of input.
    pub fn phase(&self, label: &str, total_bytes: u64) -> Phase {
        if !self.visible {
            return Phase { bar: ProgressBar::hidden() };
        }
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr_with_hz(5));
        let style = ProgressStyle::with_template(
            "{prefix:>10} [{bar:30}] {bytes}/{total_bytes} {msg} ({binary_bytes_per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        Phase { bar }
    }
}

/// One phase's bar.
pub struct Phase {
    bar: ProgressBar,
}

impl Phase {
    /// Sets the bytes consumed and the rows done so far.
    pub fn update(&self, bytes_done: u64, rows_done: u64) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_position(bytes_done);
        let seconds = self.bar.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!("{rows_done} rows, {:.0} rows/s", rows_done as f64 / seconds));
    }

    /// Ends the phase and clears its bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
