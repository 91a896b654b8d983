//! report.html in a real browser: headless Chromium renders the basic
//! fixture's report (a screenshot that is not blank) and its DOM holds the
//! key numbers. `.ci/run` installs Chromium where it is missing; elsewhere
//! the test says that it is skipped (under CI=true a missing browser fails).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

/// The Chromium binary on PATH, if any.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        let output = Command::new("which").arg(name).output().ok()?;
        output.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
    })
}

fn headless(browser: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

#[test]
fn the_report_renders_in_a_browser_with_its_numbers() {
    let Some(browser) = chromium() else {
        assert!(std::env::var("CI").is_err(), "CI=true but no chromium: .ci/run should have installed it");
        eprintln!("SKIPPED the_report_renders_in_a_browser_with_its_numbers: chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_exit(&run_owned(&basic_args(&out)), 0);
    let report = out.join("report.html");
    // The DOM holds the figures of counts.json.
    let dom = String::from_utf8_lossy(&headless(&browser, &["--dump-dom"], &report).stdout).into_owned();
    for needle in ["30 persons in 34 recovered rows; 11 affected, 1 to review.", "JAPANiCAN", "Funnel"] {
        assert!(dom.contains(needle), "{needle} not in the rendered DOM");
    }
    // A screenshot that is not blank: far larger than one of an empty page.
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let size = |page: &Path, png: &Path| {
        let shot = format!("--screenshot={}", png.display());
        headless(&browser, &[&shot, "--window-size=1200,1600"], page);
        std::fs::metadata(png).map(|m| m.len()).unwrap_or(0)
    };
    let (empty, rendered) =
        (size(&blank, &dir.path().join("blank.png")), size(&report, &dir.path().join("report.png")));
    assert!(empty > 0 && rendered > 4 * empty, "screenshot {rendered} bytes, an empty page {empty}");
}
