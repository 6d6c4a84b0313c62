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

/// Groups documents by folder; dossiers and their documents sorted by path.
pub fn group(documents: Vec<Document>) -> Vec<Dossier> {
    let mut by_folder: BTreeMap<PathBuf, Vec<Document>> = BTreeMap::new();
    for doc in documents {
        let folder = doc.path.parent().map(PathBuf::from).unwrap_or_default();
        by_folder.entry(folder).or_default().push(doc);
    }
    by_folder
        .into_iter()
        .map(|(folder, mut documents)| {
            documents.sort_by(|a, b| a.path.cmp(&b.path));
            Dossier { folder, documents }
        })
        .collect()
}
