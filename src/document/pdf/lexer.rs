//! The lexical scanner of PDF content streams and character maps: one pass
//! over the bytes, operands gathered until their operator, strings decoded
//! into one buffer that is reused from operator to operator (no allocation
//! per operand). Both content streams and `/ToUnicode` maps are written in
//! this postfix syntax (ISO 32000-1, 7.2 and 7.8.2).

use std::ops::Range;

/// One operand of an operator.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Operand {
    Number(f64),
    /// A name, without its slash, as written (`#xx` escapes kept).
    Name(Range<usize>),
    /// A literal or hexadecimal string, decoded, in [`Lexer::string`].
    Str(Range<usize>),
    /// `[` and `]`.
    Open,
    Close,
    /// A dictionary's brackets, a boolean, `null`: read over.
    Other,
}

/// More operands than any operator takes: a stream that never names its
/// operator does not grow the stack without end.
const MOST_OPERANDS: usize = 1 << 16;

pub(super) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// The operands of the operator [`Lexer::next_operator`] returned last.
    pub operands: Vec<Operand>,
    strings: Vec<u8>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lexer { src, pos: 0, operands: Vec::new(), strings: Vec::new() }
    }

    /// The bytes of a name operand.
    pub fn name(&self, range: &Range<usize>) -> &'a [u8] {
        self.src.get(range.clone()).unwrap_or_default()
    }

    /// The decoded bytes of a string operand.
    pub fn string(&self, range: &Range<usize>) -> &[u8] {
        self.strings.get(range.clone()).unwrap_or_default()
    }

    /// The next operator, its operands in [`Lexer::operands`]; `None` at the
    /// end of the stream. Inline images (`BI … ID … EI`) are read over.
    pub fn next_operator(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.strings.clear();
        loop {
            let &b = self.src.get(self.pos)?;
            if self.operands.len() >= MOST_OPERANDS {
                self.operands.clear();
                self.strings.clear();
            }
            match b {
                _ if is_white(b) => self.pos += 1,
                b'%' => {
                    while self.src.get(self.pos).is_some_and(|&c| c != b'\n' && c != b'\r') {
                        self.pos += 1;
                    }
                }
                b'(' => {
                    self.pos += 1;
                    let start = self.strings.len();
                    self.literal();
                    self.operands.push(Operand::Str(start..self.strings.len()));
                }
                b'<' if self.src.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    self.operands.push(Operand::Other);
                }
                b'<' => {
                    self.pos += 1;
                    let start = self.strings.len();
                    self.hex();
                    self.operands.push(Operand::Str(start..self.strings.len()));
                }
                b'>' => {
                    self.pos += if self.src.get(self.pos + 1) == Some(&b'>') { 2 } else { 1 };
                    self.operands.push(Operand::Other);
                }
                b'[' => {
                    self.pos += 1;
                    self.operands.push(Operand::Open);
                }
                b']' => {
                    self.pos += 1;
                    self.operands.push(Operand::Close);
                }
                b'{' | b'}' | b')' => {
                    self.pos += 1;
                    self.operands.push(Operand::Other);
                }
                b'/' => {
                    let start = self.pos + 1;
                    self.pos = start;
                    self.skip_regular();
                    self.operands.push(Operand::Name(start..self.pos));
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let start = self.pos;
                    self.skip_regular();
                    let number = number(&self.src[start..self.pos]);
                    self.operands.push(number.map_or(Operand::Other, Operand::Number));
                }
                _ => {
                    let start = self.pos;
                    self.skip_regular();
                    let word = &self.src[start..self.pos];
                    match word {
                        b"true" | b"false" | b"null" => self.operands.push(Operand::Other),
                        b"BI" => {
                            self.skip_inline_image();
                            self.operands.clear();
                            self.strings.clear();
                        }
                        _ => return Some(word),
                    }
                }
            }
        }
    }

    fn skip_regular(&mut self) {
        while self.src.get(self.pos).is_some_and(|&c| is_regular(c)) {
            self.pos += 1;
        }
    }

    /// From after `BI` to after the `EI` that ends the image's data: `ID`,
    /// one white byte, then binary data up to a white-delimited `EI`.
    fn skip_inline_image(&mut self) {
        let rest = &self.src[self.pos..];
        let Some(id) = find_word(rest, b"ID", 0) else {
            self.pos = self.src.len();
            return;
        };
        let data = id + 3;
        self.pos += match find_word(rest, b"EI", data) {
            Some(end) => end + 2,
            None => rest.len(),
        };
    }

    /// A literal string, from after its `(`: nested parentheses balanced,
    /// escapes decoded, an end of line written as one line feed.
    fn literal(&mut self) {
        let mut depth = 0usize;
        while let Some(&b) = self.src.get(self.pos) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    self.strings.push(b);
                }
                b')' if depth == 0 => return,
                b')' => {
                    depth -= 1;
                    self.strings.push(b);
                }
                b'\r' => {
                    if self.src.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    self.strings.push(b'\n');
                }
                b'\\' => self.escape(),
                _ => self.strings.push(b),
            }
        }
    }

    fn escape(&mut self) {
        let Some(&b) = self.src.get(self.pos) else { return };
        self.pos += 1;
        let decoded = match b {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.src.get(self.pos) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                (value & 0xff) as u8
            }
            // A backslash at the end of a line continues the string.
            b'\r' => {
                if self.src.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                return;
            }
            b'\n' => return,
            other => other,
        };
        self.strings.push(decoded);
    }

    /// A hexadecimal string, from after its `<`: white space ignored, a
    /// last odd digit followed by 0.
    fn hex(&mut self) {
        let mut high: Option<u8> = None;
        while let Some(&b) = self.src.get(self.pos) {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = hex_value(b) else { continue };
            match high.take() {
                Some(h) => self.strings.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            self.strings.push(h << 4);
        }
    }
}

