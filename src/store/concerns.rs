//! Concerns about safety (*zorgsignalen*) and their steps: read as a role may, opened and walked
//! through the meldcode by counsellors only. A recorded step is never changed (the schema's
//! triggers refuse it too); step 5 closes the concern.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{code_at, date_at, opt_date_at, time_at};
use super::timeline::file_event;
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::concern::{
    Answer, Concern, ConcernContent, ConcernProblem, Consulted, Decision, NewStep, QUESTIONS, StepDetail,
    StepRecord, Talk, Weighing, check_step,
};
use crate::domain::user::{Role, User};

/// Whether a couple has an open concern, for `couples c`: the neutral *apart ontvangen*.
pub(super) const RECEIVE_APART: &str =
    "EXISTS (SELECT 1 FROM concerns k WHERE k.couple_id = c.id AND k.closed_at IS NULL)";

/// A concern, with `?2` whether its content may be read (who opened it, the signals).
const CONCERN_COLUMNS: &str =
    "k.id, k.opened_at, k.closed_on, ?2, CASE WHEN ?2 THEN coalesce(u.name, '') END,
     CASE WHEN ?2 THEN k.signals END";

fn concern_from_row(r: &Row<'_>) -> rusqlite::Result<Concern> {
    let content = match r.get::<_, bool>(3)? {
        true => Some(ConcernContent {
            opened_by: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            signals: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            steps: Vec::new(),
        }),
        false => None,
    };
    Ok(Concern { id: r.get(0)?, opened_at: time_at(r, 1)?, closed_on: opt_date_at(r, 2)?, content })
}

/// A step: its concern and id (for the answers), the step, date, choice, note, who and when.
const STEP_COLUMNS: &str =
    "s.concern_id, s.id, s.step, s.done_on, s.choice, s.note, coalesce(u.name, ''), s.recorded_at";

fn step_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, i64, StepRecord)> {
    let step: u8 = r.get(2)?;
    let detail = match step {
        1 => StepDetail::Mapped,
        2 => StepDetail::Consulted(code_at(r, 4, Consulted::from_code)?),
        3 => StepDetail::Talked(code_at(r, 4, Talk::from_code)?),
        4 => StepDetail::Weighed(Vec::new()),
        5 => StepDetail::Decided(code_at(r, 4, Decision::from_code)?),
        _ => return Err(super::rows::damaged(2)),
    };
    let record =
        StepRecord { detail, on: date_at(r, 3)?, note: r.get(5)?, by: r.get(6)?, at: time_at(r, 7)? };
    Ok((r.get(0)?, r.get(1)?, record))
}

/// Step 4's answers: the step, the question (1 to 5), the answer and its note.
const ANSWER_COLUMNS: &str = "a.step_id, a.question, a.answer, a.note";

fn answer_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, Weighing)> {
    Ok((r.get(0)?, Weighing { answer: code_at(r, 2, Answer::from_code)?, note: r.get(3)? }))
}

