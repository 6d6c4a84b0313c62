//! `--format html`: one self-contained page for people who never open a
//! terminal. A coverage table first (for each dossier, which guarantees the
//! packs look for are there), then each dossier's documents and findings in
//! reading order, with the sentence, the legal basis quoted and linked, the
//! replacement, and each model clause once with a copy button. No external
//! fetch: styles and script are inline, so the file works offline and as an
//! e-mail attachment. Labels follow the documents' language.

use super::{DossierSummary, FileReport, Report};
use crate::diagnostic::Diagnostic;
use crate::document::Language;
use crate::rules::{Severity, Theme};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// How far a dossier covers a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// No rule of the theme applies to the dossier.
    NotApplicable,
    /// Rules of the theme apply and none found anything.
    Covered,
    /// Some of the theme's rules found something.
    Partly,
    /// Every rule of the theme that applies found something.
    Missing,
}

/// The coverage of `theme` in `dossier`, given the rules that found something there.
pub fn coverage(dossier: &DossierSummary, theme: Theme, fired: &BTreeSet<&str>) -> Coverage {
    let applied: Vec<&str> =
        dossier.rules.iter().filter(|r| r.theme == Some(theme)).map(|r| &*r.id).collect();
    let found = applied.iter().filter(|id| fired.contains(*id)).count();
    match (applied.len(), found) {
        (0, _) => Coverage::NotApplicable,
        (_, 0) => Coverage::Covered,
        (n, k) if k == n => Coverage::Missing,
        _ => Coverage::Partly,
    }
}

