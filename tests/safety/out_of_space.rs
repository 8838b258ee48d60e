//! A real full disk: a small file system (a size-limited tmpfs) that runs out of room while SQLite
//! writes its write-ahead log, not the page limit the other disk-full tests set. Mounting needs
//! root; where the test cannot mount, it says why and does nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use loket::store::{Store, StoreError};

use super::disk_full::{fill_until_full, long_walk_in};
use super::support::{running_as_root, text};
use crate::common::db::{assert_same, dump, integrity_ok};
use crate::common::desk::{filled_store, now};

/// A tmpfs mounted for one test, unmounted when it ends (also when it fails).
struct SmallFileSystem {
    point: PathBuf,
}

impl SmallFileSystem {
    /// Mounts a tmpfs of `size` (as `mount -o size=` takes it) in `dir`; or says why it cannot.
    fn mount(dir: &Path, size: &str) -> Result<SmallFileSystem, String> {
        if !running_as_root(dir) {
            return Err("mounting a tmpfs needs root".to_owned());
        }
        let point = dir.join("small");
        fs::create_dir(&point).map_err(|e| format!("mount point: {e}"))?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(&point)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("mount -t tmpfs: {}", text(&out.stderr).trim()));
        }
        Ok(SmallFileSystem { point })
    }
}

impl Drop for SmallFileSystem {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.point).status();
    }
}

/// Writes `path` until the file system is full; returns how many bytes fitted.
fn fill_the_rest(path: &Path) -> u64 {
    let mut file = fs::File::create(path).expect("filler");
    let block = [0x5a_u8; 4096];
    let mut written = 0;
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => panic!("filling the file system: {e}"),
        }
    }
    written
}

/// The database on a 2 MiB tmpfs whose room is taken by another file but for 256 KiB: long
/// walk-ins are saved until the log can no longer grow; the one that does not fit is refused as `DiskFull` and
/// leaves the file as it was (checked by `fill_until_full`). Once the other file is gone, the very
/// same walk-in is saved, and the file is whole.
#[test]
fn a_real_full_file_system_refuses_the_save_whole_and_the_same_save_succeeds_with_room() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = match SmallFileSystem::mount(dir.path(), "2m") {
        Ok(small) => small,
        Err(why) => {
            println!("skipped, no small file system to fill: {why}");
            return;
        }
    };
    let path = small.point.join("loket.db");
    let (mut store, _) = filled_store(&path);
    // Take the room left, then give back 256 KiB: a few saves fit before the log cannot grow.
    let filler = small.point.join("filler");
    let taken = fill_the_rest(&filler);
    assert!(taken > 256 * 1024, "the filler took the room left ({taken} bytes)");
    fs::File::options()
        .write(true)
        .open(&filler)
        .and_then(|f| f.set_len(taken - 256 * 1024))
        .expect("give back");

    let fitted = fill_until_full(&mut store, &path);
    println!("on a full 2 MiB tmpfs: {fitted} long walk-ins fitted before the refusal");
    let before = dump(&path);
    let again = store.register_walk_in(&long_walk_in(fitted), now(), None);
    assert!(matches!(again, Err(StoreError::DiskFull)), "still full: {again:?}");
    assert_same(&before, &dump(&path), "a second refusal leaves the file as it was");

    fs::remove_file(&filler).expect("make room");
    store.register_walk_in(&long_walk_in(fitted), now(), None).expect("the same walk-in fits now");
    drop(store);
    integrity_ok(&path);
    let second = Store::open(&path).expect("open again");
    assert_eq!(second.couple_count().expect("couples"), 3 + fitted as i64 + 1);
    drop(second);
}
