//! The result folder, written atomically.
//!
//! Files are written into a staging folder beside `--out` (same file system,
//! so renames are atomic), created with mode 0600 in a 0700 folder, synced
//! (a result CSV file by a thread of its own once finished, [`Syncer`]), and
//! moved into place only by [`StagingDir::commit`], which waits for the
//! syncs. When `--out` does not exist the whole folder is renamed at once;
//! otherwise file by file with counts.json last, as the commit marker. A run that fails before commit,
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

use std::sync::{mpsc, Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};

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
    /// Syncs the finished result files.
    syncer: Syncer,
}

/// A result CSV file: UTF-8 as it is, or transcoded to CP932, with the
/// staging folder's [`Syncer`] that syncs it once finished.
pub struct ResultFile {
    body: ResultBody,
    syncer: Syncer,
}

enum ResultBody {
    Utf8(File),
    Cp932(Cp932Writer<File>),
}

impl std::io::Write for ResultFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.body {
            ResultBody::Utf8(file) => file.write(buf),
            ResultBody::Cp932(writer) => writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.body {
            ResultBody::Utf8(file) => file.flush(),
            ResultBody::Cp932(writer) => writer.flush(),
        }
    }
}

impl ResultFile {
    /// Has the syncer flush what is written so far (a second handle of the
    /// file, so writing goes on meanwhile): the disk then writes a large
    /// file while the rest of it is formatted, not all of it at the end.
    pub fn sync_written(&self) -> Result<()> {
        let file = match &self.body {
            ResultBody::Utf8(file) => file,
            ResultBody::Cp932(writer) => writer.get_ref(),
        };
        self.syncer.sync(file.try_clone().context("cannot sync an output file")?)
    }
}

/// Flushes a result CSV writer and hands its file to the syncer.
pub fn finish_csv(wtr: csv::Writer<ResultFile>) -> Result<()> {
    finish_file(wtr.into_inner().map_err(|e| e.into_error())?)
}

/// Finishes a result file (the CP932 writer's tail) and hands it to the
/// staging folder's syncer: [`StagingDir::commit`] moves nothing into place
/// before every such file is on disk.
pub fn finish_file(file: ResultFile) -> Result<()> {
    let body = match file.body {
        ResultBody::Utf8(file) => file,
        ResultBody::Cp932(writer) => writer.finish(),
    };
    file.syncer.sync(body)
}

/// Syncs finished result files on a thread of its own, in the order they
/// are finished, so that a file's flush to disk overlaps the formatting of
/// the rest instead of holding up the thread that wrote it. Measured on
/// 1,000,000 generated persons (840 MB of result files, a disk that writes
/// 457 MB/s with `dd conv=fsync`): the result files took 3.3 s, 0.8 s of
/// them in syncing links.csv and bookings.csv on the thread that formats
/// them; with this syncer and [`ResultFile::sync_written`], 2.7 s.
#[derive(Clone, Debug)]
struct Syncer(mpsc::Sender<ToSync>);

#[derive(Debug)]
enum ToSync {
    File(File),
    /// Answers with the first error so far once every file sent before it
    /// is synced.
    Barrier(mpsc::SyncSender<Result<()>>),
}

impl Syncer {
    /// Starts the syncing thread, which ends when the last sender is gone.
    fn start() -> Result<Syncer> {
        let (sender, to_sync) = mpsc::channel::<ToSync>();
        std::thread::Builder::new()
            .name("leakmatch-sync".into())
            .spawn(move || {
                // Every file is synced even after an error: the first error
                // is the one reported.
                let mut first_error = None;
                for job in to_sync {
                    match job {
                        ToSync::File(file) => {
                            if let (Err(e), None) = (sync(file), &first_error) {
                                first_error = Some(format!("{e:#}"));
                            }
                        }
                        ToSync::Barrier(answer) => {
                            let _ = answer.send(first_error.clone().map_or(Ok(()), |e| Err(anyhow!(e))));
                        }
                    }
                }
            })
            .context("cannot start the thread that syncs the output files")?;
        Ok(Syncer(sender))
    }

    fn sync(&self, file: File) -> Result<()> {
        self.0.send(ToSync::File(file)).map_err(|_| Syncer::stopped())
    }

    /// Waits until every file sent so far is synced: the first error.
    fn wait(&self) -> Result<()> {
        let (answer, answered) = mpsc::sync_channel(1);
        self.0.send(ToSync::Barrier(answer)).map_err(|_| Syncer::stopped())?;
        answered.recv().map_err(|_| Syncer::stopped())?
    }

    fn stopped() -> anyhow::Error {
        anyhow!("the thread that syncs the output files has stopped")
    }
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
        let syncer = Syncer::start()?;
        Ok(StagingDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
            excel: false,
            cp932: false,
            unencodable: Arc::default(),
            syncer,
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
        let body = if self.cp932 {
            ResultBody::Cp932(Cp932Writer::new(file, name, Arc::clone(&self.unencodable)))
        } else {
            ResultBody::Utf8(file)
        };
        Ok(self.csv_builder().from_writer(ResultFile { body, syncer: self.syncer.clone() }))
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

    /// Waits until every finished result file is synced, then moves the
    /// staged files into `--out` (an interruption waits for it).
    pub fn commit(mut self) -> Result<()> {
        self.syncer.wait()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file whose sync fails: fsync of a pipe is EINVAL.
    fn unsyncable() -> File {
        let (reader, _writer) = std::io::pipe().expect("a pipe");
        File::from(std::os::fd::OwnedFd::from(reader))
    }

    #[test]
    fn waiting_reports_the_first_failed_sync_after_syncing_the_rest() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let syncer = Syncer::start().expect("the syncing thread");
        syncer.sync(File::create(dir.path().join("a")).expect("a file")).expect("sent");
        syncer.wait().expect("a file synced");
        syncer.sync(unsyncable()).expect("sent");
        syncer.sync(File::create(dir.path().join("b")).expect("a file")).expect("sent");
        let error = syncer.wait().expect_err("the pipe cannot be synced");
        assert!(format!("{error:#}").contains("cannot sync an output file"), "{error:#}");
    }

    /// A staging folder for `out` in a temporary folder, and its result
    /// file t.csv with one row written.
    fn staged_with_a_row(dir: &Path) -> (StagingDir, csv::Writer<ResultFile>) {
        let staging = StagingDir::create(&dir.join("out")).expect("a staging folder");
        let mut wtr = staging.csv_file("t.csv").expect("a result file");
        wtr.write_record(["a", "b"]).expect("written");
        (staging, wtr)
    }

    #[test]
    fn a_commit_fails_when_a_result_file_could_not_be_synced() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (staging, wtr) = staged_with_a_row(dir.path());
        finish_csv(wtr).expect("finished");
        staging.syncer.sync(unsyncable()).expect("sent");
        assert!(staging.commit().is_err());
        assert!(!dir.path().join("out").exists(), "nothing is moved into place");
    }

    #[test]
    fn a_commit_moves_a_file_synced_in_parts() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (staging, mut wtr) = staged_with_a_row(dir.path());
        wtr.flush().expect("flushed");
        wtr.get_ref().sync_written().expect("the part written is sent to the syncer");
        wtr.write_record(["c", "d"]).expect("written");
        finish_csv(wtr).expect("finished");
        staging.commit().expect("committed");
        assert_eq!(fs::read_to_string(dir.path().join("out/t.csv")).expect("readable"), "a,b\nc,d\n");
    }
}
