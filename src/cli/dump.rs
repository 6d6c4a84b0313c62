//! `clausier dump FILE` (hidden): the blocks a document is lowered to, with
//! their kind, section and page, for whoever writes rules or readers.

use super::{EXIT_OK, EXIT_USAGE};
use clausier::document::{self, BlockKind};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct DumpArgs {
    /// The document.
    file: PathBuf,
    /// Print only the topics of these documents taken together (the file and these).
    #[arg(long)]
    topics: bool,
    /// More documents, for --topics.
    more: Vec<PathBuf>,
}

pub fn run(args: DumpArgs) -> u8 {
    let doc = match document::read(&args.file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return EXIT_USAGE;
        }
    };
    if args.topics {
        let Some((rules, _)) = super::output::load_rules(&[]) else { return EXIT_USAGE };
        let engine = clausier::engine::Engine::new(rules, Default::default());
        let mut docs = vec![doc];
        for path in &args.more {
            match document::read(path) {
                Ok(d) => docs.push(d),
                Err(e) => eprintln!("error: {}: {e} (left out of the topics)", path.display()),
            }
        }
        for (topic, count) in engine.topic_counts(&docs) {
            println!("{topic}: {count}");
        }
        return EXIT_OK;
    }
    println!("kind: {} ({})", doc.kind, doc.kind_source);
    println!("language: {} ({})", doc.language.as_str(), doc.language_source);
    for b in &doc.blocks {
        let kind = match b.kind {
            BlockKind::Heading { level } => format!("h{level}"),
            BlockKind::Paragraph => "p".into(),
            BlockKind::ListItem => format!("li{}", b.depth),
            BlockKind::TableCell => "td".into(),
            BlockKind::Footnote => "fn".into(),
        };
        let section = b.section.map(|s| doc.sections[s].title.as_str()).unwrap_or("");
        let short: String = section.chars().take(30).collect();
        let page = b.page.map(|p| format!("p{p}")).unwrap_or_default();
        let text = &doc.norm.as_str()[b.norm.clone()];
        let lead = b.lead_in.map(|l| format!(" (lead-in: block {l})")).unwrap_or_default();
        println!("{kind:>4} {page:>4} [{short:<30}] {text}{lead}");
    }
    EXIT_OK
}
