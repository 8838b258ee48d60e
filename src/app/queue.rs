//! The walk-in queue pane: today's walk-ins and the receptionist's changes to them.

use chrono::NaiveDate;

use super::overlay::{PickItem, PickPurpose, Picker};
use super::{App, Overlay, overlay};
use crate::action::Action;
use crate::domain::walkin::{Change, Outcome, Status, WalkIn, busy_counsellors, desk_day};

#[derive(Debug, Clone, Default)]
pub struct QueueState {
    /// The day shown; `None` before the first load.
    pub day: Option<NaiveDate>,
    /// The day's walk-ins, and earlier ones still open (waiting or in conversation), by arrival.
    pub walk_ins: Vec<WalkIn>,
    /// Index into [`QueueState::visible`].
    pub selected: usize,
    pub show_finished: bool,
    /// The walk-in changed last at this desk: `u` undoes its changes, even when it has moved
    /// out of sight into the (hidden) finished group.
    pub last_changed: Option<i64>,
}

impl QueueState {
    /// The rows in screen order: those still waiting or in conversation by arrival, then
    /// (when shown) the finished ones.
    pub fn visible(&self) -> Vec<&WalkIn> {
        let active = self.walk_ins.iter().filter(|w| !w.state.status.is_finished());
        let finished = self.walk_ins.iter().filter(|w| self.show_finished && w.state.status.is_finished());
        active.chain(finished).collect()
    }

    pub fn selected(&self) -> Option<&WalkIn> {
        self.visible().get(self.selected).copied()
    }

    fn select_id(&mut self, id: i64) {
        if let Some(i) = self.visible().iter().position(|w| w.id == id) {
            self.selected = i;
        }
    }
}

impl App {
    pub(super) fn reload_queue(&mut self) {
        let day = desk_day(self.now);
        let keep = self.queue.selected().map(|w| w.id);
        match self.store.queue_for(day) {
            Ok(walk_ins) => {
                self.queue.walk_ins = walk_ins;
                self.queue.day = Some(day);
                self.queue.selected = self.queue.selected.min(self.queue.visible().len().saturating_sub(1));
                if let Some(id) = keep {
                    self.queue.select_id(id);
                }
            }
            Err(e) => self.show_error(&e),
        }
        self.data_version = self.store.data_version().unwrap_or(self.data_version);
    }

    pub(super) fn select_walk_in(&mut self, id: i64) {
        self.queue.select_id(id);
    }

    pub(super) fn update_queue(&mut self, action: Action) {
        match action {
            Action::NewWalkIn => self.open_walk_in_form(),
            Action::CallIn => self.pick_counsellor(),
            Action::MarkDone => self.pick_outcome(),
            Action::MarkLeft => self.mark_left(),
            Action::Undo => self.undo(),
            Action::StartTrajectory => match self.queue.selected().cloned() {
                Some(w) if w.state.outcome == Some(Outcome::TrajectoryToPlan) => {
                    self.plan_from_walk_in(w.couple.id)
                }
                Some(_) => self.warn("plan.walk_in_not_for_trajectory"),
                None => self.warn("queue.nothing_selected"),
            },
            Action::Refer => self.refer_from_queue(),
            Action::OpenFile => match self.queue.selected().map(|w| w.couple.id) {
                Some(couple) => self.open_file(couple),
                None => self.warn("queue.nothing_selected"),
            },
            Action::ToggleFinished => {
                let keep = self.queue.selected().map(|w| w.id);
                self.queue.show_finished = !self.queue.show_finished;
                self.queue.selected = 0;
                if let Some(id) = keep {
                    self.queue.select_id(id);
                }
            }
            other => {
                // Moving through the list makes `u` act on the selected walk-in again.
                self.queue.last_changed = None;
                self.queue.selected = overlay::step(self.queue.selected, self.queue.visible().len(), &other)
            }
        }
    }

