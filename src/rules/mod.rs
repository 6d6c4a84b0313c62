//! The rule model: rules are data, loaded from YAML files and validated once.

pub mod builtin;
pub mod clauses;
pub mod load;
pub mod pattern;
pub mod sources;
pub mod topics;

use crate::document::{DocKind, Language};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::checks::{Anchor, Check, Companion, Subject, Substitution};
pub use clauses::{Clause, ClauseLibrary};
pub use load::{load_rule_set, RuleError};
pub use pattern::{MatchOptions, Pattern, Starts};
pub use topics::{Topic, Topics};

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The severity's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference to the law or policy a rule rests on: the article, where to
/// read it, and the words of the article that support the rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalRef {
    /// The reference as a lawyer would cite it, with the version in force.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Where to read the article itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A short verbatim excerpt of the article, in its language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Cited only for documents of these kinds (R3111-2 for a concession).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<crate::document::DocKind>,
    /// Not cited for documents of these kinds (R2111-7 is not a concession's).
    #[serde(default, rename = "except-kinds", skip_serializing_if = "Vec::is_empty")]
    pub except_kinds: Vec<crate::document::DocKind>,
}

impl LegalRef {
    /// Whether the reference applies to a document of `kind`.
    pub fn cited_for(&self, kind: crate::document::DocKind) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind)) && !self.except_kinds.contains(&kind)
    }

    /// The quote in the quotation marks of its language (« … » in French,
    /// “…” in English).
    pub fn quoted(&self) -> Option<String> {
        let quote = self.quote.as_deref()?.trim();
        Some(match crate::document::kind::detect_language(quote) {
            Language::Fr => format!("« {quote} »"),
            Language::En => format!("“{quote}”"),
        })
    }

    /// The reference on one line with its address, then the quote: what
    /// the human report, SARIF and the redline comment show.
    pub fn plain(&self) -> String {
        let mut out = self.reference.clone();
        if let Some(url) = &self.url {
            out.push_str(&format!(" <{url}>"));
        }
        if let Some(q) = self.quoted() {
            out.push_str(&format!("\n{q}"));
        }
        out
    }

    /// The reference linked to its article, then the quote, on one line:
    /// an item of the generated catalogue.
    pub fn markdown_line(&self) -> String {
        let reference = match &self.url {
            Some(url) => format!("[{}]({url})", self.reference),
            None => self.reference.clone(),
        };
        match self.quoted() {
            Some(q) => format!("{reference}: {}", q.split_whitespace().collect::<Vec<_>>().join(" ")),
            None => reference,
        }
    }

    /// The reference linked to its article, then the quote as a block
    /// quote: what `explain` and the editor's hover show.
    pub fn markdown(&self) -> String {
        let mut out = match &self.url {
            Some(url) => format!("[{}]({url})", self.reference),
            None => self.reference.clone(),
        };
        if let Some(q) = self.quoted() {
            out.push_str(&format!("\n\n> {q}"));
        }
        out
    }
}

/// How safe a fix is to apply without review, as in Ruff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Applied by `clausier fix`.
    Safe,
    /// Applied only when asked for.
    Review,
    /// Shown, never applied.
    DisplayOnly,
}

impl Applicability {
    /// The name rule files and `clausier rules` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Review => "review",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Where a context pattern is looked for, around a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The sentence of the match.
    Sentence,
    /// The block (paragraph, list item, cell) of the match.
    Paragraph,
    /// The innermost section of the match.
    Section,
    /// The whole document.
    Document,
    /// Every document of the dossier.
    Dossier,
}

/// Patterns that must (or must not) be found around a match.
#[derive(Debug, Clone)]
pub struct Context {
    /// Any of these.
    pub patterns: Vec<Pattern>,
    /// Where.
    pub within: Scope,
}

/// Groups of patterns that must all be found around a match.
#[derive(Debug, Clone)]
pub struct AllOf {
    /// Each group needs one match.
    pub groups: Vec<Vec<Pattern>>,
    /// Where.
    pub within: Scope,
}

/// The guarantee a rule looks for: the columns of the HTML report's
/// coverage table. A rule file says it with `theme:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    /// Open formats and interoperability.
    OpenFormats,
    /// Rights on the data and their reuse.
    DataRights,
    /// Free software.
    FreeSoftware,
    /// Durable formats and archiving.
    Archiving,
    /// Personal data.
    PersonalData,
    /// Accessibility of digital services.
    Accessibility,
    /// Specifications that name no brand without an equivalent.
    NeutralSpecifications,
}

impl Theme {
    /// Every theme, in the report's order.
    pub const ALL: [Theme; 7] = [
        Theme::OpenFormats,
        Theme::DataRights,
        Theme::FreeSoftware,
        Theme::Archiving,
        Theme::PersonalData,
        Theme::Accessibility,
        Theme::NeutralSpecifications,
    ];

