//! Writing years of history at once, for `loket demo --couples N`: many couples per transaction,
//! every statement prepared once. The rows are the ones the app writes (the same tables, codes,
//! timeline rows and chained access-log rows), and the schema's own rules still hold on every
//! insert: its CHECKs, the at-most-five and no-clash triggers on conversations, the unique file
//! and ticket numbers. What the generator decides (who, when, which outcome) is `demo::history`'s.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::{AccessEvent, GENESIS, LogEntry};
use crate::domain::history::{HistoricCouple, HistoricReferral, HistoricTrajectory, HistoricWalkIn};
use crate::domain::names::fold;
use crate::domain::planner::SessionStatus;
use crate::domain::user::User;
use crate::domain::walkin::{Outcome, desk_day};

impl Store {
    /// Writes historic couples in transactions of `per_transaction` couples each (all of a
    /// transaction is saved, or none of it), calling `progress` with the number written so far
    /// after each. `users` are the desk's users the history names (receptionist and counsellors);
    /// `receptionist` registered the walk-ins. Returns how many couples were written.
    pub fn write_history(
        &mut self,
        couples: impl Iterator<Item = HistoricCouple>,
        users: &[User],
        receptionist: i64,
        per_transaction: usize,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        self.conn.set_prepared_statement_cache_capacity(64);
        let users: HashMap<i64, &User> = users.iter().map(|u| (u.id, u)).collect();
        let mut couples = couples.peekable();
        let mut written = 0;
        while couples.peek().is_some() {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut writer = Writer::new(&tx, &users, receptionist)?;
            for couple in couples.by_ref().take(per_transaction.max(1)) {
                writer.couple(&couple)?;
                written += 1;
            }
            tx.commit()?;
            progress(written);
        }
        Ok(written)
    }
}

/// The state one transaction of history keeps: the end of the access log's chain.
struct Writer<'a> {
    tx: &'a Transaction<'a>,
    users: &'a HashMap<i64, &'a User>,
    receptionist: i64,
    last_log: (i64, String),
}

