//! What kind of procurement document this is, and its language.
//!
//! Detected from the title (the first heading, or the first block), the
//! other headings and the file name; overridable by front matter, config and
//! `--kind`. A title is the strongest signal: the file name `annexe-3.md` says
//! nothing, but a title « Cahier des clauses administratives particulières »
//! says everything.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// A document kind. See `../shared/RULES.md` for what each rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// Règlement de la consultation (rules of the consultation).
    Rc,
    /// Cahier des clauses administratives particulières.
    Ccap,
    /// Cahier des clauses techniques particulières.
    Cctp,
    /// Acte d'engagement.
    Ae,
    /// A concession contract, a public-service delegation (DSP) included.
    Concession,
    /// A statement of work, performance work statement, ITT or RFQ.
    Sow,
    /// A contract notice.
    Notice,
    /// Nothing recognised.
    Unknown,
}

impl DocKind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [DocKind; 8] = [
        DocKind::Rc,
        DocKind::Ccap,
        DocKind::Cctp,
        DocKind::Ae,
        DocKind::Concession,
        DocKind::Sow,
        DocKind::Notice,
        DocKind::Unknown,
    ];

    /// The kind's identifier, as written in rules and front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Rc => "rc",
            DocKind::Ccap => "ccap",
            DocKind::Cctp => "cctp",
            DocKind::Ae => "ae",
            DocKind::Concession => "concession",
            DocKind::Sow => "sow",
            DocKind::Notice => "notice",
            DocKind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DocKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DocKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown document kind `{s}` (expected one of: rc, ccap, cctp, ae, concession, sow, notice, unknown)"))
    }
}

/// A document language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    /// French.
    Fr,
    /// English.
    En,
}

impl Language {
    /// The language's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fr" => Ok(Language::Fr),
            "en" => Ok(Language::En),
            _ => Err(format!("unknown language `{s}` (expected fr or en)")),
        }
    }
}

/// Title signals: the first that matches the title wins.
static TITLE_SIGNALS: LazyLock<Vec<(DocKind, Regex)>> = LazyLock::new(|| {
    [
        (DocKind::Rc, r"r[èe]glement (de (la )?)?consultation"),
        (DocKind::Ccap, r"cahier des clauses administratives particuli[èe]res|\bCCAP\b"),
        (DocKind::Cctp, r"cahier des clauses techniques particuli[èe]res|\bCCTP\b"),
        (DocKind::Ae, r"acte d'engagement|\bATTRI1\b"),
        (
            DocKind::Concession,
            r"d[ée]l[ée]gation de service public|contrat de concession|convention de (d[ée]l[ée]gation|concession)|concession (de service|agreement|contract)|\bDSP\b",
        ),
        (
            DocKind::Sow,
            r"statement of (work|objectives)|performance work statement|invitation to tender|request for (quotations?|proposals?|tenders?)|\b(SOW|PWS|ITT|RFQ|RFP)\b",
        ),
        (DocKind::Notice, r"avis d'appel (public )?[àa] la concurrence|avis de march[ée]|contract notice|\bAAPC\b"),
    ]
    .into_iter()
    .map(|(k, p)| (k, compile(p)))
    .collect()
});

/// File-name signals, on the lower-cased file stem split into words.
const NAME_SIGNALS: &[(DocKind, &[&str])] = &[
    (DocKind::Rc, &["rc", "reglement", "règlement"]),
    (DocKind::Ccap, &["ccap"]),
    (DocKind::Cctp, &["cctp"]),
    (DocKind::Ae, &["ae", "atti", "attri1", "engagement"]),
    (DocKind::Concession, &["dsp", "concession", "delegation", "délégation"]),
    (DocKind::Sow, &["sow", "pws", "itt", "rfq", "rfp", "soo"]),
    (DocKind::Notice, &["avis", "aapc", "notice"]),
];

fn compile(p: &str) -> Regex {
    // The signal tables are constants of this file, checked by the tests below.
    #[allow(clippy::expect_used)]
    Regex::new(&format!("(?i){p}")).expect("kind signal regexes are valid")
}

/// Detects a document's kind from its title, headings and file stem.
pub fn detect_kind(title: Option<&str>, headings: &[&str], file_stem: &str) -> DocKind {
    if let Some(kind) = title.and_then(kind_from_text) {
        return kind;
    }
    let stem = file_stem.to_lowercase();
    let words: Vec<&str> = stem.split(|c: char| !c.is_alphanumeric()).collect();
    for (kind, names) in NAME_SIGNALS {
        if words.iter().any(|w| names.contains(w)) {
            return *kind;
        }
    }
    headings.iter().take(12).find_map(|h| kind_from_text(h)).unwrap_or(DocKind::Unknown)
}

fn kind_from_text(text: &str) -> Option<DocKind> {
    TITLE_SIGNALS.iter().find(|(_, re)| re.is_match(text)).map(|(kind, _)| *kind)
}

const FRENCH_WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "est",
    "et",
    "une",
    "un",
    "pour",
    "dans",
    "au",
    "aux",
    "qui",
    "par",
    "sur",
    "être",
    "sont",
    "ou",
    "doit",
    "titulaire",
    "marché",
];
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "is",
    "for",
    "shall",
    "be",
    "with",
    "that",
    "are",
    "or",
    "by",
    "will",
    "must",
    "this",
    "contractor",
    "on",
];

/// Detects the language (French or English) by counting common words in the
/// first 64 KiB. Defaults to French, the language of most rules.
pub fn detect_language(text: &str) -> Language {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let (mut fr, mut en) = (0usize, 0usize);
    for word in text[..end].split(|c: char| !c.is_alphabetic()) {
        if word.len() > 11 || word.is_empty() {
            continue;
        }
        let w = word.to_lowercase();
        fr += usize::from(FRENCH_WORDS.contains(&w.as_str()));
        en += usize::from(ENGLISH_WORDS.contains(&w.as_str()));
    }
    if en > fr {
        Language::En
    } else {
        Language::Fr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_wins_over_file_name() {
        let kind = detect_kind(Some("Cahier des Clauses Administratives Particulières"), &[], "rc");
        assert_eq!(kind, DocKind::Ccap);
    }

    #[test]
    fn file_name_then_headings() {
        assert_eq!(detect_kind(Some("Marché de services"), &[], "02-CCTP_v3"), DocKind::Cctp);
        assert_eq!(detect_kind(None, &["Article 1", "Contrat de concession"], "x"), DocKind::Concession);
        assert_eq!(detect_kind(None, &[], "notes"), DocKind::Unknown);
        assert_eq!(detect_kind(Some("Performance Work Statement (PWS)"), &[], "pws"), DocKind::Sow);
    }

    #[test]
    fn language() {
        assert_eq!(detect_language("Le titulaire doit remettre les livrables."), Language::Fr);
        assert_eq!(detect_language("The contractor shall deliver the reports to the agency."), Language::En);
    }
}
