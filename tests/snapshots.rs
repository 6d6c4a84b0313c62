//! One snapshot per built-in rule, reviewed like code: every finding its
//! fixtures give (line, column, end, severity, message, fix, clause) and the
//! diff that `fix --unsafe-fixes --insert-clauses` makes of each fixture. A
//! wrong column, a broken message or a bad fix changes the snapshot; review
//! the change with `cargo insta review` (or accept with `INSTA_UPDATE=always`).

use clausier::config::Config;
use clausier::document::{self, Format};
use clausier::engine::Engine;
use clausier::fix::{self, FixOptions};
use clausier::rules;
use std::fmt::Write;
use std::path::PathBuf;

#[test]
fn every_rule_matches_its_reviewed_snapshot() {
    let tree = rules::builtin::tree();
    let set = rules::load_rule_set(std::slice::from_ref(&tree)).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/rules");
    let _guard = settings.bind_to_scope();
    for rule in &set.rules {
        // Fixtures of `rules/fr/x.yaml` are `rules/fr/x/*.md`.
        let folder = rule.file.rsplit_once('.').map_or(rule.file.as_str(), |(stem, _)| stem);
        let mut fixtures: Vec<&rules::sources::SourceFile> = tree
            .files
            .iter()
            .filter(|f| matches!(f.extension().as_str(), "md" | "txt"))
            .filter(|f| f.display.rsplit_once('/').is_some_and(|(dir, _)| dir == folder))
            .collect();
        fixtures.sort_by(|a, b| a.display.cmp(&b.display));
        assert!(!fixtures.is_empty(), "{} has no fixtures", rule.id);
        let mut subset = set.clone();
        subset.retain(|r| r.id == rule.id && r.pack == rule.pack);
        let engine = Engine::new(subset, Default::default());
        let mut out = String::new();
        for f in fixtures {
            let format = Format::from_path(f.display.as_ref()).unwrap_or(Format::Markdown);
            let doc = document::parse(PathBuf::from(&f.display), format, f.text.clone()).unwrap();
            let mut found =
                clausier::lint::dossier_findings(&engine, &Config::default(), std::slice::from_ref(&doc))
                    .pop()
                    .unwrap_or_default();
            found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let name = f.display.rsplit_once('/').map_or(f.display.as_str(), |(_, n)| n);
            let _ = writeln!(out, "## {name}: {} findings", found.len());
            for d in &found {
                let _ = writeln!(
                    out,
                    "{}:{}-{}:{} {} « {} »\n  {}",
                    d.start.line, d.start.column, d.end.line, d.end.column, d.severity, d.matched, d.message
                );
                if let Some(fx) = &d.fix {
                    let _ = writeln!(out, "  fix ({}): {}", fx.applicability.as_str(), fx.replacement);
                }
                if let Some(c) = &d.clause {
                    let _ = writeln!(out, "  clause: {}", c.id);
                }
            }
            let planned = fix::plan(&found, FixOptions { unsafe_fixes: true, insert_clauses: true });
            let (fixed, applied) = fix::apply(&doc.text, fix::edits(&doc, &planned));
            if applied > 0 {
                let diff = similar::TextDiff::from_lines(&doc.text, &fixed);
                let _ = write!(out, "{}", diff.unified_diff().context_radius(1).header("before", "after"));
            }
            out.push('\n');
        }
        insta::assert_snapshot!(format!("{}-{}", rule.pack, rule.id), out);
    }
}
