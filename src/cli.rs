//! The command line, as clap types only: doc comments are the help text.
//!
//! Invariant: nothing here touches the file system or the environment; turning
//! these values into a checked configuration is `config.rs`'s job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds the customers affected by a personal-data leak.
///
/// Normalizes the recovered rows, groups them into persons, links the persons
/// to the booking exports of every sales channel, applies the notification
/// rules and writes the affected list and its counts.
#[derive(Debug, Parser)]
#[command(name = "leakmatch", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: match the recovered file against the bookings and write
    /// affected.csv, persons.csv, review.csv, rejects.csv and counts.json.
    Run(RunArgs),
    /// Write a file's rows with their normalized values and match keys
    /// beside the raw columns (CSV to stdout), e.g. to join in DuckDB or Spark.
    Normalize(NormalizeArgs),
    /// Write a synthetic dataset with ground truth: recovered.csv,
    /// bookings/*.csv, truth.csv, booking_truth.csv, classes.csv,
    /// truth_counts.json.
    Generate(GenerateArgs),
    /// Compare a result folder with ground truth: precision, recall and F1 of
    /// the deduplication and of the affected set (table on stdout).
    Evaluate(EvaluateArgs),
    /// Fit the linkage model (Fellegi–Sunter m, u and prior) on a recovered
    /// file and write it as JSON, for `run --model FILE`.
    Train(TrainArgs),
    /// Explain a result: for a person, record or booking id, its rows, its
    /// links and each link's match-weight waterfall.
    Explain(ExplainArgs),
    /// Print the embedded default rules file (TOML) to stdout.
    Rules,
    /// List every distinct channel, booking_method, payment_place and
    /// product value of booking exports (as the rules compare them) with its
    /// row count and its classification under the rules, unknown values
    /// first: what to check before the real run, and after each edit of a
    /// rules file.
    Values(ValuesArgs),
}

/// Flags of `leakmatch values`.
#[derive(Debug, Args)]
pub struct ValuesArgs {
    /// Booking exports: files, or folders whose *.csv and *.tsv files are all
    /// read (in sorted order).
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub bookings: Vec<PathBuf>,

    /// A rules file (TOML) replacing the embedded default.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Output format: an aligned table per field, or one CSV table.
    #[arg(long, value_enum, default_value_t = ValuesFormat::Text)]
    pub format: ValuesFormat,

    /// Worker threads [default: all cores]. The output is the same whatever
    /// this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// `values --format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValuesFormat {
    /// One aligned table per field, for reading.
    Text,
    /// One CSV table: field, value, rows, class, rule, reported_as.
    Csv,
}

/// Flags of the probabilistic linker, shared by `run` and `train`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Match threshold: a match weight in bits (log2 Bayes factor, prior
    /// included), or a probability written with `%` (e.g. `99.9%`). Pairs
    /// at or above it are the same person [default: see README]. A
    /// negative weight is written as is (`--match-threshold -2`).
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub match_threshold: Option<String>,

    /// Review threshold (bits or `%`): a booking whose best person scores
    /// between this and the match threshold is a possible link, for review.
    /// A negative weight is written as is (`--review-threshold -3`).
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub review_threshold: Option<String>,

    /// Largest block a blocking rule pairs up; a larger block (a shared
    /// office phone, a very common name) is skipped for that rule and
    /// counted in counts.json.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(2..))]
    pub block_cap: u32,

    /// Use this trained model (JSON written by `leakmatch train`) instead
    /// of training on the recovered file.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

/// Flags of `leakmatch train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The recovered (leaked) data file, CSV or TSV.
    #[arg(long, value_name = "FILE")]
    pub recovered: PathBuf,

    /// Where to write the model (JSON).
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// Largest block a blocking rule pairs up.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(2..))]
    pub block_cap: u32,

    /// The date after which a birth or issue date is impossible, YYYY-MM-DD
    /// [default: today in Japan (UTC+9)].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Worker threads [default: all cores]. The model is the same whatever
    /// this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bars on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Flags of `leakmatch explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The result folder of `leakmatch run`.
    #[arg(long, value_name = "DIR")]
    pub result: PathBuf,

    /// A person id (P0000001), a record id or a booking id.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Flags of `leakmatch generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Persons in the recovered file.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub persons: u64,

    /// The folder to write; it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Seed: the same seed gives the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Booking-only persons (in bookings, not in the recovered file) per
    /// recovered person.
    #[arg(long, value_name = "R", default_value_t = 2.0)]
    pub booking_only_ratio: f64,

    /// Most rows one person can have in the recovered file (7.5% of persons
    /// get 2 to this many rows, written differently; 1: no duplicates).
    #[arg(long, value_name = "MAX", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub rows_per_person: u32,

    /// Share of rows that get each variation class (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.06)]
    pub variation_share: f64,

    /// Share of recovered rows of each sparse structure: no name (contacts
    /// only), a name in one script only, two fields only; half as many
    /// persons get an exact duplicate row, and as many bookings a name in
    /// one script only (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.05)]
    pub missing_rate: f64,

    /// Share of persons who gave no email and whose rows and bookings carry
    /// the dummy mailbox staff typed for them, none@none.jp (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub dummy_email_share: f64,

    /// Write recovered.csv in CP932 (characters CP932 lacks become 〓).
    #[arg(long)]
    pub cp932: bool,

    /// Worker threads [default: all cores]. The output is the same whatever
    /// this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Flags of `leakmatch evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The ground truth: a truth file (record_id, person_id, status), or a
    /// folder holding it as truth.csv (as `generate` writes it); optionally
    /// classes.csv (record_id, class) and truth_counts.json beside it.
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub truth: PathBuf,

    /// The result folder of `leakmatch run` (persons.csv, affected.csv,
    /// counts.json).
    #[arg(long, value_name = "DIR")]
    pub result: PathBuf,

    /// Also write the evaluation as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Exit 3 when the affected-set F1 is below X (0 to 1).
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
}

