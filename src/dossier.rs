//! Dossiers: the documents of one procurement, checked together.
//!
//! By default the documents of one folder form a dossier, so that a clause
//! required by a rule is found in the CCAP even when the rule fires on the RC.

use crate::document::Document;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The documents of one procurement.
#[derive(Debug)]
pub struct Dossier {
    /// The folder the documents are in.
    pub folder: PathBuf,
    /// The documents, sorted by path.
    pub documents: Vec<Document>,
}

/// Groups file paths by folder, one dossier each: folders and their files
/// sorted by path.
pub fn folders(paths: Vec<PathBuf>) -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let mut by_folder: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        let folder = path.parent().map(PathBuf::from).unwrap_or_default();
        by_folder.entry(folder).or_default().push(path);
    }
    for paths in by_folder.values_mut() {
        paths.sort();
    }
    by_folder
}
