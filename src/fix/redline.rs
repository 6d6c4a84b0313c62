//! The DOCX redline: each fix becomes a tracked change authored
//! « clausier » (`w:del` then `w:ins`), with a Word comment that cites the
//! rule and its legal basis, in a copy of the package where every member
//! but the edited ones is copied byte for byte (compressed data included).
//!
//! `word/document.xml` is spliced, not re-serialised: only the runs an edit
//! cuts are rewritten (each piece keeps the run's properties), clauses are
//! new paragraphs after the body element that holds the anchor paragraph,
//! and every other byte of the part stays as it was.

use super::{clause_section, placement, Action, Placement, Planned};
use crate::document::docx;
use crate::document::layout::{max_id_of, Paragraph, Run, Segment};
use crate::document::package::Limits;
use crate::document::xml::{self, Handler};
use crate::document::{BlockKind, Document, Language, ReadError};
use quick_xml::escape::escape;
use quick_xml::events::BytesStart;
use std::collections::BTreeMap;
use std::ops::Range;

/// The author of every tracked change and comment.
pub const AUTHOR: &str = "clausier";
const WORDML: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MAIN: &str = "word/document.xml";
const COMMENTS: &str = "word/comments.xml";
const RELS: &str = "word/_rels/document.xml.rels";
const TYPES: &str = "[Content_Types].xml";

/// A redlined copy of a DOCX package.
#[derive(Debug)]
pub struct Redline {
    /// The new package.
    pub bytes: Vec<u8>,
    /// Changes made.
    pub applied: usize,
    /// Findings whose fix could not be placed, and why.
    pub skipped: Vec<String>,
}