/// Where `word` first stands alone (white before, white or the end after)
/// in `bytes`, at or after `from`.
fn find_word(bytes: &[u8], word: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at + word.len() <= bytes.len() {
        let found = bytes[at..].windows(word.len()).position(|w| w == word)? + at;
        let before = found == 0 || bytes.get(found - 1).is_some_and(|&b| is_white(b));
        let after = bytes.get(found + word.len()).is_none_or(|&b| is_white(b));
        if before && after {
            return Some(found);
        }
        at = found + 1;
    }
    None
}

/// A PDF number: an optional sign, digits, an optional fraction.
fn number(bytes: &[u8]) -> Option<f64> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    // All digits as one integer, then divided by the power of ten of the
    // fraction: exact for the digits PDF writers print.
    let mut value = 0f64;
    let mut fraction: Option<i32> = None;
    let mut any = false;
    for &d in digits {
        match d {
            b'0'..=b'9' => {
                any = true;
                value = value * 10.0 + f64::from(d - b'0');
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            // A second sign or point ("--5", "1.2.3"): what precedes counts,
            // as readers do.
            _ => break,
        }
    }
    let value = value / 10f64.powi(fraction.unwrap_or(0));
    any.then_some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(src: &[u8]) -> Vec<(String, Vec<String>)> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        while let Some(op) = lexer.next_operator() {
            let operands = lexer
                .operands
                .iter()
                .map(|o| match o {
                    Operand::Number(n) => format!("{n}"),
                    Operand::Name(r) => format!("/{}", String::from_utf8_lossy(lexer.name(r))),
                    Operand::Str(r) => format!("({})", String::from_utf8_lossy(lexer.string(r))),
                    Operand::Open => "[".into(),
                    Operand::Close => "]".into(),
                    Operand::Other => "?".into(),
                })
                .collect();
            out.push((String::from_utf8_lossy(op).into_owned(), operands));
        }
        out
    }

    #[test]
    fn operators_and_their_operands() {
        let got = ops(
            b"BT /F1 9.5 Tf 1 0 0 1 -72.25 .5 Tm [(A) -250 <4142 4>] TJ (a\\(b\\)\\101\\\nc) Tj % note\nET",
        );
        let want: Vec<(String, Vec<String>)> = vec![
            ("BT".into(), vec![]),
            ("Tf".into(), vec!["/F1".into(), "9.5".into()]),
            ("Tm".into(), vec!["1", "0", "0", "1", "-72.25", "0.5"].into_iter().map(String::from).collect()),
            ("TJ".into(), vec!["[".into(), "(A)".into(), "-250".into(), "(AB@)".into(), "]".into()]),
            ("Tj".into(), vec!["(a(b)Ac)".into()]),
            ("ET".into(), vec![]),
        ];
        assert_eq!(got, want);
    }

    /// The binary data of an inline image is never read as operators.
    #[test]
    fn inline_images_are_read_over() {
        let got = ops(b"q BI /W 2 /H 1 /BPC 8 ID \x00Tj) ET( EIx\nEI Q (after) Tj");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["q", "Q", "Tj"]);
        assert_eq!(got[2].1, ["(after)"]);
    }

    /// Nested dictionaries (marked content), booleans and stray brackets
    /// are operands like any other, and an unclosed string ends the stream.
    #[test]
    fn odd_input_ends_cleanly() {
        let got = ops(b"/Span <</MCID 3 /Alt (x)>> BDC true ] EMC (never closed");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BDC", "EMC"]);
        assert_eq!(number(b"-.5"), Some(-0.5));
        assert_eq!(number(b"3.2.1"), Some(3.2));
        assert_eq!(number(b"-"), None);
    }
}
