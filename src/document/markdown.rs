//! Markdown reader: CommonMark with tables and footnotes, through pulldown-cmark.
//!
//! Spans are exact byte ranges of the source. Inline markup (emphasis, links,
//! code spans) is not part of any block's text; HTML comments are kept for
//! suppressions and fixture annotations; YAML front matter is read for
//! `clausier: { kind, lang }`.

use super::{BlockKind, Builder, Declared, Document, Format, ReadError};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::ops::Range;
use std::path::PathBuf;

/// Parses Markdown `text` read from `path`.
pub fn parse(path: PathBuf, text: String) -> Result<Document, ReadError> {
    let declared = front_matter(&text)?;
    let mut b = Builder::new(path, Format::Markdown, text);
    b.declare(declared);
    // The builder owns the text; parse a copy of the events' source positions
    // against a borrowed view of it.
    let source = b.text().to_string();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut item_depth = 0usize;
    let mut footnote_depth = 0usize;
    let mut skip_depth = 0usize;
    let mut html_start: Option<usize> = None;
    let mut html_ranges: Vec<Range<usize>> = Vec::new();
    let mut loose_heading: Option<(u8, usize)> = None;
    // Inside an indented code block: in a tender it is prose (text
    // extracted from a PDF keeps its indentation), read line by line.
    let mut indented = false;
    for (event, range) in Parser::new_ext(&source, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => b.open(BlockKind::Heading { level: level as u8 }, range.start),
                Tag::Paragraph => {
                    let kind = if footnote_depth > 0 {
                        BlockKind::Footnote
                    } else if item_depth > 0 {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    loose_heading = loose_heading_level(&source[range.start..]);
                    match loose_heading {
                        Some((level, _)) => b.open(BlockKind::Heading { level }, range.start),
                        None => b.open(kind, range.start),
                    }
                }
                Tag::Item => {
                    item_depth += 1;
                    b.set_depth(item_depth);
                    b.open(BlockKind::ListItem, range.start);
                }
                Tag::List(_) => b.close(range.start),
                Tag::TableCell => b.open(BlockKind::TableCell, range.start),
                Tag::FootnoteDefinition(_) => {
                    footnote_depth += 1;
                    b.close(range.start);
                }
                Tag::CodeBlock(CodeBlockKind::Indented) if skip_depth == 0 => {
                    b.close(range.start);
                    indented = true;
                }
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) => {
                    b.close(range.start);
                    skip_depth += 1;
                }
                Tag::HtmlBlock => html_start = Some(range.start),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::TableCell => b.close(range.end),
                TagEnd::Item => {
                    b.close(range.end);
                    item_depth = item_depth.saturating_sub(1);
                    b.set_depth(item_depth);
                }
                TagEnd::FootnoteDefinition => {
                    b.close(range.end);
                    footnote_depth = footnote_depth.saturating_sub(1);
                }
                TagEnd::CodeBlock if indented => {
                    b.close(range.end);
                    indented = false;
                }
                TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => skip_depth = skip_depth.saturating_sub(1),
                TagEnd::HtmlBlock => {
                    if let Some(start) = html_start.take() {
                        html_ranges.push(start..range.end);
                    }
                }
                _ => {}
            },
            Event::Text(t) if indented => indented_lines(&mut b, &source, range, &t),
            Event::Text(t) if skip_depth == 0 => {
                ensure_open(&mut b, item_depth, footnote_depth, range.start);
                // The hashes of a loose heading are markup, not text.
                let (range, text) = match loose_heading.take() {
                    Some((_, hashes)) if t.starts_with(&"#".repeat(hashes)) => {
                        (range.start + hashes..range.end, &t[hashes..])
                    }
                    _ => (range, &t[..]),
                };
                if source.get(range.clone()) == Some(text) {
                    b.push_source(range);
                } else {
                    b.push_mapped(text, range);
                }
            }
            Event::Code(t) => {
                ensure_open(&mut b, item_depth, footnote_depth, range.start);
                match source.get(range.clone()).and_then(|s| s.find(t.as_ref())) {
                    Some(i) => b.push_source(range.start + i..range.start + i + t.len()),
                    None => b.push_mapped(&t, range),
                }
            }
            Event::SoftBreak | Event::HardBreak if b.is_open() => {
                if b.open_kind().is_some_and(|k| matches!(k, BlockKind::Heading { .. })) {
                    // A loose heading ends with its line; the rest is a paragraph.
                    b.open(BlockKind::Paragraph, range.end);
                } else {
                    b.push_break(range);
                }
            }
            Event::InlineHtml(_) => html_ranges.push(range),
            Event::Html(_) if html_start.is_none() => html_ranges.push(range),
            _ => {}
        }
    }
    for range in html_ranges {
        collect_comments(&mut b, &source, range);
    }
    Ok(b.finish())
}

