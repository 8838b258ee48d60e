//! The session planner (*Planning*): the open file's trajectory and its conversations, a
//! counsellor's week, and the year's budget.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};

use super::form::{Field, FieldId, Form};
use super::overlay::{PickItem, PickPurpose, Picker};
use super::{App, ConfirmAction, FormKind, FormOverlay, Overlay};
use crate::action::{Action, Pane};
use crate::domain::planner::{Attended, Budget, SessionStatus};
use crate::domain::trajectory::{Booking, DutyHour, Session, Trajectory};
use crate::domain::user::{Role, User};
use crate::domain::walkin::{DESK_TZ, desk_day};
use crate::store::StoreError;

/// Which view the planner shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlannerView {
    /// The open file's trajectory and its conversations.
    #[default]
    Trajectory,
    /// A counsellor's week, Monday to Friday.
    Week,
}

#[derive(Debug, Clone, Default)]
pub struct PlannerState {
    pub view: PlannerView,
    pub trajectory: Option<Trajectory>,
    /// Index into the trajectory's conversations, or the week's bookings.
    pub selected: usize,
    /// Monday of the week shown.
    pub week: Option<NaiveDate>,
    /// Whose week.
    pub counsellor: Option<User>,
    pub bookings: Vec<Booking>,
    pub budget: Option<Budget>,
}

impl PlannerState {
    pub fn selected_session(&self) -> Option<&Session> {
        self.trajectory.as_ref()?.sessions.get(self.selected)
    }
}

/// The Monday of the week `day` lies in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

impl App {
    pub(super) fn duty_hour(&self) -> DutyHour {
        let w = &self.config.walk_in_hour;
        DutyHour { weekday: w.weekday.0, from: w.start.0, to: w.end.0 }
    }

