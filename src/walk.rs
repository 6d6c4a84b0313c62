//! Finding the files to check: folders are walked with the `ignore` crate
//! (respecting `.gitignore`, `.ignore` and hidden files), keeping only
//! documents of a supported format; files named explicitly are always taken.
//! Symbolic links met in a walk are not followed (as ripgrep does); one
//! named explicitly is. Only regular files are ever read.

use crate::document::Format;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A path that could not be walked.
#[derive(Debug)]
pub struct WalkError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The documents to read, sorted and without duplicates.
    pub files: Vec<PathBuf>,
    /// The paths that could not be walked.
    pub errors: Vec<WalkError>,
    /// Files met in the folders walked that are not in a format clausier
    /// reads, counted by extension (lower case, with its dot, or « without extension »).
    pub skipped: BTreeMap<String, usize>,
}

/// The files under `paths`, the paths that could not be walked, and the
/// files of the folders walked that are not read.
pub fn collect(paths: &[PathBuf]) -> Walked {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = BTreeMap::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut files, &mut errors, &mut skipped),
            Ok(meta) if meta.is_file() => files.push(path.clone()),
            // A FIFO or a device would block or never end: never read.
            Ok(_) => errors.push(WalkError {
                path: path.clone(),
                message: "not a regular file (a pipe, a socket or a device): not read".to_string(),
            }),
            Err(e) => errors.push(WalkError { path: path.clone(), message: format!("cannot read: {e}") }),
        }
    }
    files.sort();
    files.dedup();
    Walked { files, errors, skipped }
}

fn walk_dir(
    root: &Path,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<WalkError>,
    skipped: &mut BTreeMap<String, usize>,
) {
    let walker = ignore::WalkBuilder::new(root).require_git(false).follow_links(false).build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if !is_file {
                    continue;
                }
                if Format::from_path(entry.path()).is_some() {
                    files.push(entry.into_path());
                } else {
                    let ext =
                        entry.path().extension().map(|e| format!(".{}", e.to_string_lossy().to_lowercase()));
                    *skipped.entry(ext.unwrap_or_else(|| "without extension".to_string())).or_default() += 1;
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => root.to_path_buf(),
                };
                errors.push(WalkError { path, message: e.to_string() });
            }
        }
    }
}
