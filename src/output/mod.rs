//! The result folder, written atomically.
//!
//! Files are written into a staging folder beside `--out` (same file system,
//! so renames are atomic), created with mode 0600 in a 0700 folder, synced,
//! and moved into place only by [`StagingDir::commit`]. When `--out` does not
//! exist the whole folder is renamed at once; otherwise file by file with
//! counts.json last, as the commit marker. A run that fails before commit,
//! or is interrupted by SIGINT or SIGTERM (`signals.rs`), removes the
//! staging folder and leaves the previous result untouched; staging folders
//! of runs killed outright are removed by the next run.

pub mod booking_rules;
mod chunked;
pub mod counts;
pub mod cp932;
pub mod links;
pub mod mailing;
pub mod normalized;
pub mod rejects;
pub mod repeated_ids;
pub mod report;
pub mod results;
pub mod summary;
pub mod table;
pub mod values;

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};

use cp932::{Cp932Writer, Unencodable};

/// Name of the file renamed last when replacing an existing result.
pub const COMMIT_MARKER: &str = "counts.json";

/// A staging folder that becomes `--out` on commit.
#[derive(Debug)]
pub struct StagingDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// CSV files get a UTF-8 BOM and CRLF line ends (`--excel`).
    excel: bool,
    /// CSV files are written in CP932 (`--output-encoding cp932`).
    cp932: bool,
    /// Characters CP932 could not hold, per file and column.
    unencodable: Arc<Mutex<Unencodable>>,
}

/// A result CSV file: UTF-8 as it is, or transcoded to CP932.
pub enum ResultFile {
    Utf8(File),
    Cp932(Cp932Writer<File>),
}

impl std::io::Write for ResultFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            ResultFile::Utf8(file) => file.write(buf),
            ResultFile::Cp932(writer) => writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            ResultFile::Utf8(file) => file.flush(),
            ResultFile::Cp932(writer) => writer.flush(),
        }
    }
}

/// Flushes a result CSV writer and syncs its file.
pub fn finish_csv(wtr: csv::Writer<ResultFile>) -> Result<()> {
    finish_file(wtr.into_inner().map_err(|e| e.into_error())?)
}

/// Finishes a result file (the CP932 writer's tail) and syncs it.
pub fn finish_file(file: ResultFile) -> Result<()> {
    let file = match file {
        ResultFile::Utf8(file) => file,
        ResultFile::Cp932(writer) => writer.finish(),
    };
    sync(file)
}

