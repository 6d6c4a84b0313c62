//! Dossiers: the documents of one procurement, checked together.
//!
//! A clause required by a rule is looked for in the whole dossier (the RC
//! asks, the CCAP answers), so which documents form a dossier decides what
//! is found. By default the documents of one folder form a dossier, unless
//! the folder holds several principal documents of the same kind (two
//! concession contracts, two CCAPs, two RCs: a contract repository keeps
//! many procurements in one folder): it is then split into one dossier per
//! principal document, each with the pieces that share its file-name words
//! or reference number. `dossiers:` in the configuration groups files by
//! glob instead, and `--dossier folder|file` overrides the rule.

use crate::document::{DocKind, Document};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How documents are grouped into dossiers (`--dossier`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Grouping {
    /// One folder a dossier, split when it holds several principal documents of one kind.
    #[default]
    Auto,
    /// One folder a dossier, whatever it holds.
    Folder,
    /// Every file its own dossier.
    File,
}

/// Why a dossier holds its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The documents of a folder.
    Folder,
    /// One principal document of a folder holding several, and its pieces.
    Principal(PathBuf),
    /// The pieces of a split folder that share nothing with any principal document.
    Unmatched,
    /// The files a `dossiers:` glob of the configuration names.
    Configured(String),
    /// One file (`--dossier file`).
    File,
}

/// The documents of one procurement.
#[derive(Debug)]
pub struct Dossier {
    /// The folder the documents are in (the first one, for a configured dossier).
    pub folder: PathBuf,
    /// Why these documents are together.
    pub origin: Origin,
    /// The documents, sorted by path.
    pub documents: Vec<Document>,
}

impl Dossier {
    /// A name for reports: the folder, and the principal document of a split folder.
    pub fn name(&self) -> String {
        let folder = self.folder.display().to_string();
        let folder = if folder.is_empty() { ".".to_string() } else { folder };
        match &self.origin {
            Origin::Folder => folder,
            Origin::Principal(p) => format!("{folder} ({})", file_name(p)),
            Origin::Unmatched => format!("{folder} (other pieces)"),
            Origin::Configured(glob) => format!("dossiers: {glob}"),
            Origin::File => self.documents.first().map_or(folder, |d| d.path.display().to_string()),
        }
    }

