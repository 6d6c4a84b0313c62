//! `clausier lsp`: the language server, over stdio.

use super::{EXIT_OK, EXIT_USAGE};
use clausier::lint::CommandLine;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct LspArgs {
    /// Add the rule packs of DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Use this configuration file for every document instead of the closest
    /// .clausier.yaml above each one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: LspArgs) -> u8 {
    let cli = CommandLine { rules: args.rules, config: args.config, ..CommandLine::default() };
    match clausier::lsp::run(cli) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
