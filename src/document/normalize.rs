//! Text normalisation for matching, with a map back to original byte offsets.
//!
//! Rules match against a normalised rendition of each block: typographic
//! variants that authors use interchangeably are unified, so that a pattern
//! written with a straight apostrophe also finds `l’acheteur`, and a pattern
//! `ou équivalent` finds `ou\u{a0}équivalent` or the words split over two
//! source lines. Case is *not* folded here: the regex engine folds case, so a
//! rule can still ask for a case-sensitive match.
//!
//! Every byte of the normalised text remembers the source byte offset of the
//! character it came from, so a match maps back to the exact original span.
//! The map is kept as runs: most of a text is copied from its source, and a
//! stretch copied byte for byte is one run, whatever its length.

use std::ops::Range;

/// Normalised text of a whole document, blocks separated by `\n`.
#[derive(Debug, Default, Clone)]
pub struct NormText {
    text: String,
    /// Where the bytes of `text` come from, in order of `Run::norm`.
    runs: Vec<Run>,
    pending_space: Option<(u32, u32)>,
    block_start: usize,
}

/// Where a stretch of the normalised text comes from: the bytes from `norm`
/// up to the next run's start were copied from the source starting at `src`
/// (byte `norm + k` from byte `src + k`), or, when not `copied`, all come
/// from the one source character `src..end` (a typographic variant, a
/// ligature, a collapsed space, an entity).
#[derive(Debug, Clone, Copy)]
struct Run {
    norm: u32,
    src: u32,
    end: u32,
    copied: bool,
}

/// What a source character becomes in the normalised text.
enum Norm {
    Keep(char),
    Str(&'static str),
    Space,
    Drop,
}

fn normalise_char(c: char) -> Norm {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => Norm::Keep('\''),
        '\u{00AB}' | '\u{00BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}'
        | '\u{2039}' | '\u{203A}' => Norm::Keep('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => Norm::Keep('-'),
        '\u{0153}' => Norm::Str("oe"),
        '\u{0152}' => Norm::Str("OE"),
        '\u{00E6}' => Norm::Str("ae"),
        '\u{00C6}' => Norm::Str("AE"),
        '\u{FB00}' => Norm::Str("ff"),
        '\u{FB01}' => Norm::Str("fi"),
        '\u{FB02}' => Norm::Str("fl"),
        '\u{FB03}' => Norm::Str("ffi"),
        '\u{FB04}' => Norm::Str("ffl"),
        '\u{FB06}' => Norm::Str("st"),
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => Norm::Drop,
        c if c.is_whitespace() => Norm::Space,
        c => Norm::Keep(c),
    }
}

/// Normalises a pattern written by a rule author the same way as document
/// text, so that `l’offre` in a rule matches `l'offre` in a document. Only
/// characters that are never regex syntax are touched.
pub fn normalise_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match normalise_char(c) {
            Norm::Keep(k) => out.push(k),
            Norm::Str(s) => out.push_str(s),
            // A literal space in a pattern stays a space: regex whitespace classes are the author's.
            Norm::Space if c == ' ' || c == '\t' || c == '\n' => out.push(c),
            Norm::Space => out.push(' '),
            Norm::Drop => {}
        }
    }
    out
}

