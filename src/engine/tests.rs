//! The check kinds on small rule sets and documents.

use super::Engine;
use crate::document::{self, Document, Format};
use crate::rules::load_rule_set;
use crate::rules::sources::{RuleTree, SourceFile};
use std::collections::BTreeMap;
use std::path::PathBuf;

const TOPICS: &str = "- name: software\n  min-matches: 2\n  patterns: ['logiciels?']\n";

fn engine(rules: &[(&str, &str)]) -> Engine {
    let mut files = vec![SourceFile {
        relative: "topics.yaml".into(),
        display: "topics.yaml".into(),
        text: TOPICS.into(),
        json: None,
    }];
    files.push(SourceFile {
        relative: "clauses/fr/c.md".into(),
        display: "c.md".into(),
        text: "Clause pour {{acheteur}}.".into(),
        json: None,
    });
    for (id, body) in rules {
        let message = if body.contains("require-with") {
            "m {match}|{missing}"
        } else if body.contains("substitute") {
            "m {match}|{replacement}"
        } else if body.contains("require") {
            "m"
        } else {
            "m {match}"
        };
        let text =
            format!("id: {id}\ntitle: T\nseverity: warning\nmessage: '{message}'\nexplanation: e\n{body}");
        files.push(SourceFile {
            relative: format!("p/{id}.yaml"),
            display: format!("{id}.yaml"),
            text,
            json: None,
        });
    }
    let set = load_rule_set(&[RuleTree { name: "t".into(), files }]).unwrap();
    Engine::new(set, BTreeMap::from([("acheteur".to_string(), "la Ville".to_string())]))
}

fn doc(name: &str, text: &str) -> Document {
    document::parse(PathBuf::from(name), Format::Markdown, text.to_string()).unwrap()
}

/// `(file, line, message)` of each finding, sorted.
fn check(engine: &Engine, docs: &[Document]) -> Vec<(String, usize, String)> {
    let mut out: Vec<_> = engine
        .check_dossier(docs)
        .into_iter()
        .map(|d| (d.path.display().to_string(), d.start.line, d.message))
        .collect();
    out.sort();
    out
}

#[test]
fn forbid_with_unless_in_each_scope() {
    let e = engine(&[
        ("in-sentence", "check: { forbid: { patterns: [alpha], unless: { patterns: [beta] } } }"),
        (
            "in-paragraph",
            "check: { forbid: { patterns: [gamma], unless: { patterns: [beta], within: paragraph } } }",
        ),
        (
            "in-section",
            "check: { forbid: { patterns: [delta], unless: { patterns: [omega], within: section } } }",
        ),
    ]);
    let d = doc(
        "a.md",
        "# T\n\nAlpha beta. Alpha. Gamma. Beta.\n\nGamma.\n\n## S\n\nDelta.\n\nOmega.\n\n## U\n\nDelta.\n",
    );
    let found = check(&e, &[d]);
    let lines: Vec<(usize, &str)> = found.iter().map(|(_, l, m)| (*l, m.as_str())).collect();
    assert_eq!(lines, vec![(3, "m Alpha"), (5, "m Gamma"), (15, "m Delta")]);
}

#[test]
fn forbid_when_needs_its_context() {
    let e = engine(&[("req", "check: { forbid: { patterns: [word], when: { patterns: [shall] } } }")]);
    let found = check(&e, &[doc("a.md", "Staff use Word today. Reports shall use Word.\n")]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2, "m Word");
}

#[test]
fn require_is_satisfied_anywhere_in_the_dossier() {
    let e = engine(&[(
        "needs-data",
        "applies-to: { kinds: [ccap] }\ncheck:\n  require:\n    patterns: ['donn[ée]es ouvertes']\n    anchor: { kinds: [ccap], sections: ['propri[ée]t[ée]'] }\nclause: c",
    )]);
    let ccap = || doc("d/ccap.md", "# CCAP\n\n## Article 2 – Propriété intellectuelle\n\nRien.\n");
    let cctp = doc("d/cctp.md", "# CCTP\n\nLes données ouvertes sont publiées.\n");
    assert!(check(&e, &[ccap(), cctp]).is_empty());
    let found = e.check_dossier(&[ccap(), doc("d/cctp.md", "# CCTP\n\nRien.\n")]);
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!((d.path.to_str(), d.start.line), (Some("d/ccap.md"), 3), "anchored at the IP article");
    assert_eq!(d.clause.as_ref().map(|c| &*c.text), Some("Clause pour la Ville."));
    // Not a CCAP in the dossier: the rule does not apply.
    assert!(check(&e, &[doc("d/cctp.md", "# CCTP\n\nRien.\n")]).is_empty());
}

