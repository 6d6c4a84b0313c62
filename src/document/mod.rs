//! The document model: every input format is lowered to a [`Document`] of
//! blocks and sections, so that no rule ever sees markup.

pub mod dates;
pub mod docx;
pub mod kind;
pub mod layout;
pub mod lines;
pub mod markdown;
pub mod normalize;
pub mod odt;
pub mod package;
pub mod parties;
pub mod pdf;
pub mod rendition;
pub mod sentences;
pub mod structure;
pub mod text;
pub mod xml;

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use kind::{DocKind, Language};
pub use lines::LineIndex;
pub use normalize::NormText;

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CommonMark with tables and footnotes.
    Markdown,
    /// Plain text, paragraphs separated by blank lines.
    Text,
    /// Office Open XML word-processing document.
    Docx,
    /// OpenDocument text.
    Odt,
    /// PDF with a text layer.
    Pdf,
}

impl Format {
    /// The extensions read, in the order the documentation lists them.
    pub const EXTENSIONS: [&'static str; 10] =
        ["md", "markdown", "mdown", "mkd", "txt", "text", "docx", "docm", "odt", "pdf"];

    /// The format of a path, from its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            "docx" | "docm" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of the given level (1 is the title level).
    Heading {
        /// 1 to 6.
        level: u8,
    },
    /// A paragraph.
    Paragraph,
    /// The text of one list item.
    ListItem,
    /// One table cell.
    TableCell,
    /// A footnote or endnote.
    Footnote,
}

/// A unit of text: a heading, paragraph, list item, table cell or footnote.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range of the block's text in [`Document::text`].
    pub span: Range<usize>,
    /// Byte range of the block in [`Document::norm`].
    pub norm: Range<usize>,
    /// The innermost section the block belongs to (a heading belongs to its own).
    pub section: Option<usize>,
    /// Normalised range of the paragraph this block is part of: the block
    /// itself, or for a list or a table, the lead-in paragraph that ends with
    /// `:` and all the items or cells that follow it, so that a clause split
    /// across a list reads as one paragraph.
    pub paragraph: Range<usize>,
    /// Page, for paginated formats.
    pub page: Option<u32>,
    /// How deep a list item is nested (1 for an item of a top-level list, 0
    /// for any other block).
    pub depth: u8,
    /// The block of the paragraph that introduces this list item or table
    /// cell (its lead-in, ending with a colon), if there is one: an item is
    /// read with its lead-in.
    pub lead_in: Option<usize>,
}

/// A section: a heading and everything up to the next heading of the same or
/// a higher level.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading as written (whitespace collapsed, markup removed).
    pub title: String,
    /// Heading level.
    pub level: u8,
    /// Index of the heading block.
    pub block: usize,
    /// Byte range in [`Document::norm`], from the heading to the section's end.
    pub norm: Range<usize>,
    /// The enclosing section.
    pub parent: Option<usize>,
}

/// A comment kept from the source (an HTML comment in Markdown), for suppressions and fixtures.
#[derive(Debug, Clone)]
pub struct Comment {
    /// The comment's text without its delimiters, trimmed.
    pub text: String,
    /// Byte range of the whole comment in [`Document::text`].
    pub span: Range<usize>,
}

/// Settings read from a document's front matter (`clausier: { kind, lang }`).
#[derive(Debug, Clone, Default)]
pub struct Declared {
    /// Kind declared by the document itself.
    pub kind: Option<DocKind>,
    /// Language declared by the document itself.
    pub language: Option<Language>,
}

/// A document lowered to text, blocks and sections.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given on the command line (or found by walking).
    pub path: PathBuf,
    /// The format read.
    pub format: Format,
    /// The text all spans index into: the source for Markdown and text.
    pub text: String,
    /// Normalised text of the blocks, one block a line, for matching.
    pub norm: NormText,
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Sentence ranges in [`Document::norm`], in order.
    pub sentences: Vec<Range<usize>>,
    /// Comments kept from the source.
    pub comments: Vec<Comment>,
    /// Detected or declared kind.
    pub kind: DocKind,
    /// Why the document has its kind (« title: « CCAP » », « file name »,
    /// « content: … », « front matter », « configuration », « --kind »).
    pub kind_source: String,
    /// Detected or declared language.
    pub language: Language,
    /// Why the document has its language (« content », « front matter »,
    /// « configuration », « --lang »).
    pub language_source: String,
    /// Whether it is an annex or attachment of another document of its dossier.
    pub annex: bool,
    /// Kind and language the document declares about itself.
    pub declared: Declared,
    /// Line starts of [`Document::text`].
    pub lines: LineIndex,
    /// The latest date the document cites, found when first asked for.
    latest_date: std::sync::OnceLock<Option<dates::Date>>,
    /// What the document calls its parties, found when first asked for.
    parties: std::sync::OnceLock<parties::Parties>,
}

