//! `substitute`: a term that has a replacement (an outdated reference,
//! a misspelt name), fixed by writing the replacement.

use super::{Loader, Run};
use crate::diagnostic::Diagnostic;
use crate::rules::load::{RuleError, S};
use crate::rules::{MatchOptions, Pattern};
use serde::Deserialize;

/// The placeholders a `substitute` message and fix may use.
pub const PLACEHOLDERS: &[&str] = &["match", "replacement"];

/// Terms that have a replacement.
#[derive(Debug, Clone)]
pub struct Substitute(pub Vec<Substitution>);

/// A term and its replacement.
#[derive(Debug, Clone)]
pub struct Substitution {
    /// The term to replace.
    pub term: Pattern,
    /// What to write instead.
    pub replacement: String,
}

pub(crate) type Raw = Vec<RawSubstitution>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawSubstitution {
    term: S<String>,
    replacement: String,
    #[serde(default)]
    case_sensitive: bool,
}

pub(crate) fn load(l: &Loader, subs: Raw) -> Result<Substitute, RuleError> {
    if subs.is_empty() {
        return Err(l.error("`substitute` needs at least one term"));
    }
    subs.into_iter()
        .map(|s| {
            let options = MatchOptions { whole_words: true, case_sensitive: s.case_sensitive };
            Ok(Substitution { term: l.pattern(&s.term, options)?, replacement: s.replacement })
        })
        .collect::<Result<_, _>>()
        .map(Substitute)
}

impl Substitute {
    pub(super) fn primary_patterns(&self) -> Vec<&Pattern> {
        self.0.iter().map(|s| &s.term).collect()
    }

    pub(super) fn context_patterns(&self) -> Vec<&Pattern> {
        Vec::new()
    }

    pub(super) fn explained_patterns(&self) -> &[Pattern] {
        &[]
    }

    pub(super) fn run(&self, r: &Run) -> Vec<Diagnostic> {
        let terms: Vec<Pattern> = self.0.iter().map(|s| s.term.clone()).collect();
        let mut out = Vec::new();
        for (di, doc) in r.applicable() {
            for (m, i) in r.matches(di, &terms) {
                out.push(r.diagnostic(doc, m, &[("replacement", &self.0[i].replacement)]));
            }
        }
        out
    }
}
