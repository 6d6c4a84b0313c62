//! Fonts: what the character codes of a shown string are, as text and as
//! advance widths (ISO 32000-1, 9.6 to 9.10). A font is read once per
//! document, its character map parsed once, and then looked up code by code
//! in a table indexed by the code.
//!
//! The text of a code is, in order: the font's `/ToUnicode` map; for a
//! simple font, the glyph named by its encoding (`/Differences` over a base
//! encoding); nothing (a composite font without a map: its codes name
//! glyphs, not characters). Embedded font programs are not read.

use super::lexer::{Lexer, Operand};
use lopdf::{dictionary, Dictionary, Document, Object};
use std::collections::HashMap;
use std::ops::Range;

/// One character code: its text (in [`Font::texts`]) and its advance, as a
/// fraction of the font size.
#[derive(Clone, Debug, Default)]
struct Code {
    text: Range<u32>,
    width: f64,
}

/// A range of codes of one length, from a map's `begincodespacerange`.
#[derive(Clone, Debug)]
struct Codespace {
    len: usize,
    low: [u8; 4],
    high: [u8; 4],
}

impl Codespace {
    fn holds(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len
            && bytes.iter().enumerate().all(|(i, &b)| self.low[i] <= b && b <= self.high[i])
    }
}

/// Codes up to this one are kept in a table; any above, in a map.
const DENSE: u32 = 0x3fff;
/// The most codes all the fonts of one document may describe, and the most
/// mappings one character map may make: a hostile PDF's fonts and maps
/// (a short `bfrange` names 65,536 codes) fill neither the memory nor the
/// time.
pub(super) const MOST_CODES: usize = 1 << 20;
/// The longest text one code may have (a ligature is a few letters).
const LONGEST_TEXT: usize = 64;
/// The most codes one range of a map may give (a hostile map's
/// `<00000000> <ffffffff>` does not fill the memory).
const MOST_IN_RANGE: u32 = 1 << 16;

#[derive(Debug, Default)]
pub(super) struct Font {
    codes: Vec<Code>,
    far: HashMap<u32, Code>,
    texts: String,
    /// The width of a code no table names.
    default_width: f64,
    codespace: Vec<Codespace>,
    /// Two-byte codes when the codespace says nothing (composite fonts).
    composite: bool,
    /// How many more codes this font may describe.
    budget: usize,
}

impl Font {
    /// Reads the font dictionary `dict` of `doc`, describing at most
    /// `budget` codes (see [`Font::codes`]).
    pub fn load(doc: &Document, dict: &Dictionary, budget: usize) -> Font {
        let mut font = Font { budget, ..Font::default() };
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        font.composite = subtype == b"Type0";
        // Widths first: a code the map adds gets the font's default width.
        if font.composite {
            font.composite_widths(doc, dict);
        } else {
            font.simple_widths(doc, dict, subtype == b"Type3");
        }
        if let Some(stream) = resolve(doc, dict.get(b"ToUnicode").ok()).and_then(|o| o.as_stream().ok()) {
            if let Ok(bytes) = stream.get_plain_content() {
                font.read_map(&bytes);
            }
        }
        if !font.composite {
            font.simple_texts(doc, dict);
        } else if font.codespace.is_empty() {
            // A character map given as a stream names its own codespace.
            if let Some(stream) = resolve(doc, dict.get(b"Encoding").ok()).and_then(|o| o.as_stream().ok()) {
                if let Ok(bytes) = stream.get_plain_content() {
                    // Its codes are not text: only its codespace is kept.
                    let mut map = Font::default();
                    map.read_map(&bytes);
                    font.codespace = map.codespace;
                }
            }
        }
        font
    }

    /// Each character code of `bytes`, in order: its text, its width as a
    /// fraction of the font size, and whether it is the one-byte code 32
    /// (which word spacing widens).
    pub fn each(&self, bytes: &[u8], mut f: impl FnMut(&str, f64, bool)) {
        let mut at = 0;
        while at < bytes.len() {
            let len = self.code_len(&bytes[at..]);
            let code = bytes[at..at + len].iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
            let entry = self.code(code);
            let text = self.texts.get(entry.map_or(0..0, |e| e.text.start as usize..e.text.end as usize));
            let width = entry.map_or(self.default_width, |e| e.width);
            f(text.unwrap_or_default(), width, len == 1 && code == 32);
            at += len;
        }
    }

    fn code(&self, code: u32) -> Option<&Code> {
        match self.codes.get(code as usize) {
            Some(c) => Some(c),
            None => self.far.get(&code),
        }
    }