/// An input that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than the limit.
    #[error(
        "the file is {size} bytes, more than the limit of {limit} bytes; {}",
        crate::limits::how_to_raise("max-file-bytes")
    )]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8.
    #[error("the file is not valid UTF-8 (first invalid byte at line {line}, byte offset {offset}); save it as UTF-8")]
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file's extension is not a supported format.
    #[error("unsupported file type (supported: .md, .markdown, .txt, .docx, .odt, .pdf; convert .doc and .rtf to .docx or .odt)")]
    Unsupported,
    /// The file is damaged or not of its format.
    #[error("{0}")]
    Corrupt(String),
    /// The file is encrypted.
    #[error("the file is encrypted or password-protected; save an unprotected copy")]
    Encrypted,
    /// An XML part is malformed.
    #[error("malformed XML in {part} at byte {offset}: {message}")]
    Xml {
        /// The package member.
        part: String,
        /// Byte offset in the part.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A limit on untrusted input was hit.
    #[error("{what}, more than the limit ({limit}); {}", crate::limits::how_to_raise(setting))]
    Limit {
        /// What was found.
        what: String,
        /// The limit.
        limit: String,
        /// Its setting under `limits:` in `.clausier.yaml`.
        setting: &'static str,
    },
    /// A PDF has no text to read.
    #[error("no text layer: the PDF holds only images; run OCR first")]
    NoTextLayer,
    /// The front matter is not valid YAML.
    #[error("invalid front matter at line {line}: {message}")]
    FrontMatter {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads and parses the file at `path`.
pub fn read(path: &Path) -> Result<Document, ReadError> {
    read_with(path, package::Limits::default())
}

/// Reads and parses the file at `path` within `limits`.
pub fn read_with(path: &Path, limits: package::Limits) -> Result<Document, ReadError> {
    read_source(path, limits, false).map(|(doc, _)| doc)
}

/// Reads the file at `path` within `limits`, and keeps what the redline
/// needs of a DOCX source when `keep` is set.
fn read_source(path: &Path, limits: package::Limits, keep: bool) -> Result<Read, ReadError> {
    let format = Format::from_path(path).ok_or(ReadError::Unsupported)?;
    let size = std::fs::metadata(path)?.len();
    if size > limits.max_file_bytes {
        return Err(ReadError::TooLarge { size, limit: limits.max_file_bytes });
    }
    let bytes = std::fs::read(path)?;
    decode(path.to_path_buf(), format, bytes, limits, keep)
}

/// The document in `bytes`, of `format`, read as `path`.
fn decode(
    path: PathBuf,
    format: Format,
    bytes: Vec<u8>,
    limits: package::Limits,
    keep: bool,
) -> Result<Read, ReadError> {
    let doc = match format {
        Format::Docx if keep => {
            let (doc, source) = docx::read_traced(path, bytes, limits)?;
            return Ok((doc, Some(Box::new(source))));
        }
        Format::Docx => docx::read(path, bytes, limits),
        Format::Odt => odt::read(path, bytes, limits),
        Format::Pdf => pdf::read(path, &bytes),
        Format::Markdown | Format::Text => parse(path, format, decode_utf8(bytes)?),
    };
    doc.map(|d| (d, None))
}

/// Reads the document in `bytes`, named `path` (its extension gives the
/// format), within `limits`: the time limit and a reader's panic are
/// handled as for a file ([`read_within`]). For files that never touch the
/// disk (`clausier serve`).
pub fn from_bytes_within(
    path: PathBuf,
    bytes: Vec<u8>,
    limits: package::Limits,
) -> Result<Document, ReadError> {
    let format = Format::from_path(&path).ok_or(ReadError::Unsupported)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_file_bytes });
    }
    within(limits, Some(format), move || decode(path, format, bytes, limits, false)).map(|(doc, _)| doc)
}

