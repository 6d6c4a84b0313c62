//! ODT reader: a streaming walk over `content.xml` (and the headers and
//! footers of `styles.xml`) with quick-xml. `text:h` with its outline level,
//! `text:p`, list items, table cells (one block each), notes; tracked
//! changes (`text:tracked-changes`, which holds deleted text) are skipped;
//! annotations are kept as comments on their paragraph.

use super::package::{Limits, Package};
use super::rendition::{self, Cells, RawBlock};
use super::xml::{self, attr, Handler};
use super::{BlockKind, Document, Format, ReadError};
use quick_xml::events::BytesStart;
use std::path::PathBuf;

/// Reads the ODT document in `bytes`.
pub fn read(path: PathBuf, bytes: Vec<u8>, limits: Limits) -> Result<Document, ReadError> {
    let mut pkg = Package::open(bytes, limits)?;
    let content = pkg
        .read("content.xml")?
        .ok_or_else(|| ReadError::Corrupt("no content.xml: not an OpenDocument text".to_string()))?;
    let styles_xml = pkg.read("styles.xml")?;
    let mut styles = Styles::default();
    for (xml_text, part) in [(styles_xml.as_deref(), "styles.xml"), (Some(content.as_str()), "content.xml")] {
        if let Some(xml_text) = xml_text {
            xml::walk(xml_text, part, limits.max_xml_depth, &mut styles)?;
        }
    }
    let mut blocks = walk_part(&content, "content.xml", &styles, limits)?;
    if let Some(styles_xml) = styles_xml {
        let mut seen: Vec<String> = Vec::new();
        for block in walk_part(&styles_xml, "styles.xml", &styles, limits)? {
            if !seen.contains(&block.text) {
                seen.push(block.text.clone());
                blocks.push(block);
            }
        }
    }
    Ok(rendition::build(path, Format::Odt, blocks))
}

/// Paragraph styles: a `text:p` whose style derives from a heading style
/// (LibreOffice writes a converted `<h1>` so) is a heading.
#[derive(Default)]
struct Styles {
    parent: std::collections::HashMap<String, String>,
    outline: std::collections::HashMap<String, u8>,
}

impl Styles {
    fn heading_level(&self, name: &str) -> Option<u8> {
        let mut name = name;
        for _ in 0..16 {
            if let Some(level) = self.outline.get(name) {
                return Some(*level);
            }
            let plain = name.replace("_20_", " ").to_lowercase();
            if plain == "title" || plain == "titre" {
                return Some(1);
            }
            if let Some(n) = plain.strip_prefix("heading ").and_then(|n| n.parse::<u8>().ok()) {
                return Some(n.clamp(1, 9));
            }
            name = self.parent.get(name)?;
        }
        None
    }
}

impl Handler for Styles {
    fn open(&mut self, name: &[u8], e: &BytesStart, _empty: bool) {
        if name == b"style" {
            if let Some(style) = attr(e, b"name") {
                if let Some(parent) = attr(e, b"parent-style-name") {
                    self.parent.insert(style.clone(), parent);
                }
                if let Some(level) = attr(e, b"default-outline-level").and_then(|l| l.parse::<u8>().ok()) {
                    self.outline.insert(style, level.clamp(1, 9));
                }
            }
        }
    }
    fn close(&mut self, _: &[u8]) {}
    fn text(&mut self, _: &str) {}
}

#[derive(Default)]
struct Para {
    kind: Option<BlockKind>,
    text: String,
    comments: Vec<String>,
}

#[derive(Default)]
struct Body<'a> {
    styles: Option<&'a Styles>,
    blocks: Vec<RawBlock>,
    paras: Vec<Para>,
    cells: Cells,
    lists: usize,
    notes: usize,
    skipped: usize,
    citation: usize,
    annotation: Option<String>,
    /// In styles.xml only the master pages' headers and footers are text.
    running: usize,
    styles_part: bool,
}

impl Body<'_> {
    fn counts(&self) -> bool {
        self.skipped == 0 && self.citation == 0 && (!self.styles_part || self.running > 0)
    }

    fn push(&mut self, s: &str) {
        if !self.counts() {
            return;
        }
        if let Some(a) = &mut self.annotation {
            a.push_str(s);
        } else if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        if !self.counts() || self.annotation.is_some() {
            return;
        }
        let kind = if self.notes > 0 {
            BlockKind::Footnote
        } else if let Some(kind) = p.kind {
            kind
        } else if self.lists > 0 {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        let raw = RawBlock { comments: p.comments, ..RawBlock::new(kind, p.text) };
        // A paragraph directly in a table cell is part of the cell's block.
        if let Some(raw) = self.cells.absorb(self.paras.is_empty(), raw) {
            self.blocks.push(raw);
        }
    }
}

impl Handler for Body<'_> {
    fn open(&mut self, name: &[u8], e: &BytesStart, empty: bool) {
        match name {
            b"h" => {
                let level = attr(e, b"outline-level").and_then(|l| l.parse::<u8>().ok()).unwrap_or(1);
                self.paras.push(Para {
                    kind: Some(BlockKind::Heading { level: level.clamp(1, 9) }),
                    ..Para::default()
                });
            }
            b"p" => {
                let level =
                    attr(e, b"style-name").and_then(|s| self.styles.and_then(|st| st.heading_level(&s)));
                let kind = level.map(|level| BlockKind::Heading { level });
                self.paras.push(Para { kind, ..Para::default() });
            }
            b"list-item" | b"list-header" => self.lists += 1,
            b"note-body" => self.notes += 1,
            b"note-citation" => self.citation += 1,
            b"tracked-changes" => self.skipped += 1,
            b"header" | b"footer" | b"header-left" | b"footer-left" | b"header-first" | b"footer-first" => {
                self.running += 1;
            }
            b"table-cell" => self.cells.open(),
            b"annotation" if !empty => self.annotation = Some(String::new()),
            b"s" => {
                let n = attr(e, b"c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1).min(100);
                self.push(&" ".repeat(n));
            }
            b"tab" | b"line-break" => self.push(" "),
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        match name {
            b"h" | b"p" => self.end_paragraph(),
            b"list-item" | b"list-header" => self.lists = self.lists.saturating_sub(1),
            b"note-body" => self.notes = self.notes.saturating_sub(1),
            b"note-citation" => self.citation = self.citation.saturating_sub(1),
            b"tracked-changes" => self.skipped = self.skipped.saturating_sub(1),
            b"header" | b"footer" | b"header-left" | b"footer-left" | b"header-first" | b"footer-first" => {
                self.running = self.running.saturating_sub(1);
            }
            b"table-cell" => {
                if let Some(cell) = self.cells.close() {
                    if self.counts() {
                        self.blocks.push(cell);
                    }
                }
            }
            b"annotation" => {
                if let Some(text) = self.annotation.take() {
                    if let Some(p) = self.paras.last_mut() {
                        p.comments.push(text.trim().to_string());
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        // Inside an annotation, its own paragraphs carry its text.
        if self.annotation.is_some() || !self.paras.is_empty() {
            self.push(text);
        }
    }
}

fn walk_part(
    xml_text: &str,
    part: &str,
    styles: &Styles,
    limits: Limits,
) -> Result<Vec<RawBlock>, ReadError> {
    let mut body = Body { styles: Some(styles), styles_part: part == "styles.xml", ..Body::default() };
    xml::walk(xml_text, part, limits.max_xml_depth, &mut body)?;
    Ok(body.blocks)
}
