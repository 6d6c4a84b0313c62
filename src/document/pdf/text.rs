//! The text of each page: the content stream walked operator by operator
//! (ISO 32000-1, 8.4 and 9.3 to 9.4), only what places and shows text
//! followed, each glyph laid out where it falls. Fonts are read once per
//! document, by object, whatever page or form names them.
//!
//! Layout, glyph by glyph at the start of each shown string (inside one
//! string, glyphs simply follow each other): a drop of more than one and a
//! half font sizes starts a new line; a return to the left with a drop of
//! more than half a font size starts one too (both, a blank line between);
//! a gap of more than a tenth of a font size on the line is a space.

use super::font::{number, resolve, Font};
use super::lexer::{Lexer, Operand};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

/// `[a b c d e f]`: a point `(x, y)` goes to `(a x + c y + e, b x + d y + f)`.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// A move by `(tx, ty)`, then `m`.
fn translate(tx: f64, ty: f64, m: &Matrix) -> Matrix {
    [m[0], m[1], m[2], m[3], tx * m[0] + ty * m[2] + m[4], tx * m[1] + ty * m[3] + m[5]]
}

/// Forms inside forms deeper than this are not read.
const DEEPEST_FORM: usize = 12;
/// `q` nested deeper than this is not saved.
const DEEPEST_SAVE: usize = 256;

/// What `q` saves and `Q` restores of the graphics state, as far as text
/// needs it.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    char_spacing: f64,
    word_spacing: f64,
    /// Horizontal scaling, `Tz` over 100.
    scale: f64,
    leading: f64,
    rise: f64,
    font: Option<Rc<Font>>,
    size: f64,
}

impl Default for State {
    fn default() -> Self {
        State {
            ctm: IDENTITY,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            font: None,
            size: 0.0,
        }
    }
}

/// The text of one page, as glyphs arrive.
struct Layout {
    out: String,
    /// The page's height: positions are measured from its top.
    height: f64,
    last_end: f64,
    last_y: f64,
}

impl Layout {
    fn new(height: f64) -> Self {
        Layout { out: String::new(), height, last_end: 100_000.0, last_y: 0.0 }
    }

    /// A glyph at `(x, y)` on the page, `size` its font size there and
    /// `width` its advance as a fraction of it; `first` for the first glyph
    /// of a shown string.
    fn glyph(&mut self, first: bool, x: f64, y: f64, size: f64, width: f64, text: &str) {
        let y = self.height - y;
        if first {
            let drop = (y - self.last_y).abs();
            if drop > size * 1.5 {
                self.out.push('\n');
            }
            if x < self.last_end && drop > size * 0.5 {
                self.out.push('\n');
            }
            if x > self.last_end + size * 0.1 {
                self.out.push(' ');
            }
        }
        self.out.push_str(text);
        self.last_y = y;
        self.last_end = x + width * size;
    }
}

/// The text of each page of `doc`, in page order.
pub(super) fn pages(doc: &Document) -> Vec<String> {
    let mut walker =
        Walker { doc, fonts: HashMap::new(), forms: Vec::new(), budget: super::font::MOST_CODES };
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(id) else {
            out.push(String::new());
            continue;
        };
        let height = inherited(doc, page, b"MediaBox")
            .and_then(|b| b.as_array().ok())
            .and_then(|b| Some(number(doc, b.get(3)?)? - number(doc, b.get(1)?)?))
            .unwrap_or(0.0);
        let resources = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok());
        let mut layout = Layout::new(height);
        if let Ok(content) = doc.get_page_content(id) {
            walker.walk(&content, resources, State::default(), &mut layout, 0);
        }
        out.push(layout.out);
    }
    out
}

/// An entry of a page, or of the first of its ancestors that has it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..=super::DEEPEST_TREE {
        if let Some(found) = resolve(doc, node.get(key).ok()) {
            return Some(found);
        }
        node = resolve(doc, node.get(b"Parent").ok())?.as_dict().ok()?;
    }
    None
}

