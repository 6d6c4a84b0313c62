//! What the fix and redline targets share: the built-in packs and the test
//! pack of display and accented substitutions, compiled once.
use clausier::engine::Engine;
use std::sync::OnceLock;

pub fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let pack = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/display-pack");
            let extra = clausier::rules::sources::read_dir(pack.as_ref()).ok()?;
            let set = clausier::rules::load_rule_set(&[clausier::rules::builtin::tree(), extra]).ok()?;
            Some(Engine::new(set, Default::default()))
        })
        .as_ref()
}
