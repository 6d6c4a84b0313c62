//! `clausier fix`: apply the safe replacements (and, when asked, the
//! reviewed ones and the model clauses) to Markdown and text files.

use super::output::print_setup_error;
use super::{EXIT_OK, EXIT_USAGE};
use clausier::document::{self, Format};
use clausier::fix::{self, FixOptions};
use clausier::lint::{check_paths, CommandLine, Profiles};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct FixArgs {
    /// Files and folders to fix.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also apply the fixes marked for review.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Insert the model clause of each missing clause, at the section it belongs to.
    #[arg(long)]
    insert_clauses: bool,
    /// Print a unified diff of the changes and write nothing.
    #[arg(long)]
    diff: bool,
    /// Say what would change and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Add the rule packs of DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Fix only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Use this configuration file instead of the closest .clausier.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: FixArgs) -> u8 {
    let cli =
        CommandLine { rules: args.rules, select: args.select, config: args.config, ..CommandLine::default() };
    let report = match Profiles::new(cli).and_then(|mut p| check_paths(&mut p, &args.paths)) {
        Ok(r) => r,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    let options = FixOptions { unsafe_fixes: args.unsafe_fixes, insert_clauses: args.insert_clauses };
    let mut total = 0;
    for file in &report.files {
        let fixable = file.diagnostics.iter().any(|d| d.fix.is_some() || d.clause.is_some());
        let format = Format::from_path(&file.path);
        if !matches!(format, Some(Format::Markdown | Format::Text)) {
            if fixable && format.is_some() {
                eprintln!(
                    "{}: not fixed: `clausier fix` writes Markdown and text only for now",
                    file.path.display()
                );
            }
            continue;
        }
        let Some(format) = format else { continue };
        let Ok(doc) = document::parse(file.path.clone(), format, file.text.clone()) else { continue };
        let (fixed, applied) = fix::apply(&file.text, fix::edits(&doc, &file.diagnostics, options));
        if applied == 0 {
            continue;
        }
        total += applied;
        let path = file.path.display().to_string();
        if args.diff {
            let diff = similar::TextDiff::from_lines(&file.text, &fixed);
            print!("{}", diff.unified_diff().header(&format!("a/{path}"), &format!("b/{path}")));
        } else if args.dry_run {
            println!("{path}: {applied} changes");
        } else if let Err(e) = fix::write_atomically(&file.path, &fixed) {
            eprintln!("error: cannot write {path}: {e}");
            return EXIT_USAGE;
        } else {
            eprintln!("{path}: {applied} changes applied");
        }
    }
    if total == 0 {
        eprintln!("nothing to fix");
    }
    EXIT_OK
}
