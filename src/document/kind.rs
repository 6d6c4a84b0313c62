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
use std::sync::{LazyLock, OnceLock};

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

/// Title signals, looked for in the title block (the first lines of the
/// document): the earliest match wins, the longest at the same place.
static TITLE_SIGNALS: LazyLock<Vec<Signal>> = LazyLock::new(|| {
    TITLE_PATTERNS
        .into_iter()
        .map(|(kind, pattern)| Signal {
            kind,
            pattern,
            literals: crate::engine::prefilter::contained_literals(pattern),
            regex: OnceLock::new(),
        })
        .collect()
});

/// The patterns of the title signals, for the prefilter's table of
/// literals (`engine/literals.json`), which holds theirs too.
#[cfg(test)]
pub(crate) fn title_signal_patterns() -> impl Iterator<Item = &'static str> {
    TITLE_PATTERNS.into_iter().map(|(_, pattern)| pattern)
}

/// The title signals' kinds and patterns.
const TITLE_PATTERNS: [(DocKind, &str); 7] = [
    (DocKind::Rc, r"r[èe]glement (de (la )?)?consultation"),
    (
        DocKind::Ccap,
        r"cahier des clauses administratives particuli[èe]res|cahier des clauses particuli[èe]res|\bCCAP\b",
    ),
    (
        DocKind::Cctp,
        r"cahier des clauses techniques particuli[èe]res|\bCCTP\b|cahier des charges (techniques?|fonctionnel(le)?s?|particuli[èe]res?)",
    ),
    (DocKind::Ae, r"acte d'engagement|\bATTRI1\b"),
    (
        DocKind::Concession,
        r"d[ée]l[ée]gation de service public|contrat de concession|convention de (d[ée]l[ée]gation|concession)|cahier des charges( [^\s.;:]+){0,3} (de |d'une? |pour |du )?(la |une )?(concession|d[ée]l[ée]gation)|concession (du|de la|de l'|des|d'une?|pour|de service|agreement|contract)|\bDSP\b",
    ),
    (
        DocKind::Sow,
        r"statement of (work|objectives|requirements)|performance work statement|invitation to tender|request for (quotations?|proposals?|tenders?)|tender (documents?|specifications?)|\b(SOW|PWS|SOO|SOR|ITT|RFQ|RFP)\b",
    ),
    (
        DocKind::Notice,
        r"avis d'appel (public )?[àa] la concurrence|avis de march[ée]|contract notice|\bAAPC\b",
    ),
];

/// A title signal, compiled only for a text that holds one of the literals
/// every match contains: most documents name one kind, and compiling the
/// seven signals was a tenth of a one-file run.
struct Signal {
    kind: DocKind,
    pattern: &'static str,
    /// Lowercased, non-ASCII letters spelt in both cases; `None`: always compiled.
    literals: Option<Vec<String>>,
    regex: OnceLock<Regex>,
}

impl Signal {
    /// The earliest match in `text`, whose lowercase is `lower`.
    fn find<'t>(&self, text: &'t str, lower: &str) -> Option<regex::Match<'t>> {
        if let Some(literals) = &self.literals {
            if !literals.iter().any(|l| lower.contains(l.as_str())) {
                return None;
            }
        }
        self.regex.get_or_init(|| compile(self.pattern)).find(text)
    }
}

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

/// Words naming the parties of a concession (counted against « titulaire »,
/// the party of a public contract), and phrases of an English solicitation.
static CONCESSION_PARTIES: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)(concessionnaires?|d[ée]l[ée]gataires?|autorit[ée]s? (conc[ée]dante|d[ée]l[ée]gante)s?|conc[ée]dants?|d[ée]l[ée]gants?)(?-u:\b)",
    )
});
static CONTRACT_HOLDER: LazyLock<Regex> = LazyLock::new(|| compile(r"(?-u:\b)titulaires?(?-u:\b)"));
static SOLICITATION: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"statement of (work|objectives|requirements)|performance work statement|requests? for (quotations?|proposals?)|the (contractor|vendor|offeror|supplier|tenderer) (shall|will|must)|(?-u:\b)(offerors?|tenderers?)(?-u:\b)",
    )
});
/// A bare « cahier des charges »: the document's kind is then told by its parties.
static BARE_SPECIFICATION: LazyLock<Regex> = LazyLock::new(|| compile(r"cahier des charges"));

