//! `forbid`: a pattern that must not appear (a brand without « ou
//! équivalent », a proprietary format alone), with its exceptions.

use super::{around, first_paragraphs, matching_sections, yes, Loader, RawContext, Run};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::engine::fill;
use crate::rules::load::{RuleError, S};
use crate::rules::pattern::Forward;
use crate::rules::{Context, MatchOptions, Pattern, Severity};
use regex_automata::{Anchored, Input};
use serde::Deserialize;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The placeholders a `forbid` message may use.
pub const PLACEHOLDERS: &[&str] = &["match"];

/// A pattern that must not appear.
#[derive(Debug, Clone)]
pub struct Forbid {
    /// Any of these is a finding...
    pub patterns: Vec<Pattern>,
    /// ...unless, for the patterns of a case (`cases:`), its own
    /// exception is around it (one entry a pattern, `None` for the
    /// patterns that have none)...
    pub case_unless: Vec<Option<Arc<Context>>>,
    /// ...and, for the patterns of a case that has its own `when`, only
    /// if that context is around it (instead of the check's `when`)...
    pub case_when: Vec<Option<Arc<Context>>>,
    /// The message of the patterns of a case that says what it finds in
    /// its own words (« the exclusion of equivalents »), else `None`.
    pub case_message: Vec<Option<Arc<str>>>,
    /// ...unless one of these is around it...
    pub unless: Option<Context>,
    /// ...and only if one of these is around it (when given)...
    pub when: Option<Context>,
    /// ...and not in a section (or subsection) whose heading matches one of these.
    pub except_in_sections: Vec<Pattern>,
    /// Terms named in the contract's subject are justified by it.
    pub subject: Option<Subject>,
    /// What a finding extends over when it follows the match at once
    /// (a model designation after a brand: « VELUX GGK », « Windows
    /// 11 »), so that the fix adds « ou équivalent » after it.
    pub extend_over: Option<Extension>,
}

/// An `extend-over` pattern, compiled on first use for the built-in rules
/// (its Unicode classes cost more to compile than the rest of start-up),
/// for anchored searches only: it extends a match from where the match ends.
#[derive(Debug, Clone)]
pub struct Extension {
    source: String,
    regex: Arc<OnceLock<Option<Forward>>>,
}

impl Extension {
    fn build(source: &str) -> Result<Forward, String> {
        Forward::build(&format!("(?:{source})"), 1 << 20).map_err(|e| {
            // A syntax error is told on the pattern as written, not as wrapped.
            regex_syntax::Parser::new().parse(source).err().map_or(e, |syntax| syntax.to_string())
        })
    }

    /// How far the pattern extends from the start of `text`: the end of
    /// its leftmost-first match there. None when it does not match, or
    /// does not compile (a built-in one always does: the tests load the
    /// built-in rules eagerly).
    fn reach(&self, text: &str) -> Option<usize> {
        let forward = self.regex.get_or_init(|| Extension::build(&self.source).ok()).as_ref()?;
        forward.end(&Input::new(text).anchored(Anchored::Yes))
    }
}

/// How a `forbid` rule treats a term named in the contract's own subject (its
/// title or its « objet » article): reported once for the dossier, with its
/// own severity and message, instead of at every mention.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Headings of the sections that state the subject; the title always does.
    pub sections: Vec<Pattern>,
    /// Severity of the single finding.
    pub severity: Severity,
    /// Its message template.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Raw {
    #[serde(default)]
    patterns: Vec<S<String>>,
    #[serde(default)]
    cases: Vec<RawCase>,
    #[serde(default = "yes")]
    whole_words: bool,
    #[serde(default)]
    case_sensitive: bool,
    unless: Option<RawContext>,
    when: Option<RawContext>,
    #[serde(default)]
    except_in_sections: Vec<S<String>>,
    subject: Option<RawSubject>,
    extend_over: Option<S<String>>,
}

/// Patterns of a `forbid` check with an exception of their own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCase {
    patterns: Vec<S<String>>,
    unless: Option<RawContext>,
    when: Option<RawContext>,
    message: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSubject {
    #[serde(default)]
    sections: Vec<S<String>>,
    severity: Severity,
    message: S<String>,
}