/// The DOCX document `doc`, read from `source`, with the `planned` fixes
/// of its findings as tracked changes. Nothing is read again but the parts
/// the redline edits besides the main one (comments, relationships, types).
pub fn redline(
    doc: &Document,
    source: docx::Source,
    planned: &[Planned],
    limits: Limits,
) -> Result<Redline, ReadError> {
    let docx::Source { package: mut pkg, main, traces, layout: index } = source;
    if !index.has_body {
        return Err(ReadError::Corrupt(format!("{MAIN} has no w:body")));
    }
    let comments = pkg.read(COMMENTS)?;
    let w = index.prefix.clone().ok_or_else(|| {
        ReadError::Corrupt(format!("{MAIN} does not declare the WordprocessingML namespace with a prefix"))
    })?;
    let mut ids = index.max_id.max(comments.as_deref().map_or(Ok(0), |c| max_id(c, COMMENTS, limits))?) + 1;
    let mut next_id = || {
        ids += 1;
        ids - 1
    };
    let date = date();
    let mut out = Splices::default();
    let mut notes: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    let mut applied = 0;

    // Replacements, grouped by the runs they cut.
    let mut cuts: BTreeMap<usize, Vec<Cut>> = BTreeMap::new();
    let mut taken: Vec<(usize, Range<usize>)> = Vec::new();
    for p in planned {
        let Action::Replace(new) = &p.action else { continue };
        let d = p.diagnostic;
        let located = traces.iter().find_map(|t| t.locate(&d.span));
        let Some((para, range)) = located else {
            skipped.push(format!("{}: {}: not in the main text", d.rule, d.matched));
            continue;
        };
        let Some(info) = index.paragraphs.get(para) else { continue };
        let old = &info.text[range.clone()];
        let (keep_start, keep_end) = common_words(old, new);
        let range = range.start + keep_start..range.end - keep_end;
        let new = &new[keep_start..new.len() - keep_end];
        if taken.iter().any(|(q, r)| {
            *q == para && r.start < range.end.max(range.start + 1) && range.start < r.end.max(r.start + 1)
        }) {
            continue;
        }
        let Some(runs) = info.editable(&range, &index.runs) else {
            skipped.push(format!("{}: {}: the text spans a field, a tab or a drawing", d.rule, d.matched));
            continue;
        };
        taken.push((para, range.clone()));
        let change = Change { ins: next_id(), del: next_id(), comment: next_id() };
        notes.push(comment(&w, change.comment, d, &date));
        let last = runs.len() - 1;
        for (i, (run, offset)) in runs.into_iter().enumerate() {
            let len = index.runs[run].text.len();
            let local =
                range.start.saturating_sub(offset).min(len)..range.end.saturating_sub(offset).min(len);
            cuts.entry(run).or_default().push(Cut {
                local,
                first: i == 0,
                insert: (i == last).then(|| new.to_string()),
                change,
            });
        }
        applied += 1;
    }
    for (run, mut list) in cuts {
        list.sort_by_key(|c| (c.local.start, c.local.end));
        let r = &index.runs[run];
        out.replace(r.range.clone(), r.rewrite(&main, &w, &list, &date));
    }

    // Clauses: new paragraphs after the body element that holds the anchor.
    let mut inserted: Vec<(usize, String)> = Vec::new();
    let written = super::Written::of(doc);
    for p in planned {
        let Action::Clause(clause) = &p.action else { continue };
        if written.has_clause(clause) {
            continue;
        }
        let d = p.diagnostic;
        let (at, text, style) = match placement(doc, d.span.start) {
            Placement::After(offset) => {
                let para = traces
                    .iter()
                    .find(|t| t.line.start < offset && offset <= t.line.end)
                    .and_then(|t| t.locate(&(offset..offset)))
                    .and_then(|(para, _)| index.paragraphs.get(para));
                // The clause takes the style of the body text it follows
                // (not of a heading or a list item).
                let body = doc.blocks.iter().any(|b| b.span.end == offset && b.kind == BlockKind::Paragraph);
                match para {
                    Some(p) if p.after != usize::MAX => {
                        (p.after, clause.clone(), p.style.clone().filter(|_| body))
                    }
                    _ => (index.body_end, clause_section(clause, 2, &d.title), None),
                }
            }
            Placement::NewSection(level) => (index.body_end, clause_section(clause, level, &d.title), None),
        };
        if inserted.iter().any(|(a, t)| *a == at && *t == text) {
            continue;
        }
        inserted.push((at, text.clone()));
        let change = Change { ins: next_id(), del: 0, comment: next_id() };
        notes.push(comment(&w, change.comment, d, &date));
        out.insert(at, clause_paragraphs(&w, &text, style.as_deref(), change, &mut next_id, &date));
        applied += 1;
    }

    let mut edited: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    edited.insert(MAIN, out.apply(main.as_bytes()));
    if !notes.is_empty() {
        match &comments {
            Some(xml) => {
                edited.insert(COMMENTS, append_to_root(xml, COMMENTS, &notes.concat(), limits)?);
            }
            None => {
                let part = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<{w}:comments xmlns:{w}=\"{WORDML}\">{}</{w}:comments>",
                    notes.concat()
                );
                edited.insert(COMMENTS, part.into_bytes());
                let rels = pkg.read(RELS)?.ok_or_else(|| ReadError::Corrupt(format!("no {RELS}")))?;
                let rel = "<Relationship Id=\"rIdClausierComments\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>";
                edited.insert(RELS, append_to_root(&rels, RELS, rel, limits)?);
                let types = pkg.read(TYPES)?.ok_or_else(|| ReadError::Corrupt(format!("no {TYPES}")))?;
                let over = "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/>";
                edited.insert(TYPES, append_to_root(&types, TYPES, over, limits)?);
            }
        }
    }
    let bytes = pkg.repack(edited)?;
    Ok(Redline { bytes, applied, skipped })
}

/// The ids of one change: its insertion, its deletion and its comment.
#[derive(Debug, Clone, Copy)]
struct Change {
    ins: u64,
    del: u64,
    comment: u64,
}

/// The part of an edit that falls in one run.
#[derive(Debug)]
struct Cut {
    /// Byte range of the run's text deleted (empty for a pure insertion).
    local: Range<usize>,
    /// The edit starts in this run: the comment opens here.
    first: bool,
    /// The edit ends in this run: its new text, inserted after the cut.
    insert: Option<String>,
    change: Change,
}