fn compile(p: &str) -> Regex {
    // The signal tables are constants of this file, checked by the tests below.
    #[allow(clippy::expect_used)]
    Regex::new(&format!("(?i){p}")).expect("kind signal regexes are valid")
}

/// What a document's kind is detected from.
pub struct KindSignals<'a> {
    /// The text of its first lines: a title, however it is laid out.
    pub title_block: &'a str,
    /// Its headings, in order.
    pub headings: &'a [&'a str],
    /// Its file name without the extension.
    pub file_stem: &'a str,
    /// Its text (normalised).
    pub body: &'a str,
}

/// Detects a document's kind, and says why: from its title block, else its
/// file name, else its first headings, else who its parties are (« le
/// délégataire », « l'autorité concédante » against « le titulaire ») or the
/// phrases of a solicitation (« statement of work », « the contractor
/// shall »).
pub fn detect(signals: &KindSignals) -> (DocKind, String) {
    if let Some((kind, found)) = kind_in(signals.title_block) {
        return (kind, format!("title: « {found} »"));
    }
    let stem = signals.file_stem.to_lowercase();
    let words: Vec<&str> = stem.split(|c: char| !c.is_alphanumeric()).collect();
    for (kind, names) in NAME_SIGNALS {
        if let Some(w) = words.iter().find(|w| names.contains(w)) {
            return (*kind, format!("file name: « {w} »"));
        }
    }
    for heading in signals.headings.iter().take(12) {
        if let Some((kind, found)) = kind_in(heading) {
            return (kind, format!("heading: « {found} »"));
        }
    }
    if let Some(found) = from_content(signals.body) {
        return found;
    }
    // A bare « cahier des charges » whose parties are not a concession's.
    if let Some(m) = BARE_SPECIFICATION.find(signals.title_block) {
        return (DocKind::Cctp, format!("title: « {} »", m.as_str()));
    }
    (DocKind::Unknown, "nothing recognised".to_string())
}

/// The kind told by who the parties are, or by the phrases of a solicitation.
fn from_content(body: &str) -> Option<(DocKind, String)> {
    let mut end = body.len().min(64 * 1024);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let body = &body[..end];
    let parties = CONCESSION_PARTIES.find_iter(body).count();
    let holders = CONTRACT_HOLDER.find_iter(body).count();
    if parties >= 5 && parties > 2 * holders {
        let why = format!("content: {parties} mentions of the concession's parties (concessionnaire, délégataire, autorité concédante…)");
        return Some((DocKind::Concession, why));
    }
    let solicitation = SOLICITATION.find_iter(body).count();
    (solicitation >= 3).then(|| {
        let why = format!(
            "content: {solicitation} phrases of a solicitation (statement of work, the contractor shall…)"
        );
        (DocKind::Sow, why)
    })
}

