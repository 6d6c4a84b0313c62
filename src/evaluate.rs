//! Scoring clausier on a labelled corpus of real documents.
//!
//! A corpus file (`expectations.json`) is a list of dossiers, each with a
//! `root` folder (relative to the file's folder), the findings a careful
//! reader expects (`expect`) and those that must not appear (`absent`). An
//! item names a rule and, when the finding is tied to a place, the file name
//! and a `snippet`: a short verbatim piece of the line where the finding
//! belongs. An `expect` item is met by a finding of that rule (in that file,
//! on a line containing the snippet); an `absent` item is broken by any such
//! finding. Text is compared lower-cased, white space collapsed, curly
//! apostrophes straightened.

use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One labelled finding (or one that must not be found).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Rule id.
    pub rule: String,
    /// File name (without folder) the finding is in.
    #[serde(default)]
    pub file: Option<String>,
    /// A short verbatim piece of the finding's line.
    #[serde(default)]
    pub snippet: Option<String>,
}

impl Item {
    /// Whether the finding `d` is one this item speaks of.
    pub fn matches(&self, d: &Diagnostic) -> bool {
        if *d.rule != *self.rule {
            return false;
        }
        if let Some(file) = &self.file {
            if d.path.file_name().and_then(|n| n.to_str()) != Some(file.as_str()) {
                return false;
            }
        }
        self.snippet.as_ref().is_none_or(|s| comparable(&d.snippet).contains(&comparable(s)))
    }

    /// The item in one line, for reports.
    pub fn describe(&self) -> String {
        let mut out = self.rule.clone();
        if let Some(file) = &self.file {
            out.push_str(&format!(" in {file}"));
        }
        if let Some(s) = &self.snippet {
            out.push_str(&format!(" at « {s} »"));
        }
        out
    }
}

/// One labelled dossier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    /// What it is.
    pub name: String,
    /// The format of its main file (informative).
    #[serde(default)]
    pub group: Option<String>,
    /// Its folder, relative to the corpus file's folder.
    pub root: PathBuf,
    /// Findings that must appear.
    #[serde(default)]
    pub expect: Vec<Item>,
    /// Findings that must not appear.
    #[serde(default)]
    pub absent: Vec<Item>,
}

/// A corpus file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// It could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// It is not a valid corpus file.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads a corpus file.
pub fn load(path: &Path) -> Result<Vec<Labelled>, CorpusError> {
    let text = std::fs::read_to_string(path).map_err(|error| CorpusError::Io { path: path.into(), error })?;
    serde_json::from_str(&text).map_err(|e| CorpusError::Invalid {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// How one dossier fared.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    /// Expected findings that were found.
    pub found: Vec<Item>,
    /// Expected findings that were not.
    pub missed: Vec<Item>,
    /// Absent items broken, each with the findings that break it (one line each).
    pub false_positives: Vec<(Item, Vec<String>)>,
    /// Findings no label speaks of (neither expected nor absent), one line each.
    pub unlabelled: Vec<String>,
}

/// Scores the findings of one dossier against its labels.
pub fn score(labels: &Labelled, findings: &[&Diagnostic]) -> Scored {
    let mut out = Scored::default();
    for item in &labels.expect {
        if findings.iter().any(|d| item.matches(d)) {
            out.found.push(item.clone());
        } else {
            out.missed.push(item.clone());
        }
    }
    for item in &labels.absent {
        let breaking: Vec<String> =
            findings.iter().filter(|d| item.matches(d)).map(|d| describe(d)).collect();
        if !breaking.is_empty() {
            out.false_positives.push((item.clone(), breaking));
        }
    }
    for d in findings {
        if !labels.expect.iter().chain(&labels.absent).any(|i| i.matches(d)) {
            out.unlabelled.push(describe(d));
        }
    }
    out
}

/// A finding in one line: rule, file, line and the start of its snippet.
pub fn describe(d: &Diagnostic) -> String {
    let file = d.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let snippet = crate::document::collapse_ws(&d.snippet);
    let short: String = snippet.chars().take(90).collect();
    let more = if short.len() < snippet.len() { "…" } else { "" };
    format!("{} {file}:{} « {short}{more} »", d.rule, d.start.line)
}

/// Counts per rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Expected and found.
    pub found: usize,
    /// Expected, not found.
    pub missed: usize,
    /// Absent items broken.
    pub false_positives: usize,
}

impl Counts {
    /// The share of expected findings that were found, in percent (100 when none was expected).
    pub fn recall(&self) -> f64 {
        let expected = self.found + self.missed;
        if expected == 0 {
            100.0
        } else {
            100.0 * self.found as f64 / expected as f64
        }
    }
}

/// Counts per rule over scored dossiers, and their total.
pub fn tally<'a>(scored: impl IntoIterator<Item = &'a Scored>) -> (BTreeMap<String, Counts>, Counts) {
    let mut per_rule: BTreeMap<String, Counts> = BTreeMap::new();
    for s in scored {
        for i in &s.found {
            per_rule.entry(i.rule.clone()).or_default().found += 1;
        }
        for i in &s.missed {
            per_rule.entry(i.rule.clone()).or_default().missed += 1;
        }
        for (i, _) in &s.false_positives {
            per_rule.entry(i.rule.clone()).or_default().false_positives += 1;
        }
    }
    let mut total = Counts::default();
    for c in per_rule.values() {
        total.found += c.found;
        total.missed += c.missed;
        total.false_positives += c.false_positives;
    }
    (per_rule, total)
}

