#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
//! The `clausier` command: argument parsing hand-off and the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
