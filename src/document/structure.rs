//! The structure of text that lost its markup: article titles written as
//! plain lines, page markers, bullets typed as characters, sentences cut by
//! a blank line. Real tenders reach clausier as text extracted from PDFs, as
//! Word documents without heading styles, as Markdown converted from either:
//! « ARTICLE 8 ENGAGEMENTS DU TITULAIRE », « 8.7 Propriété intellectuelle »
//! and « Article 21 » over its title are sections all the same, « ## Page 3 »
//! is not, and « • le code source » is a list item read with its lead-in.
//!
//! Every reader's blocks go through [`refine`], so the outline does not
//! depend on the format; [`title_rank`] is also what the PDF reader asks of
//! each line.

use super::{Block, BlockKind, Format, Language, NormText};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

fn compile(p: &str) -> Regex {
    // The patterns are constants of this file, checked by its tests.
    #[allow(clippy::expect_used)]
    Regex::new(p).expect("structure regexes are valid")
}

/// « Article 7 – Objet », « TITRE III », « CHAPITRE 2 : Données », « Annexe 1 ».
static KEYWORD_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    let keywords: Vec<String> = TITLE_KEYWORDS.iter().map(|k| regex::escape(k)).collect();
    compile(&format!(
        r"^(?i:({}))\s+(\d{{1,3}}(?:\.\d{{1,3}})*|[IVXLC]{{1,6}}|1er|Ier|premier|unique|[A-Z])(?:\b|$)\.?(.*)$",
        keywords.join("|")
    ))
});
/// « 8.7 Propriété intellectuelle », « 2 DESCRIPTION », « C.5 Security Review ».
static NUMBERED_TITLE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^((?:\d{1,3}|[A-Z])(?:\.\d{1,3})*)\.?\s+(\S.*)$"));
/// « I. OBJET DU MARCHÉ ».
static ROMAN_TITLE: LazyLock<Regex> = LazyLock::new(|| compile(r"^([IVXLC]{1,6})[.\-–]?\s+(\S.*)$"));
/// A table-of-contents line: dotted leaders, or a numbered title in capitals ending with its page.
static TOC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$|^\d+(\.\d+)*\.?\s+[^\p{Ll}]+\s\d{1,3}$")
});
/// « Page 3 », « page 3 sur 20 », « - 3 - », « 3/20 ».
static PAGE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^(?i:page|p\.)\s*(\d{1,4})(?:\s*(?:/|sur|of|de)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$|^\d{1,4}\s*/\s*\d{1,4}$",
    )
});

/// Whether `line` is a line of a table of contents.
pub fn is_toc_line(line: &str) -> bool {
    // Each form ends with a page number: a line that does not is not
    // matched at all (nor the pattern compiled, for a short file).
    let line = line.trim();
    line.ends_with(char::is_numeric) && TOC_LINE.is_match(line)
}

/// The words a title starts with (`KEYWORD_TITLE`'s alternatives, in its
/// order: « sous-section » before « section »).
const TITLE_KEYWORDS: &[&str] = &[
    "livre",
    "partie",
    "part",
    "titre",
    "title",
    "chapitre",
    "chapter",
    "sous-section",
    "section",
    "article",
    "art.",
    "annexe",
    "annex",
    "appendix",
    "schedule",
    "attachment",
    "exhibit",
];

/// `KEYWORD_TITLE`'s captures on `line`: the pattern is run only on a line
/// whose first word may be a keyword (one in ASCII must be one of them).
fn keyword_title(line: &str) -> Option<regex::Captures<'_>> {
    let first = line.split(char::is_whitespace).next().unwrap_or("");
    if first.is_ascii() && !TITLE_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(first)) {
        return None;
    }
    KEYWORD_TITLE.captures(line)
}

/// Whether `text` holds at most `most` characters, counted only when its
/// length in bytes cannot tell (a character is one to four bytes).
pub(crate) fn at_most_chars(text: &str, most: usize) -> bool {
    text.len() <= most || (text.len() <= 4 * most && text.chars().count() <= most)
}

