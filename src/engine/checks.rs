//! The four check kinds, evaluated over a dossier.

use super::{scope, DossierView, Engine};
use crate::diagnostic::Diagnostic;
use crate::document::{BlockKind, Document};
use crate::rules::{AllOf, Anchor, Check, Companion, Context, Pattern, Rule, Scope, Subject};
use std::collections::BTreeSet;
use std::ops::Range;

/// Runs `rule` (index `index` in the engine's rule set) over the dossier.
pub(super) fn run(engine: &Engine, view: &DossierView, index: usize, rule: &Rule) -> Vec<Diagnostic> {
    match &rule.check {
        Check::Forbid {
            patterns,
            case_unless,
            case_when,
            case_message,
            unless,
            when,
            except_in_sections,
            subject,
            extend_over,
        } => {
            let context = ForbidContext {
                case_unless,
                case_when,
                case_message,
                unless: unless.as_ref(),
                when: when.as_ref(),
                except_in_sections,
                subject: subject.as_ref(),
                extend_over: extend_over.as_ref(),
            };
            forbid(engine, view, index, rule, patterns, context)
        }
        Check::Substitute(subs) => substitute(engine, view, index, rule, subs),
        Check::Require { patterns, with, in_sections, unless, anchor } => {
            let needs = Needs { with: with.as_ref(), in_sections, unless: unless.as_ref() };
            require(engine, view, index, rule, patterns, needs, anchor)
        }
        Check::RequireWith { trigger, with, unless, within, companions, once_per_document } => {
            let clause = Clause { trigger, with: with.as_ref(), unless: unless.as_ref(), within: *within };
            let mut found = require_with(engine, view, index, rule, clause, companions);
            if *once_per_document {
                found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
                found.dedup_by(|a, b| a.path == b.path);
            }
            found
        }
    }
}

/// The documents of the dossier that `rule` applies to.
fn applicable<'a>(view: &'a DossierView, rule: &'a Rule) -> impl Iterator<Item = (usize, &'a Document)> + 'a {
    view.docs.iter().enumerate().filter(|(_, d)| rule.accepts_document(d.kind, d.language))
}

/// Matches of the primary `patterns` of rule `index` in document `doc`,
/// sorted, overlaps resolved in favour of the earliest and then longest.
/// Each match comes with the index of its pattern.
fn matches(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    doc: usize,
    patterns: &[Pattern],
) -> Vec<(Range<usize>, usize)> {
    let text = view.docs[doc].norm.as_str();
    let mut found: Vec<(Range<usize>, usize)> = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        if engine.prefilter.may_occur(&view.hits[doc], index, i) {
            found.extend(p.find_iter_in(text, 0..text.len()).map(|r| (r, i)));
        }
    }
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
    for m in found {
        if kept.last().is_none_or(|(last, _)| m.0.start >= last.end) {
            kept.push(m);
        }
    }
    kept
}

/// Whether every group of `with` (when given) is found around offset `at` of document `doc`.
fn all_of(with: Option<&AllOf>, view: &DossierView, doc: usize, at: usize) -> bool {
    with.is_none_or(|w| w.groups.iter().all(|g| scope::any_within(g, w.within, view.docs, doc, at)))
}

fn holds(context: Option<&Context>, view: &DossierView, doc: usize, at: usize) -> bool {
    context.is_some_and(|c| scope::present(c, view.docs, doc, at))
}

/// The optional parts of a `forbid` check.
struct ForbidContext<'a> {
    case_unless: &'a [Option<std::sync::Arc<Context>>],
    case_when: &'a [Option<std::sync::Arc<Context>>],
    case_message: &'a [Option<std::sync::Arc<str>>],
    unless: Option<&'a Context>,
    when: Option<&'a Context>,
    except_in_sections: &'a [Pattern],
    subject: Option<&'a Subject>,
    extend_over: Option<&'a regex::Regex>,
}

