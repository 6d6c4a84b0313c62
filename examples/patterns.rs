//! Prints the primary patterns of the given built-in rules, one regex a
//! line, as the engine compiles them: the comparison script gives them to
//! ripgrep and textlint, so that every tool looks for the same words.
//!
//! ```sh
//! cargo run --release --example patterns -- brand-without-equivalent brand-name-without-or-equal
//! ```

use clausier::rules::{builtin, load_rule_set, Check};

fn main() {
    let Ok(set) = load_rule_set(&[builtin::tree()]) else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    for id in std::env::args().skip(1) {
        let rules: Vec<_> = set.get_all(&id).collect();
        if rules.is_empty() {
            eprintln!("no rule `{id}`");
            std::process::exit(2);
        }
        for rule in rules {
            let patterns = match &rule.check {
                Check::Forbid { patterns, .. } | Check::Require { patterns, .. } => patterns.clone(),
                Check::RequireWith { trigger, .. } => trigger.clone(),
                Check::Substitute(terms) => terms.iter().map(|s| s.term.clone()).collect(),
            };
            for p in patterns {
                println!("{}", p.compiled);
            }
        }
    }
}
