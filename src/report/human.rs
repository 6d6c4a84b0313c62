//! The human report: each finding rendered with ariadne, the exact words
//! underlined in their line, the legal basis as a note, the replacement or
//! the model clause as help.

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::document::Language;
use crate::rules::Severity;
use ariadne::{Color, Config, IndexType, Label, ReportKind, Source};
use std::io::{self, Write};

/// Options of the human rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Use colours.
    pub color: bool,
    /// Leave out the summary line (`--quiet`).
    pub no_summary: bool,
}

struct Words {
    legal_basis: &'static str,
    replace: &'static str,
    clause: &'static str,
    above: &'static str,
    /// What comes before a colon: a (narrow no-break) space in French.
    colon: &'static str,
    /// Quotation marks around a quoted text.
    quotes: (&'static str, &'static str),
}

fn words(language: Language) -> Words {
    match language {
        Language::Fr => Words {
            legal_basis: "base légale",
            replace: "remplacer par",
            clause: "clause type à insérer",
            above: "texte plus haut",
            colon: "\u{202f}:",
            quotes: ("« ", " »"),
        },
        Language::En => Words {
            legal_basis: "legal basis",
            replace: "replace with",
            clause: "model clause to insert",
            above: "text above",
            colon: ":",
            quotes: ("\u{201c}", "\u{201d}"),
        },
    }
}

fn kind(severity: Severity) -> ReportKind<'static> {
    match severity {
        Severity::Error => ReportKind::Custom("error", Color::Red),
        Severity::Warning => ReportKind::Custom("warning", Color::Yellow),
        Severity::Info => ReportKind::Custom("info", Color::Blue),
    }
}

/// Writes `report` for a person to read.
pub fn render(report: &Report, options: HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    // A model clause is printed in full once a run; later findings name it.
    let mut clauses_shown: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for file in &report.files {
        let path = file.path.display().to_string();
        // Indexing the lines of a document costs a pass over it: once per
        // file, not once per finding.
        let mut source: Option<Source<&str>> = None;
        for d in &file.diagnostics {
            if file.text.is_empty() && d.span.is_empty() {
                writeln!(out, "{}[{}]: {}: {}", d.severity, d.rule, path, d.message)?;
                writeln!(out)?;
                continue;
            }
            let first = d.clause.as_ref().is_some_and(|c| clauses_shown.insert(c.id.as_str()));
            let source = source.get_or_insert_with(|| Source::from(file.text.as_str()));
            render_one(d, &path, source, options, first, out)?;
        }
    }
    for d in &report.notes {
        writeln!(out, "{}[{}]: {}: {}", d.severity, d.rule, d.path.display(), d.message)?;
        writeln!(out)?;
    }
    if options.no_summary {
        return Ok(());
    }
    write!(out, "{}", summary_line(report))
}

/// The last line of a report: the counts by severity and the files checked.
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let accepted = match report.accepted {
        0 => String::new(),
        1 => " (1 finding accepted by the baseline, not shown)".to_string(),
        n => format!(" ({n} findings accepted by the baseline, not shown)"),
    };
    format!(
        "{}, {}, {} in {} checked{accepted}.\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
    )
}

fn render_one(
    d: &Diagnostic,
    path: &str,
    source: &Source<&str>,
    options: HumanOptions,
    clause_in_full: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let w = words(d.language);
    let config = Config::default().with_index_type(IndexType::Byte).with_color(options.color);
    // A PDF finding's header says the page first: it is what a reader of
    // the printed document looks for (the line is that of the rendition).
    let id = match d.page {
        Some(p) => format!("p. {p} · {path}"),
        None => path.to_string(),
    };
    let place: Vec<String> = d.section.as_ref().map(|s| format!("§ {s}")).into_iter().collect();
    let label =
        if place.is_empty() { d.title.to_string() } else { format!("{} ({})", d.title, place.join(", ")) };
    let mut builder = ariadne::Report::build(kind(d.severity), (id.clone(), d.span.clone()))
        .with_config(config)
        .with_code(&d.rule)
        .with_message(&d.message)
        .with_label(Label::new((id.clone(), d.span.clone())).with_message(label).with_color(Color::Red));
    for l in d.legal_basis.iter() {
        builder = builder.with_note(format!("{}{} {}", w.legal_basis, w.colon, l.plain()));
    }
    if let Some(fix) = &d.fix {
        let (open, close) = w.quotes;
        builder = builder.with_help(format!("{}{} {open}{}{close}", w.replace, w.colon, fix.replacement));
    }
    if let Some(clause) = &d.clause {
        // The clause is what to paste when nothing else fixes the finding,
        // printed once a run; beside a replacement, or printed above, its id
        // is enough.
        let help = if d.fix.is_none() && clause_in_full {
            format!("{} ({}){}\n{}", w.clause, clause.id, w.colon, clause.text)
        } else if d.fix.is_none() {
            format!("{}{} {} ({})", w.clause, w.colon, clause.id, w.above)
        } else {
            format!("{}{} {} (clausier explain {})", w.clause, w.colon, clause.id, d.rule)
        };
        builder = builder.with_help(help);
    }
    let mut buf = Vec::new();
    builder.finish().write((id, source), &mut buf)?;
    if !options.color {
        // ariadne colours the header of a custom report kind even with colours off.
        buf = strip_ansi(&buf);
    }
    out.write_all(&buf)?;
    writeln!(out)
}

/// Removes ANSI colour sequences (`ESC [ ... m`).
fn strip_ansi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let end = bytes[i + 2..].iter().position(|b| b.is_ascii_alphabetic());
            i += end.map_or(bytes.len(), |e| e + 3);
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}
