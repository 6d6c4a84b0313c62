//! `require-with`: when a clause is there (a hand-over of data), its
//! companions must be there too (which data, the format, the calendar).

use super::{yes, Loader, RawAllOf, RawContext, Run};
use crate::diagnostic::Diagnostic;
use crate::engine::scope;
use crate::rules::load::{RuleError, S};
use crate::rules::{AllOf, Context, MatchOptions, Pattern, Scope};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The placeholders a `require-with` message may use.
pub const PLACEHOLDERS: &[&str] = &["match", "missing"];

/// When a clause is present, its companions must be present too.
#[derive(Debug, Clone)]
pub struct RequireWith {
    /// What makes the check start...
    pub trigger: Vec<Pattern>,
    /// ...when every group of these is also around it (when given).
    pub with: Option<AllOf>,
    /// A trigger does not count when one of these is around it.
    pub unless: Option<Context>,
    /// Where the companions are looked for, around the trigger.
    pub within: Scope,
    /// Every group must be found.
    pub companions: Vec<Companion>,
    /// Report only the first incomplete clause of each document.
    pub once_per_document: bool,
}

/// A group of companion terms of a `require-with` check.
#[derive(Debug, Clone)]
pub struct Companion {
    /// What the group stands for, in the message (`{missing}`).
    pub name: String,
    /// Any of these satisfies the group.
    pub patterns: Vec<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Raw {
    when: Vec<S<String>>,
    #[serde(default = "yes")]
    whole_words: bool,
    #[serde(default)]
    case_sensitive: bool,
    with: Option<RawAllOf>,
    unless: Option<RawContext>,
    #[serde(default = "section")]
    within: Scope,
    companions: Vec<RawCompanion>,
    #[serde(default)]
    once_per_document: bool,
}

fn section() -> Scope {
    Scope::Section
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCompanion {
    name: String,
    patterns: Vec<S<String>>,
}

pub(crate) fn load(l: &Loader, w: Raw) -> Result<RequireWith, RuleError> {
    l.non_empty(&w.when, "require-with.when")?;
    if w.companions.is_empty() {
        return Err(l.error("`require-with.companions` needs at least one group"));
    }
    let options = MatchOptions { whole_words: w.whole_words, case_sensitive: w.case_sensitive };
    let companions = w
        .companions
        .into_iter()
        .map(|g| {
            l.non_empty(&g.patterns, "require-with.companions.patterns")?;
            Ok(Companion { name: g.name, patterns: l.patterns(&g.patterns, MatchOptions::default())? })
        })
        .collect::<Result<_, RuleError>>()?;
    Ok(RequireWith {
        trigger: l.patterns(&w.when, options)?,
        with: l.all_of(w.with, "require-with.with.all")?,
        unless: l.context(w.unless)?,
        within: w.within,
        companions,
        once_per_document: w.once_per_document,
    })
}

impl RequireWith {
    pub(super) fn primary_patterns(&self) -> Vec<&Pattern> {
        self.trigger.iter().collect()
    }

    pub(super) fn context_patterns(&self) -> Vec<&Pattern> {
        let mut patterns = super::around(&self.unless, self.with.as_ref());
        patterns.extend(self.companions.iter().flat_map(|c| &c.patterns));
        patterns
    }

    pub(super) fn explained_patterns(&self) -> &[Pattern] {
        &[]
    }

    pub(super) fn run(&self, r: &Run) -> Vec<Diagnostic> {
        let (with, unless, within) = (self.with.as_ref(), self.unless.as_ref(), self.within);
        let mut out = Vec::new();
        for (di, doc) in r.applicable() {
            let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
            for (m, _) in r.matches(di, &self.trigger) {
                if r.holds(unless, di, m.start) || !r.all_of(with, di, m.start) {
                    continue;
                }
                let clause = scope::range(doc, m.start, within);
                if !seen.insert((clause.start, clause.end)) {
                    continue;
                }
                let missing: Vec<&str> = self
                    .companions
                    .iter()
                    .filter(|g| !r.within(&g.patterns, within, di, m.start))
                    .map(|g| g.name.as_str())
                    .collect();
                if !missing.is_empty() {
                    out.push(r.diagnostic(doc, m, &[("missing", &missing.join(", "))]));
                }
            }
        }
        if self.once_per_document {
            out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            out.dedup_by(|a, b| a.path == b.path);
        }
        out
    }
}
