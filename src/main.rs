//! The `clausier` command: argument parsing hand-off and the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
