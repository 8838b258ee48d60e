//! The command line: subcommands, and one clear line with a non-zero exit for each bad start.

use std::process::{Command, Output};

use crate::common::bin::{assert_one_line_error, loket, stderr};

#[test]
fn demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let db_arg = db.to_str().expect("utf-8 path");
    let out = loket(dir.path(), &["demo", "--db", db_arg, "--couples", "12"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(&db).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect("count") };
    assert_eq!(count("SELECT count(*) FROM couples"), 12);
    assert_eq!(count("SELECT count(*) FROM users WHERE role = 'counsellor'"), 3);
    let separation = count("SELECT count(*) FROM walk_ins WHERE request = 'separation'");
    assert!((1..=6).contains(&separation), "about one in four about separation: {separation}");
    assert_eq!(count("SELECT count(*) FROM walk_ins WHERE source = 'poh_jeugd'"), 0);
    // A second run leaves the data alone and says why.
    let again = loket(dir.path(), &["demo", "--db", db_arg]);
    assert_one_line_error(&again, "demo vult alleen een lege database");
    assert_eq!(count("SELECT count(*) FROM couples"), 12);
}

#[test]
fn a_file_that_is_not_a_database_is_one_line_and_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("letter.txt");
    std::fs::write(&path, "Beste mevrouw, ".repeat(20)).expect("write");
    let out = loket(dir.path(), &["demo", "--db", path.to_str().expect("utf-8")]);
    assert_one_line_error(&out, "geen loket-database");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "Beste mevrouw, ".repeat(20));
    let en = loket(dir.path(), &["--lang", "en", "demo", "--db", path.to_str().expect("utf-8")]);
    assert_one_line_error(&en, "not a loket database");
}

#[test]
fn a_newer_schema_is_refused_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;").expect("setup");
    }
    let before = std::fs::read(&path).expect("read");
    let out = loket(dir.path(), &["demo", "--db", path.to_str().expect("utf-8")]);
    assert_one_line_error(&out, "versie 99");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn an_unreadable_path_is_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "x").expect("write");
    let path = blocker.join("loket.db"); // a folder that cannot exist: its parent is a file
    let out = loket(dir.path(), &["demo", "--db", path.to_str().expect("utf-8")]);
    // loket's own words, exactly, with the system's reason in Dutch too.
    let words = format!(
        "loket: kan {} niet openen: Het bestand kan niet worden gelezen of geschreven (bestaat al).",
        path.display()
    );
    assert_eq!(stderr(&out).trim_end(), words);
    assert_one_line_error(&out, &words);
}

#[test]
fn a_locked_database_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("busy.db");
    let setup = loket(dir.path(), &["demo", "--db", path.to_str().expect("utf-8"), "--couples", "1"]);
    assert!(setup.status.success(), "{}", stderr(&setup));
    std::fs::remove_file(&path).ok();
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
    }
    // Another program holds the write lock for longer than loket waits.
    let holder = rusqlite::Connection::open(&path).expect("open");
    holder
        .execute_batch("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE; CREATE TABLE hold (x);")
        .expect("lock");
    let out = loket(dir.path(), &["demo", "--db", path.to_str().expect("utf-8")]);
    assert_one_line_error(&out, "bezet");
    holder.execute_batch("ROLLBACK").expect("release");
}

#[test]
fn config_prints_the_effective_configuration_and_names_a_bad_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = loket(dir.path(), &["config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("language = \"nl\""), "{text}");
    assert!(text.contains("funded_trajectories = 10"), "{text}");
    assert!(text.contains("euros = 10000"), "{text}");

    let english = loket(dir.path(), &["--lang", "en", "config"]);
    assert!(String::from_utf8_lossy(&english.stdout).contains("language = \"en\""));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "language = \"nl\"\n[walk_in_hour]\nweekday = \"someday\"\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(["--config", bad.to_str().expect("utf-8"), "config"])
        .output()
        .expect("runs");
    assert_one_line_error(&out, "regel 3");
    assert!(stderr(&out).contains("someday"));
}

