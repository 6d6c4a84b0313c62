//! `.clausier.yaml`: discovery (upward from each file, the closest one
//! winning) and loading, with every mistake located by file, line and column.

use crate::document::{DocKind, Language};
use crate::rules::Severity;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const FILE_NAME: &str = ".clausier.yaml";

/// A configuration, its relative paths resolved against its folder.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (none for the defaults).
    pub path: Option<PathBuf>,
    /// The folder its globs and paths are relative to.
    pub root: PathBuf,
    /// Extra rule folders.
    pub rules: Vec<PathBuf>,
    /// Only these rules (empty: all).
    pub select: Vec<String>,
    /// Not these rules.
    pub ignore: Vec<String>,
    /// Severity overrides by rule id.
    pub severity: BTreeMap<String, Severity>,
    /// Lowest severity that fails the run.
    pub fail_on: Option<Severity>,
    /// Language of every document.
    pub language: Option<Language>,
    /// Kinds by path glob, first match wins.
    pub kinds: Vec<(GlobMatcher, DocKind)>,
    /// Rules ignored by path glob.
    pub per_path_ignores: Vec<(GlobMatcher, Vec<String>)>,
    /// Dossiers by path glob: the files a glob names are one dossier.
    pub dossiers: Vec<(GlobMatcher, String)>,
    /// Values of the model clauses' placeholders (`{{acheteur}}`…).
    pub placeholders: BTreeMap<String, String>,
    /// Limits on untrusted input.
    pub limits: crate::limits::Limits,
    /// Where each rule id it names is written (`select`, `ignore`,
    /// `severity`, `per-path-ignores`), to locate an unknown one.
    pub named_rules: Vec<NamedRule>,
    /// Its text, to show those places.
    pub text: std::sync::Arc<str>,
}

/// A rule id written in a configuration file, and where.
#[derive(Debug, Clone)]
pub struct NamedRule {
    /// The id as written.
    pub id: String,
    /// 1-based line and column.
    pub at: (usize, usize),
    /// Byte range in the file.
    pub span: std::ops::Range<usize>,
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// It could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// It is invalid; the place is known.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Its text.
        text: String,
        /// Byte range of the place.
        span: std::ops::Range<usize>,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: indexmap::IndexMap<Spanned<String>, Severity>,
    fail_on: Option<Severity>,
    lang: Option<Language>,
    #[serde(default)]
    kinds: indexmap::IndexMap<Spanned<String>, DocKind>,
    #[serde(default)]
    per_path_ignores: indexmap::IndexMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    dossiers: Vec<Spanned<String>>,
    #[serde(default)]
    placeholders: BTreeMap<String, String>,
    #[serde(default)]
    limits: crate::limits::Limits,
}

impl Config {
    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let io = |error| ConfigError::Io { path: path.to_path_buf(), error };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.len() > 1024 * 1024 {
            return Err(io(std::io::Error::other("larger than 1 MiB")));
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        Config::from_text(path, text)
    }

