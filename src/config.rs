//! Turns the parsed command line into a validated configuration.
//!
//! Everything that can be checked before the long work starts is checked
//! here: flag values (a bad one is a usage error, exit 2), the rules file,
//! and the header row of every input file, so a wrong booking file fails in
//! a second, not after an hour of loading.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{
    EncodingArg, Format, InputArgs, KindArg, LinkArgs, NormalizeArgs, RunArgs, TrainArgs, ValuesArgs, ValuesFormat,
};
use crate::exit::UsageError;
use crate::input::headers::contains_header;
use crate::input::{Column, Encoding, InputKind, InputOptions, Source};
use crate::matching::dedup::{MatchSettings, ModelChoice};
use crate::matching::link::Thresholds;
use crate::matching::weights::Model;
use crate::normalize::date::{parse_iso, Date};
use crate::rules::Rules;

/// The validated configuration of `leakmatch run`.
pub struct RunConfig {
    pub recovered: Source,
    /// Booking files in the order given, folders expanded in sorted order.
    pub bookings: Vec<Source>,
    /// What the `--bookings` folders hold that is not read (`BookingPaths`).
    pub unread_booking_paths: Vec<String>,
    pub out: PathBuf,
    pub rules: Rules,
    pub as_of: Date,
    pub pool: rayon::ThreadPool,
    pub quiet: bool,
    pub expect: Option<PathBuf>,
    pub affected_to_stdout: bool,
    pub format: Format,
    /// `--affected -` as one message per email (`--one-per-email`).
    pub one_per_email: bool,
    pub include_sensitive: bool,
    /// rejects.csv holds keyed hashes instead of row text.
    pub redact_rejects: bool,
    /// Only parse the inputs (`--parse-only`).
    pub parse_only: bool,
    /// Print each step's time and peak memory (`--timings`).
    pub timings: bool,
    /// Result CSV files with a BOM and CRLF (`--excel`).
    pub excel: bool,
    /// Result CSV files in CP932 (`--output-encoding cp932`).
    pub output_cp932: bool,
    /// Language of report.html.
    pub lang: crate::output::report::Lang,
    pub matching: MatchSettings,
}

/// Default match threshold in bits: chosen on generated data (README,
/// "Thresholds"); 7 bits is a posterior match probability of 99.2%.
pub const DEFAULT_MATCH_THRESHOLD: f64 = 7.0;
/// Default review threshold in bits (a posterior probability of 50%).
pub const DEFAULT_REVIEW_THRESHOLD: f64 = 0.0;

/// A threshold as bits: `12.5` is a match weight, `99.9%` a probability.
pub fn parse_threshold(flag: &str, text: &str) -> Result<f64> {
    let bad = || usage(format!("{flag} {text}: a match weight in bits (e.g. 10) or a probability in % (e.g. 99.9%)"));
    let value = match text.trim().strip_suffix('%') {
        Some(percent) => {
            let p: f64 = percent.trim().parse().map_err(|_| bad())?;
            if !(p > 0.0 && p < 100.0) {
                return Err(bad());
            }
            let p = p / 100.0;
            (p / (1.0 - p)).log2()
        }
        None => text.trim().parse().map_err(|_| bad())?,
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(bad())
    }
}

/// The linker settings from `--match-threshold`, `--review-threshold`,
/// `--block-cap` and `--model`.
pub fn match_settings(args: &LinkArgs) -> Result<MatchSettings> {
    let match_weight = match &args.match_threshold {
        Some(text) => parse_threshold("--match-threshold", text)?,
        None => DEFAULT_MATCH_THRESHOLD,
    };
    let review_weight = match &args.review_threshold {
        Some(text) => parse_threshold("--review-threshold", text)?,
        None => DEFAULT_REVIEW_THRESHOLD.min(match_weight),
    };
    if review_weight > match_weight {
        return Err(usage(format!(
            "--review-threshold ({review_weight:.2} bits) is above --match-threshold ({match_weight:.2} bits)"
        )));
    }
    let model = match &args.model {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read the model {}", path.display()))?;
            ModelChoice::Given(Model::from_json(&text).with_context(|| format!("{}", path.display()))?)
        }
        None => ModelChoice::Auto,
    };
    Ok(MatchSettings {
        model,
        thresholds: Thresholds { match_weight, review_weight },
        block_cap: args.block_cap as usize,
    })
}

