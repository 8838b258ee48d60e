//! The subcommands and their arguments, as clap reads them.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a database with fictitious couples, counsellors and a queue for today
    Demo {
        /// How many couples (at most 10000000)
        #[arg(long, value_name = "N", default_value_t = 40, value_parser = demo_couples())]
        couples: usize,
    },
    /// Print the configuration in effect
    Config,
    /// Copy the database to FILE with SQLite's online backup (also while others write)
    Backup {
        /// The copy to make; an existing file is never overwritten
        file: PathBuf,
    },
    /// Check the database: integrity, foreign keys, schema version (exit code 1 when anything is wrong)
    Check,
    /// The council report for a period: text, CSV or JSON, small numbers suppressed
    Report {
        /// First day, e.g. 01-01-2026 (default: 1 January of this year)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day (default: today)
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The raw figures, without suppressing small numbers: for internal use only
        #[arg(long)]
        exact: bool,
    },
    /// The access log, for a coordinator (--user): who saw or changed what; the look is logged too
    Audit {
        /// Only this file, e.g. 2026-001
        #[arg(long, value_name = "NUMBER")]
        file: Option<String>,
        /// Only what this user did (the name as in loket, in any case)
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// From this day on, e.g. 01-01-2026
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Up to and including this day
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Only this event (a code such as file_read; repeat for more)
        #[arg(long = "event", value_name = "CODE")]
        events: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// The closed files past the retention term (number, closed on, years; no names); a coordinator only
    Retention {
        /// Erase the files listed, after you type "ja" (or "yes")
        #[arg(long)]
        erase: bool,
    },
    /// Encrypt a plain database in place (asks a coordinator's password; shows the recovery key once)
    Encrypt,
    /// Write the planned conversations as an iCalendar file (file numbers and initials only)
    ExportIcs {
        /// Only this counsellor's conversations (the name as in loket, in any case)
        #[arg(long, value_name = "NAME")]
        counsellor: Option<String>,
        /// From this date on, e.g. 28-11-2026 (default: today)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Write to this file, readable by you only (default: standard output)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A partner's access copy (AVG art. 15) as owner-only files in DIR; a coordinator only
    #[command(visible_alias = "access-export")]
    Inzage {
        /// The file number, e.g. 2026-001
        #[arg(long, value_name = "NUMBER")]
        file: String,
        /// Which partner of the file: 1 or 2
        #[arg(long, value_name = "1|2", allow_negative_numbers = true)]
        partner: i64,
        /// The folder to write in (default: the current folder); an existing file is never overwritten
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = crate::inzage::Format::Both)]
        format: crate::inzage::Format,
    },
}

/// `demo --couples`: 0 up to [`crate::demo::MAX_COUPLES`]; more is a command-line mistake.
fn demo_couples() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(0..=crate::demo::MAX_COUPLES)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Csv,
    Json,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Command;
    use crate::cli::Cli;

    #[test]
    fn demo_couples_go_up_to_the_limit_and_no_further() {
        let couples =
            |n: &str| match Cli::try_parse_from(["loket", "demo", "--couples", n]).map(|c| c.command) {
                Ok(Some(Command::Demo { couples })) => Some(couples),
                _ => None,
            };
        assert_eq!(couples("0"), Some(0));
        assert_eq!(couples("10000000"), Some(10_000_000));
        assert_eq!(couples("10000001"), None);
        assert_eq!(couples("18446744073709551615"), None);
        assert_eq!(couples("-1"), None);
    }
}
