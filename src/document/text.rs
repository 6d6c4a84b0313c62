//! Plain-text reader: paragraphs are separated by blank lines; a short line
//! followed by a blank line that looks like a numbered article title
//! ("Article 3 – Données", "3.2 Formats") is read as a heading.

use super::{BlockKind, Builder, Document, Format};
use regex::Regex;
use std::path::PathBuf;
use std::sync::LazyLock;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"^(?i:(article|chapitre|titre|section|annexe|chapter|part|schedule|annex)\s+[0-9IVXLC]+[0-9.]*|[0-9]+(\.[0-9]+)*\.?\s+\p{Lu})")
        .expect("heading regex is valid")
});

/// Parses plain `text` read from `path`.
pub fn parse(path: PathBuf, text: String) -> Document {
    let mut b = Builder::new(path, Format::Text, text);
    let source = b.text().to_string();
    let mut first = true;
    for para in paragraphs(&source) {
        let trimmed = &source[para.clone()];
        let one_line = !trimmed.contains('\n');
        let chars = trimmed.chars().count();
        let kind = if first && one_line && chars <= 160 {
            BlockKind::Heading { level: 1 }
        } else if one_line && chars <= 120 && HEADING.is_match(trimmed) {
            BlockKind::Heading { level: 2 }
        } else {
            BlockKind::Paragraph
        };
        first = false;
        b.open(kind, para.start);
        b.push_source(para.clone());
        b.close(para.end);
    }
    b.finish()
}

/// Byte ranges of the paragraphs: runs of non-blank lines, trimmed.
fn paragraphs(source: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<std::ops::Range<usize>> = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end();
        if content.trim().is_empty() {
            out.extend(current.take());
        } else {
            let lead = content.len() - content.trim_start().len();
            let end = offset + content.len();
            match current.as_mut() {
                Some(r) => r.end = end,
                None => current = Some(offset + lead..end),
            }
        }
        offset += line.len();
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_headings() {
        let src = "Règlement de la consultation\n\nArticle 1 – Objet\n\nLe marché porte\nsur des logiciels.\n\n2.1 Formats\n\nTexte.";
        let d = parse(PathBuf::from("rc.txt"), src.into());
        let kinds: Vec<BlockKind> = d.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::Heading { level: 2 },
                BlockKind::Paragraph,
                BlockKind::Heading { level: 2 },
                BlockKind::Paragraph
            ]
        );
        assert_eq!(&d.norm.as_str()[d.blocks[2].norm.clone()], "Le marché porte sur des logiciels.");
    }
}
