//! `require`: a clause that must appear somewhere in the dossier (the
//! data handed over in an open standard), reported where it belongs.

use super::{matching_sections, yes, Loader, RawAllOf, RawContext, Run};
use crate::diagnostic::Diagnostic;
use crate::document::DocKind;
use crate::engine::DossierView;
use crate::rules::load::{RuleError, S};
use crate::rules::{AllOf, Context, MatchOptions, Pattern, Scope};
use serde::Deserialize;
use std::ops::Range;

/// The placeholders a `require` message may use.
pub const PLACEHOLDERS: &[&str] = &[];

/// At least one pattern must appear in the dossier.
#[derive(Debug, Clone)]
pub struct Require {
    /// Any of these satisfies the rule...
    pub patterns: Vec<Pattern>,
    /// ...when every group of these is also around it (when given)...
    pub with: Option<AllOf>,
    /// ...inside a section whose heading matches one of these (when given)...
    pub in_sections: Vec<Pattern>,
    /// ...unless one of these is around it (a negation, a waiver).
    pub unless: Option<Context>,
    /// Where to report the missing clause.
    pub anchor: Anchor,
}

/// Where a missing-clause diagnostic is anchored.
#[derive(Debug, Clone, Default)]
pub struct Anchor {
    /// Document kinds where the clause belongs, most fitting first.
    pub kinds: Vec<DocKind>,
    /// Headings of the sections where the clause belongs.
    pub sections: Vec<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Raw {
    patterns: Vec<S<String>>,
    #[serde(default = "yes")]
    whole_words: bool,
    #[serde(default)]
    case_sensitive: bool,
    with: Option<RawAllOf>,
    #[serde(default)]
    in_sections: Vec<S<String>>,
    unless: Option<RawContext>,
    #[serde(default)]
    anchor: RawAnchor,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAnchor {
    #[serde(default)]
    kinds: Vec<DocKind>,
    #[serde(default)]
    sections: Vec<S<String>>,
}

pub(crate) fn load(l: &Loader, r: Raw) -> Result<Require, RuleError> {
    l.non_empty(&r.patterns, "require.patterns")?;
    let options = MatchOptions { whole_words: r.whole_words, case_sensitive: r.case_sensitive };
    Ok(Require {
        patterns: l.patterns(&r.patterns, options)?,
        with: l.all_of(r.with, "require.with.all")?,
        in_sections: l.patterns(&r.in_sections, MatchOptions::default())?,
        unless: l.context(r.unless)?,
        anchor: Anchor {
            kinds: r.anchor.kinds,
            sections: l.patterns(&r.anchor.sections, MatchOptions::default())?,
        },
    })
}

/// What a match of a `require` check needs to count.
struct Needs<'a> {
    with: Option<&'a AllOf>,
    in_sections: &'a [Pattern],
    unless: Option<&'a Context>,
}

impl Require {
    pub(super) fn primary_patterns(&self) -> Vec<&Pattern> {
        self.patterns.iter().collect()
    }

    pub(super) fn context_patterns(&self) -> Vec<&Pattern> {
        super::around(&self.unless, self.with.as_ref())
    }

    pub(super) fn explained_patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub(super) fn run(&self, r: &Run) -> Vec<Diagnostic> {
        let patterns = &self.patterns;
        let anchor = &self.anchor;
        let needs =
            Needs { with: self.with.as_ref(), in_sections: &self.in_sections, unless: self.unless.as_ref() };
        let Some((first, _)) = r.applicable().find(|(_, d)| !d.annex).or_else(|| r.applicable().next())
        else {
            return Vec::new();
        };
        let satisfied = (0..r.view.docs.len()).any(|di| {
            let doc = &r.view.docs[di];
            let sections = matching_sections(doc, needs.in_sections);
            r.matches(di, patterns).into_iter().any(|(m, _)| {
                let in_place = needs.in_sections.is_empty() || sections.iter().any(|r| r.contains(&m.start));
                let with = r.all_of(needs.with, di, m.start);
                in_place && with && !r.holds(needs.unless, di, m.start)
            })
        });
        if satisfied {
            return Vec::new();
        }
        // A clause that has some of what the rule asks (the data and a hand-over,
        // but no open format) is where the rest belongs: the first such clause
        // in a section the anchor names, else the first whose parts are in one
        // sentence, else the first.
        let partial = needs.with.and_then(|w| {
            let first_group = w.groups.first()?;
            let mut best: Option<(u8, usize, Range<usize>)> = None;
            for (di, doc) in r.applicable().filter(|(_, d)| !d.annex) {
                let named = matching_sections(doc, &anchor.sections);
                for (m, _) in r.matches(di, patterns) {
                    if !r.within(first_group, w.within, di, m.start) || r.holds(needs.unless, di, m.start) {
                        continue;
                    }
                    let in_named = named.iter().any(|r| r.contains(&m.start));
                    let tight = r.within(first_group, Scope::Sentence, di, m.start);
                    let score = 2 * u8::from(in_named) + u8::from(tight);
                    if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                        // In a section the anchor names, the finding goes on its heading.
                        let heading = in_named
                            .then(|| {
                                doc.section_at(m.start)
                                    .map(|s| doc.blocks[doc.sections[s].block].norm.clone())
                            })
                            .flatten();
                        best = Some((score, di, heading.unwrap_or(m)));
                    }
                }
            }
            best.map(|(_, di, m)| (di, m))
        });
        let (di, range) = partial.unwrap_or_else(|| anchor_point(r.view, anchor, first));
        vec![r.diagnostic(&r.view.docs[di], range, &[])]
    }
}

/// Where to report a missing clause: in the first principal document (not
/// an annex) of the anchor kinds, else the first of those kinds, else
/// `fallback`; at the heading of the first section that the anchor's first
/// matching pattern names (a heading that reads as a title, not a note such
/// as « voir plugin et documentation »), else at the document's title, else
/// at its first block.
fn anchor_point(view: &DossierView, anchor: &Anchor, fallback: usize) -> (usize, Range<usize>) {
    let of_kinds = |principal: bool| {
        anchor
            .kinds
            .iter()
            .find_map(|k| view.docs.iter().position(|d| d.kind == *k && (!principal || !d.annex)))
    };
    let di = of_kinds(true).or_else(|| of_kinds(false)).unwrap_or(fallback);
    let doc = &view.docs[di];
    // The anchor's patterns are in order of preference.
    let named = anchor.sections.iter().find_map(|p| {
        doc.sections
            .iter()
            .map(|s| doc.blocks[s.block].norm.clone())
            .filter(|heading| doc.norm.as_str()[heading.clone()].starts_with(|c: char| !c.is_lowercase()))
            .find(|heading| p.is_match_in(doc.norm.as_str(), heading.clone()))
    });
    (di, named.or_else(|| doc.title()).or_else(|| doc.blocks.first().map(|b| b.norm.clone())).unwrap_or(0..0))
}
