//! Never touch what is not ours (issue 14): the files loket writes (calendar exports, backups, the
//! demo's database, folders) never replace, follow or remove what it finds under a name.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rusqlite::Connection;

use crate::common::pty::{Loket, Place};
use crate::support::*;

/// `cat` reading `fifo` into `into`, started before anything writes to it.
fn read_fifo(fifo: &Path, into: &Path) -> std::process::Child {
    Command::new("sh")
        .args(["-c", "exec cat \"$0\" > \"$1\"", utf8(fifo), utf8(into)])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cat")
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

fn export_to(dir: &Path, db: &Path, out: &Path) -> std::process::Output {
    loket(dir, &["--lang", "en", "export-ics", "--db", utf8(db), "--out", utf8(out)])
}

#[test]
fn export_ics_writes_into_a_fifo_or_a_device_and_never_replaces_it_nor_follows_a_link_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), "t.db", 3);

    // A FIFO, by its name and through a link (as /dev/stdout is a link): written into, still a FIFO.
    let fifo = dir.path().join("agenda.fifo");
    mkfifo(&fifo);
    let link_to_fifo = dir.path().join("to-fifo.ics");
    symlink(&fifo, &link_to_fifo).expect("link");
    for (n, out) in [&fifo, &link_to_fifo].into_iter().enumerate() {
        let received = dir.path().join(format!("received-{n}.ics"));
        let mut cat = read_fifo(&fifo, &received);
        let written = export_to(dir.path(), &db, out);
        let read = wait_at_most(&mut cat, Duration::from_secs(5));
        assert!(written.status.success(), "{}: {}", out.display(), text(&written.stderr));
        assert!(read.is_some_and(|s| s.success()), "the reader got the end of the calendar");
        let got = fs::read_to_string(&received).expect("received");
        assert!(got.starts_with("BEGIN:VCALENDAR"), "{got:?}");
        let kind = fs::symlink_metadata(&fifo).expect("fifo").file_type();
        assert!(kind.is_fifo(), "the FIFO is still a FIFO, not replaced: {kind:?}");
        assert!(fs::symlink_metadata(&link_to_fifo).expect("link").file_type().is_symlink());
    }

    // A link to a regular file (planted by someone else) is refused: the file and the link stay.
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "not a calendar").expect("victim");
    let link = dir.path().join("planted.ics");
    symlink(&victim, &link).expect("link");
    let dangling = dir.path().join("dangling.ics");
    symlink(dir.path().join("nowhere.txt"), &dangling).expect("link");
    for out in [&link, &dangling] {
        let refused = export_to(dir.path(), &db, out);
        assert_one_line_failure(&refused, "a link to a file");
        assert!(text(&refused.stderr).contains("symbolic link"), "{}", text(&refused.stderr));
        assert!(fs::symlink_metadata(out).expect("link").file_type().is_symlink(), "the link stays");
    }
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "not a calendar");
    assert!(!dir.path().join("nowhere.txt").exists(), "a dangling link is not followed");

    // A device node (made under the temporary folder, as root only): written into, still a device.
    if running_as_root(dir.path()) {
        let null = dir.path().join("null");
        let made = Command::new("mknod").arg(&null).args(["c", "1", "3"]).status().expect("mknod");
        assert!(made.success());
        fs::set_permissions(&null, fs::Permissions::from_mode(0o666)).expect("chmod");
        let written = export_to(dir.path(), &db, &null);
        assert!(written.status.success(), "{}", text(&written.stderr));
        let meta = fs::symlink_metadata(&null).expect("device");
        assert!(meta.file_type().is_char_device(), "the device is still a device");
        assert_eq!(meta.permissions().mode() & 0o777, 0o666, "and its mode is unchanged");
    } else {
        println!("skipped the device node: mknod needs root");
    }
    // Nothing of ours left beside: no temporary files.
    assert!(listing(dir.path()).iter().all(|n| !n.starts_with('.')), "{:?}", listing(dir.path()));
}

/// The number of couples in a database file.
fn couples(db: &Path) -> i64 {
    count(&Connection::open(db).expect("open"), "SELECT COUNT(*) FROM couples")
}

