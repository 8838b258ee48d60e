//! The desk's users: their roles, passwords and sign-in. Only a coordinator adds users, gives
//! roles, resets a password or deactivates a user; the store checks that against the database,
//! not against what the caller says.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{code_at, opt_time_at};
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::password::{PasswordHash, wait_until};
use crate::domain::user::{Role, SignIn, User, roles_in_order};

/// A user of the desk, without roles (those come from `user_roles`).
const USER_COLUMNS: &str = "id, name";

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: row.get(0)?, name: row.get(1)?, roles: Vec::new() })
}

/// What sign-in needs to know of a user.
const SIGN_IN_COLUMNS: &str = "password_hash, must_change, failed_tries, last_failed_at, active";

struct Credentials {
    hash: Option<String>,
    must_change: bool,
    failed_tries: u32,
    last_failed_at: Option<DateTime<Utc>>,
    active: bool,
}

fn credentials_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Credentials> {
    Ok(Credentials {
        hash: row.get(0)?,
        must_change: row.get(1)?,
        failed_tries: row.get(2)?,
        last_failed_at: opt_time_at(row, 3)?,
        active: row.get(4)?,
    })
}

/// Fills in each user's roles, with one query for all of them.
fn with_roles(conn: &rusqlite::Connection, mut users: Vec<User>) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached("SELECT user_id, role FROM user_roles")?;
    let rows = stmt.query_map([], |row| Ok((row.get::<_, i64>(0)?, code_at(row, 1, Role::from_code)?)))?;
    for row in rows {
        let (id, role) = row?;
        if let Some(u) = users.iter_mut().find(|u| u.id == id) {
            u.roles.push(role);
        }
    }
    for u in &mut users {
        u.roles = roles_in_order(&u.roles).ok_or(StoreError::Corrupt)?;
    }
    Ok(users)
}

/// One user with their roles, as the database has them now (active or not).
pub(super) fn user_by_id(conn: &rusqlite::Connection, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
    let Some(user) = conn.query_row(&sql, [id], user_from_row).optional()? else { return Ok(None) };
    let mut stmt = conn.prepare_cached("SELECT role FROM user_roles WHERE user_id = ?1")?;
    let roles = stmt
        .query_map([id], |row| code_at(row, 0, Role::from_code))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let roles = roles_in_order(&roles).ok_or(StoreError::Corrupt)?;
    Ok(Some(User { roles, ..user }))
}

/// Refuses unless `by` is an active coordinator, as the database says.
pub(super) fn require_coordinator(tx: &Transaction<'_>, by: &User) -> Result<()> {
    let found: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM user_roles r JOIN users u ON u.id = r.user_id
             WHERE r.user_id = ?1 AND r.role = 'coordinator' AND u.active = 1",
            [by.id],
            |row| row.get(0),
        )
        .optional()?;
    found.map(drop).ok_or(StoreError::NotAllowed)
}

pub(super) use crate::domain::names::same_name;

/// Refuses a name that an active user (other than `except`) already has.
fn require_free_name(tx: &Transaction<'_>, name: &str, except: Option<i64>) -> Result<()> {
    let mut stmt = tx.prepare_cached("SELECT id, name FROM users WHERE active = 1")?;
    let taken = stmt
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .any(|(id, other)| Some(id) != except && same_name(&other, name));
    if taken { Err(StoreError::DuplicateUser) } else { Ok(()) }
}

fn set_roles_in(tx: &Transaction<'_>, user: i64, roles: &[Role]) -> Result<Vec<Role>> {
    let roles = roles_in_order(roles).ok_or(StoreError::NotAllowed)?;
    tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [user])?;
    for role in &roles {
        tx.execute("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)", params![user, role.code()])?;
    }
    tx.execute("UPDATE users SET role = ?2 WHERE id = ?1", params![user, roles[0].code()])?;
    Ok(roles)
}

/// Refuses a change that would leave no active coordinator.
fn require_a_coordinator_left(tx: &Transaction<'_>) -> Result<()> {
    let left: i64 = tx.query_row(
        "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'coordinator' AND u.active = 1",
        [],
        |row| row.get(0),
    )?;
    if left > 0 { Ok(()) } else { Err(StoreError::LastCoordinator) }
}

fn insert_user(
    tx: &Transaction<'_>,
    name: &str,
    roles: &[Role],
    hash: &PasswordHash,
    must_change: bool,
    now: DateTime<Utc>,
) -> Result<User> {
    require_free_name(tx, name, None)?;
    let first = roles_in_order(roles).ok_or(StoreError::NotAllowed)?[0];
    tx.execute(
        "INSERT INTO users (name, role, created_at, password_hash, must_change) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, first.code(), to_sql_time(now), hash.as_str(), must_change],
    )?;
    let id = tx.last_insert_rowid();
    let roles = set_roles_in(tx, id, roles)?;
    Ok(User { id, name: name.to_owned(), roles })
}

