//! `clausier check`: lint documents and folders.

use super::output::{emit, print_setup_error, ColorChoice};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::document::{DocKind, Language};
use clausier::lint::{check_paths, CommandLine, Overrides, Profiles};
use clausier::report::{human, json};
use clausier::rules::Severity;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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
    /// Exit with 1 when a finding is at or above this severity [default: the
    /// configuration's `fail-on`, else warning].
    #[arg(long, value_enum)]
    fail_on: Option<Severity>,
    /// Use this configuration file for every document instead of the closest
    /// .clausier.yaml above each one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
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
    let cli = CommandLine {
        rules: args.rules.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        overrides: Overrides { kind: args.kind, language: args.lang },
        config: args.config.clone(),
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let setup = Profiles::new(cli).and_then(|mut profiles| {
        let report = check_paths(&mut profiles, &paths)?;
        // The fail level of the configuration that applies where clausier runs.
        let configured = profiles.for_folder(Path::new("."))?.config.fail_on;
        Ok((report, configured))
    });
    let (report, configured_fail_on) = match setup {
        Ok(ok) => ok,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    let fail_on = args.fail_on.or(configured_fail_on).unwrap_or(Severity::Warning);

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
    if report.fails_at(fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