    /// The configuration in `text`, read from `path`.
    pub fn from_text(path: &Path, text: String) -> Result<Config, ConfigError> {
        let invalid = |loc: Option<serde_saphyr::Location>, message: String| {
            let (line, column, span) = place(&text, loc);
            ConfigError::Invalid { path: path.to_path_buf(), text: text.clone(), span, line, column, message }
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_saphyr::from_str(&text)
                .map_err(|e| invalid(e.location(), crate::rules::load::yaml_message(&e)))?
        };
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let glob = |g: &Spanned<String>| {
            Glob::new(&g.value)
                .map(|g| g.compile_matcher())
                .map_err(|e| invalid(Some(g.referenced), format!("invalid glob `{}`: {}", g.value, e.kind())))
        };
        let mut kinds = Vec::new();
        for (g, kind) in &raw.kinds {
            kinds.push((glob(g)?, *kind));
        }
        let mut per_path_ignores = Vec::new();
        for (g, ids) in &raw.per_path_ignores {
            per_path_ignores.push((glob(g)?, ids.iter().map(|i| i.value.clone()).collect()));
        }
        let named = |id: &Spanned<String>| {
            let (line, column, span) = place(&text, Some(id.referenced));
            NamedRule { id: id.value.clone(), at: (line, column), span }
        };
        let named_rules = raw
            .select
            .iter()
            .chain(&raw.ignore)
            .chain(raw.severity.keys())
            .chain(raw.per_path_ignores.values().flatten())
            .map(named)
            .collect();
        let mut dossiers = Vec::new();
        for g in &raw.dossiers {
            dossiers.push((glob(g)?, g.value.clone()));
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules: raw.rules.iter().map(|r| root.join(r)).collect(),
            root,
            select: raw.select.into_iter().map(|s| s.value).collect(),
            ignore: raw.ignore.into_iter().map(|s| s.value).collect(),
            severity: raw.severity.into_iter().map(|(k, v)| (k.value, v)).collect(),
            fail_on: raw.fail_on,
            language: raw.lang,
            kinds,
            per_path_ignores,
            dossiers,
            placeholders: raw.placeholders,
            limits: raw.limits,
            named_rules,
            text: std::sync::Arc::from(text.as_str()),
        })
    }

    /// The error of a rule id this file names that no rule has.
    pub fn unknown_rule(&self, id: &str, message: String) -> Option<ConfigError> {
        let path = self.path.clone()?;
        let named = self.named_rules.iter().find(|n| n.id == id)?;
        Some(ConfigError::Invalid {
            path,
            text: self.text.to_string(),
            span: named.span.clone(),
            line: named.at.0,
            column: named.at.1,
            message,
        })
    }

    /// The path of `file` relative to this configuration's folder, for globs.
    fn relative<'a>(&self, file: &'a Path) -> std::borrow::Cow<'a, Path> {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        match absolute(file).strip_prefix(absolute(&self.root)) {
            Ok(rel) => std::borrow::Cow::Owned(rel.to_path_buf()),
            Err(_) => std::borrow::Cow::Borrowed(file),
        }
    }

    /// The kind the configuration gives `file`, if a glob matches it.
    pub fn kind_of(&self, file: &Path) -> Option<DocKind> {
        let rel = self.relative(file);
        self.kinds.iter().find(|(g, _)| g.is_match(&rel)).map(|(_, k)| *k)
    }

    /// The first `dossiers:` glob that names `file`, with the configuration
    /// it comes from (files a glob names form one dossier).
    pub fn dossier_of(&self, file: &Path) -> Option<String> {
        let rel = self.relative(file);
        let (_, glob) = self.dossiers.iter().find(|(g, _)| g.is_match(&rel))?;
        let origin = self.path.as_ref().map(|p| format!("{} ", p.display())).unwrap_or_default();
        Some(format!("{origin}{glob}"))
    }

    /// Whether `rule` is ignored for `file`.
    pub fn ignores(&self, file: &Path, rule: &str) -> bool {
        let rel = self.relative(file);
        self.per_path_ignores.iter().any(|(g, ids)| ids.iter().any(|id| id == rule) && g.is_match(&rel))
    }
}

/// Line, column and byte range of `loc` in `text`. A parser error may give
/// a line and column without a byte offset: the range is then computed from
/// them, so that what is underlined is what the message names.
fn place(text: &str, loc: Option<serde_saphyr::Location>) -> (usize, usize, std::ops::Range<usize>) {
    let (line, column) = loc.map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let start = match loc.and_then(|l| l.span().byte_offset()) {
        Some(offset) => offset as usize,
        None => {
            let line_start: usize =
                text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
            let rest = text.get(line_start..).unwrap_or("");
            line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
        }
    };
    let len = loc.and_then(|l| l.span().byte_len()).unwrap_or(0) as usize;
    let start = start.min(text.len());
    // One whole character at least, never half of one.
    let mut end = (start + len.max(1)).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (line, column, start..end)
}

/// The closest configuration file at or above `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).ok()?;
    start.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// The commented configuration that `clausier init` writes.
pub const TEMPLATE: &str = r#"# clausier configuration. clausier uses the closest .clausier.yaml at or
# above each document; paths and globs are relative to this file's folder.

