//! The clause library: model clauses to paste, one Markdown file each under
//! `clauses/<lang>/<id>.md`, with placeholders such as `{{acheteur}}`.

use crate::document::Language;
use std::collections::BTreeMap;

/// A model clause.
#[derive(Debug, Clone)]
pub struct Clause {
    /// Its id (the file stem).
    pub id: String,
    /// Its language.
    pub language: Language,
    /// Its text, Markdown, placeholders unfilled.
    pub text: String,
}

impl Clause {
    /// The text with `{{name}}` placeholders replaced by `values`. A
    /// placeholder without a value becomes « [à compléter : name] » (English:
    /// "[to complete: name]"), so that the clause reads as a draft to finish
    /// and never shows its template syntax; in French, « de le » and « à le »
    /// contract as the language does, and a sentence starts with a capital.
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut rest = self.text.as_str();
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c) else { break };
            // `{{name}}`, or `{{name: what to write}}` to say what is expected.
            let inside = &rest[open + 2..close];
            let (name, label) = match inside.split_once(':') {
                Some((name, label)) => (name.trim(), label.trim().to_string()),
                None => (inside.trim(), inside.trim().replace('_', " ")),
            };
            out.push_str(&rest[..open]);
            let value = match values.get(name) {
                Some(v) => v.clone(),
                None => match self.language {
                    Language::Fr => format!("[à compléter : {label}]"),
                    Language::En => format!("[to complete: {label}]"),
                },
            };
            // At the start of a paragraph or a sentence, a capital.
            let before = out.trim_end_matches([' ', '*']);
            let starts = before.is_empty() || before.ends_with(['.', '\n', '!', '?']);
            out.push_str(&if starts { capitalised(&value) } else { value });
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        if self.language == Language::Fr {
            out = contracted(&out);
        }
        out
    }
}

/// `text` with its first letter upper-cased.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// French contractions after a party's name is put in: « de le titulaire »
/// is « du titulaire », « à les » is « aux ».
fn contracted(text: &str) -> String {
    let mut out = text.to_string();
    for (from, to) in [(" de le ", " du "), (" à le ", " au "), (" de les ", " des "), (" à les ", " aux ")]
    {
        out = out.replace(from, to);
    }
    out
}

/// Every model clause, by id and language.
#[derive(Debug, Clone, Default)]
pub struct ClauseLibrary {
    clauses: BTreeMap<(String, Language), Clause>,
}

impl ClauseLibrary {
    /// Adds (or replaces) a clause.
    pub fn insert(&mut self, clause: Clause) {
        self.clauses.insert((clause.id.clone(), clause.language), clause);
    }

    /// The clause `id` in `language`, else in any language.
    pub fn get(&self, id: &str, language: Option<Language>) -> Option<&Clause> {
        language
            .and_then(|l| self.clauses.get(&(id.to_string(), l)))
            .or_else(|| self.clauses.values().find(|c| c.id == id))
    }

    /// Whether a clause `id` exists in some language.
    pub fn contains(&self, id: &str) -> bool {
        self.get(id, None).is_some()
    }

    /// Every clause.
    pub fn iter(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(language: Language, text: &str) -> Clause {
        Clause { id: "x".into(), language, text: text.into() }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn placeholders_are_filled_and_the_rest_marked_to_complete() {
        let c = clause(
            Language::Fr,
            "Le délai est de {{delai_reversibilite}} jours ; {{acheteur}} et {{titulaire}} signent.",
        );
        let out = c.render(&values(&[("acheteur", "la Ville")]));
        assert_eq!(out, "Le délai est de [à compléter : delai reversibilite] jours ; la Ville et [à compléter : titulaire] signent.");
        let en = clause(Language::En, "Within {{exit_notice}} days.");
        assert_eq!(en.render(&BTreeMap::new()), "Within [to complete: exit notice] days.");
    }

    #[test]
    fn a_name_starting_a_sentence_takes_a_capital_and_french_contracts() {
        let c = clause(Language::Fr, "{{titulaire}} remet les données. Sur demande de {{titulaire}}, {{acheteur}} les publie.\n\n**{{acheteur}}** peut les exploiter.");
        let out = c.render(&values(&[("acheteur", "l'autorité délégante"), ("titulaire", "le délégataire")]));
        assert_eq!(
            out,
            "Le délégataire remet les données. Sur demande du délégataire, l'autorité délégante les publie.\n\n**L'autorité délégante** peut les exploiter."
        );
    }
}