#[test]
fn the_desk_s_own_referral_parties_replace_the_shipped_ones_and_a_mistake_names_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    let parties = dir.path().join("referral_parties.toml");
    std::fs::write(
        &parties,
        "[[party]]\ncode = \"x\"\nname = \"X\"\nkind = \"other\"\ncontact = \"c\"\nfacts = []\nfactz = []\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(["--config", config.to_str().expect("utf-8"), "config"])
        .output()
        .expect("runs");
    assert_one_line_error(&out, "regel 7");
    assert!(stderr(&out).contains("referral_parties.toml"));
    std::fs::write(&parties, "[[party]]\ncode = \"x\"\nname = \"X\"\nkind = \"other\"\ncontact = \"c\"\nfacts = []\nfacts_en = []\n")
        .expect("write");
    let ok = Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(["--config", config.to_str().expect("utf-8"), "config"])
        .output()
        .expect("runs");
    assert!(ok.status.success(), "{}", stderr(&ok));
    // The report counts referrals per party of the list in use: only the desk's own party.
    let db = dir.path().join("loket.db");
    drop(loket::store::Store::open(&db).expect("a new database"));
    let report = Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(["--plain", "--config", config.to_str().expect("utf-8"), "report", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert!(report.status.success(), "{}", stderr(&report));
    let csv = String::from_utf8_lossy(&report.stdout).into_owned();
    let out_rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("referrals_out,")).collect();
    assert_eq!(out_rows, ["referrals_out,x,X,0"], "{csv}");
}

/// Issue 14, point 15, through the binary: a party named like a formula reaches the report's CSV
/// neutralised (read back with the csv crate); a party code used twice and a room with a line break
/// are refused in one line naming the line.
#[test]
fn a_formula_in_a_party_s_name_is_neutralised_and_doubles_and_line_breaks_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    let parties = dir.path().join("referral_parties.toml");
    let party = |code: &str, name: &str| {
        format!(
            "[[party]]\ncode = \"{code}\"\nname = '{name}'\nkind = \"other\"\ncontact = \"c\"\nfacts = []\nfacts_en = []\n"
        )
    };
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_loket"))
            .args(["--plain", "--config", config.to_str().expect("utf-8")])
            .args(args)
            .output()
            .expect("runs")
    };
    std::fs::write(&parties, party("x", r#"=HYPERLINK("http://x","klik")"#)).expect("write");
    let db = dir.path().join("loket.db");
    drop(loket::store::Store::open(&db).expect("a new database"));
    let report = run(&["report", "--format", "csv", "--db", db.to_str().expect("utf-8")]);
    assert!(report.status.success(), "{}", stderr(&report));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&report.stdout[..])
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV reads back");
    let row = rows.iter().find(|r| r.get(0) == Some("referrals_out")).expect("the party's row");
    assert_eq!(row.get(2), Some(r#"'=HYPERLINK("http://x","klik")"#), "{row:?}");

    std::fs::write(&parties, [party("x", "X"), party("y", "Y"), party("X", "Ander")].concat())
        .expect("write");
    assert_one_line_error(&run(&["config"]), "regel 16");
    assert!(stderr(&run(&["config"])).contains("twee keer"));

    std::fs::write(&parties, party("x", "X")).expect("write");
    std::fs::write(&config, "rooms = [\"Kamer 1\",\n\"Kamer\\r2\"]\n").expect("write");
    assert_one_line_error(&run(&["config"]), "regel 2");
}

#[test]
fn help_describes_report_and_export_ics_each_with_its_own_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = loket(dir.path(), &["--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = |command: &str| -> String {
        help.lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .map(|l| l.trim_start()[command.len()..].trim().to_owned())
            .unwrap_or_else(|| panic!("no line for {command} in {help}"))
    };
    assert_eq!(
        line("report"),
        "The council report for a period: text, CSV or JSON, small numbers suppressed"
    );
    assert_eq!(
        line("export-ics"),
        "Write the planned conversations as an iCalendar file (file numbers and initials only)"
    );
}

/// The whole of stderr, which must be exactly one line.
fn only_line(out: &Output) -> String {
    let err = stderr(out);
    assert!(!out.status.success(), "should fail: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err.trim_end().to_owned()
}

#[test]
fn a_dutch_user_reads_a_broken_configuration_in_dutch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    let cases: &[(&str, &str)] = &[
        (
            "[budget\n",
            "regel 1: de schrijfwijze klopt hier niet (een aanhalingsteken, haakje of = vergeten?)",
        ),
        ("langauge = \"nl\"\n", "regel 1: onbekende instelling \"langauge\""),
        (
            "[walk_in_hour]\nstart = \"9 uur\"\n",
            "regel 2: \"9 uur\" is geen tijd (schrijf bijvoorbeeld 09:30)",
        ),
        ("language = \"de\"\n", "regel 1: de taal \"de\" bestaat niet (gebruik nl of en)"),
        (
            "[walk_in_hour]\nstart = \"10:00\"\nend = \"09:00\"\n",
            "walk_in_hour: het begin moet vóór het einde liggen",
        ),
    ];
    for (text, problem) in cases {
        std::fs::write(&config, text).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_loket"))
            .args(["--config", config.to_str().expect("utf-8"), "config"])
            .env_remove("LOKET_LANG")
            .output()
            .expect("runs");
        let separator = if problem.starts_with("regel") { ", " } else { ": " };
        assert_eq!(
            only_line(&out),
            format!("loket: configuratiebestand {}{separator}{problem}", config.display())
        );
    }
}

#[test]
fn a_dutch_user_reads_a_store_error_in_dutch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("letter.txt");
    std::fs::write(&path, "Beste mevrouw, ".repeat(20)).expect("write");
    let out = loket(dir.path(), &["report", "--db", path.to_str().expect("utf-8")]);
    assert_eq!(
        only_line(&out),
        format!("loket: kan {} niet openen: Dit bestand is geen loket-database.", path.display())
    );
}

#[test]
fn a_dutch_user_reads_a_command_line_error_in_dutch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    drop(loket::store::Store::open(&db).expect("new database"));
    let db_arg = db.to_str().expect("utf-8");
    let out = loket(dir.path(), &["report", "--db", db_arg, "--from", "10-12-2026", "--to", "01-12-2026"]);
    assert_eq!(only_line(&out), "loket: de periode begint na het einde");
}

#[test]
fn a_command_line_mistake_is_one_dutch_line_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, line) in [
        (&["--lang", "de"][..], "loket: de waarde \"de\" past niet bij --lang <nl|en> (zie loket --help)"),
        (&["--kleur"][..], "loket: onbekende optie --kleur (zie loket --help)"),
        (&["--lang", "en", "--colour"][..], "loket: unknown option --colour (see loket --help)"),
        // The demo has a limit: a number without end is a mistake, not a fill that never ends.
        (
            &["--lang", "en", "demo", "--db", "demo.db", "--couples", "10000001"][..],
            "loket: the value \"10000001\" does not fit --couples <N> (see loket --help)",
        ),
        (
            &["demo", "--db", "demo.db", "--couples", "18446744073709551615"][..],
            "loket: de waarde \"18446744073709551615\" past niet bij --couples <N> (zie loket --help)",
        ),
    ] {
        let out = loket(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), format!("{line}\n"), "{args:?}");
    }
    assert!(!dir.path().join("demo.db").exists(), "a refused demo makes no file");
    // Help is not a mistake: it is shown, with success.
    let help = loket(dir.path(), &["--help"]);
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("Usage: loket"));
}