    /// Reads the planner's data again: the open file's trajectory, the week, the budget.
    pub(super) fn reload_planner(&mut self) {
        let Some(user) = self.user.clone() else { return };
        self.planner.trajectory = match self.file.as_ref() {
            Some(file) => match self.store.trajectory_of(file.id, &user) {
                Ok(t) => t,
                Err(e) => return self.show_error(&e),
            },
            None => None,
        };
        let year = desk_day(self.now).year();
        let b = &self.config.budget;
        self.planner.budget = match self.store.budget_figures(year) {
            Ok((started, held)) => Some(Budget::new(started, held, b.funded_trajectories, b.euros)),
            Err(e) => return self.show_error(&e),
        };
        if self.planner.counsellor.is_none() {
            self.planner.counsellor = if user.role == Role::Counsellor {
                Some(user.clone())
            } else {
                self.store.counsellors().ok().and_then(|c| c.into_iter().next())
            };
        }
        let monday = *self.planner.week.get_or_insert_with(|| monday_of(desk_day(self.now)));
        let from = DESK_TZ
            .from_local_datetime(&monday.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or_else(
                || monday.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                |t| t.with_timezone(&Utc),
            );
        let counsellor = self.planner.counsellor.as_ref().map(|c| c.id);
        self.planner.bookings = match self.store.bookings(counsellor, from, from + Duration::days(7)) {
            Ok(b) => b,
            Err(e) => return self.show_error(&e),
        };
        let len = match self.planner.view {
            PlannerView::Trajectory => self.planner.trajectory.as_ref().map_or(0, |t| t.sessions.len()),
            PlannerView::Week => self.planner.bookings.len(),
        };
        self.planner.selected = self.planner.selected.min(len.saturating_sub(1));
    }

    pub(super) fn update_planner(&mut self, action: Action) {
        let writable = !self.store.is_read_only();
        match action {
            Action::ToggleWeek => {
                self.planner.view = match self.planner.view {
                    PlannerView::Trajectory => PlannerView::Week,
                    PlannerView::Week => PlannerView::Trajectory,
                };
                self.planner.selected = 0;
            }
            Action::PrevWeek | Action::NextWeek => {
                let step = if action == Action::PrevWeek { -7 } else { 7 };
                let monday = self.planner.week.unwrap_or_else(|| monday_of(desk_day(self.now)));
                self.planner.week = Some(monday + Duration::days(step));
                self.planner.view = PlannerView::Week;
                self.planner.selected = 0;
            }
            Action::NextCounsellor => {
                let counsellors = self.store.counsellors().unwrap_or_default();
                let at = self
                    .planner
                    .counsellor
                    .as_ref()
                    .and_then(|c| counsellors.iter().position(|x| x.id == c.id));
                self.planner.counsellor =
                    at.map_or(counsellors.first(), |i| counsellors.get((i + 1) % counsellors.len())).cloned();
                self.planner.view = PlannerView::Week;
            }
            Action::Enter if self.planner.view == PlannerView::Week => {
                if let Some(b) = self.planner.bookings.get(self.planner.selected).cloned() {
                    self.open_file(b.couple_id);
                }
                return;
            }
            _ if !writable
                && matches!(
                    action,
                    Action::StartTrajectory
                        | Action::AddSession
                        | Action::MarkHeld
                        | Action::MarkNoShow
                        | Action::CancelSession
                        | Action::EndTrajectory
                        | Action::SessionNote
                ) =>
            {
                return self.warn("error.read_only");
            }
            Action::StartTrajectory => return self.pick_trajectory_counsellor(),
            Action::Scores => return self.open_scores_form(),
            Action::AddSession => return self.open_session_form(),
            Action::MarkHeld => return self.pick_attended(),
            Action::MarkNoShow => {
                if let Some(s) = self.planner_session() {
                    let result = self.store.set_session_status(
                        s.id,
                        s.version,
                        SessionStatus::NoShow,
                        None,
                        "",
                        self.now,
                    );
                    self.after_planner_write(result, "plan.marked_no_show");
                }
                return;
            }
            Action::CancelSession => {
                if self.planner_session().is_some() {
                    let form = Form::new(
                        "plan.cancel_title",
                        vec![Field::text(FieldId::CancelReason, "plan.cancel_reason", 200, true)],
                    );
                    self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::CancelSession, form }));
                }
                return;
            }
            Action::SessionNote => {
                if let Some(s) = self.planner_session() {
                    match s.note {
                        Some(note) => self.overlays.push(Overlay::Notes(Box::new(
                            super::NotesEditor::for_session(&note, s.id, s.version),
                        ))),
                        None => self.warn("plan.note_counsellors_only"),
                    }
                }
                return;
            }
            Action::EndTrajectory => {
                if self.planner.trajectory.as_ref().is_some_and(|t| t.ended_at.is_none()) {
                    self.ask(self.texts.t("confirm.end_trajectory").to_owned(), ConfirmAction::EndTrajectory);
                } else {
                    self.warn("plan.no_trajectory");
                }
                return;
            }
            other => {
                let len = match self.planner.view {
                    PlannerView::Trajectory => {
                        self.planner.trajectory.as_ref().map_or(0, |t| t.sessions.len())
                    }
                    PlannerView::Week => self.planner.bookings.len(),
                };
                self.planner.selected = super::overlay::step(self.planner.selected, len, &other);
                return;
            }
        }
        self.reload_planner();
    }

    /// The selected conversation of the open trajectory; says why there is none.
    fn planner_session(&mut self) -> Option<Session> {
        if self.planner.view != PlannerView::Trajectory {
            self.warn("plan.in_week_view");
            return None;
        }
        let found = self.planner.selected_session().cloned();
        if found.is_none() {
            self.warn("plan.no_session_selected");
        }
        found
    }

    /// From the queue: a walk-in marked "trajectory to plan" opens its file in the planner.
    pub(super) fn plan_from_walk_in(&mut self, couple: i64) {
        self.open_file(couple);
        self.pane = Pane::Planner;
        self.planner.view = PlannerView::Trajectory;
        self.reload_planner();
        if self.planner.trajectory.as_ref().is_none_or(|t| t.ended_at.is_some()) {
            self.pick_trajectory_counsellor();
        }
    }

    fn pick_trajectory_counsellor(&mut self) {
        let Some(file) = self.file.clone() else { return self.warn("plan.open_a_file") };
        if self.planner.trajectory.as_ref().is_some_and(|t| t.ended_at.is_none()) {
            return self.warn("plan.already_active");
        }
        let counsellors = match self.store.counsellors() {
            Ok(c) if !c.is_empty() => c,
            Ok(_) => return self.warn("queue.no_counsellors"),
            Err(e) => return self.show_error(&e),
        };
        let preferred = file.counsellor.as_ref().map(|c| c.0).or(self.user.as_ref().map(|u| u.id));
        let selected = counsellors.iter().position(|c| Some(c.id) == preferred).unwrap_or(0);
        let items = counsellors.iter().map(|c| PickItem { label: c.name.clone(), remark: None }).collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "plan.pick_counsellor",
            items,
            selected,
            purpose: PickPurpose::TrajectoryCounsellor(counsellors),
        }));
    }

    /// A counsellor was picked for a new trajectory: beyond the funded number, ask first.
    pub(super) fn trajectory_counsellor_picked(&mut self, counsellor: i64) {
        let Some(file) = self.file.clone() else { return };
        self.reload_planner();
        if let Some(b) = self.planner.budget.filter(Budget::next_is_unfunded) {
            let question =
                self.texts.f("confirm.unfunded", &[("started", &b.started), ("funded", &b.funded)]);
            return self.ask(question, ConfirmAction::StartUnfunded { couple: file.id, counsellor });
        }
        self.start_trajectory(file.id, counsellor);
    }

    pub(super) fn start_trajectory(&mut self, couple: i64, counsellor: i64) {
        let Some(user) = self.user.clone() else { return };
        let result = self.store.start_trajectory(couple, counsellor, &user, self.now).map(|_| ());
        self.pane = Pane::Planner;
        self.planner.view = PlannerView::Trajectory;
        self.after_planner_write(result, "plan.started");
    }

    pub(super) fn end_trajectory(&mut self) {
        let Some(t) = self.planner.trajectory.clone() else { return };
        let result = self.store.end_trajectory(t.id, t.version, self.now);
        self.after_planner_write(result, "plan.ended_done");
    }

    fn pick_attended(&mut self) {
        let Some(s) = self.planner_session() else { return };
        if s.status != SessionStatus::Planned {
            return self.warn("plan.not_planned");
        }
        if s.start > self.now {
            return self.warn("plan.not_yet_happened");
        }
        let names: Vec<String> = self
            .file
            .as_ref()
            .map(|f| f.partners.iter().map(|p| p.name.full()).collect())
            .unwrap_or_default();
        let items = Attended::ALL
            .iter()
            .map(|a| {
                let label = match a {
                    Attended::Both => self.texts.t("attended.both").to_owned(),
                    Attended::Partner1 => {
                        names.first().cloned().unwrap_or_else(|| self.texts.t("attended.partner1").to_owned())
                    }
                    Attended::Partner2 => {
                        names.get(1).cloned().unwrap_or_else(|| self.texts.t("attended.partner2").to_owned())
                    }
                };
                PickItem { label, remark: None }
            })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "plan.pick_attended",
            items,
            selected: 0,
            purpose: PickPurpose::Attended { session: s.id, version: s.version },
        }));
    }

    pub(super) fn mark_held(&mut self, session: i64, version: i64, attended: Attended) {
        let result = self.store.set_session_status(
            session,
            version,
            SessionStatus::Held,
            Some(attended),
            "",
            self.now,
        );
        self.after_planner_write(result, "plan.marked_held");
    }

    pub(super) fn after_planner_write(&mut self, result: Result<(), StoreError>, done_key: &str) {
        match result {
            Ok(()) => {
                self.reload_file();
                self.reload_planner();
                self.info(self.texts.t(done_key).to_owned());
            }
            Err(e) => {
                self.reload_planner();
                self.show_error(&e);
            }
        }
    }
}
