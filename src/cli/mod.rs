//! Command-line definitions, one file per subcommand.

mod check;
mod dump;
mod eval;
mod explain;
mod fix;
mod init;
mod list;
mod lsp;
mod output;
mod progress;
mod serve;
mod test_rules;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code: nothing at or above the fail level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the fail level, or failing rule tests.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or rule-file error.
pub const EXIT_USAGE: u8 = 2;

/// A compliance linter for public procurement documents: open formats, data
/// rights, free software, brands without « ou équivalent ».
#[derive(Parser)]
#[command(name = "clausier", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check documents and folders (the current folder by default).
    Check(Box<check::CheckArgs>),
    /// Explain a rule: why it matters, its legal basis, its model clause.
    Explain(explain::ExplainArgs),
    /// List the rules.
    Rules(list::RulesArgs),
    /// Run the rules' fixtures (the built-in packs, or those of DIR).
    TestRules(test_rules::TestRulesArgs),
    /// Score the findings on a labelled corpus of real dossiers.
    Eval(eval::EvalArgs),
    /// Apply the safe fixes (and, when asked, the model clauses) to Markdown and text files; write DOCX redlines.
    Fix(fix::FixArgs),
    /// Write a commented .clausier.yaml in the current folder.
    Init(init::InitArgs),
    /// Serve the language server protocol on stdin and stdout.
    Lsp(lsp::LspArgs),
    /// Serve a page where a dossier is dropped and its HTML report read.
    Serve(serve::ServeArgs),
    /// Print the blocks a document is read as (for rule and reader authors).
    #[command(hide = true)]
    Dump(dump::DumpArgs),
}

/// Parses the arguments, runs the subcommand and returns its exit code.
/// Says so and returns `true` when a path given does not exist: a usage
/// error (exit 2), as it is for ripgrep and Ruff, not a finding. A path that
/// exists but cannot be read stays a `parse-error` finding of the run.
pub fn missing_paths(paths: &[std::path::PathBuf]) -> bool {
    let mut missing = false;
    for path in paths {
        if let Err(e) = std::fs::symlink_metadata(path) {
            if e.kind() == std::io::ErrorKind::NotFound {
                eprintln!("error: {}: No such file or directory", path.display());
                missing = true;
            }
        }
    }
    missing
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(*args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(args) => list::run(args),
        Command::TestRules(args) => test_rules::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Init(args) => init::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Dump(args) => dump::run(args),
    };
    ExitCode::from(code)
}
