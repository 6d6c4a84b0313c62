//! Sentence segmentation for French and English legal prose.
//!
//! Works on normalised block text (quotes are `"`, apostrophes `'`, spaces
//! single). A sentence ends at `.`, `!`, `?` or `…` (and any closing quote or
//! bracket after it) when whitespace and then the start of a new sentence
//! follow. Abbreviations common in tenders (`art.`, `n°`, `M.`, `cf.`,
//! `i.e.`), initials and numbers such as `3.1` do not end a sentence.

use std::ops::Range;

/// Abbreviations, lower-cased, without their final period.
const ABBREVIATIONS: &[&str] = &[
    "art", "arts", "al", "alin", "annexe", "app", "approx", "av", "bd", "c", "cf", "ch", "chap", "co",
    "corp", "dr", "e.g", "env", "etc", "ex", "fig", "hab", "hon", "i.e", "inc", "jr", "ltd", "m", "max",
    "mm", "min", "mlle", "mme", "mr", "mrs", "ms", "n", "no", "nos", "ord", "p", "par", "pp", "prof", "r",
    "ref", "réf", "reg", "regs", "s", "sect", "sr", "st", "tel", "tél", "u.s", "vol", "vs",
];

/// Splits `text` (one block, starting at normalised offset `base`) into sentence ranges.
pub fn split(text: &str, base: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Terminators are ASCII or `…`, whose first byte never occurs inside
    // another character: scanning bytes stays on character boundaries. The
    // first byte of `…` is rare in normalised text: its next place is kept
    // until the scan passes it.
    let mut ellipsis = memchr::memchr(0xE2, bytes);
    loop {
        if ellipsis.is_some_and(|e| e < i) {
            ellipsis = memchr::memchr(0xE2, &bytes[i..]).map(|e| i + e);
        }
        let ascii = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]).map(|p| i + p);
        let Some(pos) = [ascii, ellipsis].into_iter().flatten().min() else { break };
        let Some(len) = terminator(text, pos) else {
            i = pos + 1;
            continue;
        };
        // Extend over repeated terminators and closing quotes or brackets.
        let mut j = pos + len;
        while let Some(l) = terminator(text, j).or_else(|| closing(bytes, j)) {
            j += l;
        }
        let ends_here = bytes.get(j) == Some(&b' ')
            && starts_sentence(text[j + 1..].chars().next())
            && !(bytes[pos] == b'.' && is_abbreviation(&text[..pos]));
        if ends_here {
            out.push(base + start..base + j);
            start = j + 1;
            i = j + 1;
        } else {
            i = j;
        }
    }
    let rest = text[start..].trim_end();
    if !rest.is_empty() || out.is_empty() {
        out.push(base + start..base + start + rest.len());
    }
    out
}

/// The length of the sentence terminator at byte `at`, if there is one.
fn terminator(text: &str, at: usize) -> Option<usize> {
    match text.as_bytes().get(at)? {
        b'.' | b'!' | b'?' => Some(1),
        _ if text[at..].starts_with('\u{2026}') => Some('\u{2026}'.len_utf8()),
        _ => None,
    }
}

/// The length of the closing quote or bracket at byte `at`, if there is one.
fn closing(bytes: &[u8], at: usize) -> Option<usize> {
    matches!(bytes.get(at)?, b'"' | b')' | b']').then_some(1)
}

fn starts_sentence(next: Option<char>) -> bool {
    match next {
        // Not `(`: « .dwg. (ou équivalent) » goes on with the same sentence.
        Some(c) => c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '-' | '\u{2022}'),
        None => false,
    }
}

/// Whether the word just before a period is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '[' | '\''))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // A single capital: an initial (M. Dupont, J. Smith).
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next()) {
        return first.is_uppercase();
    }
    // `n°`, `N°` and friends.
    if word.ends_with('\u{b0}') {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text, 0).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn french_legal_prose() {
        let text = "Conformément à l'art. R2111-7 du code, la mention est exigée. M. Dupont signe le marché n° 2024-3. Les offres sont remises au format Word.";
        assert_eq!(
            sentences(text),
            vec![
                "Conformément à l'art. R2111-7 du code, la mention est exigée.",
                "M. Dupont signe le marché n° 2024-3.",
                "Les offres sont remises au format Word.",
            ]
        );
    }

    #[test]
    fn numbers_and_quotes() {
        let text = "Voir l'article 3.1 du CCAP. Il précise \"Le format est libre.\" Puis il s'arrête";
        assert_eq!(
            sentences(text),
            vec!["Voir l'article 3.1 du CCAP.", "Il précise \"Le format est libre.\"", "Puis il s'arrête",]
        );
    }

    #[test]
    fn english_abbreviations() {
        let text = "Deliverables, e.g. reports, shall use Word. See FAR 11.104 and U.S. rules. Done.";
        assert_eq!(
            sentences(text),
            vec!["Deliverables, e.g. reports, shall use Word.", "See FAR 11.104 and U.S. rules.", "Done.",]
        );
    }

    #[test]
    fn offsets_are_absolute() {
        let r = split("Ab c. De f.", 10);
        assert_eq!(r, vec![10..15, 16..21]);
    }
}
