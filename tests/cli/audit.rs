//! `loket audit`: the access log for a coordinator on the command line, as aligned text, CSV and
//! JSON; its filters; who is refused; and the audit itself in the log. What each run should list
//! is read from the database beside it, not written down.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::bin::{assert_one_line_error, loket, stderr};
use crate::common::desk::{PASSWORD, filled_store};

struct Place {
    dir: tempfile::TempDir,
    db: PathBuf,
    /// The filled desk's couple's file number.
    number: String,
}

fn place() -> Place {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    let (store, couple) = filled_store(&db);
    let users = store.users().expect("users");
    let sara = users.iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    let number = store.read_file(couple, sara).expect("file").file.to_string();
    drop(store);
    Place { dir, db, number }
}

fn password_file(dir: &Path, name: &str, password: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{password}\n")).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    path
}

/// `loket audit <args>` as `user` with `password`.
fn audit_as(p: &Place, user: &str, password: &str, args: &[&str]) -> Output {
    let pw = password_file(p.dir.path(), "pw", password);
    let mut all = vec![
        "--db",
        p.db.to_str().expect("utf-8"),
        "--user",
        user,
        "--password-file",
        pw.to_str().expect("utf-8"),
        "audit",
    ];
    all.extend(args);
    loket(p.dir.path(), &all)
}

fn audit(p: &Place, args: &[&str]) -> Output {
    audit_as(p, "Henk Bos", PASSWORD, args)
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The ids of the log rows that `sql_where` chooses, newest first, read straight from the file.
fn ids_where(db: &Path, sql_where: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let sql = format!("SELECT id FROM access_log WHERE {sql_where} ORDER BY id DESC");
    let mut stmt = conn.prepare(&sql).expect("prepare");
    stmt.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<Vec<i64>>>().expect("ids")
}

fn json_ids(value: &serde_json::Value) -> Vec<i64> {
    value["rows"].as_array().expect("rows").iter().map(|r| r["id"].as_i64().expect("id")).collect()
}

#[test]
fn json_of_one_file_newest_first_and_the_audit_is_logged() {
    let p = place();
    let out = audit(&p, &["--file", &p.number, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["filter"]["file"], p.number.as_str());
    // The look at the file is logged after its rows are read: it is not among them.
    let want = ids_where(&p.db, &format!("file_number = '{}' AND event <> 'audit'", p.number));
    assert!(want.len() >= 3);
    assert_eq!(json_ids(&value), want);
    for row in value["rows"].as_array().expect("rows") {
        assert_eq!(row["file"], p.number.as_str());
        for field in
            ["at", "local", "event", "event_text", "user", "roles", "detail", "detail_text", "workstation"]
        {
            assert!(row[field].is_string(), "{field} in {row}");
        }
    }
    let audits = ids_where(&p.db, "event = 'audit'");
    assert_eq!(audits.len(), 1, "the command itself is in the log");
    let conn = rusqlite::Connection::open(&p.db).expect("open");
    let (user, detail): (String, String) = conn
        .query_row("SELECT user_name, detail FROM access_log WHERE event = 'audit'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("audit row");
    assert_eq!((user.as_str(), detail), ("Henk Bos", format!("file={}", p.number)));
    // A second look, for audits only, finds the first.
    let again = audit(&p, &["--event", "audit", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&again)).expect("json");
    assert_eq!(json_ids(&value), audits);
}

#[test]
fn csv_by_user_and_event_with_a_header_of_codes() {
    let p = place();
    let out = audit(
        &p,
        &["--by", "sara de boer", "--event", "file_changed", "--event", "referral", "--format", "csv"],
    );
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(header[..4], ["id", "at", "local", "event"]);
    assert!(header.contains(&"detail_text".to_owned()) && header.contains(&"workstation".to_owned()));
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("records");
    let ids: Vec<i64> = records.iter().map(|r| r[0].parse().expect("id")).collect();
    let want = ids_where(&p.db, "user_name = 'Sara de Boer' AND event IN ('file_changed', 'referral')");
    assert!(!want.is_empty());
    assert_eq!(ids, want);
    let user = header.iter().position(|h| h == "user").expect("a user column");
    assert!(records.iter().all(|r| r[user] == *"Sara de Boer"), "the user column");
}

#[test]
fn text_is_aligned_in_the_user_s_language_and_a_period_narrows_it() {
    let p = place();
    let out = audit(&p, &["--from", "02-12-2026", "--to", "2-12-2026"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let want =
        ids_where(&p.db, "at >= '2026-12-01T23:00:00Z' AND at < '2026-12-02T23:00:00Z' AND event <> 'audit'");
    assert_eq!(lines.len(), want.len() + 1, "a header and a line per row:\n{text}");
    assert!(lines[0].starts_with("Wanneer") && lines[0].contains("Bijzonderheid"), "{text}");
    // Each column starts where its header does.
    let column = |line: &str, at: usize| line.chars().take(at).collect::<String>();
    let what = lines[0].find("Wat").expect("Wat");
    for line in &lines[1..] {
        assert!(column(line, what).starts_with("02-12-2026 "), "{line}");
        assert!(!line[what..].starts_with(' '), "aligned: {line}");
    }
    assert!(text.contains("dossier gewijzigd") && text.contains("levensgebeurtenis"), "{text}");
    // Before that day: nothing, said in a line.
    assert!(ids_where(&p.db, "at < '2026-12-01T23:00:00Z'").is_empty());
    assert_eq!(stdout(&audit(&p, &["--to", "01-12-2026"])).trim_end(), "Niets gevonden voor dit filter.");
    // In English on request.
    let pw = password_file(p.dir.path(), "pw-en", PASSWORD);
    let out = loket(
        p.dir.path(),
        &[
            "--lang",
            "en",
            "--db",
            p.db.to_str().expect("utf-8"),
            "--user",
            "Henk Bos",
            "--password-file",
            pw.to_str().expect("utf-8"),
            "audit",
            "--file",
            &p.number,
        ],
    );
    let text = stdout(&out);
    assert!(text.starts_with("When") && text.contains("file changed"), "{text}");
}

#[test]
fn who_may_not_and_what_is_wrong_are_one_line_each() {
    let p = place();
    let cases: [(&str, &str, &[&str], &str); 8] = [
        ("Ingrid Hoekstra", PASSWORD, &[], "alleen een coördinator"),
        ("Sara de Boer", PASSWORD, &[], "alleen een coördinator"),
        ("Henk Bos", "niet het wachtwoord", &[], "Naam of wachtwoord klopt niet."),
        ("Henk Bos", PASSWORD, &["--file", "2026-999"], "Er is geen dossier met dit nummer."),
        ("Henk Bos", PASSWORD, &["--file", "zesentwintig"], "een dossiernummer is als 2026-001"),
        ("Henk Bos", PASSWORD, &["--by", "Niemand"], "Er is geen gebruiker met deze naam."),
        ("Henk Bos", PASSWORD, &["--event", "peek"], "--event peek: die gebeurtenis bestaat niet"),
        (
            "Henk Bos",
            PASSWORD,
            &["--from", "10-12-2026", "--to", "01-12-2026"],
            "de periode begint na het einde",
        ),
    ];
    for (user, password, args, says) in cases {
        let out = audit_as(&p, user, password, args);
        assert_eq!(out.status.code(), Some(1), "{user} {args:?}: {}", stderr(&out));
        assert_one_line_error(&out, says);
    }
    assert_one_line_error(&audit(&p, &["--from", "31-02-2026"]), "--from/--to 31-02-2026");
    assert!(ids_where(&p.db, "event = 'audit'").is_empty(), "no refused look is logged");
}