    /// How many bytes the code at the start of `bytes` has (at least one,
    /// at most what is left): a composite font's as its codespace says, two
    /// when it says nothing; a simple font's one, whatever its map's
    /// codespace says (a map of `<0000> <FFFF>` over one-byte codes is
    /// common).
    fn code_len(&self, bytes: &[u8]) -> usize {
        if !self.composite {
            return 1;
        }
        (1..=4.min(bytes.len()))
            .find(|&len| self.codespace.iter().any(|c| c.holds(&bytes[..len])))
            .unwrap_or(2.min(bytes.len()))
    }

    /// How many codes this font describes.
    pub fn codes(&self) -> usize {
        self.codes.len() + self.far.len()
    }

    /// The entry of `code`, made if the budget allows.
    fn entry(&mut self, code: u32) -> Option<&mut Code> {
        let width = self.default_width;
        if code <= DENSE {
            let at = code as usize;
            if self.codes.len() <= at {
                let more = at + 1 - self.codes.len();
                self.budget = self.budget.checked_sub(more)?;
                self.codes.resize(at + 1, Code { text: 0..0, width });
            }
            self.codes.get_mut(at)
        } else {
            if !self.far.contains_key(&code) {
                self.budget = self.budget.checked_sub(1)?;
            }
            Some(self.far.entry(code).or_insert(Code { text: 0..0, width }))
        }
    }

