//! `loket inzage`: a partner's access copy from the command line, for a coordinator only.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::bin::{assert_one_line_error, loket, stderr};
use crate::common::desk::{PASSWORD, filled_store};

/// A filled desk (Kees de Vries & Els Jansen are file 2026-001; Henk Bos is the coordinator,
/// Ingrid Hoekstra the receptionist) and an owner-only password file.
fn desk() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    drop(filled_store(&db));
    let password = dir.path().join("pw");
    std::fs::write(&password, format!("{PASSWORD}\n")).expect("write");
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    (dir, db, password)
}

fn inzage(dir: &Path, db: &Path, password: &Path, user: &str, rest: &[&str]) -> Output {
    let db = db.to_str().expect("utf-8");
    let password = password.to_str().expect("utf-8");
    let mut args = vec!["--db", db, "--user", user, "--password-file", password, "inzage"];
    args.extend_from_slice(rest);
    loket(dir, &args)
}

/// The files in `dir` whose name starts with `prefix`, sorted.
fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .collect();
    found.sort();
    found
}

/// The access log's export rows: (partner, detail).
fn export_rows(db: &Path) -> Vec<(Option<i64>, String)> {
    let conn = crate::common::db::raw(db);
    let mut stmt = conn
        .prepare("SELECT partner, detail FROM access_log WHERE event = 'access_export' ORDER BY id")
        .expect("sql");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect()
}

#[test]
fn a_coordinator_writes_both_files_owner_only_and_it_is_logged() {
    let (dir, db, pw) = desk();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let run = inzage(
        dir.path(),
        &db,
        &pw,
        "Henk Bos",
        &["--file", "2026-001", "--partner", "1", "--out", out.to_str().expect("utf-8")],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let written = files(&out, "inzage-2026-001-partner1-");
    let extensions: Vec<_> = written.iter().filter_map(|p| p.extension()).collect();
    assert_eq!(extensions, ["json", "txt"], "{written:?}");
    for path in &written {
        let mode = std::fs::metadata(path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} is owner-only", path.display());
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(said.contains(&path.display().to_string()), "says where: {said}");
    }
    let text = std::fs::read_to_string(&written[1]).expect("text");
    assert!(text.contains("Naam: Kees de Vries") && text.contains("Wat hier niet in staat"), "{text}");
    assert!(!text.contains("Jansen"), "the other partner's name: {text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written[0]).expect("json")).expect("parses");
    assert_eq!(json["person"]["surname"], "Vries");
    assert_eq!(export_rows(&db), [(Some(1), "text+json".to_owned())]);
    // The same copy again the same day: refused, the files as they were, not logged again.
    let before: Vec<Vec<u8>> = written.iter().map(|p| std::fs::read(p).expect("read")).collect();
    let again = inzage(
        dir.path(),
        &db,
        &pw,
        "Henk Bos",
        &["--file", "2026-001", "--partner", "1", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(again.status.code(), Some(1));
    assert_one_line_error(&again, "bestaat al: er is niets geschreven");
    let after: Vec<Vec<u8>> = written.iter().map(|p| std::fs::read(p).expect("read")).collect();
    assert_eq!(before, after, "byte for byte the same");
    assert_eq!(files(&out, "").len(), 2, "nothing else written");
    assert_eq!(export_rows(&db).len(), 1, "not logged again");
    // Only the text, in English, for partner 2.
    let en = loket(
        dir.path(),
        &[
            "--lang",
            "en",
            "--db",
            db.to_str().expect("utf-8"),
            "--user",
            "henk bos",
            "--password-file",
            pw.to_str().expect("utf-8"),
            "inzage",
            "--file",
            "2026-1",
            "--partner",
            "2",
            "--format",
            "text",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(en.status.success(), "{}", stderr(&en));
    let english = files(&out, "inzage-2026-001-partner2-");
    assert_eq!(english.len(), 1, "{english:?}");
    let text = std::fs::read_to_string(&english[0]).expect("read");
    assert!(text.contains("Name: Els Jansen") && text.contains("Who saw or changed your file"), "{text}");
    assert!(!text.contains("Vries"), "{text}");
    assert_eq!(export_rows(&db), [(Some(1), "text+json".to_owned()), (Some(2), "text".to_owned())]);
}

#[test]
fn bad_requests_are_one_line_with_exit_code_one_and_nothing_written() {
    let (dir, db, pw) = desk();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let out_arg = out.to_str().expect("utf-8");
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "x").expect("write");
    let not_a_folder = blocker.join("sub");
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "Henk Bos",
            &["--file", "2026-099", "--partner", "1", "--out", out_arg],
            "er is geen dossier 2026-099",
        ),
        (
            "Henk Bos",
            &["--file", "2026-001", "--partner", "3", "--out", out_arg],
            "dossier 2026-001 heeft geen partner 3",
        ),
        (
            "Henk Bos",
            &["--file", "2026-002", "--partner", "2", "--out", out_arg],
            "dossier 2026-002 heeft geen partner 2",
        ),
        ("Henk Bos", &["--file", "dossier", "--partner", "1", "--out", out_arg], "is geen dossiernummer"),
        (
            "Henk Bos",
            &["--file", "2026-001", "--partner", "1", "--out", not_a_folder.to_str().expect("utf-8")],
            "niets geschreven",
        ),
        (
            "Ingrid Hoekstra",
            &["--file", "2026-001", "--partner", "1", "--out", out_arg],
            "alleen een coördinator",
        ),
        (
            "Sara de Boer",
            &["--file", "2026-001", "--partner", "1", "--out", out_arg],
            "alleen een coördinator",
        ),
    ];
    for (user, args, expected) in cases {
        let run = inzage(dir.path(), &db, &pw, user, args);
        assert_eq!(run.status.code(), Some(1), "{user} {args:?}: {}", stderr(&run));
        assert_one_line_error(&run, expected);
        assert!(!stderr(&run).contains("Vries"), "no personal data: {}", stderr(&run));
    }
    assert_eq!(files(&out, "").len(), 0, "nothing written");
    assert_eq!(export_rows(&db), [], "nothing logged as exported");
}
