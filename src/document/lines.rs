//! Line and column positions in a text.

/// Start offsets of the lines of a text, for 1-based line and column lookups.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and column, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Line and column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line: line + 1, column }
    }

    /// Byte range of the 0-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let end = self.starts.get(line + 1).map_or(text.len(), |&s| s - 1);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        start..end.max(start)
    }

    /// The 0-based line of the first non-blank line after the one holding
    /// byte `offset` (the line a comment above it speaks of).
    pub fn next_filled_line(&self, text: &str, offset: usize) -> usize {
        let mut line = self.line_of(offset) + 1;
        while line < self.len() && text[self.line_range(text, line)].trim().is_empty() {
            line += 1;
        }
        line
    }

    /// Byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are no lines (never: an empty text has one).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ligne un\nl\u{2019}été Word\r\nfin";
        let idx = LineIndex::new(text);
        let at = text.find("Word").unwrap();
        assert_eq!(idx.line_col(text, at), LineCol { line: 2, column: 7 });
        assert_eq!(&text[idx.line_range(text, 1)], "l\u{2019}été Word");
        assert_eq!(idx.line_col(text, text.len()), LineCol { line: 3, column: 4 });
    }
}