/// A name as a dictionary key: its `#xx` escapes decoded.
fn unescape(name: &[u8]) -> Cow<'_, [u8]> {
    if !name.contains(&b'#') {
        return Cow::Borrowed(name);
    }
    let mut out = Vec::with_capacity(name.len());
    let mut i = 0;
    while i < name.len() {
        let hex =
            name.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (name[i], hex) {
            (b'#', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

struct Walker<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// The forms being walked, outermost first: a form that draws itself
    /// is not walked again.
    forms: Vec<ObjectId>,
    /// How many more codes the document's fonts may describe.
    budget: usize,
}

impl<'a> Walker<'a> {
    /// The font that `resources` name `name`, read once per document.
    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = resolve(self.doc, resources?.get(b"Font").ok())?.as_dict().ok()?;
        let entry = fonts.get(&unescape(name)).ok()?;
        if let Object::Reference(id) = entry {
            if let Some(font) = self.fonts.get(id) {
                return Some(font.clone());
            }
            let font = Rc::new(self.load(self.doc.get_dictionary(*id).ok()?));
            self.fonts.insert(*id, font.clone());
            return Some(font);
        }
        Some(Rc::new(self.load(entry.as_dict().ok()?)))
    }

    /// Reads a font, within what is left of the document's budget of codes.
    fn load(&mut self, dict: &Dictionary) -> Font {
        let font = Font::load(self.doc, dict, self.budget);
        self.budget = self.budget.saturating_sub(font.codes());
        font
    }

    /// Walks the content stream `content`, its names looked up in
    /// `resources`, from the graphics state `state`.
    fn walk(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        mut state: State,
        layout: &mut Layout,
        depth: usize,
    ) {
        let mut lexer = Lexer::new(content);
        let mut saved: Vec<State> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        while let Some(op) = lexer.next_operator() {
            let operands = &lexer.operands;
            let num = |i: usize| match operands.get(i) {
                Some(Operand::Number(n)) => Some(*n),
                _ => None,
            };
            let matrix =
                || -> Option<Matrix> { Some([num(0)?, num(1)?, num(2)?, num(3)?, num(4)?, num(5)?]) };
            match op {
                b"q" if saved.len() < DEEPEST_SAVE => saved.push(state.clone()),
                b"Q" => {
                    if let Some(s) = saved.pop() {
                        state = s;
                    }
                }
                b"cm" => {
                    if let Some(m) = matrix() {
                        state.ctm = multiply(&m, &state.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tc" => state.char_spacing = num(0).unwrap_or(state.char_spacing),
                b"Tw" => state.word_spacing = num(0).unwrap_or(state.word_spacing),
                b"Tz" => state.scale = num(0).map_or(state.scale, |s| s / 100.0),
                b"TL" => state.leading = num(0).unwrap_or(state.leading),
                b"Ts" => state.rise = num(0).unwrap_or(state.rise),
                b"Tf" => {
                    if let (Some(Operand::Name(name)), Some(size)) = (operands.first(), num(1)) {
                        state.font = self.font(resources, lexer.name(name));
                        state.size = size;
                    }
                }
                b"Td" | b"TD" => {
                    if let (Some(tx), Some(ty)) = (num(0), num(1)) {
                        if op == b"TD" {
                            state.leading = -ty;
                        }
                        tlm = translate(tx, ty, &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = matrix() {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = translate(0.0, -state.leading, &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\"" {
                        state.word_spacing = num(0).unwrap_or(state.word_spacing);
                        state.char_spacing = num(1).unwrap_or(state.char_spacing);
                    }
                    if op != b"Tj" {
                        tlm = translate(0.0, -state.leading, &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = operands.last() {
                        show(&state, &mut tm, lexer.string(s), layout);
                    }
                }
                b"TJ" => {
                    for operand in operands {
                        match operand {
                            Operand::Str(s) => show(&state, &mut tm, lexer.string(s), layout),
                            Operand::Number(n) => {
                                tm = translate(-n / 1000.0 * state.size * state.scale, 0.0, &tm);
                            }
                            _ => {}
                        }
                    }
                }
                b"Do" if depth < DEEPEST_FORM => {
                    if let Some(Operand::Name(name)) = operands.first() {
                        let name = lexer.name(name);
                        self.form(resources, name, &state, layout, depth);
                    }
                }
                _ => {}
            }
        }
    }

    /// Walks the form XObject that `resources` name `name`, if it is one.
    fn form(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        state: &State,
        layout: &mut Layout,
        depth: usize,
    ) {
        let Some(xobjects) =
            resolve(self.doc, resources.and_then(|r| r.get(b"XObject").ok())).and_then(|x| x.as_dict().ok())
        else {
            return;
        };
        let Ok(Object::Reference(id)) = xobjects.get(&unescape(name)) else { return };
        let Ok(Object::Stream(stream)) = self.doc.get_object(*id) else { return };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form")
            || self.forms.contains(id)
        {
            return;
        }
        let Ok(content) = stream.get_plain_content() else { return };
        let matrix = resolve(self.doc, stream.dict.get(b"Matrix").ok())
            .and_then(|m| m.as_array().ok())
            .and_then(|m| {
                let n: Option<Vec<f64>> = m.iter().map(|x| number(self.doc, x)).collect();
                <[f64; 6]>::try_from(n?).ok()
            })
            .unwrap_or(IDENTITY);
        let inner = resolve(self.doc, stream.dict.get(b"Resources").ok()).and_then(|r| r.as_dict().ok());
        let mut state = state.clone();
        state.ctm = multiply(&matrix, &state.ctm);
        self.forms.push(*id);
        self.walk(&content, inner.or(resources), state, layout, depth + 1);
        self.forms.pop();
    }
}

/// Shows the string `bytes` at the text matrix `tm`, which moves past it.
fn show(state: &State, tm: &mut Matrix, bytes: &[u8], layout: &mut Layout) {
    let Some(font) = &state.font else { return };
    let mut first = true;
    font.each(bytes, |text, width, space| {
        let m = multiply(tm, &state.ctm);
        // The glyph's origin, raised by the rise; its size on the page.
        let (x, y) = (state.rise * m[2] + m[4], state.rise * m[3] + m[5]);
        let size = state.size * (state.scale * (m[0] * m[3] - m[1] * m[2])).abs().sqrt();
        layout.glyph(first, x, y, size, width, text);
        first = false;
        let spacing = state.char_spacing + if space { state.word_spacing } else { 0.0 };
        *tm = translate((width * state.size + spacing) * state.scale, 0.0, tm);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Stream};

    fn op(name: &str, operands: Vec<Object>) -> Operation {
        Operation::new(name, operands)
    }

    /// Makes `doc` a PDF of the A4 pages `kids` under the node `pages_id`.
    fn finish(doc: &mut Document, pages_id: ObjectId, kids: Vec<Object>) {
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
    }

    /// Lines, a blank line between paragraphs, a space from a kerning gap
    /// but none from kerning, a form drawn on the page, and the same
    /// resource name meaning another font on the next page.
    #[test]
    fn pages_lines_spaces_forms_and_fonts() {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = |doc: &mut Document, first: u8| {
            let map = format!(
                "1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <41> <5A> <00{first:02X}> endbfrange"
            );
            let map = doc.add_object(Stream::new(dictionary! {}, map.into_bytes()));
            doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial", "ToUnicode" => map,
                "FirstChar" => 32, "Widths" => vec![Object::Integer(500); 96],
            })
        };
        let upper = font(&mut doc, b'A');
        let lower = font(&mut doc, b'a');
        let form_content = Content {
            operations: vec![
                op("BT", vec![]),
                op("Tf", vec!["F1".into(), 10.into()]),
                op("Td", vec![0.into(), 0.into()]),
                op("Tj", vec![Object::string_literal("FORM")]),
                op("ET", vec![]),
            ],
        };
        let form = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 72.into(), 100.into()] },
            form_content.encode().unwrap(),
        ));
        let page = |doc: &mut Document, font: ObjectId, ops: Vec<Operation>| {
            let content =
                doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
            let resources = dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "X1" => form } };
            Object::from(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            }))
        };
        let first = page(
            &mut doc,
            upper,
            vec![
                op("BT", vec![]),
                op("Tf", vec!["F1".into(), 10.into()]),
                op("TL", vec![12.into()]),
                op("Td", vec![72.into(), 700.into()]),
                op(
                    "TJ",
                    vec![Object::Array(vec![
                        Object::string_literal("AB"),
                        Object::Integer(-30),
                        Object::string_literal("C"),
                        Object::Integer(-400),
                        Object::string_literal("D"),
                    ])],
                ),
                op("T*", vec![]),
                op("Tj", vec![Object::string_literal("E")]),
                op("Td", vec![0.into(), (-30).into()]),
                op("Tj", vec![Object::string_literal("F")]),
                op("ET", vec![]),
                op("Do", vec!["X1".into()]),
            ],
        );
        let second = page(
            &mut doc,
            lower,
            vec![
                op("BT", vec![]),
                op("Tf", vec!["F1".into(), 10.into()]),
                op("Td", vec![72.into(), 700.into()]),
                op("Tj", vec![Object::string_literal("GH")]),
                op("ET", vec![]),
            ],
        );
        finish(&mut doc, pages_id, vec![first, second]);
        // Upper-case letters on the first page; on the second, the same
        // name F1 maps the same codes to lower case.
        assert_eq!(pages(&doc), ["\n\nABC D\nE\n\nF\n\nFORM", "\n\ngh"]);
    }

    /// A form that draws itself is walked once, and text state set inside
    /// it does not leak out (a form is drawn as between `q` and `Q`).
    #[test]
    fn a_form_that_draws_itself_is_walked_once() {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let form_id = doc.new_object_id();
        let form_ops = vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 400.into()]),
            op("Tj", vec![Object::string_literal("inner")]),
            op("ET", vec![]),
            op("Do", vec!["X1".into()]),
        ];
        let resources = dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "X1" => form_id } };
        let mut form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => resources.clone() },
            Content { operations: form_ops }.encode().unwrap(),
        );
        form.dict.set("BBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        doc.objects.insert(form_id, Object::Stream(form));
        let ops = vec![op("Do", vec!["X1".into()]), op("Do", vec!["X1".into()])];
        let content =
            doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
        });
        finish(&mut doc, pages_id, vec![page.into()]);
        // Drawn twice by the page, each time once, not once more by itself.
        let text = pages(&doc);
        assert_eq!(text.len(), 1);
        assert_eq!(text[0].matches("inner").count(), 2, "{text:?}");
    }
}
