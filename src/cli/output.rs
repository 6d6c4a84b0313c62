//! What every subcommand shares: loading the rules, reporting rule-file
//! errors with ariadne, colours.

use clausier::config::ConfigError;
use clausier::lint::SetupError;
use clausier::rules::sources::{read_dir, RuleTree};
use clausier::rules::{builtin, load_rule_set, RuleError, RuleSet};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::PathBuf;

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// When writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// The rule trees of a run: the built-in packs, then each `--rules DIR`.
pub fn rule_trees(extra: &[PathBuf]) -> Result<Vec<RuleTree>, RuleError> {
    let mut trees = vec![builtin::tree()];
    for dir in extra {
        let tree = read_dir(dir)
            .map_err(|(path, error)| RuleError::Io { path: path.display().to_string(), error })?;
        trees.push(tree);
    }
    Ok(trees)
}

/// Loads the rule set, printing any error on stderr.
pub fn load_rules(extra: &[PathBuf]) -> Option<(RuleSet, Vec<RuleTree>)> {
    let loaded = rule_trees(extra).and_then(|trees| Ok((load_rule_set(&trees)?, trees)));
    match loaded {
        Ok(ok) => Some(ok),
        Err(e) => {
            print_rule_error(&e);
            None
        }
    }
}

/// Prints a rule-file error on stderr, with the place shown by ariadne.
pub fn print_rule_error(error: &RuleError) {
    match error {
        RuleError::Invalid { file, text, span, line, column, message } => {
            print_located("invalid rule file", file, text, span.clone(), (*line, *column), message);
        }
        RuleError::Io { .. } => eprintln!("error: {error}"),
    }
}

/// Prints why a run could not start.
pub fn print_setup_error(error: &SetupError) {
    match error {
        SetupError::Rules(e) => print_rule_error(e),
        SetupError::Config(ConfigError::Invalid { path, text, span, line, column, message }) => {
            let file = path.display().to_string();
            print_located("invalid configuration", &file, text, span.clone(), (*line, *column), message);
        }
        other => eprintln!("error: {other}"),
    }
}

/// An error at a known place of a file, rendered by ariadne on stderr.
fn print_located(what: &str, file: &str, text: &str, span: Range<usize>, at: (usize, usize), message: &str) {
    use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
    let color = ColorChoice::Auto.enabled(std::io::stderr().is_terminal());
    let id = file.to_string();
    let report = Report::build(ReportKind::Error, (id.clone(), span.clone()))
        .with_config(Config::default().with_index_type(IndexType::Byte).with_color(color))
        .with_message(format!("{what} {file}:{}:{}: {message}", at.0, at.1))
        .with_label(Label::new((id.clone(), span)).with_message(message).with_color(Color::Red))
        .finish();
    if report.write((id, Source::from(text)), std::io::stderr()).is_err() {
        eprintln!("error: {what} {file}:{}:{}: {message}", at.0, at.1);
    }
}

/// Writes `text` to `path`, or to standard output when there is none.
pub fn emit(text: &str, path: Option<&PathBuf>) -> std::io::Result<()> {
    use std::io::Write;
    match path {
        Some(p) => std::fs::write(p, text),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()
        }
    }
}