/// The validated configuration of `leakmatch train`.
pub struct TrainConfig {
    pub recovered: Source,
    pub model_out: PathBuf,
    pub block_cap: usize,
    pub as_of: Date,
    pub pool: rayon::ThreadPool,
    pub quiet: bool,
}

impl TrainConfig {
    pub fn from_args(args: &TrainArgs) -> Result<TrainConfig> {
        let options = input_options(&args.input)?;
        Ok(TrainConfig {
            recovered: Source::open(&args.recovered, InputKind::Recovered, &options)?,
            model_out: args.model.clone(),
            block_cap: args.block_cap as usize,
            as_of: parse_as_of(args.as_of.as_deref())?,
            pool: thread_pool(args.threads)?,
            quiet: args.quiet,
        })
    }
}

fn usage(message: String) -> anyhow::Error {
    UsageError(message).into()
}

impl RunConfig {
    /// Validates `args`, reads the rules and every input's header row.
    pub fn from_args(args: &RunArgs) -> Result<RunConfig> {
        let options = input_options(&args.input)?;
        let as_of = parse_as_of(args.as_of.as_deref())?;
        let affected_to_stdout = match args.affected.as_deref() {
            None => false,
            Some("-") => true,
            Some(other) => return Err(usage(format!("--affected {other}: only `-` (stdout) is supported"))),
        };
        let rules = load_rules(args.rules.as_deref())?;
        let recovered = Source::open(&args.recovered, InputKind::Recovered, &options)?;
        if !args.skip_memory_check && !args.parse_only {
            check_memory(&recovered, available_memory_bytes())?;
        }
        let (bookings, unread_booking_paths) = open_bookings(&args.bookings, InputKind::Bookings, &options)?;
        refuse_out_beside_inputs(&args.out, std::iter::once(&recovered).chain(&bookings))?;
        for (column, header) in &options.overrides {
            let found = std::iter::once(&recovered).chain(&bookings).any(|s| contains_header(&s.headers, header));
            if !found {
                return Err(usage(format!(
                    "--map {}={header}: no input file has a column named {header}",
                    column.name()
                )));
            }
        }
        let matching = match_settings(&args.link)?;
        let pool = thread_pool(args.threads)?;
        Ok(RunConfig {
            recovered,
            bookings,
            unread_booking_paths,
            out: args.out.clone(),
            rules,
            as_of,
            pool,
            quiet: args.quiet,
            expect: args.expect.clone(),
            affected_to_stdout,
            format: args.format,
            one_per_email: args.one_per_email,
            include_sensitive: args.include_sensitive,
            redact_rejects: args.redact_rejects,
            parse_only: args.parse_only,
            timings: args.timings,
            excel: args.excel,
            output_cp932: args.output_encoding == crate::cli::OutputEncoding::Cp932,
            lang: match args.lang {
                Some(crate::cli::LangArg::En) => crate::output::report::Lang::En,
                Some(crate::cli::LangArg::Ja) => crate::output::report::Lang::Ja,
                None => crate::output::report::Lang::from_locale(),
            },
            matching,
        })
    }
}

/// The validated configuration of `leakmatch values`.
pub struct ValuesConfig {
    pub bookings: Vec<Source>,
    pub rules: Rules,
    pub format: ValuesFormat,
    pub pool: rayon::ThreadPool,
    pub quiet: bool,
}