/// How deep the title on `line` sits in a document's outline (1: a part or
/// book; 2: a title; 3: a chapter; 6: an article or a one-level number such
/// as « 2 DESCRIPTION »; 7: « 2.1 … »; and so on), or `None` when the line
/// is not a title: a sentence that starts with « Article 12 du CCAG… », a
/// numbered sentence, a table-of-contents line.
pub fn title_rank(line: &str) -> Option<u8> {
    let line = line.trim();
    if line.is_empty() || !at_most_chars(line, 120) || line.ends_with(['.', ',', ';']) || is_toc_line(line) {
        return None;
    }
    if let Some(c) = keyword_title(line) {
        let keyword = c.get(1)?.as_str().to_lowercase();
        let rest = c.get(3).map_or("", |m| m.as_str()).trim();
        let titled = match rest.chars().next() {
            None => true,
            Some(first) if "-–—:.)".contains(first) => true,
            Some(first) => first.is_uppercase() || first == '"' || first == '\'',
        };
        if !titled || !at_most_chars(rest, 100) {
            return None;
        }
        return Some(match keyword.as_str() {
            "livre" | "partie" | "part" => 1,
            "titre" | "title" => 2,
            "chapitre" | "chapter" => 3,
            "section" => 4,
            "sous-section" => 5,
            _ => 6,
        });
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let capitals = letters.len() >= 3 && upper * 3 >= letters.len() * 2;
    // Each pattern below starts with a number or a capital.
    let numbered = line.starts_with(|c: char| c.is_numeric() || c.is_ascii_uppercase());
    if let Some(c) = numbered.then(|| NUMBERED_TITLE.captures(line)).flatten() {
        let number = c.get(1)?.as_str();
        let rest = c.get(2)?.as_str();
        let depth = number.split('.').filter(|p| !p.is_empty()).count();
        let first = rest.chars().next()?;
        // A letter alone (« A. ») is a title only in capitals; a number
        // needs capitals, or a short title under a multi-level number:
        // « 3 jours ouvrés… » and « 1. - Le résumé » are not titles.
        let lettered = number.starts_with(|c: char| c.is_ascii_uppercase());
        if !first.is_alphabetic() || letters.len() < 3 || (lettered && depth == 1 && !capitals) {
            return None;
        }
        let short_title = depth >= 2 && at_most_chars(line, 60) && first.is_uppercase();
        if !(capitals || short_title) {
            return None;
        }
        return u8::try_from(5 + depth).ok();
    }
    if let Some(c) = line.starts_with(['I', 'V', 'X', 'L', 'C']).then(|| ROMAN_TITLE.captures(line)).flatten()
    {
        let rest = c.get(2)?.as_str();
        if capitals && rest.starts_with(char::is_uppercase) {
            return Some(5);
        }
    }
    None
}

/// Whether `line` is a title made of its keyword and number alone
/// (« Article 21 », « TITRE III »), its words on the lines that follow.
fn bare_title(line: &str) -> bool {
    keyword_title(line.trim()).is_some_and(|c| c.get(3).is_none_or(|m| m.as_str().trim().is_empty()))
}

/// The page a page marker names (« Page 3 »), or `Some(None)` for a marker
/// that names no usable page (« - 3 - » at a page's foot); `None` for any
/// other line.
fn page_marker(line: &str) -> Option<Option<u32>> {
    let line = line.trim();
    // « page », « p. », « - », or a number first.
    if !line.starts_with(|c: char| c == 'p' || c == 'P' || c == '-' || c.is_numeric()) {
        return None;
    }
    let c = PAGE_MARKER.captures(line)?;
    Some(c.get(1).and_then(|m| m.as_str().parse().ok()))
}

/// The length in bytes of the bullet at the start of `line`, with the
/// spaces after it; `None` when the line does not start with a bullet.
fn bullet_len(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    let typed = matches!(
        first,
        '•' | '▪'
            | '◦'
            | '●'
            | '■'
            | '□'
            | '➢'
            | '►'
            | '▶'
            | '✓'
            | '·'
            | '–'
            | '—'
            | '-'
            | '*'
            | 'o'
    );
    let symbol_font = ('\u{f000}'..='\u{f0ff}').contains(&first);
    if !typed && !symbol_font {
        return None;
    }
    let after = &line[first.len_utf8()..];
    let spaces = after.len() - after.trim_start().len();
    let next = after.trim_start().chars().next()?;
    // « -3 % » and « *important* » are not bullets; « o » must stand alone.
    (spaces > 0 || symbol_font).then_some(())?;
    (first != 'o' || next.is_alphabetic()).then_some(first.len_utf8() + spaces)
}

/// What one line of a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Title(u8),
    Bullet(usize),
    Marker(Option<u32>),
    Text,
}

fn classify(line: &str, paged: bool) -> Line {
    if let Some(page) = page_marker(line) {
        return Line::Marker(if paged { None } else { page });
    }
    if let Some(rank) = title_rank(line) {
        return Line::Title(rank);
    }
    bullet_len(line).map_or(Line::Text, Line::Bullet)
}

