//! Limits on untrusted input, with safe defaults, set in `.clausier.yaml`
//! under `limits:`. Hitting one gives that file a `parse-error` that names
//! the setting to raise; the run goes on with the other files.

use serde::Deserialize;

/// Every limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest uncompressed size of one package member (DOCX, ODT), in bytes.
    pub max_member_bytes: u64,
    /// Most members in a package.
    pub max_entries: usize,
    /// Deepest XML nesting.
    pub max_xml_depth: usize,
    /// Longest time to read one DOCX, ODT or PDF file, in seconds (0: no
    /// limit). Markdown and text are read in one pass, without this limit.
    pub max_seconds_per_file: u64,
    /// Most findings reported for one file.
    pub max_findings_per_file: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            max_member_bytes: 128 * 1024 * 1024,
            max_entries: 10_000,
            max_xml_depth: 512,
            max_seconds_per_file: 300,
            max_findings_per_file: 1000,
        }
    }
}

/// How to raise a limit, for messages.
pub fn how_to_raise(setting: &str) -> String {
    format!("raise `limits.{setting}` in .clausier.yaml if the file is trusted")
}