/// A document read, and what the redline needs of its source, if kept.
pub type Read = (Document, Option<Box<docx::Source>>);

/// Reads the file at `path` within `limits`: a reader that panics is a
/// parse error for that file alone, and a DOCX, ODT or PDF file taking
/// longer than `limits.max_seconds_per_file` to read is given up (see
/// [`within`]).
pub fn read_within(path: &Path, limits: package::Limits) -> Result<Document, ReadError> {
    read_within_keeping(path, limits, false).map(|(doc, _)| doc)
}

/// As [`read_within`], keeping what the redline needs of a DOCX source
/// when `keep` is set.
pub fn read_within_keeping(path: &Path, limits: package::Limits, keep: bool) -> Result<Read, ReadError> {
    let owned = path.to_path_buf();
    within(limits, Format::from_path(path), move || read_source(&owned, limits, keep))
}

/// Runs the reading `job` of a file in `format`. A DOCX, ODT or PDF file
/// is read on a thread of its own, given up after
/// `limits.max_seconds_per_file`: their readers inflate archives and walk
/// XML and PDF content, where a hostile file could make them slow. A
/// Markdown or text file is read on the calling thread, in one pass over a
/// text no longer than `limits.max_file_bytes`, without a time limit:
/// handing each file to another thread and waiting for it cost a sixth of
/// the time of a run over many Markdown files. Either way a reader that
/// panics is an error for that file alone.
fn within(
    limits: package::Limits,
    format: Option<Format>,
    job: impl FnOnce() -> Result<Read, ReadError> + Send + 'static,
) -> Result<Read, ReadError> {
    if matches!(format, Some(Format::Markdown | Format::Text) | None) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
            .unwrap_or_else(|_| Err(stopped()));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("clausier-reader".into()).spawn(move || {
        let _ = tx.send(job());
    })?;
    let seconds = limits.max_seconds_per_file;
    // The calling thread blocks: it must not run other work of the pool
    // meanwhile (a pool thread that did would start another dossier, and
    // memory would hold every dossier at once).
    let outcome = if seconds == 0 {
        rx.recv().map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected)
    } else {
        rx.recv_timeout(std::time::Duration::from_secs(seconds))
    };
    match outcome {
        Ok(read) => read,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(ReadError::Limit {
            what: format!("reading the file takes more than {seconds} s"),
            limit: format!("at most {seconds} s a file"),
            setting: "max-seconds-per-file",
        }),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(stopped()),
    }
}

/// The error of a reader that panicked.
fn stopped() -> ReadError {
    ReadError::Corrupt("the reader stopped on this file (a bug in clausier: please report it)".into())
}

/// Parses `text` in `format`. Used for files and for editor buffers alike.
pub fn parse(path: PathBuf, format: Format, text: String) -> Result<Document, ReadError> {
    match format {
        Format::Markdown => markdown::parse(path, text),
        Format::Text => Ok(text::parse(path, text)),
        Format::Docx | Format::Odt | Format::Pdf => Err(ReadError::Unsupported),
    }
}

fn decode_utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
            Err(ReadError::NotUtf8 { line, offset })
        }
    }
}

/// Assembles a [`Document`] from blocks pushed by a format reader.
pub struct Builder {
    path: PathBuf,
    format: Format,
    text: String,
    norm: NormText,
    blocks: Vec<Block>,
    comments: Vec<Comment>,
    declared: Declared,
    open: Option<(BlockKind, usize)>,
    page: Option<u32>,
    depth: u8,
    /// Normalised offsets of the line breaks inside blocks.
    breaks: Vec<usize>,
}

impl Builder {
    /// Starts a document over `text`.
    pub fn new(path: PathBuf, format: Format, text: String) -> Self {
        Builder {
            path,
            format,
            norm: NormText::with_capacity(text.len()),
            text,
            blocks: Vec::new(),
            comments: Vec::new(),
            declared: Declared::default(),
            open: None,
            page: None,
            depth: 0,
            breaks: Vec::new(),
        }
    }

