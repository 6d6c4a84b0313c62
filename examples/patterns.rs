//! Prints the primary patterns of the given built-in rules, one regex a
//! line, as the engine compiles them: the comparison script gives them to
//! ripgrep and textlint, so that every tool looks for the same words.
//!
//! ```sh
//! cargo run --release --example patterns -- brand-without-equivalent brand-name-without-or-equal
//! ```

use clausier::rules::{builtin, load_rule_set};

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
            for p in rule.check.primary_patterns() {
                println!("{}", p.compiled);
            }
        }
    }
}
