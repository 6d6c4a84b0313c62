//! Line and column positions in a text.

/// Start offsets of the lines of a text, for 1-based line and column lookups.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before every `STRIDE`th byte, built on the first column
    /// asked far into a long line: a column costs at most `STRIDE` bytes of
    /// counting, however long its line (a one-line 50 MB document with
    /// thousands of findings would otherwise count its line once each).
    checkpoints: std::sync::OnceLock<Vec<usize>>,
}

const STRIDE: usize = 4096;

/// Characters in `bytes` (a slice of UTF-8 text, possibly cut inside a
/// character): the bytes that start one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
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
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts, checkpoints: std::sync::OnceLock::new() }
    }

    /// Characters of `text` before byte `offset` (a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut out = Vec::with_capacity(bytes.len() / STRIDE + 1);
            let mut total = 0;
            for chunk in bytes.chunks(STRIDE) {
                out.push(total);
                total += chars_in(chunk);
            }
            out
        });
        let k = (offset / STRIDE).min(checkpoints.len().saturating_sub(1));
        checkpoints.get(k).copied().unwrap_or(0) + chars_in(&bytes[(k * STRIDE).min(offset)..offset])
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
        let column = if offset.saturating_sub(start) <= STRIDE {
            text.get(start..offset).map_or(0, |s| s.chars().count())
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        } + 1;
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

    /// Far into a long line, columns come from the checkpoints: the same
    /// characters counted as from the start of the line, accents included.
    #[test]
    fn columns_far_into_a_long_line_are_counted_alike() {
        let mut text = String::from("titre\n");
        for i in 0..5000 {
            text.push_str(if i % 3 == 0 { "l\u{2019}été " } else { "Word " });
        }
        let idx = LineIndex::new(&text);
        for (at, _) in text.match_indices("Word").step_by(97) {
            let expected = text[6..at].chars().count() + 1;
            assert_eq!(idx.line_col(&text, at), LineCol { line: 2, column: expected }, "at {at}");
        }
        // A line that starts past a checkpoint.
        let text = format!("{}\n{}Word", "é".repeat(5000), "è".repeat(6000));
        let idx = LineIndex::new(&text);
        let at = text.find("Word").unwrap();
        assert_eq!(idx.line_col(&text, at), LineCol { line: 2, column: 6001 });
    }
}
