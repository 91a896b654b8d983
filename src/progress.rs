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

/// `--timings`: the wall time of each step of a run, the cores it kept
/// busy, the resident memory at its end and the peak so far, printed on
/// stderr when the run ends (what scripts/bench.sh and a reader of
/// BENCHMARKS.md need to see where the time and memory go: the cores say
/// whether a step used the machine or waited on one thread, the peak how
/// much memory a step needed, the memory at its end what it left behind
/// for the next). All are the kernel's (utime and stime in /proc/self/stat,
/// VmRSS and VmHWM in /proc/self/status); where there are none they are
/// left out.
#[derive(Debug)]
pub struct StepTimes {
    enabled: bool,
    last: Instant,
    /// The process's CPU seconds (every thread) when the last step ended.
    last_cpu: Option<f64>,
    lines: Vec<String>,
}

impl StepTimes {
    pub fn new(enabled: bool) -> StepTimes {
        StepTimes { enabled, last: Instant::now(), last_cpu: enabled.then(cpu_seconds).flatten(), lines: Vec::new() }
    }

    /// Ends the step named `label`.
    pub fn step(&mut self, label: &str) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        let cpu = cpu_seconds();
        let cores = match (self.last_cpu, cpu) {
            (Some(before), Some(after)) if seconds >= MIN_SECONDS_FOR_CORES => {
                format!(", {:.1} cores", (after - before) / seconds)
            }
            _ => String::new(),
        };
        self.last_cpu = cpu;
        let gib = |field| status_bytes(field).map(|bytes| bytes as f64 / GIB);
        let memory = match (gib("VmRSS:"), gib("VmHWM:")) {
            (Some(now), Some(peak)) => format!(", RSS {now:.2} GiB, peak RSS {peak:.2} GiB"),
            _ => String::new(),
        };
        self.lines.push(format!("{label:<12} {seconds:>8.2} s{cores}{memory}"));
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

/// Steps shorter than this print no cores: CPU time comes in ticks of a
/// hundredth of a second per thread, a fifth of a core over this span.
const MIN_SECONDS_FOR_CORES: f64 = 0.1;

/// Ticks per second of the CPU times in /proc/self/stat: USER_HZ, which
/// Linux fixes at 100 for every figure it gives user space in ticks,
/// whatever the kernel's own tick rate (proc(5), `times(2)`).
const USER_HZ: f64 = 100.0;

/// The CPU seconds this process has used, in user and system mode, over
/// every thread, from /proc/self/stat (Linux).
fn cpu_seconds() -> Option<f64> {
    parse_cpu_seconds(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// utime + stime of a /proc/PID/stat line, in seconds. The command name
/// (field 2) is in parentheses and may hold spaces or parentheses itself,
/// so fields are counted after its last `)`: state is field 3, utime 14,
/// stime 15.
fn parse_cpu_seconds(stat: &str) -> Option<f64> {
    const FIRST_FIELD_AFTER_NAME: usize = 3;
    const UTIME_FIELD: usize = 14;
    let mut after_name = stat.get(stat.rfind(')')? + 1..)?.split_ascii_whitespace();
    let user: u64 = after_name.nth(UTIME_FIELD - FIRST_FIELD_AFTER_NAME)?.parse().ok()?;
    let system: u64 = after_name.next()?.parse().ok()?;
    Some((user + system) as f64 / USER_HZ)
}

/// A memory figure of this process, from /proc/self/status (Linux;
/// `field` such as "VmHWM:").
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.trim_start_matches(field).trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines in the layout of proc(5): pid, (comm), state, ppid, pgrp,
    /// session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt,
    /// utime, stime, cutime, ...
    #[test]
    fn cpu_seconds_are_utime_and_stime_after_the_name() {
        let plain = "1234 (leakmatch) R 1 1234 1234 0 -1 4194304 100 0 0 0 250 75 9 9 20 0 3 0 12345";
        assert_eq!(parse_cpu_seconds(plain), Some(3.25));
        // A name with spaces and a closing parenthesis of its own.
        let odd = "77 (a) b c)) S 1 77 77 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5";
        assert_eq!(parse_cpu_seconds(odd), Some(0.03));
        assert_eq!(parse_cpu_seconds("12 (short) R 1 2 3"), None, "a line cut short");
        assert_eq!(parse_cpu_seconds(""), None);
    }

    #[test]
    fn this_process_has_cpu_seconds_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(cpu_seconds().is_some_and(|seconds| seconds >= 0.0));
        }
    }
}