    /// The text spans index into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Records what the document declares about itself.
    pub fn declare(&mut self, declared: Declared) {
        self.declared = declared;
    }

    /// Whether a block is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// The kind of the open block.
    pub fn open_kind(&self) -> Option<BlockKind> {
        self.open.map(|(kind, _)| kind)
    }

    /// Opens a block starting at source offset `at`, closing any open one first.
    pub fn open(&mut self, kind: BlockKind, at: usize) {
        self.close(at);
        self.norm.begin_block();
        self.open = Some((kind, at));
    }

    /// Sets how deep the list items opened from now on are nested.
    pub fn set_depth(&mut self, depth: usize) {
        self.depth = u8::try_from(depth).unwrap_or(u8::MAX);
    }

    /// Sets the page of the blocks closed from now on.
    pub fn set_page(&mut self, page: Option<u32>) {
        self.page = page;
    }

    /// Appends the source text at `range` to the open block.
    pub fn push_source(&mut self, range: Range<usize>) {
        if let Some(slice) = self.text.get(range.clone()) {
            self.norm.push_source(slice, range.start);
        }
    }

    /// Appends text that is not verbatim in the source, mapped to `range`.
    pub fn push_mapped(&mut self, text: &str, range: Range<usize>) {
        self.norm.push_mapped(text, range);
    }

    /// Appends a line break inside the open block, mapped to `range`.
    pub fn push_break(&mut self, range: Range<usize>) {
        // The space the break becomes lands here, if text follows it.
        self.breaks.push(self.norm.len());
        self.norm.push_break(range);
    }

    /// Closes the open block, if any; empty blocks are dropped.
    pub fn close(&mut self, at: usize) {
        let Some((kind, start)) = self.open.take() else {
            return;
        };
        let norm = self.norm.end_block();
        if norm.is_empty() {
            return;
        }
        let span = self.norm.source_range(norm.clone());
        let span = if span.is_empty() { start..at } else { span };
        let paragraph = norm.clone();
        let page = self.page;
        let depth = if kind == BlockKind::ListItem { self.depth.max(1) } else { 0 };
        self.blocks.push(Block { kind, span, norm, section: None, paragraph, page, depth, lead_in: None });
    }

    /// Keeps a comment.
    pub fn comment(&mut self, text: &str, span: Range<usize>) {
        self.comments.push(Comment { text: text.trim().to_string(), span });
    }

    /// Computes sections, sentences, kind and language.
    pub fn finish(mut self) -> Document {
        let end = self.text.len();
        self.close(end);
        let blocks = std::mem::take(&mut self.blocks);
        let detected_language = kind::detect_language(self.norm.as_str());
        let outline_language = self.declared.language.unwrap_or(detected_language);
        self.blocks = structure::refine(blocks, &mut self.norm, &self.breaks, self.format, outline_language);
        let sections = build_sections(&mut self.blocks, &self.norm, &self.text);
        group_lists(&mut self.blocks, &self.norm);
        find_lead_ins(&mut self.blocks, &sections, &self.norm);
        let mut sentences = Vec::new();
        for block in &self.blocks {
            sentences.extend(sentences::split(&self.norm.as_str()[block.norm.clone()], block.norm.start));
        }
        // The title block: the first lines, however the title is laid out
        // (a heading, a first line, a title spread over several lines).
        let mut title_block = String::new();
        for b in self.blocks.iter().take(8) {
            if title_block.len() > 600 {
                break;
            }
            title_block.push_str(&self.norm.as_str()[b.norm.clone()]);
            title_block.push(' ');
        }
        let headings: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        let stem = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let (kind, kind_source) = match self.declared.kind {
            Some(kind) => (kind, "front matter".to_string()),
            None => kind::detect(&kind::KindSignals {
                title_block: &title_block,
                headings: &headings,
                file_stem: stem,
                body: self.norm.as_str(),
            }),
        };
        let annex = kind::is_annex(&title_block, stem);
        let (language, language_source) = match self.declared.language {
            Some(language) => (language, "front matter".to_string()),
            None => (detected_language, "content".to_string()),
        };
        let lines = LineIndex::new(&self.text);
        Document {
            path: self.path,
            format: self.format,
            text: self.text,
            norm: self.norm,
            blocks: self.blocks,
            sections,
            sentences,
            comments: self.comments,
            kind,
            kind_source,
            language,
            language_source,
            annex,
            declared: self.declared,
            lines,
            latest_date: std::sync::OnceLock::new(),
            parties: std::sync::OnceLock::new(),
        }
    }
}

