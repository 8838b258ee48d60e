//! Passwords: what makes one acceptable, how it is hashed (argon2id, PHC string), and how long
//! a user waits after wrong tries. The hash is all that is kept; the password is wiped after use.

use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};
use zeroize::Zeroizing;

use super::names::fold;

/// The shortest password accepted, in characters. No composition rules (NIST SP 800-63B).
pub const MIN_LENGTH: usize = 10;
/// The longest: enough for a pass phrase, short enough to hash quickly.
pub const MAX_LENGTH: usize = 128;
/// Wrong tries in a row after which a user waits.
pub const TRIES_BEFORE_WAIT: u32 = 5;
/// How long a user waits after too many wrong tries.
pub const WAIT_SECONDS: i64 = 30;

/// Argon2id at the OWASP minimum: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// The most common passwords of ten characters or more (from the public breach lists), which
/// are refused whatever their case.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "0987654321",
    "1q2w3e4r5t",
    "qwertyuiop",
    "1qaz2wsx3edc",
    "password123",
    "password12",
    "password1234",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord123",
    "welkom1234",
    "welkomwelkom",
    "iloveyou12",
    "abcdefghij",
    "aaaaaaaaaa",
    "1111111111",
    "0000000000",
    "qwerty1234",
    "qwerty123456",
    "azertyuiop",
    "loketloket",
    "relatieloket",
    "gemeente123",
    "zomer2026!",
    "winter2026!",
];

/// A password typed by the user, wiped from memory when dropped.
pub type Secret = Zeroizing<String>;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// It is (or contains) the user's own name.
    IsName,
    /// It is on the list of the most common passwords.
    Common,
    /// The two typed passwords differ.
    Mismatch,
}

impl PasswordProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password.too_short",
            PasswordProblem::TooLong => "password.too_long",
            PasswordProblem::IsName => "password.is_name",
            PasswordProblem::Common => "password.common",
            PasswordProblem::Mismatch => "password.mismatch",
        }
    }
}

/// Whether `password` may be chosen by the user called `name`.
pub fn check_new(password: &str, name: &str) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    let folded: String = fold(password).chars().filter(|c| !c.is_whitespace()).collect();
    let name_parts: Vec<String> =
        fold(name).split_whitespace().filter(|p| p.chars().count() >= 3).map(str::to_owned).collect();
    let whole_name: String = fold(name).chars().filter(|c| !c.is_whitespace()).collect();
    if folded == whole_name || name_parts.contains(&folded) {
        return Err(PasswordProblem::IsName);
    }
    if !whole_name.is_empty()
        && folded.contains(&whole_name)
        && folded.chars().count() < whole_name.chars().count() + 4
    {
        return Err(PasswordProblem::IsName);
    }
    if COMMON.iter().any(|c| fold(c) == folded) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// A password's hash as kept in the database: an argon2id PHC string (`$argon2id$v=19$...`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

fn argon2() -> Argon2<'static> {
    // The parameters are constants within argon2's limits; the fallback is argon2's own default,
    // which is the same OWASP minimum.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHash {
    /// Hashes a password with a fresh random salt; `None` only when the system has no randomness.
    pub fn new(password: &str) -> Option<Self> {
        let hash: Phc = argon2().hash_password(password.as_bytes()).ok()?;
        Some(PasswordHash(hash.to_string()))
    }

    /// A stored PHC string, as read from the database.
    pub fn from_stored(phc: String) -> Self {
        PasswordHash(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `password` is the one hashed here (with the parameters stored in the hash).
    pub fn verify(&self, password: &str) -> bool {
        match Phc::new(&self.0) {
            Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }
}

/// Until when a user must wait after `failures` wrong tries in a row, the last at `last`.
pub fn wait_until(failures: u32, last: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match last {
        Some(at) if failures >= TRIES_BEFORE_WAIT => Some(at + Duration::seconds(WAIT_SECONDS)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_characters_without_composition_rules_are_enough() {
        assert_eq!(check_new("paardenbloem", "Sara de Boer"), Ok(()));
        assert_eq!(check_new("kort", "Sara"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new("negen6789", "Sara"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new(&"x".repeat(129), "Sara"), Err(PasswordProblem::TooLong));
        // Characters, not bytes: ten letters with diacritics are ten.
        assert_eq!(check_new("ëëëëëéééééx", "Sara"), Ok(()));
    }

    #[test]
    fn the_own_name_and_common_passwords_are_refused() {
        assert_eq!(
            check_new("IJsbrand van der Wêreld", "IJsbrand van der Wêreld"),
            Err(PasswordProblem::IsName)
        );
        assert_eq!(
            check_new("ijsbrandvanderwereld", "IJsbrand van der Wêreld"),
            Err(PasswordProblem::IsName)
        );
        assert_eq!(
            check_new("ijsbrandvanderwereld1", "IJsbrand van der Wêreld"),
            Err(PasswordProblem::IsName)
        );
        assert_eq!(check_new("Wachtwoord123", "Sara de Boer"), Err(PasswordProblem::Common));
        assert_eq!(check_new("QWERTYUIOP", "Sara de Boer"), Err(PasswordProblem::Common));
        assert_eq!(check_new("ijsbrand houdt van fietsen", "IJsbrand van der Wêreld"), Ok(()));
    }

    #[test]
    fn a_hash_is_argon2id_with_the_owasp_minimum_and_verifies_only_its_password() {
        let hash = PasswordHash::new("paardenbloem").expect("hash");
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", hash.as_str());
        assert!(hash.verify("paardenbloem"));
        assert!(!hash.verify("Paardenbloem"));
        assert!(!PasswordHash::from_stored("not a hash".into()).verify("paardenbloem"));
        // The same password hashes differently each time (a fresh salt).
        assert_ne!(PasswordHash::new("paardenbloem").expect("hash"), hash);
        assert!(!format!("{hash:?}").contains("argon2"), "the hash stays out of debug output");
    }

    #[test]
    fn five_wrong_tries_in_a_row_make_the_user_wait_thirty_seconds() {
        let at = DateTime::parse_from_rfc3339("2026-12-02T09:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        assert_eq!(wait_until(4, at), None);
        assert_eq!(wait_until(5, at), at.map(|t| t + Duration::seconds(30)));
        assert_eq!(wait_until(7, None), None);
    }
}
