//! One pass over a document for every rule: a `RegexSet` of all primary
//! patterns says which patterns occur at all, so that only those are run for
//! positions.

use crate::rules::topics::Topics;
use crate::rules::{Pattern, Rule};
use regex::RegexSet;

/// The primary patterns of a rule: those whose matches make findings or satisfy it.
pub fn primary_patterns(rule: &Rule) -> Vec<&Pattern> {
    rule.check.primary_patterns()
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
    /// Index in `slots` of each topic's first pattern (topic signals are
    /// in the set too, after the rules' patterns).
    topic_offsets: Vec<usize>,
}

/// Which primary patterns occur in one document.
#[derive(Debug, Clone)]
pub struct Hits(Vec<bool>);

impl Prefilter {
    /// Compiles the prefilter for `rules`. A set too large for the regex
    /// engine's limits degrades to "every pattern may occur".
    pub fn new(rules: &[Rule], topics: &Topics) -> Prefilter {
        let mut offsets = Vec::with_capacity(rules.len());
        let mut topic_offsets = Vec::with_capacity(topics.topics.len());
        let mut slots = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let groups = rules
            .iter()
            .map(|r| (false, primary_patterns(r)))
            .chain(topics.topics.iter().map(|t| (true, t.patterns.iter().collect())));
        for (topic, patterns) in groups {
            if topic { &mut topic_offsets } else { &mut offsets }.push(slots.len());
            for p in patterns {
                // A pattern with a long counted repetition (« (\s+\S+){0,15} »)
                // would make the whole set fall back to its slowest engine:
                // it stays out, and always "may occur".
                if counts_far(&p.compiled) {
                    slots.push(usize::MAX);
                    continue;
                }
                let slot = *index.entry(p.compiled.as_str()).or_insert_with(|| {
                    sources.push(p.compiled.as_str());
                    sources.len() - 1
                });
                slots.push(slot);
            }
        }
        let set = regex::RegexSetBuilder::new(&sources).size_limit(64 << 20).build().ok();
        Prefilter { set, offsets, slots, topic_offsets }
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
        self.slot_may_occur(hits, self.offsets[rule] + pattern)
    }

    /// Whether signal `pattern` of topic `topic` may occur, given `hits`.
    pub fn topic_may_occur(&self, hits: &Hits, topic: usize, pattern: usize) -> bool {
        self.topic_offsets.get(topic).is_none_or(|o| self.slot_may_occur(hits, o + pattern))
    }

    fn slot_may_occur(&self, hits: &Hits, at: usize) -> bool {
        // `usize::MAX`: a pattern kept out of the set.
        hits.0.is_empty() || self.slots.get(at).and_then(|&s| hits.0.get(s)).copied().unwrap_or(true)
    }
}

/// Whether `source` repeats a sub-pattern more than a few times by count
/// (`{0,15}`): such repetitions multiply the states of the automaton.
fn counts_far(source: &str) -> bool {
    fn walk(hir: &regex_syntax::hir::Hir) -> bool {
        use regex_syntax::hir::HirKind;
        match hir.kind() {
            HirKind::Repetition(r) => {
                let literal = matches!(r.sub.kind(), HirKind::Literal(_));
                (!literal && r.max.is_some_and(|m| m > 4)) || walk(&r.sub)
            }
            HirKind::Capture(c) => walk(&c.sub),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(walk),
            _ => false,
        }
    }
    regex_syntax::Parser::new().parse(source).map(|h| walk(&h)).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_counted_repetitions_are_told() {
        assert!(super::counts_far(r"(?i:titulaire(\s+[^\s.;]+){0,15}\s+donn[ée]es)"));
        assert!(super::counts_far(r"(?i:a[^.;]{0,100}b)"));
        assert!(!super::counts_far(r"(?i:CCAG[- ]TIC( \d+)?)"));
        assert!(!super::counts_far(r"(?i:ou ([^\s.;:]+ ){0,4}[ée]quivalente?s?)"));
    }
}
