//! `clausier lsp`: the language server, over stdio.

use super::{EXIT_OK, EXIT_USAGE};

#[derive(clap::Args)]
pub struct LspArgs {}

pub fn run(_args: LspArgs) -> u8 {
    match clausier::lsp::run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
