//! Ending a trajectory, or undoing one that was started by mistake (before any conversation was
//! held or missed: it then counts nowhere, not in the report and not against the budget).

use super::{Msg, PlannerState, to_planner};
use crate::action::Action;
use crate::app::ctx::{Ctx, Effect, Effects, warn};
use crate::app::popups::Confirm;

impl PlannerState {
    /// `z` asks before ending the running trajectory, `u` before undoing the trajectory shown.
    pub(super) fn ask_end(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        let Some(t) = &self.trajectory else { return warn(ctx, "plan.no_trajectory") };
        let unused = !t.sessions.iter().any(|s| s.status.is_used());
        if action == Action::Undo {
            if !unused {
                return warn(ctx, "plan.undo_used");
            }
            let undo = to_planner(Msg::Undo { trajectory: t.id, version: t.version });
            return vec![Effect::Open(Confirm::ask(ctx.t("confirm.undo_trajectory"), undo))];
        }
        if t.ended_at.is_some() {
            return warn(ctx, "plan.no_trajectory");
        }
        // Ending one without a conversation held counts it as stopped: say that undoing is there.
        let question = if unused { "confirm.end_unused_trajectory" } else { "confirm.end_trajectory" };
        let end = to_planner(Msg::End { trajectory: t.id, version: t.version });
        vec![Effect::Open(Confirm::ask(ctx.t(question), end))]
    }

    /// Ends or undoes the trajectory, as answered.
    pub(super) fn end(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Some(user) = ctx.user else { return Vec::new() };
        match msg {
            Msg::End { trajectory, version } => {
                let result = ctx.store.end_trajectory(trajectory, version, user, ctx.now);
                self.after_write(result, "plan.ended_done", ctx)
            }
            Msg::Undo { trajectory, version } => {
                let result = ctx.store.undo_trajectory(trajectory, version, user, ctx.now);
                self.after_write(result, "plan.undone", ctx)
            }
            _ => Vec::new(),
        }
    }
}