#[test]
fn two_backups_to_one_name_at_once_one_succeeds_and_the_other_says_the_name_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = demo_db(dir.path(), "big.db", 60);
    let small = demo_db(dir.path(), "small.db", 1);
    let (n_big, n_small) = (couples(&big), couples(&small));
    assert_ne!(n_big, n_small);
    let target = dir.path().join("x.db");
    for round in 0..6 {
        let _ = fs::remove_file(&target);
        let start = |db: &Path| {
            loket_command(dir.path())
                .args(["--lang", "en", "backup", utf8(&target), "--db", utf8(db)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start backup")
        };
        let (a, b) = (start(&big), start(&small));
        let (a, b) = (a.wait_with_output().expect("a"), b.wait_with_output().expect("b"));
        let ok: Vec<_> =
            [(&a, n_big), (&b, n_small)].into_iter().filter(|(o, _)| o.status.success()).collect();
        assert_eq!(
            ok.len(),
            1,
            "round {round}: exactly one backup succeeds: {:?} / {:?}",
            text(&a.stderr),
            text(&b.stderr)
        );
        let failed = if a.status.success() { &b } else { &a };
        assert_one_line_failure(failed, "the second backup");
        assert!(text(&failed.stderr).contains("already exists"), "{}", text(&failed.stderr));
        assert_eq!(couples(&target), ok[0].1, "round {round}: the copy is the one that said it succeeded");
        assert_eq!(
            listing(dir.path()).iter().filter(|n| n.starts_with('.')).count(),
            0,
            "no partial copy left"
        );
    }
}

#[test]
fn a_backup_never_replaces_a_link_at_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), "t.db", 2);
    let target = dir.path().join("copy.db");
    symlink(dir.path().join("nowhere.db"), &target).expect("link");
    let out = loket(dir.path(), &["--lang", "en", "backup", utf8(&target), "--db", utf8(&db)]);
    assert_one_line_failure(&out, "a link at the name");
    assert!(fs::symlink_metadata(&target).expect("link").file_type().is_symlink(), "the link stays");
    assert!(!dir.path().join("nowhere.db").exists(), "and is not followed");
}

#[test]
fn folders_loket_creates_are_owner_only_under_a_loose_umask() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("new").join("sub").join("loket.db");
    let out = Command::new("sh")
        .args([
            "-c",
            "umask 022; exec \"$0\" demo --couples 1 --db \"$1\"",
            crate::common::bin::BIN,
            utf8(&db),
        ])
        .env("LOKET_CONFIG", dir.path().join("no-config.toml"))
        .env("LOKET_PLAIN", "true")
        .env_remove("LOKET_DB")
        .output()
        .expect("demo");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("new")), 0o700);
    assert_eq!(mode(&dir.path().join("new").join("sub")), 0o700);
}

#[test]
fn the_demo_leaves_a_planted_file_alone_and_removes_only_its_own_folder() {
    let place = Place::empty();
    let tmp = place.path().join("tmp");
    fs::create_dir(&tmp).expect("tmp");
    let mut cmd = place.command("bash");
    cmd.env("TMPDIR", &tmp);
    // The file is planted under the name the demo used to take: loket-demo-<its process id>.db.
    cmd.args([
        "-c",
        "echo x > \"$TMPDIR/loket-demo-$$.db\"; exec \"$0\" --demo",
        env!("CARGO_BIN_EXE_loket"),
    ]);
    let mut app = Loket::spawn(cmd, 120, 40);
    app.wait_for("Wie bent u?");
    let names = listing(&tmp);
    assert_eq!(names.len(), 2, "the planted file and the demo's own folder: {names:?}");
    let planted = tmp.join(names.iter().find(|n| n.ends_with(".db")).expect("planted file"));
    let folder = tmp.join(names.iter().find(|n| !n.ends_with(".db")).expect("the demo's folder"));
    assert_eq!(mode(&folder), 0o700, "the demo's folder is owner-only");
    assert!(folder.join("demo.db").is_file(), "{:?}", listing(&folder));
    app.quit();
    assert_eq!(fs::read_to_string(&planted).expect("planted"), "x\n", "the planted file is untouched");
    assert_eq!(listing(&tmp).len(), 1, "only the demo's own folder went: {:?}", listing(&tmp));
}