#[test]
fn require_in_sections_with_and_unless() {
    let e = engine(&[(
        "scoped",
        "check:\n  require:\n    patterns: ['code source']\n    in-sections: ['livrables']\n    with: { all: [['remis']] }\n    unless: { patterns: [\"n'est pas\"] }",
    )]);
    let ok = doc("a.md", "# T\n\n## Livrables\n\n### Détail\n\nLe code source est remis.\n");
    assert!(check(&e, &[ok]).is_empty(), "a subsection of the named section counts");
    let elsewhere = doc("a.md", "# T\n\n## Annexe\n\nLe code source est remis.\n");
    assert_eq!(check(&e, &[elsewhere]).len(), 1);
    let without_companion = doc("a.md", "# T\n\n## Livrables\n\nLe code source existe.\n");
    assert_eq!(check(&e, &[without_companion]).len(), 1);
    let negated = doc("a.md", "# T\n\n## Livrables\n\nLe code source n'est pas remis.\n");
    assert_eq!(check(&e, &[negated]).len(), 1);
}

#[test]
fn require_with_names_the_missing_companions() {
    let e = engine(&[(
        "terms",
        "check:\n  require-with:\n    when: ['fourniture des donn[ée]es']\n    companions:\n      - { name: format, patterns: [CSV, JSON] }\n      - { name: calendrier, patterns: [mensuel\\w*] }",
    )]);
    let d = doc("a.md", "# T\n\n## A\n\nLa fourniture des données est mensuelle.\n\n## B\n\nLa fourniture des données en CSV est mensuelle.\n");
    let found = check(&e, &[d]);
    assert_eq!(found, vec![("a.md".to_string(), 5, "m fourniture des données|format".to_string())]);
}

#[test]
fn substitute_carries_its_replacement() {
    let e = engine(&[(
        "old-ccag",
        "check: { substitute: [{ term: 'CCAG-TIC 2009', replacement: 'CCAG-TIC 2021' }] }",
    )]);
    let found = e.check_dossier(&[doc("a.md", "Le CCAG\u{2011}TIC 2009 s’applique.\n")]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "m CCAG\u{2011}TIC 2009|CCAG-TIC 2021");
    assert_eq!(found[0].fix.as_ref().map(|f| f.replacement.as_str()), Some("CCAG-TIC 2021"));
}

#[test]
fn applies_to_kinds_languages_and_topics() {
    let e = engine(&[
        ("fr-only", "applies-to: { languages: [fr] }\ncheck: { forbid: { patterns: [Excel] } }"),
        ("cctp-only", "applies-to: { kinds: [cctp] }\ncheck: { forbid: { patterns: [Excel] } }"),
        ("software-only", "applies-to: { topics: [software] }\ncheck: { forbid: { patterns: [Excel] } }"),
    ]);
    let ids = |docs: &[Document]| {
        let mut v: Vec<String> = e.check_dossier(docs).into_iter().map(|d| d.rule.to_string()).collect();
        v.sort();
        v
    };
    let fr = "# Cahier des clauses techniques particulières\n\nLe titulaire utilise Excel pour le marché.\n";
    assert_eq!(ids(&[doc("cctp.md", fr)]), vec!["cctp-only", "fr-only"]);
    let software = format!("{fr}\nLes logiciels et le logiciel libre.\n");
    assert_eq!(ids(&[doc("cctp.md", &software)]), vec!["cctp-only", "fr-only", "software-only"]);
    let en = "# Statement of Work\n\nThe contractor shall use Excel for the reports.\n";
    assert!(ids(&[doc("sow.md", en)]).is_empty());
}

#[test]
fn a_list_item_is_read_with_its_lead_in() {
    let e = engine(&[("req", "check: { forbid: { patterns: [word], when: { patterns: [shall] } } }")]);
    let d = doc(
        "a.md",
        "# T\n\nThe deliverables shall include:\n\n- a Word file;\n- a plan.\n\nThe team uses:\n\n- Word.\n",
    );
    let found = check(&e, &[d]);
    let lines: Vec<usize> = found.iter().map(|(_, l, _)| *l).collect();
    // The first item is a requirement through its lead-in, the second list is not.
    assert_eq!(lines, vec![5]);
}

#[test]
fn findings_share_what_they_have_in_common() {
    let e = engine(&[(
        "needs-data",
        "applies-to: { kinds: [ccap] }\ncheck:\n  require:\n    patterns: ['donn[ée]es ouvertes']\n    anchor: { kinds: [ccap], sections: ['propri[ée]t[ée]'] }\nclause: c",
    )]);
    let ccap = |name: &str| doc(name, "# CCAP\n\n## Article 2 – Propriété intellectuelle\n\nRien.\n");
    let (a, b) = (e.check_dossier(&[ccap("a/ccap.md")]), e.check_dossier(&[ccap("b/ccap.md")]));
    let (Some(a), Some(b)) = (a.first(), b.first()) else { panic!("one finding in each dossier") };
    assert_ne!(a.path, b.path);
    assert!(std::sync::Arc::ptr_eq(&a.rule, &b.rule) && std::sync::Arc::ptr_eq(&a.title, &b.title));
    let (Some(sa), Some(sb)) = (&a.section, &b.section) else { panic!("both in the IP article") };
    assert!(std::sync::Arc::ptr_eq(sa, sb));
    let (Some(ca), Some(cb)) = (&a.clause, &b.clause) else { panic!("both propose the clause") };
    assert_eq!(&*ca.text, "Clause pour la Ville.");
    assert!(std::sync::Arc::ptr_eq(&ca.text, &cb.text), "one rendered clause, held once");
}