impl<'a> Writer<'a> {
    fn new(tx: &'a Transaction<'a>, users: &'a HashMap<i64, &'a User>, receptionist: i64) -> Result<Self> {
        let last_log = tx
            .query_row("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .unwrap_or((0, GENESIS.to_owned()));
        Ok(Writer { tx, users, receptionist, last_log })
    }

    fn couple(&mut self, c: &HistoricCouple) -> Result<()> {
        let first = c.walk_ins.first().ok_or(StoreError::NotFound)?;
        let file = self.new_file(c, first.arrived)?;
        let (couple, number) = file;
        for (position, p) in c.partners.iter().take(2).enumerate() {
            self.tx
                .prepare_cached(
                    "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key,
                                           phone, phone_key, email, birth_year, wish)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    couple,
                    position as i64 + 1,
                    p.name.given,
                    p.name.prefix,
                    p.name.surname,
                    p.name.sort_key(),
                    fold(&p.name.given),
                    p.phone,
                    crate::domain::contact::phone_digits(&p.phone),
                    p.email,
                    p.birth_year,
                    p.wish.code()
                ])?;
        }
        let mut status = "new";
        for (n, w) in c.walk_ins.iter().enumerate() {
            self.walk_in(couple, &number, c, w, n == 0)?;
            let to = match w.outcome {
                Outcome::OneConversation if status == "new" => "one_conversation",
                Outcome::TrajectoryToPlan if status != "trajectory" => "trajectory",
                _ => status,
            };
            if to != status {
                self.file_event(couple, w.done, Some(w.counsellor), "status", to)?;
                status = to;
            }
        }
        if let Some(t) = &c.trajectory {
            self.trajectory(couple, &number, t)?;
        }
        if let Some(r) = &c.referral {
            self.referral(couple, &number, c, r)?;
        }
        if let Some((source, on)) = c.referred_in {
            let at = to_sql_time(first.arrived);
            self.tx
                .prepare_cached(
                    "INSERT INTO referrals_in (couple_id, source, referred_on, recorded_at, recorded_by)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![couple, source.code(), on.to_string(), at, self.receptionist])?;
            self.file_event(couple, first.arrived, Some(self.receptionist), "referral_in", source.code())?;
        }
        if let Some((kind, on)) = c.life_event {
            self.tx
                .prepare_cached(
                    "INSERT INTO life_events (couple_id, kind, happened_on, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![couple, kind.code(), on.map(|d| d.to_string()), to_sql_time(first.done), first.counsellor])?;
            self.file_event(couple, first.done, Some(first.counsellor), "life_event", kind.code())?;
        }
        if let Some((outcome, at)) = c.closed {
            let detail = format!("closed {}", outcome.code()); // as set_file_status writes it
            self.file_event(couple, at, Some(first.counsellor), "status", &detail)?;
            status = "closed";
            self.tx
                .prepare_cached("UPDATE couples SET outcome = ?2, closed_on = ?3 WHERE id = ?1")?
                .execute(params![couple, outcome.code(), desk_day(at).to_string()])?;
        }
        self.tx
            .prepare_cached(
                "UPDATE couples SET status = ?2, counsellor_id = ?3, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![couple, status, first.counsellor])?;
        Ok(())
    }

    /// A new file, numbered on in the desk's year of its first walk-in, as the app numbers it.
    fn new_file(&mut self, c: &HistoricCouple, at: DateTime<Utc>) -> Result<(i64, String)> {
        let file = super::couples::next_file_number(self.tx, desk_day(at).year())?;
        self.tx
            .prepare_cached(
                "INSERT INTO couples (file_year, file_seq, request, source, created_at, children)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                file.year,
                file.seq,
                c.request.code(),
                c.source.code(),
                to_sql_time(at),
                c.children
            ])?;
        Ok((self.tx.last_insert_rowid(), file.to_string()))
    }

    fn walk_in(
        &mut self,
        couple: i64,
        number: &str,
        c: &HistoricCouple,
        w: &HistoricWalkIn,
        new: bool,
    ) -> Result<()> {
        let day = desk_day(w.arrived).to_string();
        let ticket: u32 = self
            .tx
            .prepare_cached("SELECT coalesce(max(ticket), 0) + 1 FROM walk_ins WHERE day = ?1")?
            .query_row([&day], |r| r.get(0))?;
        self.tx
            .prepare_cached(
                "INSERT INTO walk_ins (couple_id, day, ticket, arrived_at, attendance, request, source, status,
                                       counsellor_id, outcome, called_at, changed_at, registered_by, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'done', ?8, ?9, ?10, ?11, ?12, 3)",
            )?
            .execute(params![
                couple,
                day,
                ticket,
                to_sql_time(w.arrived),
                w.attendance.code(),
                c.request.code(),
                c.source.code(),
                w.counsellor,
                w.outcome.code(),
                to_sql_time(w.called),
                to_sql_time(w.done),
                self.receptionist
            ])?;
        let detail = if new { "registered, new file" } else { "registered" };
        self.log(w.arrived, AccessEvent::WalkIn, self.receptionist, couple, number, detail, "")?;
        self.log(w.done, AccessEvent::FileRead, w.counsellor, couple, number, "", "")
    }

