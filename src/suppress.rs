//! Inline suppressions and the baseline.
//!
//! In Markdown, HTML comments:
//! `<!-- clausier-disable-next-line rule-id -- reason -->` (the next
//! non-blank line), `<!-- clausier-disable rule-id -->` … `<!-- clausier-enable
//! rule-id -->` (a range; to the end of the file when not closed) and
//! `<!-- clausier-disable-file rule-id -->`. In DOCX and ODT, a comment
//! `clausier-disable rule-id -- reason` on a paragraph silences that
//! paragraph, and `clausier-disable-file rule-id` the whole file. Several ids
//! are separated by commas; no id means every rule. A suppression that
//! silences nothing is reported as `unused-suppression`.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, Format};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::diagnostic::UNUSED_SUPPRESSION;

/// Where a suppression applies, in byte ranges of the document's text.
#[derive(Debug, Clone)]
struct Suppression {
    /// The rules it silences (empty: all).
    rules: Vec<String>,
    /// Where.
    range: Range<usize>,
    /// The comment that wrote it, for `unused-suppression`.
    comment: Range<usize>,
    /// What it says, for messages.
    text: String,
    used: bool,
}

impl Suppression {
    fn covers(&self, d: &Diagnostic) -> bool {
        (self.rules.is_empty() || self.rules.iter().any(|r| **r == *d.rule))
            && self.range.start <= d.span.start
            && d.span.start <= self.range.end
    }
}

/// `clausier-<verb> a, b -- reason` → (verb, ids).
fn parse(comment: &str) -> Option<(&str, Vec<String>)> {
    let rest = comment.trim().strip_prefix("clausier-")?;
    let (verb, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let ids = rest.split("--").next().unwrap_or("");
    let ids = ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    Some((verb, ids))
}

fn collect(doc: &Document) -> Vec<Suppression> {
    let whole = 0..doc.text.len();
    let mut out = Vec::new();
    let mut open: Vec<(Vec<String>, usize, Range<usize>, String)> = Vec::new();
    let office = matches!(doc.format, Format::Docx | Format::Odt);
    for c in &doc.comments {
        let Some((verb, rules)) = parse(&c.text) else { continue };
        let new = |range: Range<usize>| Suppression {
            rules: rules.clone(),
            range,
            comment: c.span.clone(),
            text: c.text.clone(),
            used: false,
        };
        match verb {
            "disable-file" => out.push(new(whole.clone())),
            // An office comment is anchored on its paragraph.
            "disable" | "disable-next-line" if office => out.push(new(c.span.clone())),
            "disable-next-line" => {
                let line = doc.lines.next_filled_line(&doc.text, c.span.end.saturating_sub(1));
                out.push(new(doc.lines.line_range(&doc.text, line)));
            }
            "disable" => open.push((rules, c.span.end, c.span.clone(), c.text.clone())),
            "enable" => {
                // Close the open ranges of these rules (all of them when none is named).
                let (closing, still): (Vec<_>, Vec<_>) = open.into_iter().partition(|(r, ..)| {
                    rules.is_empty() || r.iter().any(|id| rules.contains(id)) || r.is_empty()
                });
                open = still;
                for (r, start, comment, text) in closing {
                    out.push(Suppression {
                        rules: r,
                        range: start..c.span.start,
                        comment,
                        text,
                        used: false,
                    });
                }
            }
            _ => {}
        }
    }
    for (r, start, comment, text) in open {
        out.push(Suppression { rules: r, range: start..doc.text.len(), comment, text, used: false });
    }
    out
}

/// Drops the findings of `doc` that its suppressions silence, and adds an
/// `unused-suppression` finding for each suppression of an `active` rule
/// (or of every rule) that silenced nothing.
pub fn apply(doc: &Document, diagnostics: Vec<Diagnostic>, active: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut suppressions = collect(doc);
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        match suppressions.iter_mut().find(|s| s.covers(&d)) {
            Some(s) => s.used = true,
            None => kept.push(d),
        }
    }
    for s in suppressions.into_iter().filter(|s| !s.used) {
        // A suppression of a rule that did not run cannot be judged.
        if !s.rules.iter().all(|r| active.contains(r)) {
            continue;
        }
        let start = doc.lines.line_col(&doc.text, s.comment.start);
        let end = doc.lines.line_col(&doc.text, s.comment.end);
        let line = doc.lines.line_range(&doc.text, start.line - 1);
        let mut d = Diagnostic::engine(
            &crate::diagnostic::UNUSED_SUPPRESSION_RULE,
            doc.path.clone(),
            format!(
                "« {} » suppresses nothing: remove it, so that it does not hide a future finding.",
                s.text
            ),
        );
        d.span = s.comment.clone();
        d.start = start;
        d.end = end;
        d.snippet = Diagnostic::snippet_of(&doc.text, line, &s.comment);
        d.section = doc
            .blocks
            .iter()
            .find(|b| b.span.start >= s.comment.start)
            .and_then(|b| b.section)
            .map(|i| doc.sections[i].title.as_str().into());
        kept.push(d);
    }
    kept
}