/// How many bytes at the start and at the end of `old` the replacement
/// `new` keeps, cut at word boundaries, so that « Excel » → « Excel ou
/// équivalent » is an insertion and not a deletion plus an insertion.
fn common_words(old: &str, new: &str) -> (usize, usize) {
    // Whole characters: « Réglement » and « Règlement » share « R », not
    // the first byte of « é ».
    let same = |(a, b): &(char, char)| a == b;
    let prefix: usize = old.chars().zip(new.chars()).take_while(same).map(|(a, _)| a.len_utf8()).sum();
    let start = if prefix == old.len() && new[prefix..].starts_with(char::is_whitespace) {
        prefix
    } else {
        old[..prefix].rfind(char::is_whitespace).map_or(0, |i| i + 1)
    };
    let (old_rest, new_rest) = (&old[start..], &new[start..]);
    let suffix: usize =
        old_rest.chars().rev().zip(new_rest.chars().rev()).take_while(same).map(|(a, _)| a.len_utf8()).sum();
    let end =
        if suffix == old_rest.len() && new_rest[..new_rest.len() - suffix].ends_with(char::is_whitespace) {
            suffix
        } else {
            old_rest[old_rest.len() - suffix..].find(char::is_whitespace).map_or(0, |i| suffix - i)
        };
    (start, end)
}

impl Run {
    /// The run cut by `cuts`: kept pieces as runs, deleted pieces in
    /// `w:del`, new text in `w:ins`, each with this run's properties.
    fn rewrite(&self, xml: &str, w: &str, cuts: &[Cut], date: &str) -> String {
        let open = &xml[self.open.clone()];
        let props = self.properties.clone().map_or("", |r| &xml[r]);
        let run = |tag: &str, text: &str| {
            format!("{open}{props}<{w}:{tag} xml:space=\"preserve\">{}</{w}:{tag}></{w}:r>", escape(text))
        };
        let mut out = String::new();
        let mut at = 0;
        for cut in cuts {
            let start = cut.local.start.max(at);
            if start > at {
                out.push_str(&run("t", &self.text[at..start]));
            }
            if cut.first {
                out.push_str(&format!("<{w}:commentRangeStart {w}:id=\"{}\"/>", cut.change.comment));
            }
            if cut.local.end > start {
                out.push_str(&format!(
                    "<{w}:del {w}:id=\"{}\" {w}:author=\"{AUTHOR}\" {w}:date=\"{date}\">{}</{w}:del>",
                    cut.change.del,
                    run("delText", &self.text[start..cut.local.end])
                ));
            }
            if let Some(text) = &cut.insert {
                if !text.is_empty() {
                    out.push_str(&format!(
                        "<{w}:ins {w}:id=\"{}\" {w}:author=\"{AUTHOR}\" {w}:date=\"{date}\">{}</{w}:ins>",
                        cut.change.ins,
                        run("t", text)
                    ));
                }
                out.push_str(&comment_end(w, cut.change.comment));
            }
            at = cut.local.end.max(at);
        }
        if at < self.text.len() {
            out.push_str(&run("t", &self.text[at..]));
        }
        out
    }
}

impl Paragraph {
    /// The runs (and their text's offset in the paragraph) that `range`
    /// covers, when all of them can be cut; for an empty range, the run it
    /// ends or starts.
    fn editable(&self, range: &Range<usize>, runs: &[Run]) -> Option<Vec<(usize, usize)>> {
        let touched: Vec<&Segment> = if range.is_empty() {
            let before =
                self.segments.iter().find(|s| s.range.start < range.start && range.start <= s.range.end);
            let after =
                self.segments.iter().find(|s| s.range.start <= range.start && range.start < s.range.end);
            vec![before.or(after)?]
        } else {
            self.segments.iter().filter(|s| s.range.start < range.end && range.start < s.range.end).collect()
        };
        let mut out: Vec<(usize, usize)> = Vec::new();
        for s in touched {
            let run = s.run.filter(|r| runs[*r].simple)?;
            // A run's text is one segment unless something else splits it.
            if out.iter().any(|(r, _)| *r == run) {
                return None;
            }
            out.push((run, s.range.start));
        }
        (!out.is_empty()).then_some(out)
    }
}