    fn trajectory(&mut self, couple: i64, number: &str, t: &HistoricTrajectory) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO trajectories (couple_id, counsellor_id, year, started_at, ended_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                couple,
                t.counsellor,
                desk_day(t.started).year(),
                to_sql_time(t.started),
                t.ended.map(to_sql_time)
            ])?;
        let id = self.tx.last_insert_rowid();
        self.file_event(couple, t.started, Some(t.counsellor), "trajectory_started", "")?;
        self.log(t.started, AccessEvent::Trajectory, t.counsellor, couple, number, "started", "")?;
        for s in &t.sessions {
            self.tx
                .prepare_cached(
                    "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status, attended)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    id,
                    t.counsellor,
                    s.room,
                    to_sql_time(s.start),
                    to_sql_time(s.end),
                    s.status.code(),
                    s.attended.map(|a| a.code())
                ])?;
            let session = self.tx.last_insert_rowid();
            let planned_at = t.started.max(s.start - chrono::Duration::days(7)).min(s.start);
            self.log(
                planned_at,
                AccessEvent::Conversation,
                t.counsellor,
                couple,
                number,
                &format!("planned #{session}"),
                "",
            )?;
            if s.status != SessionStatus::Planned {
                self.file_event(couple, s.end, Some(t.counsellor), "session", s.status.code())?;
            }
            for (position, [satisfaction, communication, hope]) in &s.scores {
                self.tx
                    .prepare_cached(
                        "INSERT INTO scores (session_id, position, satisfaction, communication, hope, recorded_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![session, position, satisfaction, communication, hope, to_sql_time(s.end)])?;
            }
        }
        if let Some(ended) = t.ended {
            self.file_event(couple, ended, Some(t.counsellor), "trajectory_ended", "")?;
            self.log(ended, AccessEvent::Trajectory, t.counsellor, couple, number, "ended", "")?;
        }
        Ok(())
    }

    fn referral(
        &mut self,
        couple: i64,
        number: &str,
        c: &HistoricCouple,
        r: &HistoricReferral,
    ) -> Result<()> {
        let by = c.walk_ins.first().map_or(self.receptionist, |w| w.counsellor);
        let day = desk_day(r.created);
        self.tx
            .prepare_cached(
                "INSERT INTO referrals (couple_id, party, reason, cost_explained, shared, status, follow_up_on,
                                        sent_on, answered_on, created_at, created_by)
                 VALUES (?1, ?2, '', 1, 'request', ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                couple,
                r.party,
                r.status.code(),
                (day + chrono::Days::new(14)).to_string(),
                day.to_string(),
                r.answered_on.map(|d| d.to_string()),
                to_sql_time(r.created),
                by
            ])?;
        let id = self.tx.last_insert_rowid();
        for position in 1..=c.partners.len().min(2) as i64 {
            self.tx
                .prepare_cached(
                    "INSERT INTO consent_history (referral_id, position, action, on_day, shared, recorded_at, recorded_by)
                     VALUES (?1, ?2, 'give', ?3, 'request', ?4, ?5)",
                )?
                .execute(params![id, position, day.to_string(), to_sql_time(r.created), by])?;
        }
        self.file_event(couple, r.created, Some(by), "referral_out", &r.party)?;
        self.log(r.created, AccessEvent::Referral, by, couple, number, "referral_out", "")
    }

    fn file_event(
        &mut self,
        couple: i64,
        at: DateTime<Utc>,
        user: Option<i64>,
        kind: &str,
        detail: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![couple, to_sql_time(at), user, kind, detail])?;
        Ok(())
    }

    /// Appends one row to the access log, chained to the one before it as `access_log::append` does.
    #[allow(clippy::too_many_arguments)]
    fn log(
        &mut self,
        at: DateTime<Utc>,
        event: AccessEvent,
        user: i64,
        couple: i64,
        number: &str,
        detail: &str,
        on_behalf: &str,
    ) -> Result<()> {
        let who = self.users.get(&user).ok_or(StoreError::UnknownUser)?;
        let entry = LogEntry {
            id: self.last_log.0 + 1,
            at: to_sql_time(at),
            event: event.code().to_owned(),
            user_id: Some(user),
            user_name: who.name.clone(),
            user_roles: who.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join("+"),
            couple_id: Some(couple),
            file_number: number.to_owned(),
            detail: detail.to_owned(),
            workstation: super::workstation().to_owned(),
            on_behalf: on_behalf.to_owned(),
            partner: None,
        };
        let hash = super::access_log::insert_entry(self.tx, &entry, &self.last_log.1)?;
        self.last_log = (entry.id, hash);
        Ok(())
    }
}