/// Promoted titles sit below every heading the markup itself gives (levels
/// 1 to 6), so that a plain « 3.1 Formats » nests in the Markdown section
/// « ## Article 3 » it follows.
const PROMOTED: u8 = 6;

/// Refines the blocks of a document read from `format`: splits paragraphs at
/// their title and bullet lines, makes title lines headings (a bare
/// « Article 21 » takes the short lines that follow as its title), drops page
/// markers (a heading « Page 3 » sets the page of what follows, where the
/// format has no pages of its own), and, in formats where a blank line is
/// all that separates paragraphs, joins a paragraph cut in the middle of a
/// sentence. `breaks` are the normalised offsets of the line breaks inside
/// blocks, in order.
pub fn refine(
    blocks: Vec<Block>,
    norm: &mut NormText,
    breaks: &[usize],
    format: Format,
    language: Language,
) -> Vec<Block> {
    let paged = format == Format::Pdf;
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    // Page markers dropped since the last block kept, for joining across them.
    let mut page: Option<u32> = None;
    let mut b = 0;
    for block in blocks {
        let text = norm.as_str();
        let heading = matches!(block.kind, BlockKind::Heading { .. });
        if !heading && block.kind != BlockKind::Paragraph {
            out.push(Block { page: block.page.or(page), ..block });
            continue;
        }
        while b < breaks.len() && breaks[b] <= block.norm.start {
            b += 1;
        }
        // The block's lines, between the breaks inside it.
        let mut lines: Vec<Range<usize>> = Vec::new();
        let mut start = block.norm.start;
        while b < breaks.len() && breaks[b] < block.norm.end {
            if text.as_bytes().get(breaks[b]) == Some(&b' ') && !heading {
                lines.push(start..breaks[b]);
                start = breaks[b] + 1;
            }
            b += 1;
        }
        lines.push(start..block.norm.end);
        let mut pending: Option<Block> = None;
        for line in lines {
            let kind = classify(&text[line.clone()], paged);
            let kind = match (heading, kind) {
                (true, Line::Marker(_)) => kind,
                (true, _) => Line::Title(0),
                (false, k) => k,
            };
            match kind {
                Line::Marker(p) => {
                    out.extend(pending.take());
                    if let (Some(p), true) = (p, heading) {
                        page = Some(p);
                    }
                }
                Line::Title(rank) => {
                    out.extend(pending.take());
                    let kind =
                        if rank == 0 { block.kind } else { BlockKind::Heading { level: PROMOTED + rank } };
                    out.push(Block { kind, norm: line, page: block.page.or(page), ..block.clone() });
                }
                Line::Bullet(len) => {
                    out.extend(pending.take());
                    let norm = line.start + len..line.end;
                    pending = Some(Block {
                        kind: BlockKind::ListItem,
                        norm,
                        page: block.page.or(page),
                        depth: 1,
                        ..block.clone()
                    });
                }
                Line::Text => match pending.as_mut() {
                    Some(p) => p.norm.end = line.end,
                    None => pending = Some(Block { norm: line, page: block.page.or(page), ..block.clone() }),
                },
            }
        }
        out.extend(pending.take());
    }
    let out = join_bare_titles(out, norm);
    let out = promote_unnumbered_titles(out, norm, language);
    let mut out =
        if matches!(format, Format::Markdown | Format::Text) { join_run_ons(out, norm) } else { out };
    for block in &mut out {
        // Every block is one line of the normalised text.
        let mut from = block.norm.start;
        while let Some(at) =
            norm.as_str().as_bytes().get(from..block.norm.end).and_then(|rest| memchr::memchr(b'\n', rest))
        {
            norm.set_separator(from + at, b' ');
            from += at + 1;
        }
        if block.norm.end < norm.len() {
            norm.set_separator(block.norm.end, b'\n');
        }
        block.span = norm.source_range(block.norm.clone());
        block.paragraph = block.norm.clone();
    }
    out
}