pub(crate) fn load(l: &Loader, f: Raw) -> Result<Forbid, RuleError> {
    if f.cases.is_empty() {
        l.non_empty(&f.patterns, "forbid.patterns")?;
    }
    let options = MatchOptions { whole_words: f.whole_words, case_sensitive: f.case_sensitive };
    let mut all = l.patterns(&f.patterns, options)?;
    let mut case_unless: Vec<Option<Arc<Context>>> = vec![None; all.len()];
    let mut case_when: Vec<Option<Arc<Context>>> = vec![None; all.len()];
    let mut case_message: Vec<Option<Arc<str>>> = vec![None; all.len()];
    for case in f.cases {
        l.non_empty(&case.patterns, "forbid.cases.patterns")?;
        let found = l.patterns(&case.patterns, options)?;
        let unless = l.context(case.unless)?.map(Arc::new);
        let when = l.context(case.when)?.map(Arc::new);
        let message = match case.message {
            Some(m) => {
                l.placeholders(&m, PLACEHOLDERS, "forbid")?;
                Some(Arc::from(m.value.trim()))
            }
            None => None,
        };
        case_unless.extend(std::iter::repeat_n(unless, found.len()));
        case_when.extend(std::iter::repeat_n(when, found.len()));
        case_message.extend(std::iter::repeat_n(message, found.len()));
        all.extend(found);
    }
    let subject = f
        .subject
        .map(|s| {
            l.placeholders(&s.message, PLACEHOLDERS, "forbid")?;
            Ok::<_, RuleError>(Subject {
                sections: l.patterns(&s.sections, MatchOptions::default())?,
                severity: s.severity,
                message: s.message.value.trim().to_string(),
            })
        })
        .transpose()?;
    let extend_over = match &f.extend_over {
        Some(x) => {
            let regex = Arc::new(OnceLock::new());
            if l.eager() {
                let built = Extension::build(&x.value)
                    .map_err(|e| l.error_at(&x.referenced, format!("invalid `extend-over` pattern: {e}")))?;
                let _ = regex.set(Some(built));
            }
            Some(Extension { source: x.value.clone(), regex })
        }
        None => None,
    };
    Ok(Forbid {
        patterns: all,
        case_unless,
        case_when,
        case_message,
        unless: l.context(f.unless)?,
        when: l.context(f.when)?,
        except_in_sections: l.patterns(&f.except_in_sections, MatchOptions::default())?,
        subject,
        extend_over,
    })
}

impl Forbid {
    pub(super) fn primary_patterns(&self) -> Vec<&Pattern> {
        self.patterns.iter().collect()
    }

    pub(super) fn context_patterns(&self) -> Vec<&Pattern> {
        let cases = self.case_unless.iter().chain(&self.case_when).flatten().map(|c| &**c);
        around(cases.chain(&self.unless).chain(&self.when), None)
    }

