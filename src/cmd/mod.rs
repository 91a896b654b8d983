//! One module per subcommand; `dispatch` routes the parsed command line.

pub mod evaluate;
pub mod explain;
pub mod generate;
pub mod normalize;
pub mod rules;
pub mod run;
pub mod train;
pub mod values;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::{NormalizeConfig, RunConfig, TrainConfig, ValuesConfig};

/// Runs the subcommand the user asked for.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run::run(&RunConfig::from_args(&args)?),
        Command::Normalize(args) => normalize::run(&NormalizeConfig::from_args(&args)?),
        Command::Generate(args) => generate::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Train(args) => train::run(&TrainConfig::from_args(&args)?),
        Command::Explain(args) => explain::run(&args),
        Command::Rules => rules::run(),
        Command::Values(args) => values::run(&ValuesConfig::from_args(&args)?),
    }
}
