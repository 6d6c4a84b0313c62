//! Finding the files to check: folders are walked with the `ignore` crate
//! (respecting `.gitignore`, `.ignore` and hidden files), keeping only
//! documents of a supported format; files named explicitly are always taken.
//! Symbolic links met in a walk are not followed (as ripgrep does); one
//! named explicitly is. Only regular files are ever read.

use crate::document::Format;
use std::path::{Path, PathBuf};

/// A path that could not be walked.
#[derive(Debug)]
pub struct WalkError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// The files under `paths`, sorted and without duplicates, and the paths
/// that could not be walked.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut files, &mut errors),
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
    (files, errors)
}

fn walk_dir(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<WalkError>) {
    let walker = ignore::WalkBuilder::new(root).require_git(false).follow_links(false).build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && Format::from_path(entry.path()).is_some() {
                    files.push(entry.into_path());
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
