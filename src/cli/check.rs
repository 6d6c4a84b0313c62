//! `clausier check`: lint documents and folders.

use super::output::{emit, load_rules, ColorChoice};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::document::{DocKind, Language};
use clausier::engine::Engine;
use clausier::lint::{check_paths, Overrides};
use clausier::report::{human, json};
use clausier::rules::{RuleSet, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rendered diagnostics for people.
    Human,
    /// The stable JSON report.
    Json,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check (default: the current folder). Folders are
    /// walked respecting .gitignore; files named here are always checked.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Add the rule packs of DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    ignore: Vec<String>,
    /// Treat every document as this kind instead of detecting it.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    kind: Option<DocKind>,
    /// Treat every document as written in this language (fr or en).
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Language>,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Severity::Warning)]
    fail_on: Severity,
    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print only the findings, without the closing summary.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_kind(s: &str) -> Result<DocKind, String> {
    s.parse()
}

fn parse_lang(s: &str) -> Result<Language, String> {
    s.parse()
}

pub fn run(args: CheckArgs) -> u8 {
    let Some((mut rules, _)) = load_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    if let Err(message) = select(&mut rules, &args.select, &args.ignore) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let engine = Engine::new(rules, BTreeMap::new());
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let report = check_paths(&engine, &paths, Overrides { kind: args.kind, language: args.lang });

    let rendered = match args.format {
        OutputFormat::Json => json::render(&report),
        OutputFormat::Human => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let options = human::HumanOptions { color: args.color.enabled(to_terminal) };
            let mut buf = Vec::new();
            if let Err(e) = human::render(&report, options, &mut buf) {
                eprintln!("error: cannot render the report: {e}");
                return EXIT_USAGE;
            }
            let mut text = String::from_utf8_lossy(&buf).into_owned();
            if args.quiet {
                // The summary is the last line.
                let trimmed = text.trim_end_matches('\n');
                text.truncate(trimmed.rfind('\n').map_or(0, |i| i + 1));
            }
            text
        }
    };
    if let Err(e) = emit(&rendered, args.output.as_ref()) {
        let target = args.output.as_ref().map_or("standard output".to_string(), |p| p.display().to_string());
        eprintln!("error: cannot write to {target}: {e}");
        return EXIT_USAGE;
    }
    if report.fails_at(args.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Applies `--select` and `--ignore`; an unknown id is an error.
fn select(rules: &mut RuleSet, select: &[String], ignore: &[String]) -> Result<(), String> {
    let known: BTreeSet<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    if let Some(unknown) = select.iter().chain(ignore).find(|id| !known.contains(id.as_str())) {
        return Err(format!("unknown rule `{unknown}` (`clausier rules` lists them)"));
    }
    let select: BTreeSet<String> = select.iter().cloned().collect();
    let ignore: BTreeSet<String> = ignore.iter().cloned().collect();
    rules.retain(|r| (select.is_empty() || select.contains(&r.id)) && !ignore.contains(&r.id));
    Ok(())
}
