//! A finding: what rule, where, why, and what to do about it.

use crate::document::lines::LineCol;
use crate::document::Language;
use crate::rules::{Applicability, LegalRef, Severity};
use std::ops::Range;
use std::path::PathBuf;

/// Id of the engine-level rule for inputs that could not be read.
pub const PARSE_ERROR: &str = "parse-error";

/// Id of the engine-level rule for suppressions that suppress nothing.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// A rule of the engine itself: its findings are about the run (a file not
/// read, a suppression that suppresses nothing), not about a clause. Listed
/// by `clausier rules`, documented by `clausier explain` and in SARIF like
/// the rules of the packs.
#[derive(Debug, Clone, Copy)]
pub struct EngineRule {
    /// Stable id.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line title.
    pub title: &'static str,
    /// What it reports and what to do.
    pub explanation: &'static str,
}

/// The rule of files that could not be read.
pub const PARSE_ERROR_RULE: EngineRule = EngineRule {
        id: PARSE_ERROR,
        severity: Severity::Error,
        title: "The file could not be read",
        explanation: "A file given or found could not be read or parsed: it cannot be opened, is not valid UTF-8, is over a configured limit (`limits:`), is encrypted, has no text layer, or its front matter is invalid; or a file has more findings than `max-findings-per-file`. The message says which, and which limit to raise. The other files are still checked. A file that cannot be read is never a clean one, so this rule cannot be ignored.",
};

/// The rule of suppressions that suppress nothing.
pub const UNUSED_SUPPRESSION_RULE: EngineRule = EngineRule {
        id: UNUSED_SUPPRESSION,
        severity: Severity::Warning,
        title: "Suppression that suppresses nothing",
        explanation: "An inline suppression comment (`clausier-disable…`) that suppresses no finding, or a baseline entry that matches nothing any more (reported as info, on the baseline file): remove it, so that it does not hide a future finding. A comment naming a rule that did not run on the file (not selected, ignored, or turned off for that path by `per-path-ignores`) is not reported.",
};

/// The engine's rules.
pub const ENGINE_RULES: [EngineRule; 2] = [PARSE_ERROR_RULE, UNUSED_SUPPRESSION_RULE];

/// The engine rule `id`, if it is one.
pub fn engine_rule(id: &str) -> Option<&'static EngineRule> {
    ENGINE_RULES.iter().find(|r| r.id == id)
}

/// A replacement for the diagnostic's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The text to put instead of the span.
    pub replacement: String,
    /// How safe it is to apply without review.
    pub applicability: Applicability,
}

/// A model clause, placeholders filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseText {
    /// Clause id in the clause library.
    pub id: String,
    /// Its text (shared by every finding that proposes it).
    pub text: std::sync::Arc<str>,
}

/// One finding in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Rule id (shared by the rule's findings).
    pub rule: std::sync::Arc<str>,
    /// Severity.
    pub severity: Severity,
    /// The file, as given.
    pub path: PathBuf,
    /// Byte range in the document's text (empty for a file that could not be read).
    pub span: Range<usize>,
    /// Where the span starts.
    pub start: LineCol,
    /// Where the span ends (exclusive column).
    pub end: LineCol,
    /// Heading of the innermost section (shared by its findings).
    pub section: Option<std::sync::Arc<str>>,
    /// Page, for paginated formats.
    pub page: Option<u32>,
    /// The line the diagnostic starts on.
    pub snippet: String,
    /// What is wrong.
    pub message: String,
    /// Rule title, a short label (shared by the rule's findings).
    pub title: std::sync::Arc<str>,
    /// The rule's explanation (shared with the rule).
    pub explanation: std::sync::Arc<str>,
    /// Legal basis (shared with the rule).
    pub legal_basis: std::sync::Arc<[LegalRef]>,
    /// Replacement, if the rule proposes one.
    pub fix: Option<Fix>,
    /// Model clause to insert, if the rule has one.
    pub clause: Option<ClauseText>,
    /// Language of the message, for the words around it in human output.
    pub language: Language,
    /// The words found, as written (white space collapsed).
    pub matched: String,
}

impl Diagnostic {
    /// A `parse-error` for a file that could not be read or parsed.
    pub fn parse_error(path: PathBuf, message: String) -> Diagnostic {
        Diagnostic::engine(&PARSE_ERROR_RULE, path, message)
    }

    /// A finding of the engine rule `rule` on `path`, at its start.
    pub fn engine(rule: &EngineRule, path: PathBuf, message: String) -> Diagnostic {
        let origin = LineCol { line: 1, column: 1 };
        Diagnostic {
            rule: rule.id.into(),
            severity: rule.severity,
            path,
            span: 0..0,
            start: origin,
            end: origin,
            section: None,
            page: None,
            snippet: String::new(),
            message,
            title: rule.title.into(),
            explanation: std::sync::Arc::from(rule.explanation),
            legal_basis: std::sync::Arc::from([]),
            fix: None,
            clause: None,
            language: Language::En,
            matched: String::new(),
        }
    }

    /// The snippet of a finding at `span` on the line `line` of `text`: the
    /// line, or, for a long one, about 300 bytes of it around the span, so
    /// that a finding on a one-line 50 MB document stays small.
    pub fn snippet_of(text: &str, line: std::ops::Range<usize>, span: &std::ops::Range<usize>) -> String {
        const AROUND: usize = 150;
        let Some(whole) = text.get(line.clone()) else { return String::new() };
        if whole.len() <= 2 * AROUND + 100 {
            return whole.to_string();
        }
        let mut start = span.start.saturating_sub(AROUND).max(line.start);
        let mut end = (span.end.max(span.start) + AROUND).min(line.end);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut out = String::new();
        if start > line.start {
            out.push('…');
        }
        out.push_str(&text[start..end]);
        if end < line.end {
            out.push('…');
        }
        out
    }

    /// Sort key: path, then position, then rule.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &str) {
        (&self.path, self.start.line, self.start.column, &self.rule)
    }
}
