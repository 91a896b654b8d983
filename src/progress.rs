//! Progress bars on stderr, one per phase, advanced once per batch.
//!
//! Invariant: bars are drawn only when stderr is a terminal and `--quiet` is
//! off; otherwise every call is a no-op, so CI logs and pipes stay clean.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

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

/// `--timings`: the wall time of each step of a run, the resident memory
/// at its end and the peak so far, printed on stderr when the run ends
/// (what scripts/bench.sh and a reader of BENCHMARKS.md need to see where
/// the time and memory go: the peak says how much a step needed, the
/// memory at its end what it left behind for the next). Both are the
/// kernel's (VmRSS and VmHWM in /proc/self/status); where there are none
/// they are left out.
#[derive(Debug)]
pub struct StepTimes {
    enabled: bool,
    last: Instant,
    lines: Vec<String>,
}

impl StepTimes {
    pub fn new(enabled: bool) -> StepTimes {
        StepTimes { enabled, last: Instant::now(), lines: Vec::new() }
    }

    /// Ends the step named `label`.
    pub fn step(&mut self, label: &str) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        let gib = |field| status_bytes(field).map(|bytes| bytes as f64 / GIB);
        let memory = match (gib("VmRSS:"), gib("VmHWM:")) {
            (Some(now), Some(peak)) => format!(", RSS {now:.2} GiB, peak RSS {peak:.2} GiB"),
            _ => String::new(),
        };
        self.lines.push(format!("{label:<12} {seconds:>8.2} s{memory}"));
    }

    /// Adds a line of figures to the steps (a structure's size).
    pub fn note(&mut self, line: impl FnOnce() -> String) {
        if self.enabled {
            self.lines.push(line());
        }
    }

    /// Prints the steps on stderr.
    pub fn print(&self) {
        for line in &self.lines {
            eprintln!("leakmatch: {line}");
        }
    }
}

const GIB: f64 = (1u64 << 30) as f64;

/// A memory figure of this process, from /proc/self/status (Linux;
/// `field` such as "VmHWM:").
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.trim_start_matches(field).trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}