    /// Its title, in `language`.
    pub fn title(self, language: Language) -> &'static str {
        let (fr, en) = match self {
            Theme::OpenFormats => {
                ("Formats ouverts et interopérabilité", "Open formats and interoperability")
            }
            Theme::DataRights => ("Droits sur les données et réutilisation", "Rights on the data and reuse"),
            Theme::FreeSoftware => ("Logiciel libre", "Free and open-source software"),
            Theme::Archiving => ("Formats pérennes et archivage", "Durable formats and archiving"),
            Theme::PersonalData => ("Données personnelles", "Personal data"),
            Theme::Accessibility => ("Accessibilité", "Accessibility"),
            Theme::NeutralSpecifications => ("Sans marque imposée", "No brand imposed"),
        };
        match language {
            Language::Fr => fr,
            Language::En => en,
        }
    }
}

/// Conditions on where a rule applies; an empty list means no condition.
#[derive(Debug, Clone, Default)]
pub struct AppliesTo {
    /// Document kinds.
    pub kinds: Vec<DocKind>,
    /// Dossier topics (any of them).
    pub topics: Vec<String>,
    /// Dossier topics that keep the rule from running (any of them).
    pub except_topics: Vec<String>,
    /// Dossier topics that must all be present.
    pub all_topics: Vec<String>,
    /// Document languages.
    pub languages: Vec<Language>,
}

impl AppliesTo {
    /// Whether a document of `kind` in `language` is in scope.
    pub fn accepts_document(&self, kind: DocKind, language: Language) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.languages.is_empty() || self.languages.contains(&language))
    }

    /// Whether a dossier about `topics` is in scope.
    pub fn accepts_topics(&self, topics: &[String]) -> bool {
        (self.topics.is_empty() || self.topics.iter().any(|t| topics.contains(t)))
            && self.all_topics.iter().all(|t| topics.contains(t))
            && !self.except_topics.iter().any(|t| topics.contains(t))
    }
}

/// A fix proposed by a rule.
#[derive(Debug, Clone)]
pub struct FixSpec {
    /// Replacement template (`{match}` is the matched text).
    pub replace: Option<String>,
    /// How safe it is.
    pub applicability: Applicability,
}

/// How a rule's finding reads in a document written before a date (the
/// latest date the document cites): a reference that was right then.
#[derive(Debug, Clone)]
pub struct Dated {
    /// The date.
    pub before: crate::document::dates::Date,
    /// The finding's severity in such a document.
    pub severity: Severity,
    /// Its message template (`{date}` is the document's latest date).
    pub message: String,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, kebab-case.
    pub id: String,
    /// Pack the rule comes from (`fr`, `en`, or a user pack's folder name).
    pub pack: String,
    /// Where the rule was read from, for messages.
    pub file: String,
    /// One-line title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Where it applies.
    pub applies_to: AppliesTo,
    /// What it checks.
    pub check: Check,
    /// Message template.
    pub message: String,
    /// Why it matters and what to do.
    pub explanation: std::sync::Arc<str>,
    /// Legal basis.
    pub legal_basis: std::sync::Arc<[LegalRef]>,
    /// Proposed fix.
    pub fix: Option<FixSpec>,
    /// Id of the model clause to insert.
    pub clause: Option<String>,
    /// How the finding reads in a document written before a date.
    pub dated: Option<Dated>,
    /// The theme of the guarantee it looks for (the HTML report's columns).
    pub theme: Option<Theme>,
}

impl Rule {
    /// The language the rule speaks (of its messages and clause).
    pub fn language(&self) -> Option<Language> {
        self.applies_to.languages.first().copied().or_else(|| self.pack.parse().ok())
    }

    /// Whether a document of `kind` in `language` is in scope: the rule's
    /// conditions, and a pack named after a language (`fr`, `en`) runs only on
    /// documents in that language.
    pub fn accepts_document(&self, kind: DocKind, language: Language) -> bool {
        self.applies_to.accepts_document(kind, language) && self.speaks(language)
    }

    /// Whether a document in `language` may be in scope, whatever its kind:
    /// the rule's languages, else its pack's if it is named after one.
    pub fn speaks(&self, language: Language) -> bool {
        match (self.applies_to.languages.is_empty(), self.pack.parse::<Language>()) {
            (false, _) => self.applies_to.languages.contains(&language),
            (true, Ok(pack)) => pack == language,
            (true, Err(_)) => true,
        }
    }
}

/// Every rule of a run, with the clause library and the topic signals.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Rules, sorted by pack then id.
    pub rules: Vec<Rule>,
    /// Model clauses.
    pub clauses: ClauseLibrary,
    /// Topic signals.
    pub topics: Topics,
}

impl RuleSet {
    /// The first rule with `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Every rule with `id`: one id may have a rule in each language's pack.
    pub fn get_all<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.id == id)
    }

    /// Keeps only the rules for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    /// The model clause of `rule`, in the rule's language when there is one.
    pub fn clause_for(&self, rule: &Rule) -> Option<&Clause> {
        let id = rule.clause.as_deref()?;
        self.clauses.get(id, rule.language())
    }
}