fn build_sections(blocks: &mut [Block], norm: &NormText, text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, block) in blocks.iter_mut().enumerate() {
        if let BlockKind::Heading { level } = block.kind {
            while let Some(&top) = stack.last() {
                if sections[top].level >= level {
                    sections[top].norm.end = block.norm.start;
                    stack.pop();
                } else {
                    break;
                }
            }
            let title = collapse_ws(text.get(block.span.clone()).unwrap_or(""));
            sections.push(Section {
                title,
                level,
                block: i,
                norm: block.norm.start..norm.len(),
                parent: stack.last().copied(),
            });
            stack.push(sections.len() - 1);
        }
        block.section = stack.last().copied();
    }
    sections
}

/// Extends the paragraph range of list items and table cells (and of the
/// lead-in paragraph ending with `:` just before them) over the whole list
/// or table, so that a clause split across a list reads as one paragraph.
fn group_lists(blocks: &mut [Block], norm: &NormText) {
    for (i, end) in item_runs(blocks) {
        let lead_in = i > 0 && blocks[i - 1].kind == BlockKind::Paragraph && introduces(&blocks[i - 1], norm);
        let start = if lead_in { i - 1 } else { i };
        let range = blocks[start].norm.start..blocks[end].norm.end;
        for block in &mut blocks[start..=end] {
            block.paragraph = range.clone();
        }
    }
}

/// The runs of consecutive list items, or of consecutive table cells, as
/// (first, last) block indices.
fn item_runs(blocks: &[Block]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let kind = blocks[i].kind;
        if !matches!(kind, BlockKind::ListItem | BlockKind::TableCell) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end + 1 < blocks.len() && blocks[end + 1].kind == kind {
            end += 1;
        }
        runs.push((i, end));
        i = end + 1;
    }
    runs
}

/// Whether `block` is a paragraph or item ending with a colon: a lead-in.
fn introduces(block: &Block, norm: &NormText) -> bool {
    norm.as_str()[block.norm.clone()].trim_end().ends_with(':')
}

/// The lead-in of each list item and table cell: for an item of a top-level
/// list or a cell, the paragraph ending with a colon just before its list or
/// table (« Une livraison complète doit comprendre, au minimum : »), else the
/// one just before the first of the titled sibling sections it is in (« …
/// will support the following acceptance criteria: » over « Data Collection
/// », « Data Reporting »); for a nested item, the item it is nested in, when
/// that one ends with a colon.
fn find_lead_ins(blocks: &mut [Block], sections: &[Section], norm: &NormText) {
    for (i, end) in item_runs(blocks) {
        let top = (i..=end).map(|j| blocks[j].depth).min().unwrap_or(0);
        let before = i
            .checked_sub(1)
            .filter(|&b| blocks[b].kind == BlockKind::Paragraph && introduces(&blocks[b], norm));
        let outer =
            before.or_else(|| blocks[i].section.and_then(|s| section_lead_in(blocks, sections, norm, s)));
        // A list with no lead-in of its own whose first item introduces
        // the rest (« Le logiciel devra permettre : o … », then « Import des
        // fichiers… », « Logiciel pour Windows 11. »): that item leads the
        // items after it.
        let first = (outer.is_none()
            && blocks[i].kind == BlockKind::ListItem
            && colon_within(&norm.as_str()[blocks[i].norm.clone()]))
        .then_some(i);
        for j in i..=end {
            blocks[j].lead_in = if blocks[j].depth <= top {
                outer.or(first.filter(|&f| f < j))
            } else {
                // The nearest item above that is less deep.
                (i..j)
                    .rev()
                    .find(|&k| blocks[k].depth < blocks[j].depth)
                    .filter(|&k| introduces(&blocks[k], norm))
            };
        }
    }
}

