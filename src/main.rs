//! `loket`: parse the command line, run, report an error in one line.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    let cli = match loket::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version are what was asked for, not mistakes.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => e.exit(),
        Err(e) => {
            let args: Vec<String> = std::env::args().collect();
            let lang = loket::usage::language(&args, std::env::var("LOKET_LANG").ok().as_deref());
            let texts = loket::i18n::Texts::new(lang);
            eprintln!("loket: {}", loket::usage::usage_error_text(&texts, &e));
            return ExitCode::from(2);
        }
    };
    match loket::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loket: {}", e.0);
            ExitCode::FAILURE
        }
    }
}
