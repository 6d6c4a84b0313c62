//! The JSON report (`--format json`), a stable contract documented in the README.

use super::Report;
use serde_json::{json, Value};

/// Version of the JSON format; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// Renders `report` as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let s = report.summary();
    let diagnostics: Vec<Value> = report
        .diagnostics()
        .map(|d| {
            json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "path": d.path.display().to_string(),
                "line": d.start.line,
                "column": d.start.column,
                "end_line": d.end.line,
                "end_column": d.end.column,
                "section": d.section,
                "page": d.page,
                "snippet": d.snippet,
                "message": d.message,
                "legal_basis": d.legal_basis.iter().map(|l| json!({ "ref": l.reference, "url": l.url })).collect::<Vec<_>>(),
                "fix": d.fix.as_ref().map(|f| json!({ "replacement": f.replacement, "applicability": f.applicability })),
                "clause": d.clause.as_ref().map(|c| json!({ "id": c.id, "text": c.text })),
            })
        })
        .collect();
    let value = json!({
        "version": VERSION,
        "summary": { "files": s.files, "errors": s.errors, "warnings": s.warnings, "infos": s.infos },
        "diagnostics": diagnostics,
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
