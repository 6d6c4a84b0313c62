//! `clausier eval FILE`: check the dossiers of a labelled corpus and score
//! the findings against the labels: expected findings found and missed,
//! false positives, per dossier, per rule and in total.

use super::output::print_setup_error;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::evaluate::{self, Scored};
use clausier::lint::{check_paths, CommandLine, Profiles, Texts};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// The corpus file: a JSON list of dossiers with `root`, `expect` and
    /// `absent` (the format of ../shared/corpus/expectations.json).
    file: PathBuf,
    /// The folder the dossiers' roots are relative to [default: the corpus file's folder].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Exit with 1 when fewer than PCT percent of the expected findings are found.
    #[arg(long, value_name = "PCT")]
    min_recall: Option<f64>,
    /// Exit with 1 when more than N absent items are broken (false positives).
    #[arg(long, value_name = "N")]
    max_false_positives: Option<usize>,
    /// Also list the findings that no label speaks of.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: EvalArgs) -> u8 {
    let corpus = match evaluate::load(&args.file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let base = args.root.clone().unwrap_or_else(|| args.file.parent().map(PathBuf::from).unwrap_or_default());
    let mut profiles = match Profiles::new(CommandLine { texts: Texts::None, ..CommandLine::default() }) {
        Ok(p) => p,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    let mut scored: Vec<(String, Scored)> = Vec::new();
    let mut unreadable = 0;
    for labels in &corpus {
        let root = base.join(&labels.root);
        let name = labels.root.display().to_string();
        if !root.is_dir() {
            eprintln!("error: {}: the dossier's folder {} does not exist", labels.name, root.display());
            unreadable += 1;
            continue;
        }
        let report =
            match check_paths(&mut profiles, std::slice::from_ref(&root), &clausier::lint::NoProgress) {
                Ok(r) => r,
                Err(e) => {
                    print_setup_error(&e);
                    return EXIT_USAGE;
                }
            };
        let findings: Vec<_> = report.diagnostics().collect();
        scored.push((name, evaluate::score(labels, &findings)));
    }
    print!("{}", render(&scored, args.verbose));
    let (_, total) = evaluate::tally(scored.iter().map(|(_, s)| s));
    let mut below = false;
    if let Some(min) = args.min_recall {
        if total.recall() < min {
            println!("recall {:.0} % is below the floor of {min} %", total.recall());
            below = true;
        }
    }
    if let Some(max) = args.max_false_positives {
        if total.false_positives > max {
            println!("{} false positives, more than the ceiling of {max}", total.false_positives);
            below = true;
        }
    }
    if unreadable > 0 {
        EXIT_USAGE
    } else if below {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The report: per dossier, what was missed and what was wrongly found, then
/// counts per rule and the total.
fn render(scored: &[(String, Scored)], verbose: bool) -> String {
    let mut out = String::new();
    let width = scored.iter().map(|(n, _)| n.len()).max().unwrap_or(7).max(7);
    out.push_str(&format!("{:<width$}  found  missed  false+  unlabelled\n", "dossier"));
    for (name, s) in scored {
        let expected = s.found.len() + s.missed.len();
        out.push_str(&format!(
            "{name:<width$}  {:>5}  {:>6}  {:>6}  {:>10}\n",
            format!("{}/{expected}", s.found.len()),
            s.missed.len(),
            s.false_positives.len(),
            s.unlabelled.len()
        ));
    }
    for (name, s) in scored {
        if s.missed.is_empty() && s.false_positives.is_empty() && (!verbose || s.unlabelled.is_empty()) {
            continue;
        }
        out.push_str(&format!("\n{name}\n"));
        for item in &s.missed {
            out.push_str(&format!("  missed: {}\n", item.describe()));
        }
        for (item, breaking) in &s.false_positives {
            out.push_str(&format!("  false positive: {} is absent, but\n", item.describe()));
            for b in breaking {
                out.push_str(&format!("      {b}\n"));
            }
        }
        if verbose {
            for u in &s.unlabelled {
                out.push_str(&format!("  unlabelled: {u}\n"));
            }
        }
    }
    let (per_rule, total) = evaluate::tally(scored.iter().map(|(_, s)| s));
    let width = per_rule.keys().map(String::len).max().unwrap_or(4).max(4);
    out.push_str(&format!("\n{:<width$}  found  missed  false+\n", "rule"));
    for (rule, c) in &per_rule {
        out.push_str(&format!(
            "{rule:<width$}  {:>5}  {:>6}  {:>6}\n",
            format!("{}/{}", c.found, c.found + c.missed),
            c.missed,
            c.false_positives
        ));
    }
    out.push_str(&format!(
        "\ntotal: {} of {} expected findings found ({:.0} %), {} missed, {} false positive{}\n",
        total.found,
        total.found + total.missed,
        total.recall(),
        total.missed,
        total.false_positives,
        if total.false_positives == 1 { "" } else { "s" }
    ));
    out
}