/// Flags of `leakmatch normalize`.
#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// The CSV or TSV file to normalize.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Which kind of file it is: the recovered file or a booking export
    /// (adds the normalized channel, booking method, payment place, product).
    #[arg(long, value_enum, default_value_t = KindArg::Recovered)]
    pub kind: KindArg,

    /// The date after which a birth or issue date is impossible, YYYY-MM-DD
    /// [default: today in Japan (UTC+9)].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Worker threads [default: all cores]. The output is the same whatever
    /// this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Keep passport numbers (raw and normalized); they are blanked otherwise.
    #[arg(long)]
    pub include_sensitive: bool,

    /// A rules file (TOML) replacing the embedded default (see `leakmatch
    /// rules`): with --kind bookings, what the decision columns say.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

/// `--kind` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// The recovered (leaked) data file.
    Recovered,
    /// A booking export (booking_id and channel required).
    Bookings,
}

/// Flags of `leakmatch run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The recovered (leaked) data file, CSV or TSV.
    #[arg(long, value_name = "FILE")]
    pub recovered: PathBuf,

    /// Booking exports: files, or folders whose *.csv and *.tsv files are all
    /// read (in sorted order).
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub bookings: Vec<PathBuf>,

    /// The result folder. Written atomically: a failed run leaves the previous
    /// result untouched.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// A rules file (TOML) replacing the embedded default (see `leakmatch rules`).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// The date at which passport validity is judged, YYYY-MM-DD
    /// [default: today in Japan (UTC+9)].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Worker threads [default: all cores]. The output is the same whatever
    /// this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bars and no summary on stderr (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// Compare counts.json with this expected file; exit 3 on any difference.
    /// Only the keys present in FILE are compared.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,

    /// Also stream the affected list to stdout: give `-`.
    #[arg(long, value_name = "-")]
    pub affected: Option<String>,

    /// Format of the `--affected -` stream.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Make the `--affected -` stream one message per distinct email, with
    /// every affected person who uses it (a family's shared address gets
    /// one mail); persons without email are in no_email.csv.
    #[arg(long, requires = "affected")]
    pub one_per_email: bool,

    /// Add passport numbers to affected.csv (they appear in no output otherwise).
    #[arg(long)]
    pub include_sensitive: bool,

    /// Write the result CSV files as Excel opens them without mojibake:
    /// UTF-8 with a byte order mark, lines ending in CRLF (the `--affected -`
    /// stream is unchanged).
    #[arg(long)]
    pub excel: bool,

    /// Language of report.html and the summary [default: Japanese when the
    /// locale (LC_ALL, LC_MESSAGES, LANG) is Japanese, English otherwise].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,

    /// Encoding of the result CSV files: utf-8, or cp932 for older Excel
    /// (characters CP932 cannot hold are written as 〓, counted per file and
    /// column in counts.json and on stderr).
    #[arg(long, value_enum, default_value_t = OutputEncoding::Utf8)]
    pub output_encoding: OutputEncoding,

    /// Only read every input file with the csv parser (no decoding, no
    /// matching, nothing written) and print rows and seconds on stdout: the
    /// floor a run is measured against (scripts/bench.sh).
    #[arg(long)]
    pub parse_only: bool,

    /// Print the wall time of each step (load, persons, bookings, assess,
    /// outputs) and the peak memory at its end on stderr.
    #[arg(long)]
    pub timings: bool,

    /// Load the recovered file even when the estimate of the memory it needs
    /// is above the memory available.
    #[arg(long)]
    pub skip_memory_check: bool,

    /// Write a keyed hash (BLAKE3, a random key per run, never written) of
    /// each rejected row instead of its text: rejects.csv can then go to a
    /// vendor (file, line, reason; equal rows have equal hashes).
    #[arg(long, conflicts_with = "include_sensitive")]
    pub redact_rejects: bool,

    #[command(flatten)]
    pub link: LinkArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

/// How input files are read; shared by every subcommand that reads CSV.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Character encoding of the inputs.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    pub encoding: EncodingArg,

    /// Field delimiter, one ASCII character or `tab`
    /// [default: tab for *.tsv files, comma otherwise].
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,

    /// Read FIELD from the column named HEADER (repeatable), e.g.
    /// `--map email=連絡先`. FIELD is one of the names listed in the README.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub maps: Vec<String>,

    /// A row with a field longer than this many bytes is rejected (with
    /// that reason in rejects.csv), not decoded.
    #[arg(long, value_name = "N", default_value_t = 1024 * 1024, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_field_bytes: u64,
}

/// `--encoding` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 (with or without BOM) or CP932, detected from the bytes.
    Auto,
    /// UTF-8, with or without BOM.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Shift_JIS as Windows writes it (Windows-31J).
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis", alias = "windows-31j")]
    Cp932,
}

/// `--lang` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Ja,
}

/// `--output-encoding` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputEncoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis", alias = "windows-31j")]
    Cp932,
}

/// `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// CSV with a header row, as affected.csv.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn threads_zero_is_rejected_by_the_parser() {
        let parsed = Cli::try_parse_from([
            "leakmatch",
            "run",
            "--recovered",
            "r.csv",
            "--bookings",
            "b",
            "--out",
            "o",
            "--threads",
            "0",
        ]);
        assert!(parsed.is_err());
    }
}
