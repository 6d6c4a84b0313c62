//! GitHub Actions workflow commands (`--format github`): one annotation a
//! finding, shown inline on the pull request.

use super::Report;
use crate::rules::Severity;

/// Escapes a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders `report` as workflow commands, one a line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in report.diagnostics() {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&d.path.display().to_string()),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            property(&format!("{} ({})", d.rule, d.title)),
            data(&d.message),
        ));
    }
    out
}