/// The largest numeric `id` attribute in `xml` (member `part`).
fn max_id(xml: &str, part: &str, limits: Limits) -> Result<u64, ReadError> {
    struct H(u64);
    impl Handler for H {
        fn open(&mut self, _: &[u8], e: &BytesStart, _: bool) {
            self.0 = self.0.max(max_id_of(e));
        }
        fn close(&mut self, _: &[u8]) {}
        fn text(&mut self, _: &str) {}
    }
    let mut h = H(0);
    xml::walk(xml, part, limits.max_xml_depth, &mut h)?;
    Ok(h.0)
}

/// `xml` (member `part`) with `text` added at the end of its root element.
fn append_to_root(xml: &str, part: &str, text: &str, limits: Limits) -> Result<Vec<u8>, ReadError> {
    #[derive(Default)]
    struct H {
        span: Range<usize>,
        depth: usize,
        name: String,
        end: Option<Range<usize>>,
    }
    impl Handler for H {
        fn span(&mut self, start: usize, end: usize) {
            self.span = start..end;
        }
        fn open(&mut self, _: &[u8], e: &BytesStart, _: bool) {
            if self.depth == 0 {
                self.name = e.name().as_ref().to_string();
            }
            self.depth += 1;
        }
        fn close(&mut self, _: &[u8]) {
            self.depth -= 1;
            if self.depth == 0 {
                self.end = Some(self.span.clone());
            }
        }
        fn text(&mut self, _: &str) {}
    }
    let mut h = H::default();
    xml::walk(xml, part, limits.max_xml_depth, &mut h)?;
    let end = h.end.ok_or_else(|| ReadError::Corrupt(format!("{part} has no root element")))?;
    let tag = &xml[end.clone()];
    let mut out = Vec::with_capacity(xml.len() + text.len());
    if tag.starts_with("</") {
        out.extend_from_slice(&xml.as_bytes()[..end.start]);
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(&xml.as_bytes()[end.start..]);
    } else {
        // `<root …/>`: open it to put something in.
        let body = tag.trim_end().trim_end_matches("/>");
        out.extend_from_slice(&xml.as_bytes()[..end.start]);
        out.extend_from_slice(format!("{body}>{text}</{}>", h.name).as_bytes());
        out.extend_from_slice(&xml.as_bytes()[end.end..]);
    }
    Ok(out)
}

/// Replacements and insertions at byte offsets of one part.
#[derive(Default)]
struct Splices(Vec<(Range<usize>, String)>);

impl Splices {
    fn replace(&mut self, range: Range<usize>, text: String) {
        self.0.push((range, text));
    }

    fn insert(&mut self, at: usize, text: String) {
        self.0.push((at..at, text));
    }

    fn apply(mut self, source: &[u8]) -> Vec<u8> {
        // Stable: insertions at one place keep the order they were made in.
        self.0.sort_by_key(|(r, _)| r.start);
        let mut out = Vec::with_capacity(source.len());
        let mut at = 0;
        for (range, text) in self.0 {
            out.extend_from_slice(&source[at..range.start]);
            out.extend_from_slice(text.as_bytes());
            at = range.end;
        }
        out.extend_from_slice(&source[at..]);
        out
    }
}

fn comment_end(w: &str, id: u64) -> String {
    format!("<{w}:commentRangeEnd {w}:id=\"{id}\"/><{w}:r><{w}:commentReference {w}:id=\"{id}\"/></{w}:r>")
}

/// The Word comment of a change: the finding, then its legal basis.
fn comment(w: &str, id: u64, d: &crate::diagnostic::Diagnostic, date: &str) -> String {
    let label = match d.language {
        Language::Fr => "Base légale : ",
        Language::En => "Legal basis: ",
    };
    let mut paragraphs = vec![format!("[{}] {}", d.rule, d.message)];
    // Each basis a paragraph, its quote a paragraph of its own.
    for l in d.legal_basis.iter() {
        for (i, line) in l.plain().lines().enumerate() {
            paragraphs.push(if i == 0 { format!("{label}{line}") } else { line.to_string() });
        }
    }
    let body: String = paragraphs
        .iter()
        .map(|p| {
            format!(
                "<{w}:p><{w}:r><{w}:t xml:space=\"preserve\">{}</{w}:t></{w}:r></{w}:p>",
                escape(p.as_str())
            )
        })
        .collect();
    format!("<{w}:comment {w}:id=\"{id}\" {w}:author=\"{AUTHOR}\" {w}:date=\"{date}\" {w}:initials=\"cl\">{body}</{w}:comment>")
}

