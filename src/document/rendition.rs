//! The rendition of a document read from a binary format (DOCX, ODT): its
//! blocks' texts one a line, so that every span, line and column points into
//! a text a person can read back.

use super::{BlockKind, Builder, Document, Format};
use std::path::PathBuf;

/// A block as a reader found it.
#[derive(Debug, Clone)]
pub struct RawBlock {
    /// What it is.
    pub kind: BlockKind,
    /// Its text (line breaks inside it become spaces).
    pub text: String,
    /// Comments attached to it (Word or ODF annotations).
    pub comments: Vec<String>,
    /// Where its text comes from: `(offset in text, paragraph)` pairs, the
    /// paragraph being the ordinal of the source paragraph in its part.
    /// Only the DOCX reader's main part fills it, for the redline.
    pub origins: Vec<(usize, usize)>,
}

impl RawBlock {
    /// A block with no comments and no origin.
    pub fn new(kind: BlockKind, text: String) -> RawBlock {
        RawBlock { kind, text, comments: Vec::new(), origins: Vec::new() }
    }
}

/// Where a block of the rendition comes from in the source part.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The block's line in the rendition.
    pub line: std::ops::Range<usize>,
    /// Bytes trimmed from the start of the raw block's text.
    pub lead: usize,
    /// The raw block's origins.
    pub origins: Vec<(usize, usize)>,
}

impl Trace {
    /// The source paragraph of rendition range `range` and the range within
    /// that paragraph's text; `None` when the range is not on this line or
    /// straddles two paragraphs.
    pub fn locate(&self, range: &std::ops::Range<usize>) -> Option<(usize, std::ops::Range<usize>)> {
        if range.start < self.line.start || range.end > self.line.end {
            return None;
        }
        let start = range.start - self.line.start + self.lead;
        let end = range.end - self.line.start + self.lead;
        let &(at, paragraph) = self.origins.iter().rev().find(|(at, _)| *at <= start)?;
        let next = self.origins.iter().find(|(a, _)| *a > start).map_or(usize::MAX, |(a, _)| *a);
        (end <= next).then_some((paragraph, start - at..end - at))
    }
}

/// Builds the document whose rendition is `blocks`, one a line.
pub fn build(path: PathBuf, format: Format, blocks: Vec<RawBlock>) -> Document {
    build_traced(path, format, blocks).0
}

/// Builds the document whose rendition is `blocks`, one a line, with the
/// trace of each block that has origins.
pub fn build_traced(path: PathBuf, format: Format, blocks: Vec<RawBlock>) -> (Document, Vec<Trace>) {
    let mut text = String::new();
    let mut placed = Vec::with_capacity(blocks.len());
    let mut traces = Vec::new();
    for block in blocks {
        // Each separator is one byte, as is the space that replaces it, so
        // offsets into the raw text survive.
        let spaced = block.text.replace(['\n', '\r', '\t', '\u{b}', '\u{c}'], " ");
        let line = spaced.trim();
        if line.is_empty() && block.comments.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(line);
        if !block.origins.is_empty() {
            let lead = spaced.len() - spaced.trim_start().len();
            traces.push(Trace { line: start..text.len(), lead, origins: block.origins });
        }
        placed.push((block.kind, start..text.len(), block.comments));
    }
    let mut b = Builder::new(path, format, text);
    for (kind, range, comments) in placed {
        for c in comments {
            b.comment(&c, range.clone());
        }
        if range.is_empty() {
            continue;
        }
        b.open(kind, range.start);
        b.push_source(range.clone());
        b.close(range.end);
    }
    (b.finish(), traces)
}

/// The table cells being read, innermost last: each cell is one block, and
/// the paragraphs directly in it join that block.
#[derive(Debug, Default)]
pub struct Cells(Vec<RawBlock>);

impl Cells {
    /// A cell opens.
    pub fn open(&mut self) {
        self.0.push(RawBlock::new(BlockKind::TableCell, String::new()));
    }

    /// The innermost cell closes: its block.
    pub fn close(&mut self) -> Option<RawBlock> {
        self.0.pop()
    }

    /// Adds a paragraph that is directly in the innermost cell (`direct`:
    /// not nested in another paragraph, as in a text box) to that cell; gives
    /// it back when it is not in a cell.
    pub fn absorb(&mut self, direct: bool, paragraph: RawBlock) -> Option<RawBlock> {
        let Some(cell) = self.0.last_mut().filter(|_| direct) else { return Some(paragraph) };
        if !cell.text.is_empty() {
            cell.text.push(' ');
        }
        let at = cell.text.len();
        cell.text.push_str(&paragraph.text);
        cell.comments.extend(paragraph.comments);
        cell.origins.extend(paragraph.origins.into_iter().map(|(a, p)| (a + at, p)));
        None
    }
}