    fn set_text(&mut self, code: u32, text: &str) {
        let mut end = text.len().min(LONGEST_TEXT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let start = self.texts.len();
        if start + end > MOST_CODES * 4 {
            return;
        }
        let range = start as u32..(start + end) as u32;
        if let Some(entry) = self.entry(code) {
            entry.text = range;
            self.texts.push_str(&text[..end]);
        }
    }

    /// A code's text, unless a `/ToUnicode` map gave one already.
    fn set_text_if_none(&mut self, code: u32, text: &str) {
        if self.code(code).is_none_or(|c| c.text.is_empty()) {
            self.set_text(code, text);
        }
    }

    fn set_width(&mut self, code: u32, width: f64) {
        if let Some(entry) = self.entry(code) {
            entry.width = width;
        }
    }

    /// Reads a character map (`/ToUnicode`): its codespace, if it names one,
    /// and the text of each code it maps.
    fn read_map(&mut self, bytes: &[u8]) {
        let mut lexer = Lexer::new(bytes);
        let mut codespace = Vec::new();
        let mut text = String::new();
        // Mappings made so far, against `MOST_CODES`.
        let mut made = 0usize;
        while let Some(op) = lexer.next_operator() {
            if made > MOST_CODES {
                break;
            }
            match op {
                b"endcodespacerange" => {
                    for pair in lexer.operands.chunks_exact(2) {
                        if let [Operand::Str(low), Operand::Str(high)] = pair {
                            let (low, high) = (lexer.string(low), lexer.string(high));
                            if (1..=4).contains(&low.len()) && low.len() == high.len() {
                                let mut c = Codespace { len: low.len(), low: [0; 4], high: [0; 4] };
                                c.low[..low.len()].copy_from_slice(low);
                                c.high[..high.len()].copy_from_slice(high);
                                codespace.push(c);
                            }
                        }
                    }
                }
                b"endbfchar" => {
                    for pair in lexer.operands.chunks_exact(2) {
                        let code = match &pair[0] {
                            Operand::Str(s) => code_of(lexer.string(s)),
                            _ => None,
                        };
                        text.clear();
                        match &pair[1] {
                            Operand::Str(s) => utf16(lexer.string(s), &mut text),
                            Operand::Name(n) => text.push_str(&glyph_text(lexer.name(n))),
                            _ => {}
                        }
                        if let Some(code) = code {
                            self.set_text(code, &text);
                            made += 1;
                        }
                    }
                }
                b"endbfrange" => {
                    let operands = &lexer.operands;
                    let mut i = 0;
                    while i + 2 < operands.len() {
                        let (Operand::Str(low), Operand::Str(high)) = (&operands[i], &operands[i + 1]) else {
                            i += 1;
                            continue;
                        };
                        let (Some(low), Some(high)) =
                            (code_of(lexer.string(low)), code_of(lexer.string(high)))
                        else {
                            i += 3;
                            continue;
                        };
                        let high = high.min(low.saturating_add(MOST_IN_RANGE - 1));
                        match &operands[i + 2] {
                            Operand::Str(first) => {
                                let first = lexer.string(first).to_vec();
                                for (n, code) in (low..=high).enumerate() {
                                    text.clear();
                                    utf16_plus(&first, n as u32, &mut text);
                                    self.set_text(code, &text);
                                }
                                made += (high - low) as usize + 1;
                                i += 3;
                            }
                            Operand::Open => {
                                let mut j = i + 3;
                                let mut code = low;
                                while let Some(o) = operands.get(j) {
                                    j += 1;
                                    match o {
                                        Operand::Close => break,
                                        Operand::Str(s) if code <= high => {
                                            text.clear();
                                            utf16(lexer.string(s), &mut text);
                                            self.set_text(code, &text);
                                            code += 1;
                                            made += 1;
                                        }
                                        _ => {}
                                    }
                                }
                                i = j;
                            }
                            _ => i += 3,
                        }
                    }
                }
                _ => {}
            }
        }
        if !codespace.is_empty() {
            self.codespace = codespace;
        }
    }

    /// A simple font's widths (`/FirstChar`, `/Widths`, `/MissingWidth`).
    fn simple_widths(&mut self, doc: &Document, dict: &Dictionary, type3: bool) {
        let descriptor = resolve(doc, dict.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok());
        // Text space is a thousandth of glyph space, but for a Type 3 font,
        // whose matrix says.
        let scale = if type3 {
            resolve(doc, dict.get(b"FontMatrix").ok())
                .and_then(|m| m.as_array().ok()?.first().and_then(|a| number(doc, a)))
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let base_font = dict.get(b"BaseFont").and_then(Object::as_name).unwrap_or_default();
        let missing = descriptor.and_then(|d| d.get(b"MissingWidth").ok()).and_then(|w| number(doc, w));
        self.default_width = match missing {
            Some(w) if w > 0.0 => w * scale,
            // No widths to go by (a standard font may omit them): an average
            // glyph, a fixed-pitch one for Courier.
            _ if base_font.windows(7).any(|w| w == b"Courier") => 0.6,
            _ => 0.5,
        };
        // The 256 codes at once (within the budget).
        let _ = self.entry(255);
        let first = dict.get(b"FirstChar").ok().and_then(|f| number(doc, f)).unwrap_or(0.0).max(0.0) as u32;
        if let Some(widths) = resolve(doc, dict.get(b"Widths").ok()).and_then(|w| w.as_array().ok()) {
            for (i, w) in widths.iter().enumerate() {
                let code = u32::try_from(i).ok().and_then(|i| i.checked_add(first)).filter(|&c| c < 256);
                if let (Some(w), Some(code)) = (number(doc, w), code) {
                    self.set_width(code, w * scale);
                }
            }
        }
    }

    /// A simple font's texts: what its encoding names for each of the 256
    /// codes, where no map gave a text: its base encoding (named, or the
    /// standard one), then its differences over it.
    fn simple_texts(&mut self, doc: &Document, dict: &Dictionary) {
        let encoding = resolve(doc, dict.get(b"Encoding").ok());
        let (base, differences) = match encoding {
            Some(Object::Name(name)) => (name.as_slice(), None),
            Some(Object::Dictionary(e)) => (
                e.get(b"BaseEncoding").and_then(Object::as_name).unwrap_or(b"StandardEncoding"),
                resolve(doc, e.get(b"Differences").ok()).and_then(|d| d.as_array().ok()),
            ),
            _ => (&b"StandardEncoding"[..], None),
        };
        let mut by_code = base_encoding(base);
        let mut code = 0usize;
        for item in differences.into_iter().flatten() {
            match resolve(doc, Some(item)) {
                Some(Object::Integer(n)) => code = (*n).clamp(0, 255) as usize,
                Some(Object::Name(name)) => {
                    let unmapped =
                        u32::try_from(code).is_ok_and(|c| self.code(c).is_none_or(|c| c.text.is_empty()));
                    if let (Some(slot), true) = (by_code.get_mut(code), unmapped) {
                        let text = glyph_text(name);
                        if !text.is_empty() {
                            *slot = text;
                        }
                    }
                    code += 1;
                }
                _ => {}
            }
        }
        for (code, text) in by_code.iter().enumerate() {
            if !text.is_empty() {
                self.set_text_if_none(code as u32, text);
            }
        }
    }

    /// A composite font's widths: its descendant's `/DW` and `/W`.
    fn composite_widths(&mut self, doc: &Document, dict: &Dictionary) {
        let descendant = resolve(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|d| d.as_array().ok()?.first())
            .and_then(|d| resolve(doc, Some(d))?.as_dict().ok());
        let Some(descendant) = descendant else {
            self.default_width = 1.0;
            return;
        };
        self.default_width =
            descendant.get(b"DW").ok().and_then(|w| number(doc, w)).unwrap_or(1000.0) / 1000.0;
        let Some(w) = resolve(doc, descendant.get(b"W").ok()).and_then(|w| w.as_array().ok()) else {
            return;
        };
        let mut i = 0;
        while i < w.len() {
            let Some(first) = number(doc, &w[i]) else { break };
            let first = first.max(0.0) as u32;
            match w.get(i + 1).and_then(|o| resolve(doc, Some(o))) {
                Some(Object::Array(widths)) => {
                    for (n, width) in widths.iter().take(MOST_IN_RANGE as usize).enumerate() {
                        if let Some(width) = number(doc, width) {
                            self.set_width(first.saturating_add(n as u32), width / 1000.0);
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let (Some(last), Some(width)) =
                        (number(doc, last), w.get(i + 2).and_then(|o| number(doc, o)))
                    else {
                        break;
                    };
                    let last = (last.max(0.0) as u32).min(first.saturating_add(MOST_IN_RANGE - 1));
                    for code in first..=last {
                        self.set_width(code, width / 1000.0);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }
}

/// `object`, its references followed.
pub(super) fn resolve<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(object?).ok().map(|(_, o)| o)
}

/// A number, direct or referred to.
pub(super) fn number(doc: &Document, object: &Object) -> Option<f64> {
    match resolve(doc, Some(object))? {
        Object::Integer(n) => Some(*n as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// A code of one to four bytes, big-endian.
fn code_of(bytes: &[u8]) -> Option<u32> {
    (1..=4).contains(&bytes.len()).then(|| bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b)))
}

/// Appends the UTF-16BE text `bytes` (a lone byte: its Latin-1 letter).
fn utf16(bytes: &[u8], out: &mut String) {
    utf16_plus(bytes, 0, out);
}

/// Appends the UTF-16BE text `bytes` with `plus` added to its last unit:
/// the n-th code of a `bfrange` maps to its first text plus n.
fn utf16_plus(bytes: &[u8], plus: u32, out: &mut String) {
    if bytes.len() == 1 {
        out.extend(char::from_u32(u32::from(bytes[0]) + plus));
        return;
    }
    let mut units: Vec<u16> = bytes.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
    if let Some(last) = units.last_mut() {
        *last = last.wrapping_add(plus as u16);
    }
    out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
}

/// The text of each of the 256 codes in the simple encoding `name`
/// (lopdf's tables: standard, WinAnsi, MacRoman, MacExpert, PDFDoc);
/// empty strings for a name it does not know.
fn base_encoding(name: &[u8]) -> Vec<String> {
    let font = dictionary! { "Type" => "Font", "Encoding" => Object::Name(name.to_vec()) };
    let empty = Document::new();
    match font.get_font_encoding(&empty) {
        Ok(encoding) => (0..=255u8).map(|b| encoding.bytes_to_string(&[b]).unwrap_or_default()).collect(),
        Err(_) => vec![String::new(); 256],
    }
}

/// The text of a glyph name: `uniXXXX…`, `uXXXX` to `uXXXXXX`, a name of
/// the Adobe Glyph List (`eacute`, as lopdf knows them), and ligatures of
/// those joined by `_`; a suffix after a period (`a.sc`) does not count.
/// Empty for a name that says nothing (`g123`).
fn glyph_text(name: &[u8]) -> String {
    let mut out = String::new();
    let base = name.split(|&b| b == b'.').next().unwrap_or_default();
    for part in base.split(|&b| b == b'_') {
        if let Some(hex) = part.strip_prefix(b"uni").filter(|h| !h.is_empty() && h.len() % 4 == 0) {
            let units: Option<Vec<u16>> = hex
                .chunks(4)
                .map(|h| std::str::from_utf8(h).ok().and_then(|h| u16::from_str_radix(h, 16).ok()))
                .collect();
            if let Some(units) = units {
                out.extend(char::decode_utf16(units).flatten());
                continue;
            }
        }
        if let Some(hex) = part.strip_prefix(b"u").filter(|h| (4..=6).contains(&h.len())) {
            if let Some(c) = std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok()) {
                out.extend(char::from_u32(c));
                continue;
            }
        }
        out.push_str(&list_glyph(part));
    }
    out
}

/// The text the Adobe Glyph List gives the name `name`, through lopdf's
/// copy of it (an encoding whose one difference is that name).
fn list_glyph(name: &[u8]) -> String {
    if name.is_empty() {
        return String::new();
    }
    let font = dictionary! {
        "Type" => "Font",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![Object::Integer(0), Object::Name(name.to_vec())],
        },
    };
    let empty = Document::new();
    // An unknown name makes lopdf fall back to the standard encoding, where
    // code 0 is nothing.
    font.get_font_encoding(&empty).ok().and_then(|e| e.bytes_to_string(&[0]).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    fn texts(font: &Font, bytes: &[u8]) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        font.each(bytes, |t, w, _| out.push((t.to_string(), w)));
        out
    }

    /// A composite font: two-byte codes, text from the map (a `bfchar`, a
    /// `bfrange` counted up, a `bfrange` of a list, a ligature), widths
    /// from `/W` in both of its forms and `/DW` for the rest.
    #[test]
    fn composite_font_with_a_map() {
        let mut doc = Document::with_version("1.7");
        let map = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar\n\
            2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<00E9> <2019>] endbfrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let map = doc.add_object(Stream::new(dictionary! {}, map.to_vec()));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "DW" => 800,
            "W" => vec![Object::Integer(32), Object::Array(vec![600.into(), 610.into()]), 48.into(), 49.into(), 450.into()],
        });
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()], "ToUnicode" => map,
        };
        let font = Font::load(&doc, &font, MOST_CODES);
        let got = texts(&font, &[0, 0x20, 0, 0x22, 0, 3, 0, 0x10, 0, 0x30, 0, 0x31, 0, 0x99]);
        let want: Vec<(String, f64)> = vec![
            ("A".into(), 0.6),
            ("C".into(), 0.8),
            (" ".into(), 0.8),
            ("fi".into(), 0.8),
            ("é".into(), 0.45),
            ("’".into(), 0.45),
            (String::new(), 0.8),
        ];
        assert_eq!(got, want);
    }

    /// A simple font: one-byte codes, its base encoding with differences,
    /// glyph names of every kind, widths from `/FirstChar`.
    #[test]
    fn simple_font_with_differences() {
        let doc = Document::with_version("1.7");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial", "FirstChar" => 65,
            "Widths" => vec![722.into(), 667.into()],
            "Encoding" => dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![66.into(), Object::Name(b"eacute".to_vec()), Object::Name(b"uni0153".to_vec()),
                    Object::Name(b"f_i".to_vec()), Object::Name(b"a.sc".to_vec())],
            },
        };
        let font = Font::load(&doc, &font, MOST_CODES);
        let got = texts(&font, b"ABCDE\x92");
        let want: Vec<(String, f64)> = vec![
            ("A".into(), 0.722),
            ("é".into(), 0.667),
            ("œ".into(), 0.5),
            ("fi".into(), 0.5),
            ("a".into(), 0.5),
            ("’".into(), 0.5),
        ];
        assert_eq!(got, want);
    }

    /// A simple font's codes are one byte even when its map's codespace
    /// is of two (as in many a word processor's PDF), and the codes the map
    /// leaves out read through the encoding.
    #[test]
    fn simple_font_with_a_two_byte_codespace() {
        let mut doc = Document::with_version("1.7");
        let map = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <20> <0020> <31> <0031> endbfchar";
        let map = doc.add_object(Stream::new(dictionary! {}, map.to_vec()));
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+Calibri",
            "Encoding" => "WinAnsiEncoding", "ToUnicode" => map,
        };
        let font = Font::load(&doc, &font, MOST_CODES);
        let got: String = texts(&font, b"Lot 1 \xe9").into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, "Lot 1 é");
    }

    /// A hostile map (short ranges of 65,536 codes each, over four-byte
    /// codes) describes no more codes than the budget, and stops being read
    /// past the most mappings a map may make.
    #[test]
    fn a_hostile_map_stays_within_the_budget() {
        let mut doc = Document::with_version("1.7");
        let mut map = String::from("1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n");
        for i in 0..64u32 {
            map.push_str(&format!("1 beginbfrange <{:04X}0000> <{:04X}FFFF> <0041> endbfrange\n", i, i));
        }
        let map = doc.add_object(Stream::new(dictionary! {}, map.into_bytes()));
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type0", "Encoding" => "Identity-H", "ToUnicode" => map };
        let font = Font::load(&doc, &font, 100_000);
        assert_eq!(font.codes(), 100_000);
        let font = Font::load(&doc, &dictionary! { "Type" => "Font", "Subtype" => "TrueType" }, 10);
        assert!(font.codes() <= 10, "no table of 256 codes past the budget");
    }
}
