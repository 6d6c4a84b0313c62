//! The names a contract gives its parties: « la Région, ci-après dénommée
//! "l'autorité délégante" », "the Department of X (hereinafter the Agency)".
//! Model clauses speak of the parties by these names.

use std::sync::LazyLock;

use regex::Regex;

/// The parties' names as a document defines them, each with its article
/// (« l'autorité délégante », « le Délégataire », "the Agency").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parties {
    /// The public party: the buyer or the conceding authority.
    pub buyer: Option<String>,
    /// The private party: the contractor, the concessionaire.
    pub contractor: Option<String>,
    /// The words it uses for them, when it defines no names: a delegation
    /// (« délégataire », « délégation ») rather than a concession.
    pub delegation: bool,
    /// « pouvoir adjudicateur » more often than « acheteur ».
    pub adjudicateur: bool,
}

/// How much of a document is read for its parties: a contract defines them
/// in its opening, and a whole 50 MB file need not be read for that.
const OPENING: usize = 256 * 1024;

/// What the document calls its parties: its definitions, else its words.
pub fn of(text: &str) -> Parties {
    let mut end = text.len().min(OPENING);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut parties = defined(text);
    static WORDS: LazyLock<[Regex; 6]> = LazyLock::new(|| {
        [
            r"(?i)d[ée]l[ée]gataire",
            r"(?i)concessionnaire",
            r"(?i)d[ée]l[ée]gation|d[ée]l[ée]gant",
            r"(?i)concession|conc[ée]dant",
            r"(?i)pouvoir adjudicateur",
            r"(?i)\bacheteur",
        ]
        .map(|p| Regex::new(p).unwrap_or_else(|e| unreachable!("a fixed pattern compiles: {e}")))
    });
    let count = |i: usize| WORDS[i].find_iter(text).count();
    let (delegataire, concessionnaire) = (count(0), count(1));
    parties.delegation =
        if delegataire + concessionnaire > 0 { delegataire > concessionnaire } else { count(2) > count(3) };
    parties.adjudicateur = count(4) > count(5);
    parties
}

/// A definition: « ci-après (dénommé) "X" », "(hereinafter (referred to as) X)".
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:ci-apr[èe]s|ci-dessous)\s*(?:(?:d[ée]nomm|d[ée]sign|appel)[ée]e?s?\s*)?(?:par\s+)?[«"“]\s*([^»"”\n]{2,40}?)\s*[»"”]|\(?hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?[“"]?((?:the\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}))[”"]?"#,
    )
    .unwrap_or_else(|e| unreachable!("a fixed pattern compiles: {e}"))
});

/// What the public party is called.
static BUYER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(acheteur|pouvoir adjudicateur|autorit[ée] (conc[ée]dante|d[ée]l[ée]gante|contractante)|d[ée]l[ée]gant|conc[ée]dant|personne publique|collectivit[ée]|ville|commune|d[ée]partement|r[ée]gion|m[ée]tropole|[ée]tat|administration|ma[îi]tre d.ouvrage|syndicat|communaut[ée]|buyer|agency|authority|department|state|county|city|government|purchaser|owner)\b",
    )
    .unwrap_or_else(|e| unreachable!("a fixed pattern compiles: {e}"))
});

/// What the private party is called.
static CONTRACTOR_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(titulaire|d[ée]l[ée]gataire|concessionnaire|prestataire|exploitant|fermier|cocontractant|fournisseur|soci[ée]t[ée] d[ée]di[ée]e|contractor|supplier|vendor|offeror|consultant|provider)\b",
    )
    .unwrap_or_else(|e| unreachable!("a fixed pattern compiles: {e}"))
});

/// The first definition of each party in `text`. A name is kept only when it
/// carries its article (« la Ville », "the City"): the clauses use it as is.
fn defined(text: &str) -> Parties {
    let mut parties = Parties::default();
    for caps in DEFINITION.captures_iter(text) {
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else { continue };
        let name = name.as_str().trim().trim_end_matches([',', '.', ';']);
        let Some(name) = with_article(name) else { continue };
        let slot = if CONTRACTOR_WORDS.is_match(&name) {
            &mut parties.contractor
        } else if BUYER_WORDS.is_match(&name) {
            &mut parties.buyer
        } else {
            continue;
        };
        slot.get_or_insert(name);
        if parties.buyer.is_some() && parties.contractor.is_some() {
            break;
        }
    }
    parties
}

/// The article `name` starts with (« l' », « la », "the"…), if any.
pub fn article_of(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    ["l'", "l’", "le ", "la ", "les ", "the "].into_iter().find(|a| lower.starts_with(a))
}

/// The name with its article, lower-cased (« La Ville » → « la Ville »), or
/// `None` when it has none.
fn with_article(name: &str) -> Option<String> {
    let article = article_of(name)?;
    let rest = name.get(article.len()..)?;
    Some(format!("{}{}", article.replace('’', "'"), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A delegation and a « pouvoir adjudicateur » are told by which word
    /// occurs more often, each word counted by its own search.
    #[test]
    fn the_party_words_decide_by_their_counts() {
        let separate = |text: &str| {
            let n = |p: &str| Regex::new(p).map_or(0, |r| r.find_iter(text).count());
            let (delegataire, concessionnaire) = (n(r"(?i)d[ée]l[ée]gataire"), n(r"(?i)concessionnaire"));
            let delegation = if delegataire + concessionnaire > 0 {
                delegataire > concessionnaire
            } else {
                n(r"(?i)d[ée]l[ée]gation|d[ée]l[ée]gant") > n(r"(?i)concession|conc[ée]dant")
            };
            (delegation, n(r"(?i)pouvoir adjudicateur") > n(r"(?i)\bacheteur"))
        };
        for text in [
            "Le DÉLÉGATAIRE et le concessionnaire ; le délégataire, le Concessionnaire, les concessionnaires.",
            "La concession, l'autorité délégante, la délégation, le concédant, les Concessions.",
            "Contrat de concession. Autorité DÉLÉGANTE. Délégation de service public.",
            "Le pouvoir adjudicateur, l'acheteur, le Pouvoir Adjudicateur, les sous-acheteurs, ACHETEUR.",
            "",
        ] {
            let p = of(text);
            assert_eq!((p.delegation, p.adjudicateur), separate(text), "{text}");
        }
    }

    #[test]
    fn french_definitions_in_quotes() {
        let text = "La Région Grand Est, ci-après dénommée « l'Autorité délégante », et la société Routes SAS, ci-après désignée « le Délégataire ».";
        let p = defined(text);
        assert_eq!(p.buyer.as_deref(), Some("l'Autorité délégante"));
        assert_eq!(p.contractor.as_deref(), Some("le Délégataire"));
    }

    #[test]
    fn plain_quotes_and_no_verb() {
        let p = defined(
            "La commune de Saint-Lô, ci-après \"la Commune\". Le titulaire, ci-après « le Prestataire ».",
        );
        assert_eq!(p.buyer.as_deref(), Some("la Commune"));
        assert_eq!(p.contractor.as_deref(), Some("le Prestataire"));
    }

    #[test]
    fn english_hereinafter() {
        let p = defined("The Department of Transportation (hereinafter the Department) and Acme Inc. (hereinafter referred to as the Contractor).");
        assert_eq!(p.buyer.as_deref(), Some("the Department"));
        assert_eq!(p.contractor.as_deref(), Some("the Contractor"));
    }

    #[test]
    fn names_without_article_or_party_word_are_ignored() {
        let p = defined("Le présent document, ci-après « CCAP », et le bordereau, ci-après « BPU ».");
        assert_eq!(p, Parties::default());
    }
}