impl ValuesConfig {
    /// Validates `args`, reads the rules and every booking file's header row.
    pub fn from_args(args: &ValuesArgs) -> Result<ValuesConfig> {
        let options = input_options(&args.input)?;
        let rules = load_rules(args.rules.as_deref())?;
        let (bookings, _said_on_stderr) = open_bookings(&args.bookings, InputKind::RuleValues, &options)?;
        for (column, header) in &options.overrides {
            if !bookings.iter().any(|s| contains_header(&s.headers, header)) {
                return Err(usage(format!(
                    "--map {}={header}: no booking file has a column named {header}",
                    column.name()
                )));
            }
        }
        Ok(ValuesConfig { bookings, rules, format: args.format, pool: thread_pool(args.threads)?, quiet: args.quiet })
    }
}

/// Memory `run` needs per byte of the recovered file, measured: a
/// 182 MB file of 1,138,160 rows (`generate --persons 1000000`) peaks at
/// 0.83 GiB with one small booking file (4.9 bytes per byte), rounded up
/// with room for the linked bookings (about 135 bytes each: 1,240,118 of
/// them add 0.16 GiB).
const MEMORY_PER_RECOVERED_BYTE: u64 = 6;

/// Refuses, before the long work, a recovered file whose estimated memory
/// is above what the machine has available (`None`: unknown, no check).
fn check_memory(recovered: &Source, available: Option<u64>) -> Result<()> {
    let Some(available) = available else {
        return Ok(());
    };
    let needed = recovered.len_bytes.saturating_mul(MEMORY_PER_RECOVERED_BYTE);
    if needed <= available {
        return Ok(());
    }
    let gib = |bytes: u64| bytes as f64 / (1u64 << 30) as f64;
    anyhow::bail!(
        "{}: loading it needs about {:.1} GiB of memory ({} times its size), and {:.1} GiB are available: \
         run on a machine with at least {:.0} GiB free, or pass --skip-memory-check to try anyway",
        recovered.display,
        gib(needed),
        MEMORY_PER_RECOVERED_BYTE,
        gib(available),
        gib(needed).ceil()
    )
}

/// MemAvailable of /proc/meminfo in bytes (None where it cannot be read).
fn available_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The rules file given, or the embedded default.
fn load_rules(path: Option<&Path>) -> Result<Rules> {
    match path {
        Some(path) => Rules::from_file(path),
        None => Ok(Rules::default_rules()),
    }
}

/// Opens every booking file of `--bookings` (folders expanded) as `kind`;
/// also gives what the folders hold that is not read, said on stderr now,
/// before the long work (an input warning: `-q` keeps it).
fn open_bookings(paths: &[PathBuf], kind: InputKind, options: &InputOptions) -> Result<(Vec<Source>, Vec<String>)> {
    let expanded = expand_booking_paths(paths)?;
    let sources = expanded.files.iter().map(|path| Source::open(path, kind, options)).collect::<Result<_>>()?;
    let unread: Vec<String> = expanded.unread.iter().map(|path| path.display().to_string()).collect();
    if !unread.is_empty() {
        eprintln!(
            "leakmatch: not read, in a --bookings folder (only its *.csv and *.tsv files are; name a file or \
             subfolder in --bookings to read it): {}",
            unread.join(", ")
        );
    }
    Ok((sources, unread))
}

/// The validated configuration of `leakmatch normalize`.
pub struct NormalizeConfig {
    pub source: Source,
    pub as_of: Date,
    pub pool: rayon::ThreadPool,
    pub include_sensitive: bool,
    /// For the decision columns of a booking file.
    pub rules: Rules,
}

impl NormalizeConfig {
    /// Validates `args` and reads the file's header row.
    pub fn from_args(args: &NormalizeArgs) -> Result<NormalizeConfig> {
        let options = input_options(&args.input)?;
        let as_of = parse_as_of(args.as_of.as_deref())?;
        let kind = match args.kind {
            KindArg::Recovered => InputKind::Recovered,
            KindArg::Bookings => InputKind::Bookings,
        };
        let rules = load_rules(args.rules.as_deref())?;
        let source = Source::open(&args.file, kind, &options)?;
        for (column, header) in &options.overrides {
            if !contains_header(&source.headers, header) {
                return Err(usage(format!("--map {}={header}: {} has no such column", column.name(), source.display)));
            }
        }
        Ok(NormalizeConfig {
            source,
            as_of,
            pool: thread_pool(args.threads)?,
            include_sensitive: args.include_sensitive,
            rules,
        })
    }
}

