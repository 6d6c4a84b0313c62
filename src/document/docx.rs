//! DOCX reader: a streaming walk over the package's XML parts with quick-xml.
//!
//! Body paragraphs in order; headings from paragraph styles (Heading 1,
//! Titre 1, custom styles based on them) and outline levels; numbered
//! paragraphs as list items; each table cell one block; footnotes and
//! endnotes; headers and footers once each; text boxes once (the VML
//! fallback copy Word also writes is skipped); hyperlinks and content
//! controls walked through. Tracked changes: inserted text counts, deleted
//! text does not. Word comments are kept on the paragraph they annotate.

use super::layout::{Layout, Recorder};
use super::package::{Limits, Package};
use super::rendition::{self, Cells, RawBlock, Trace};
use super::xml::{self, attr, Handler};
use super::{BlockKind, Document, Format, ReadError};
use quick_xml::events::BytesStart;
use std::collections::HashMap;
use std::path::PathBuf;

/// Reads the DOCX document in `bytes`.
pub fn read(path: PathBuf, bytes: Vec<u8>, limits: Limits) -> Result<Document, ReadError> {
    read_keeping(path, bytes, limits, false).map(|(doc, _)| doc)
}

/// What the redline needs of a DOCX document besides its text: the
/// package, where each block of the main part (`word/document.xml`) comes
/// from, and the layout of that part. Recorded in the walk that reads the
/// text, never by a walk of its own.
#[derive(Debug, Clone)]
pub struct Source {
    /// The package read.
    pub package: Package,
    /// The text of `word/document.xml`.
    pub main: String,
    /// Where each block of the rendition comes from in the main part.
    pub traces: Vec<Trace>,
    /// Where the text of the main part sits in its bytes.
    pub layout: Layout,
}

/// Reads the DOCX document in `bytes`, keeping what the redline needs.
pub fn read_traced(path: PathBuf, bytes: Vec<u8>, limits: Limits) -> Result<(Document, Source), ReadError> {
    let (doc, source) = read_keeping(path, bytes, limits, true)?;
    let source = source.ok_or_else(|| ReadError::Corrupt("the reader kept no layout (a bug)".into()))?;
    Ok((doc, source))
}

/// Reads the DOCX document in `bytes`, recording what the redline needs
/// when `keep` is set (and only then: checking needs none of it).
fn read_keeping(
    path: PathBuf,
    bytes: Vec<u8>,
    limits: Limits,
    keep: bool,
) -> Result<(Document, Option<Source>), ReadError> {
    let mut pkg = Package::open(bytes, limits)?;
    let main = pkg
        .read("word/document.xml")?
        .ok_or_else(|| ReadError::Corrupt("no word/document.xml: not a DOCX document".to_string()))?;
    let styles = match pkg.read("word/styles.xml")? {
        Some(xml) => Styles::parse(&xml, limits.max_xml_depth)?,
        None => Styles::default(),
    };
    let comments = match pkg.read("word/comments.xml")? {
        Some(xml) => read_comments(&xml, limits.max_xml_depth)?,
        None => HashMap::new(),
    };
    let (mut blocks, layout) = walk_main(&main, &styles, &comments, limits, keep)?;
    for (part, kind) in
        [("word/footnotes.xml", BlockKind::Footnote), ("word/endnotes.xml", BlockKind::Footnote)]
    {
        if let Some(xml) = pkg.read(part)? {
            let notes = walk_part(&xml, part, &styles, &comments, kind, limits)?;
            blocks.extend(notes.into_iter().map(|b| RawBlock { origins: Vec::new(), ..b }));
        }
    }
    let mut running: Vec<String> = pkg
        .names()
        .iter()
        .filter(|n| {
            let n = n.as_str();
            (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
        })
        .cloned()
        .collect();
    running.sort();
    let mut seen: Vec<String> = Vec::new();
    for part in running {
        if let Some(xml) = pkg.read(&part)? {
            for block in walk_part(&xml, &part, &styles, &comments, BlockKind::Paragraph, limits)? {
                // Headers and footers repeat across sections: keep each text once.
                if !seen.contains(&block.text) {
                    seen.push(block.text.clone());
                    blocks.push(RawBlock { kind: BlockKind::Paragraph, origins: Vec::new(), ..block });
                }
            }
        }
    }
    let (doc, traces) = rendition::build_traced(path, Format::Docx, blocks);
    Ok((doc, layout.map(|layout| Source { package: pkg, main, traces, layout })))
}

/// What the style sheet says about a paragraph style.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbered: bool,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml_text: &str, max_depth: usize) -> Result<Styles, ReadError> {
        struct H {
            styles: Styles,
            current: Option<(String, Style)>,
        }
        impl Handler for H {
            fn open(&mut self, name: &[u8], e: &BytesStart, _empty: bool) {
                match name {
                    b"style" => self.current = attr(e, b"styleId").map(|id| (id, Style::default())),
                    b"name" | b"basedOn" | b"outlineLvl" | b"numPr" => {
                        if let Some((_, s)) = &mut self.current {
                            match name {
                                b"name" => s.name = attr(e, b"val").unwrap_or_default(),
                                b"basedOn" => s.based_on = attr(e, b"val"),
                                b"outlineLvl" => s.outline = attr(e, b"val").and_then(|v| v.parse().ok()),
                                _ => s.numbered = true,
                            }
                        }
                    }
                    _ => {}
                }
            }
            fn close(&mut self, name: &[u8]) {
                if name == b"style" {
                    if let Some((id, s)) = self.current.take() {
                        self.styles.by_id.insert(id, s);
                    }
                }
            }
            fn text(&mut self, _: &str) {}
        }
        let mut h = H { styles: Styles::default(), current: None };
        xml::walk(xml_text, "word/styles.xml", max_depth, &mut h)?;
        Ok(h.styles)
    }

    /// The heading level of style `id`, following `basedOn`.
    fn heading_level(&self, id: &str) -> Option<u8> {
        let mut id = id;
        for _ in 0..16 {
            let style = self.by_id.get(id);
            if let Some(level) = style.and_then(|s| s.outline).filter(|l| *l < 9) {
                return Some(level + 1);
            }
            let name = style.map_or(id, |s| s.name.as_str());
            if let Some(level) = level_from_name(name).or_else(|| level_from_name(id)) {
                return Some(level);
            }
            id = style?.based_on.as_deref()?;
        }
        None
    }

    /// Whether style `id` makes list items.
    fn is_list(&self, id: &str) -> bool {
        let style = self.by_id.get(id);
        let name = style.map_or(id, |s| s.name.as_str()).to_lowercase();
        style.is_some_and(|s| s.numbered) || name.contains("list") || name.contains("liste")
    }
}

