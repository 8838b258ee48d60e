//! The slot file beside the database: one wrapped copy of the key per user.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::*;

/// The slot file of the database at `db`: its path with `.keys` appended (`loket.db.keys`).
pub fn slots_path(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_os_string();
    path.push(".keys");
    PathBuf::from(path)
}

/// The database's id: the first 16 bytes of the file (SQLCipher's plaintext salt). A file shorter
/// than that is `KeyError::Io(ErrorKind::UnexpectedEof)`; a missing one `Io(NotFound)`.
pub fn database_id_of(db: &Path) -> Result<[u8; ID_LEN], KeyError> {
    let mut file = File::open(db).map_err(|e| io_error(&e))?;
    let mut id = [0u8; ID_LEN];
    file.read_exact(&mut id).map_err(|e| io_error(&e))?;
    Ok(id)
}

/// A user with a slot, as the sign-in gate lists them: no secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotInfo {
    pub user: i64,
    pub name: String,
}

#[derive(Clone, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) user: i64,
    pub(super) name: String,
    pub(super) salt: [u8; SALT_LEN],
    pub(super) nonce: [u8; NONCE_LEN],
    pub(super) wrapped: [u8; WRAPPED_LEN],
}

/// The key slots of one database (the `.keys` file beside it).
#[derive(Clone, PartialEq, Eq)]
pub struct SlotFile {
    pub(super) database: [u8; ID_LEN],
    pub(super) slots: Vec<Slot>,
}

impl fmt::Debug for SlotFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlotFile")
            .field("database", &hex(&self.database))
            .field("users", &self.slots.iter().map(|s| s.user).collect::<Vec<_>>())
            .finish()
    }
}

/// The file as stored: `{"format":"loket-keys-1","database":"<hex>","slots":[…]}`.
#[derive(Serialize, Deserialize)]
struct FileJson {
    format: String,
    database: String,
    slots: Vec<SlotJson>,
}

#[derive(Serialize, Deserialize)]
struct SlotJson {
    user: i64,
    name: String,
    salt: String,
    nonce: String,
    wrapped: String,
}

impl SlotFile {
    /// An empty slot file for the database with this id (see [`database_id_of`]).
    pub fn new(database_id: [u8; ID_LEN]) -> SlotFile {
        SlotFile { database: database_id, slots: Vec::new() }
    }

    /// Reads the slot file at `path`. A missing file is [`KeyError::Missing`]; something other than
    /// a regular file (a symlink too) [`KeyError::NotOurs`]; content that is not a slot file of
    /// this format (not UTF-8, not JSON, another `format`, a bad field, a user twice, over 1 MiB)
    /// [`KeyError::Damaged`]; a failing read (e.g. no permission) [`KeyError::Io`].
    pub fn load(path: &Path) -> Result<SlotFile, KeyError> {
        let not_found = |e: io::Error| match e.kind() {
            ErrorKind::NotFound => KeyError::Missing,
            _ => io_error(&e),
        };
        // Checked before opening: opening a FIFO would wait for a writer.
        if !fs::symlink_metadata(path).map_err(not_found)?.file_type().is_file() {
            return Err(KeyError::NotOurs);
        }
        let file = File::open(path).map_err(not_found)?;
        if !file.metadata().map_err(|e| io_error(&e))?.is_file() {
            return Err(KeyError::NotOurs);
        }
        let mut bytes = Vec::new();
        file.take(MAX_SLOT_FILE + 1).read_to_end(&mut bytes).map_err(|e| match e.kind() {
            ErrorKind::InvalidData => KeyError::Damaged,
            _ => io_error(&e),
        })?;
        if bytes.len() as u64 > MAX_SLOT_FILE {
            return Err(KeyError::Damaged);
        }
        SlotFile::from_json(&bytes)
    }