/// Joins to a bare title (« Article 21 ») the short lines under it that make
/// its words (« Diffusion de l'information relative », « à l'exploitation de
/// l'autoroute »).
fn join_bare_titles(blocks: Vec<Block>, norm: &NormText) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut absorbed = 0;
    for block in blocks {
        let text = &norm.as_str()[block.norm.clone()];
        if let Some(last) = out.last_mut() {
            let title = &norm.as_str()[last.norm.clone()];
            let bare = matches!(last.kind, BlockKind::Heading { .. }) && (absorbed > 0 || bare_title(title));
            let words = block.kind == BlockKind::Paragraph
                && at_most_chars(text, 80)
                && !text.trim_end().ends_with(['.', ';', '!', '?', ':'])
                && title_rank(text).is_none();
            if bare && words && absorbed < 3 {
                last.norm.end = block.norm.end;
                absorbed += 1;
                continue;
            }
        }
        absorbed = 0;
        out.push(block);
    }
    out
}

/// Whether `line` reads as an unnumbered title: a short line in capitals
/// (« CLAUSES ENVIRONNEMENTALES ») or, in English, in title case
/// (« Business Continuity and Transition Implementation »), without final
/// punctuation. French does not capitalise its titles' words: « Pièce
/// Exigence » is a table's header row.
fn unnumbered_title(line: &str, language: Language) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "de",
        "des", "du", "la", "le", "les", "et", "à", "en", "d'", "l'",
    ];
    let line = line.trim();
    // « Required Format: PDF » is a label and its value, not a title.
    if line.chars().nth(3).is_none()
        || !at_most_chars(line, 80)
        || line.ends_with(['.', ',', ';', ':', '!', '?', ')'])
        || line.contains(": ")
        || bullet_len(line).is_some()
    {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    if words.len() > 10 || letters.len() < 4 || !line.starts_with(char::is_uppercase) {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if upper * 3 >= letters.len() * 2 {
        return words.len() >= 2 || letters.len() >= 6;
    }
    // Title case: every word but the small ones starts with a capital.
    language == Language::En
        && words.len() >= 2
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || SMALL.contains(&w.to_lowercase().as_str())
                || w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// Makes a heading of each paragraph that is an unnumbered title standing on
/// its own (after a finished sentence or a heading, before a new paragraph),
/// one level below the last heading that has a number or a markup level.
fn promote_unnumbered_titles(mut blocks: Vec<Block>, norm: &NormText, language: Language) -> Vec<Block> {
    let mut numbered: u8 = 0;
    for i in 0..blocks.len() {
        let text = &norm.as_str()[blocks[i].norm.clone()];
        if let BlockKind::Heading { level } = blocks[i].kind {
            numbered = level;
            continue;
        }
        if blocks[i].kind != BlockKind::Paragraph || !unnumbered_title(text, language) {
            continue;
        }
        let after_sentence = i == 0
            || matches!(blocks[i - 1].kind, BlockKind::Heading { .. })
            || norm.as_str()[blocks[i - 1].norm.clone()]
                .trim_end()
                .ends_with(['.', ':', ';', '!', '?', '"', ')']);
        let before_text = blocks.get(i + 1).is_some_and(|next| {
            let next_text = &norm.as_str()[next.norm.clone()];
            next.kind != BlockKind::Paragraph
                || next_text.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        });
        if after_sentence && before_text {
            blocks[i].kind = BlockKind::Heading { level: numbered.saturating_add(1).max(PROMOTED + 1) };
        }
    }
    blocks
}

/// Joins a paragraph or list item cut in the middle of a sentence (no final
/// punctuation) to the paragraph that goes on with it (a lower-case start).
fn join_run_ons(blocks: Vec<Block>, norm: &mut NormText) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let Some(last) = out.last_mut() {
            let before = norm.as_str()[last.norm.clone()].trim_end();
            let after = &norm.as_str()[block.norm.clone()];
            let open = matches!(last.kind, BlockKind::Paragraph | BlockKind::ListItem)
                && !before.ends_with(['.', ':', ';', '!', '?', '…', ')', '"'])
                && !before.is_empty();
            if open && block.kind == BlockKind::Paragraph && after.starts_with(char::is_lowercase) {
                // What lies between (a page marker left out) is not text.
                norm.blank(last.norm.end..block.norm.start);
                last.norm.end = block.norm.end;
                continue;
            }
        }
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks made before each pattern only spare it lines it cannot
    /// match: on these lines, each pattern matches exactly where it did
    /// when it was run on every line.
    #[test]
    fn the_checks_before_the_patterns_lose_no_match() {
        let lines = [
            "Article 7 – Objet",
            "ARTICLE 8 ENGAGEMENTS",
            "Art. 3 Prix",
            "Sous-section 2 Données",
            "ſection 2 Données",
            "Article\u{a0}5 Durée",
            "Annexe unique",
            "8.7 Propriété intellectuelle",
            "C.5 Security Design Review",
            "II. OBJET DU MARCHÉ",
            "١٢ عنوان",
            "Page 3 sur 20",
            "p. 4",
            "- 3 -",
            "3/20",
            "1. PRESENTATION ............ 5",
            "Sommaire …… 12",
            "Le titulaire remet les livrables.",
            "# CCTP",
            "",
        ];
        for line in lines {
            let line = line.trim();
            assert_eq!(
                keyword_title(line).map(|c| c.get(0).map(|m| m.range())),
                KEYWORD_TITLE.captures(line).map(|c| c.get(0).map(|m| m.range())),
                "{line}"
            );
            assert_eq!(is_toc_line(line), TOC_LINE.is_match(line), "{line}");
            let page =
                PAGE_MARKER.captures(line).map(|c| c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()));
            assert_eq!(page_marker(line), page, "{line}");
            if NUMBERED_TITLE.is_match(line) || ROMAN_TITLE.is_match(line) {
                assert!(line.starts_with(|c: char| c.is_numeric() || c.is_ascii_uppercase()), "{line}");
            }
        }
    }

    #[test]
    fn titles_and_their_ranks() {
        assert_eq!(title_rank("ARTICLE 8 ENGAGEMENTS DU TITULAIRE"), Some(6));
        assert_eq!(title_rank("Article 21"), Some(6));
        assert_eq!(title_rank("Article 1er"), Some(6));
        assert_eq!(title_rank("Article 7 – Propriété intellectuelle"), Some(6));
        assert_eq!(title_rank("TITRE III"), Some(2));
        assert_eq!(title_rank("TITRE Ier"), Some(2));
        assert_eq!(title_rank("CHAPITRE 2 : Données"), Some(3));
        assert_eq!(title_rank("8.7 Propriété intellectuelle"), Some(7));
        assert_eq!(title_rank("3.2 Livrables"), Some(7));
        assert_eq!(title_rank("4.5.1 Actions d’insertion :"), Some(8));
        assert_eq!(title_rank("2 DESCRIPTION DU CONCENTRATEUR"), Some(6));
        assert_eq!(title_rank("C.5 Security Design Review"), Some(7));
        assert_eq!(title_rank("II. OBJET DU MARCHÉ"), Some(5));
    }

    #[test]
    fn sentences_and_tables_of_contents_are_not_titles() {
        assert_eq!(title_rank("Article 12 du CCAG-TIC est modifié comme suit :"), None);
        assert_eq!(title_rank("2.1. La concession s'étend à tous les terrains."), None);
        assert_eq!(
            title_rank("3 jours ouvrés après la notification du bon de commande, le titulaire remet"),
            None
        );
        assert_eq!(title_rank("1. - Le résumé"), None);
        assert_eq!(title_rank("ARTICLE 1 OBJET DE L’ACCORD CADRE..............................3"), None);
        assert_eq!(title_rank("8.7 Propriété intellectuelle.........................12"), None);
        assert_eq!(title_rank("12 000 euros par jour"), None);
        assert_eq!(title_rank("A. Le titulaire"), None);
        assert_eq!(title_rank("Section 508 compliance is required"), None);
    }

    #[test]
    fn markers_and_bullets() {
        assert_eq!(page_marker("Page 12"), Some(Some(12)));
        assert_eq!(page_marker("page 3 sur 20"), Some(Some(3)));
        assert_eq!(page_marker("- 4 -"), Some(None));
        assert_eq!(page_marker("Page de garde"), None);
        assert_eq!(bullet_len("• le code source"), Some("• ".len()));
        assert_eq!(bullet_len("- les données"), Some(2));
        assert_eq!(bullet_len("o la documentation"), Some(2));
        assert_eq!(bullet_len("-3 %"), None);
        assert_eq!(bullet_len("ou équivalent"), None);
        assert!(bare_title("Article 21"));
        let en = Language::En;
        assert!(unnumbered_title("Business Continuity and Transition Implementation", en));
        assert!(unnumbered_title("CLAUSES ENVIRONNEMENTALES", Language::Fr));
        assert!(unnumbered_title("File Expectations", en));
        assert!(!unnumbered_title("Pièce Exigence", Language::Fr));
        assert!(!unnumbered_title("The Contractor shall deliver the plan", en));
        assert!(!unnumbered_title("Le titulaire fournit les données", Language::Fr));
        assert!(!unnumbered_title("Required Format: PDF and Excel", en));
        assert!(!bare_title("Article 21 – Données"));
    }
}