/// Whether a document is an annex or attachment of another (its file name or
/// its title says so: « annexe-3 », « Attachment1_RFQ », « ANNEXE 2 – … »):
/// a missing clause belongs in the principal document, not in an annex.
pub fn is_annex(title_block: &str, file_stem: &str) -> bool {
    // Pieces that go with a principal document: price schedules, forms,
    // quality-assurance plans.
    const WORDS: [&str; 15] = [
        "annexe",
        "annex",
        "attachment",
        "appendix",
        "exhibit",
        "schedule",
        "pj",
        "bpu",
        "dpgf",
        "dqe",
        "dc1",
        "dc2",
        "dc4",
        "qasp",
        "qap",
    ];
    let stem = file_stem.to_lowercase();
    let named = stem.split(|c: char| !c.is_alphanumeric()).any(|w| {
        WORDS
            .iter()
            .any(|a| w == *a || (w.starts_with(a) && w[a.len()..].chars().all(|c| c.is_ascii_digit())))
    });
    let first = title_block.split_whitespace().next().unwrap_or("").to_lowercase();
    let lower = title_block.to_lowercase();
    let piece = ["quality assurance surveillance plan", "bordereau des prix", "décomposition du prix global"]
        .iter()
        .any(|p| lower.contains(p));
    named || piece || WORDS[..5].contains(&first.as_str())
}

/// Detects a document's kind from its title, headings and file stem.
pub fn detect_kind(title: Option<&str>, headings: &[&str], file_stem: &str) -> DocKind {
    let signals = KindSignals { title_block: title.unwrap_or(""), headings, file_stem, body: "" };
    detect(&signals).0
}

/// The kind the earliest signal in `text` names, with the words found.
fn kind_in(text: &str) -> Option<(DocKind, String)> {
    let lower = text.to_lowercase();
    TITLE_SIGNALS
        .iter()
        .filter_map(|s| {
            s.find(text, &lower).map(|m| (m.start(), std::cmp::Reverse(m.len()), s.kind, m.as_str()))
        })
        .min()
        .map(|(_, _, kind, found)| (kind, crate::document::collapse_ws(found)))
}

/// Whether `word`, lowercase, is one of the common words that tell French
/// (`Some(Fr)`) or English (`Some(En)`) text.
fn common_word(word: &str) -> Option<Language> {
    match word {
        "le" | "la" | "les" | "des" | "du" | "de" | "est" | "et" | "une" | "un" | "pour" | "dans" | "au"
        | "aux" | "qui" | "par" | "sur" | "être" | "sont" | "ou" | "doit" | "titulaire" | "marché" => {
            Some(Language::Fr)
        }
        "the" | "and" | "of" | "to" | "is" | "for" | "shall" | "be" | "with" | "that" | "are" | "or"
        | "by" | "will" | "must" | "this" | "contractor" | "on" => Some(Language::En),
        _ => None,
    }
}

/// `word` lowercased in `buf`, without allocating; `None` when it does
/// not fit (a letter lowers to at most three bytes).
fn lower<'b>(word: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let mut len = 0;
    for l in word.chars().flat_map(char::to_lowercase) {
        let room = buf.get_mut(len..len + l.len_utf8())?;
        len += l.encode_utf8(room).len();
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}

