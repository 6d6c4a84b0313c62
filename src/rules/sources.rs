//! The files of a rule tree, from the binary (built-in packs) or from disk
//! (`--rules DIR`), seen the same way by the loader.
//!
//! A rule tree holds rule files (`*.yaml`, one rule each, in a pack folder),
//! their fixtures (`<pack>/<rule-id>/*.md`), model clauses
//! (`clauses/<lang>/<clause-id>.md`) and, at its root, `topics.yaml`.

use std::path::{Path, PathBuf};

/// One file of a rule tree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the tree's root, with `/` separators.
    pub relative: String,
    /// Path to show in messages.
    pub display: String,
    /// The contents.
    pub text: String,
    /// The same contents as JSON, for a built-in YAML file (converted when
    /// clausier was built): loaded instead of `text`, which stays for
    /// messages and for when it does not load.
    pub json: Option<&'static str>,
}

impl SourceFile {
    /// The file's extension, lower-cased.
    pub fn extension(&self) -> String {
        Path::new(&self.relative).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
    }

    /// The components of the relative path.
    pub fn components(&self) -> Vec<&str> {
        self.relative.split('/').collect()
    }
}

/// A rule tree: a root and its files.
#[derive(Debug, Clone)]
pub struct RuleTree {
    /// Name of the tree, used as the pack name for rules at its root.
    pub name: String,
    /// Every text file, sorted by relative path.
    pub files: Vec<SourceFile>,
}

/// Largest file read from a rule tree.
const MAX_RULE_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads the rule tree under `root` from disk.
pub fn read_dir(root: &Path) -> Result<RuleTree, (PathBuf, std::io::Error)> {
    if !root.is_dir() {
        return Err((root.to_path_buf(), std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder")));
    }
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(root).standard_filters(false).hidden(true).build();
    for entry in walker {
        let entry = entry.map_err(|e| (root.to_path_buf(), std::io::Error::other(e.to_string())))?;
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if !matches!(ext.as_str(), "yaml" | "yml" | "md" | "txt") {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_RULE_FILE_BYTES {
            return Err((
                path.to_path_buf(),
                std::io::Error::other(format!("larger than {MAX_RULE_FILE_BYTES} bytes")),
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|e| (path.to_path_buf(), e))?;
        let relative = path
            .strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push(SourceFile { relative, display: path.display().to_string(), text, json: None });
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "custom".to_string());
    Ok(RuleTree { name, files })
}