/// One accepted finding of a baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// Rule id.
    pub rule: String,
    /// The file, as given when the baseline was written.
    pub path: String,
    /// Heading of the section, if any.
    pub section: Option<String>,
    /// The words found, white space collapsed.
    pub text: String,
}

impl BaselineEntry {
    /// The entry that `d` would make: no line numbers, so that edits
    /// elsewhere in the file do not bring the finding back.
    pub fn of(d: &Diagnostic) -> BaselineEntry {
        BaselineEntry {
            rule: d.rule.to_string(),
            path: d.path.display().to_string(),
            section: d.section.as_deref().map(str::to_string),
            text: d.matched.clone(),
        }
    }
}

/// A set of accepted findings (`--write-baseline`, `--baseline`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// Accepted findings.
    pub entries: Vec<BaselineEntry>,
}

/// A baseline that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the baseline {path}: {message}")]
pub struct BaselineError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

impl Baseline {
    /// The baseline of every finding in `diagnostics` (`parse-error` excepted).
    pub fn of<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = diagnostics
            .filter(|d| *d.rule != *crate::diagnostic::PARSE_ERROR)
            .map(BaselineEntry::of)
            .collect();
        entries.sort_by(|a, b| (&a.path, &a.rule, &a.text).cmp(&(&b.path, &b.rule, &b.text)));
        Baseline { version: 1, entries }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError { path: path.to_path_buf(), message };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| err(format!("line {}, column {}: {e}", e.line(), e.column())))
    }

    /// Drops the findings the baseline accepts (each entry accepts one), and
    /// returns the entries that matched nothing.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<BaselineEntry> {
        let mut left: Vec<Option<&BaselineEntry>> = self.entries.iter().map(Some).collect();
        diagnostics.retain(|d| {
            let entry = BaselineEntry::of(d);
            match left.iter_mut().find(|e| e.is_some_and(|e| *e == entry)) {
                Some(slot) => {
                    *slot = None;
                    false
                }
                None => true,
            }
        });
        left.into_iter().flatten().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document;

    fn diag(doc: &Document, rule: &str, words: &str) -> Diagnostic {
        let at = doc.text.find(words).unwrap();
        let mut d = Diagnostic::parse_error(doc.path.clone(), "m".into());
        d.rule = rule.into();
        d.span = at..at + words.len();
        // The finding's real place: a suppression aimed at another line
        // must not catch it.
        d.start = doc.lines.line_col(&doc.text, at);
        d.end = doc.lines.line_col(&doc.text, at + words.len());
        d.matched = words.to_string();
        d
    }

    #[test]
    fn markdown_forms() {
        let text = "# T\n\n<!-- clausier-disable-next-line brand -- vu avec le juriste -->\nWord un.\n\nWord deux.\n\n<!-- clausier-disable brand, other -->\nWord trois.\n<!-- clausier-enable brand -->\n\nWord quatre.\n\n<!-- clausier-disable-next-line other -->\nRien.\n";
        let doc = document::parse("a.md".into(), Format::Markdown, text.into()).unwrap();
        let ds =
            ["Word un", "Word deux", "Word trois", "Word quatre"].map(|w| diag(&doc, "brand", w)).to_vec();
        let active = BTreeSet::from(["brand".to_string(), "other".to_string()]);
        let kept = apply(&doc, ds, &active);
        let kept: Vec<(&str, usize)> = kept.iter().map(|d| (&*d.rule, d.start.line)).collect();
        assert_eq!(kept, vec![("brand", 6), ("brand", 12), ("unused-suppression", 14)]);
    }

    #[test]
    fn next_line_means_the_next_line() {
        // The comment is two lines above the finding: it suppresses nothing.
        let text = "# T\n\n<!-- clausier-disable-next-line brand -->\nRien.\nWord un.\n";
        let doc = document::parse("a.md".into(), Format::Markdown, text.into()).unwrap();
        let active = BTreeSet::from(["brand".to_string()]);
        let kept = apply(&doc, vec![diag(&doc, "brand", "Word un")], &active);
        let kept: Vec<(&str, usize)> = kept.iter().map(|d| (&*d.rule, d.start.line)).collect();
        assert_eq!(kept, vec![("brand", 5), ("unused-suppression", 3)]);
    }

    #[test]
    fn baseline_matches_by_content_not_line() {
        let doc =
            document::parse("a.md".into(), Format::Markdown, "# T\n\nWord.\n\nExcel.\n".into()).unwrap();
        let baseline = Baseline::of([diag(&doc, "brand", "Word")].iter());
        let moved =
            document::parse("a.md".into(), Format::Markdown, "# T\n\nNouveau.\n\nWord.\n\nExcel.\n".into())
                .unwrap();
        let mut ds = vec![diag(&moved, "brand", "Word"), diag(&moved, "brand", "Excel")];
        let stale = baseline.filter(&mut ds);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].matched, "Excel");
        assert!(stale.is_empty());
        let mut none = Vec::new();
        assert_eq!(baseline.filter(&mut none).len(), 1, "an entry that matches nothing is stale");
    }
}