/// Whether `text` holds a colon that introduces what follows (« : » or a
/// colon then a space, as in « following: »; not the one of an address).
fn colon_within(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with(':') || text.contains(" :") || text.contains(": ")
}

/// The block of the paragraph ending with a colon that introduces section
/// `s` and its earlier siblings.
fn section_lead_in(blocks: &[Block], sections: &[Section], norm: &NormText, mut s: usize) -> Option<usize> {
    loop {
        let section = &sections[s];
        let before = section.block.checked_sub(1)?;
        let block = &blocks[before];
        if block.kind == BlockKind::Paragraph && introduces(block, norm) {
            return Some(before);
        }
        // Go on through the sibling section just before, if it is one.
        let mut sibling = block.section?;
        while sections[sibling].level > section.level {
            sibling = sections[sibling].parent?;
        }
        let same = sections[sibling].level == section.level && sections[sibling].parent == section.parent;
        if !same || sibling == s {
            return None;
        }
        s = sibling;
    }
}

/// `s` with every run of white space made one space, trimmed.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Document {
    /// The index of the block containing normalised offset `at`.
    pub fn block_at(&self, at: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.norm.end < at);
        self.blocks.get(i).filter(|b| b.norm.start <= at && at <= b.norm.end).map(|_| i)
    }

    /// The sentence containing normalised offset `at`.
    pub fn sentence_at(&self, at: usize) -> Option<Range<usize>> {
        let i = self.sentences.partition_point(|s| s.end < at);
        self.sentences.get(i).filter(|s| s.start <= at).cloned()
    }

    /// The innermost section containing normalised offset `at`.
    pub fn section_at(&self, at: usize) -> Option<usize> {
        self.block_at(at).and_then(|b| self.blocks[b].section)
    }

    /// The normalised range of the document's title: its first heading when
    /// it comes among the first blocks, else its first block when that reads
    /// as a title (short, not a sentence); `None` for a document that opens
    /// on prose.
    pub fn title(&self) -> Option<Range<usize>> {
        let heading = self.blocks.iter().take(4).find(|b| matches!(b.kind, BlockKind::Heading { .. }));
        let first = self.blocks.first().filter(|b| {
            let text = self.norm.as_str()[b.norm.clone()].trim_end();
            structure::at_most_chars(text, 160) && !text.ends_with(['.', ';', '!', '?', ':'])
        });
        heading.or(first).map(|b| b.norm.clone())
    }

    /// What the document calls its parties (read once, in its opening).
    pub fn parties(&self) -> &parties::Parties {
        self.parties.get_or_init(|| parties::of(self.norm.as_str()))
    }

    /// The latest date the document cites (a document is written no earlier).
    pub fn latest_date(&self) -> Option<dates::Date> {
        *self.latest_date.get_or_init(|| dates::latest(self.norm.as_str()))
    }

    /// The file name, for messages.
    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Read, ReadError> {
        let doc = parse(PathBuf::from("a.md"), Format::Markdown, text.to_string())?;
        Ok((doc, None))
    }

    /// A DOCX, ODT or PDF reading over the time limit is given up; a
    /// reading that panics, on its own thread or on the caller's, is an
    /// error for that file; the readings after them run as before.
    #[test]
    fn a_slow_or_panicking_reading_costs_only_its_file() {
        let limits = package::Limits { max_seconds_per_file: 1, ..Default::default() };
        let slow = within(limits, Some(Format::Pdf), || {
            std::thread::sleep(std::time::Duration::from_millis(2500));
            read("trop tard")
        });
        assert!(matches!(slow, Err(ReadError::Limit { setting: "max-seconds-per-file", .. })), "{slow:?}");
        for format in [Format::Docx, Format::Markdown] {
            let panicked = within(limits, Some(format), || panic!("a reader's bug"));
            assert!(matches!(panicked, Err(ReadError::Corrupt(_))), "{format:?}: {panicked:?}");
        }
        for format in [Format::Odt, Format::Markdown, Format::Text] {
            let next = within(limits, Some(format), || read("Le titulaire livre les données."));
            assert_eq!(next.ok().map(|(d, _)| d.text).as_deref(), Some("Le titulaire livre les données."));
        }
    }
}
