//! `fix` on Markdown: any text, checked by the built-in packs and the test
//! pack of display and accented substitutions, every fix and clause
//! planned, applied; the result must be text that reads again.
#![no_main]
use clausier::config::Config;
use clausier::document::{self, Format};
use clausier::fix::{self, FixOptions};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

mod common;
use common::engine;

fuzz_target!(|data: &[u8]| {
    let Some(engine) = engine() else { return };
    let text = String::from_utf8_lossy(data).into_owned();
    let Ok(doc) = document::parse(PathBuf::from("fuzz.md"), Format::Markdown, text.clone()) else { return };
    let found = clausier::lint::dossier_findings(engine, &Config::default(), std::slice::from_ref(&doc));
    let Some(found) = found.first() else { return };
    let planned = fix::plan(found, FixOptions { unsafe_fixes: true, insert_clauses: true });
    let (fixed, _) = fix::apply(&text, fix::edits(&doc, &planned));
    // The fixed text is a document again.
    let _ = document::parse(PathBuf::from("fuzz.md"), Format::Markdown, fixed);
});
