//! The Markdown reader and the engine with the built-in packs, on any text.
#![no_main]
use clausier::document::{self, Format};
use clausier::engine::Engine;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let set = clausier::rules::load_rule_set(&[clausier::rules::builtin::tree()]).ok()?;
            Some(Engine::new(set, Default::default()))
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if let Ok(doc) = document::parse(PathBuf::from("fuzz.md"), Format::Markdown, text) {
        if let Some(engine) = engine() {
            let _ = engine.check_dossier(std::slice::from_ref(&doc));
        }
    }
});