impl StagingDir {
    /// The staging folder (only the user can read it; removed unless
    /// committed): where a run keeps what it holds on disk meanwhile.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Creates the staging folder beside `target`.
    pub fn create(target: &Path) -> Result<StagingDir> {
        if target.exists() && !target.is_dir() {
            bail!("--out {}: exists and is not a folder", target.display());
        }
        let name = target
            .file_name()
            .with_context(|| format!("--out {}: not a folder name", target.display()))?
            .to_string_lossy()
            .into_owned();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            bail!("--out {}: the folder {} does not exist", target.display(), parent.display());
        }
        remove_stale_staging(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).with_context(|| format!("cannot remove stale {}", staging.display()))?;
        }
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        crate::signals::register(&staging);
        Ok(StagingDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
            excel: false,
            cp932: false,
            unencodable: Arc::default(),
        })
    }

    /// Creates a new file (mode 0600) in the staging folder.
    pub fn create_file(&self, name: &str) -> Result<File> {
        let path = self.staging.join(name);
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))
    }

    /// Writes CSV files for Excel from now on: UTF-8 with a byte order mark
    /// and CRLF line ends (Japanese Excel reads BOM-less UTF-8 as CP932).
    pub fn set_excel(&mut self, excel: bool) {
        self.excel = excel;
    }

    /// Writes CSV files in CP932 from now on (see `cp932.rs`).
    pub fn set_cp932(&mut self, cp932: bool) {
        self.cp932 = cp932;
    }

    /// The characters CP932 could not hold so far, per file and column.
    pub fn unencodable(&self) -> Unencodable {
        self.unencodable.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Creates a CSV file (mode 0600) and its writer, in the Excel form and
    /// the encoding asked for (see [`StagingDir::set_excel`],
    /// [`StagingDir::set_cp932`]); close it with [`finish_csv`].
    pub fn csv_file(&self, name: &str) -> Result<csv::Writer<ResultFile>> {
        use std::io::Write as _;
        let mut file = self.create_file(name)?;
        // A byte order mark is a UTF-8 (and UTF-16) thing: CP932 has none.
        if self.excel && !self.cp932 {
            file.write_all(b"\xEF\xBB\xBF").with_context(|| format!("cannot write {name}"))?;
        }
        let file = if self.cp932 {
            ResultFile::Cp932(Cp932Writer::new(file, name, Arc::clone(&self.unencodable)))
        } else {
            ResultFile::Utf8(file)
        };
        Ok(self.csv_builder().from_writer(file))
    }

    /// A CSV writer into memory that writes rows as [`StagingDir::csv_file`]'s
    /// writers do (line ends), for a chunk of a file formatted apart
    /// (`chunked`).
    pub fn chunk_writer(&self) -> csv::Writer<Vec<u8>> {
        self.csv_builder().from_writer(Vec::new())
    }

    fn csv_builder(&self) -> csv::WriterBuilder {
        let mut builder = csv::WriterBuilder::new();
        builder.buffer_capacity(table::WRITE_BUFFER_BYTES);
        if self.excel {
            builder.terminator(csv::Terminator::CRLF);
        }
        builder
    }

    /// Creates a sub-folder (mode 0700) in the staging folder.
    pub fn create_dir(&self, name: &str) -> Result<()> {
        let path = self.staging.join(name);
        fs::DirBuilder::new().mode(0o700).create(&path).with_context(|| format!("cannot create {}", path.display()))
    }

    /// Moves the staged files into `--out` (an interruption waits for it).
    pub fn commit(mut self) -> Result<()> {
        let staging = self.staging.clone();
        crate::signals::committing(&staging, || self.move_into_place())?;
        self.committed = true;
        Ok(())
    }

    fn move_into_place(&self) -> Result<()> {
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the result into {}", self.target.display()))?;
        } else {
            let mut names: Vec<String> = fs::read_dir(&self.staging)
                .with_context(|| format!("cannot list {}", self.staging.display()))?
                .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect::<std::io::Result<_>>()?;
            names.sort_by_key(|n| (n == COMMIT_MARKER, n.clone()));
            for name in names {
                fs::rename(self.staging.join(&name), self.target.join(&name))
                    .with_context(|| format!("cannot move {name} into {}", self.target.display()))?;
            }
            fs::remove_dir(&self.staging).with_context(|| format!("cannot remove {}", self.staging.display()))?;
        }
        Ok(())
    }
}

/// Removes the staging folders beside `--out` left by leakmatch processes
/// that are gone (killed outright, or a crash), and says so on stderr. A
/// folder whose process still runs is another run's, and is left alone.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || process_is_leakmatch(pid) {
            continue;
        }
        if fs::remove_dir_all(entry.path()).is_ok() {
            eprintln!(
                "leakmatch: removed {}, left by an earlier run that did not finish (process {pid} is gone)",
                entry.path().display()
            );
        }
    }
}

/// Whether process `pid` runs and is a leakmatch (a reused pid of another
/// program does not keep a stale folder alive).
fn process_is_leakmatch(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|comm| comm.trim_end() == "leakmatch")
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a leftover is removed by the next run beside the
            // same `--out` (see `remove_stale_staging`).
            let _ = fs::remove_dir_all(&self.staging);
            crate::signals::unregister(&self.staging);
        }
    }
}

/// Flushes a file to disk (called before commit, so a crash after the rename
/// cannot leave a renamed but empty file).
pub fn sync(file: File) -> Result<()> {
    file.sync_all().context("cannot sync an output file")
}
