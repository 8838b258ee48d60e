//! The command line: subcommands, and one clear line with a non-zero exit for each bad start.

use std::process::Command;

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
    // loket's own words, exactly; after them, in brackets, the system's reason.
    let err = stderr(&out);
    let words = format!("loket: kan {} niet openen: bestandsfout (", path.display());
    assert!(err.starts_with(&words), "expected {words:?} in {err:?}");
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
        .args(["--config", config.to_str().expect("utf-8"), "report", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert!(report.status.success(), "{}", stderr(&report));
    let csv = String::from_utf8_lossy(&report.stdout).into_owned();
    let out_rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("referrals_out,")).collect();
    assert_eq!(out_rows, ["referrals_out,x,X,0"], "{csv}");
}