    pub(super) fn explained_patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub(super) fn run(&self, r: &Run) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // Each applicable document's matches, searched once for the subject and the findings.
        let matched: Vec<Matched> =
            r.applicable().map(|(di, doc)| (di, doc, r.matches(di, &self.patterns))).collect();
        let subject_terms = self.subject.as_ref().map(|s| subject_terms(&matched, s)).unwrap_or_default();
        for (di, doc, matches) in matched {
            let excepted = matching_sections(doc, &self.except_in_sections);
            let mut found: Vec<Range<usize>> = Vec::new();
            // Matches of the cases that have a message of their own, by message.
            let mut own: Vec<(&str, Vec<Range<usize>>)> = Vec::new();
            for (m, pattern) in matches {
                if excepted.iter().any(|r| r.contains(&m.start)) {
                    continue;
                }
                if r.holds(self.case_unless.get(pattern).and_then(|c| c.as_deref()), di, m.start) {
                    continue;
                }
                let term = doc.norm.as_str()[m.clone()].to_lowercase();
                if subject_terms
                    .iter()
                    .any(|(t, _, _)| term.contains(t.as_str()) || t.contains(term.as_str()))
                {
                    continue;
                }
                let when = self.case_when.get(pattern).and_then(|c| c.as_deref()).or(self.when.as_ref());
                if when.is_some() && !r.holds(when, di, m.start) {
                    continue;
                }
                if r.holds(self.unless.as_ref(), di, m.start) {
                    continue;
                }
                match self.case_message.get(pattern).and_then(|c| c.as_deref()) {
                    Some(message) => match own.iter_mut().find(|(t, _)| *t == message) {
                        Some((_, ranges)) => ranges.push(m),
                        None => own.push((message, vec![m])),
                    },
                    None => found.push(m),
                }
            }
            if let Some(x) = self.extend_over.as_ref() {
                let text = doc.norm.as_str();
                for m in &mut found {
                    // Looking from the match's end, as if the text began there.
                    if let Some(more) = x.reach(&text[m.end..]) {
                        m.end += more;
                    }
                }
            }
            out.extend(enumerations(doc, found).into_iter().map(|m| r.diagnostic(doc, m, &[])));
            for (message, ranges) in own {
                for m in enumerations(doc, ranges) {
                    let mut d = r.diagnostic(doc, m, &[]);
                    d.message = fill(message, &[("match", &d.matched)]);
                    d.fix = None;
                    out.push(d);
                }
            }
        }
        if let Some(subject) = &self.subject {
            for (_, di, m) in subject_terms {
                let mut d = r.diagnostic(&r.view.docs[di], m, &[]);
                d.severity = subject.severity;
                d.message = fill(&subject.message, &[("match", &d.matched)]);
                d.fix = None;
                d.clause = None;
                out.push(d);
            }
        }
        out
    }
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
/// An applicable document of the dossier (its index, itself) and the
/// matches of a check's patterns in it, with the index of each one's pattern.
type Matched<'a> = (usize, &'a Document, Vec<(Range<usize>, usize)>);

fn subject_terms(matched: &[Matched], subject: &Subject) -> Vec<(String, usize, Range<usize>)> {
    let mut terms: Vec<(String, usize, Range<usize>)> = Vec::new();
    for (di, doc, matches) in matched {
        // Where the subject is stated: the title, and the first paragraph of
        // a section such as « Objet » (its first words say what is bought).
        let mut places: Vec<Range<usize>> = first_paragraphs(doc, &subject.sections);
        places.extend(doc.title());
        for (m, _) in matches {
            let term = doc.norm.as_str()[m.clone()].to_lowercase();
            if places.iter().any(|p| p.contains(&m.start)) && !terms.iter().any(|(t, _, _)| *t == term) {
                terms.push((term, *di, m.clone()));
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::Extension;
    use std::sync::{Arc, OnceLock};

    fn extension(source: &str) -> Extension {
        Extension { source: source.to_string(), regex: Arc::new(OnceLock::new()) }
    }

    /// A model designation after a brand extends the finding, wherever the
    /// text goes on (a non-ASCII letter beside the pattern's `\b` makes the
    /// lazy DFA give up: the PikeVM answers the same).
    #[test]
    fn an_extension_reaches_over_the_model_designation() {
        let source = r"(?:\s(?:\p{Lu}{2,6}\b|\p{Lu}?\d(?:[\p{L}\d.\-/]*[\p{L}\d])?)){1,2}";
        let x = extension(source);
        assert_eq!(x.reach(" GGK conformes"), Some(4));
        assert_eq!(x.reach(" 11 Pro"), Some(3));
        let full = regex::Regex::new(&format!("^(?:{source})")).unwrap();
        for text in [" GGK équipées", " GGK, ÉCO", " B6.7 ÉCO", " ÉTÉ 2024", " fenêtres", " ÀB"] {
            assert_eq!(x.reach(text), full.find(text).map(|m| m.end()), "{text:?}");
        }
    }

    /// An invalid pattern is refused with an error that quotes it as written.
    #[test]
    fn an_invalid_extension_is_refused_as_written() {
        let err = Extension::build(r"\s(\p{Lu}").err().unwrap_or_default();
        assert!(err.contains(r"\s(\p{Lu}") && err.contains("unclosed group"), "{err}");
    }
}
