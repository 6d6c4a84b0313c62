//! `--format concise`: one line a finding, `path:line:col: severity[rule]
//! message`, with the page of a PDF finding at the end, then the summary.

use super::Report;
use std::fmt::Write;

/// Renders `report` one finding a line; `summary` adds the count line.
pub fn render(report: &Report, summary: bool) -> String {
    let mut out = String::new();
    for d in report.diagnostics() {
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}] {}",
            d.path.display(),
            d.start.line,
            d.start.column,
            d.severity,
            d.rule,
            d.message.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        if let Some(page) = d.page {
            let _ = write!(out, " (p. {page})");
        }
        out.push('\n');
    }
    if summary {
        out.push_str(&super::human::summary_line(report));
    }
    out
}
