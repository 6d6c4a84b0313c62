//! Conversions between clausier's byte offsets and paths and the protocol's
//! UTF-16 positions and URIs.

use crate::document::LineIndex;
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The protocol position of byte `offset` of `text`.
pub fn position(text: &str, lines: &LineIndex, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line = lines.line_of(offset);
    let start = lines.line_start(line).unwrap_or(0);
    let character = text.get(start..offset).map_or(0, |s| s.encode_utf16().count());
    Position { line: line as u32, character: character as u32 }
}

/// The protocol range of byte range `span` of `text`.
pub fn range(text: &str, lines: &LineIndex, span: std::ops::Range<usize>) -> Range {
    Range { start: position(text, lines, span.start), end: position(text, lines, span.end) }
}

/// Whether two ranges overlap or touch.
pub fn overlaps(a: &Range, b: &Range) -> bool {
    let before = |p: &Position, q: &Position| (p.line, p.character) < (q.line, q.character);
    !before(&a.end, &b.start) && !before(&b.end, &a.start)
}

/// The file path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    Uri::from_str(url::Url::from_file_path(absolute).ok()?.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16() {
        let text = "a\n𝒜é Word";
        let lines = LineIndex::new(text);
        let at = text.find("Word").unwrap();
        assert_eq!(position(text, &lines, at), Position { line: 1, character: 4 });
    }

    #[test]
    fn uris_round_trip() {
        let path = std::env::temp_dir().join("dossier été/rc.md");
        let uri = uri_of(&path).unwrap();
        assert!(uri.as_str().contains("%C3%A9"), "{}", uri.as_str());
        assert_eq!(path_of(&uri).unwrap(), std::path::absolute(&path).unwrap());
    }
}
