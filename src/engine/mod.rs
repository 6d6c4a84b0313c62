//! The engine: rules compiled once, dossiers checked against them.

pub mod prefilter;
pub mod scope;

use crate::diagnostic::{ClauseText, Diagnostic, Fix};
use crate::document::{DocKind, Document, Language};
use crate::rules::{Applicability, LegalRef, Pattern, Rule, RuleSet, Starts};
use prefilter::Prefilter;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// A rule set compiled for checking. Build it once per run (or per editor
/// session) and check any number of dossiers with it.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    placeholders: BTreeMap<String, String>,
    shared: Shared,
}

/// What many findings have in common, held once: the model clause rendered
/// for a document and the legal basis cited for a kind of document are the
/// same for every finding of a rule there, and a run with 100,000 findings
/// would otherwise hold 100,000 copies of them until its report is written.
/// Strings (rule ids and titles, section headings, rendered clauses) share
/// one set.
#[derive(Debug, Default)]
struct Shared {
    strings: Mutex<HashSet<Arc<str>>>,
    legal_bases: Mutex<HashSet<Arc<[LegalRef]>>>,
}

/// The copy of `value` held in `set`, made and added if it is not there yet.
fn share<T: ?Sized + Hash + Eq>(set: &Mutex<HashSet<Arc<T>>>, value: &T) -> Arc<T>
where
    for<'a> Arc<T>: From<&'a T>,
{
    // A poisoned lock (a panic elsewhere) only costs the sharing.
    let Ok(mut set) = set.lock() else { return Arc::from(value) };
    if let Some(held) = set.get(value) {
        return held.clone();
    }
    let held = Arc::from(value);
    set.insert(Arc::clone(&held));
    held
}

/// What a check needs to know about the dossier under check.
pub(crate) struct DossierView<'a> {
    pub docs: &'a [Document],
    pub topics: Vec<String>,
    pub hits: Vec<prefilter::Hits>,
}

impl Engine {
    /// Compiles `rules`; `placeholders` fill the model clauses (`{{acheteur}}`…).
    pub fn new(rules: RuleSet, placeholders: BTreeMap<String, String>) -> Engine {
        let prefilter = Prefilter::new(&rules.rules, &rules.topics);
        Engine { rules, prefilter, placeholders, shared: Shared::default() }
    }

    /// The copy of `name` (a rule's id, a section's heading) that the
    /// findings and reports of this engine share.
    pub(crate) fn shared_name(&self, name: &str) -> Arc<str> {
        share(&self.shared.strings, name)
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The topics detected in `docs` taken together.
    pub fn topics(&self, docs: &[Document]) -> Vec<String> {
        let hits: Vec<prefilter::Hits> =
            docs.iter().map(|d| self.prefilter.hits(d.norm.as_str(), d.language)).collect();
        self.topics_with(docs, &hits)
    }

    /// How many times each topic's signals occur in `docs` (for tuning).
    pub fn topic_counts(&self, docs: &[Document]) -> Vec<(String, usize)> {
        self.rules
            .topics
            .topics
            .iter()
            .map(|t| {
                let n = docs
                    .iter()
                    .map(|d| {
                        let text = d.norm.as_str();
                        let mut phrases = None;
                        (0..t.patterns.len())
                            .map(|i| t.signals(i, text, &|_| Starts::Anywhere, &mut phrases, usize::MAX))
                            .sum::<usize>()
                    })
                    .sum();
                (t.name.clone(), n)
            })
            .collect()
    }

    fn topics_with(&self, docs: &[Document], hits: &[prefilter::Hits]) -> Vec<String> {
        let texts: Vec<&str> = docs.iter().map(|d| d.norm.as_str()).collect();
        self.rules.topics.detect(&texts, |t, p, d| self.prefilter.topic_starts(&hits[d], t, p))
    }

    /// Checks the documents of one dossier; diagnostics in no particular order.
    pub fn check_dossier(&self, docs: &[Document]) -> Vec<Diagnostic> {
        self.check_dossier_applied(docs).0
    }

    /// The findings of the dossier `docs`, and the indices of the rules
    /// that applied to it (its topics, and a document of their kinds and
    /// languages), whether they found something or not.
    pub fn check_dossier_applied(&self, docs: &[Document]) -> (Vec<Diagnostic>, Vec<usize>) {
        let hits: Vec<prefilter::Hits> =
            docs.par_iter().map(|d| self.prefilter.hits(d.norm.as_str(), d.language)).collect();
        let view = DossierView { docs, topics: self.topics_with(docs, &hits), hits };
        let applied: Vec<usize> = (0..self.rules.rules.len())
            .filter(|&i| {
                let rule = &self.rules.rules[i];
                rule.applies_to.accepts_topics(&view.topics)
                    && docs.iter().any(|d| rule.accepts_document(d.kind, d.language))
            })
            .collect();
        let found = applied
            .par_iter()
            .flat_map_iter(|&index| {
                let rule = &self.rules.rules[index];
                rule.check.run(self, &view, index, rule)
            })
            .collect();
        (found, applied)
    }

    /// Where matches of `pattern`, looked for around a rule's matches, may
    /// start in a text with prefilter `hits`.
    pub(crate) fn context_starts<'h>(&self, hits: &'h prefilter::Hits, pattern: &Pattern) -> Starts<'h> {
        self.prefilter.context_starts(hits, pattern)
    }

    /// Where matches of pattern `pattern` of rule `rule` may start in a
    /// text with prefilter `hits`.
    pub(crate) fn starts<'h>(&self, hits: &'h prefilter::Hits, rule: usize, pattern: usize) -> Starts<'h> {
        self.prefilter.starts(hits, rule, pattern)
    }

    /// Builds the diagnostic of `rule` at normalised `range` of `doc`.
    pub(crate) fn diagnostic(
        &self,
        rule: &Rule,
        doc: &Document,
        range: Range<usize>,
        vars: &[(&str, &str)],
    ) -> Diagnostic {
        let span = doc.norm.source_range(range.clone());
        let matched = crate::document::collapse_ws(doc.text.get(span.clone()).unwrap_or(""));
        let mut vars: Vec<(&str, &str)> = vars.to_vec();
        vars.push(("match", &matched));
        let section = doc.section_at(range.start).map(|s| self.shared_name(&doc.sections[s].title));
        let start = doc.lines.line_col(&doc.text, span.start);
        let end = doc.lines.line_col(&doc.text, span.end);
        let snippet =
            Diagnostic::snippet_of(&doc.text, doc.lines.line_range(&doc.text, start.line - 1), &span);
        // A substitution is its own fix; other rules fix only when they say how.
        let applicability = rule.fix.as_ref().map_or(Applicability::Safe, |f| f.applicability);
        let fix = vars
            .iter()
            .find(|(k, _)| *k == "replacement")
            .map(|(_, v)| v.to_string())
            .or_else(|| rule.fix.as_ref()?.replace.as_deref().map(|t| fill(t, &vars)))
            .map(|replacement| Fix { replacement, applicability });
        // A reference that was right when the document was written.
        let earlier =
            rule.dated.as_ref().and_then(|d| doc.latest_date().filter(|l| *l < d.before).map(|l| (d, l)));
        let (severity, message) = match earlier {
            Some((d, latest)) => {
                let date = latest.written(rule.language().unwrap_or(doc.language));
                let mut vars = vars.clone();
                vars.push(("date", &date));
                (d.severity, fill(&d.message, &vars))
            }
            None => (rule.severity, fill(&rule.message, &vars)),
        };
        Diagnostic {
            rule: self.shared_name(&rule.id),
            severity,
            path: doc.path.clone(),
            span,
            start,
            end,
            section,
            page: doc.block_at(range.start).and_then(|b| doc.blocks[b].page),
            snippet,
            message,
            title: self.shared_name(&rule.title),
            explanation: rule.explanation.clone(),
            legal_basis: if rule.legal_basis.iter().all(|b| b.cited_for(doc.kind)) {
                rule.legal_basis.clone()
            } else {
                let cited: Vec<LegalRef> =
                    rule.legal_basis.iter().filter(|b| b.cited_for(doc.kind)).cloned().collect();
                share(&self.shared.legal_bases, &cited[..])
            },
            fix,
            clause: self
                .rules
                .clause_for(rule)
                .map(|c| ClauseText { id: c.id.clone(), text: self.rendered_clause(c, doc) }),
            language: rule.language().unwrap_or(doc.language),
            matched,
        }
    }
}