impl NormText {
    /// An empty text with room for `bytes` bytes (a source of that size
    /// normalises to about as many).
    pub fn with_capacity(bytes: usize) -> NormText {
        NormText { text: String::with_capacity(bytes), ..NormText::default() }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in bytes of the normalised text.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing has been pushed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Starts a block: its text begins at the current end.
    pub fn begin_block(&mut self) {
        self.pending_space = None;
        self.block_start = self.text.len();
    }

    /// Ends the current block, returning its normalised range, and appends the
    /// `\n` that separates it from the next block.
    pub fn end_block(&mut self) -> Range<usize> {
        self.pending_space = None;
        let range = self.block_start..self.text.len();
        let (at, end) = self.text.len().checked_sub(1).map_or((0, 0), |last| self.origin(last));
        self.push_raw('\n', at, end);
        range
    }

    /// Appends `slice`, which starts at byte `base` of the source.
    pub fn push_source(&mut self, slice: &str, base: usize) {
        let bytes = slice.as_bytes();
        let verbatim = |b: u8| b.is_ascii_graphic() && b != b'`';
        let mut i = 0;
        while i < bytes.len() {
            if verbatim(bytes[i]) {
                // Most of a document is ASCII words: copied in one go, each
                // byte mapping to itself.
                // A single space between two such bytes maps to itself too,
                // as it would once collapsed: it goes in the same copy.
                let start = i;
                while i < bytes.len() {
                    if verbatim(bytes[i]) {
                        i += 1;
                    } else if bytes[i] == b' ' && bytes.get(i + 1).copied().is_some_and(verbatim) {
                        i += 2;
                    } else {
                        break;
                    }
                }
                self.flush_space();
                let (from, to) = ((base + start) as u32, (base + i) as u32);
                self.mark(from, to, i - start);
                self.text.push_str(&slice[start..i]);
            } else {
                // `i` is on a character boundary: only whole ASCII bytes or
                // whole characters are ever skipped.
                let Some(c) = slice[i..].chars().next() else { break };
                let at = (base + i) as u32;
                self.push_char(c, at, at + c.len_utf8() as u32);
                i += c.len_utf8();
            }
        }
    }

    /// Appends text that does not appear verbatim in the source (an entity,
    /// an escape, a generated separator): all of it maps to `span`.
    pub fn push_mapped(&mut self, text: &str, span: Range<usize>) {
        for c in text.chars() {
            self.push_char(c, span.start as u32, span.end as u32);
        }
    }

    /// Appends one space-equivalent break (a soft line break) mapped to `span`.
    pub fn push_break(&mut self, span: Range<usize>) {
        self.push_char(' ', span.start as u32, span.end as u32);
    }

    fn push_char(&mut self, c: char, at: u32, end: u32) {
        match normalise_char(c) {
            Norm::Space => {
                // Collapse runs of whitespace; drop it at the start of a block.
                if self.pending_space.is_none() && self.text.len() > self.block_start {
                    self.pending_space = Some((at, end));
                }
            }
            Norm::Drop => {}
            Norm::Keep(k) => {
                self.flush_space();
                self.push_raw(k, at, end);
            }
            Norm::Str(s) => {
                self.flush_space();
                for k in s.chars() {
                    self.push_raw(k, at, end);
                }
            }
        }
    }

    fn flush_space(&mut self) {
        if let Some((at, end)) = self.pending_space.take() {
            self.push_raw(' ', at, end);
        }
    }

    fn push_raw(&mut self, c: char, at: u32, end: u32) {
        self.mark(at, end, c.len_utf8());
        self.text.push(c);
    }

    /// Records that the `n` bytes about to be appended come from the source
    /// bytes `at..end`: copied when as many, else all from that character.
    fn mark(&mut self, at: u32, end: u32, n: usize) {
        let norm = self.text.len() as u32;
        let copied = end.saturating_sub(at) as usize == n;
        if let Some(last) = self.runs.last() {
            let goes_on = if copied {
                last.copied && last.src + (norm - last.norm) == at
            } else {
                !last.copied && last.src == at && last.end == end
            };
            if goes_on {
                return;
            }
        }
        self.runs.push(Run { norm, src: at, end, copied });
    }

    /// The source character the byte at normalised offset `at` came from:
    /// its start, and the offset just past it.
    fn origin(&self, at: usize) -> (u32, u32) {
        let i = self.runs.partition_point(|r| r.norm as usize <= at).saturating_sub(1);
        match self.runs.get(i) {
            Some(r) if r.copied => {
                let src = r.src + (at as u32).saturating_sub(r.norm);
                (src, src + 1)
            }
            Some(r) => (r.src, r.end),
            None => (0, 0),
        }
    }

    /// Maps a range of the normalised text back to the source byte range it
    /// came from. An empty range maps to an empty source range.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let Some(last) = self.text.len().checked_sub(1) else { return 0..0 };
        let start = self.origin(range.start.min(last)).0 as usize;
        if range.end <= range.start {
            return start..start;
        }
        let end = self.origin((range.end - 1).min(last)).1 as usize;
        start..end.max(start)
    }

