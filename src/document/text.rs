//! Plain-text reader: paragraphs are separated by blank lines, their lines
//! kept apart by breaks so that a title line or a bullet among them is found
//! (by the structure pass, as in every format); a short first line that is
//! not a sentence is the title.

use super::{BlockKind, Builder, Document, Format};
use std::path::PathBuf;

/// Parses plain `text` read from `path`.
pub fn parse(path: PathBuf, text: String) -> Document {
    let mut b = Builder::new(path, Format::Text, text);
    let source = b.text().to_string();
    let mut first = true;
    for para in paragraphs(&source) {
        let trimmed = &source[para.clone()];
        let one_line = !trimmed.contains('\n');
        let sentence = trimmed.trim_end().ends_with(['.', ';', '!', '?', ':', ',']);
        let kind = if first && one_line && trimmed.chars().count() <= 160 && !sentence {
            BlockKind::Heading { level: 1 }
        } else {
            BlockKind::Paragraph
        };
        first = false;
        b.open(kind, para.start);
        let mut offset = para.start;
        for line in trimmed.split_inclusive('\n') {
            let content = line.trim_end();
            let lead = content.len() - content.trim_start().len();
            if offset > para.start {
                b.push_break(offset - 1..offset + lead);
            }
            b.push_source(offset + lead..offset + content.len());
            offset += line.len();
        }
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
                BlockKind::Heading { level: 12 },
                BlockKind::Paragraph,
                BlockKind::Heading { level: 13 },
                BlockKind::Paragraph
            ]
        );
        assert_eq!(&d.norm.as_str()[d.blocks[2].norm.clone()], "Le marché porte sur des logiciels.");
    }
}