    /// Writes the slot file to `path`: owner-only (0600 on unix), through a new temporary file
    /// beside it that is synced and renamed into place, so the old or the new file is whole at any
    /// moment. Refuses with [`KeyError::NotOurs`] when something other than a regular file (a
    /// symlink, a directory, a FIFO, a device) is at `path`, leaving it as it is.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        match fs::symlink_metadata(path) {
            Ok(meta) if !meta.file_type().is_file() => return Err(KeyError::NotOurs),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&e)),
        }
        let name = path.file_name().ok_or(KeyError::Io(ErrorKind::InvalidInput))?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut tag = [0u8; 8];
        random_fill(&mut tag)?;
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.tmp", hex(&tag)));
        let temp = dir.join(temp_name);

        let json = self.to_json();
        let written = write_new_private(&temp, json.as_bytes()).and_then(|()| fs::rename(&temp, path));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io_error(&e));
        }
        // Make the rename itself durable; a directory that cannot be synced is no reason to fail.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// The id of the database these slots belong to.
    pub fn database_id(&self) -> [u8; ID_LEN] {
        self.database
    }

    /// The users with a slot, in the stored order.
    pub fn users(&self) -> Vec<SlotInfo> {
        self.slots.iter().map(|s| SlotInfo { user: s.user, name: s.name.clone() }).collect()
    }

    /// Whether `user` has a slot.
    pub fn has_slot(&self, user: i64) -> bool {
        self.slots.iter().any(|s| s.user == user)
    }

    /// Wraps `key` for `user` with `password` (a fresh salt and nonce), replacing the user's slot if
    /// there is one (a password change rewraps) and keeping its place; otherwise appended. Takes
    /// about as long as a sign-in (argon2id).
    pub fn add(&mut self, user: i64, name: &str, password: &str, key: &DbKey) -> Result<(), KeyError> {
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        random_fill(&mut salt)?;
        random_fill(&mut nonce)?;
        let kek = derive_kek(password, &salt)?;
        let cipher = XChaCha20Poly1305::new((&*kek).into());
        let mut buffer = Zeroizing::new(Vec::with_capacity(WRAPPED_LEN));
        buffer.extend_from_slice(&key.0[..]);
        cipher
            .encrypt_in_place(&XNonce::from(nonce), aad(&self.database, user).as_bytes(), &mut *buffer)
            .map_err(|_| KeyError::Io(ErrorKind::InvalidInput))?;
        let wrapped: [u8; WRAPPED_LEN] =
            buffer.as_slice().try_into().map_err(|_| KeyError::Io(ErrorKind::InvalidInput))?;
        let slot = Slot { user, name: name.to_owned(), salt, nonce, wrapped };
        match self.slots.iter_mut().find(|s| s.user == user) {
            Some(old) => *old = slot,
            None => self.slots.push(slot),
        }
        Ok(())
    }

    /// Removes the slot of `user`, if any.
    /// The name shown for `user`'s slot at the gate, after a rename.
    pub fn rename(&mut self, user: i64, name: &str) {
        for slot in self.slots.iter_mut().filter(|s| s.user == user) {
            slot.name = name.to_owned();
        }
    }

    pub fn remove(&mut self, user: i64) {
        self.slots.retain(|s| s.user != user);
    }

    /// The database key from the slot of `user`. No slot is [`KeyError::NoSlot`]; a slot that does
    /// not open (a wrong password, or a slot moved to another user or database, or changed) is
    /// [`KeyError::WrongPassword`]. Takes about as long as a sign-in (argon2id).
    pub fn unwrap(&self, user: i64, password: &str) -> Result<DbKey, KeyError> {
        let slot = self.slots.iter().find(|s| s.user == user).ok_or(KeyError::NoSlot)?;
        let kek = derive_kek(password, &slot.salt)?;
        let cipher = XChaCha20Poly1305::new((&*kek).into());
        let mut buffer = Zeroizing::new(Vec::with_capacity(WRAPPED_LEN));
        buffer.extend_from_slice(&slot.wrapped);
        cipher
            .decrypt_in_place(&XNonce::from(slot.nonce), aad(&self.database, user).as_bytes(), &mut *buffer)
            .map_err(|_| KeyError::WrongPassword)?;
        if buffer.len() != KEY_LEN {
            return Err(KeyError::Damaged);
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&buffer);
        Ok(DbKey(key))
    }

    pub(super) fn to_json(&self) -> String {
        let file = FileJson {
            format: FORMAT.to_owned(),
            database: hex(&self.database),
            slots: self
                .slots
                .iter()
                .map(|s| SlotJson {
                    user: s.user,
                    name: s.name.clone(),
                    salt: hex(&s.salt),
                    nonce: hex(&s.nonce),
                    wrapped: hex(&s.wrapped),
                })
                .collect(),
        };
        // Strings and integers only: serialising cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    pub(super) fn from_json(bytes: &[u8]) -> Result<SlotFile, KeyError> {
        let file: FileJson = serde_json::from_slice(bytes).map_err(|_| KeyError::Damaged)?;
        if file.format != FORMAT {
            return Err(KeyError::Damaged);
        }
        let database = unhex(&file.database).ok_or(KeyError::Damaged)?;
        let mut slots: Vec<Slot> = Vec::with_capacity(file.slots.len());
        for s in file.slots {
            if slots.iter().any(|other| other.user == s.user) {
                return Err(KeyError::Damaged);
            }
            slots.push(Slot {
                user: s.user,
                name: s.name,
                salt: unhex(&s.salt).ok_or(KeyError::Damaged)?,
                nonce: unhex(&s.nonce).ok_or(KeyError::Damaged)?,
                wrapped: unhex(&s.wrapped).ok_or(KeyError::Damaged)?,
            });
        }
        Ok(SlotFile { database, slots })
    }
}

/// The associated data of a slot: binds it to its database and its user.
fn aad(database: &[u8; ID_LEN], user: i64) -> String {
    format!("{FORMAT}:{}:{user}", hex(database))
}

/// The key-encryption key of a slot: argon2id(password, salt), 32 bytes.
fn derive_kek(password: &str, salt: &[u8; SALT_LEN]) -> Result<Zeroizing<[u8; KEY_LEN]>, KeyError> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, Some(KEY_LEN))
        .map_err(|_| KeyError::Io(ErrorKind::InvalidInput))?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut kek = Zeroizing::new([0u8; KEY_LEN]);
    argon2.hash_password_into(password.as_bytes(), salt, &mut kek[..]).map_err(|e| match e {
        argon2::Error::OutOfMemory => KeyError::Io(ErrorKind::OutOfMemory),
        _ => KeyError::Io(ErrorKind::InvalidInput),
    })?;
    Ok(kek)
}

/// Creates `path` (which must not exist: no symlink is followed), owner-only, with `bytes`, synced.
fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // The umask may have taken more than asked for: owner read and write, nothing else.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}