    /// How the dossier was formed, in one word: `folder`, `principal`, `unmatched`, `configured`, `file`.
    pub fn grouping(&self) -> &'static str {
        match self.origin {
            Origin::Folder => "folder",
            Origin::Principal(_) => "principal",
            Origin::Unmatched => "unmatched",
            Origin::Configured(_) => "configured",
            Origin::File => "file",
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Files to read together, before their kinds are known.
#[derive(Debug)]
pub struct Batch {
    /// The folder of the first file.
    pub folder: PathBuf,
    /// The files, sorted.
    pub paths: Vec<PathBuf>,
    /// What made the batch: a folder (split once read, in `auto`), a glob, a file.
    pub origin: Origin,
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

/// The batches of `paths`: the files a configured glob names (`glob_of`
/// gives, for a file, the glob of the configuration that names it), then
/// one batch a folder, or one a file with [`Grouping::File`].
pub fn batches(
    paths: Vec<PathBuf>,
    grouping: Grouping,
    glob_of: impl Fn(&Path) -> Option<String>,
) -> Vec<Batch> {
    let mut configured: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut rest = Vec::new();
    for path in paths {
        match (grouping, glob_of(&path)) {
            (Grouping::File, _) => rest.push(path),
            (_, Some(glob)) => configured.entry(glob).or_default().push(path),
            (_, None) => rest.push(path),
        }
    }
    let mut out: Vec<Batch> = configured
        .into_iter()
        .map(|(glob, mut paths)| {
            paths.sort();
            let folder = paths[0].parent().map(PathBuf::from).unwrap_or_default();
            Batch { folder, paths, origin: Origin::Configured(glob) }
        })
        .collect();
    for (folder, paths) in folders(rest) {
        if grouping == Grouping::File {
            out.extend(paths.into_iter().map(|p| Batch {
                folder: folder.clone(),
                paths: vec![p],
                origin: Origin::File,
            }));
        } else {
            out.push(Batch { folder, paths, origin: Origin::Folder });
        }
    }
    out
}

/// Kinds of which one procurement has a single principal document: two of
/// them in one folder are two procurements. (A DCE has one CCTP a lot, and
/// an RFQ comes with its PWS and QASP, so those do not split a folder.)
const PRINCIPAL_KINDS: [DocKind; 3] = [DocKind::Concession, DocKind::Ccap, DocKind::Rc];

/// What splitting a folder reads off one of its documents: enough to
/// group the document with its dossier once the document itself is gone.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The document's path.
    pub path: PathBuf,
    /// Its kind, as settled by the configuration and command line.
    pub kind: DocKind,
    /// Whether it is an annex.
    pub annex: bool,
    /// Its identifying words (file name, reference numbers).
    pub words: BTreeSet<String>,
}

impl Mark {
    /// What splitting a folder needs of `doc`.
    pub fn of(doc: &Document) -> Mark {
        Mark { path: doc.path.clone(), kind: doc.kind, annex: doc.annex, words: identifying_words(doc) }
    }
}

/// What [`split_marks`] reads of a document or of its mark.
pub trait Piece {
    /// Its kind, whether it is an annex, and its path.
    fn head(&self) -> (DocKind, bool, &Path);
    /// Its identifying words, asked for only when a folder may split.
    fn words(&self) -> std::borrow::Cow<'_, BTreeSet<String>>;
}

impl Piece for Document {
    fn head(&self) -> (DocKind, bool, &Path) {
        (self.kind, self.annex, &self.path)
    }
    fn words(&self) -> std::borrow::Cow<'_, BTreeSet<String>> {
        std::borrow::Cow::Owned(identifying_words(self))
    }
}

impl Piece for Mark {
    fn head(&self) -> (DocKind, bool, &Path) {
        (self.kind, self.annex, &self.path)
    }
    fn words(&self) -> std::borrow::Cow<'_, BTreeSet<String>> {
        std::borrow::Cow::Borrowed(&self.words)
    }
}

/// The dossiers of the documents read from one batch: the batch itself, or,
/// for a folder in [`Grouping::Auto`] holding several principal documents
/// of one kind, one dossier per principal document with its pieces.
pub fn split(
    batch_folder: PathBuf,
    origin: Origin,
    documents: Vec<Document>,
    grouping: Grouping,
) -> Vec<Dossier> {
    let groups = split_marks(&documents, origin, grouping);
    let mut slots: Vec<Option<Document>> = documents.into_iter().map(Some).collect();
    groups
        .into_iter()
        .map(|(origin, indices)| {
            let mut documents: Vec<Document> = indices.iter().filter_map(|&i| slots[i].take()).collect();
            documents.sort_by(|a, b| a.path.cmp(&b.path));
            Dossier { folder: batch_folder.clone(), origin, documents }
        })
        .collect()
}

