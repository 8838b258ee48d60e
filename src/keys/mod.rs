//! The key of the encrypted database and the key slots that open it (issue 11).
//!
//! The database is encrypted by SQLCipher with a random 32-byte raw key, the [`DbKey`]. Nobody types
//! that key: each active user has a *slot* in a file beside the database ([`slots_path`], e.g.
//! `loket.db.keys`) holding the key wrapped with a key derived from their own password, the way disk
//! encryption uses key slots. A slot is `XChaCha20-Poly1305(KEK, nonce, db key, aad)` with
//! `KEK = argon2id(password, salt)` (m = 64 MiB, t = 4, p = 1) and a fresh salt and nonce per wrap.
//! The associated data names the database (its plaintext SQLCipher salt, [`database_id_of`]) and
//! the user, so a slot moved to another user or a slot file put beside another database opens
//! nothing.
//!
//! The *recovery key* is the database key itself, written for people ([`DbKey::recovery_text`]):
//! shown once when the file is made, kept in the safe, it opens the database without any slot.
//!
//! Neither a key nor a password ever reaches an error, a `Debug` text or a log, and every copy this
//! module makes of them is wiped after use ([`Zeroizing`]).

use std::fmt;
use std::io::{self, ErrorKind};

use zeroize::{Zeroize, Zeroizing};

/// The `format` of a slot file this module reads and writes.
pub const FORMAT: &str = "loket-keys-1";

const KEY_LEN: usize = 32;
const ID_LEN: usize = 16;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;

/// argon2id cost of a slot's key-encryption key: well above the OWASP minimum (64 MiB, 4 passes,
/// 1 lane), so that unlocking takes a noticeable moment (about 0.15 s here) and a stolen slot file
/// is slow to guess at. The password hashes in the database keep the minimum: they are checked
/// at every sign-in and unlock of the screen.
const ARGON2_M_KIB: u32 = 64 * 1024;
const ARGON2_T: u32 = 4;
const ARGON2_P: u32 = 1;

/// A slot file larger than this is not ours (a real one holds a few hundred bytes per user).
const MAX_SLOT_FILE: u64 = 1 << 20;

/// RFC 4648 base32 alphabet.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// 256 bits in 5-bit characters: 51 full ones and one carrying the last bit.
const RECOVERY_CHARS: usize = 52;
const RECOVERY_GROUP: usize = 4;

/// Why a key or a slot file cannot be used. No variant carries a key, a password or a path.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// There is no slot file beside the database.
    #[error("the key slot file is missing")]
    Missing,
    /// The slot file is not a loket slot file (not JSON, another format, a bad field).
    #[error("the key slot file is damaged")]
    Damaged,
    /// Something other than a regular file (a symlink, a directory, a FIFO, a device) is at the
    /// slot file's path: loket neither reads nor replaces it.
    #[error("the key slot file is not a regular file")]
    NotOurs,
    /// The user has no slot in the file.
    #[error("this user has no key slot")]
    NoSlot,
    /// The slot does not open with this password (or the slot was moved to another user or
    /// database, or was changed).
    #[error("the password does not open the key slot")]
    WrongPassword,
    /// The text is not a recovery key: a wrong character or a wrong length.
    #[error("this is not a recovery key")]
    NotARecoveryKey,
    /// The system gave no random numbers.
    #[error("the system gave no random numbers")]
    NoRandomness,
    /// Reading or writing a file failed.
    #[error("cannot read or write the key file: {0}")]
    Io(ErrorKind),
}

fn io_error(e: &io::Error) -> KeyError {
    KeyError::Io(e.kind())
}

fn random_fill(buf: &mut [u8]) -> Result<(), KeyError> {
    getrandom::fill(buf).map_err(|_| KeyError::NoRandomness)
}

/// The raw 32-byte key of the encrypted database. Wiped when dropped; its `Debug` shows nothing.
pub struct DbKey(Zeroizing<[u8; KEY_LEN]>);

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(…)")
    }
}

impl DbKey {
    /// A fresh random key from the operating system.
    pub fn random() -> Result<DbKey, KeyError> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        random_fill(&mut bytes[..])?;
        Ok(DbKey(bytes))
    }

    /// The value for `PRAGMA key = …`: `x'<64 lowercase hex>'` (SQLCipher's raw key, no PBKDF2).
    pub fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(2 * KEY_LEN + 3));
        text.push_str("x'");
        push_hex(&mut text, &self.0[..]);
        text.push('\'');
        text
    }

    /// The key written for people: 52 base32 characters (RFC 4648, upper case, no padding) in 13
    /// groups of 4 joined by `-`, e.g. `ABCD-EFGH-…-WXY2`.
    pub fn recovery_text(&self) -> Zeroizing<String> {
        let groups = RECOVERY_CHARS / RECOVERY_GROUP;
        let mut text = Zeroizing::new(String::with_capacity(RECOVERY_CHARS + groups - 1));
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        for &byte in self.0.iter() {
            acc = (acc << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                push_base32(&mut text, acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        if bits > 0 {
            push_base32(&mut text, acc << (5 - bits));
        }
        acc.zeroize();
        text
    }

    /// The key back from its recovery text. Case, white space and `-` do not matter; any other
    /// character, a wrong number of characters or a non-zero last (padding) bit is
    /// [`KeyError::NotARecoveryKey`].
    pub fn from_recovery_text(text: &str) -> Result<DbKey, KeyError> {
        let mut digits = Zeroizing::new(Vec::<u8>::with_capacity(RECOVERY_CHARS));
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let digit = match c.to_ascii_uppercase() {
                c @ 'A'..='Z' => c as u8 - b'A',
                c @ '2'..='7' => c as u8 - b'2' + 26,
                _ => return Err(KeyError::NotARecoveryKey),
            };
            if digits.len() == RECOVERY_CHARS {
                return Err(KeyError::NotARecoveryKey);
            }
            digits.push(digit);
        }
        if digits.len() != RECOVERY_CHARS {
            return Err(KeyError::NotARecoveryKey);
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        let mut at = 0usize;
        for &digit in digits.iter() {
            acc = (acc << 5) | u32::from(digit);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                key[at] = (acc >> bits) as u8;
                at += 1;
                acc &= (1 << bits) - 1;
            }
        }
        // 52 characters hold 260 bits: the last 4 are padding and must be zero.
        let canonical = at == KEY_LEN && acc == 0;
        acc.zeroize();
        if canonical { Ok(DbKey(key)) } else { Err(KeyError::NotARecoveryKey) }
    }
}

/// Appends the base32 digit `digit & 31`, after a `-` when a group of four is full.
pub(crate) fn push_base32(text: &mut String, digit: u32) {
    let count = text.len() - text.len() / (RECOVERY_GROUP + 1);
    if count > 0 && count.is_multiple_of(RECOVERY_GROUP) {
        text.push('-');
    }
    text.push(char::from(BASE32[(digit & 31) as usize]));
}

pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

/// A raw-key pragma text (`x'<key>'`) with a database's salt appended (`x'<key><salt>'`): the
/// key of a copy that keeps the original's salt, so that the same slots open it.
pub fn salted_pragma(pragma: &str, salt: &[u8; ID_LEN]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(pragma.len() + 2 * ID_LEN));
    text.push_str(pragma.trim_end_matches('\''));
    push_hex(&mut text, salt);
    text.push('\'');
    text
}

pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    push_hex(&mut out, bytes);
    out
}

/// Exactly `2 * N` hex digits (either case) to `N` bytes.
pub(crate) fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let text = text.as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

mod slots;
pub use slots::*;

#[cfg(test)]
mod tests;