fn parse_as_of(text: Option<&str>) -> Result<Date> {
    match text {
        Some(text) => parse_iso(text).ok_or_else(|| usage(format!("--as-of {text}: not a YYYY-MM-DD date"))),
        None => Ok(today_in_japan()),
    }
}

/// A worker pool of `--threads` threads (default: all cores).
pub fn thread_pool(threads: Option<u16>) -> Result<rayon::ThreadPool> {
    let threads = match threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    };
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start worker threads")
}

/// Reads `--encoding`, `--delimiter` and `--map`.
pub fn input_options(args: &InputArgs) -> Result<InputOptions> {
    let encoding = match args.encoding {
        EncodingArg::Auto => None,
        EncodingArg::Utf8 => Some(Encoding::Utf8),
        EncodingArg::Cp932 => Some(Encoding::Cp932),
    };
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(text) if text.len() == 1 && text.is_ascii() && !matches!(text, "\"" | "\n" | "\r") => {
            Some(text.as_bytes()[0])
        }
        Some(text) => return Err(usage(format!("--delimiter {text:?}: one ASCII character or `tab`"))),
    };
    let mut overrides = Vec::new();
    for pair in &args.maps {
        let Some((field, header)) = pair.split_once('=') else {
            return Err(usage(format!("--map {pair}: expected FIELD=HEADER")));
        };
        let column = Column::from_name(field.trim()).ok_or_else(|| {
            usage(format!("--map {pair}: unknown field {field}; one of {}", Column::all_names().join(", ")))
        })?;
        if header.trim().is_empty() {
            return Err(usage(format!("--map {pair}: empty header")));
        }
        overrides.push((column, header.trim().to_string()));
    }
    Ok(InputOptions { encoding, delimiter, overrides, max_field_bytes: args.max_field_bytes as usize })
}

/// Refuses an `--out` folder that holds an input file: the result files
/// would be written beside it and one of the same name replaced (a
/// recovered file called persons.csv: the restored leak may be its only
/// copy), and a booking folder would read the results as exports on the
/// next run. An `--out` that does not exist yet holds nothing.
fn refuse_out_beside_inputs<'a>(out: &Path, inputs: impl Iterator<Item = &'a Source>) -> Result<()> {
    let Ok(out_folder) = out.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        let folder = input.path.canonicalize().ok().and_then(|path| path.parent().map(Path::to_path_buf));
        if folder.as_deref() == Some(out_folder.as_path()) {
            return Err(usage(format!(
                "--out {}: holds the input file {}; the results would be written beside it, and could replace it: \
                 choose another folder",
                out.display(),
                input.display
            )));
        }
    }
    Ok(())
}

/// The files `--bookings` names, and what its folders hold besides.
#[derive(Debug, Default, PartialEq)]
pub struct BookingPaths {
    /// Files as given, folders' *.csv and *.tsv files in sorted order; a
    /// file named twice is read once.
    pub files: Vec<PathBuf>,
    /// What a folder holds that is not read, in sorted order: its other
    /// files (an .xlsx export, a .txt) and its subfolders. Folders are not
    /// walked down: a subfolder may hold an older copy of the same exports,
    /// read twice, as much as more of them; so it is named on stderr and in
    /// counts.json (`unread_booking_paths`), and `--bookings` names it to
    /// read it. Hidden entries (a name starting with `.`) are left out.
    pub unread: Vec<PathBuf>,
}

