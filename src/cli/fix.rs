//! `clausier fix`: apply the safe replacements (and, when asked, the
//! reviewed ones and the model clauses) to Markdown and text files, or
//! write them as tracked changes into a copy of a DOCX file.

use super::output::print_setup_error;
use super::{EXIT_OK, EXIT_USAGE};
use clausier::diagnostic::PARSE_ERROR;
use clausier::document::package::Limits;
use clausier::document::{docx, Format};
use clausier::fix::{self, FixOptions, Planned};
use clausier::lint::{check_paths, CommandLine, Profiles, Texts};
use clausier::report::FileReport;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct FixArgs {
    /// Files and folders to fix.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also apply the fixes marked for review.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Insert the model clause of each finding that has one, at the section it belongs to (or a new one).
    #[arg(long)]
    insert_clauses: bool,
    /// Print a unified diff of the changes and write nothing.
    #[arg(long)]
    diff: bool,
    /// Say what would change and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// DOCX: write a copy where each fix is a tracked change with a comment
    /// (DRAFT.clausier.docx beside DRAFT.docx, or --output).
    #[arg(long)]
    redline: bool,
    /// Where to write the redlined copy (one DOCX input only).
    #[arg(long, short = 'o', value_name = "FILE", requires = "redline")]
    output: Option<PathBuf>,
    /// Overwrite the redlined copy if it exists.
    #[arg(long)]
    force: bool,
    /// Add the rule packs of DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Fix only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Do not fix these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    ignore: Vec<String>,
    /// Use this configuration file instead of the closest .clausier.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: FixArgs) -> u8 {
    if super::missing_paths(&args.paths) {
        return EXIT_USAGE;
    }
    let cli = CommandLine {
        rules: args.rules.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        config: args.config.clone(),
        texts: Texts::Documents,
        ..CommandLine::default()
    };
    let mut profiles = match Profiles::new(cli) {
        Ok(p) => p,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    let mut report = match check_paths(&mut profiles, &args.paths, &clausier::lint::NoProgress) {
        Ok(r) => r,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    if let Some(why) = report.nothing_read() {
        eprintln!("warning: {why}");
    }
    let docx_inputs =
        report.files.iter().filter(|f| Format::from_path(&f.path) == Some(Format::Docx)).count();
    if args.output.is_some() && docx_inputs != 1 {
        eprintln!("error: --output needs exactly one DOCX file to redline ({docx_inputs} given)");
        return EXIT_USAGE;
    }
    let options = FixOptions { unsafe_fixes: args.unsafe_fixes, insert_clauses: args.insert_clauses };
    let mut total = 0;
    for file in &mut report.files {
        // A file that could not be read is said, not silently left as is.
        for d in file.diagnostics.iter().filter(|d| *d.rule == *PARSE_ERROR) {
            eprintln!("{}: not fixed: {}", file.path.display(), d.message);
        }
        let planned = fix::plan(&file.diagnostics, options);
        let outcome = match Format::from_path(&file.path) {
            Some(Format::Markdown | Format::Text) => fix_text(&args, file, &planned),
            Some(Format::Docx) if args.redline && planned.is_empty() => Ok(0),
            Some(Format::Docx) if args.redline => {
                let folder = file.path.parent().unwrap_or(Path::new(""));
                match profiles.for_folder(folder) {
                    Ok(profile) => {
                        let source = file.source.take();
                        redline(&args, file, source, &planned, profile.config.limits)
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Some(Format::Docx) if !planned.is_empty() => {
                eprintln!(
                    "{}: not fixed: pass --redline to write a copy with the fixes as tracked changes",
                    file.path.display()
                );
                Ok(0)
            }
            Some(Format::Odt | Format::Pdf) if !planned.is_empty() => {
                eprintln!(
                    "{}: not fixed: `clausier fix` writes Markdown, text and (with --redline) DOCX",
                    file.path.display()
                );
                Ok(0)
            }
            _ => Ok(0),
        };
        match outcome {
            Ok(n) => total += n,
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        }
    }
    if total == 0 {
        eprintln!("nothing to fix");
    }
    EXIT_OK
}

/// « 1 change », « 3 tracked changes ».
fn changes(n: usize, what: &str) -> String {
    format!("{n} {what}change{}", if n == 1 { "" } else { "s" })
}

/// Fixes a Markdown or text file in place; the number of changes.
fn fix_text(args: &FixArgs, file: &FileReport, planned: &[Planned]) -> Result<usize, String> {
    // A file that could not be read has no document, and its parse error
    // was reported with the findings.
    let Some(doc) = &file.document else { return Ok(0) };
    let (fixed, applied) = fix::apply(file.text(), fix::edits(doc, planned));
    if applied == 0 {
        return Ok(0);
    }
    let path = file.path.display().to_string();
    if args.diff {
        print_diff(&path, file.text(), &fixed);
    } else if args.dry_run {
        println!("{path}: {}", changes(applied, ""));
    } else {
        fix::write_atomically(&file.path, fixed.as_bytes())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
        eprintln!("{path}: {} applied", changes(applied, ""));
    }
    Ok(applied)
}

/// Writes the redlined copy of a DOCX file, from what checking it read;
/// the number of changes.
fn redline(
    args: &FixArgs,
    file: &FileReport,
    source: Option<Box<docx::Source>>,
    planned: &[Planned],
    limits: Limits,
) -> Result<usize, String> {
    let path = file.path.display().to_string();
    // A file that could not be read has neither, and said so above.
    let (Some(doc), Some(source)) = (&file.document, source) else { return Ok(0) };
    let red = fix::redline::redline(doc, *source, planned, limits)
        .map_err(|e| format!("cannot redline {path}: {e}"))?;
    for s in &red.skipped {
        eprintln!("{path}: not redlined: {s}");
    }
    if red.applied == 0 {
        return Ok(0);
    }
    let output = args.output.clone().unwrap_or_else(|| redlined_name(&file.path));
    let shown = output.display().to_string();
    if args.diff {
        // What the document says once every change is accepted.
        let accepted = docx::read(output.clone(), red.bytes, limits).map_err(|e| format!("{shown}: {e}"))?;
        print_diff(&path, file.text(), &accepted.text);
    } else if args.dry_run {
        println!("{path}: {}, to be written to {shown}", changes(red.applied, ""));
    } else {
        if same_file(&output, &file.path) {
            return Err(format!("{shown} is the input: the redline is always a new file"));
        }
        if output.exists() && !args.force {
            return Err(format!("{shown} exists: pass --force to overwrite it, or --output"));
        }
        fix::write_atomically(&output, &red.bytes).map_err(|e| format!("cannot write {shown}: {e}"))?;
        eprintln!("{shown}: {} (from {path})", changes(red.applied, "tracked "));
    }
    Ok(red.applied)
}

/// `draft.docx` → `draft.clausier.docx`, in the same folder.
fn redlined_name(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}.clausier.docx"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn print_diff(path: &str, before: &str, after: &str) {
    let diff = similar::TextDiff::from_lines(before, after);
    print!("{}", diff.unified_diff().header(&format!("a/{path}"), &format!("b/{path}")));
}