impl Engine {
    /// The model clause for a finding in `doc`: the parties are named as the
    /// configuration says, else as the document defines them (« ci-après
    /// "l'autorité délégante" »), else as its kind of contract does.
    fn rendered_clause(&self, clause: &crate::rules::clauses::Clause, doc: &Document) -> Arc<str> {
        let (buyer, contractor) = match clause.language {
            Language::Fr => ("acheteur", "titulaire"),
            Language::En => ("buyer", "contractor"),
        };
        let defaults = match clause.language {
            Language::Fr => french_parties(doc),
            Language::En => ("the buyer", "the contractor"),
        };
        let mut values = self.placeholders.clone();
        let needs = |name: &str| {
            !self.placeholders.contains_key(name) && clause.text.contains(&format!("{{{{{name}"))
        };
        if needs(buyer) || needs(contractor) {
            let defined = doc.parties();
            for (name, found, default) in
                [(buyer, &defined.buyer, defaults.0), (contractor, &defined.contractor, defaults.1)]
            {
                values
                    .entry(name.to_string())
                    .or_insert_with(|| found.clone().unwrap_or_else(|| default.to_string()));
            }
        }
        // A contractor configured as a bare noun (« titulaire ») takes its article.
        if let Some(v) = values.get_mut(contractor) {
            if crate::document::parties::article_of(v).is_none() {
                let article = if clause.language == Language::Fr { "le" } else { "the" };
                *v = format!("{article} {v}");
            }
        }
        share(&self.shared.strings, clause.render(&values).as_str())
    }
}

/// The French parties as the contract calls them when it defines no names:
/// a public-service delegation has « l'autorité délégante » and « le
/// délégataire », another concession « l'autorité concédante » and « le
/// concessionnaire »; a public contract « le pouvoir adjudicateur » where it
/// says so more than « l'acheteur », and « le titulaire ».
fn french_parties(doc: &Document) -> (&'static str, &'static str) {
    let words = doc.parties();
    match (doc.kind == DocKind::Concession, words.delegation, words.adjudicateur) {
        (true, true, _) => ("l'autorité délégante", "le délégataire"),
        (true, false, _) => ("l'autorité concédante", "le concessionnaire"),
        (false, _, true) => ("le pouvoir adjudicateur", "le titulaire"),
        (false, _, false) => ("l'acheteur", "le titulaire"),
    }
}

/// Replaces `{name}` in `template` by the value of `name` in `vars`.
pub(crate) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests;
