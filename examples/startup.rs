//! Prints how long loading the built-in rules and compiling the engine take.

use std::time::Instant;

fn main() {
    let t = Instant::now();
    let trees = vec![clausier::rules::builtin::tree()];
    let Ok(set) = clausier::rules::load_rule_set(&trees) else { return };
    let loaded = t.elapsed();
    let engine = clausier::engine::Engine::new(set, Default::default());
    println!("load {:?}, engine {:?}, {} rules", loaded, t.elapsed() - loaded, engine.rules().rules.len());
}
