//! Applying fixes: replacements (by applicability, as in Ruff) and model
//! clauses, to Markdown and plain text, written atomically.

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

/// Where a model clause goes: after the last block of the section the
/// finding is in (the section the rule anchored it to), else at the end.
pub fn clause_point(doc: &Document, offset: usize) -> usize {
    let Some(block) = doc.blocks.iter().position(|b| b.span.start <= offset && offset <= b.span.end) else {
        return doc.text.len();
    };
    let Some(section) = doc.blocks[block].section else { return doc.text.len() };
    let end = doc.sections[section].norm.end;
    doc.blocks.iter().filter(|b| b.norm.end <= end).map(|b| b.span.end).max().unwrap_or(doc.text.len())
}

/// The edits that `options` allow for the findings of `doc`.
pub fn edits(doc: &Document, diagnostics: &[Diagnostic], options: FixOptions) -> Vec<Edit> {
    let mut out = Vec::new();
    for d in diagnostics {
        match &d.fix {
            Some(fix) => {
                let allowed = match fix.applicability {
                    Applicability::Safe => true,
                    Applicability::Review => options.unsafe_fixes,
                    Applicability::DisplayOnly => false,
                };
                if allowed {
                    out.push(Edit { range: d.span.clone(), text: fix.replacement.clone() });
                }
            }
            None => {
                if let (true, Some(clause)) = (options.insert_clauses, &d.clause) {
                    let at = clause_point(doc, d.span.start);
                    out.push(Edit { range: at..at, text: format!("\n\n{}", clause.text) });
                }
            }
        }
    }
    out
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
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
}
