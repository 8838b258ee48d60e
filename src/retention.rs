//! `loket retention`: the closed files past the retention term (number, closing day, years; no
//! names), and with `--erase` their erasure after the user types yes. A coordinator only.

use std::io::{BufRead, Write};
use std::path::Path;

use chrono::Utc;

use crate::access::open_signed_in;
use crate::cli::{Cli, CliError};
use crate::domain::dates::format_date;
use crate::domain::user::Role;
use crate::domain::walkin::desk_day;
use crate::errors;
use crate::i18n::Texts;
use crate::store::Erasure;

/// Whether an answer on the terminal is yes: "ja" or "yes", in any case.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "ja" | "yes")
}

pub fn run(cli: &Cli, path: &Path, texts: &Texts, erase: bool) -> Result<(), CliError> {
    let (mut store, user) = open_signed_in(cli, path, texts, |u| u.has(Role::Coordinator))?;
    let store_error = |e| CliError(errors::store_error_text(texts, &e));
    let now = Utc::now();
    let years = store.retention_years().map_err(store_error)?;
    let due = store.due_files(desk_day(now)).map_err(store_error)?;
    if due.is_empty() {
        println!("{}", texts.f("retention.none", &[("years", &years)]));
        return Ok(());
    }
    println!("{}", texts.f("retention.header", &[("years", &years), ("n", &due.len())]));
    for d in &due {
        let closed = format_date(d.closed_on);
        println!(
            "{}",
            texts.f("retention.row", &[("file", &d.file), ("closed", &closed), ("years", &d.years)])
        );
    }
    if !erase {
        println!("{}", texts.t("retention.how_to_erase"));
        return Ok(());
    }
    print!("{}", texts.f("retention.ask", &[("n", &due.len())]));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| CliError(errors::io_text(texts, e.kind())))?;
    println!();
    if !is_yes(&answer) {
        println!("{}", texts.t("retention.not_erased"));
        return Ok(());
    }
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    let erased = store.erase_files(&ids, Erasure::Retention, &user, now).map_err(store_error)?;
    println!("{}", texts.f("retention.erased", &[("n", &erased.len())]));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_ja_or_yes_is_yes() {
        for yes in ["ja", "JA\n", " yes ", "Yes"] {
            assert!(super::is_yes(yes), "{yes:?}");
        }
        for no in ["", "nee", "no", "j", "y", "jaa", "ja graag"] {
            assert!(!super::is_yes(no), "{no:?}");
        }
    }
}
