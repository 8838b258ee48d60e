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
    let result = loket::cli::run(cli);
    if let Err(e) = &result {
        eprintln!("loket: {}", e.0);
    }
    // Stopped by a signal: the terminal is restored; end as a shell expects (128 + its number).
    if let Some(signal) = loket::tui::ended_by_signal() {
        return ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX));
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
