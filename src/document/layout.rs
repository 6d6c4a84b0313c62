//! Where the text of `word/document.xml` sits in its bytes: runs, the
//! paragraphs' texts cut into segments, where body elements end. The DOCX
//! reader records it in the same walk that reads the text (so the two can
//! never disagree on what text counts); the redline splices the part with it.

use quick_xml::events::BytesStart;
use std::ops::Range;

const WORDML: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The layout of the main part.
#[derive(Debug, Default, Clone)]
pub struct Layout {
    /// The prefix the root element binds to WordprocessingML.
    pub prefix: Option<String>,
    /// Every run, in document order.
    pub runs: Vec<Run>,
    /// Every paragraph, by ordinal (the order their start tags come in).
    pub paragraphs: Vec<Paragraph>,
    /// Where new sections go: before the body's `w:sectPr`, else at its end.
    pub body_end: usize,
    /// The largest numeric `id` attribute of the part.
    pub max_id: u64,
    /// Whether the part has a `w:body`.
    pub has_body: bool,
}

/// A run of `word/document.xml`.
#[derive(Debug, Default, Clone)]
pub struct Run {
    /// The whole `<w:r>…</w:r>` element.
    pub range: Range<usize>,
    /// Its start tag.
    pub open: Range<usize>,
    /// Its `w:rPr` element.
    pub properties: Option<Range<usize>>,
    /// Its text, unescaped.
    pub text: String,
    /// The paragraph it is in.
    pub para: Option<usize>,
    /// Only properties and text in it (and only text that counts), in a
    /// paragraph or a hyperlink: it can be cut and rebuilt.
    pub simple: bool,
}

/// A paragraph, as the reader sees its text.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Its text (what counts of it).
    pub text: String,
    /// Its text cut by origin.
    pub segments: Vec<Segment>,
    /// Byte offset just after the body element that holds it.
    pub after: usize,
    /// Its paragraph style.
    pub style: Option<String>,
}

/// A stretch of a paragraph's text, and the run it comes from when it is
/// text of a run of that paragraph.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Bytes of the paragraph's text.
    pub range: Range<usize>,
    /// The run, by index in [`Layout::runs`].
    pub run: Option<usize>,
}

/// Records a [`Layout`] from the events the reader handles. It decides
/// nothing about what text counts: the reader says so with each call.
#[derive(Debug, Default)]
pub(super) struct Recorder {
    layout: Layout,
    span: Range<usize>,
    names: Vec<Vec<u8>>,
    open_runs: Vec<(usize, usize)>,
    body_depth: Option<usize>,
    body_child: Option<usize>,
    sect_pr: Option<usize>,
}

impl Recorder {
    /// The byte range of the event about to be handled.
    pub(super) fn span(&mut self, start: usize, end: usize) {
        self.span = start..end;
    }

    /// An element opens; `para` is the innermost open paragraph, `counts`
    /// whether text counts here.
    pub(super) fn open(
        &mut self,
        name: &[u8],
        e: &BytesStart,
        empty: bool,
        para: Option<usize>,
        counts: bool,
    ) {
        if self.names.is_empty() {
            self.layout.prefix = e.attributes().flatten().find_map(|a| {
                let prefix = a.key.as_ref().strip_prefix("xmlns:")?;
                (a.value.as_ref() == WORDML).then(|| prefix.to_string())
            });
        }
        self.layout.max_id = self.layout.max_id.max(max_id_of(e));
        let parent = self.names.last().cloned();
        self.names.push(name.to_vec());
        let depth = self.names.len();
        if let Some(&(run, run_depth)) = self.open_runs.last() {
            if depth == run_depth + 1 {
                match name {
                    b"rPr" => self.layout.runs[run].properties = Some(self.span.clone()),
                    b"t" | b"lastRenderedPageBreak" => {}
                    _ => self.layout.runs[run].simple = false,
                }
            }
        }
        if parent.as_deref() == Some(b"body") {
            self.body_child = Some(self.layout.paragraphs.len());
            if name == b"sectPr" {
                self.sect_pr = Some(self.span.start);
            }
        }
        match name {
            b"body" => {
                self.body_depth = Some(depth);
                self.layout.has_body = true;
            }
            b"p" => self.layout.paragraphs.push(Paragraph {
                text: String::new(),
                segments: Vec::new(),
                after: usize::MAX,
                style: None,
            }),
            b"r" => {
                let editable = matches!(parent.as_deref(), Some(b"p" | b"hyperlink"));
                self.layout.runs.push(Run {
                    range: self.span.clone(),
                    open: self.span.clone(),
                    simple: editable && !empty && counts,
                    para,
                    ..Run::default()
                });
                self.open_runs.push((self.layout.runs.len() - 1, depth));
            }
            _ => {}
        }
    }

    /// Paragraph `para` has style `style`.
    pub(super) fn style(&mut self, para: usize, style: Option<String>) {
        if let Some(p) = self.layout.paragraphs.get_mut(para) {
            p.style = style;
        }
    }

    /// An element closes.
    pub(super) fn close(&mut self, name: &[u8]) {
        let depth = self.names.len();
        self.names.pop();
        if let Some(&(run, run_depth)) = self.open_runs.last() {
            if depth == run_depth + 1 && name == b"rPr" {
                let r = &mut self.layout.runs[run];
                r.properties = r.properties.clone().map(|p| p.start..self.span.end);
            }
        }
        if self.body_depth.is_some_and(|b| depth == b + 1) {
            if let Some(first) = self.body_child.take() {
                for p in self.layout.paragraphs.iter_mut().skip(first) {
                    p.after = self.span.end;
                }
            }
        }
        match name {
            b"body" => self.layout.body_end = self.sect_pr.unwrap_or(self.span.start),
            b"r" => {
                if let Some((run, _)) = self.open_runs.pop() {
                    self.layout.runs[run].range.end = self.span.end;
                }
            }
            _ => {}
        }
    }

    /// The reader added `text` to paragraph `para`: run text (`run_text`),
    /// or a character standing for a tab, a break or a hyphen.
    pub(super) fn push(&mut self, para: usize, text: &str, run_text: bool) {
        let run = self.open_runs.last().map(|(r, _)| *r).filter(|r| self.layout.runs[*r].para == Some(para));
        if let Some(r) = run {
            if run_text {
                self.layout.runs[r].text.push_str(text);
            } else {
                self.layout.runs[r].simple = false;
            }
        }
        let run = run.filter(|_| run_text);
        let Some(p) = self.layout.paragraphs.get_mut(para) else { return };
        let start = p.text.len();
        p.text.push_str(text);
        match p.segments.last_mut() {
            Some(last) if run.is_some() && last.run == run && last.range.end == start => {
                last.range.end = p.text.len();
            }
            _ => p.segments.push(Segment { range: start..p.text.len(), run }),
        }
    }

    /// The layout recorded.
    pub(super) fn finish(self) -> Layout {
        self.layout
    }
}

/// The largest numeric `id` attribute of `e` (0 when none).
pub fn max_id_of(e: &BytesStart) -> u64 {
    e.attributes()
        .flatten()
        .filter(|a| a.key.local_name().as_ref() == "id")
        .filter_map(|a| a.value.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}