fn forbid(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    rule: &Rule,
    patterns: &[Pattern],
    context: ForbidContext,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let subject_terms =
        context.subject.map(|s| subject_terms(engine, view, index, rule, patterns, s)).unwrap_or_default();
    for (di, doc) in applicable(view, rule) {
        let excepted = matching_sections(doc, context.except_in_sections);
        let mut found: Vec<Range<usize>> = Vec::new();
        // Matches of the cases that have a message of their own, by message.
        let mut own: Vec<(&str, Vec<Range<usize>>)> = Vec::new();
        for (m, pattern) in matches(engine, view, index, di, patterns) {
            if excepted.iter().any(|r| r.contains(&m.start)) {
                continue;
            }
            if holds(context.case_unless.get(pattern).and_then(|c| c.as_deref()), view, di, m.start) {
                continue;
            }
            let term = doc.norm.as_str()[m.clone()].to_lowercase();
            if subject_terms.iter().any(|(t, _, _)| term.contains(t.as_str()) || t.contains(term.as_str())) {
                continue;
            }
            let when = context.case_when.get(pattern).and_then(|c| c.as_deref()).or(context.when);
            if when.is_some() && !holds(when, view, di, m.start) {
                continue;
            }
            if holds(context.unless, view, di, m.start) {
                continue;
            }
            match context.case_message.get(pattern).and_then(|c| c.as_deref()) {
                Some(message) => match own.iter_mut().find(|(t, _)| *t == message) {
                    Some((_, ranges)) => ranges.push(m),
                    None => own.push((message, vec![m])),
                },
                None => found.push(m),
            }
        }
        if let Some(x) = context.extend_over {
            let text = doc.norm.as_str();
            for m in &mut found {
                if let Some(more) = x.find(&text[m.end..]) {
                    m.end += more.end();
                }
            }
        }
        out.extend(enumerations(doc, found).into_iter().map(|m| engine.diagnostic(rule, doc, m, &[])));
        for (message, ranges) in own {
            for m in enumerations(doc, ranges) {
                let mut d = engine.diagnostic(rule, doc, m, &[]);
                d.message = super::fill(message, &[("match", &d.matched)]);
                d.fix = None;
                out.push(d);
            }
        }
    }
    if let Some(subject) = context.subject {
        for (_, di, m) in subject_terms {
            let mut d = engine.diagnostic(rule, &view.docs[di], m, &[]);
            d.severity = subject.severity;
            d.message = super::fill(&subject.message, &[("match", &d.matched)]);
            d.fix = None;
            d.clause = None;
            out.push(d);
        }
    }
    out
}

/// What may separate the items of one enumeration: punctuation, « et »,
/// « ou », « and », « or », and a short acronym (« Microsoft Office XML
/// (.docx, .pptx) »).
static ENUMERATION_GAP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // A constant pattern, checked by the engine's tests.
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"^[\s,;/()"-]*(?:(?:et|ou|and|or|[A-Z]{2,5})[\s,;/()"-]*){0,2}$"#)
        .expect("gap regex is valid")
});
/// What may close an enumeration: « , etc.) ».
static ENUMERATION_END: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r"^(?:,?\s*etc\.?)?\s*\)").expect("end regex is valid")
});

/// The matches of one document, those of one enumeration joined: « Microsoft
/// Office XML (.docx, .pptx, .xlsx, etc.) » is one finding, with one
/// « ou équivalent » to add, not four.
fn enumerations(doc: &Document, found: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let text = doc.norm.as_str();
    let mut out: Vec<(Range<usize>, bool)> = Vec::new();
    for m in found {
        if let Some((last, joined)) = out.last_mut() {
            let same_sentence = doc.sentence_at(last.start) == doc.sentence_at(m.start);
            if same_sentence && m.start >= last.end && ENUMERATION_GAP.is_match(&text[last.end..m.start]) {
                last.end = m.end;
                *joined = true;
                continue;
            }
        }
        out.push((m, false));
    }
    out.into_iter()
        .map(|(mut m, joined)| {
            // A list in brackets ends with its bracket: one opened before the
            // enumeration, or inside it (« Microsoft Office XML (.docx, … »).
            // Only within the sentence: never a scan back over the document.
            let opened = || {
                let from = doc.sentence_at(m.start).map_or(m.start, |s| s.start.min(m.start));
                let before = &text[from..m.start];
                let opened_before = before.rfind('(').is_some_and(|open| before[open..].find(')').is_none());
                let span = &text[m.clone()];
                opened_before || span.matches('(').count() > span.matches(')').count()
            };
            if joined && opened() {
                if let Some(end) = ENUMERATION_END.find(&text[m.end..]) {
                    m.end += end.end();
                }
            }
            m
        })
        .collect()
}

/// The terms of `patterns` named in the dossier's subject (document titles
/// and the sections `subject` names), each with its first place, lower-cased
/// and without duplicates.
fn subject_terms(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    rule: &Rule,
    patterns: &[Pattern],
    subject: &Subject,
) -> Vec<(String, usize, Range<usize>)> {
    let mut terms: Vec<(String, usize, Range<usize>)> = Vec::new();
    for (di, doc) in applicable(view, rule) {
        // Where the subject is stated: the title, and the first paragraph of
        // a section such as « Objet » (its first words say what is bought).
        let mut places: Vec<Range<usize>> = first_paragraphs(doc, &subject.sections);
        places.extend(doc.title());
        for (m, _) in matches(engine, view, index, di, patterns) {
            let term = doc.norm.as_str()[m.clone()].to_lowercase();
            if places.iter().any(|p| p.contains(&m.start)) && !terms.iter().any(|(t, _, _)| *t == term) {
                terms.push((term, di, m));
            }
        }
    }
    terms
}

