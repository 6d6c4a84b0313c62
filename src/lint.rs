//! Checking paths end to end: walk, read, group into dossiers, check, report.

use crate::config::{self, Config, ConfigError};
use crate::diagnostic::{engine_rule, Diagnostic, PARSE_ERROR};
use crate::document::{self, DocKind, Document, Language};
use crate::dossier;
use crate::engine::Engine;
use crate::report::{AppliedRule, DossierSummary, FileReport, Report};
use crate::rules::sources::read_dir;
use crate::rules::{builtin, load_rule_set, RuleError};
use crate::suppress::{self, Baseline, BaselineError};
use crate::walk;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Settings that replace what is detected in each document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// Kind of every document.
    pub kind: Option<DocKind>,
    /// Language of every document.
    pub language: Option<Language>,
}

/// What the command line says, applied on top of every configuration file.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    /// `--rules DIR`: added to the configuration's packs.
    pub rules: Vec<PathBuf>,
    /// `--select`: replaces the configuration's selection when not empty.
    pub select: Vec<String>,
    /// `--ignore`: added to the configuration's.
    pub ignore: Vec<String>,
    /// `--kind` and `--lang`.
    pub overrides: Overrides,
    /// `--config FILE`: one configuration for every file, no discovery.
    pub config: Option<PathBuf>,
    /// `--baseline FILE`: accepted findings, left out of the report.
    pub baseline: Option<PathBuf>,
    /// Which texts the report keeps.
    pub texts: Texts,
    /// How documents are grouped into dossiers (`--dossier`).
    pub grouping: dossier::Grouping,
}

/// Which documents' texts a report keeps: the human report shows the lines
/// of the findings, the fixer rewrites the texts, the machine formats need
/// none. Keeping none keeps memory bounded by a few dossiers, whatever the
/// size of the corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Texts {
    /// Every text.
    #[default]
    All,
    /// The texts of files with findings.
    WithFindings,
    /// No text.
    None,
    /// Every text, and the document read from it (for `fix`, which must
    /// not read or parse a file twice).
    Documents,
}

/// Why a run could not start: a bad configuration, rule file or rule id.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A rule file is unreadable or invalid.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// The baseline could not be read.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// A rule that cannot be turned off is ignored.
    #[error("`{id}` cannot be ignored or re-rated{}: a file that cannot be read is never a clean one", .origin.as_ref().map(|o| format!(" (in {o})")).unwrap_or_default())]
    Unignorable {
        /// The id.
        id: String,
        /// Where it was named, when in a configuration file.
        origin: Option<String>,
    },
    /// Selected, ignored or re-rated rules do not exist (named on the
    /// command line; those of a configuration file are located there).
    #[error("{} (`clausier rules` lists them)", unknown_rules(.ids, .known))]
    UnknownRules {
        /// The ids, in the order given.
        ids: Vec<String>,
        /// The ids that exist, for suggestions.
        known: Vec<String>,
    },
}

/// A configuration and the engine compiled for it.
#[derive(Debug)]
pub struct Profile {
    /// The configuration (defaults when no file was found).
    pub config: Config,
    /// Its rules, compiled.
    pub engine: Engine,
}