struct Words {
    title: &'static str,
    summary: &'static str,
    caption: &'static str,
    dossier: &'static str,
    documents: &'static str,
    findings: &'static str,
    no_findings: &'static str,
    monitor: &'static str,
    covered: &'static str,
    partly: &'static str,
    missing: &'static str,
    not_applicable: &'static str,
    errors: &'static str,
    warnings: &'static str,
    infos: &'static str,
    line: &'static str,
    page: &'static str,
    replace: &'static str,
    legal_basis: &'static str,
    clause: &'static str,
    clause_above: &'static str,
    copy: &'static str,
    copied: &'static str,
    annex: &'static str,
    unreadable: &'static str,
    legend: &'static str,
    generated: &'static str,
    severities: [&'static str; 3],
    dossiers: &'static str,
    /// What comes before a colon: a no-break space in French.
    colon: &'static str,
}

const FR: Words = Words {
    title: "Rapport de conformité",
    summary: "Couverture par dossier",
    caption: "Pour chaque dossier, les garanties que les règles recherchent : présentes, en partie, absentes, ou sans objet pour ce dossier.",
    dossier: "Dossier",
    documents: "Documents",
    findings: "Constats",
    no_findings: "Aucun constat.",
    monitor: "Dossiers qui couvrent le thème",
    covered: "couvert",
    partly: "en partie",
    missing: "absent",
    not_applicable: "sans objet",
    errors: "erreurs",
    warnings: "avertissements",
    infos: "infos",
    line: "ligne",
    page: "p.",
    replace: "Remplacer par",
    legal_basis: "Base légale",
    clause: "Clause type à insérer",
    clause_above: "clause type donnée plus haut",
    copy: "Copier la clause",
    copied: "Clause copiée",
    annex: "annexe",
    unreadable: "Des documents de ce dossier n'ont pas pu être lus : sa couverture est incomplète.",
    legend: "Un thème est couvert quand aucune de ses règles ne relève de manque, absent quand toutes en relèvent un.",
    generated: "Produit par clausier",
    severities: ["erreur", "avertissement", "info"],
    dossiers: "dossiers",
    colon: "\u{a0}:",
};

const EN: Words = Words {
    title: "Compliance report",
    summary: "Coverage by dossier",
    caption: "For each dossier, the guarantees the rules look for: present, partly present, missing, or not applicable to this dossier.",
    dossier: "Dossier",
    documents: "Documents",
    findings: "Findings",
    no_findings: "No finding.",
    monitor: "Dossiers covering the theme",
    covered: "covered",
    partly: "partly",
    missing: "missing",
    not_applicable: "not applicable",
    errors: "errors",
    warnings: "warnings",
    infos: "infos",
    line: "line",
    page: "p.",
    replace: "Replace with",
    legal_basis: "Legal basis",
    clause: "Model clause to insert",
    clause_above: "model clause given above",
    copy: "Copy the clause",
    copied: "Clause copied",
    annex: "annex",
    unreadable: "Some documents of this dossier could not be read: its coverage is incomplete.",
    legend: "A theme is covered when none of its rules finds a gap, missing when all of them do.",
    generated: "Made by clausier",
    severities: ["error", "warning", "info"],
    dossiers: "dossiers",
    colon: ":",
};

/// The language of the page: that of most documents.
fn language(report: &Report) -> Language {
    let docs = report.dossiers.iter().flat_map(|d| &d.documents);
    let fr = docs.clone().filter(|d| d.language == Language::Fr).count();
    let en = docs.filter(|d| d.language == Language::En).count();
    if fr >= en && fr > 0 {
        Language::Fr
    } else {
        Language::En
    }
}

/// `text` escaped for HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders `report` as one HTML page.
pub fn render(report: &Report) -> String {
    let lang = language(report);
    let w = match lang {
        Language::Fr => &FR,
        Language::En => &EN,
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>clausier — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.as_str(),
        w.title
    );
    let s = report.summary();
    let _ = write!(
        out,
        "<header><h1>{}</h1><p>{} {} · {} {} · {} {} · {} {}</p></header>\n<main>\n",
        w.title,
        report.dossiers.len(),
        if report.dossiers.len() == 1 { w.dossier.to_lowercase() } else { w.dossiers.to_string() },
        s.errors,
        w.errors,
        s.warnings,
        w.warnings,
        s.infos,
        w.infos
    );
    let files = Files::of(report);
    summary_table(&mut out, report, &files, w, lang);
    let mut clauses_shown: BTreeSet<String> = BTreeSet::new();
    for (i, dossier) in report.dossiers.iter().enumerate() {
        dossier_section(&mut out, &files, dossier, i, w, &mut clauses_shown);
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>{} {}</p></footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        w.generated,
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// The report's files by path: each dossier finds its own without a scan
/// of every file.
struct Files<'a>(HashMap<&'a Path, &'a FileReport>);

impl<'a> Files<'a> {
    fn of(report: &'a Report) -> Files<'a> {
        Files(report.files.iter().map(|f| (f.path.as_path(), f)).collect())
    }

    fn get(&self, path: &Path) -> Option<&'a FileReport> {
        self.0.get(path).copied()
    }

    /// The findings of `dossier`'s files, those that could not be read included.
    fn findings(&self, dossier: &DossierSummary) -> Vec<&'a Diagnostic> {
        let paths = dossier
            .documents
            .iter()
            .map(|d| d.path.as_path())
            .chain(dossier.unread.iter().map(PathBuf::as_path));
        paths.filter_map(|p| self.get(p)).flat_map(|f| &f.diagnostics).collect()
    }
}

fn summary_table(out: &mut String, report: &Report, files: &Files, w: &Words, lang: Language) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"coverage\">\n<h2 id=\"coverage\">{}</h2>\n<p>{}</p>\n<div class=\"scroll\"><table class=\"coverage\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        w.summary, w.legend, w.caption, w.dossier
    );
    for theme in Theme::ALL {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(theme.title(lang)));
    }
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        w.errors, w.warnings, w.infos
    );
    let mut totals = [0usize; Theme::ALL.len()];
    let mut applicable = [0usize; Theme::ALL.len()];
    for (i, dossier) in report.dossiers.iter().enumerate() {
        let found = files.findings(dossier);
        let fired: BTreeSet<&str> = found.iter().map(|d| &*d.rule).collect();
        let _ = write!(out, "<tr><th scope=\"row\"><a href=\"#dossier-{i}\">{}</a></th>", esc(&dossier.name));
        for (t, theme) in Theme::ALL.into_iter().enumerate() {
            let c = coverage(dossier, theme, &fired);
            let (class, mark, word) = match c {
                Coverage::Covered => ("covered", "✓", w.covered),
                Coverage::Partly => ("partly", "◐", w.partly),
                Coverage::Missing => ("missing", "✗", w.missing),
                Coverage::NotApplicable => ("na", "–", w.not_applicable),
            };
            if c != Coverage::NotApplicable {
                applicable[t] += 1;
            }
            if c == Coverage::Covered {
                totals[t] += 1;
            }
            let _ = write!(out, "<td class=\"{class}\"><span aria-hidden=\"true\">{mark}</span> {word}</td>");
        }
        let count = |sev: Severity| found.iter().filter(|d| d.severity == sev).count();
        let _ = writeln!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        );
    }
    out.push_str("</tbody>\n");
    if report.dossiers.len() > 1 {
        let _ = write!(out, "<tfoot><tr><th scope=\"row\">{}</th>", w.monitor);
        for t in 0..Theme::ALL.len() {
            let cell = match applicable[t] {
                0 => "–".to_string(),
                n => format!("{} / {n} ({} %)", totals[t], totals[t] * 100 / n),
            };
            let _ = write!(out, "<td class=\"num\">{cell}</td>");
        }
        out.push_str("<td></td><td></td><td></td></tr></tfoot>\n");
    }
    out.push_str("</table></div>\n</section>\n");
}

