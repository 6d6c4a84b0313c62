//! The DOCX redline: any package the reader accepts, checked by the built-in
//! packs and the test pack of accented substitutions, every fix and clause
//! written as tracked changes; the redlined copy must read again.
#![no_main]
use clausier::config::Config;
use clausier::document::{docx, package::Limits};
use clausier::fix::{self, FixOptions};
use libfuzzer_sys::fuzz_target;

mod common;
use common::engine;

fuzz_target!(|data: &[u8]| {
    let Some(engine) = engine() else { return };
    let Ok((doc, source)) = docx::read_traced("fuzz.docx".into(), data.to_vec(), Limits::default()) else {
        return;
    };
    let found = clausier::lint::dossier_findings(engine, &Config::default(), std::slice::from_ref(&doc));
    let Some(found) = found.first() else { return };
    let planned = fix::plan(found, FixOptions { unsafe_fixes: true, insert_clauses: true });
    if planned.is_empty() {
        return;
    }
    if let Ok(red) = fix::redline::redline(&doc, source, &planned, Limits::default()) {
        if red.applied > 0 {
            if let Err(e) = docx::read("fuzz.clausier.docx".into(), red.bytes, Limits::default()) {
                panic!("the redlined copy of a readable package does not read: {e}");
            }
        }
    }
});
