//! One pass over a document for every rule: a `RegexSet` of all primary
//! patterns says which patterns occur at all, so that only those are run for
//! positions.

use crate::rules::{Check, Pattern, Rule};
use regex::RegexSet;

/// The primary patterns of a rule: those whose matches make findings or satisfy it.
pub fn primary_patterns(rule: &Rule) -> Vec<&Pattern> {
    match &rule.check {
        Check::Forbid { patterns, .. } | Check::Require { patterns, .. } => patterns.iter().collect(),
        Check::RequireWith { trigger, .. } => trigger.iter().collect(),
        Check::Substitute(subs) => subs.iter().map(|s| &s.term).collect(),
    }
}

/// The compiled prefilter of a rule set.
#[derive(Debug)]
pub struct Prefilter {
    set: Option<RegexSet>,
    /// Index in `slots` of each rule's first primary pattern.
    offsets: Vec<usize>,
    /// For each primary pattern of each rule, its index in the set (the same
    /// pattern used by several rules is in the set once).
    slots: Vec<usize>,
}

/// Which primary patterns occur in one document.
#[derive(Debug, Clone)]
pub struct Hits(Vec<bool>);

impl Prefilter {
    /// Compiles the prefilter for `rules`. A set too large for the regex
    /// engine's limits degrades to "every pattern may occur".
    pub fn new(rules: &[Rule]) -> Prefilter {
        let mut offsets = Vec::with_capacity(rules.len());
        let mut slots = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for rule in rules {
            offsets.push(slots.len());
            for p in primary_patterns(rule) {
                let slot = *index.entry(p.compiled.as_str()).or_insert_with(|| {
                    sources.push(p.compiled.as_str());
                    sources.len() - 1
                });
                slots.push(slot);
            }
        }
        let set = regex::RegexSetBuilder::new(&sources).size_limit(64 << 20).build().ok();
        Prefilter { set, offsets, slots }
    }

    /// Which patterns occur in `text`.
    pub fn hits(&self, text: &str) -> Hits {
        match &self.set {
            Some(set) => {
                let mut hits = vec![false; set.len()];
                for i in set.matches(text).iter() {
                    hits[i] = true;
                }
                Hits(hits)
            }
            None => Hits(Vec::new()),
        }
    }

    /// Whether pattern `pattern` of rule `rule` may occur, given `hits`.
    pub fn may_occur(&self, hits: &Hits, rule: usize, pattern: usize) -> bool {
        let slot = self.slots.get(self.offsets[rule] + pattern);
        hits.0.is_empty() || slot.and_then(|&s| hits.0.get(s)).copied().unwrap_or(true)
    }
}
