//! ODT reader: a streaming walk over `content.xml` (and the headers and
//! footers of `styles.xml`) with quick-xml. `text:h` with its outline level,
//! `text:p`, list items, table cells (one block each), notes; tracked
//! changes (`text:tracked-changes`, which holds deleted text) are skipped;
//! annotations are kept as comments on their paragraph.

use super::package::{Limits, Package};
use super::rendition::{self, RawBlock};
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
    let mut blocks = walk_part(&content, "content.xml", limits)?;
    if let Some(styles) = pkg.read("styles.xml")? {
        let mut seen: Vec<String> = Vec::new();
        for block in walk_part(&styles, "styles.xml", limits)? {
            if !seen.contains(&block.text) {
                seen.push(block.text.clone());
                blocks.push(block);
            }
        }
    }
    Ok(rendition::build(path, Format::Odt, blocks))
}

#[derive(Default)]
struct Para {
    kind: Option<BlockKind>,
    text: String,
    comments: Vec<String>,
}

#[derive(Default)]
struct Body {
    blocks: Vec<RawBlock>,
    paras: Vec<Para>,
    cells: Vec<(String, Vec<String>)>,
    lists: usize,
    notes: usize,
    skipped: usize,
    citation: usize,
    annotation: Option<String>,
    /// In styles.xml only the master pages' headers and footers are text.
    running: usize,
    styles_part: bool,
}

impl Body {
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
        if self.paras.is_empty() {
            if let Some((text, comments)) = self.cells.last_mut() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&p.text);
                comments.extend(p.comments);
                return;
            }
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
        self.blocks.push(RawBlock { kind, text: p.text, comments: p.comments });
    }
}

impl Handler for Body {
    fn open(&mut self, name: &[u8], e: &BytesStart, empty: bool) {
        match name {
            b"h" => {
                let level = attr(e, b"outline-level").and_then(|l| l.parse::<u8>().ok()).unwrap_or(1);
                self.paras.push(Para {
                    kind: Some(BlockKind::Heading { level: level.clamp(1, 9) }),
                    ..Para::default()
                });
            }
            b"p" => self.paras.push(Para::default()),
            b"list-item" | b"list-header" => self.lists += 1,
            b"note-body" => self.notes += 1,
            b"note-citation" => self.citation += 1,
            b"tracked-changes" => self.skipped += 1,
            b"header" | b"footer" | b"header-left" | b"footer-left" | b"header-first" | b"footer-first" => {
                self.running += 1;
            }
            b"table-cell" => self.cells.push((String::new(), Vec::new())),
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
                if let Some((text, comments)) = self.cells.pop() {
                    if self.counts() {
                        self.blocks.push(RawBlock { kind: BlockKind::TableCell, text, comments });
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

fn walk_part(xml_text: &str, part: &str, limits: Limits) -> Result<Vec<RawBlock>, ReadError> {
    let mut body = Body { styles_part: part == "styles.xml", ..Body::default() };
    xml::walk(xml_text, part, limits.max_xml_depth, &mut body)?;
    Ok(body.blocks)
}
