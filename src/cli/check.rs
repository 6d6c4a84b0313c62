//! `clausier check`: lint documents and folders.

use super::output::{emit, print_setup_error, ColorChoice};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::document::{DocKind, Language};
use clausier::dossier::Grouping;
use clausier::lint::{check_paths, CommandLine, Overrides, Profiles, Texts};
use clausier::report::{github, gitlab, human, json, junit, sarif, Report};
use clausier::rules::Severity;
use clausier::suppress::Baseline;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rendered diagnostics for people.
    Human,
    /// One line a finding: path:line:col: severity[rule] message.
    Concise,
    /// The stable JSON report.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One self-contained HTML page: coverage per dossier, then the findings.
    Html,
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
    #[arg(long, value_name = "KIND", value_parser = kinds())]
    kind: Option<DocKind>,
    /// Treat every document as written in this language.
    #[arg(long, value_name = "LANG", value_parser = clap::builder::TypedValueParser::try_map(clap::builder::PossibleValuesParser::new(["fr", "en"]), |s| s.parse::<Language>()))]
    lang: Option<Language>,
    /// Exit with 1 when a finding is at or above this severity [default: the
    /// configuration's `fail-on`, else warning].
    #[arg(long, value_enum)]
    fail_on: Option<Severity>,
    /// Use this configuration file for every document instead of the closest
    /// .clausier.yaml above each one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Leave out the findings accepted in this baseline file; report its
    /// entries that match nothing any more.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every finding of this run to a baseline file, then exit with 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    json_output: Option<PathBuf>,
    /// Also write the HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    html_output: Option<PathBuf>,
    /// Also write a SARIF report to FILE.
    #[arg(long, value_name = "FILE")]
    sarif_output: Option<PathBuf>,
    /// Also write a JUnit report to FILE.
    #[arg(long, value_name = "FILE")]
    junit_output: Option<PathBuf>,
    /// Also write a GitLab Code Quality report to FILE.
    #[arg(long, value_name = "FILE")]
    gitlab_output: Option<PathBuf>,
    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print only the findings, without the closing summary or the progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Never show the progress bar (shown on stderr, when it is a terminal,
    /// once a run has lasted a second).
    #[arg(long)]
    no_progress: bool,
    /// How documents are grouped into dossiers: auto (one a folder, split
    /// when it holds several contracts, CCAPs or RCs), folder, or file.
    #[arg(long, value_enum, default_value_t = Grouping::Auto)]
    dossier: Grouping,
    /// Print the dossiers and the kind and language of each document, with
    /// why, instead of the findings.
    #[arg(long)]
    show_kinds: bool,
}

/// The kinds `--kind` takes, listed by `--help`.
fn kinds() -> impl clap::builder::TypedValueParser<Value = DocKind> {
    clap::builder::TypedValueParser::try_map(
        clap::builder::PossibleValuesParser::new(DocKind::ALL.map(DocKind::as_str)),
        |s| s.parse::<DocKind>(),
    )
}

