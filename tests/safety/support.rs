//! What the safety tests share: the real binary on real files, reading the file beside it, and
//! waiting for a child process.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Output};
use std::time::{Duration, Instant};

use loket::domain::couple::Request;
use loket::domain::walkin::NewWalkIn;
use rusqlite::Connection;

pub use crate::common::bin::{loket, loket_command};
pub use crate::common::desk::at;

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A failure of the binary: a non-zero exit that is not a panic, and exactly one line on stderr.
pub fn assert_one_line_failure(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{what}: should fail, stdout {:?}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{what}: exit 1, not a panic or a signal: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err:?}");
    assert!(err.starts_with("loket: "), "{what}: {err:?}");
}

pub fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

pub fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(sidecar(db, suffix));
    }
}

/// The names in a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A database filled by `loket demo`, closed (its write-ahead log checkpointed and removed).
pub fn demo_db(dir: &Path, name: &str, couples: usize) -> PathBuf {
    let db = dir.join(name);
    let out = loket(dir, &["demo", "--db", utf8(&db), "--couples", &couples.to_string()]);
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    assert!(!sidecar(&db, "-wal").exists(), "a clean exit leaves no write-ahead log");
    db
}

pub fn integrity(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check").expect("integrity_check");
    stmt.query_map([], |r| r.get::<_, String>(0)).expect("rows").collect::<Result<_, _>>().expect("rows")
}

pub fn dangling(conn: &Connection) -> Vec<(String, i64)> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").expect("foreign_key_check");
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

pub fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Waits for a child at most `limit`; kills it when it takes longer.
pub fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether this test runs as root, for whom file permissions do not apply: the owner of a file it
/// creates tells.
pub fn running_as_root(dir: &Path) -> bool {
    let probe = dir.join("whoami");
    fs::write(&probe, "").expect("probe");
    let uid = fs::metadata(&probe).expect("probe").uid();
    fs::remove_file(&probe).expect("probe");
    uid == 0
}

/// A small deterministic pseudo-random sequence (xorshift64*).
pub struct Prng(pub u64);

impl Prng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

pub fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// A walk-in of `given surname` with Els Jansen.
pub fn walk_in(given: &str, surname: &str) -> NewWalkIn {
    crate::common::desk::walk_in(&[(given, "", surname), ("Els", "", "Jansen")], Request::Repair)
}
