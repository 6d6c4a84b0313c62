//! `clausier serve`: the upload page and its HTML report, on a local address.

use super::output::print_setup_error;
use super::{EXIT_OK, EXIT_USAGE};
use clausier::lint::{CommandLine, Profiles};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Where to listen. Anything but a loopback address lets anyone on the
    /// network submit files.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The largest upload accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    max_request_mib: usize,
    /// Dossiers checked at once; more requests are refused until one ends.
    #[arg(long, value_name = "N", default_value_t = 2)]
    max_concurrent: usize,
    /// Add the rule packs of DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Use this configuration (its rules, limits and placeholders) instead of
    /// the closest .clausier.yaml above the current folder.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: ServeArgs) -> u8 {
    let cli = CommandLine { rules: args.rules, config: args.config, ..CommandLine::default() };
    let profile = match Profiles::new(cli).and_then(|mut p| p.for_folder(std::path::Path::new("."))) {
        Ok(p) => p,
        Err(e) => {
            print_setup_error(&e);
            return EXIT_USAGE;
        }
    };
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, not a loopback address: anyone who can reach this machine can submit files",
            args.bind
        );
    }
    let options = clausier::serve::Options {
        bind: args.bind,
        max_request_bytes: args.max_request_mib.saturating_mul(1 << 20),
        max_concurrent: args.max_concurrent,
    };
    let ready = |addr: SocketAddr| {
        println!("clausier serve: http://{addr}/ (files are checked in memory, never written)");
        use std::io::Write;
        let _ = std::io::stdout().flush();
    };
    match clausier::serve::run(options, profile, ready) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot serve on {}: {e}", args.bind);
            EXIT_USAGE
        }
    }
}
