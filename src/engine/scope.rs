//! Scopes around a match (sentence, paragraph, section, document, dossier)
//! and the context patterns looked for in them.

use crate::document::Document;
use crate::rules::{Pattern, Scope, Starts};
use std::ops::Range;

/// The normalised range of `scope` around offset `at` of `doc`. A dossier
/// scope is the whole document here; callers look at the other documents.
pub fn range(doc: &Document, at: usize, scope: Scope) -> Range<usize> {
    let whole = 0..doc.norm.len();
    let block = || doc.block_at(at).map(|b| doc.blocks[b].norm.clone());
    match scope {
        Scope::Sentence => doc.sentence_at(at).or_else(block).unwrap_or(whole),
        Scope::Paragraph => doc.block_at(at).map(|b| doc.blocks[b].paragraph.clone()).unwrap_or(whole),
        Scope::Section => doc.section_at(at).map(|s| doc.sections[s].norm.clone()).unwrap_or(whole),
        Scope::Document | Scope::Dossier => whole,
    }
}

/// The last sentence of the lead-in of the list item or table cell at
/// offset `at` of `doc`, if it has one (see [`crate::document::Block::lead_in`]).
pub fn lead_in(doc: &Document, at: usize) -> Option<Range<usize>> {
    let lead = doc.blocks[doc.block_at(at)?].lead_in?;
    doc.sentence_at(doc.blocks[lead].norm.end.saturating_sub(1))
}

/// Whether any of `patterns` matches within `scope` around offset `at` of
/// document `doc` of `docs`, given where the matches of a pattern may start
/// in a document (`starts`, from the prefilter). The sentence of a list
/// item includes, for this purpose, the last sentence of its lead-in.
pub fn any_within<'d>(
    patterns: &[Pattern],
    scope: Scope,
    docs: &'d [Document],
    doc: usize,
    at: usize,
    starts: impl Fn(usize, &Pattern) -> Starts<'d>,
) -> bool {
    let found = |doc: usize, r: Range<usize>| {
        let text = docs[doc].norm.as_str();
        patterns.iter().any(|p| p.is_match_at(text, r.clone(), starts(doc, p)))
    };
    if scope == Scope::Dossier {
        return (0..docs.len()).any(|d| found(d, 0..docs[d].norm.len()));
    }
    let d = &docs[doc];
    found(doc, range(d, at, scope))
        || (scope == Scope::Sentence && lead_in(d, at).is_some_and(|r| found(doc, r)))
}