/// Lines of an indented block: each run of non-blank lines a paragraph,
/// its lines joined by breaks (a title or a bullet among them is found by
/// the structure pass).
fn indented_lines(b: &mut Builder, source: &str, range: Range<usize>, text: &str) {
    let verbatim = source.get(range.clone()) == Some(text);
    let mut offset = range.start;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        let lead = content.len() - content.trim_start().len();
        let at = offset + lead;
        if content.trim().is_empty() {
            b.close(offset);
        } else {
            if b.is_open() {
                b.push_break(offset..at);
            } else {
                b.open(BlockKind::Paragraph, at);
            }
            if verbatim {
                b.push_source(at..offset + content.len());
            } else {
                b.push_mapped(content.trim_start(), range.clone());
            }
        }
        if verbatim {
            offset += line.len();
        }
    }
}

/// A line such as `##1.0 BACKGROUND`: CommonMark wants a space after the
/// hashes, but documents converted from word processors often lack it, and
/// their authors meant a heading. Returns its level and number of hashes.
fn loose_heading_level(line: &str) -> Option<(u8, usize)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let next = line[hashes..].chars().next()?;
    let level = u8::try_from(hashes).ok().filter(|l| (1..=6).contains(l))?;
    (!next.is_whitespace() && next != '#').then_some((level, hashes))
}

fn ensure_open(b: &mut Builder, item_depth: usize, footnote_depth: usize, at: usize) {
    if !b.is_open() {
        let kind = if footnote_depth > 0 {
            BlockKind::Footnote
        } else if item_depth > 0 {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        b.open(kind, at);
    }
}

fn collect_comments(b: &mut Builder, source: &str, range: Range<usize>) {
    let Some(slice) = source.get(range.clone()) else {
        return;
    };
    let mut from = 0;
    while let Some(open) = slice[from..].find("<!--") {
        let body = from + open + 4;
        let Some(close) = slice[body..].find("-->") else {
            break;
        };
        let end = body + close + 3;
        b.comment(&slice[body..body + close], range.start + from + open..range.start + end);
        from = end;
    }
}

#[derive(Deserialize)]
struct FrontMatter {
    clausier: Option<ClausierMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClausierMeta {
    kind: Option<String>,
    lang: Option<String>,
}

/// Reads `clausier: { kind, lang }` from YAML front matter, if any.
fn front_matter(text: &str) -> Result<Declared, ReadError> {
    let Some(body) = front_matter_body(text) else {
        return Ok(Declared::default());
    };
    let invalid = |line: usize, message: String| ReadError::FrontMatter { line, message };
    let meta: FrontMatter = serde_saphyr::from_str(body).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line() as usize) + 1;
        invalid(line, e.without_snippet().to_string())
    })?;
    let Some(meta) = meta.clausier else {
        return Ok(Declared::default());
    };
    Ok(Declared {
        kind: meta.kind.map(|k| k.parse()).transpose().map_err(|m| invalid(2, m))?,
        language: meta.lang.map(|l| l.parse()).transpose().map_err(|m| invalid(2, m))?,
    })
}

