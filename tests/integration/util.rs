//! The test harness: runs the binary from the project root (so fixture paths
//! in rejects.csv are the relative ones the README shows) and compares
//! golden files byte for byte. `LEAKMATCH_BLESS=1` rewrites the golden files
//! instead; review the diff before committing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command for the binary, run from the project root, stdin closed.
pub fn leakmatch() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_leakmatch"));
    // The report's language follows the locale: the golden files are English.
    cmd.current_dir(root()).stdin(Stdio::null()).env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    cmd
}

/// Runs the binary with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    leakmatch().args(args).output().expect("the leakmatch binary runs")
}

/// The basic fixture's run arguments with the given output folder.
pub fn basic_args(out: &Path) -> Vec<String> {
    [
        "run",
        "--recovered",
        "fixtures/basic/recovered.csv",
        "--bookings",
        "fixtures/basic/bookings",
        "--out",
        out.to_str().expect("utf-8 temp path"),
        "--as-of",
        "2016-06-14",
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The arguments of the main job on `recovered` and `bookings` into `out`,
/// as of the fixtures' date (without `-q`).
pub fn job_args(recovered: &Path, bookings: &Path, out: &Path) -> Vec<String> {
    let path = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    vec![
        "run".into(),
        "--recovered".into(),
        path(recovered),
        "--bookings".into(),
        path(bookings),
        "--out".into(),
        path(out),
        "--as-of".into(),
        "2016-06-14".into(),
    ]
}

/// Runs the main job quietly on `recovered` and `bookings` into `out`, with
/// `extra` flags.
pub fn run_job_with(recovered: &Path, bookings: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = job_args(recovered, bookings, out);
    args.push("-q".into());
    args.extend(extra.iter().map(|s| s.to_string()));
    run_owned(&args)
}

/// Runs the main job quietly on `recovered` and `bookings` into `out`.
pub fn run_job(recovered: &Path, bookings: &Path, out: &Path) -> Output {
    run_job_with(recovered, bookings, out, &[])
}

/// Runs with owned arguments.
pub fn run_owned(args: &[String]) -> Output {
    leakmatch().args(args).output().expect("the leakmatch binary runs")
}

/// Panics with the command's stderr unless it exited with `code`.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status {:?}\n--- stderr ---\n{}\n--- stdout ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares `actual` with the golden file `golden` (relative to the root),
/// showing the first differing lines; with LEAKMATCH_BLESS=1 rewrites it.
pub fn assert_golden(actual: &Path, golden: &str) {
    let golden_path = root().join(golden);
    let actual_bytes = std::fs::read(actual).unwrap_or_else(|e| panic!("{}: {e}", actual.display()));
    if std::env::var_os("LEAKMATCH_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden_path.parent().expect("golden has a parent")).expect("create golden dir");
        std::fs::write(&golden_path, &actual_bytes).expect("write golden");
        return;
    }
    let expected_bytes =
        std::fs::read(&golden_path).unwrap_or_else(|e| panic!("{golden}: {e} (bless with LEAKMATCH_BLESS=1)"));
    if actual_bytes != expected_bytes {
        let actual_text = String::from_utf8_lossy(&actual_bytes);
        let expected_text = String::from_utf8_lossy(&expected_bytes);
        let mut report = String::new();
        for (n, (a, e)) in actual_text.lines().zip(expected_text.lines()).enumerate() {
            if a != e {
                report.push_str(&format!("line {}:\n  expected: {e}\n  actual:   {a}\n", n + 1));
            }
        }
        panic!(
            "{golden} differs ({} vs {} lines expected):\n{report}(re-bless with LEAKMATCH_BLESS=1 and review the diff)",
            actual_text.lines().count(),
            expected_text.lines().count()
        );
    }
}

/// The result files of a run.
pub const RESULT_FILES: [&str; 9] = [
    "affected.csv",
    "no_email.csv",
    "persons.csv",
    "review.csv",
    "rejects.csv",
    "links.csv",
    "bookings.csv",
    "report.html",
    "counts.json",
];

/// Runs the main job on one inline recovered file and one booking file;
/// returns the temporary folder (keep it alive) and the result folder.
pub fn run_inline(recovered_csv: &str, bookings_csv: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    run_inline_with(recovered_csv, bookings_csv, &[])
}

/// [`run_inline`] with `extra` flags.
pub fn run_inline_with(
    recovered_csv: &str,
    bookings_csv: &str,
    extra: &[&str],
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let recovered = dir.path().join("r.csv");
    std::fs::write(&recovered, recovered_csv).unwrap();
    let bookings = dir.path().join("bookings.csv");
    std::fs::write(&bookings, bookings_csv).unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_job_with(&recovered, &bookings, &out, extra), 0);
    (dir, out)
}

/// The line of persons.csv's text that holds `record`.
fn person_line<'a>(persons: &'a str, record: &str) -> &'a str {
    let holds = |l: &&str| l.split(',').nth(3).is_some_and(|ids| ids.split(';').any(|id| id == record));
    persons.lines().find(holds).expect("every record has a person")
}

/// The person id of `record` in persons.csv's text.
pub fn person_of(persons: &str, record: &str) -> String {
    person_line(persons, record).split(',').next().unwrap().to_string()
}

/// The status of the person holding `record`, from persons.csv's text.
pub fn status_of(persons: &str, record: &str) -> String {
    person_line(persons, record).split(',').nth(1).unwrap().to_string()
}