impl Store {
    /// A couple's concerns as `viewer` may see them, newest first, in at most three queries: none
    /// at all for a receptionist; without content (not even read) for the coordinator.
    pub(super) fn concerns(&self, couple: i64, viewer: &User) -> Result<Vec<Concern>> {
        if !viewer.may(Role::sees_concern) {
            return Ok(Vec::new());
        }
        let content = viewer.may(Role::reads_concern);
        let sql = format!(
            "SELECT {CONCERN_COLUMNS} FROM concerns k LEFT JOIN users u ON u.id = k.opened_by
             WHERE k.couple_id = ?1 ORDER BY k.opened_at DESC, k.id DESC"
        );
        let mut concerns = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![couple, content], concern_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !content {
            return Ok(concerns);
        }
        let sql = format!(
            "SELECT {STEP_COLUMNS} FROM concern_steps s LEFT JOIN users u ON u.id = s.recorded_by
             WHERE s.couple_id = ?1 ORDER BY s.step"
        );
        let steps = self
            .conn
            .prepare_cached(&sql)?
            .query_map([couple], step_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM concern_answers a WHERE a.couple_id = ?1 ORDER BY a.question"
        );
        let answers = self
            .conn
            .prepare_cached(&sql)?
            .query_map([couple], answer_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (concern_id, step_id, mut record) in steps {
            if let StepDetail::Weighed(w) = &mut record.detail {
                w.extend(answers.iter().filter(|(s, _)| *s == step_id).map(|(_, a)| a.clone()));
            }
            if let Some(c) = concerns.iter_mut().find(|c| c.id == concern_id).and_then(|c| c.content.as_mut())
            {
                c.steps.push(record);
            }
        }
        Ok(concerns)
    }

    /// Opens a concern for a couple with its signals. Counsellors only; refused while one is open.
    pub fn open_concern(
        &mut self,
        couple: i64,
        signals: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        if !user.may(Role::records_concern) {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            let exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM couples WHERE id = ?1)", [couple], |r| r.get(0))?;
            if !exists {
                return Err(StoreError::NotFound);
            }
            let open: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM concerns WHERE couple_id = ?1 AND closed_at IS NULL)",
                [couple],
                |r| r.get(0),
            )?;
            if open {
                return Err(StoreError::Concern(ConcernProblem::AlreadyOpen));
            }
            tx.execute(
                "INSERT INTO concerns (couple_id, opened_at, opened_by, signals) VALUES (?1, ?2, ?3, ?4)",
                params![couple, to_sql_time(now), user.id, signals],
            )?;
            let id = tx.last_insert_rowid();
            file_event(tx, couple, now, user, "concern_opened", "")?;
            Ok(id)
        })
    }

    /// Records the next step of a concern, checked against its earlier steps; step 5 closes it.
    /// Counsellors only. A closed concern refuses every step.
    pub fn record_step(
        &mut self,
        concern: i64,
        step: &NewStep,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.may(Role::records_concern) {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            let (couple, closed): (i64, bool) = tx
                .query_row("SELECT couple_id, closed_at IS NOT NULL FROM concerns WHERE id = ?1", [concern], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if closed {
                return Err(StoreError::Concern(ConcernProblem::Closed));
            }
            let done = tx
                .prepare_cached("SELECT step FROM concern_steps WHERE concern_id = ?1")?
                .query_map([concern], |r| r.get::<_, u8>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let weighing = tx
                .prepare_cached(
                    "SELECT 0, a.question, a.answer, a.note FROM concern_answers a
                     JOIN concern_steps s ON s.id = a.step_id WHERE s.concern_id = ?1 ORDER BY a.question",
                )?
                .query_map([concern], answer_from_row)?
                .map(|r| r.map(|(_, w)| w))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let weighing = (weighing.len() == QUESTIONS).then_some(weighing.as_slice());
            check_step(&done, weighing, step).map_err(StoreError::Concern)?;
            let number = step.detail.number();
            tx.execute(
                "INSERT INTO concern_steps (concern_id, couple_id, step, done_on, choice, note, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    concern,
                    couple,
                    number,
                    step.on.to_string(),
                    step.detail.choice_code(),
                    step.note,
                    to_sql_time(now),
                    user.id
                ],
            )?;
            let step_id = tx.last_insert_rowid();
            if let StepDetail::Weighed(answers) = &step.detail {
                for (i, w) in answers.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO concern_answers (step_id, couple_id, question, answer, note)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![step_id, couple, (i + 1) as i64, w.answer.code(), w.note],
                    )?;
                }
            }
            if number == 5 {
                tx.execute(
                    "UPDATE concerns SET closed_on = ?2, closed_at = ?3 WHERE id = ?1",
                    params![concern, step.on.to_string(), to_sql_time(now)],
                )?;
            }
            file_event(tx, couple, now, user, "concern_step", &number.to_string())
        })
    }
}
