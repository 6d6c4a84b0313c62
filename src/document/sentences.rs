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
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '\u{2026}') {
            // Extend over repeated terminators and closing quotes or brackets.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '"' | ')' | ']' | '\u{2026}') {
                j += 1;
            }
            let ends_here = j < chars.len()
                && chars[j].1 == ' '
                && starts_sentence(chars.get(j + 1).map(|&(_, c)| c))
                && !(c == '.' && is_abbreviation(&text[..pos]));
            if ends_here {
                let end = chars[j].0;
                out.push(base + start..base + end);
                start = end + 1;
                i = j + 1;
                continue;
            }
            i = j;
            continue;
        }
        let _ = pos;
        i += 1;
    }
    let rest = text[start..].trim_end();
    if !rest.is_empty() || out.is_empty() {
        out.push(base + start..base + start + rest.len());
    }
    out
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