impl Profile {
    /// Loads the rules `config` and `cli` ask for and compiles them.
    pub fn build(config: Config, cli: &CommandLine) -> Result<Profile, SetupError> {
        let mut trees = vec![builtin::tree()];
        for dir in config.rules.iter().chain(&cli.rules) {
            let tree = read_dir(dir)
                .map_err(|(path, error)| RuleError::Io { path: path.display().to_string(), error })?;
            trees.push(tree);
        }
        let mut rules = load_rule_set(&trees)?;
        let origin = config.path.as_ref().map(|p| p.display().to_string());
        let mut known: BTreeSet<String> = rules.rules.iter().map(|r| r.id.clone()).collect();
        known.extend(crate::diagnostic::ENGINE_RULES.iter().map(|r| r.id.to_string()));
        // The unknown ids among `ids`, each once, in order.
        let unknown = |ids: Vec<&str>| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for id in ids {
                if !known.contains(id) && !out.iter().any(|o| o == id) {
                    out.push(id.to_string());
                }
            }
            out
        };
        let known_list = || known.iter().cloned().collect::<Vec<_>>();
        let missing = unknown(cli.select.iter().chain(&cli.ignore).map(String::as_str).collect());
        if !missing.is_empty() {
            return Err(SetupError::UnknownRules { ids: missing, known: known_list() });
        }
        // A configuration's unknown ids are shown where they are written.
        let missing = unknown(config.named_rules.iter().map(|n| n.id.as_str()).collect());
        if let Some(first) = missing.first() {
            let message = unknown_rules(&missing, &known_list());
            return Err(match config.unknown_rule(first, message) {
                Some(located) => SetupError::Config(located),
                None => SetupError::UnknownRules { ids: missing, known: known_list() },
            });
        }
        let select: BTreeSet<&String> =
            if cli.select.is_empty() { config.select.iter().collect() } else { cli.select.iter().collect() };
        let ignore: BTreeSet<&String> = config.ignore.iter().chain(&cli.ignore).collect();
        rules.retain(|r| (select.is_empty() || select.contains(&r.id)) && !ignore.contains(&r.id));
        for rule in &mut rules.rules {
            if let Some(severity) = config.severity.get(&rule.id) {
                rule.severity = *severity;
            }
        }
        if cli.ignore.iter().any(|id| id == PARSE_ERROR) {
            return Err(SetupError::Unignorable { id: PARSE_ERROR.to_string(), origin: None });
        }
        if config.ignore.iter().chain(config.severity.keys()).any(|id| id == PARSE_ERROR) {
            return Err(SetupError::Unignorable { id: PARSE_ERROR.to_string(), origin });
        }
        // The engine's own rules run unless ignored (whatever `select` says)
        // and take the configuration's severities: the per-dossier step
        // reads them from the configuration, with the command line's ignores.
        let mut config = config;
        config
            .ignore
            .extend(cli.ignore.iter().filter(|id| !config.ignore.contains(id)).cloned().collect::<Vec<_>>());
        let engine = Engine::new(rules, config.placeholders.clone());
        Ok(Profile { config, engine })
    }
}