/// [`split`] on a batch's documents or their marks: each dossier's origin
/// and the indices of its documents in `marks`.
pub fn split_marks<P: Piece>(marks: &[P], origin: Origin, grouping: Grouping) -> Vec<(Origin, Vec<usize>)> {
    let whole = || vec![(origin.clone(), (0..marks.len()).collect())];
    if grouping != Grouping::Auto || origin != Origin::Folder {
        return whole();
    }
    // Whether a document is a principal one of kind `k`.
    let principal = |m: &P, k: DocKind| matches!(m.head(), (kind, false, _) if kind == k);
    let Some(kind) =
        PRINCIPAL_KINDS.into_iter().find(|&k| marks.iter().filter(|m| principal(m, k)).count() >= 2)
    else {
        return whole();
    };
    let principals: Vec<usize> = (0..marks.len()).filter(|&i| principal(&marks[i], kind)).collect();
    let words: Vec<_> = marks.iter().map(Piece::words).collect();
    let mut groups: Vec<Vec<usize>> = principals.iter().map(|&p| vec![p]).collect();
    let mut unmatched = Vec::new();
    for i in (0..marks.len()).filter(|i| !principals.contains(i)) {
        let shared: Vec<usize> =
            principals.iter().map(|&p| words[i].intersection(&words[p]).count()).collect();
        let best = shared.iter().copied().max().unwrap_or(0);
        let winners: Vec<usize> = (0..principals.len()).filter(|&g| shared[g] == best).collect();
        match winners.as_slice() {
            [g] if best > 0 => groups[*g].push(i),
            _ => unmatched.push(i),
        }
    }
    let mut out: Vec<(Origin, Vec<usize>)> = groups
        .into_iter()
        .map(|g| {
            let first = g.iter().find(|&&i| principal(&marks[i], kind));
            let path = first.map(|&i| marks[i].head().2.to_path_buf()).unwrap_or_default();
            (Origin::Principal(path), g)
        })
        .collect();
    if !unmatched.is_empty() {
        out.push((Origin::Unmatched, unmatched));
    }
    out
}

/// The dossier, among the documents of one folder, that holds the document
/// at `path`, formed as `clausier check` forms it (a configured glob first,
/// then the split of the folder): the language server checks an open
/// document with the same companions as the command line.
pub fn containing(
    folder: PathBuf,
    documents: Vec<Document>,
    path: &Path,
    grouping: Grouping,
    glob_of: impl Fn(&Path) -> Option<String>,
) -> Vec<Document> {
    if grouping == Grouping::File {
        return documents.into_iter().filter(|d| d.path == path).collect();
    }
    let mine = glob_of(path);
    let (mut same, _): (Vec<Document>, Vec<Document>) =
        documents.into_iter().partition(|d| glob_of(&d.path) == mine);
    // In path order, as `check` reads them: the first document of a kind anchors.
    same.sort_by(|a, b| a.path.cmp(&b.path));
    if mine.is_some() {
        return same;
    }
    split(folder, Origin::Folder, same, grouping)
        .into_iter()
        .find(|d| d.documents.iter().any(|x| x.path == path))
        .map(|d| d.documents)
        .unwrap_or_default()
}

/// The words that tell one procurement's files from another's: the file
/// name's words without the names of kinds and pieces (« ccap », « annexe »,
/// « lot » stays), and the reference numbers of the first lines.
fn identifying_words(doc: &Document) -> BTreeSet<String> {
    const GENERIC: &[&str] = &[
        "rc",
        "ccap",
        "cctp",
        "ae",
        "dsp",
        "concession",
        "contrat",
        "convention",
        "reglement",
        "règlement",
        "consultation",
        "annexe",
        "annex",
        "attachment",
        "appendix",
        "pj",
        "bpu",
        "dpgf",
        "dqe",
        "cahier",
        "des",
        "de",
        "du",
        "la",
        "le",
        "les",
        "et",
        "the",
        "of",
        "and",
        "final",
        "v",
        "version",
        "doc",
        "pdf",
        "md",
    ];
    let stem = doc.path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut words: BTreeSet<String> = stem
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !GENERIC.contains(w))
        .map(str::to_string)
        .collect();
    if let Some(title) = doc.title() {
        words.extend(references(&doc.norm.as_str()[title]));
    }
    words
}

