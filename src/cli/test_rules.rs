//! `clausier test-rules [DIR]`: run the rules' fixtures.

use super::output::load_rules;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clausier::fixtures;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct TestRulesArgs {
    /// A rule folder whose rules and fixtures to test (default: the built-in packs).
    dir: Option<PathBuf>,
}

pub fn run(args: TestRulesArgs) -> u8 {
    let extra: Vec<PathBuf> = args.dir.iter().cloned().collect();
    let Some((rules, trees)) = load_rules(&extra) else {
        return EXIT_USAGE;
    };
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
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
