//! Applying fixes: replacements (by applicability, as in Ruff) and model
//! clauses, to Markdown and plain text, and as tracked changes to DOCX
//! ([`redline`]); written atomically.

pub mod redline;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::rules::Applicability;
use std::ops::Range;
use std::path::Path;

/// What to apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixOptions {
    /// Apply `review` fixes too (never `display-only` ones).
    pub unsafe_fixes: bool,
    /// Insert the model clause of findings that have no replacement.
    pub insert_clauses: bool,
}

/// A change to a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range replaced (empty for an insertion).
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
}

/// What a finding asks of the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Put this text instead of the finding's span.
    Replace(String),
    /// Insert this model clause (Markdown, placeholders filled).
    Clause(String),
}

/// A fix that the options allow, and the finding it answers.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    /// The finding.
    pub diagnostic: &'a Diagnostic,
    /// What to do.
    pub action: Action,
}

/// The fixes that `options` allow for `diagnostics`. A model clause that
/// answers several findings (a missing data clause and a waiver of it) is
/// inserted once, for the first.
pub fn plan(diagnostics: &[Diagnostic], options: FixOptions) -> Vec<Planned<'_>> {
    let mut out = Vec::new();
    let mut clauses = std::collections::HashSet::new();
    for d in diagnostics {
        let action = match (&d.fix, &d.clause) {
            (Some(fix), _) => {
                let allowed = match fix.applicability {
                    Applicability::Safe => true,
                    Applicability::Review => options.unsafe_fixes,
                    Applicability::DisplayOnly => false,
                };
                allowed.then(|| Action::Replace(fix.replacement.clone()))
            }
            (None, Some(clause)) if options.insert_clauses && clauses.insert(clause.id.clone()) => {
                Some(Action::Clause(clause.text.to_string()))
            }
            _ => None,
        };
        out.extend(action.map(|action| Planned { diagnostic: d, action }));
    }
    out
}

/// Where a model clause goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At this offset: after the last block of the section the finding is
    /// in (the section the rule anchored it to).
    After(usize),
    /// In a new section at the end: no section fits (the finding is on the
    /// document's title, or the document has no headings). The level is
    /// the new heading's.
    NewSection(u8),
}

/// Where the clause of a finding at `offset` goes.
pub fn placement(doc: &Document, offset: usize) -> Placement {
    let block = doc.blocks.iter().position(|b| b.span.start <= offset && offset <= b.span.end);
    let Some(section) = block.and_then(|b| doc.blocks[b].section) else {
        return Placement::NewSection(2);
    };
    let s = &doc.sections[section];
    // The title holds the whole document: a rule that found no section to
    // anchor to reports there, and its clause deserves a section of its own.
    let title = section == 0 && block == Some(s.block) && doc.sections[1..].iter().all(|o| o.level > s.level);
    if title {
        return Placement::NewSection(s.level + 1);
    }
    let end = s.norm.end;
    let after = doc.blocks.iter().filter(|b| b.norm.end <= end).map(|b| b.span.end).max();
    Placement::After(after.unwrap_or(doc.text.len()))
}

/// A clause as a new Markdown section: its bold first line becomes the
/// heading, else `title` does.
pub fn clause_section(clause: &str, level: u8, title: &str) -> String {
    let hashes = "#".repeat(usize::from(level.clamp(1, 6)));
    let (first, rest) = clause.split_once("\n\n").unwrap_or((clause, ""));
    let first = first.trim();
    match first.strip_prefix("**").and_then(|f| f.strip_suffix("**")).filter(|h| !h.contains("**")) {
        Some(heading) => format!("{hashes} {heading}\n\n{}", rest.trim_start()),
        None => format!("{hashes} {title}\n\n{clause}"),
    }
}

