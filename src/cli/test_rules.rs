//! `clausier test-rules [DIR] [--samples DIR]`: run the rules' fixtures and,
//! with `--samples`, the labelled sample dossiers, and print per rule the true
//! positives, false positives and misses.

use super::output::load_rules;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::config::Config;
use clausier::engine::Engine;
use clausier::fixtures::{self, Tally};
use clausier::lint::{Profile, Profiles};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct TestRulesArgs {
    /// A rule folder whose rules and fixtures to test (default: the built-in packs).
    dir: Option<PathBuf>,
    /// Also check the sample dossiers under DIR against their `findings.expected`.
    #[arg(long, value_name = "DIR")]
    samples: Option<PathBuf>,
}

pub fn run(args: TestRulesArgs) -> u8 {
    let extra: Vec<PathBuf> = args.dir.iter().cloned().collect();
    let Some((rules, trees)) = load_rules(&extra) else { return EXIT_USAGE };
    // The built-in tree comes first; a DIR is tested alone.
    let tested = if args.dir.is_some() { &trees[1..] } else { &trees[..1] };
    let outcomes = fixtures::run(&rules, tested);
    let (mut passed, mut failed) = (0, 0);
    for o in &outcomes {
        if o.failures.is_empty() {
            passed += 1;
            println!("ok      {} ({} fixtures)", o.rule, o.fixtures);
        } else {
            failed += 1;
            println!("FAILED  {} ({} fixtures)", o.rule, o.fixtures);
            for f in &o.failures {
                println!("        {f}");
            }
        }
    }
    let mut samples: Option<BTreeMap<String, Tally>> = None;
    if let Some(dir) = &args.samples {
        let engine = Engine::new(rules.clone(), BTreeMap::new());
        let mut profiles = Profiles::fixed(Profile { config: Config::default(), engine });
        match fixtures::check_samples(&mut profiles, dir) {
            Ok((tallies, failures)) => {
                if failures.is_empty() {
                    passed += 1;
                    println!("ok      samples in {}", dir.display());
                } else {
                    failed += 1;
                    println!("FAILED  samples in {}", dir.display());
                    for f in &failures {
                        println!("        {f}");
                    }
                }
                samples = Some(tallies);
            }
            Err(e) => {
                eprintln!("error: cannot read the samples in {}: {e}", dir.display());
                return EXIT_USAGE;
            }
        }
    }
    print_quality(&outcomes, samples.as_ref());
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// A table of true positives, false positives and misses per rule.
fn print_quality(outcomes: &[fixtures::RuleOutcome], samples: Option<&BTreeMap<String, Tally>>) {
    let width = outcomes.iter().map(|o| o.rule.len()).max().unwrap_or(4).max(4);
    println!();
    print!("{:<width$}  fixtures: tp  fp miss", "rule");
    if samples.is_some() {
        print!("   samples: tp  fp miss");
    }
    println!();
    let mut ids: Vec<&str> = outcomes.iter().map(|o| o.rule.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let mut t = Tally::default();
        outcomes.iter().filter(|o| o.rule == id).for_each(|o| t.add(o.tally));
        print!("{id:<width$}  {:>12} {:>3} {:>4}", t.true_positives, t.false_positives, t.misses);
        if let Some(s) = samples {
            let s = s.get(id).copied().unwrap_or_default();
            print!("   {:>11} {:>3} {:>4}", s.true_positives, s.false_positives, s.misses);
        }
        println!();
    }
    println!();
}
