//! GitLab Code Quality report (`--format gitlab`): a JSON array that GitLab
//! shows in merge requests.

use super::Report;
use crate::rules::Severity;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Renders `report` as a Code Quality JSON array.
pub fn render(report: &Report) -> String {
    // The fingerprint ignores line numbers, so that a finding keeps its
    // identity when the text above it changes; repeats are numbered.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = report
        .diagnostics()
        .map(|d| {
            let key = format!(
                "{}:{}:{}:{}",
                d.rule,
                d.path.display(),
                d.section.as_deref().unwrap_or(""),
                d.matched
            );
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            json!({
                "description": d.message,
                "check_name": &*d.rule,
                "fingerprint": format!("{key}#{n}"),
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": { "path": d.path.display().to_string(), "lines": { "begin": d.start.line } },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}