pub fn run(args: CheckArgs) -> u8 {
    let cli = CommandLine {
        rules: args.rules.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        overrides: Overrides { kind: args.kind, language: args.lang },
        config: args.config.clone(),
        baseline: args.baseline.clone(),
        grouping: args.dossier,
        // Only the human report shows the lines the findings are on.
        texts: if args.format == OutputFormat::Human && !args.statistics {
            Texts::WithFindings
        } else {
            Texts::None
        },
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if super::missing_paths(&paths) {
        return EXIT_USAGE;
    }
    // A run of over a second shows its progress on a terminal's stderr.
    let bar = if args.quiet || args.no_progress { None } else { super::progress::Bar::on_stderr() };
    let setup = Profiles::new(cli).and_then(|mut profiles| {
        let progress: &dyn clausier::lint::Progress = match &bar {
            Some(bar) => bar,
            None => &clausier::lint::NoProgress,
        };
        let report = check_paths(&mut profiles, &paths, progress);
        // Cleared before anything is printed.
        if let Some(bar) = &bar {
            bar.finish();
        }
        let report = report?;
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
    if let Some(why) = report.nothing_read() {
        eprintln!("warning: {why}");
    }
    let fail_on = args.fail_on.or(configured_fail_on).unwrap_or(Severity::Warning);
    if args.show_kinds {
        return match emit(&show_kinds(&report), args.output.as_ref()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("error: cannot write the dossiers: {e}");
                EXIT_USAGE
            }
        };
    }

    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::of(report.diagnostics());
        let text = match serde_json::to_string_pretty(&baseline) {
            Ok(text) => text + "\n",
            Err(e) => {
                eprintln!("error: cannot write the baseline {}: {e}", path.display());
                return EXIT_USAGE;
            }
        };
        if let Err(e) = clausier::fix::write_atomically(path, text.as_bytes()) {
            eprintln!("error: cannot write the baseline {}: {e}", path.display());
            return EXIT_USAGE;
        }
        let n = baseline.entries.len();
        eprintln!("wrote {n} finding{} to the baseline {}", if n == 1 { "" } else { "s" }, path.display());
        return EXIT_OK;
    }
    // JSON, the format of big CI runs, goes out as it is written.
    let stream_json = args.format == OutputFormat::Json && !args.statistics;
    let main = if stream_json {
        String::new()
    } else if args.statistics {
        match statistics(&report, args.format) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        match render(&report, args.format, &args) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: cannot render the report: {e}");
                return EXIT_USAGE;
            }
        }
    };
    let extra = [
        (OutputFormat::Json, &args.json_output),
        (OutputFormat::Sarif, &args.sarif_output),
        (OutputFormat::Junit, &args.junit_output),
        (OutputFormat::Gitlab, &args.gitlab_output),
        (OutputFormat::Html, &args.html_output),
    ];
    for (format, path) in extra {
        let Some(path) = path else { continue };
        let written = render(&report, format, &args).map_err(|e| e.to_string()).and_then(|text| {
            clausier::fix::write_atomically(path, text.as_bytes()).map_err(|e| e.to_string())
        });
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    let written = if stream_json {
        match &args.output {
            Some(path) => std::fs::File::create(path)
                .and_then(|f| json::write(&report, &mut std::io::BufWriter::new(f))),
            None => json::write(&report, &mut std::io::BufWriter::new(std::io::stdout().lock())),
        }
    } else {
        emit(&main, args.output.as_ref())
    };
    if let Err(e) = written {
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

/// Renders `report` in `format`.
fn render(report: &Report, format: OutputFormat, args: &CheckArgs) -> std::io::Result<String> {
    Ok(match format {
        OutputFormat::Json => json::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Github => github::render(report),
        OutputFormat::Junit => junit::render(report),
        OutputFormat::Gitlab => gitlab::render(report),
        OutputFormat::Html => clausier::report::html::render(report),
        OutputFormat::Concise => clausier::report::concise::render(report, !args.quiet),
        OutputFormat::Human => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let options =
                human::HumanOptions { color: args.color.enabled(to_terminal), no_summary: args.quiet };
            let mut buf = Vec::new();
            human::render(report, options, &mut buf)?;
            String::from_utf8_lossy(&buf).into_owned()
        }
    })
}

/// The dossiers and their documents, with kind, language and why.
fn show_kinds(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.dossiers {
        out.push_str(&format!("{} [{}]\n", d.name, d.grouping));
        for doc in &d.documents {
            let annex = if doc.annex { ", annex" } else { "" };
            out.push_str(&format!(
                "  {}: {} ({}), {} ({}){annex}\n",
                doc.path.display(),
                doc.kind,
                doc.kind_source,
                doc.language.as_str(),
                doc.language_source
            ));
        }
    }
    out
}

/// Counts per rule, most frequent first: a table with a header and a
/// total, or (`--format json`) an array of `{rule, severity, count}`.
fn statistics(report: &Report, format: OutputFormat) -> Result<String, String> {
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in report.diagnostics() {
        *counts.entry((&*d.rule, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<((&str, Severity), usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    match format {
        OutputFormat::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|((rule, severity), n)| serde_json::json!({"rule": rule, "severity": severity, "count": n}))
                .collect();
            serde_json::to_string_pretty(&rows).map(|t| t + "\n").map_err(|e| e.to_string())
        }
        OutputFormat::Human | OutputFormat::Concise => {
            let total: usize = rows.iter().map(|(_, n)| n).sum();
            let mut out = format!("{:>6}  {}  {}\n", "count", "rule", "[severity]");
            for ((rule, severity), n) in &rows {
                out.push_str(&format!("{n:>6}  {rule}  [{severity}]\n"));
            }
            out.push_str(&format!("{total:>6}  total\n"));
            Ok(out)
        }
        other => {
            let name = clap::ValueEnum::to_possible_value(&other)
                .map_or(String::new(), |v| v.get_name().to_string());
            Err(format!("--statistics prints a table (--format human or concise) or JSON (--format json), not --format {name}"))
        }
    }
}