/// Detects the language (French or English) by counting common words in the
/// first 64 KiB. Defaults to French, the language of most rules.
pub fn detect_language(text: &str) -> Language {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let (mut fr, mut en) = (0usize, 0usize);
    let mut buf = [0u8; 3 * 11];
    for word in text[..end].split(|c: char| !c.is_alphabetic()) {
        // The common words have two to ten bytes.
        if word.len() > 11 || word.len() < 2 {
            continue;
        }
        // Most words are in lower case already: lowered only when not.
        let lowered =
            if word.bytes().all(|b| b.is_ascii_lowercase()) { Some(word) } else { lower(word, &mut buf) };
        match lowered.and_then(common_word) {
            Some(Language::Fr) => fr += 1,
            Some(Language::En) => en += 1,
            None => {}
        }
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

    /// A word is lowered on the stack as `to_lowercase` lowers it.
    #[test]
    fn words_are_lowered_as_by_to_lowercase() {
        let mut buf = [0u8; 3 * 11];
        for word in ["ÊTRE", "Marché", "ÀÞß", "İİİİ", "Ǆemal", "ΣΟΦΙΑ", "ﬁn", "東京"] {
            assert_eq!(lower(word, &mut buf).map(str::to_string), Some(word.to_lowercase()), "{word}");
        }
        assert_eq!(lower("İİİİİİİİİİİİ", &mut buf), None);
    }

    /// A signal skipped for want of its literals would not have matched.
    #[test]
    fn title_signals_skip_only_texts_they_cannot_match() {
        let titles = [
            "RÈGLEMENT DE LA CONSULTATION",
            "Règlement de consultation – marché 2024-031",
            "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES (CCAP)",
            "Cahier des clauses techniques particulieres",
            "CCTP – Lot 2",
            "Cahier des charges fonctionnel",
            "ACTE D'ENGAGEMENT (ATTRI1)",
            "CONTRAT DE DÉLÉGATION DE SERVICE PUBLIC",
            "Cahier des charges de la concession du service de l'eau",
            "Convention de délégation",
            "DSP Restauration scolaire",
            "PERFORMANCE WORK STATEMENT",
            "Request for Quotations – RFQ 2020-01",
            "Avis d'appel public à la concurrence",
            "Contract notice",
            "Rapport annuel du délégataire",
        ];
        let mut matched = 0;
        for signal in TITLE_SIGNALS.iter() {
            assert!(signal.literals.is_some(), "{} has no literal", signal.pattern);
            let plain = compile(signal.pattern);
            for title in titles {
                let lower = title.to_lowercase();
                let gated = signal.find(title, &lower).map(|m| m.range());
                assert_eq!(gated, plain.find(title).map(|m| m.range()), "{} on {title}", signal.pattern);
                matched += usize::from(gated.is_some());
            }
        }
        assert!(matched >= 14, "{matched}");
    }

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
    fn content_names_a_concession_or_a_solicitation() {
        let body =
            "Le concessionnaire exploite l'autoroute. Le concédant contrôle. Le concessionnaire paie. \
                    Le concessionnaire entretient. L'autorité concédante approuve. Le titulaire d'un marché.";
        let s = KindSignals { title_block: "Article", headings: &[], file_stem: "convention-a88", body };
        let (kind, why) = detect(&s);
        assert_eq!(kind, DocKind::Concession);
        assert!(why.starts_with("content:"), "{why}");
        let s = KindSignals {
            title_block: "A N N E X E CAHIER DES CHARGES POUR LA CONCESSION DU FINANCEMENT",
            headings: &[],
            file_stem: "x",
            body: "",
        };
        assert_eq!(
            detect(&s),
            (DocKind::Concession, "title: « CAHIER DES CHARGES POUR LA CONCESSION »".into())
        );
        let s = KindSignals {
            title_block: "Cahier des charges",
            headings: &[],
            file_stem: "cahier_des_charges",
            body: "",
        };
        assert_eq!(detect(&s).0, DocKind::Cctp);
        let s = KindSignals {
            title_block: "Article CAHIER DES CHARGES",
            headings: &[],
            file_stem: "article-",
            body,
        };
        assert_eq!(detect(&s).0, DocKind::Concession, "a bare « cahier des charges » of a concession");
        let body = "The Contractor shall deliver. The contractor shall report. Offerors must submit.";
        let s = KindSignals { title_block: "Background", headings: &[], file_stem: "001", body };
        assert_eq!(detect(&s).0, DocKind::Sow);
    }

    #[test]
    fn annexes_by_name_or_title() {
        assert!(is_annex("", "Attachment1_RFQ"));
        assert!(is_annex("", "attachment_c_sasquatch_rfp_demonstration_scenarios"));
        assert!(is_annex("", "annexe-donnees"));
        assert!(is_annex("ANNEXE 2 – Bordereau des prix", "bpu"));
        assert!(!is_annex("Cahier des clauses administratives particulières", "ccap"));
        assert!(!is_annex("", "scheduler-notes"));
    }

    #[test]
    fn language() {
        assert_eq!(detect_language("Le titulaire doit remettre les livrables."), Language::Fr);
        assert_eq!(detect_language("The contractor shall deliver the reports to the agency."), Language::En);
    }
}