/// Reference numbers in `text`: runs of letters, digits, `-`, `_` and `/`
/// with at least two digits and a separator (« 2024-031 », « AO/24/12 »).
fn references(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | ':' | '«' | '»' | '"'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| w.chars().filter(char::is_ascii_digit).count() >= 2 && w.contains(['-', '_', '/']))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse, Format};

    fn doc(path: &str, text: &str) -> Document {
        parse(PathBuf::from(path), Format::Markdown, text.to_string()).unwrap()
    }

    fn names(dossiers: &[Dossier]) -> Vec<Vec<String>> {
        dossiers.iter().map(|d| d.documents.iter().map(|x| file_name(&x.path)).collect()).collect()
    }

    const DSP: &str = "# Contrat de délégation de service public\n\nLe délégataire exploite le service.\n";
    const CCAP: &str = "# Cahier des clauses administratives particulières\n\nTexte.\n";
    const CCTP: &str = "# Cahier des clauses techniques particulières\n\nTexte.\n";

    #[test]
    fn two_concessions_in_a_folder_are_two_dossiers() {
        let docs = vec![
            doc("c/dsp-a.md", DSP),
            doc("c/dsp-b.md", DSP),
            doc("c/annexe-donnees-dsp-a.md", "# Annexe 1 – Données\n\nListe des données.\n"),
        ];
        let out = split(PathBuf::from("c"), Origin::Folder, docs, Grouping::Auto);
        assert_eq!(names(&out), vec![vec!["annexe-donnees-dsp-a.md", "dsp-a.md"], vec!["dsp-b.md"]]);
        assert_eq!(out[0].grouping(), "principal");
        assert_eq!(out[0].name(), "c (dsp-a.md)");
    }

    #[test]
    fn a_dce_with_lots_and_annexes_stays_one_dossier() {
        let docs = vec![
            doc("d/ccap.md", CCAP),
            doc("d/cctp-lot-1.md", CCTP),
            doc("d/cctp-lot-2.md", CCTP),
            doc("d/annexe-1.md", "# Annexe 1\n\nTexte.\n"),
        ];
        let out = split(PathBuf::from("d"), Origin::Folder, docs, Grouping::Auto);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].grouping(), "folder");
    }

    #[test]
    fn two_dces_split_by_their_names_and_the_rest_is_kept_apart() {
        let docs = vec![
            doc("f/ccap-voirie.md", CCAP),
            doc("f/ccap-logiciel.md", CCAP),
            doc("f/cctp-logiciel.md", CCTP),
            doc("f/rc-voirie.md", "# Règlement de la consultation\n\nTexte.\n"),
            doc("f/notes.md", "# Notes\n\nTexte.\n"),
        ];
        let out = split(PathBuf::from("f"), Origin::Folder, docs, Grouping::Auto);
        assert_eq!(
            names(&out),
            vec![
                vec!["ccap-voirie.md", "rc-voirie.md"],
                vec!["ccap-logiciel.md", "cctp-logiciel.md"],
                vec!["notes.md"]
            ]
        );
        assert_eq!(out[2].grouping(), "unmatched");
    }

    #[test]
    fn folder_and_file_groupings_do_not_split() {
        let docs = vec![doc("c/dsp-a.md", DSP), doc("c/dsp-b.md", DSP)];
        let out = split(PathBuf::from("c"), Origin::Folder, docs, Grouping::Folder);
        assert_eq!(out.len(), 1);
        let files = batches(vec!["c/dsp-a.md".into(), "c/dsp-b.md".into()], Grouping::File, |_| None);
        assert_eq!(files.len(), 2);
        let configured = batches(vec!["c/dsp-a.md".into(), "e/x.md".into()], Grouping::Auto, |p| {
            p.starts_with("c").then(|| "c/*".to_string())
        });
        assert_eq!(configured.len(), 2);
        assert_eq!(configured[0].origin, Origin::Configured("c/*".into()));
    }

    #[test]
    fn the_dossier_of_an_open_document() {
        let docs =
            vec![doc("c/dsp-a.md", DSP), doc("c/dsp-b.md", DSP), doc("c/annexe-dsp-b.md", "# Annexe\n\nx\n")];
        let mine = containing(PathBuf::from("c"), docs, Path::new("c/dsp-b.md"), Grouping::Auto, |_| None);
        let names: Vec<String> = mine.iter().map(|d| file_name(&d.path)).collect();
        assert_eq!(names, vec!["annexe-dsp-b.md", "dsp-b.md"]);
    }

    #[test]
    fn reference_numbers() {
        assert_eq!(references("Marché n° 2024-031 (lot 2), AO/24/12."), vec!["2024-031", "ao/24/12"]);
    }
}
