//! `loket`: parse the command line, run, report an error in one line.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = loket::cli::Cli::parse();
    match loket::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loket: {}", e.0);
            ExitCode::FAILURE
        }
    }
}