# Extra rule packs (folders of YAML rules), added to the built-in ones.
# rules: [regles-maison]

# Run only these rules, or skip these ones (ids from `clausier rules`).
# select: [brand-without-equivalent, concession-data-missing]
# ignore: [free-software-not-considered]

# Change the severity of a rule: error, warning or info.
# severity:
#   interoperability-reference-missing: warning

# The lowest severity that makes `clausier check` exit with 1.
# fail-on: warning

# The language of every document, instead of detecting it: fr or en.
# lang: fr

# The kind of documents by path, instead of detecting it:
# rc, ccap, cctp, ae, concession, sow, notice or unknown.
# kinds:
#   "dce/**/reglement*.md": rc
#   "contrats/dsp-*/*.md": concession

# Rules not to run on some paths.
# per-path-ignores:
#   "archives/**": [outdated-ccag-tic]

# Dossiers by glob: the files one glob names are checked together as one
# procurement, wherever they are. Other files: one dossier a folder, split
# when a folder holds several contracts, CCAPs or RCs (one dossier each, with
# the pieces whose file names share its words).
# dossiers:
#   - "2024-voirie/**"
#   - "contrats/dsp-eau*"

# Limits on untrusted input (the defaults). A file over a limit gets a
# parse-error and the run goes on; raise a limit only for trusted files.
# limits:
#   max-file-bytes: 268435456      # 256 MiB
#   max-member-bytes: 134217728    # one DOCX/ODT member, uncompressed
#   max-entries: 10000             # members of a DOCX/ODT package
#   max-xml-depth: 512
#   max-seconds-per-file: 300      # one DOCX, ODT or PDF file; 0: no limit
#   max-findings-per-file: 1000

# Values of the placeholders of the model clauses. Unset, the parties are
# named as each document defines them (« ci-après "l'autorité délégante" »),
# else « l'acheteur » and « le titulaire » (a concession: « l'autorité
# concédante », « le concessionnaire »); other placeholders read
# « [à compléter : …] ».
# placeholders:
#   acheteur: "la Communauté de communes"
#   titulaire: "le titulaire"
#   buyer: "the County"
#   contractor: "the contractor"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn template_is_valid() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(&write(dir.path(), TEMPLATE)).unwrap();
        // The parties are left to each document's own definitions.
        assert!(c.placeholders.is_empty());
    }

    #[test]
    fn globs_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let text = "kinds:\n  \"dce/*rc*.md\": rc\nper-path-ignores:\n  \"old/**\": [outdated-ccag-tic]\n";
        let c = Config::load(&write(dir.path(), text)).unwrap();
        assert_eq!(c.kind_of(&dir.path().join("dce/02-rc.md")), Some(DocKind::Rc));
        assert_eq!(c.kind_of(&dir.path().join("other/rc.md")), None);
        assert!(c.ignores(&dir.path().join("old/a/ccap.md"), "outdated-ccag-tic"));
        assert!(!c.ignores(&dir.path().join("old/a/ccap.md"), "brand-without-equivalent"));
        let c = Config::load(&write(dir.path(), "dossiers: [\"dce-2024/**\"]\n")).unwrap();
        assert!(c
            .dossier_of(&dir.path().join("dce-2024/annexes/bpu.md"))
            .is_some_and(|g| g.ends_with(" dce-2024/**")));
        assert_eq!(c.dossier_of(&dir.path().join("dce-2025/ccap.md")), None);
    }

    #[test]
    fn errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::load(&write(dir.path(), "select: [a]\nfail_on: error\n")).unwrap_err();
        match err {
            ConfigError::Invalid { line, column, message, .. } => {
                assert_eq!((line, column), (2, 1));
                assert!(message.contains("fail_on"), "{message}");
            }
            other => panic!("{other}"),
        }
        let err = Config::load(&write(dir.path(), "kinds:\n  \"a/[\": rc\n")).unwrap_err();
        assert!(err.to_string().contains(":2:3: invalid glob"), "{err}");
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let found = discover(&dir.path().join("a/b")).unwrap();
        assert_eq!(found, std::path::absolute(dir.path().join(FILE_NAME)).unwrap());
    }
}
