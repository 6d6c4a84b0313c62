//! The result of a run and its renderings, one file per output format.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use std::path::PathBuf;

/// One checked file: its text (to show the places) and its findings.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given.
    pub path: PathBuf,
    /// The text diagnostics point into (empty when the file could not be
    /// read, or when the document is kept: see [`FileReport::text`]).
    pub text: String,
    /// Findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The document read, kept only when asked ([`crate::lint::Texts::Documents`]).
    pub document: Option<Box<crate::document::Document>>,
    /// What the redline needs of a DOCX source, kept with the document.
    pub source: Option<Box<crate::document::docx::Source>>,
}

impl FileReport {
    /// The text the findings point into: the document's, when it is kept.
    pub fn text(&self) -> &str {
        self.document.as_ref().map_or(&self.text, |d| &d.text)
    }
}

/// A document of a dossier, as the report describes it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentSummary {
    /// The path as given.
    pub path: PathBuf,
    /// Its kind.
    pub kind: crate::document::DocKind,
    /// Why it has that kind.
    pub kind_source: String,
    /// Its language.
    pub language: crate::document::Language,
    /// Why it has that language.
    pub language_source: String,
    /// Whether it is an annex (a missing clause is reported in a principal document).
    pub annex: bool,
}

/// A dossier, as the report describes it: its documents and how it was formed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DossierSummary {
    /// A name: its folder, and its principal document when a folder was split.
    pub name: String,
    /// How it was formed: `folder`, `principal`, `unmatched`, `configured`, `file`.
    pub grouping: &'static str,
    /// Its documents, sorted by path.
    pub documents: Vec<DocumentSummary>,
    /// The rules that applied to it, whether they found something or not.
    #[serde(skip)]
    pub rules: Vec<AppliedRule>,
    /// Its files that could not be read.
    #[serde(skip)]
    pub unread: Vec<PathBuf>,
}

/// A rule that applied to a dossier.
#[derive(Debug, Clone)]
pub struct AppliedRule {
    /// Its id.
    pub id: std::sync::Arc<str>,
    /// Its theme.
    pub theme: Option<crate::rules::Theme>,
}

impl DossierSummary {
    /// The summary of `dossier`, to which the rules `applied` applied.
    pub fn of(dossier: &crate::dossier::Dossier, applied: Vec<AppliedRule>) -> DossierSummary {
        DossierSummary {
            name: dossier.name(),
            grouping: dossier.grouping(),
            rules: applied,
            unread: Vec::new(),
            documents: dossier
                .documents
                .iter()
                .map(|d| DocumentSummary {
                    path: d.path.clone(),
                    kind: d.kind,
                    kind_source: d.kind_source.clone(),
                    language: d.language,
                    language_source: d.language_source.clone(),
                    annex: d.annex,
                })
                .collect(),
        }
    }
}

/// Everything a run found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every file checked, sorted by path.
    pub files: Vec<FileReport>,
    /// Findings about the run rather than a checked file (stale baseline entries).
    pub notes: Vec<Diagnostic>,
    /// The dossiers checked, with their documents.
    pub dossiers: Vec<DossierSummary>,
    /// Files of the folders walked that are not in a format clausier reads,
    /// by extension.
    pub skipped: std::collections::BTreeMap<String, usize>,
    /// Findings the baseline accepted, left out of the report.
    pub accepted: usize,
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

impl Report {
    /// Builds a report, sorting files and findings.
    pub fn new(mut files: Vec<FileReport>) -> Report {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &mut files {
            f.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        Report { files, notes: Vec::new(), dossiers: Vec::new(), skipped: Default::default(), accepted: 0 }
    }

    /// When no document at all was found to read, why: the formats read and
    /// the files skipped. A run that checks nothing must not look like a
    /// clean one.
    pub fn nothing_read(&self) -> Option<String> {
        if !self.files.is_empty() {
            return None;
        }
        let read = crate::document::Format::EXTENSIONS.map(|e| format!(".{e}")).join(", ");
        let skipped = if self.skipped.is_empty() {
            "no other file either".to_string()
        } else {
            let list: Vec<String> = self.skipped.iter().map(|(ext, n)| format!("{n} {ext}")).collect();
            format!(
                "skipped: {} (not a format clausier reads; save them as DOCX, ODT or PDF)",
                list.join(", ")
            )
        };
        Some(format!("no document to check: clausier reads {read}; {skipped}"))
    }

    /// Every finding, in order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter()).chain(&self.notes)
    }

    /// Counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary { files: self.files.len(), ..Summary::default() };
        for d in self.diagnostics() {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    /// Whether any finding is at or above `level`.
    pub fn fails_at(&self, level: Severity) -> bool {
        self.diagnostics().any(|d| d.severity >= level)
    }
}
