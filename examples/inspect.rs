//! Prints what clausier sees in documents: kind, language, sections and the
//! dossier's topics. `cargo run --example inspect -- FILE...`

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let Ok(set) = clausier::rules::load_rule_set(&[clausier::rules::builtin::tree()]) else { return };
    let engine = clausier::engine::Engine::new(set, Default::default());
    let docs: Vec<_> = paths.iter().filter_map(|p| clausier::document::read(p).ok()).collect();
    for d in &docs {
        println!(
            "{}: kind {}, language {}, {} blocks, {} sections",
            d.display_path(),
            d.kind,
            d.language.as_str(),
            d.blocks.len(),
            d.sections.len()
        );
        for s in &d.sections {
            println!("  {}{}", "  ".repeat(usize::from(s.level)), s.title);
        }
    }
    println!("topics: {:?}", engine.topics(&docs));
}
