//! Rule fixtures: annotated documents that say what a rule must find.
//!
//! Fixtures of rule `<id>` live in the folder `<id>/` beside its rule file.
//! Each is a Markdown document checked on its own. A comment
//! `<!-- expect: rule-id -->` (several ids separated by commas) marks the
//! next non-blank line as a line where that rule must report; every finding
//! not so marked is a failure. Each rule needs at least one fixture that
//! expects it (failing) and one that does not (passing).

use crate::document::{self, Document, Format};
use crate::engine::Engine;
use crate::rules::sources::RuleTree;
use crate::rules::RuleSet;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The outcome of one rule's fixtures.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    /// Rule id.
    pub rule: String,
    /// Fixtures run.
    pub fixtures: usize,
    /// What went wrong, one line each; empty when the rule passes.
    pub failures: Vec<String>,
}

/// A finding expected by a fixture: a rule at a 1-based line.
type Expectation = (String, usize);

/// Runs the fixtures found in `trees` for the rules of `set`; rules of
/// `set` that come from `trees` but have no fixtures fail.
pub fn run(set: &RuleSet, trees: &[RuleTree]) -> Vec<RuleOutcome> {
    let mut by_rule: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut tested_files: BTreeSet<String> = BTreeSet::new();
    for tree in trees {
        let rule_files: BTreeSet<&str> = tree.files.iter().map(|f| f.relative.as_str()).collect();
        for f in &tree.files {
            tested_files.insert(f.display.clone());
            let Some((dir, _)) = f.relative.rsplit_once('/') else {
                continue;
            };
            let id = dir.rsplit('/').next().unwrap_or(dir);
            let is_fixture = matches!(f.extension().as_str(), "md" | "txt")
                && set.get(id).is_some()
                && (rule_files.contains(format!("{dir}.yaml").as_str())
                    || rule_files.contains(format!("{dir}.yml").as_str()));
            if is_fixture {
                by_rule.entry(id.to_string()).or_default().push((f.display.clone(), f.text.clone()));
            }
        }
    }
    set.rules
        .iter()
        .filter(|r| tested_files.contains(&r.file))
        .map(|rule| {
            let fixtures = by_rule.remove(&rule.id).unwrap_or_default();
            run_rule(set, &rule.id, &fixtures)
        })
        .collect()
}

fn run_rule(set: &RuleSet, id: &str, fixtures: &[(String, String)]) -> RuleOutcome {
    let mut failures = Vec::new();
    let mut docs = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::from([id.to_string()]);
    for (path, text) in fixtures {
        let format = Format::from_path(path.as_ref()).unwrap_or(Format::Markdown);
        match document::parse(PathBuf::from(path), format, text.clone()) {
            Ok(doc) => {
                let expected = expectations(&doc);
                ids.extend(expected.iter().map(|(r, _)| r.clone()));
                docs.push((doc, expected));
            }
            Err(e) => failures.push(format!("{path}: cannot parse the fixture: {e}")),
        }
    }
    let mut subset = set.clone();
    subset.retain(|r| ids.contains(&r.id));
    let engine = Engine::new(subset, BTreeMap::new());
    let (mut failing, mut passing) = (0, 0);
    for (doc, expected) in docs {
        if expected.iter().any(|(r, _)| r == id) {
            failing += 1;
        } else {
            passing += 1;
        }
        let path = doc.display_path();
        let found = engine.check_dossier(std::slice::from_ref(&doc));
        let mut unmatched: Vec<Expectation> = expected.clone();
        let mut found_sorted: Vec<_> = found.iter().collect();
        found_sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        for d in found_sorted {
            match unmatched.iter().position(|(r, l)| *r == d.rule && *l == d.start.line) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => failures.push(format!(
                    "{path}:{}:{}: unexpected `{}`: {}",
                    d.start.line, d.start.column, d.rule, d.message
                )),
            }
        }
        for (rule, line) in unmatched {
            failures.push(format!("{path}:{line}: expected `{rule}` here, not reported"));
        }
    }
    if failing == 0 {
        failures.push(format!("`{id}` has no failing fixture (one with <!-- expect: {id} -->)"));
    }
    if passing == 0 {
        failures.push(format!("`{id}` has no passing fixture (one that expects nothing from it)"));
    }
    RuleOutcome { rule: id.to_string(), fixtures: fixtures.len(), failures }
}

/// The expectations written in `doc`'s comments.
pub fn expectations(doc: &Document) -> Vec<Expectation> {
    let mut out = Vec::new();
    for c in &doc.comments {
        let Some(ids) = c.text.strip_prefix("expect:") else {
            continue;
        };
        let mut line = doc.lines.line_of(c.span.end.saturating_sub(1)) + 1;
        while line < doc.lines.len() && doc.text[doc.lines.line_range(&doc.text, line)].trim().is_empty() {
            line += 1;
        }
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.push((id.to_string(), line + 1));
        }
    }
    out
}
