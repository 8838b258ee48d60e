//! What a database path may be: a regular file, or nothing yet. Anything else (a folder, a
//! device, a FIFO, a socket, a symbolic link) is refused by its metadata alone, before the file
//! is opened, made private or given a journal: opening a FIFO would wait for ever, and a device
//! must never be changed.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Result, StoreError};

/// What a database path is when it is not a regular file. loket opens none of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAFile {
    Folder,
    /// A symbolic link, also one that points nowhere: loket does not follow it.
    Link,
    Fifo,
    Device,
    Socket,
    Other,
}

impl NotAFile {
    /// The key of its words in the texts.
    pub fn text_key(self) -> &'static str {
        match self {
            NotAFile::Folder => "file_kind.folder",
            NotAFile::Link => "file_kind.link",
            NotAFile::Fifo => "file_kind.fifo",
            NotAFile::Device => "file_kind.device",
            NotAFile::Socket => "file_kind.socket",
            NotAFile::Other => "file_kind.other",
        }
    }
}

/// The metadata of the regular file at `path`, `None` when nothing is there, and a refusal for
/// anything else. Looks at the path itself (a symbolic link is not followed) and never opens it.
pub fn regular_or_missing(path: &Path) -> Result<Option<fs::Metadata>> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Io(e.kind())),
        Ok(meta) if meta.file_type().is_file() => Ok(Some(meta)),
        Ok(meta) => Err(StoreError::NotAFile(kind_of(meta.file_type()))),
    }
}

fn kind_of(kind: fs::FileType) -> NotAFile {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return NotAFile::Fifo;
        }
        if kind.is_block_device() || kind.is_char_device() {
            return NotAFile::Device;
        }
        if kind.is_socket() {
            return NotAFile::Socket;
        }
    }
    if kind.is_dir() {
        NotAFile::Folder
    } else if kind.is_symlink() {
        NotAFile::Link
    } else {
        NotAFile::Other
    }
}

/// The name of one of SQLite's files beside the database: `-wal`, `-shm` or `-journal`.
pub(super) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks, before a desk that may write the database opens it, that SQLite's files beside it are
/// regular files this process can write. One that is not (left by another user's reader, or made
/// read-only) would make every save fail later with no word why; a link there would be written
/// through. loket changes none of them: it says which one is in the way.
pub(super) fn check_side_files(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = side_file(path, suffix);
        let blocked = match regular_or_missing(&side) {
            Ok(None) => false,
            Ok(Some(_)) => fs::OpenOptions::new().append(true).open(&side).is_err(),
            Err(_) => true,
        };
        if blocked {
            return Err(StoreError::SideFileBlocked(suffix));
        }
    }
    Ok(())
}
