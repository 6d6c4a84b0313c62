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
use crate::document::package::Limits;
use crate::document::xml::{self, attr, Handler};
use crate::document::{BlockKind, Language, ReadError};
use quick_xml::escape::escape;
use quick_xml::events::BytesStart;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::ops::Range;
use std::path::PathBuf;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

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

/// The package `source` (read as `path`) with the `planned` fixes of its
/// findings as tracked changes.
pub fn redline(
    path: PathBuf,
    source: &[u8],
    planned: &[Planned],
    limits: Limits,
) -> Result<Redline, ReadError> {
    let (doc, traces) = docx::read_traced(path, source.to_vec(), limits)?;
    let mut pkg = crate::document::package::Package::open(source.to_vec(), limits)?;
    let main = pkg.read(MAIN)?.ok_or_else(|| ReadError::Corrupt(format!("no {MAIN}")))?;
    let comments = pkg.read(COMMENTS)?;
    let index = Index::of(&main, limits)?;
    let w = index.prefix.clone().ok_or_else(|| {
        ReadError::Corrupt(format!("{MAIN} does not declare the WordprocessingML namespace with a prefix"))
    })?;
    let mut ids = index.max_id.max(comments.as_deref().map_or(Ok(0), |c| max_id(c, limits))?) + 1;
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
    let written = super::Written::of(&doc);
    for p in planned {
        let Action::Clause(clause) = &p.action else { continue };
        if written.has_clause(clause) {
            continue;
        }
        let d = p.diagnostic;
        let (at, text, style) = match placement(&doc, d.span.start) {
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
    let bytes =
        repack(source, edited).map_err(|e| ReadError::Corrupt(format!("cannot write the package ({e})")))?;
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

/// A run of `word/document.xml`.
#[derive(Debug, Default)]
struct Run {
    /// The whole `<w:r>…</w:r>` element.
    range: Range<usize>,
    /// Its start tag.
    open: Range<usize>,
    /// Its `w:rPr` element.
    properties: Option<Range<usize>>,
    /// Its text, unescaped.
    text: String,
    /// The paragraph it is in.
    para: Option<usize>,
    /// Only properties and text in it (and only text that counts), in a
    /// paragraph or a hyperlink: it can be cut and rebuilt.
    simple: bool,
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

/// A stretch of a paragraph's text, and the run it comes from when it is
/// text of a run of that paragraph.
#[derive(Debug)]
struct Segment {
    range: Range<usize>,
    run: Option<usize>,
}

/// A paragraph of `word/document.xml`, as the reader sees its text.
#[derive(Debug)]
struct Paragraph {
    text: String,
    segments: Vec<Segment>,
    /// Byte offset just after the body element that holds it.
    after: usize,
    /// Its paragraph style.
    style: Option<String>,
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

/// What the redline needs to know of `word/document.xml`.
#[derive(Debug, Default)]
struct Index {
    prefix: Option<String>,
    runs: Vec<Run>,
    paragraphs: Vec<Paragraph>,
    /// Where new sections go: before the body's `w:sectPr`, else at its end.
    body_end: usize,
    max_id: u64,
}

/// The walk that builds an [`Index`], mirroring the DOCX reader's rules
/// for what text counts, so that paragraph ordinals and offsets agree.
#[derive(Default)]
struct Indexer {
    index: Index,
    span: Range<usize>,
    names: Vec<Vec<u8>>,
    paras: Vec<usize>,
    open_runs: Vec<(usize, usize)>,
    in_ppr: usize,
    in_text: bool,
    deleted: usize,
    fallback: usize,
    body_depth: Option<usize>,
    body_child: Option<usize>,
    sect_pr: Option<usize>,
}

impl Indexer {
    fn counts(&self) -> bool {
        self.deleted == 0 && self.fallback == 0
    }

    /// Text that the reader adds to the innermost paragraph: run text
    /// (`w:t`), or a character standing for a tab, a break or a hyphen.
    fn push(&mut self, text: &str, run_text: bool) {
        let Some(&para) = self.paras.last() else { return };
        if !self.counts() {
            return;
        }
        let run = self.open_runs.last().map(|(r, _)| *r).filter(|r| self.index.runs[*r].para == Some(para));
        if let Some(r) = run {
            if run_text {
                self.index.runs[r].text.push_str(text);
            } else {
                self.index.runs[r].simple = false;
            }
        }
        let run = run.filter(|_| run_text);
        let p = &mut self.index.paragraphs[para];
        let start = p.text.len();
        p.text.push_str(text);
        match p.segments.last_mut() {
            Some(last) if run.is_some() && last.run == run && last.range.end == start => {
                last.range.end = p.text.len();
            }
            _ => p.segments.push(Segment { range: start..p.text.len(), run }),
        }
    }
}

impl Handler for Indexer {
    fn span(&mut self, start: usize, end: usize) {
        self.span = start..end;
    }

    fn open(&mut self, name: &[u8], e: &BytesStart, empty: bool) {
        if self.names.is_empty() {
            self.index.prefix = namespace_prefix(e);
        }
        for a in e.attributes().flatten() {
            if a.key.local_name().as_ref() == "id" {
                let value = a.value.parse::<u64>().ok();
                self.index.max_id = self.index.max_id.max(value.unwrap_or(0));
            }
        }
        let parent = self.names.last().cloned();
        self.names.push(name.to_vec());
        let depth = self.names.len();
        if let Some(&(run, run_depth)) = self.open_runs.last() {
            if depth == run_depth + 1 {
                match name {
                    b"rPr" => self.index.runs[run].properties = Some(self.span.clone()),
                    b"t" | b"lastRenderedPageBreak" => {}
                    _ => self.index.runs[run].simple = false,
                }
            }
        }
        if parent.as_deref() == Some(b"body") {
            self.body_child = Some(self.index.paragraphs.len());
            if name == b"sectPr" {
                self.sect_pr = Some(self.span.start);
            }
        }
        match name {
            b"body" => self.body_depth = Some(depth),
            b"p" => {
                self.paras.push(self.index.paragraphs.len());
                self.index.paragraphs.push(Paragraph {
                    text: String::new(),
                    segments: Vec::new(),
                    after: usize::MAX,
                    style: None,
                });
            }
            b"pPr" if !empty => self.in_ppr += 1,
            b"pStyle" if self.in_ppr > 0 => {
                if let Some(&p) = self.paras.last() {
                    self.index.paragraphs[p].style = attr(e, b"val");
                }
            }
            b"t" => self.in_text = !empty,
            b"tab" | b"br" | b"cr" if self.in_ppr == 0 => self.push(" ", false),
            b"noBreakHyphen" => self.push("-", false),
            b"del" | b"moveFrom" => self.deleted += 1,
            b"Fallback" => self.fallback += 1,
            b"r" => {
                let editable = matches!(parent.as_deref(), Some(b"p" | b"hyperlink"));
                self.index.runs.push(Run {
                    range: self.span.clone(),
                    open: self.span.clone(),
                    simple: editable && !empty && self.counts(),
                    para: self.paras.last().copied(),
                    ..Run::default()
                });
                self.open_runs.push((self.index.runs.len() - 1, depth));
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        let depth = self.names.len();
        self.names.pop();
        if let Some(&(run, run_depth)) = self.open_runs.last() {
            if depth == run_depth + 1 && name == b"rPr" {
                let r = &mut self.index.runs[run];
                r.properties = r.properties.clone().map(|p| p.start..self.span.end);
            }
        }
        if self.body_depth.is_some_and(|b| depth == b + 1) {
            if let Some(first) = self.body_child.take() {
                for p in &mut self.index.paragraphs[first..] {
                    p.after = self.span.end;
                }
            }
        }
        match name {
            b"body" => self.index.body_end = self.sect_pr.unwrap_or(self.span.start),
            b"p" => {
                self.paras.pop();
            }
            b"pPr" => self.in_ppr = self.in_ppr.saturating_sub(1),
            b"t" => self.in_text = false,
            b"del" | b"moveFrom" => self.deleted = self.deleted.saturating_sub(1),
            b"Fallback" => self.fallback = self.fallback.saturating_sub(1),
            b"r" => {
                if let Some((run, _)) = self.open_runs.pop() {
                    self.index.runs[run].range.end = self.span.end;
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_text {
            self.push(text, true);
        }
    }
}

impl Index {
    fn of(xml: &str, limits: Limits) -> Result<Index, ReadError> {
        let mut h = Indexer::default();
        xml::walk(xml, MAIN, limits.max_xml_depth, &mut h)?;
        if h.body_depth.is_none() {
            return Err(ReadError::Corrupt(format!("{MAIN} has no w:body")));
        }
        Ok(h.index)
    }
}

/// The prefix that the root element `e` binds to WordprocessingML.
fn namespace_prefix(e: &BytesStart) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let prefix = a.key.as_ref().strip_prefix("xmlns:")?;
        (a.value.as_ref() == WORDML).then(|| prefix.to_string())
    })
}

/// The largest numeric `id` attribute in `xml`.
fn max_id(xml: &str, limits: Limits) -> Result<u64, ReadError> {
    let mut h = Indexer::default();
    xml::walk(xml, COMMENTS, limits.max_xml_depth, &mut h)?;
    Ok(h.index.max_id)
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

/// `source` with the members in `edited` replaced (or added), every other
/// member copied raw: same compressed bytes, same order.
fn repack(source: &[u8], mut edited: BTreeMap<&str, Vec<u8>>) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(source))?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        let name = file.name()?.into_owned();
        match edited.remove(name.as_str()) {
            Some(bytes) => {
                drop(file);
                writer.start_file(name, options)?;
                writer.write_all(&bytes)?;
            }
            None => writer.raw_copy_file(file)?,
        }
    }
    for (name, bytes) in edited {
        writer.start_file(name, options)?;
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish()?.into_inner())
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