/// The text edits of `planned` for a Markdown or text document.
pub fn edits(doc: &Document, planned: &[Planned]) -> Vec<Edit> {
    let written = Written::of(doc);
    planned
        .iter()
        .filter(|p| !matches!(&p.action, Action::Clause(c) if written.has_clause(c)))
        .map(|p| match &p.action {
            Action::Replace(text) => Edit { range: p.diagnostic.span.clone(), text: text.clone() },
            Action::Clause(clause) => match placement(doc, p.diagnostic.span.start) {
                Placement::After(at) => Edit { range: at..at, text: format!("\n\n{clause}") },
                Placement::NewSection(level) => {
                    let at = doc.text.trim_end().len();
                    let section = clause_section(clause, level, &p.diagnostic.title);
                    Edit { range: at..at, text: format!("\n\n{}", section.trim_end()) }
                }
            },
        })
        .collect()
}

/// `text` with `edits` applied; an edit that overlaps an earlier one, or
/// inserts a text already inserted at the same place, is left out.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> (String, usize) {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for e in edits {
        if e.range.start < at || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Writes `text` to `path` through a temporary file in the same folder,
/// renamed over it, keeping its permissions: a reader never sees half a
/// file, and the file is untouched when anything fails.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // A new file gets the permissions any new file gets here (0666 less
    // the umask, as `open(2)` applies it), not the temporary file's 0600;
    // a file replaced keeps its own.
    #[cfg(unix)]
    let mut tmp = {
        use std::os::unix::fs::PermissionsExt;
        tempfile::Builder::new().permissions(std::fs::Permissions::from_mode(0o666)).tempfile_in(dir)?
    };
    #[cfg(not(unix))]
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A stretch of inline text with its emphasis.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// The paragraphs of a Markdown clause (headings, paragraphs and list items
/// alike), as runs of text with their emphasis.
pub(crate) fn inline_paragraphs(markdown: &str) -> Vec<Vec<Inline>> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out: Vec<Vec<Inline>> = Vec::new();
    let (mut bold, mut italic) = (0usize, 0usize);
    let mut open = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item) => open = false,
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if !open {
                    out.push(Vec::new());
                    open = true;
                }
                if let Some(p) = out.last_mut() {
                    p.push(Inline { text: t.into_string(), bold: bold > 0, italic: italic > 0 });
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = out.last_mut().filter(|_| open) {
                    p.push(Inline { text: " ".to_string(), bold: false, italic: false });
                }
            }
            _ => {}
        }
    }
    out
}

/// A document's text with white space collapsed, made once, to ask whether
/// clauses are already in it.
pub struct Written(String);

impl Written {
    /// The text of `doc`.
    pub fn of(doc: &Document) -> Written {
        Written(crate::document::collapse_ws(&doc.text))
    }

    /// Whether the text of `clause` is already there (every paragraph of
    /// it, white space aside): inserting it again would only repeat it.
    pub fn has_clause(&self, clause: &str) -> bool {
        clause_in(&self.0, clause)
    }
}

fn clause_in(text: &str, clause: &str) -> bool {
    if text.contains(&crate::document::collapse_ws(clause)) {
        return true;
    }
    inline_paragraphs(clause).iter().all(|p| {
        let plain: String = p.iter().map(|i| i.text.as_str()).collect();
        text.contains(&crate::document::collapse_ws(&plain))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_and_repeated_edits_are_skipped() {
        let edits = vec![
            Edit { range: 4..8, text: "Word ou équivalent".into() },
            Edit { range: 6..9, text: "x".into() },
            Edit { range: 12..12, text: "+".into() },
            Edit { range: 12..12, text: "+".into() },
        ];
        let (out, n) = apply("Les Word et Excel", edits);
        assert_eq!(out, "Les Word ou équivalent et +Excel");
        assert_eq!(n, 2);
    }

    #[test]
    fn clause_markdown_becomes_runs() {
        let p = inline_paragraphs("**Titre**\n\nLe *titulaire* livre\nles données.\n\n- un\n- deux\n");
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], vec![Inline { text: "Titre".into(), bold: true, italic: false }]);
        let text: String = p[1].iter().map(|i| i.text.as_str()).collect();
        assert_eq!(text, "Le titulaire livre les données.");
        assert!(p[1][1].italic);
    }
}
