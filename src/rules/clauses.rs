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
    /// The text with `{{name}}` placeholders replaced by `values`; unknown
    /// placeholders are left as they are, so that they stand out.
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = self.text.clone();
        for (name, value) in values {
            out = out.replace(&format!("{{{{{name}}}}}"), value);
        }
        out
    }
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

    #[test]
    fn placeholders() {
        let c =
            Clause { id: "x".into(), language: Language::Fr, text: "{{acheteur}} et {{titulaire}}".into() };
        let values = BTreeMap::from([("acheteur".to_string(), "La Ville".to_string())]);
        assert_eq!(c.render(&values), "La Ville et {{titulaire}}");
    }
}