/// A user as a coordinator adds them.
pub struct NewUser<'a> {
    pub name: &'a str,
    pub roles: &'a [Role],
    pub hash: &'a PasswordHash,
    /// The password is a first one, to be replaced at the first sign-in.
    pub temporary: bool,
}

impl Store {
    /// Active users, sorted by name, with their roles.
    pub fn users(&self) -> Result<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE active = 1 ORDER BY name COLLATE NOCASE, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let users = stmt.query_map([], user_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        with_roles(&self.conn, users)
    }

    /// Every user, also those deactivated (the users screen shows them greyed).
    pub fn all_users(&self) -> Result<Vec<(User, bool)>> {
        let sql =
            format!("SELECT {USER_COLUMNS}, active FROM users ORDER BY active DESC, name COLLATE NOCASE, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([], |row| Ok((user_from_row(row)?, row.get::<_, bool>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (users, active): (Vec<User>, Vec<bool>) = rows.into_iter().unzip();
        Ok(with_roles(&self.conn, users)?.into_iter().zip(active).collect())
    }

    /// Active counsellors: the people a walk-in can be handed to.
    pub fn counsellors(&self) -> Result<Vec<User>> {
        Ok(self.users()?.into_iter().filter(|u| u.may(Role::holds_conversations)).collect())
    }

    /// Whether anyone was ever added: on an empty database the first user is made.
    pub fn has_users(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))?)
    }

    /// The first user of an empty database: a coordinator, with their own password.
    pub fn create_first_user(&mut self, name: &str, hash: &PasswordHash, now: DateTime<Utc>) -> Result<User> {
        self.write(|tx| {
            let any: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))?;
            if any {
                return Err(StoreError::NotAllowed);
            }
            insert_user(tx, name, &[Role::Coordinator], hash, false, now)
        })
    }

    /// A coordinator adds a user with a first password; with `temporary`, the user chooses a new
    /// one at the first sign-in (as on the users screen). `name` must already be cleaned.
    pub fn add_user(&mut self, by: &User, new: NewUser<'_>, now: DateTime<Utc>) -> Result<User> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            let user = insert_user(tx, new.name, new.roles, new.hash, new.temporary, now)?;
            super::access_log::log(
                tx,
                now,
                AccessEvent::UserChanged,
                Some(by),
                None,
                &format!("added user {}", user.id),
            )?;
            Ok(user)
        })
    }

    /// A user written straight into the store, for test fixtures only: the app never calls it
    /// (a unit test checks), so every user the desk adds goes through a coordinator.
    #[doc(hidden)]
    pub fn seed_user(
        &mut self,
        name: &str,
        roles: &[Role],
        hash: &PasswordHash,
        now: DateTime<Utc>,
    ) -> Result<User> {
        self.write(|tx| insert_user(tx, name, roles, hash, false, now))
    }

    /// A coordinator gives a user their roles (at least one).
    pub fn set_roles(&mut self, by: &User, user: i64, roles: &[Role]) -> Result<()> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            let set = set_roles_in(tx, user, roles)?;
            require_a_coordinator_left(tx)?;
            let codes: Vec<&str> = set.iter().map(|r| r.code()).collect();
            let detail = format!("roles of user {user}: {}", codes.join("+"));
            super::access_log::log(tx, Utc::now(), AccessEvent::UserChanged, Some(by), None, &detail)
        })
    }

    /// A coordinator sets a temporary password; the user must choose a new one at the next sign-in.
    pub fn reset_password(&mut self, by: &User, user: i64, hash: &PasswordHash) -> Result<()> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            let changed = tx.execute(
                "UPDATE users SET password_hash = ?2, must_change = 1, failed_tries = 0, last_failed_at = NULL
                 WHERE id = ?1 AND active = 1",
                params![user, hash.as_str()],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let detail = format!("password of user {user} reset");
            super::access_log::log(tx, Utc::now(), AccessEvent::UserChanged, Some(by), None, &detail)
        })
    }

    /// A coordinator deactivates a user: never deleted, so the history keeps their name.
    pub fn deactivate_user(&mut self, by: &User, user: i64) -> Result<()> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            tx.execute("UPDATE users SET active = 0 WHERE id = ?1", [user])?;
            require_a_coordinator_left(tx)?;
            let detail = format!("user {user} deactivated");
            super::access_log::log(tx, Utc::now(), AccessEvent::UserChanged, Some(by), None, &detail)
        })
    }

    /// A coordinator activates a deactivated user again, unless an active user has their name now.
    /// Their password is the one they had; the key slot is the app's to make again.
    pub fn reactivate_user(&mut self, by: &User, user: i64) -> Result<()> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            let name: String = tx
                .query_row("SELECT name FROM users WHERE id = ?1 AND active = 0", [user], |row| row.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            require_free_name(tx, &name, Some(user))?;
            tx.execute("UPDATE users SET active = 1 WHERE id = ?1", [user])?;
            let detail = format!("user {user} reactivated");
            super::access_log::log(tx, Utc::now(), AccessEvent::UserChanged, Some(by), None, &detail)
        })
    }

    /// A coordinator renames an active user, to a name no other active user has (compared folded:
    /// case, accents and spacing do not make another name). `name` must already be cleaned.
    pub fn rename_user(&mut self, by: &User, user: i64, name: &str) -> Result<()> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            require_free_name(tx, name, Some(user))?;
            let changed =
                tx.execute("UPDATE users SET name = ?2 WHERE id = ?1 AND active = 1", params![user, name])?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let detail = format!("user {user} renamed");
            super::access_log::log(tx, Utc::now(), AccessEvent::UserChanged, Some(by), None, &detail)
        })
    }

    /// Whether `password` is the active user's, without counting a wrong try or writing anything:
    /// for `loket encrypt`, which must leave a refused file as it was.
    pub fn password_matches(&self, user: i64, password: &str) -> Result<bool> {
        let sql = format!("SELECT {SIGN_IN_COLUMNS} FROM users WHERE id = ?1");
        let found = self.conn.query_row(&sql, [user], credentials_from_row).optional()?;
        Ok(found.is_some_and(|c| {
            c.active && c.hash.is_some_and(|h| PasswordHash::from_stored(h).verify(password))
        }))
    }

    /// Checks a user's password. A wrong one counts; after five in a row the user waits, and
    /// while waiting no password is checked. Nothing says whether the name or the password was wrong.
    pub fn sign_in(&mut self, user: i64, password: &str, now: DateTime<Utc>) -> Result<SignIn> {
        let sql = format!("SELECT {SIGN_IN_COLUMNS} FROM users WHERE id = ?1");
        let found = self.conn.query_row(&sql, [user], credentials_from_row).optional()?;
        let Some(c) = found.filter(|c| c.active) else { return Ok(SignIn::Wrong) };
        if let Some(until) = wait_until(c.failed_tries, c.last_failed_at).filter(|until| *until > now) {
            return Ok(SignIn::Wait(until));
        }
        let right = match &c.hash {
            Some(hash) => PasswordHash::from_stored(hash.clone()).verify(password),
            // From before passwords: the first sign-in chooses one.
            None => true,
        };
        if !right {
            let name = user_by_id(&self.conn, user)?;
            self.write(|tx| {
                tx.execute(
                    "UPDATE users SET failed_tries = failed_tries + 1, last_failed_at = ?2 WHERE id = ?1",
                    params![user, to_sql_time(now)],
                )?;
                super::access_log::log(tx, now, AccessEvent::FailedSignIn, name.as_ref(), None, "")
            })?;
            let tries = c.failed_tries + 1;
            return Ok(match wait_until(tries, Some(now)) {
                Some(until) => SignIn::Wait(until),
                None => SignIn::Wrong,
            });
        }
        let me = user_by_id(&self.conn, user)?.ok_or(StoreError::NotFound)?;
        if !self.read_only {
            let logged = self.write(|tx| {
                tx.execute("UPDATE users SET failed_tries = 0, last_failed_at = NULL WHERE id = ?1", [user])?;
                super::access_log::log(tx, now, AccessEvent::SignIn, Some(&me), None, "")
            });
            // A full disk does not keep the desk from signing in (nothing of a client is read yet);
            // the first file opened then says that its opening could not be logged.
            match logged {
                Ok(()) | Err(StoreError::DiskFull) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(if c.hash.is_none() || c.must_change { SignIn::ChooseNew(me) } else { SignIn::Welcome(me) })
    }

    /// A user changes their own password: the old one first (or, right after signing in with a
    /// temporary password or none, the sign-in itself stood for it).
    pub fn change_password(&mut self, user: &User, old: Option<&str>, hash: &PasswordHash) -> Result<()> {
        let sql = format!("SELECT {SIGN_IN_COLUMNS} FROM users WHERE id = ?1");
        let c = self.conn.query_row(&sql, [user.id], credentials_from_row)?;
        let allowed = match (old, &c.hash) {
            (Some(old), Some(stored)) => PasswordHash::from_stored(stored.clone()).verify(old),
            (None, stored) => stored.is_none() || c.must_change,
            (Some(_), None) => true,
        };
        if !allowed || !c.active {
            return Err(StoreError::WrongPassword);
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change = 0, failed_tries = 0, last_failed_at = NULL
                 WHERE id = ?1",
                params![user.id, hash.as_str()],
            )?;
            Ok(())
        })
    }
}
