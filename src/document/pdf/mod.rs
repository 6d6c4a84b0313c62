//! PDF reader: text by page (`text`: the content streams walked over lopdf's
//! objects, with `font` and `lexer`), then lowered to blocks. The rendition is the extracted text, line for line, so `line`
//! and `page` point at what a reader sees. Running headers and footers (a
//! line repeated at the top or bottom of most pages, page numbers included)
//! and table-of-contents lines are left out of the blocks; lines ending with
//! a hyphen are joined to the next; numbered short lines are headings.

mod font;
mod lexer;
mod text;

use super::{BlockKind, Builder, Document, Format, ReadError};
use regex::Regex;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{LazyLock, Once};

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(
        r"^(?:(?:ARTICLE|Article|CHAPITRE|Chapitre|TITRE|Titre|ANNEXE|Annexe)\s+)?(\d+(?:\.\d+)*)\.?\s+\S",
    )
    .expect("heading regex is valid")
});
static TOC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    // Dotted leaders, or a numbered title in capitals ending with its page.
    Regex::new(r"(\.\s?){4,}\s*\d+\s*$|^\d+(\.\d+)*\.?\s+[^\p{Ll}]+\s\d{1,3}$").expect("toc regex is valid")
});

thread_local! {
    /// Set while a PDF is being extracted on this thread, so that a panic
    /// inside the extractor is reported as a `parse-error`, not printed.
    static EXTRACTING: Cell<bool> = const { Cell::new(false) };
}

/// Reads the PDF in `bytes`.
pub fn read(path: PathBuf, bytes: &[u8]) -> Result<Document, ReadError> {
    let pages = extract(bytes)?;
    let alphanumeric: usize = pages.iter().map(|p| p.chars().filter(|c| c.is_alphanumeric()).count()).sum();
    if alphanumeric < 16 * pages.len().max(1) {
        return Err(ReadError::NoTextLayer);
    }
    Ok(build(path, &pages))
}

fn extract(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXTRACTING.with(Cell::get) {
                default(info);
            }
        }));
    });
    EXTRACTING.with(|e| e.set(true));
    let result = std::panic::catch_unwind(|| extract_pages(bytes));
    EXTRACTING.with(|e| e.set(false));
    result.unwrap_or_else(|_| {
        Err(ReadError::Corrupt("damaged or unsupported PDF (the text extractor failed)".to_string()))
    })
}

/// The text of each page of the PDF in `bytes`, loaded once.
fn extract_pages(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        let message = e.to_string();
        if message.to_lowercase().contains("crypt") {
            ReadError::Encrypted
        } else {
            ReadError::Corrupt(format!("damaged or unsupported PDF ({message})"))
        }
    })?;
    if page_tree_loops(&doc) {
        return Err(ReadError::Corrupt(
            "damaged PDF: its page tree loops (a page or a node is its own ancestor)".to_string(),
        ));
    }
    // A PDF encrypted with an empty user password opens; any other does not.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ReadError::Encrypted);
    }
    Ok(text::pages(&doc))
}

/// The deepest page tree read: `/Parent` chains are followed this far up
/// for inherited entries, and a deeper one is reported as a loop.
const DEEPEST_TREE: usize = 256;

/// Whether a `/Parent` chain of `doc` loops or runs deeper than any real
/// page tree: such a PDF is reported as damaged rather than read with the
/// pages or resources that the loop hides.
fn page_tree_loops(doc: &lopdf::Document) -> bool {
    doc.objects.iter().any(|(id, object)| {
        let mut seen = vec![*id];
        let mut current = object;
        loop {
            let parent = current.as_dict().ok().and_then(|d| d.get(b"Parent").ok()?.as_reference().ok());
            let Some(parent) = parent else { return false };
            if seen.contains(&parent) || seen.len() > DEEPEST_TREE {
                return true;
            }
            seen.push(parent);
            match doc.objects.get(&parent) {
                Some(next) => current = next,
                None => return false,
            }
        }
    })
}

/// One line of the rendition.
struct Line {
    range: Range<usize>,
    page: u32,
    skip: bool,
}

