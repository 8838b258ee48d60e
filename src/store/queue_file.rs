//! What a walk-in's status change does to the couple's file, and how its undo takes that back.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, StoreError};
use crate::domain::access::AccessEvent;
use crate::domain::walkin::{Change, Outcome};

/// What a change did to the file, kept with the change (in `walk_in_changes`) for its undo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FileEffect {
    /// The file's status before the change, when the change moved it on.
    pub from_status: Option<String>,
    /// The change (a call-in) made its counsellor the file's counsellor.
    pub set_counsellor: bool,
}

/// The file status an outcome moves a file to, and the statuses it moves it from.
fn moves_file(outcome: Outcome) -> Option<(&'static str, &'static [&'static str])> {
    match outcome {
        Outcome::OneConversation => Some(("one_conversation", &["new"])),
        Outcome::TrajectoryToPlan => Some(("trajectory", &["new", "one_conversation"])),
        Outcome::ReferredOn | Outcome::WillComeBack => None,
    }
}

fn couple_of(tx: &Transaction<'_>, walk_in: i64) -> Result<i64> {
    Ok(tx.query_row("SELECT couple_id FROM walk_ins WHERE id = ?1", [walk_in], |r| r.get(0))?)
}

/// What a walk-in's change means for the couple's file: the counsellor who called them in becomes
/// the file's counsellor (if it had none), and an outcome moves the file's track on
/// (one conversation, or a trajectory to plan). Never moves a file back, never touches a closed one.
pub(super) fn follow_walk_in(
    tx: &Transaction<'_>,
    id: i64,
    change: Change,
    at: &str,
    user_id: Option<i64>,
) -> Result<FileEffect> {
    let couple = couple_of(tx, id)?;
    let (to, from) = match change {
        Change::CallIn { counsellor_id } => {
            let set = tx.execute(
                "UPDATE couples SET counsellor_id = ?2, version = version + 1 WHERE id = ?1 AND counsellor_id IS NULL",
                params![couple, counsellor_id],
            )?;
            return Ok(FileEffect { from_status: None, set_counsellor: set == 1 });
        }
        Change::Finish { outcome } => match moves_file(outcome) {
            Some(moves) => moves,
            None => return Ok(FileEffect::default()),
        },
        Change::Leave => return Ok(FileEffect::default()),
    };
    let status: String = tx.query_row("SELECT status FROM couples WHERE id = ?1", [couple], |r| r.get(0))?;
    if !from.contains(&status.as_str()) {
        return Ok(FileEffect::default());
    }
    tx.execute("UPDATE couples SET status = ?2, version = version + 1 WHERE id = ?1", params![couple, to])?;
    tx.execute(
        "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, ?2, ?3, 'status', ?4)",
        params![couple, at, user_id, to],
    )?;
    Ok(FileEffect { from_status: Some(status), set_counsellor: false })
}

/// Takes back what the change `change_id` (being undone) did to the file of walk-in `id`: the
/// file's status goes back to what it was, and a counsellor the call-in gave the file is taken
/// off again. Runs inside the undo's write, before the walk-in itself is restored. A file that
/// has moved on since (another status, or a trajectory started since the change) is refused with
/// [`StoreError::Stale`]: nothing is undone then, the walk-in neither.
pub(super) fn undo_follow(
    tx: &Transaction<'_>,
    id: i64,
    change_id: i64,
    now: chrono::DateTime<chrono::Utc>,
    user_id: Option<i64>,
) -> Result<()> {
    let at = super::to_sql_time(now);
    let (from_status, set_counsellor, changed_at, outcome, counsellor): (
        Option<String>,
        bool,
        String,
        Option<String>,
        Option<i64>,
    ) = tx.query_row(
        "SELECT h.from_file_status, h.set_file_counsellor, h.at, w.outcome, w.counsellor_id
         FROM walk_in_changes h JOIN walk_ins w ON w.id = h.walk_in_id WHERE h.id = ?1",
        [change_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let couple = couple_of(tx, id)?;
    let (status, file_counsellor): (String, Option<i64>) = tx
        .query_row("SELECT status, counsellor_id FROM couples WHERE id = ?1", [couple], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let started_since: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM trajectories WHERE couple_id = ?1 AND started_at >= ?2)",
        params![couple, changed_at],
        |r| r.get(0),
    )?;
    if let Some(from) = from_status {
        let outcome = outcome.as_deref().and_then(Outcome::from_code).ok_or(StoreError::Corrupt)?;
        let set = moves_file(outcome).map(|(to, _)| to).ok_or(StoreError::Corrupt)?;
        // The file has moved on since (closed, or a trajectory started): that stands.
        if status != set || started_since {
            return Err(StoreError::Stale);
        }
        crate::domain::file::FileStatus::from_code(&from).ok_or(StoreError::Corrupt)?;
        tx.execute(
            "UPDATE couples SET status = ?2, version = version + 1 WHERE id = ?1",
            params![couple, from],
        )?;
        tx.execute(
            "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, ?2, ?3, 'status', ?4)",
            params![couple, at, user_id, from],
        )?;
        super::access_log::log_by_id(tx, now, AccessEvent::FileChanged, user_id, Some(couple), "status")?;
    }
    // The counsellor the call-in gave the file, unless the file has another one by now (or its
    // trajectory, started since, relies on it).
    if set_counsellor && file_counsellor.is_some() && file_counsellor == counsellor && !started_since {
        tx.execute(
            "UPDATE couples SET counsellor_id = NULL, version = version + 1 WHERE id = ?1",
            params![couple],
        )?;
    }
    Ok(())
}
