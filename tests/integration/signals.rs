//! Interrupting a run: SIGINT and SIGTERM mid-run leave no staging folder
//! (no half-written personal data) and the previous result byte for byte;
//! a run killed outright leaves its staging folder, which the next run
//! removes and reports.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::util::*;

/// A generated dataset large enough for a run to be interrupted mid-way.
fn dataset(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    let output = run(&["generate", "--persons", "30000", "--seed", "3", "--out", data.to_str().unwrap(), "-q"]);
    assert_exit(&output, 0);
    data
}

fn run_args(data: &Path, out: &Path) -> Vec<String> {
    let mut args = job_args(&data.join("recovered.csv"), &data.join("bookings"), out);
    args.push("-q".into());
    args
}

/// The staging folders beside `out`.
fn staging_folders(out: &Path) -> Vec<PathBuf> {
    let name = format!(".{}.staging-", out.file_name().unwrap().to_str().unwrap());
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&name))
        .map(|e| e.path())
        .collect()
}

/// Starts a run and waits until its staging folder exists (it is mid-run).
fn start_mid_run(data: &Path, out: &Path) -> Child {
    let mut child = leakmatch().args(run_args(data, out)).spawn().expect("the binary starts");
    let started = Instant::now();
    while staging_folders(out).is_empty() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be interrupted");
        assert!(started.elapsed() < Duration::from_secs(60), "no staging folder appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

fn snapshot(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn sigint_and_sigterm_leave_no_staging_and_the_previous_result_intact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let out = dir.path().join("out");
    assert_exit(&leakmatch().args(run_args(&data, &out)).output().unwrap(), 0);
    let before = snapshot(&out);
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let child = start_mid_run(&data, &out);
        let status = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{signal}: {}", stderr(&output));
        assert!(staging_folders(&out).is_empty(), "{signal}: a staging folder is left");
        assert!(snapshot(&out) == before, "{signal}: the previous result changed");
    }
}

#[test]
fn the_next_run_removes_the_staging_folder_of_a_killed_run_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let out = dir.path().join("out");
    let mut child = start_mid_run(&data, &out);
    child.kill().unwrap();
    child.wait().unwrap();
    let left = staging_folders(&out);
    assert_eq!(left.len(), 1, "SIGKILL leaves its staging folder");
    let output = run_owned(&basic_args(&out));
    assert_exit(&output, 0);
    assert!(stderr(&output).contains("left by an earlier run that did not finish"), "{}", stderr(&output));
    assert!(staging_folders(&out).is_empty());
}
