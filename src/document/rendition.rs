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
}

/// Builds the document whose rendition is `blocks`, one a line.
pub fn build(path: PathBuf, format: Format, blocks: Vec<RawBlock>) -> Document {
    let mut text = String::new();
    let mut placed = Vec::with_capacity(blocks.len());
    for block in blocks {
        let line: String = block
            .text
            .split(['\n', '\r', '\t', '\u{b}', '\u{c}'])
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_string();
        if line.is_empty() && block.comments.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(&line);
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
    b.finish()
}

/// The table cells being read, innermost last: each cell is one block, and
/// the paragraphs directly in it join that block.
#[derive(Debug, Default)]
pub struct Cells(Vec<RawBlock>);

impl Cells {
    /// A cell opens.
    pub fn open(&mut self) {
        self.0.push(RawBlock { kind: BlockKind::TableCell, text: String::new(), comments: Vec::new() });
    }

    /// The innermost cell closes: its block.
    pub fn close(&mut self) -> Option<RawBlock> {
        self.0.pop()
    }

    /// Adds a paragraph that is directly in the innermost cell (`direct`:
    /// not nested in another paragraph, as in a text box) to that cell; gives
    /// it back when it is not in a cell.
    pub fn absorb(
        &mut self,
        direct: bool,
        text: String,
        comments: Vec<String>,
    ) -> Option<(String, Vec<String>)> {
        let Some(cell) = self.0.last_mut().filter(|_| direct) else { return Some((text, comments)) };
        if !cell.text.is_empty() {
            cell.text.push(' ');
        }
        cell.text.push_str(&text);
        cell.comments.extend(comments);
        None
    }
}
