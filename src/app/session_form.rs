//! The conversation form of the planner: what a typed time was understood as, the next free slot,
//! saving (with the doubled autumn hour asked), and cancelling with a reason.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use super::form::{Choice, Field, FieldId, Form};
use super::overlay::{PickItem, PickPurpose, Picker};
use super::{App, FormKind, FormOverlay, Overlay};
use crate::domain::planner::{Attended, CONVERSATION_MINUTES, SessionStatus, end_of};
use crate::domain::slots::{self, Busy, Hours, WalkInHour};
use crate::domain::trajectory::{Booking, NewSession};
use crate::domain::walkin::DESK_TZ;
use crate::domain::when::{Understood, parse_when};

/// How far ahead the next free slot is looked for.
const SLOT_HORIZON_DAYS: i64 = 60;

impl App {
    pub(super) fn open_session_form(&mut self) {
        let Some(t) = self.planner.trajectory.clone().filter(|t| t.ended_at.is_none()) else {
            return self.warn("plan.no_trajectory");
        };
        let tally = crate::domain::planner::tally(t.sessions.iter().map(|s| s.status));
        if tally.left == 0 {
            return self.warn("plan.full");
        }
        let rooms = Choice::new(self.config.rooms.iter().map(|r| ("", r.clone())).collect());
        let statuses = Choice::new(
            [SessionStatus::Planned, SessionStatus::Held, SessionStatus::NoShow]
                .iter()
                .map(|s| (s.code(), s.text_key()))
                .collect(),
        );
        let form = Form::new(
            "plan.session_title",
            vec![
                Field::text(FieldId::When, "plan.when", 40, true),
                Field::choice(FieldId::Room, "plan.room", rooms),
                Field::choice(FieldId::SessionStatus, "plan.status", statuses),
            ],
        );
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::Session, form }));
        self.propose_next_slot();
        // A proposal is not a change of the user's: Esc closes the form without asking.
        if let Some(Overlay::Form(top)) = self.overlays.last_mut() {
            top.form.dirty = false;
        }
    }

    /// Fills the conversation form with the counsellor's next free slot: within working hours,
    /// outside the walk-in hour, at least a week after the last conversation.
    pub(super) fn propose_next_slot(&mut self) {
        let Some(t) = self.planner.trajectory.clone() else { return };
        let last = t.sessions.iter().filter(|s| s.status.takes_a_place()).map(|s| s.start).max();
        let from = last.map_or(self.now, |l| (l + Duration::days(7)).max(self.now));
        let until = from.max(self.now) + Duration::days(SLOT_HORIZON_DAYS + 14);
        let Ok(booked) = self.store.bookings(None, self.now, until) else { return };
        let taken = |keep: &dyn Fn(&Booking) -> bool| -> Vec<Busy> {
            booked
                .iter()
                .filter(|b| b.status.takes_a_place() && keep(b))
                .map(|b| Busy { start: b.start, end: end_of(b.start) })
                .collect()
        };
        let counsellor_busy = taken(&|b: &Booking| b.counsellor_id == t.counsellor.0);
        let wh = &self.config.working_hours;
        let hours = Hours { days: wh.days.iter().map(|d| d.0).collect(), start: wh.start.0, end: wh.end.0 };
        let w = &self.config.walk_in_hour;
        let walk_in = WalkInHour { weekday: w.weekday.0, start: w.start.0, end: w.end.0 };
        // The earliest time at which the counsellor and one of the rooms are both free.
        let slot = self
            .config
            .rooms
            .iter()
            .enumerate()
            .filter_map(|(i, room)| {
                let mut busy = counsellor_busy.clone();
                busy.extend(taken(&|b: &Booking| &b.room == room));
                slots::next_free(from, CONVERSATION_MINUTES, &hours, &walk_in, &busy, SLOT_HORIZON_DAYS)
                    .map(|s| (s, i))
            })
            .min();
        let Some(Overlay::Form(top)) = self.overlays.last_mut() else { return };
        top.form.message = None;
        if let Some(f) = top.form.field_mut(FieldId::When) {
            f.error = None;
        }
        match slot {
            Some((start, room)) => {
                let local = start.with_timezone(&DESK_TZ);
                top.form.set_text(FieldId::When, &local.format("%d-%m-%Y %H:%M").to_string());
                top.form.select(FieldId::Room, room);
                top.form.focus_on(FieldId::When);
            }
            None => top.form.message = Some(self.texts.t("plan.no_free_slot").to_owned()),
        }
        self.describe_when();
    }

    /// Shows under the conversation form what the typed date and time was understood as.
    pub(super) fn describe_when(&mut self) {
        let now = self.now;
        let Some(Overlay::Form(top)) = self.overlays.last() else { return };
        if top.kind != FormKind::Session {
            return;
        }
        let raw = top.form.text(FieldId::When).to_owned();
        let text = if raw.trim().is_empty() {
            None
        } else {
            Some(match parse_when(&raw, now) {
                Ok(Understood::Exact(at)) => (self.span_text(at), false),
                Ok(Understood::Twice { earlier, .. }) => {
                    (format!("{} {}", self.span_text(earlier), self.texts.t("plan.twice_hint")), false)
                }
                Err(p) => (self.texts.t(p.text_key()).to_owned(), true),
            })
        };
        if let Some(Overlay::Form(top)) = self.overlays.last_mut() {
            top.form.understood = text;
        }
    }

    /// "wo 3 dec 2026 14:00–15:30"; a time that exists twice (the autumn change) says which one.
    pub fn span_text(&self, start: DateTime<Utc>) -> String {
        let end = end_of(start);
        let year = start.with_timezone(&DESK_TZ).year();
        let marker = |at: DateTime<Utc>| {
            let local = at.with_timezone(&DESK_TZ).naive_local();
            match DESK_TZ.from_local_datetime(&local) {
                chrono::LocalResult::Ambiguous(first, _) if first.with_timezone(&Utc) == at => {
                    format!(" {}", self.texts.t("plan.summer_short"))
                }
                chrono::LocalResult::Ambiguous(..) => format!(" {}", self.texts.t("plan.winter_short")),
                _ => String::new(),
            }
        };
        format!(
            "{} {year} {}{}–{}{}",
            self.texts.date_short(start),
            self.texts.time(start),
            marker(start),
            self.texts.time(end),
            marker(end)
        )
    }

    /// Saves the conversation form; a time that exists twice asks which one first.
    pub(super) fn save_session_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let Some(t) = self.planner.trajectory.clone() else { return };
        let start = match top.form.pinned {
            Some(at) => Some(at),
            None => match parse_when(top.form.text(FieldId::When), self.now) {
                Ok(Understood::Exact(at)) => Some(at),
                Ok(Understood::Twice { earlier, later }) => {
                    let items = [earlier, later]
                        .iter()
                        .zip(["plan.summer_time", "plan.winter_time"])
                        .map(|(at, key)| PickItem {
                            label: format!("{} {}", self.texts.time(*at), self.texts.t(key)),
                            remark: None,
                        })
                        .collect();
                    self.overlays.push(Overlay::Form(top));
                    return self.overlays.push(Overlay::Picker(Picker {
                        title: "plan.which_time",
                        items,
                        selected: 0,
                        purpose: PickPurpose::WhenTwice { earlier, later },
                    }));
                }
                Err(p) => {
                    if let Some(f) = top.form.field_mut(FieldId::When) {
                        f.error = Some(super::FieldError::new(p.text_key()));
                    }
                    None
                }
            },
        };
        let room = top.form.choice(FieldId::Room).map(|c| c.label_key().to_owned());
        let status = top.form.choice(FieldId::SessionStatus).and_then(|c| SessionStatus::from_code(c.code()));
        let (Some(start), Some(room), Some(status)) = (start, room, status) else {
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        };
        let wh = &self.config.working_hours;
        let days: Vec<chrono::Weekday> = wh.days.iter().map(|d| d.0).collect();
        // (A time in the past is refused by the store, with its own reason.)
        if status == SessionStatus::Planned
            && start > self.now
            && !crate::domain::planner::within_working_hours(start, &days, wh.start.0, wh.end.0)
        {
            top.form.pinned = None;
            top.form.message = Some(self.texts.f(
                "plan.outside_working_hours",
                &[("from", &wh.start.0.format("%H:%M")), ("to", &wh.end.0.format("%H:%M"))],
            ));
            return self.overlays.push(Overlay::Form(top));
        }
        let attended = (status == SessionStatus::Held).then_some(Attended::Both);
        let new = NewSession { trajectory_id: t.id, start, room, status, attended };
        match self.store.plan_session(&new, self.duty_hour(), self.now) {
            Ok(_) => {
                self.reload_planner();
                self.info(self.texts.f("plan.planned", &[("when", &self.span_text(start))]));
            }
            Err(e) => {
                // The form stays, with what was typed and the reason in words.
                top.form.pinned = None;
                top.form.message = Some(self.error_text(&e));
                self.overlays.push(Overlay::Form(top));
            }
        }
    }

    pub(super) fn save_cancel_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let Some(s) = self.planner.selected_session().cloned() else { return };
        let Some(reason) = top.form.checked_text(FieldId::CancelReason) else {
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        };
        let result =
            self.store.set_session_status(s.id, s.version, SessionStatus::Cancelled, None, &reason, self.now);
        if result.is_err() {
            self.overlays.push(Overlay::Form(top));
        }
        self.after_planner_write(result, "plan.cancelled");
        if self.flash.as_ref().is_some_and(|f| !f.error) {
            self.overlays.retain(|o| !matches!(o, Overlay::Form(_)));
        }
    }
}
