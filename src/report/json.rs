//! The JSON report (`--format json`), a stable contract documented in the README.

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::rules::Applicability;
use serde::Serialize;

/// Version of the JSON format; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// Renders `report` as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `report` as pretty-printed JSON to `w`, one finding at a time:
/// memory holds the findings, never a second copy of them as JSON.
pub fn write(report: &Report, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let s = report.summary();
    let out = Out {
        version: VERSION,
        summary: SummaryOut {
            files: s.files,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            accepted: report.accepted,
        },
        dossiers: &report.dossiers,
        diagnostics: Findings(report),
    };
    serde_json::to_writer_pretty(&mut *w, &out)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    summary: SummaryOut,
    dossiers: &'a [super::DossierSummary],
    diagnostics: Findings<'a>,
}

#[derive(Serialize)]
struct SummaryOut {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Findings the baseline accepted (not in `diagnostics`).
    accepted: usize,
}

struct Findings<'a>(&'a Report);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.diagnostics().map(Finding::of))
    }
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    severity: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    section: Option<&'a str>,
    page: Option<u32>,
    snippet: &'a str,
    message: &'a str,
    legal_basis: Vec<LegalOut<'a>>,
    fix: Option<FixOut<'a>>,
    clause: Option<ClauseOut<'a>>,
}

#[derive(Serialize)]
struct LegalOut<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    url: &'a Option<String>,
    quote: &'a Option<String>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    replacement: &'a str,
    applicability: Applicability,
}

#[derive(Serialize)]
struct ClauseOut<'a> {
    id: &'a str,
    text: &'a str,
}

impl<'a> Finding<'a> {
    fn of(d: &'a Diagnostic) -> Finding<'a> {
        Finding {
            rule: &d.rule,
            severity: d.severity.as_str(),
            path: d.path.display().to_string(),
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            section: d.section.as_deref(),
            page: d.page,
            snippet: &d.snippet,
            message: &d.message,
            legal_basis: d
                .legal_basis
                .iter()
                .map(|l| LegalOut { reference: &l.reference, url: &l.url, quote: &l.quote })
                .collect(),
            fix: d
                .fix
                .as_ref()
                .map(|f| FixOut { replacement: &f.replacement, applicability: f.applicability }),
            clause: d.clause.as_ref().map(|c| ClauseOut { id: &c.id, text: &c.text }),
        }
    }
}
