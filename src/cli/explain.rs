//! `clausier explain RULE-ID`: a rule's documentation.

use super::output::{emit, load_rules};
use super::{EXIT_OK, EXIT_USAGE};
use clausier::rules::{Rule, RuleSet};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The rule id.
    rule: String,
    /// Also load the rule packs of DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

pub fn run(args: ExplainArgs) -> u8 {
    if let Some(r) = clausier::diagnostic::engine_rule(&args.rule) {
        let text = format!(
            "# {} ({})\n\n- pack: engine (findings about the run, not about a clause)\n- severity: {}\n\n{}\n",
            r.id, r.title, r.severity, r.explanation
        );
        return match emit(&text, None) {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_USAGE,
        };
    }
    let Some((rules, _)) = load_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    let found: Vec<String> = rules.get_all(&args.rule).map(|rule| explain(&rules, rule)).collect();
    if found.is_empty() {
        eprintln!("error: unknown rule `{}` (`clausier rules` lists them)", args.rule);
        return EXIT_USAGE;
    }
    match emit(&found.join("\n"), None) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// A rule's documentation, as Markdown.
pub fn explain(rules: &RuleSet, rule: &Rule) -> String {
    let mut out = String::new();
    let a = &rule.applies_to;
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "all".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(out, "# {} ({})\n", rule.id, rule.title);
    let _ = writeln!(out, "- pack: {}", rule.pack);
    let _ = writeln!(out, "- severity: {}", rule.severity);
    let _ = writeln!(out, "- check: {}", rule.check.kind_name());
    let _ = writeln!(out, "- document kinds: {}", list(a.kinds.iter().map(|k| k.to_string()).collect()));
    let _ = writeln!(out, "- topics: {}", list(a.topics.clone()));
    let _ =
        writeln!(out, "- languages: {}", list(a.languages.iter().map(|l| l.as_str().to_string()).collect()));
    let _ = writeln!(out, "\n{}\n", rule.explanation);
    let patterns = rule.check.explained_patterns();
    if !patterns.is_empty() {
        let shown: Vec<&str> = patterns.iter().map(|p| p.source.as_str()).collect();
        let _ = writeln!(out, "Patterns: `{}`\n", shown.join("`, `"));
    }
    if !rule.legal_basis.is_empty() {
        let _ = writeln!(out, "## Legal basis\n");
        for l in rule.legal_basis.iter() {
            let _ = writeln!(out, "{}\n", l.markdown());
        }
    }
    if let Some(fix) = &rule.fix {
        if let Some(replace) = &fix.replace {
            let _ = writeln!(
                out,
                "## Fix\n\nReplace the words found with « {} » ({}).\n",
                replace,
                fix.applicability.as_str()
            );
        }
    }
    if let Some(clause) = rules.clause_for(rule) {
        let _ = writeln!(out, "## Model clause `{}`\n\n{}\n", clause.id, clause.text);
    }
    out
}
