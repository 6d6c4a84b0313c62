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
use std::path::{Path, PathBuf};

/// Counts of a rule's findings against labelled examples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Expected and reported.
    pub true_positives: usize,
    /// Reported, not expected.
    pub false_positives: usize,
    /// Expected, not reported.
    pub misses: usize,
}

impl Tally {
    /// Adds `other` to this tally.
    pub fn add(&mut self, other: Tally) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.misses += other.misses;
    }
}

/// The outcome of one rule's fixtures.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    /// Rule id.
    pub rule: String,
    /// Fixtures run.
    pub fixtures: usize,
    /// The rule's findings against its fixtures' expectations.
    pub tally: Tally,
    /// What went wrong, one line each; empty when the rule passes.
    pub failures: Vec<String>,
}

/// Compares expected and reported findings, each a rule id and a place
/// (reported ones with their message); counts per rule and describes every
/// difference.
pub fn compare(
    expected: Vec<(String, String)>,
    found: Vec<(String, String, String)>,
    tallies: &mut BTreeMap<String, Tally>,
    failures: &mut Vec<String>,
) {
    let mut unmatched = expected;
    for (rule, place, message) in found {
        match unmatched.iter().position(|(r, p)| *r == rule && *p == place) {
            Some(i) => {
                unmatched.remove(i);
                tallies.entry(rule).or_default().true_positives += 1;
            }
            None => {
                failures.push(format!("{place}: unexpected `{rule}`: {message}"));
                tallies.entry(rule).or_default().false_positives += 1;
            }
        }
    }
    for (rule, place) in unmatched {
        failures.push(format!("{place}: expected `{rule}` here, not reported"));
        tallies.entry(rule).or_default().misses += 1;
    }
}

/// A finding expected by a fixture: a rule at a 1-based line.
type Expectation = (String, usize);

/// Runs the fixtures found in `trees` for the rules of `set` that come
/// from `trees`; a rule without fixtures fails.
pub fn run(set: &RuleSet, trees: &[RuleTree]) -> Vec<RuleOutcome> {
    let files: Vec<&crate::rules::sources::SourceFile> = trees.iter().flat_map(|t| &t.files).collect();
    set.rules
        .iter()
        .filter(|r| files.iter().any(|f| f.display == r.file))
        .map(|rule| {
            // Fixtures of `rules/fr/x.yaml` are `rules/fr/x/*.md`.
            let folder = rule.file.rsplit_once('.').map_or(rule.file.as_str(), |(stem, _)| stem);
            let fixtures: Vec<(String, String)> = files
                .iter()
                .filter(|f| matches!(f.extension().as_str(), "md" | "txt"))
                .filter(|f| f.display.rsplit_once(['/', '\\']).is_some_and(|(dir, _)| dir == folder))
                .map(|f| (f.display.clone(), f.text.clone()))
                .collect();
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
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (doc, expected) in docs {
        if expected.iter().any(|(r, _)| r == id) {
            failing += 1;
        } else {
            passing += 1;
        }
        let path = doc.display_path();
        // The path `check` takes: suppression comments in a fixture count.
        let config = crate::config::Config::default();
        let mut found = crate::lint::dossier_findings(&engine, &config, std::slice::from_ref(&doc))
            .pop()
            .unwrap_or_default();
        found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let found = found
            .into_iter()
            .map(|d| {
                (
                    d.rule.to_string(),
                    format!("{path}:{}", d.start.line),
                    format!("{} (column {})", d.message, d.start.column),
                )
            })
            .collect();
        // An expectation names a line: a finding matches it at any column.
        let expected = expected.into_iter().map(|(rule, line)| (rule, format!("{path}:{line}"))).collect();
        compare(expected, found, &mut tallies, &mut failures);
    }
    if failing == 0 {
        failures.push(format!("`{id}` has no failing fixture (one with <!-- expect: {id} -->)"));
    }
    if passing == 0 {
        failures.push(format!("`{id}` has no passing fixture (one that expects nothing from it)"));
    }
    let tally = tallies.get(id).copied().unwrap_or_default();
    RuleOutcome { rule: id.to_string(), fixtures: fixtures.len(), tally, failures }
}

/// The expectations written in `doc`'s comments.
pub fn expectations(doc: &Document) -> Vec<Expectation> {
    let mut out = Vec::new();
    for c in &doc.comments {
        let Some(ids) = c.text.strip_prefix("expect:") else {
            continue;
        };
        let line = doc.lines.next_filled_line(&doc.text, c.span.end.saturating_sub(1));
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.push((id.to_string(), line + 1));
        }
    }
    out
}

/// Why the samples could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A folder or file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The rules could not be set up.
    #[error(transparent)]
    Setup(#[from] crate::lint::SetupError),
}

/// The file in each sample dossier that lists its expected findings.
pub const SAMPLE_EXPECTATIONS: &str = "findings.expected";

/// Checks every dossier folder under `root` that has a [`SAMPLE_EXPECTATIONS`]
/// file (lines `file:line:column rule-id`; `#` starts a comment) against its
/// findings; returns the counts per rule and the differences.
pub fn check_samples(
    profiles: &mut crate::lint::Profiles,
    root: &Path,
) -> Result<(BTreeMap<String, Tally>, Vec<String>), SampleError> {
    let mut tallies = BTreeMap::new();
    let mut failures = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(SAMPLE_EXPECTATIONS).is_file())
        .collect();
    folders.sort();
    for folder in folders {
        let listed = std::fs::read_to_string(folder.join(SAMPLE_EXPECTATIONS))?;
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut expected = Vec::new();
        for line in listed.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            match line.split_once(char::is_whitespace) {
                Some((place, rule)) => expected.push((rule.trim().to_string(), format!("{name}/{place}"))),
                None => failures.push(format!("{name}/{SAMPLE_EXPECTATIONS}: cannot read `{line}` (expected `file:line:column rule-id`)")),
            }
        }
        let report =
            crate::lint::check_paths(profiles, std::slice::from_ref(&folder), &crate::lint::NoProgress)?;
        let found = report
            .diagnostics()
            .map(|d| {
                let file = d.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (
                    d.rule.to_string(),
                    format!("{name}/{file}:{}:{}", d.start.line, d.start.column),
                    d.message.clone(),
                )
            })
            .collect();
        compare(expected, found, &mut tallies, &mut failures);
    }
    Ok((tallies, failures))
}