/// A Markdown clause as inserted paragraphs: each paragraph mark and each
/// run tracked as inserted, bold and italic kept, the comment around all.
fn clause_paragraphs(
    w: &str,
    markdown: &str,
    style: Option<&str>,
    change: Change,
    next_id: &mut impl FnMut() -> u64,
    date: &str,
) -> String {
    let paragraphs = super::inline_paragraphs(markdown);
    let last = paragraphs.len().saturating_sub(1);
    let style = style.map_or(String::new(), |s| format!("<{w}:pStyle {w}:val=\"{}\"/>", escape(s)));
    let mut out = String::new();
    for (i, runs) in paragraphs.iter().enumerate() {
        let mark = next_id();
        out.push_str(&format!(
            "<{w}:p><{w}:pPr>{style}<{w}:rPr><{w}:ins {w}:id=\"{mark}\" {w}:author=\"{AUTHOR}\" {w}:date=\"{date}\"/></{w}:rPr></{w}:pPr>"
        ));
        if i == 0 {
            out.push_str(&format!("<{w}:commentRangeStart {w}:id=\"{}\"/>", change.comment));
        }
        let id = if i == 0 { change.ins } else { next_id() };
        out.push_str(&format!("<{w}:ins {w}:id=\"{id}\" {w}:author=\"{AUTHOR}\" {w}:date=\"{date}\">"));
        for run in runs {
            let props = match (run.bold, run.italic) {
                (false, false) => String::new(),
                (b, i) => format!(
                    "<{w}:rPr>{}{}</{w}:rPr>",
                    if b { format!("<{w}:b/>") } else { String::new() },
                    if i { format!("<{w}:i/>") } else { String::new() }
                ),
            };
            out.push_str(&format!(
                "<{w}:r>{props}<{w}:t xml:space=\"preserve\">{}</{w}:t></{w}:r>",
                escape(run.text.as_str())
            ));
        }
        out.push_str(&format!("</{w}:ins>"));
        if i == last {
            out.push_str(&comment_end(w, change.comment));
        }
        out.push_str(&format!("</{w}:p>"));
    }
    out
}

/// The date of the changes, ISO 8601 in UTC: now, or `SOURCE_DATE_EPOCH`
/// when set, for reproducible output.
fn date() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s))
        .unwrap_or_else(std::time::SystemTime::now);
    humantime::format_rfc3339_seconds(now).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words kept before and after the change.
    fn kept<'a>(old: &'a str, new: &str) -> (&'a str, &'a str) {
        let (start, end) = common_words(old, new);
        (&old[..start], &old[old.len() - end..])
    }

    #[test]
    fn replacements_keep_the_words_they_share() {
        assert_eq!(kept("Excel", "Excel ou équivalent"), ("Excel", ""));
        assert_eq!(kept("arrêté du 16 septembre 2009", "arrêté du 30 mars 2021"), ("arrêté du ", ""));
        assert_eq!(kept("CCAG-TIC de 2009", "CCAG-TIC de 2021"), ("CCAG-TIC de ", ""));
        assert_eq!(kept("abc", "xyz"), ("", ""));
        assert_eq!(kept("en Word seul", "en Word ou équivalent seul"), ("en Word ", "seul"));
        assert_eq!(kept("format Word", "format ODF ou Word"), ("format ", "Word"));
    }

    #[test]
    fn accented_letters_are_compared_whole() {
        // « é » and « è » share their first byte: no cut inside a letter.
        assert_eq!(kept("Réglement", "Règlement"), ("", ""));
        assert_eq!(
            kept("le Réglement de la consultation", "le Règlement de la consultation"),
            ("le ", " de la consultation")
        );
        assert_eq!(kept("données", "donnéès"), ("", ""));
    }
}
