//! The council report, read with aggregate queries (counts, sums and groups in SQL, never every
//! row into memory), and the outcome scores.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::couple::{Request, Source};
use crate::domain::file::{CloseOutcome, LifeEventKind};
use crate::domain::planner::{Budget, CONVERSATION_MINUTES};
use crate::domain::report::{Figure, Period, Value};
use crate::domain::scores::{SCORE_ITEMS, ScoreChange};
use crate::domain::user::{Role, User};
use crate::domain::walkin::DESK_TZ;

/// The first instant of a local day.
pub(super) fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    DESK_TZ
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The period as UTC instants [from, to) and as local day texts [from, to].
fn bounds(p: Period) -> (String, String, String, String) {
    (
        to_sql_time(start_of(p.from)),
        to_sql_time(start_of(p.to + Duration::days(1))),
        p.from.to_string(),
        p.to.to_string(),
    )
}

impl Store {
    /// Saves one partner's scores at a held conversation (0 to 10 each), as the counsellor of that
    /// conversation records them; refused to anyone who may not read scores.
    pub fn save_scores(
        &mut self,
        session: i64,
        position: u8,
        scores: [u8; 3],
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.may(Role::reads_scores) {
            return Err(StoreError::NotAllowed);
        }
        if scores.iter().any(|s| *s > 10) {
            return Err(StoreError::BadStatus);
        }
        self.write(|tx| {
            let status: String = tx
                .query_row("SELECT status FROM sessions WHERE id = ?1", [session], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if status != "held" {
                return Err(StoreError::BadStatus);
            }
            tx.execute(
                "INSERT INTO scores (session_id, position, satisfaction, communication, hope, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (session_id, position) DO UPDATE SET satisfaction = excluded.satisfaction,
                    communication = excluded.communication, hope = excluded.hope, recorded_at = excluded.recorded_at",
                params![session, position, scores[0], scores[1], scores[2], to_sql_time(now)],
            )?;
            Ok(())
        })
    }

    /// Each partner's first and last scores in the couple's latest trajectory; refused to a role that
    /// may not read scores (anyone but a counsellor).
    pub fn score_changes(&self, couple: i64, viewer: &User) -> Result<Vec<ScoreChange>> {
        if !viewer.may(Role::reads_scores) {
            return Err(StoreError::NotAllowed);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT sc.position, sc.satisfaction, sc.communication, sc.hope
             FROM scores sc JOIN sessions s ON s.id = sc.session_id
             WHERE s.trajectory_id = (SELECT id FROM trajectories WHERE couple_id = ?1 AND undone_at IS NULL
                                     ORDER BY started_at DESC LIMIT 1)
             ORDER BY sc.position, s.starts_at",
        )?;
        let rows = stmt
            .query_map([couple], |r| {
                Ok((r.get::<_, u8>(0)?, [r.get::<_, u8>(1)?, r.get::<_, u8>(2)?, r.get::<_, u8>(3)?]))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out: Vec<ScoreChange> = Vec::new();
        for (position, scores) in rows {
            match out.iter_mut().find(|c| c.position == position) {
                Some(c) => {
                    c.last = scores;
                    c.times += 1;
                }
                None => out.push(ScoreChange { position, first: scores, last: scores, times: 1 }),
            }
        }
        Ok(out)
    }

    fn count(&self, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Result<u64> {
        Ok(self.conn.prepare_cached(sql)?.query_row(p, |r| r.get::<_, i64>(0))?.max(0) as u64)
    }

    /// Counts per code from a `SELECT code, count(*) ... GROUP BY code` query, for every code given.
    fn counts_by(&self, sql: &str, p: &[&dyn rusqlite::ToSql], codes: &[&str]) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let found: Vec<(String, i64)> =
            stmt.query_map(p, |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(codes
            .iter()
            .map(|c| {
                (c.to_string(), found.iter().find(|(f, _)| f == c).map_or(0, |(_, n)| (*n).max(0) as u64))
            })
            .collect())
    }

    /// A mark that changes whenever anything in the file changed: a commit by another connection
    /// (`data_version`) or a change made through this one (its count of changed rows). Cheap: it
    /// reads no table. The report pane computes its figures again only when it changed.
    pub fn change_mark(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    /// A second, read-only connection to the same file (with the same key), for computing the
    /// report off the ui thread. Refused for a database in memory, which has no second connection.
    pub fn reader(&self) -> Result<Store> {
        if self.path.as_os_str() == ":memory:" {
            return Err(super::StoreError::ReadOnly);
        }
        let conn = super::open_read_only(&self.path, self.key.as_ref())?;
        Store::set_up(conn, self.path.clone(), true, true)
    }

    /// Every figure of the council report for a period.
    pub fn report(
        &self,
        period: Period,
        funded: u32,
        euros_budget: u32,
        parties: &[&str],
    ) -> Result<Vec<Figure>> {
        let (from, to, day_from, day_to) = bounds(period);
        let days: [&dyn rusqlite::ToSql; 2] = [&day_from, &day_to];
        let instants: [&dyn rusqlite::ToSql; 2] = [&from, &to];
        let mut f = Vec::new();

        // Walk-ins and couples
        f.push(Figure::new(
            "walk_ins",
            "walk_ins",
            Value::Count(
                self.count("SELECT count(*) FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2", &days)?,
            ),
        ));
        let couples = self.count(
            "SELECT count(DISTINCT couple_id) FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2",
            &days,
        )?;
        f.push(Figure::new("walk_ins", "couples", Value::Count(couples)));
        for (code, n) in self.counts_by(
            "SELECT attendance, count(*) FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2 GROUP BY attendance",
            &days,
            &["both", "one"],
        )? {
            f.push(Figure::new("walk_ins", format!("came_{code}"), Value::Count(n)));
        }

        // What the couples came for (each couple once, as recorded in its file)
        let codes: Vec<&str> = Request::ALL.iter().map(|r| r.code()).collect();
        let requests = self.counts_by(
            "SELECT c.request, count(*) FROM report_couples c
             WHERE c.id IN (SELECT couple_id FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2) GROUP BY c.request",
            &days,
            &codes,
        )?;
        let n = |code: &str| requests.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n);
        for (code, count) in &requests {
            f.push(Figure::new("request", code.clone(), Value::Count(*count)));
        }
        f.push(Figure::new(
            "request",
            "strengthen_or_repair_share",
            Value::Share { part: n("strengthen") + n("repair"), whole: couples },
        ));
        f.push(Figure::new(
            "request",
            "separation_share",
            Value::Share { part: n("separation"), whole: couples },
        ));

        // Track
        let one = self.count(
            "SELECT count(DISTINCT w.couple_id) FROM report_walk_ins w
             WHERE w.day BETWEEN ?1 AND ?2 AND w.outcome = 'one_conversation'
               AND NOT EXISTS (SELECT 1 FROM report_trajectories t WHERE t.couple_id = w.couple_id)",
            &days,
        )?;
        let started = self.count(
            "SELECT count(*) FROM report_trajectories WHERE started_at >= ?1 AND started_at < ?2",
            &instants,
        )?;
        f.push(Figure::new("track", "one_conversation", Value::Count(one)));
        f.push(Figure::new("track", "trajectory", Value::Count(started)));

        // Trajectories and conversations
        let ended = |op: &str| {
            format!(
                "SELECT count(*) FROM report_trajectories t WHERE t.ended_at >= ?1 AND t.ended_at < ?2
                 AND (SELECT count(*) FROM report_sessions s WHERE s.trajectory_id = t.id AND s.status = 'held') {op} 4"
            )
        };
        let completed = self.count(&ended(">="), &instants)?;
        let stopped = self.count(&ended("<"), &instants)?;
        let by_status = |status: &str| {
            self.count(
                "SELECT count(*) FROM report_sessions WHERE status = ?3 AND starts_at >= ?1 AND starts_at < ?2",
                &[&from, &to, &status],
            )
        };
        let held = by_status("held")?;
        let no_show = by_status("no_show")?;
        let budget = Budget::new(started as u32, held as u32, funded, euros_budget);
        f.push(Figure::new("trajectories", "started", Value::Count(started)));
        f.push(Figure::new("trajectories", "completed", Value::Count(completed)));
        f.push(Figure::new("trajectories", "stopped", Value::Count(stopped)));
        f.push(Figure::new("trajectories", "held", Value::Count(held)));
        f.push(Figure::new("trajectories", "no_show", Value::Count(no_show)));
        f.push(Figure::new(
            "trajectories",
            "hours",
            Value::Hours { hours: held as f64 * CONVERSATION_MINUTES as f64 / 60.0, count: held },
        ));
        f.push(Figure::new("budget", "funded", Value::Count(u64::from(funded))));
        f.push(Figure::new(
            "budget",
            "started_of_funded",
            Value::Share { part: started, whole: u64::from(funded) },
        ));
        f.push(Figure::new("budget", "euros_used", Value::Euros { euros: budget.euros_used, count: held }));
        // The budget is policy, not derived from conversations: never suppressed.
        f.push(Figure::new(
            "budget",
            "euros_budget",
            Value::Euros { euros: f64::from(euros_budget), count: u64::MAX },
        ));

        // Outcomes of files closed in the period
        let codes: Vec<&str> = CloseOutcome::ALL.iter().map(|o| o.code()).collect();
        for (code, n) in self.counts_by(
            "SELECT outcome, count(*) FROM report_couples WHERE status = 'closed' AND closed_on BETWEEN ?1 AND ?2 GROUP BY outcome",
            &days,
            &codes,
        )? {
            f.push(Figure::new("outcomes", code, Value::Count(n)));
        }

        // Mean change from the first to the last score, per partner, in trajectories with a conversation in the period:
        // one pass over the scores with window functions (no look-up per trajectory and partner).
        for item in SCORE_ITEMS {
            let sql = format!(
                "WITH scored AS (
                    SELECT s.trajectory_id AS t, sc.position AS p, s.starts_at AS at, sc.{item} AS v
                    FROM report_scores sc JOIN report_sessions s ON s.id = sc.session_id
                    WHERE s.trajectory_id IN (SELECT trajectory_id FROM report_sessions WHERE starts_at >= ?1 AND starts_at < ?2)
                 ),
                 ends AS (SELECT count(*) OVER w AS n, first_value(v) OVER w AS first, last_value(v) OVER w AS last,
                                 row_number() OVER w AS r
                          FROM scored
                          WINDOW w AS (PARTITION BY t, p ORDER BY at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
                 SELECT count(*), avg(last - first) FROM ends WHERE r = 1 AND n >= 2"
            );
            let (n, mean): (i64, Option<f64>) = self
                .conn
                .prepare_cached(&sql)?
                .query_row(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
            f.push(Figure::new("scores", item, Value::Mean { mean, n: n.max(0) as u64 }));
        }

        // Where the couples seen in the period came from, each couple once: the last referral in that
        // was recorded for it, else how it said it found the desk at registration. And referrals out by party.
        let codes: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
        for (code, n) in self.counts_by(
            "SELECT coalesce((SELECT ri.source FROM report_referrals_in ri WHERE ri.couple_id = c.id
                              ORDER BY ri.referred_on DESC, ri.id DESC LIMIT 1), c.source) AS s, count(*)
             FROM report_couples c WHERE c.id IN (SELECT couple_id FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2) GROUP BY s",
            &days,
            &codes,
        )? {
            f.push(Figure::new("referrals_in", code, Value::Count(n)));
        }
        for (code, n) in self.counts_by(
            "SELECT party, count(*) FROM report_referrals WHERE created_at >= ?1 AND created_at < ?2 GROUP BY party",
            &instants,
            parties,
        )? {
            f.push(Figure::new("referrals_out", code, Value::Count(n)));
        }

        // Life events of the couples seen in the period
        let codes: Vec<&str> = LifeEventKind::ALL.iter().map(|k| k.code()).collect();
        for (code, n) in self.counts_by(
            "SELECT kind, count(*) FROM report_life_events
             WHERE couple_id IN (SELECT couple_id FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2) GROUP BY kind",
            &days,
            &codes,
        )? {
            f.push(Figure::new("life_events", code, Value::Count(n)));
        }
        Ok(f)
    }

    /// Walk-ins per week (by the Monday of the week) in the period: for the sparkline on screen.
    pub fn weekly_walk_ins(&self, period: Period) -> Result<Vec<u64>> {
        let (_, _, from, to) = bounds(period);
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, count(*) FROM report_walk_ins WHERE day BETWEEN ?1 AND ?2 GROUP BY day ORDER BY day",
        )?;
        let per_day: Vec<(String, i64)> = stmt
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let weeks = ((period.to - period.from).num_days() / 7 + 1).max(1) as usize;
        let mut out = vec![0u64; weeks];
        for (day, n) in per_day {
            if let Ok(d) = day.parse::<NaiveDate>() {
                let i = ((d - period.from).num_days() / 7) as usize;
                if let Some(slot) = out.get_mut(i) {
                    *slot += n.max(0) as u64;
                }
            }
        }
        Ok(out)
    }
}