    /// Makes the separator at normalised offset `at` (a space or a line
    /// break) the other one: blocks are split at a line break inside them,
    /// or joined. Any other byte is left alone.
    pub(crate) fn set_separator(&mut self, at: usize, separator: u8) {
        let is_separator = |b: u8| b == b' ' || b == b'\n';
        if is_separator(separator) && self.text.as_bytes().get(at).copied().is_some_and(is_separator) {
            self.text.replace_range(at..at + 1, if separator == b' ' { " " } else { "\n" });
        }
    }

    /// Replaces the text at `range` (whole characters) by spaces, keeping
    /// its map: text between two joined blocks that is not part of either.
    pub(crate) fn blank(&mut self, range: Range<usize>) {
        let range = range.start.min(self.text.len())..range.end.min(self.text.len());
        if range.is_empty()
            || !self.text.is_char_boundary(range.start)
            || !self.text.is_char_boundary(range.end)
        {
            return;
        }
        let spaces = " ".repeat(range.len());
        self.text.replace_range(range, &spaces);
    }

    /// Source offset of the character at normalised offset `at`.
    pub fn source_offset(&self, at: usize) -> usize {
        self.source_range(at..at).start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(src: &str) -> NormText {
        let mut n = NormText::default();
        n.begin_block();
        n.push_source(src, 0);
        n.end_block();
        n
    }

    #[test]
    fn unifies_typography_and_maps_back() {
        let src = "L\u{2019}acheteur exige\u{a0}\u{ab}\u{202f}Word\u{202f}\u{bb} ou  \u{e9}quivalent";
        let n = norm(src);
        assert_eq!(n.as_str(), "L'acheteur exige \" Word \" ou \u{e9}quivalent\n");
        let at = n.as_str().find("Word").unwrap();
        let r = n.source_range(at..at + 4);
        assert_eq!(&src[r], "Word");
        let at = n.as_str().find("ou \u{e9}quivalent").unwrap();
        let r = n.source_range(at..at + "ou \u{e9}quivalent".len());
        assert_eq!(&src[r], "ou  \u{e9}quivalent");
    }

    #[test]
    fn ligatures_expand_and_map_to_the_whole_character() {
        let src = "la man\u{153}uvre";
        let n = norm(src);
        assert_eq!(n.as_str(), "la manoeuvre\n");
        let at = n.as_str().find("oe").unwrap();
        assert_eq!(&src[n.source_range(at..at + 2)], "\u{153}");
        assert_eq!(&src[n.source_range(at + 1..at + 2)], "\u{153}");
    }

    #[test]
    fn patterns_are_normalised_like_text() {
        assert_eq!(normalise_pattern("l\u{2019}offre \u{ab}x\u{bb}"), "l'offre \"x\"");
        assert_eq!(normalise_pattern("\\s+c\u{153}ur"), "\\s+coeur");
    }

    #[test]
    fn every_character_maps_back_to_where_it_came_from() {
        let src = "L\u{2019}\u{e9}tude \u{ab}\u{a0}CCTP\u{a0}\u{bb} d\u{e9}crit  la man\u{153}uvre,\n\
                   ligne\tsuivante \u{2013} fin\u{2026} et l\u{2019}acheteur.";
        let n = norm(src);
        for (i, c) in n.as_str().char_indices().filter(|(_, c)| !c.is_whitespace()) {
            let r = n.source_range(i..i + c.len_utf8());
            assert!(
                normalise_pattern(&src[r.clone()]).contains(c),
                "{c:?} at {i} maps to {:?} ({r:?})",
                &src[r.clone()]
            );
        }
        // A match spanning copied and rewritten characters maps to its whole source.
        let at = n.as_str().find("CCTP \" d").unwrap();
        let r = n.source_range(at..at + "CCTP \" d".len());
        assert_eq!(&src[r], "CCTP\u{a0}\u{bb} d");
    }

    #[test]
    fn text_copied_from_its_source_is_one_run() {
        let src = "Le titulaire remet les livrables aux formats ouverts. ".repeat(200);
        let n = norm(&src);
        assert_eq!(n.runs.len(), 2, "the text, then the block's line break");
        let at = n.as_str().rfind("ouverts").unwrap();
        assert_eq!(&src[n.source_range(at..at + 7)], "ouverts");
    }

    #[test]
    fn soft_hyphens_and_leading_space_vanish() {
        let n = norm("  adminis\u{ad}tration");
        assert_eq!(n.as_str(), "administration\n");
    }
}
