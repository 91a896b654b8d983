//! Exit codes of the binary and the two marker errors that select them.
//!
//! Invariant: the numbers live here and nowhere else. Any code path returns an
//! `anyhow::Error`; `main` walks its chain once and picks the code: a
//! [`UsageError`] anywhere in the chain is 2, an [`ExpectationFailed`] is 3, a
//! broken pipe is 0 (Unix convention, as ripgrep and xsv do), anything else 1.

use std::fmt;

/// The process exit status of `leakmatch` (SPEC section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The command did what was asked.
    Ok = 0,
    /// Bad input, I/O failure, or any other error.
    Error = 1,
    /// The command line was wrong (clap's own parse errors also exit 2).
    Usage = 2,
    /// `--expect` found a difference between counts.json and the expected file.
    ExpectationFailed = 3,
    /// SIGINT (Ctrl-C): 128 + 2, the shell convention.
    Interrupted = 130,
    /// SIGTERM: 128 + 15.
    Terminated = 143,
}

impl Exit {
    /// Picks the exit code for an error by walking its cause chain.
    pub fn for_error(err: &anyhow::Error) -> Exit {
        for cause in err.chain() {
            // The csv crate wraps the writer's I/O errors without exposing
            // them as a source, so its error is looked into as well.
            let io_err = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>() {
                Some(csv_err) => match csv_err.kind() {
                    csv::ErrorKind::Io(io_err) => Some(io_err),
                    _ => None,
                },
                None => None,
            });
            if io_err.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
                return Exit::Ok;
            }
            if cause.is::<UsageError>() {
                return Exit::Usage;
            }
            if cause.is::<ExpectationFailed>() {
                return Exit::ExpectationFailed;
            }
        }
        Exit::Error
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// A command-line value that clap accepted but that makes no sense (exit 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// counts.json differs from the `--expect` file (exit 3). The message lists
/// the keys that differ; counts hold no personal data.
#[derive(Debug)]
pub struct ExpectationFailed(pub String);

impl fmt::Display for ExpectationFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExpectationFailed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_inside_a_csv_error_exits_0() {
        let pipe = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        let err = anyhow::Error::new(csv::Error::from(pipe)).context("writing");
        assert_eq!(Exit::for_error(&err), Exit::Ok);
        let other = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        assert_eq!(Exit::for_error(&anyhow::Error::new(csv::Error::from(other))), Exit::Error);
    }

    #[test]
    fn usage_error_anywhere_in_chain_exits_2() {
        let err = anyhow::Error::new(UsageError("bad".into())).context("outer");
        assert_eq!(Exit::for_error(&err), Exit::Usage);
    }

    #[test]
    fn expectation_failed_exits_3() {
        let err = anyhow::Error::new(ExpectationFailed("x".into()));
        assert_eq!(Exit::for_error(&err), Exit::ExpectationFailed);
    }

    #[test]
    fn broken_pipe_exits_0_and_other_io_exits_1() {
        let pipe = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        assert_eq!(Exit::for_error(&anyhow::Error::new(pipe).context("writing")), Exit::Ok);
        let other = std::io::Error::new(std::io::ErrorKind::NotFound, "nf");
        assert_eq!(Exit::for_error(&anyhow::Error::new(other)), Exit::Error);
    }
}