fn front_matter_body(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(&rest[..offset]);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocKind;

    fn doc(src: &str) -> Document {
        parse(PathBuf::from("t.md"), src.to_string()).unwrap()
    }

    fn block_texts(d: &Document) -> Vec<(BlockKind, &str)> {
        d.blocks.iter().map(|b| (b.kind, &d.norm.as_str()[b.norm.clone()])).collect()
    }

    #[test]
    fn blocks_without_markup() {
        let d = doc("# Article 1 – Objet\n\nLe **titulaire** remet un\nfichier [Word](http://x).\n\n- premier\n- second `.docx`\n\n| a | b |\n|---|---|\n| Excel | c |\n");
        assert_eq!(
            block_texts(&d),
            vec![
                (BlockKind::Heading { level: 1 }, "Article 1 - Objet"),
                (BlockKind::Paragraph, "Le titulaire remet un fichier Word."),
                (BlockKind::ListItem, "premier"),
                (BlockKind::ListItem, "second .docx"),
                (BlockKind::TableCell, "a"),
                (BlockKind::TableCell, "b"),
                (BlockKind::TableCell, "Excel"),
                (BlockKind::TableCell, "c"),
            ]
        );
        assert_eq!(d.sections[0].title, "Article 1 – Objet");
        let word = d.norm.as_str().find("Word").unwrap();
        assert_eq!(&d.text[d.norm.source_range(word..word + 4)], "Word");
    }

    #[test]
    fn nested_sections_and_front_matter() {
        let d = doc("---\ntitle: x\nclausier:\n  kind: ccap\n  lang: fr\n---\n# Titre\n\n## Art. 1\n\nTexte.\n\n## Art. 2\n\nAutre.\n");
        assert_eq!(d.kind, DocKind::Ccap);
        assert_eq!(d.sections.len(), 3);
        assert_eq!(d.sections[1].parent, Some(0));
        assert_eq!(d.sections[2].parent, Some(0));
        let autre = d.norm.as_str().find("Autre").unwrap();
        assert_eq!(d.section_at(autre), Some(2));
        assert!(!d.norm.as_str().contains("title"));
    }

    #[test]
    fn a_list_and_its_lead_in_form_one_paragraph() {
        let d = doc("Le délégataire fournit :\n\n- les données ;\n- au format CSV.\n\nAutre.\n");
        let p = &d.blocks[1].paragraph;
        assert_eq!(&d.norm.as_str()[p.clone()], "Le délégataire fournit :\nles données ;\nau format CSV.");
        assert_eq!(d.blocks[0].paragraph, *p);
        assert_eq!(d.blocks[3].paragraph, d.blocks[3].norm);
    }

    #[test]
    fn loose_headings_without_a_space() {
        let d =
            doc("##1.0 BACKGROUND\nThe agency runs\na portal.\n\n###5.5 Transition\n\n#hashtag and # not\n");
        assert_eq!(
            block_texts(&d),
            vec![
                (BlockKind::Heading { level: 2 }, "1.0 BACKGROUND"),
                (BlockKind::Paragraph, "The agency runs a portal."),
                (BlockKind::Heading { level: 3 }, "5.5 Transition"),
                (BlockKind::Heading { level: 1 }, "hashtag and # not"),
            ]
        );
        assert_eq!(d.sections[0].title, "1.0 BACKGROUND");
    }

    #[test]
    fn comments_are_kept() {
        let d = doc("Texte <!-- inline -->\n\n<!--\nexpect: x\n-->\nSuite\n");
        let texts: Vec<&str> = d.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["inline", "expect: x"]);
        assert!(!d.norm.as_str().contains("expect"));
    }

    #[test]
    fn bad_front_matter_is_an_error() {
        let err = parse(PathBuf::from("t.md"), "---\nclausier:\n  kind: nope\n---\n".into()).unwrap_err();
        assert!(err.to_string().contains("unknown document kind `nope`"), "{err}");
    }
}