fn build(path: PathBuf, pages: &[String]) -> Document {
    let mut text = String::new();
    let mut lines: Vec<Line> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let page_lines: Vec<&str> = page.lines().map(str::trim_end).collect();
        for line in page_lines {
            if !text.is_empty() {
                text.push('\n');
            }
            let start = text.len();
            text.push_str(line);
            lines.push(Line { range: start..text.len(), page: i as u32 + 1, skip: false });
        }
    }
    mark_running_lines(&text, &mut lines, pages.len());
    let mut b = Builder::new(path, Format::Pdf, text.clone());
    // The page of the last line of the open paragraph, if one is open.
    let mut open: Option<u32> = None;
    let mut previous: Option<Range<usize>> = None;
    // Where the blank line (or table-of-contents line) since the previous
    // line starts: it ends a paragraph, except at a page break.
    let mut gap: Option<usize> = None;
    for line in &lines {
        let content = text[line.range.clone()].trim();
        if line.skip || content.is_empty() || TOC_LINE.is_match(content) {
            if !line.skip || content.is_empty() {
                gap = gap.or(Some(line.range.start));
            }
            continue;
        }
        let lead = text[line.range.clone()].len() - text[line.range.clone()].trim_start().len();
        let range = line.range.start + lead..line.range.end;
        let gap_at = gap.take();
        if let Some(level) = heading_level(content) {
            b.close(gap_at.unwrap_or(range.start));
            b.set_page(Some(line.page));
            b.open(BlockKind::Heading { level }, range.start);
            b.push_source(range.clone());
            b.close(range.end);
            open = None;
            previous = None;
            continue;
        }
        let bullet = content.starts_with(['•', '▪', '◦', '●', '–', '-', '\u{f0b7}', '\u{f0a7}']);
        let prev_text = previous.as_ref().map_or("", |p| text[p.clone()].trim_end());
        let continues = match open {
            Some(_) if bullet => false,
            Some(page) if page == line.page => gap_at.is_none(),
            // A sentence that runs on over a page break: the next page goes
            // on in lower case, or a date is cut between its month and its
            // year (« l'arrêté du 30 mars » / « 2021 (publié au JORF) »). A
            // page that starts with any other number (a page number, « 2. »)
            // starts a block.
            Some(_) => {
                !prev_text.ends_with(['.', ':', ';', '!', '?'])
                    && (content.starts_with(char::is_lowercase) || date_runs_on(prev_text, content))
            }
            None => false,
        };
        if continues {
            if prev_text.ends_with('-') && content.starts_with(|c: char| c.is_lowercase()) {
                // A word cut at the line end: joined, its hyphen kept
                // (in tender prose most such hyphens are real: accord-cadre).
            } else if let (false, Some(prev)) = (prev_text.ends_with('\u{ad}'), &previous) {
                b.push_break(prev.end..range.start);
            }
        } else {
            b.close(gap_at.unwrap_or(range.start));
            b.set_page(Some(line.page));
            b.open(if bullet { BlockKind::ListItem } else { BlockKind::Paragraph }, range.start);
        }
        open = Some(line.page);
        // A bullet is markup, not text.
        let range = if bullet {
            let marker = content.chars().next().map_or(0, char::len_utf8);
            range.start + marker..range.end
        } else {
            range
        };
        b.push_source(range.clone());
        previous = Some(range);
    }
    b.close(text.len());
    b.finish()
}

/// Whether `prev` ends with a month and `next` starts with its year.
fn date_runs_on(prev: &str, next: &str) -> bool {
    let month = prev.rsplit(char::is_whitespace).next().unwrap_or("");
    super::dates::is_month(month) && next.chars().take_while(char::is_ascii_digit).count() == 4
}

/// A short numbered line without a final period is a heading, its level the
/// depth of its number: `4. OBJET DE L'ACCORD-CADRE`, `5.2 Durée`.
fn heading_level(line: &str) -> Option<u8> {
    if line.chars().count() > 120 || line.ends_with('.') || line.ends_with(',') || line.ends_with(';') {
        return None;
    }
    let caps = HEADING.captures(line)?;
    let number = caps.get(1)?.as_str();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let depth = number.split('.').filter(|p| !p.is_empty()).count();
    let article = line.starts_with(|c: char| c.is_alphabetic());
    // Numbered sentences and list items ("3 jours ouvrés…", "1. - Le résumé")
    // are not headings: ask for capitals, an « Article » word, or a short
    // title under a multi-level number.
    let capitals = upper * 3 >= letters.len() * 2;
    if letters.len() < 3 || !(capitals || article || (depth >= 2 && line.chars().count() <= 60)) {
        return None;
    }
    u8::try_from(depth).ok().map(|l| l.clamp(1, 6))
}

