//! `clausier explain RULE-ID`: a rule's documentation.

use super::output::{emit, load_rules};
use super::{EXIT_OK, EXIT_USAGE};
use clausier::diagnostic::ENGINE_RULES;
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
        let ids = rules.rules.iter().map(|r| r.id.as_str()).chain(ENGINE_RULES.iter().map(|r| r.id));
        let hint = clausier::lint::did_you_mean(&args.rule, ids)
            .map(|close| format!(" (did you mean `{close}`?)"))
            .unwrap_or_default();
        eprintln!("error: unknown rule `{}`{hint} (`clausier rules` lists them)", args.rule);
        return EXIT_USAGE;
    }
    match emit(&found.join("\n"), None) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// A rule's documentation, as Markdown, in the language of the rule's
/// texts: a French rule is explained under French headings.
pub fn explain(rules: &RuleSet, rule: &Rule) -> String {
    let mut out = String::new();
    let a = &rule.applies_to;
    let fr = a.languages == [clausier::document::Language::Fr];
    let t = |en: &'static str, fr_text: &'static str| if fr { fr_text } else { en };
    let list = |v: Vec<String>| {
        if v.is_empty() {
            t("all", "toutes").to_string()
        } else {
            v.join(", ")
        }
    };
    let colon = t(":", "\u{202f}:");
    let _ = writeln!(out, "# {} ({})\n", rule.id, rule.title);
    let _ = writeln!(out, "- pack{colon} {}", rule.pack);
    let _ = writeln!(out, "- {}{colon} {}", t("severity", "gravité"), rule.severity);
    let _ = writeln!(out, "- {}{colon} {}", t("check", "contrôle"), rule.check.kind_name());
    let kinds = list(a.kinds.iter().map(|k| k.to_string()).collect());
    let _ = writeln!(out, "- {}{colon} {kinds}", t("document kinds", "types de document"));
    let _ = writeln!(out, "- {}{colon} {}", t("topics", "thèmes"), list(a.topics.clone()));
    let languages = list(a.languages.iter().map(|l| l.as_str().to_string()).collect());
    let _ = writeln!(out, "- {}{colon} {languages}", t("languages", "langues"));
    let _ = writeln!(out, "\n{}\n", rule.explanation);
    let patterns = rule.check.explained_patterns();
    if !patterns.is_empty() {
        let shown: Vec<&str> = patterns.iter().map(|p| p.source.as_str()).collect();
        let _ = writeln!(out, "{}{colon} `{}`\n", t("Patterns", "Motifs"), shown.join("`, `"));
    }
    if !rule.legal_basis.is_empty() {
        let _ = writeln!(out, "## {}\n", t("Legal basis", "Base légale"));
        for l in rule.legal_basis.iter() {
            let _ = writeln!(out, "{}\n", l.markdown());
        }
    }
    if let Some(fix) = &rule.fix {
        if let Some(replace) = &fix.replace {
            let applicability = fix.applicability.as_str();
            let text = if fr {
                format!("## Correction\n\nRemplacer les mots trouvés par « {replace} » ({applicability}).\n")
            } else {
                format!(
                    "## Fix\n\nReplace the words found with \u{201c}{replace}\u{201d} ({applicability}).\n"
                )
            };
            let _ = writeln!(out, "{text}");
        }
    }
    if let Some(clause) = rules.clause_for(rule) {
        let _ = writeln!(out, "## {} `{}`\n\n{}\n", t("Model clause", "Clause type"), clause.id, clause.text);
    }
    out
}
