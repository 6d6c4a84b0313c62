//! `clausier init`: write a commented `.clausier.yaml`, never over an existing one.

use super::{EXIT_OK, EXIT_USAGE};
use clausier::config::{FILE_NAME, TEMPLATE};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to write the configuration in.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: InitArgs) -> u8 {
    let path = args.dir.join(FILE_NAME);
    // `create_new` refuses an existing file atomically: nothing is overwritten.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(TEMPLATE.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            EXIT_OK
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists; edit it, or remove it first", path.display());
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            EXIT_USAGE
        }
    }
}