    /// The selected walk-in, if it has `status`; otherwise says why nothing happens.
    fn selected_with(&mut self, status: Status, wrong_key: &str) -> Option<WalkIn> {
        if self.store.is_read_only() {
            self.warn("error.read_only");
            return None;
        }
        match self.queue.selected().cloned() {
            None => {
                self.warn("queue.nothing_selected");
                None
            }
            Some(w) if w.state.status != status => {
                self.warn(wrong_key);
                None
            }
            Some(w) => Some(w),
        }
    }

    fn pick_counsellor(&mut self) {
        let Some(w) = self.selected_with(Status::Waiting, "queue.call_in_not_waiting") else { return };
        let counsellors = match self.store.counsellors() {
            Ok(c) => c,
            Err(e) => return self.show_error(&e),
        };
        if counsellors.is_empty() {
            return self.warn("queue.no_counsellors");
        }
        let busy = busy_counsellors(&self.queue.walk_ins, Some(w.id));
        let items = counsellors
            .iter()
            .map(|c| PickItem {
                label: c.name.clone(),
                remark: busy.contains(&c.id).then(|| self.texts.t("queue.counsellor_busy").to_owned()),
            })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "queue.pick_counsellor",
            items,
            selected: 0,
            purpose: PickPurpose::CallIn { walk_in: w.id, version: w.version, counsellors, busy },
        }));
    }

    fn pick_outcome(&mut self) {
        let Some(w) = self.selected_with(Status::InConversation, "queue.done_not_in_conversation") else {
            return;
        };
        let items = Outcome::ALL
            .iter()
            .map(|o| PickItem { label: self.texts.t(&o.text_key()).to_owned(), remark: None })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "queue.pick_outcome",
            items,
            selected: 0,
            purpose: PickPurpose::Finish { walk_in: w.id, version: w.version },
        }));
    }

    fn mark_left(&mut self) {
        let Some(w) = self.selected_with(Status::Waiting, "queue.left_not_waiting") else { return };
        if self.change(w.id, w.version, Change::Leave) {
            self.info(self.texts.f("queue.marked_left", &[("ticket", &w.ticket)]));
        }
    }

    pub(super) fn call_in(&mut self, walk_in: i64, version: i64, counsellor: i64) {
        self.change(walk_in, version, Change::CallIn { counsellor_id: counsellor });
    }

    pub(super) fn finish(&mut self, walk_in: i64, version: i64, outcome: Outcome) {
        self.change(walk_in, version, Change::Finish { outcome });
    }

    /// Saves a status change and reloads; a failure is shown and the queue read again.
    fn change(&mut self, walk_in: i64, version: i64, change: Change) -> bool {
        let user = self.user.as_ref().map(|u| u.id);
        let result = self.store.change_walk_in(walk_in, version, change, self.now, user);
        self.reload_queue();
        match result {
            Ok(()) => {
                self.queue.last_changed = Some(walk_in);
                self.select_walk_in(walk_in);
                true
            }
            Err(e) => {
                self.show_error(&e);
                false
            }
        }
    }

    /// Undoes the last status change made at this desk (or, when there is none, the selected
    /// walk-in's last change); pressed again, it goes further back.
    fn undo(&mut self) {
        if self.store.is_read_only() {
            return self.warn("error.read_only");
        }
        let target = self.queue.last_changed.or(self.queue.selected().map(|w| w.id));
        let Some(id) = target else { return self.warn("queue.nothing_selected") };
        // The version as this desk saw it: a change made elsewhere since is refused, not undone.
        let Some(w) = self.queue.walk_ins.iter().find(|w| w.id == id).cloned() else {
            return self.warn("queue.nothing_selected");
        };
        let result = self.store.undo_walk_in_change(w.id, w.version, self.now);
        self.reload_queue();
        match result {
            Ok(true) => {
                self.queue.last_changed = Some(w.id);
                self.select_walk_in(w.id);
                self.info(self.texts.f("queue.undone", &[("ticket", &w.ticket)]));
            }
            Ok(false) => {
                self.queue.last_changed = None;
                self.warn("queue.nothing_to_undo");
            }
            Err(e) => self.show_error(&e),
        }
    }
}