fn substitute(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    rule: &Rule,
    subs: &[crate::rules::Substitution],
) -> Vec<Diagnostic> {
    let terms: Vec<Pattern> = subs.iter().map(|s| s.term.clone()).collect();
    let mut out = Vec::new();
    for (di, doc) in applicable(view, rule) {
        for (m, i) in matches(engine, view, index, di, &terms) {
            out.push(engine.diagnostic(rule, doc, m, &[("replacement", &subs[i].replacement)]));
        }
    }
    out
}

/// What a match of a `require` check needs to count.
struct Needs<'a> {
    with: Option<&'a AllOf>,
    in_sections: &'a [Pattern],
    unless: Option<&'a Context>,
}

fn require(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    rule: &Rule,
    patterns: &[Pattern],
    needs: Needs,
    anchor: &Anchor,
) -> Vec<Diagnostic> {
    let Some((first, _)) =
        applicable(view, rule).find(|(_, d)| !d.annex).or_else(|| applicable(view, rule).next())
    else {
        return Vec::new();
    };
    let satisfied = (0..view.docs.len()).any(|di| {
        let doc = &view.docs[di];
        let sections = matching_sections(doc, needs.in_sections);
        matches(engine, view, index, di, patterns).into_iter().any(|(m, _)| {
            let in_place = needs.in_sections.is_empty() || sections.iter().any(|r| r.contains(&m.start));
            let with = all_of(needs.with, view, di, m.start);
            in_place && with && !holds(needs.unless, view, di, m.start)
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
        for (di, doc) in applicable(view, rule).filter(|(_, d)| !d.annex) {
            let named = matching_sections(doc, &anchor.sections);
            for (m, _) in matches(engine, view, index, di, patterns) {
                if !scope::any_within(first_group, w.within, view.docs, di, m.start)
                    || holds(needs.unless, view, di, m.start)
                {
                    continue;
                }
                let in_named = named.iter().any(|r| r.contains(&m.start));
                let tight = scope::any_within(first_group, Scope::Sentence, view.docs, di, m.start);
                let score = 2 * u8::from(in_named) + u8::from(tight);
                if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                    // In a section the anchor names, the finding goes on its heading.
                    let heading = in_named
                        .then(|| {
                            doc.section_at(m.start).map(|s| doc.blocks[doc.sections[s].block].norm.clone())
                        })
                        .flatten();
                    best = Some((score, di, heading.unwrap_or(m)));
                }
            }
        }
        best.map(|(_, di, m)| (di, m))
    });
    let (di, range) = partial.unwrap_or_else(|| anchor_point(view, anchor, first));
    vec![engine.diagnostic(rule, &view.docs[di], range, &[])]
}

/// Normalised ranges of the first paragraph of each section whose heading
/// matches one of `patterns`.
fn first_paragraphs(doc: &Document, patterns: &[Pattern]) -> Vec<Range<usize>> {
    doc.sections
        .iter()
        .filter(|s| {
            patterns.iter().any(|p| p.is_match_in(doc.norm.as_str(), doc.blocks[s.block].norm.clone()))
        })
        .filter_map(|s| {
            let body = doc.blocks.get(s.block + 1)?;
            (!matches!(body.kind, BlockKind::Heading { .. })).then(|| body.norm.clone())
        })
        .collect()
}

/// Normalised ranges of the sections whose heading matches one of `patterns`.
fn matching_sections(doc: &Document, patterns: &[Pattern]) -> Vec<Range<usize>> {
    doc.sections
        .iter()
        .filter(|s| {
            let heading = &doc.blocks[s.block].norm;
            patterns.iter().any(|p| p.is_match_in(doc.norm.as_str(), heading.clone()))
        })
        .map(|s| s.norm.clone())
        .collect()
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

/// What makes a clause that a `require-with` check completes.
struct Clause<'a> {
    trigger: &'a [Pattern],
    with: Option<&'a AllOf>,
    unless: Option<&'a Context>,
    within: Scope,
}

fn require_with(
    engine: &Engine,
    view: &DossierView,
    index: usize,
    rule: &Rule,
    clause: Clause,
    companions: &[Companion],
) -> Vec<Diagnostic> {
    let Clause { trigger, with, unless, within } = clause;
    let mut out = Vec::new();
    for (di, doc) in applicable(view, rule) {
        let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (m, _) in matches(engine, view, index, di, trigger) {
            if holds(unless, view, di, m.start) || !all_of(with, view, di, m.start) {
                continue;
            }
            let r = scope::range(doc, m.start, within);
            if !seen.insert((r.start, r.end)) {
                continue;
            }
            let missing: Vec<&str> = companions
                .iter()
                .filter(|g| !scope::any_within(&g.patterns, within, view.docs, di, m.start))
                .map(|g| g.name.as_str())
                .collect();
            if !missing.is_empty() {
                out.push(engine.diagnostic(rule, doc, m, &[("missing", &missing.join(", "))]));
            }
        }
    }
    out
}
