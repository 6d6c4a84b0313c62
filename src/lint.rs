//! Checking paths end to end: walk, read, group into dossiers, check, report.

use crate::diagnostic::Diagnostic;
use crate::document::{self, DocKind, Document, Language};
use crate::dossier;
use crate::engine::Engine;
use crate::report::{FileReport, Report};
use crate::walk;
use rayon::prelude::*;
use std::path::PathBuf;

/// Settings that replace what is detected in each document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// Kind of every document.
    pub kind: Option<DocKind>,
    /// Language of every document.
    pub language: Option<Language>,
}

/// Walks, reads, groups and checks; every file given or found gets an entry.
pub fn check_paths(engine: &Engine, paths: &[PathBuf], overrides: Overrides) -> Report {
    let (files, walk_errors) = walk::collect(paths);
    let mut reports: Vec<FileReport> =
        walk_errors.into_iter().map(|e| failed(Diagnostic::parse_error(e.path, e.message))).collect();
    let read: Vec<Result<Document, document::ReadError>> =
        files.par_iter().map(|path| document::read(path)).collect();
    let mut documents = Vec::new();
    for (path, r) in files.iter().zip(read) {
        match r {
            Ok(mut doc) => {
                doc.kind = overrides.kind.unwrap_or(doc.kind);
                doc.language = overrides.language.unwrap_or(doc.language);
                documents.push(doc);
            }
            Err(e) => reports.push(failed(Diagnostic::parse_error(path.clone(), e.to_string()))),
        }
    }
    let dossiers = dossier::group(documents);
    let checked: Vec<Vec<FileReport>> = dossiers
        .into_par_iter()
        .map(|dossier| {
            let mut found = engine.check_dossier(&dossier.documents);
            dossier
                .documents
                .into_iter()
                .map(|doc| {
                    let (mine, rest): (Vec<_>, Vec<_>) = found.drain(..).partition(|d| d.path == doc.path);
                    found = rest;
                    FileReport { path: doc.path, text: doc.text, diagnostics: mine }
                })
                .collect()
        })
        .collect();
    reports.extend(checked.into_iter().flatten());
    Report::new(reports)
}

fn failed(d: Diagnostic) -> FileReport {
    FileReport { path: d.path.clone(), text: String::new(), diagnostics: vec![d] }
}