/// « unknown rule `a` (did you mean `b`?), unknown rule `c` ».
fn unknown_rules(ids: &[impl AsRef<str>], known: &[String]) -> String {
    ids.iter()
        .map(|id| {
            let id = id.as_ref();
            match did_you_mean(id, known.iter().map(String::as_str)) {
                Some(close) => format!("unknown rule `{id}` (did you mean `{close}`?)"),
                None => format!("unknown rule `{id}`"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The id of `known` closest to the misspelt `id`, when one is close.
pub fn did_you_mean<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(id, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The profiles of a run: one per configuration file in use, each built once.
pub struct Profiles {
    cli: CommandLine,
    fixed: Option<Arc<Profile>>,
    by_file: HashMap<Option<PathBuf>, Arc<Profile>>,
}

impl Profiles {
    /// Profiles for `cli`: with `--config`, that one file for everything;
    /// else the closest `.clausier.yaml` above each dossier's folder.
    pub fn new(cli: CommandLine) -> Result<Profiles, SetupError> {
        let fixed = match &cli.config {
            Some(path) => Some(Arc::new(Profile::build(Config::load(path)?, &cli)?)),
            None => None,
        };
        Ok(Profiles { cli, fixed, by_file: HashMap::new() })
    }

    /// One profile for everything, whatever configuration files exist.
    pub fn fixed(profile: Profile) -> Profiles {
        Profiles { cli: CommandLine::default(), fixed: Some(Arc::new(profile)), by_file: HashMap::new() }
    }

    /// The command line the profiles apply.
    pub fn command_line(&self) -> &CommandLine {
        &self.cli
    }

    /// The profile of the documents in `folder`.
    pub fn for_folder(&mut self, folder: &Path) -> Result<Arc<Profile>, SetupError> {
        if let Some(p) = &self.fixed {
            return Ok(p.clone());
        }
        let file = config::discover(if folder.as_os_str().is_empty() { Path::new(".") } else { folder });
        if let Some(p) = self.by_file.get(&file) {
            return Ok(p.clone());
        }
        let config = match &file {
            Some(path) => Config::load(path)?,
            None => Config::default(),
        };
        let profile = Arc::new(Profile::build(config, &self.cli)?);
        self.by_file.insert(file, profile.clone());
        Ok(profile)
    }
}

/// What a long run tells while it goes: `check` shows it as a progress bar.
/// Called from the threads that read and check, in no set order.
pub trait Progress: Sync {
    /// The walk is done: `files` files will be read.
    fn files(&self, files: usize) {
        let _ = files;
    }
    /// The file at `path` is being read.
    fn reading(&self, path: &Path) {
        let _ = path;
    }
    /// The file at `path` is read (once each, however many times a folder
    /// over the memory budget reads it).
    fn read(&self, path: &Path) {
        let _ = path;
    }
    /// `dossiers` more dossiers are checked.
    fn checked(&self, dossiers: usize) {
        let _ = dossiers;
    }
}

/// Tells nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Walks, reads, groups and checks; every file given or found gets an entry.
pub fn check_paths(
    profiles: &mut Profiles,
    paths: &[PathBuf],
    progress: &dyn Progress,
) -> Result<Report, SetupError> {
    let grouping = profiles.command_line().grouping;
    let walked = walk::collect(paths);
    let files = walked.files;
    progress.files(files.len());
    let mut reports: Vec<FileReport> =
        walked.errors.into_iter().map(|e| failed(Diagnostic::parse_error(e.path, e.message))).collect();
    let mut by_folder: HashMap<PathBuf, Arc<Profile>> = HashMap::new();
    for folder in dossier::folders(files.clone()).into_keys() {
        let profile = profiles.for_folder(&folder)?;
        by_folder.insert(folder, profile);
    }
    let profile_of = |path: &Path| by_folder.get(path.parent().unwrap_or(Path::new(""))).cloned();
    let batches = dossier::batches(files, grouping, |p| profile_of(p)?.config.dossier_of(p));
    let mut work = Vec::new();
    for batch in batches {
        let Some(profile) = batch.paths.first().and_then(|p| profile_of(p)) else { continue };
        work.push((batch, profile));
    }
    // Each batch is read, checked and dropped in turn (a few at a time, in
    // parallel): memory holds a few dossiers, never the corpus.
    let cli = profiles.command_line().clone();
    let checked: Vec<(Vec<FileReport>, Vec<DossierSummary>)> = work
        .into_par_iter()
        .map(|(batch, profile)| {
            let checked = read_and_check(&profile, &cli, batch, HELD_TEXT, progress);
            progress.checked(checked.1.len());
            checked
        })
        .collect();
    let mut dossiers = Vec::new();
    for (files, summaries) in checked {
        reports.extend(files);
        dossiers.extend(summaries);
    }
    let mut report = if let Some(path) = profiles.command_line().baseline.clone() {
        let baseline = Baseline::load(&path)?;
        let mut notes = Vec::new();
        let mut all: Vec<Diagnostic> =
            reports.iter_mut().flat_map(|r| std::mem::take(&mut r.diagnostics)).collect();
        let before = all.len();
        let stale = baseline.filter(&mut all);
        let accepted = before - all.len();
        for entry in stale {
            let mut d = Diagnostic::engine(
                &crate::diagnostic::UNUSED_SUPPRESSION_RULE,
                path.clone(),
                format!(
                    "baseline entry `{}` for « {} » in {} matches nothing any more: remove it",
                    entry.rule, entry.text, entry.path
                ),
            );
            // A stale entry accepts nothing: it is worth knowing, not failing on.
            d.severity = crate::rules::Severity::Info;
            notes.push(d);
        }
        for d in all {
            if let Some(r) = reports.iter_mut().find(|r| r.path == d.path) {
                r.diagnostics.push(d);
            }
        }
        let mut report = Report::new(reports);
        report.notes = notes;
        report.accepted = accepted;
        report
    } else {
        Report::new(reports)
    };
    dossiers.sort_by(|a, b| a.name.cmp(&b.name));
    report.dossiers = dossiers;
    report.skipped = walked.skipped;
    Ok(report)
}

/// The most text (in bytes) the documents of one batch may hold in memory
/// at once. A folder holding more (a contract repository's hundreds of
/// contracts in one folder) is read twice: once to split it into dossiers,
/// keeping only what the split needs of each document, then one dossier at
/// a time to check it. Memory then holds a few dossiers, whatever the size
/// of the folder.
pub const HELD_TEXT: usize = 16 << 20;

/// Reads the files of `batch` and checks them (see [`check_batch`]),
/// holding no more than `budget` bytes of their text at once.
fn read_and_check(
    profile: &Profile,
    cli: &CommandLine,
    batch: dossier::Batch,
    budget: usize,
    progress: &dyn Progress,
) -> (Vec<FileReport>, Vec<DossierSummary>) {
    let limits = profile.config.limits;
    // `fix` redlines DOCX files from what their reading kept: it holds everything.
    let keep = cli.texts == Texts::Documents;
    let read_one = |path: &PathBuf| {
        progress.reading(path);
        let read = document::read_within_keeping(path, limits, keep);
        progress.read(path);
        read
    };
    if keep || batch.paths.len() < 2 {
        let read = batch.paths.par_iter().map(read_one).collect();
        return check_batch(profile, cli, batch, read);
    }
    let held = std::sync::atomic::AtomicUsize::new(0);
    // Each document read is kept while the batch's texts fit in the budget,
    // else only its mark (or its error) is.
    let first: Vec<Result<Held, document::ReadError>> = batch
        .paths
        .par_iter()
        .map(|path| {
            let (mut doc, source) = read_one(path)?;
            let size = doc.text.len() + doc.norm.len();
            let total = held.fetch_add(size, std::sync::atomic::Ordering::Relaxed) + size;
            if total <= budget {
                return Ok(Held::Read(Box::new((doc, source))));
            }
            settle(&mut doc, &profile.config, cli.overrides);
            Ok(Held::Mark(dossier::Mark::of(&doc)))
        })
        .collect();
    // The total only grows: within the budget at the end, no document was left out.
    if held.into_inner() <= budget {
        let read = first.into_iter().map(|r| r.and_then(Held::into_read)).collect();
        return check_batch(profile, cli, batch, read);
    }
    // Over the budget: split on the marks, then read and check one dossier at a time.
    let mut marks = Vec::new();
    let mut unread = Vec::new();
    for (path, r) in batch.paths.iter().zip(first) {
        match r {
            Ok(Held::Read(read)) => {
                let (mut doc, _) = *read;
                settle(&mut doc, &profile.config, cli.overrides);
                marks.push(dossier::Mark::of(&doc));
            }
            Ok(Held::Mark(mark)) => marks.push(mark),
            Err(e) => unread.push((path.clone(), Err(e))),
        }
    }
    let mut out: (Vec<FileReport>, Vec<DossierSummary>) = (Vec::new(), Vec::new());
    for (origin, indices) in dossier::split_marks(&marks, batch.origin, cli.grouping) {
        let mut paths: Vec<PathBuf> = indices.iter().map(|&i| marks[i].path.clone()).collect();
        paths.sort();
        let mut read: Vec<_> =
            paths.par_iter().map(|path| document::read_within_keeping(path, limits, keep)).collect();
        // The files that could not be read go with the first dossier, as in one batch.
        let (more_paths, more_read): (Vec<PathBuf>, Vec<_>) = std::mem::take(&mut unread).into_iter().unzip();
        paths.extend(more_paths);
        read.extend(more_read);
        let (files, summaries) =
            check_batch(profile, cli, dossier::Batch { folder: batch.folder.clone(), paths, origin }, read);
        out.0.extend(files);
        out.1.extend(summaries);
    }
    out
}

/// A document read in the first pass over a batch: kept, or only its mark.
enum Held {
    Read(Box<document::Read>),
    Mark(dossier::Mark),
}

impl Held {
    fn into_read(self) -> Result<document::Read, document::ReadError> {
        match self {
            Held::Read(read) => Ok(*read),
            Held::Mark(_) => Err(document::ReadError::Corrupt(
                "the document was left out of memory (a bug in clausier: please report it)".into(),
            )),
        }
    }
}

/// The documents of one batch, as read (`read[i]` for `batch.paths[i]`),
/// checked as the dossiers they form: the reports of its files (those that
/// could not be read included) and the summaries of its dossiers. The one
/// step `check` and `clausier serve` share.
pub fn check_batch(
    profile: &Profile,
    cli: &CommandLine,
    batch: dossier::Batch,
    read: Vec<Result<document::Read, document::ReadError>>,
) -> (Vec<FileReport>, Vec<DossierSummary>) {
    let texts = cli.texts;
    let mut out = Vec::new();
    let mut documents = Vec::new();
    let mut sources = HashMap::new();
    let mut unread = Vec::new();
    for (path, r) in batch.paths.iter().zip(read) {
        match r {
            Ok((mut doc, source)) => {
                settle(&mut doc, &profile.config, cli.overrides);
                if let Some(source) = source {
                    sources.insert(doc.path.clone(), source);
                }
                documents.push(doc);
            }
            Err(e) => {
                unread.push(path.clone());
                out.push(failed(Diagnostic::parse_error(path.clone(), e.to_string())));
            }
        }
    }
    let mut summaries: Vec<DossierSummary> = Vec::new();
    for dossier in dossier::split(batch.folder, batch.origin, documents, cli.grouping) {
        let (found, applied) = dossier_check(&profile.engine, &profile.config, &dossier.documents);
        summaries.push(DossierSummary::of(&dossier, applied));
        for (doc, mine) in dossier.documents.into_iter().zip(found) {
            let keep = match texts {
                Texts::All | Texts::Documents => true,
                Texts::WithFindings => !mine.is_empty(),
                Texts::None => false,
            };
            let path = doc.path.clone();
            let (text, document) = match texts {
                // The text is the document's: kept once.
                Texts::Documents => (String::new(), Some(Box::new(doc))),
                _ if keep => (doc.text, None),
                _ => (String::new(), None),
            };
            let source = sources.remove(&path);
            out.push(FileReport { path, text, diagnostics: mine, document, source });
        }
    }
    // Files that could not be read belong to the batch's (first) dossier.
    if let Some(first) = summaries.first_mut() {
        first.unread = unread;
    }
    (out, summaries)
}

/// The findings of each document of a dossier, in the documents' order: the
/// dossier checked as a whole, then, document by document, its per-path
/// ignores, its suppression comments and the findings cap. `check`, the
/// language server, `fix` and the fixture runner all go from read documents
/// to findings through here, so that they cannot disagree.
///
/// A rule that `per-path-ignores` turns off for a document counts, for its
/// suppression comments, as a rule that did not run: a comment naming it is
/// neither used nor reported as suppressing nothing.
pub fn dossier_findings(engine: &Engine, config: &Config, documents: &[Document]) -> Vec<Vec<Diagnostic>> {
    dossier_check(engine, config, documents).0
}

/// [`dossier_findings`], with the rules that applied to the dossier (for
/// the coverage of the HTML report): a rule `per-path-ignores` turns off
/// for every document did not.
pub fn dossier_check(
    engine: &Engine,
    config: &Config,
    documents: &[Document],
) -> (Vec<Vec<Diagnostic>>, Vec<AppliedRule>) {
    let mut by_path: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
    let (found, applied) = engine.check_dossier_applied(documents);
    for d in found {
        by_path.entry(d.path.clone()).or_default().push(d);
    }
    let applied = applied
        .into_iter()
        .map(|i| &engine.rules().rules[i])
        .filter(|r| documents.iter().any(|d| !config.ignores(&d.path, &r.id)))
        .map(|r| AppliedRule { id: engine.shared_name(&r.id), theme: r.theme })
        .collect();
    let ids: Vec<&String> = engine.rules().rules.iter().map(|r| &r.id).collect();
    let findings = documents
        .iter()
        .map(|doc| {
            let mine = by_path.remove(&doc.path).unwrap_or_default();
            let ignored = |rule: &str| config.ignores(&doc.path, rule);
            let active: BTreeSet<String> =
                ids.iter().filter(|id| !ignored(id)).map(|id| id.to_string()).collect();
            let mine: Vec<Diagnostic> = mine.into_iter().filter(|d| !ignored(&d.rule)).collect();
            let mut mine = suppress::apply(doc, mine, &active);
            // Findings of the engine's rules honour `ignore` here: the
            // engine never ran them, so `select`/`ignore` did not remove them.
            let off = |id: &str| {
                ignored(id) || (engine_rule(id).is_some() && config.ignore.iter().any(|i| i == id))
            };
            mine.retain(|d| !off(&d.rule));
            for d in mine.iter_mut().filter(|d| engine_rule(&d.rule).is_some()) {
                if let Some(severity) = config.severity.get(&*d.rule) {
                    d.severity = *severity;
                }
            }
            cap_findings(&mut mine, &doc.path, config.limits.max_findings_per_file);
            // Kept until the report is written: no spare room.
            mine.shrink_to_fit();
            mine
        })
        .collect();
    (findings, applied)
}

/// Gives `doc` the kind and language that the command line (`--kind`,
/// `--lang`) and `config` (`kinds:`, `lang:`) set, recording why; a kind the
/// document declares in its front matter wins over the configuration's.
pub fn settle(doc: &mut Document, config: &Config, overrides: Overrides) {
    if let Some(kind) = overrides.kind {
        doc.kind = kind;
        doc.kind_source = "--kind".to_string();
    } else if doc.declared.kind.is_none() {
        if let Some(kind) = config.kind_of(&doc.path) {
            doc.kind = kind;
            doc.kind_source = "configuration (kinds)".to_string();
        }
    }
    if let Some(language) = overrides.language {
        doc.language = language;
        doc.language_source = "--lang".to_string();
    } else if let Some(language) = config.language {
        doc.language = language;
        doc.language_source = "configuration (lang)".to_string();
    }
}

/// Keeps the first `max` findings of a file (in order) and says how many
/// more there were, as a `parse-error` that names the limit.
fn cap_findings(found: &mut Vec<Diagnostic>, path: &Path, max: usize) {
    if found.len() <= max {
        return;
    }
    let more = found.len() - max;
    found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    found.truncate(max);
    found.push(Diagnostic::parse_error(
        path.to_path_buf(),
        format!(
            "{} findings in this file, more than the limit (at most {max} a file): {more} are not reported; {}",
            max + more,
            crate::limits::how_to_raise("max-findings-per-file")
        ),
    ));
}

fn failed(d: Diagnostic) -> FileReport {
    FileReport {
        path: d.path.clone(),
        text: String::new(),
        diagnostics: vec![d],
        document: None,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder too big to hold is read twice, and checked as if held.
    #[test]
    fn a_folder_over_the_budget_is_checked_as_if_held() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        let ccap = "# Cahier des clauses administratives particulières\n\nMarché 2024-031 de maintenance \
                    du logiciel. Le CCAG-TIC de 2009 s'applique.\n";
        write("ccap-2024-031.md", ccap);
        write("ccap-2024-077.md", &ccap.replace("2024-031", "2024-077"));
        write("cctp-2024-031.md", "# Cahier des clauses techniques particulières\n\nLe titulaire livre un logiciel sous Microsoft Word.\n");
        write(
            "cctp-2024-077.md",
            "# Cahier des clauses techniques particulières\n\nLes documents sont livrés au format PDF.\n",
        );
        write("broken.docx", "not a zip");
        let profile = Profile::build(Config::default(), &CommandLine::default()).unwrap();
        let cli = CommandLine::default();
        let batch = || {
            let paths = walk::collect(&[dir.path().to_path_buf()]).files;
            dossier::batches(paths, cli.grouping, |_| None).pop().unwrap()
        };
        let summary = |(files, dossiers): (Vec<FileReport>, Vec<DossierSummary>)| {
            let mut files: Vec<(PathBuf, Vec<String>)> = files
                .into_iter()
                .map(|f| (f.path, f.diagnostics.iter().map(|d| format!("{}@{:?}", d.rule, d.span)).collect()))
                .collect();
            files.sort();
            let dossiers: Vec<(String, Vec<PathBuf>, Vec<PathBuf>)> = dossiers
                .into_iter()
                .map(|d| (d.name, d.documents.into_iter().map(|x| x.path).collect(), d.unread))
                .collect();
            (files, dossiers)
        };
        let held = summary(read_and_check(&profile, &cli, batch(), usize::MAX, &NoProgress));
        let reread = summary(read_and_check(&profile, &cli, batch(), 0, &NoProgress));
        assert_eq!(held, reread);
        // Two CCAPs: two dossiers, each with its CCTP; the unreadable file is reported.
        assert_eq!(held.1.len(), 2, "{:?}", held.1);
        assert!(held.1.iter().all(|d| d.1.len() == 2), "{:?}", held.1);
        assert_eq!(held.1[0].2.len(), 1);
        assert!(held.0.iter().any(|(_, found)| found.iter().any(|f| f.starts_with("outdated-ccag-tic"))));
        assert!(held.0.iter().any(|(_, found)| found.iter().any(|f| f.starts_with("parse-error"))));
    }
}