fn dossier_section(
    out: &mut String,
    files: &Files,
    dossier: &DossierSummary,
    i: usize,
    w: &Words,
    clauses_shown: &mut BTreeSet<String>,
) {
    let _ = write!(
        out,
        "<section class=\"dossier\" id=\"dossier-{i}\" aria-labelledby=\"dossier-{i}-h\">\n<h2 id=\"dossier-{i}-h\">{}{} {}</h2>\n",
        w.dossier,
        w.colon,
        esc(&dossier.name)
    );
    if !dossier.unread.is_empty() {
        let _ = writeln!(out, "<p class=\"alert\">{}</p>\n<ul>", w.unreadable);
        for path in &dossier.unread {
            let message = files
                .get(path)
                .and_then(|f| f.diagnostics.first())
                .map_or(String::new(), |d| d.message.clone());
            let _ = writeln!(
                out,
                "<li><code>{}</code>{} {}</li>",
                esc(&path.display().to_string()),
                w.colon,
                esc(&message)
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<h3>{}</h3>\n<ul class=\"documents\">", w.documents);
    for d in &dossier.documents {
        let annex = if d.annex { format!(", {}", w.annex) } else { String::new() };
        let _ = writeln!(
            out,
            "<li><code>{}</code> — {} ({}), {}{annex}</li>",
            esc(&d.path.display().to_string()),
            d.kind,
            esc(&d.kind_source),
            d.language.as_str()
        );
    }
    let _ = writeln!(out, "</ul>\n<h3>{}</h3>", w.findings);
    let mut any = false;
    for d in &dossier.documents {
        let Some(file) = files.get(&d.path) else { continue };
        if file.diagnostics.is_empty() {
            continue;
        }
        any = true;
        let _ = write!(
            out,
            "<h4><code>{}</code></h4>\n<ol class=\"findings\">\n",
            esc(&d.path.display().to_string())
        );
        for f in &file.diagnostics {
            finding(out, f, w, clauses_shown);
        }
        out.push_str("</ol>\n");
    }
    if !any {
        let _ = writeln!(out, "<p>{}</p>", w.no_findings);
    }
    out.push_str("</section>\n");
}

/// The line of the finding with the matched words marked (a Markdown
/// heading without its `#` marks).
fn quoted(d: &Diagnostic) -> String {
    let line = d.snippet.trim();
    let line = if d.matched.starts_with('#') { line } else { line.trim_start_matches('#').trim_start() };
    match (!d.matched.is_empty()).then(|| line.find(d.matched.as_str())).flatten() {
        Some(at) => format!(
            "{}<mark>{}</mark>{}",
            esc(&line[..at]),
            esc(&d.matched),
            esc(&line[at + d.matched.len()..])
        ),
        None => esc(line),
    }
}

fn finding(out: &mut String, d: &Diagnostic, w: &Words, clauses_shown: &mut BTreeSet<String>) {
    let severity = d.severity.as_str();
    let shown = match d.severity {
        Severity::Error => w.severities[0],
        Severity::Warning => w.severities[1],
        Severity::Info => w.severities[2],
    };
    let mut place = format!("{} {}:{}", w.line, d.start.line, d.start.column);
    if let Some(p) = d.page {
        place = format!("{} {p}, {place}", w.page);
    }
    if let Some(section) = &d.section {
        place.push_str(&format!(", § {}", esc(section)));
    }
    let _ = write!(
        out,
        "<li class=\"finding sev-{severity}\"><article>\n<h5><span class=\"sev\">{shown}</span> <code>{}</code> {}</h5>\n<p class=\"place\">{place}</p>\n<p class=\"message\">{}</p>\n",
        esc(&d.rule),
        esc(&d.title),
        esc(&d.message)
    );
    if !d.snippet.trim().is_empty() {
        let _ = writeln!(out, "<blockquote class=\"context\"><p>{}</p></blockquote>", quoted(d));
    }
    if let Some(fix) = &d.fix {
        let _ =
            writeln!(out, "<p class=\"fix\">{}{} <q>{}</q></p>", w.replace, w.colon, esc(&fix.replacement));
    }
    if !d.legal_basis.is_empty() {
        let _ = writeln!(out, "<details class=\"basis\"><summary>{}</summary>\n<ul>", w.legal_basis);
        for l in d.legal_basis.iter() {
            let reference = match &l.url {
                Some(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(&l.reference)),
                None => esc(&l.reference),
            };
            let quote = l
                .quote
                .as_ref()
                .map_or(String::new(), |q| format!("<blockquote><p>{}</p></blockquote>", esc(q)));
            let _ = writeln!(out, "<li>{reference}{quote}</li>");
        }
        out.push_str("</ul></details>\n");
    }
    if let Some(clause) = &d.clause {
        if clauses_shown.insert(clause.id.clone()) {
            let id = format!("clause-{}", esc(&clause.id));
            let _ = write!(
                out,
                "<details class=\"clause\"><summary>{} (<code>{}</code>)</summary>\n<pre id=\"{id}\">{}</pre>\n<button type=\"button\" data-copy=\"{id}\" data-done=\"{}\">{}</button>\n</details>\n",
                w.clause,
                esc(&clause.id),
                esc(&clause.text),
                w.copied,
                w.copy
            );
        } else {
            let _ = writeln!(
                out,
                "<p class=\"clause-ref\">{}{} <a href=\"#clause-{}\"><code>{}</code></a> ({})</p>",
                w.clause,
                w.colon,
                esc(&clause.id),
                esc(&clause.id),
                w.clause_above
            );
        }
    }
    out.push_str("</article></li>\n");
}

const STYLE: &str = r#"
:root { --fg: #1b1b1b; --bg: #fff; --muted: #555; --line: #ccc; --ok: #0b6b2b; --part: #8a5a00; --bad: #a4000f; --na: #555; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 70rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; margin: .5rem 0; } h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; } h4 { font-size: 1rem; margin-bottom: .3rem; } h5 { font-size: 1rem; margin: 0 0 .2rem; }
a { color: #0645ad; } a:focus, button:focus, summary:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.scroll { overflow-x: auto; }
table.coverage { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.coverage caption { text-align: left; color: var(--muted); padding: .3rem 0; }
table.coverage th, table.coverage td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
table.coverage thead th { background: #f2f2f2; }
td.covered { color: var(--ok); } td.partly { color: var(--part); } td.missing { color: var(--bad); font-weight: 600; } td.na { color: var(--na); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.findings { list-style: none; padding: 0; }
li.finding { border-left: 6px solid var(--line); padding: .5rem .8rem; margin: .8rem 0; background: #fafafa; }
li.sev-error { border-left-color: var(--bad); } li.sev-warning { border-left-color: var(--part); } li.sev-info { border-left-color: #1a5fb4; }
.sev { display: inline-block; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; border: 1px solid currentColor; padding: 0 .3rem; border-radius: 3px; }
.place { color: var(--muted); margin: 0; font-size: .9rem; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid var(--line); color: #333; }
mark { background: #fff3a8; color: inherit; text-decoration: underline; text-decoration-thickness: 2px; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: .6rem; border: 1px solid var(--line); }
button { font: inherit; padding: .3rem .8rem; cursor: pointer; }
.alert { border: 2px solid var(--bad); padding: .5rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  details > summary { list-style: none; font-weight: 600; }
  details:not([open]) > *:not(summary) { display: block; }
  button, script { display: none; }
  a { color: inherit; } a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; }
  li.finding, tr { break-inside: avoid; }
}
"#;

const SCRIPT: &str = r#"
document.addEventListener('click', function (e) {
  var b = e.target.closest('button[data-copy]');
  if (!b) return;
  var text = document.getElementById(b.getAttribute('data-copy')).textContent;
  var done = function () { b.textContent = b.getAttribute('data-done'); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    var area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); done(); } finally { document.body.removeChild(area); }
  }
});
"#;
