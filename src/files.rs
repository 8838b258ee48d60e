//! The files and folders loket makes beside the user's own: created new and owner-only, and placed
//! under their name without ever replacing, following or removing what is already there. Whatever
//! is found under a name loket wants (a file, a folder, a link, a device) is left as it is.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` and any missing parents, owner-only (0700 on unix) from the start: never readable
/// by others for a moment under a loose umask. A folder that exists is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A new folder of this run only, owner-only, in `parent`: `<prefix>-<pid>-<random>`. A name that
/// is taken (by anyone, with anything) is never used: another is tried.
pub fn create_run_folder(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).map_err(|_| io::Error::other("no randomness"))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let dir = parent.join(format!("{prefix}-{}-{suffix}", std::process::id()));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// A new file, owner-only (0600 on unix). An existing name is refused, a link included: creating
/// new (`O_CREAT | O_EXCL`) never follows a link, not even one that points nowhere.
pub fn open_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A new owner-only temporary file beside `path`, `.<name>.<pid>.<n>.<tag>`: a name someone else
/// planted there is skipped, never opened, followed or removed.
pub fn temp_beside(path: &Path, tag: &str) -> io::Result<(PathBuf, File)> {
    let dir = folder_of(path);
    let name = path.file_name().ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for n in 0..100 {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.{n}.{tag}", std::process::id()));
        let temp = dir.join(temp_name);
        match open_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Gives the finished file `temp` the name `target`, only if nothing is there: a hard link, which
/// fails when the name exists (a link or a device included), and then the temporary name goes. A
/// rename is never used, as it replaces what it finds. Where the file system has no hard links, the
/// content is copied into a file created new under the name. `temp` stays on failure: the caller's
/// to remove.
pub fn place_new(temp: &Path, target: &Path) -> io::Result<()> {
    match fs::hard_link(temp, target) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) => {
            let mut to = open_new(target)?;
            let copied = File::open(temp)
                .and_then(|mut from| io::copy(&mut from, &mut to))
                .and_then(|_| to.sync_all());
            if let Err(e) = copied {
                // Ours: created by this call a moment ago.
                let _ = fs::remove_file(target);
                return Err(e);
            }
        }
    }
    let _ = fs::remove_file(temp);
    sync_folder(&folder_of(target));
    Ok(())
}

/// Writes `bytes` to `path` only if nothing is there yet (not a file, a folder or a symbolic link,
/// which is never followed): written whole to an owner-only temporary file beside it and then
/// placed with [`place_new`]. On failure nothing of ours is left behind and nothing else is touched.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, mut file) = temp_beside(path, "new")?;
    let result = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| {
        drop(file);
        place_new(&temp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `bytes` to `path`, replacing the regular file there (an earlier export): written to an
/// owner-only temporary file beside it and renamed into place, so that a half-written file never
/// exists under the name. Only for a name found to hold a regular file, or nothing.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, mut file) = temp_beside(path, "tmp")?;
    let result = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| {
        drop(file);
        fs::rename(&temp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    } else {
        sync_folder(&folder_of(path));
    }
    result
}

/// Writes `bytes` into what is at `path` when that is not a regular file (a terminal, a pipe, a
/// FIFO, a device): opened as it is, never created, truncated or replaced. Refused when what was
/// opened is a regular file or a folder, or is not what `expected` (its metadata, looked up before)
/// describes: something was swapped in between.
#[cfg(unix)]
pub fn write_into(path: &Path, bytes: &[u8], expected: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mut file = OpenOptions::new().write(true).open(path)?;
    let opened = file.metadata()?;
    if opened.is_file() || opened.is_dir() || opened.dev() != expected.dev() || opened.ino() != expected.ino()
    {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    file.write_all(bytes)?;
    file.flush()
}

#[cfg(not(unix))]
pub fn write_into(_path: &Path, _bytes: &[u8], _expected: &fs::Metadata) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::InvalidInput))
}

/// The folder a path names a file in ("." for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes a new name durable; not every platform can sync a folder, so this is best effort.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
