//! The `leakmatch` binary: parse, dispatch, map the error to an exit code.

use std::process::ExitCode;

use clap::Parser;
use leakmatch::cli::Cli;
use leakmatch::exit::Exit;

fn main() -> ExitCode {
    // clap prints its own usage errors and exits 2 (help and version exit 0).
    let cli = Cli::parse();
    // SIGINT and SIGTERM remove unfinished results before the process ends.
    let result = leakmatch::signals::install().and_then(|()| leakmatch::cmd::dispatch(cli));
    match result {
        Ok(()) => Exit::Ok.into(),
        Err(err) => {
            let exit = Exit::for_error(&err);
            // A closed stdout pipe (a mailer that read enough) is not an error.
            if exit != Exit::Ok {
                eprintln!("leakmatch: error: {err:#}");
            }
            exit.into()
        }
    }
}