/// Expands `--bookings` ([`BookingPaths`]).
pub fn expand_booking_paths(paths: &[PathBuf]) -> Result<BookingPaths> {
    let mut expanded = BookingPaths::default();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<Vec<_>>>()
                .with_context(|| format!("cannot list {}", path.display()))?
                .into_iter()
                .filter(|p| !p.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')))
                .collect();
            entries.sort();
            let (found, unread): (Vec<PathBuf>, Vec<PathBuf>) =
                entries.into_iter().partition(|p| p.is_file() && is_table_file(p));
            if found.is_empty() {
                anyhow::bail!("--bookings {}: no *.csv or *.tsv file in this folder", path.display());
            }
            expanded.files.extend(found);
            expanded.unread.extend(unread);
        } else if path.is_file() {
            expanded.files.push(path.clone());
        } else {
            anyhow::bail!("--bookings {}: no such file or folder", path.display());
        }
    }
    let mut seen = std::collections::HashSet::new();
    expanded.files.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    // A subfolder or file named in --bookings too is read, not unread.
    let named: std::collections::HashSet<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    expanded.unread.retain(|p| !p.canonicalize().is_ok_and(|c| named.contains(&c)));
    Ok(expanded)
}

fn is_table_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"))
}

/// Today's date in Japan (UTC+9): the data and its notification deadlines
/// are Japanese, whatever the machine's time zone.
pub fn today_in_japan() -> Date {
    let japan = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(9));
    jiff::Timestamp::now().to_zoned(japan).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input_args(delimiter: Option<&str>, maps: &[&str]) -> InputArgs {
        InputArgs {
            encoding: EncodingArg::Auto,
            delimiter: delimiter.map(str::to_string),
            maps: maps.iter().map(|s| s.to_string()).collect(),
            max_field_bytes: crate::input::DEFAULT_MAX_FIELD_BYTES as u64,
        }
    }

    fn is_usage(result: Result<InputOptions>) -> bool {
        result.err().is_some_and(|e| e.is::<UsageError>())
    }

    #[test]
    fn a_recovered_file_too_large_for_the_memory_is_refused_naming_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, "name_kanji\n山田太郎\n").unwrap();
        let source = Source::open(&path, InputKind::Recovered, &InputOptions::default()).unwrap();
        let size = source.len_bytes;
        assert!(check_memory(&source, Some(size * MEMORY_PER_RECOVERED_BYTE)).is_ok());
        assert!(check_memory(&source, None).is_ok());
        let err = check_memory(&source, Some(size)).unwrap_err().to_string();
        assert!(err.contains("--skip-memory-check") && err.contains("GiB free"), "{err}");
    }

    #[test]
    fn delimiter_accepts_one_character_or_tab() {
        assert_eq!(input_options(&input_args(Some(";"), &[])).unwrap().delimiter, Some(b';'));
        assert_eq!(input_options(&input_args(Some("tab"), &[])).unwrap().delimiter, Some(b'\t'));
        assert!(is_usage(input_options(&input_args(Some(";;"), &[]))));
    }

    #[test]
    fn map_needs_a_known_field_and_a_header() {
        assert!(is_usage(input_options(&input_args(None, &["mail"]))));
        assert!(is_usage(input_options(&input_args(None, &["nope=x"]))));
        let options = input_options(&input_args(None, &["surname_kana=姓フリガナ"])).unwrap();
        assert_eq!(options.overrides[0].0.name(), "surname_kana");
    }

    #[test]
    fn booking_folders_expand_to_sorted_tables_and_name_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.csv", "a.tsv", "notes.txt", "C.CSV", "export.xlsx", ".hidden.csv"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        for sub in ["2015", "named"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("c.csv"), "x").unwrap();
        }
        let given = [dir.path().to_path_buf(), dir.path().join("a.tsv"), dir.path().join("named")];
        let expanded = expand_booking_paths(&given).unwrap();
        let names = |paths: &[PathBuf]| -> Vec<String> {
            paths.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(names(&expanded.files), ["C.CSV", "a.tsv", "b.csv", "named/c.csv"]);
        assert_eq!(names(&expanded.unread), ["2015", "export.xlsx", "notes.txt"]);
    }
}