/// Marks the lines repeated at the top or bottom of most pages (running
/// headers, footers and page numbers, digits ignored) to be left out.
fn mark_running_lines(text: &str, lines: &mut [Line], pages: usize) {
    if pages < 3 {
        return;
    }
    let key = |r: &Range<usize>| -> String {
        text[r.clone()]
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The first and last three non-empty lines of each page.
    let mut edges: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let page = lines[i].page;
        let j = lines[i..].iter().position(|l| l.page != page).map_or(lines.len(), |p| i + p);
        let filled: Vec<usize> =
            (i..j).filter(|&k| !text[lines[k].range.clone()].trim().is_empty()).collect();
        edges.extend(filled.iter().take(3));
        edges.extend(filled.iter().rev().take(3).filter(|k| !filled.iter().take(3).any(|f| f == *k)));
        i = j;
    }
    let mut counts: HashMap<String, Vec<usize>> = HashMap::new();
    for &k in &edges {
        counts.entry(key(&lines[k].range)).or_default().push(k);
    }
    let threshold = (pages / 2).max(2);
    for found in counts.values() {
        let mut on_pages: Vec<u32> = found.iter().map(|&k| lines[k].page).collect();
        on_pages.dedup();
        if on_pages.len() >= threshold {
            for &k in found {
                lines[k].skip = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_lines_headings_and_hyphens() {
        let page = |n: u32, body: &str| format!("AMF – Accord-cadre 2022\n\n{body}\n\n - {n} - \n");
        let pages = vec![
            page(1, "4.  OBJET DE L’ACCORD-CADRE\n\nLe présent accord-\ncadre a pour objet la maintenance\ndes plateformes."),
            page(2, "5.1. Durée\n\nL’accord-cadre est conclu pour un an."),
            page(3, "Table\n1. PRESENTATION ............ 5\n\nFin."),
        ];
        let d = build(PathBuf::from("a.pdf"), &pages);
        let blocks: Vec<(BlockKind, &str, Option<u32>)> =
            d.blocks.iter().map(|b| (b.kind, &d.norm.as_str()[b.norm.clone()], b.page)).collect();
        assert_eq!(
            blocks,
            vec![
                (BlockKind::Heading { level: 1 }, "4. OBJET DE L'ACCORD-CADRE", Some(1)),
                (
                    BlockKind::Paragraph,
                    "Le présent accord-cadre a pour objet la maintenance des plateformes.",
                    Some(1)
                ),
                (BlockKind::Heading { level: 2 }, "5.1. Durée", Some(2)),
                (BlockKind::Paragraph, "L'accord-cadre est conclu pour un an.", Some(2)),
                (BlockKind::Paragraph, "Table", Some(3)),
                (BlockKind::Paragraph, "Fin.", Some(3)),
            ]
        );
        // Spans point into the rendition, line for line.
        let at = d.norm.as_str().find("maintenance").unwrap();
        let span = d.norm.source_range(at..at + "maintenance".len());
        assert_eq!(&d.text[span.clone()], "maintenance");
        assert_eq!(d.lines.line_col(&d.text, span.start).line, 6);
    }

    #[test]
    fn a_sentence_runs_on_over_a_page_break() {
        let page = |n: u32, body: &str| format!("CCTP – Logiciel\n\n{body}\n\n - {n} - \n");
        let pages = vec![
            page(1, "Les livrables sont décrits ici.\n\nLe mémoire est remis au format Word"),
            page(2, "ou équivalent. Les plans suivent.\n\nLe CCAG-TIC approuvé par l'arrêté du 30 mars"),
            page(3, "2021 s'applique.\n\nDernière page, sans point"),
            page(4, "2. Article suivant"),
        ];
        let d = build(PathBuf::from("a.pdf"), &pages);
        let blocks: Vec<(&str, Option<u32>)> =
            d.blocks.iter().map(|b| (&d.norm.as_str()[b.norm.clone()], b.page)).collect();
        assert_eq!(
            blocks,
            vec![
                ("Les livrables sont décrits ici.", Some(1)),
                ("Le mémoire est remis au format Word ou équivalent. Les plans suivent.", Some(1)),
                ("Le CCAG-TIC approuvé par l'arrêté du 30 mars 2021 s'applique.", Some(2)),
                ("Dernière page, sans point", Some(3)),
                ("2. Article suivant", Some(4)),
            ]
        );
    }

    #[test]
    fn numbered_sentences_are_not_headings() {
        assert_eq!(
            heading_level("3 jours ouvrés après la notification du bon de commande, le titulaire remet"),
            None
        );
        assert_eq!(heading_level("12. ARTICLE DOUZE"), Some(1));
        assert_eq!(heading_level("Article 7 – Propriété intellectuelle"), Some(1));
    }
}