/// `Heading 2`, `heading2`, `Titre 2`, `Title`… → level.
fn level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase().replace([' ', '_', '-'], "");
    if lower == "title" || lower == "titre" {
        return Some(1);
    }
    let digits =
        ["heading", "titre", "überschrift", "titolo", "título"].iter().find_map(|p| lower.strip_prefix(p))?;
    digits.parse::<u8>().ok().filter(|l| (1..=9).contains(l))
}

fn read_comments(xml_text: &str, max_depth: usize) -> Result<HashMap<String, String>, ReadError> {
    struct H {
        out: HashMap<String, String>,
        current: Option<(String, String)>,
        in_text: bool,
    }
    impl Handler for H {
        fn open(&mut self, name: &[u8], e: &BytesStart, empty: bool) {
            match name {
                b"comment" => self.current = attr(e, b"id").map(|id| (id, String::new())),
                b"t" => self.in_text = !empty,
                b"p" => {
                    if let Some((_, t)) = &mut self.current {
                        if !t.is_empty() {
                            t.push(' ');
                        }
                    }
                }
                _ => {}
            }
        }
        fn close(&mut self, name: &[u8]) {
            match name {
                b"t" => self.in_text = false,
                b"comment" => {
                    if let Some((id, text)) = self.current.take() {
                        self.out.insert(id, text.trim().to_string());
                    }
                }
                _ => {}
            }
        }
        fn text(&mut self, text: &str) {
            if let (true, Some((_, t))) = (self.in_text, &mut self.current) {
                t.push_str(text);
            }
        }
    }
    let mut h = H { out: HashMap::new(), current: None, in_text: false };
    xml::walk(xml_text, "word/comments.xml", max_depth, &mut h)?;
    Ok(h.out)
}

#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    numbered: bool,
    comments: Vec<String>,
    /// How many paragraphs of the part open before this one.
    ordinal: usize,
}

struct Body<'a> {
    styles: &'a Styles,
    comments: &'a HashMap<String, String>,
    default_kind: BlockKind,
    blocks: Vec<RawBlock>,
    paras: Vec<Para>,
    cells: Cells,
    in_ppr: usize,
    in_text: bool,
    deleted: usize,
    fallback: usize,
    skipped_note: bool,
    /// Paragraphs opened so far.
    opened: usize,
    /// The layout being recorded (the main part only).
    recorder: Option<Recorder>,
}