/// Text as labels compare it: lower-cased, white space collapsed, curly
/// apostrophes and quotes straightened.
pub fn comparable(s: &str) -> String {
    let straight: String = s
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{a0}' | '\u{202f}' => ' ',
            c => c,
        })
        .collect();
    crate::document::collapse_ws(&straight.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, path: &str, snippet: &str) -> Diagnostic {
        let mut d = Diagnostic::parse_error(PathBuf::from(path), String::new());
        d.rule = rule.into();
        d.snippet = snippet.to_string();
        d
    }

    fn item(rule: &str, file: Option<&str>, snippet: Option<&str>) -> Item {
        Item { rule: rule.into(), file: file.map(Into::into), snippet: snippet.map(Into::into) }
    }

    #[test]
    fn items_match_by_rule_file_and_snippet() {
        let d = finding("r", "dossier/ccap.md", "Le  titulaire cède l’ensemble\tdes droits");
        assert!(item("r", None, None).matches(&d));
        assert!(item("r", Some("ccap.md"), Some("cède l'ensemble des")).matches(&d));
        assert!(!item("r", Some("cctp.md"), None).matches(&d));
        assert!(!item("r", Some("ccap.md"), Some("code source")).matches(&d));
        assert!(!item("other", None, None).matches(&d));
    }

    #[test]
    fn scores_found_missed_and_false_positives() {
        let labels = Labelled {
            name: "x".into(),
            group: None,
            root: "x".into(),
            expect: vec![item("a", None, None), item("b", Some("rc.md"), None)],
            absent: vec![item("c", None, None), item("a", Some("cctp.md"), Some("Word"))],
        };
        let found = [
            finding("a", "x/ccap.md", "…"),
            finding("a", "x/cctp.md", "au format Word"),
            finding("d", "x/ccap.md", "ailleurs"),
        ];
        let refs: Vec<&Diagnostic> = found.iter().collect();
        let s = score(&labels, &refs);
        assert_eq!(s.found, vec![item("a", None, None)]);
        assert_eq!(s.missed, vec![item("b", Some("rc.md"), None)]);
        assert_eq!(s.false_positives.len(), 1);
        assert_eq!(s.false_positives[0].0, item("a", Some("cctp.md"), Some("Word")));
        assert_eq!(s.unlabelled, vec!["d ccap.md:1 « ailleurs »".to_string()]);
        let (per_rule, total) = tally([&s]);
        assert_eq!(per_rule["a"], Counts { found: 1, missed: 0, false_positives: 1 });
        assert_eq!(total, Counts { found: 1, missed: 1, false_positives: 1 });
        assert_eq!(total.recall(), 50.0);
    }

    #[test]
    fn a_bad_corpus_file_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        std::fs::write(&path, "[{\"name\": \"x\", \"root\": \"r\", \"expext\": []}]").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("e.json:1:") && err.contains("expext"), "{err}");
    }
}
