//! `clausier rules`: every rule with its id, pack, severity, title and legal basis.

use super::output::{emit, load_rules};
use super::{EXIT_OK, EXIT_USAGE};
use clausier::diagnostic::ENGINE_RULES;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// A JSON array.
    Json,
    /// The catalogue in Markdown, as the README shows it.
    Markdown,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Also load the rule packs of DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

pub fn run(args: RulesArgs) -> u8 {
    let Some((rules, _)) = load_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<_> = rules
                .rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "pack": r.pack,
                        "severity": r.severity,
                        "title": r.title,
                        "check": r.check.kind_name(),
                        "kinds": r.applies_to.kinds,
                        "topics": r.applies_to.topics,
                        "languages": r.applies_to.languages,
                        "legal_basis": &r.legal_basis[..],
                        "clause": r.clause,
                        "theme": r.theme,
                    })
                })
                .chain(ENGINE_RULES.iter().map(|r| {
                    json!({
                        "id": r.id,
                        "pack": "engine",
                        "severity": r.severity,
                        "title": r.title,
                        "check": "engine",
                        "kinds": [],
                        "topics": [],
                        "languages": [],
                        "legal_basis": [],
                        "clause": null,
                        "theme": null,
                    })
                }))
                .collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Markdown => markdown(&rules),
        ListFormat::Human => {
            let width = rules
                .rules
                .iter()
                .map(|r| r.id.len())
                .chain(ENGINE_RULES.iter().map(|r| r.id.len()))
                .max()
                .unwrap_or(0);
            let mut s = format!("{:<width$}  {:<6} {:<8} {}\n", "rule", "pack", "severity", "title");
            for r in &rules.rules {
                let basis: Vec<&str> = r.legal_basis.iter().map(|l| l.reference.as_str()).collect();
                s.push_str(&format!(
                    "{:<width$}  {:<6} {:<8} {}\n",
                    r.id,
                    r.pack,
                    r.severity.as_str(),
                    r.title
                ));
                if !basis.is_empty() {
                    s.push_str(&format!("{:<width$}  {}\n", "", basis.join("; ")));
                }
            }
            for r in &ENGINE_RULES {
                s.push_str(&format!(
                    "{:<width$}  {:<6} {:<8} {}\n",
                    r.id,
                    "engine",
                    r.severity.as_str(),
                    r.title
                ));
            }
            s
        }
    };
    match emit(&text, None) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The catalogue: a table of every rule (the engine's last), then each
/// rule's legal basis with its quote. The README's table is this output
/// (`tests/cli.rs` compares them).
fn markdown(rules: &clausier::rules::RuleSet) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let list = |v: Vec<String>| v.join(", ");
    let mut s = String::from(
        "| id | pack | severity | title | applies to | fix | clause |\n|---|---|---|---|---|---|---|\n",
    );
    for r in &rules.rules {
        let a = &r.applies_to;
        let mut scope = Vec::new();
        if !a.kinds.is_empty() {
            scope.push(format!("kinds: {}", list(a.kinds.iter().map(|k| k.to_string()).collect())));
        }
        if !a.topics.is_empty() {
            scope.push(format!("topics: {}", list(a.topics.clone())));
        }
        if !a.all_topics.is_empty() {
            scope.push(format!("all of: {}", list(a.all_topics.clone())));
        }
        if !a.except_topics.is_empty() {
            scope.push(format!("except: {}", list(a.except_topics.clone())));
        }
        let scope = if scope.is_empty() { "every document".to_string() } else { scope.join("; ") };
        let fix = r.fix.as_ref().filter(|f| f.replace.is_some()).map_or("", |f| f.applicability.as_str());
        let clause = r.clause.as_ref().map_or(String::new(), |c| format!("`{c}`"));
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            r.pack,
            r.severity,
            cell(&r.title),
            cell(&scope),
            fix,
            clause
        ));
    }
    for r in &ENGINE_RULES {
        s.push_str(&format!(
            "| `{}` | engine | {} | {} | every run | | |\n",
            r.id,
            r.severity,
            cell(r.title)
        ));
    }
    s.push_str("\n#### Legal bases\n");
    for r in rules.rules.iter().filter(|r| !r.legal_basis.is_empty()) {
        s.push_str(&format!("\n- `{}` ({}):\n", r.id, r.pack));
        for l in r.legal_basis.iter() {
            s.push_str(&format!("  - {}\n", l.markdown_line()));
        }
    }
    s
}