impl<'a> Body<'a> {
    fn new(styles: &'a Styles, comments: &'a HashMap<String, String>, default_kind: BlockKind) -> Body<'a> {
        Body {
            styles,
            comments,
            default_kind,
            blocks: Vec::new(),
            paras: Vec::new(),
            cells: Cells::default(),
            in_ppr: 0,
            in_text: false,
            deleted: 0,
            fallback: 0,
            skipped_note: false,
            opened: 0,
            recorder: None,
        }
    }

    fn counts(&self) -> bool {
        self.deleted == 0 && self.fallback == 0 && !self.skipped_note
    }

    /// Adds text to the innermost paragraph: run text (`run_text`), or a
    /// character standing for a tab, a break or a hyphen.
    fn push(&mut self, s: &str, run_text: bool) {
        if self.counts() {
            if let Some(p) = self.paras.last_mut() {
                p.text.push_str(s);
                if let Some(r) = &mut self.recorder {
                    r.push(p.ordinal, s, run_text);
                }
            }
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        if !self.counts() {
            return;
        }
        let level = p
            .outline
            .filter(|l| *l < 9)
            .map(|l| l + 1)
            .or_else(|| p.style.as_deref().and_then(|s| self.styles.heading_level(s)));
        let kind = match level {
            Some(level) if self.default_kind == BlockKind::Paragraph => BlockKind::Heading { level },
            _ if self.default_kind != BlockKind::Paragraph => self.default_kind,
            _ if p.numbered || p.style.as_deref().is_some_and(|s| self.styles.is_list(s)) => {
                BlockKind::ListItem
            }
            _ => BlockKind::Paragraph,
        };
        let raw =
            RawBlock { comments: p.comments, origins: vec![(0, p.ordinal)], ..RawBlock::new(kind, p.text) };
        // A paragraph directly in a table cell is part of the cell's block.
        if let Some(raw) = self.cells.absorb(self.paras.is_empty(), raw) {
            self.blocks.push(raw);
        }
    }
}

impl Handler for Body<'_> {
    fn span(&mut self, start: usize, end: usize) {
        if let Some(r) = &mut self.recorder {
            r.span(start, end);
        }
    }

    fn open(&mut self, name: &[u8], e: &BytesStart, empty: bool) {
        let counts = self.counts();
        if let Some(r) = &mut self.recorder {
            r.open(name, e, empty, self.paras.last().map(|p| p.ordinal), counts);
        }
        match name {
            b"p" => {
                self.paras.push(Para { ordinal: self.opened, ..Para::default() });
                self.opened += 1;
            }
            b"pPr" if !empty => self.in_ppr += 1,
            b"pStyle" if self.in_ppr > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, b"val");
                    if let Some(r) = &mut self.recorder {
                        r.style(p.ordinal, p.style.clone());
                    }
                }
            }
            b"outlineLvl" if self.in_ppr > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = attr(e, b"val").and_then(|v| v.parse().ok());
                }
            }
            b"numPr" if self.in_ppr > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.numbered = true;
                }
            }
            b"t" => self.in_text = !empty,
            b"tab" | b"br" | b"cr" if self.in_ppr == 0 => self.push(" ", false),
            b"noBreakHyphen" => self.push("-", false),
            b"del" | b"moveFrom" => self.deleted += 1,
            b"Fallback" => self.fallback += 1,
            b"tc" => self.cells.open(),
            b"footnote" | b"endnote" => {
                self.skipped_note = attr(e, b"type").is_some_and(|t| t != "normal");
            }
            b"commentRangeStart" => {
                let text = attr(e, b"id").and_then(|id| self.comments.get(&id).cloned());
                if let (Some(text), Some(p)) = (text, self.paras.last_mut()) {
                    p.comments.push(text);
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        if let Some(r) = &mut self.recorder {
            r.close(name);
        }
        match name {
            b"p" => self.end_paragraph(),
            b"pPr" => self.in_ppr = self.in_ppr.saturating_sub(1),
            b"t" => self.in_text = false,
            b"del" | b"moveFrom" => self.deleted = self.deleted.saturating_sub(1),
            b"Fallback" => self.fallback = self.fallback.saturating_sub(1),
            b"tc" => {
                if let Some(cell) = self.cells.close() {
                    if self.counts() {
                        self.blocks.push(cell);
                    }
                }
            }
            b"footnote" | b"endnote" => self.skipped_note = false,
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_text {
            self.push(text, true);
        }
    }
}

/// Walks the main part, recording its layout when `record` is set.
fn walk_main(
    xml_text: &str,
    styles: &Styles,
    comments: &HashMap<String, String>,
    limits: Limits,
    record: bool,
) -> Result<(Vec<RawBlock>, Option<Layout>), ReadError> {
    let part = "word/document.xml";
    let mut body = Body::new(styles, comments, BlockKind::Paragraph);
    body.recorder = record.then(Recorder::default);
    xml::walk(xml_text, part, limits.max_xml_depth, &mut body)?;
    let layout = body.recorder.take().map(Recorder::finish);
    Ok((body.blocks, layout))
}

fn walk_part(
    xml_text: &str,
    part: &str,
    styles: &Styles,
    comments: &HashMap<String, String>,
    default_kind: BlockKind,
    limits: Limits,
) -> Result<Vec<RawBlock>, ReadError> {
    let mut body = Body::new(styles, comments, default_kind);
    xml::walk(xml_text, part, limits.max_xml_depth, &mut body)?;
    Ok(body.blocks)
}
