//! `loket retention`: the closed files past the term, by number and date only, for a coordinator;
//! `--erase` erases them after "ja" on standard input and leaves them after anything else.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use chrono::{Datelike, Months, Utc};
use loket::domain::file::{CloseOutcome, FileStatus};
use loket::domain::walkin::desk_day;

use crate::common::bin::{loket_command, stderr};
use crate::common::db::raw;
use crate::common::desk::{PASSWORD, at, desk};

/// A desk whose first two files were closed 7 and 6 years ago and whose third a year ago; the
/// fourth is still open. Returns the temporary folder (kept alive), the database and a password
/// file for its users.
fn old_files() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let mut d = desk();
    let today = desk_day(Utc::now());
    let ago = |years: u32| today.checked_sub_months(Months::new(12 * years)).expect("a date");
    let sara = d.counsellor.clone();
    for (i, closed) in [Some(ago(7)), Some(ago(6)), Some(ago(1)), None].into_iter().enumerate() {
        let surname = ["Wêreldbol", "Oudewater", "Nieuwkoop", "Open"][i];
        let (_, couple) = d.register(&[("Els", "", surname)], at(11, 4, 8, 5 + i as u32), None);
        if let Some(on) = closed {
            let v = d.store.read_file(couple, &sara).expect("file").version;
            let closing = Some((CloseOutcome::Separated, on));
            d.store
                .set_file_status(couple, v, FileStatus::Closed, closing, &sara, at(11, 5, 9, 0))
                .expect("close");
        }
    }
    let pw = d.dir.path().join("pw");
    std::fs::write(&pw, format!("{PASSWORD}\n")).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let path = d.path.clone();
    drop(d.store);
    (d.dir, path, pw)
}

/// Runs `loket retention` as `user` with `answer` on standard input.
fn retention(dir: &Path, db: &Path, pw: &Path, user: &str, extra: &[&str], answer: &str) -> Output {
    let mut cmd = loket_command(dir);
    cmd.args(["--db", db.to_str().expect("utf-8"), "--user", user, "--password-file"])
        .arg(pw)
        .arg("retention")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(answer.as_bytes());
    }
    child.wait_with_output().expect("output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn couples(db: &Path) -> i64 {
    raw(db).query_row("SELECT count(*) FROM couples", [], |r| r.get(0)).expect("count")
}

#[test]
fn retention_lists_the_files_past_the_term_by_number_and_date_only() {
    let (dir, db, pw) = old_files();
    let out = retention(dir.path(), &db, &pw, "kees bakker", &[], "");
    let text = stdout(&out);
    assert!(out.status.success(), "{}{text}", stderr(&out));
    let seven = desk_day(Utc::now()).checked_sub_months(Months::new(84)).expect("date");
    let closed = format!("{:02}-{:02}-{}", seven.day(), seven.month(), seven.year());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Gesloten dossiers over de bewaartermijn van 5 jaar (2):", "{text}");
    assert_eq!(lines[1], format!("  2026-001  gesloten op {closed}  7 jaar geleden"), "{text}");
    assert!(
        lines[2].starts_with("  2026-002  gesloten op ") && lines[2].ends_with("  6 jaar geleden"),
        "{text}"
    );
    assert_eq!(lines[3], "loket retention --erase wist ze (na bevestiging).");
    assert_eq!(lines.len(), 4, "{text}");
    for name in ["Wêreldbol", "Oudewater", "Els"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    assert_eq!(couples(&db), 4, "a list erases nothing");
    // In English, and for a receptionist not at all.
    let mut cmd = loket_command(dir.path());
    let en = cmd
        .args([
            "--lang",
            "en",
            "--db",
            db.to_str().expect("utf-8"),
            "--user",
            "Kees Bakker",
            "--password-file",
        ])
        .arg(&pw)
        .arg("retention")
        .output()
        .expect("runs");
    assert!(
        stdout(&en).starts_with("Closed files past the retention term of 5 years (2):"),
        "{}",
        stdout(&en)
    );
    let refused = retention(dir.path(), &db, &pw, "Ria Balie", &[], "");
    assert!(!refused.status.success());
    assert_eq!(stderr(&refused).trim_end().lines().count(), 1, "{}", stderr(&refused));
    assert!(stdout(&refused).is_empty());
}

#[test]
fn retention_erase_erases_after_ja_and_nothing_after_nee() {
    let (dir, db, pw) = old_files();
    let before = crate::common::db::dump(&db);
    let out = retention(dir.path(), &db, &pw, "Kees Bakker", &["--erase"], "nee\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("Deze 2 dossier(s) wissen? Dit kan niet ongedaan worden gemaakt. Typ ja om te wissen:")
    );
    assert!(stdout(&out).trim_end().ends_with("Niets gewist."), "{}", stdout(&out));
    let after = crate::common::db::dump(&db);
    let without_log = |d: &std::collections::BTreeMap<String, Vec<String>>| {
        d.iter().filter(|(t, _)| *t != "access_log").map(|(t, r)| (t.clone(), r.clone())).collect::<Vec<_>>()
    };
    assert_eq!(without_log(&before), without_log(&after), "nothing erased (only the sign-in is logged)");

    let out = retention(dir.path(), &db, &pw, "Kees Bakker", &["--erase"], "ja\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).trim_end().ends_with("2 dossier(s) gewist; de rapportage houdt hun anonieme aantallen.")
    );
    assert_eq!(couples(&db), 2, "the two past the term are gone, the recent and the open one stay");
    let erased: Vec<String> = raw(&db)
        .prepare(
            "SELECT file_number FROM access_log WHERE event = 'erasure' AND detail = 'retention' ORDER BY id",
        )
        .expect("select")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(erased, ["2026-001", "2026-002"]);
    let out = retention(dir.path(), &db, &pw, "Kees Bakker", &["--erase"], "ja\n");
    assert_eq!(stdout(&out).trim_end(), "Geen gesloten dossiers over de bewaartermijn van 5 jaar.");
    let check = loket::store::check(&db, loket::store::Access::Plain).expect("check");
    assert!(check.is_ok(), "{check:?}");
}
