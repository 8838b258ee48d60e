//! The access log screen (*Logboek*), for coordinators only: who saw or changed what, chosen by
//! file, user, period and event, newest first. Every look is logged (the store writes it in the
//! same transaction that reads the rows). A counsellor keeps the file pane's `a` for the open file.

mod form;

use super::super::ctx::{Ctx, Effect, Effects, warn};
use super::super::popups::step;
use crate::action::{Action, Binding, Context, KeyCode, bind, list_keys};
use crate::domain::access::{LogEntry, LogFilter};
use crate::domain::user::{Role, User};

/// The most rows one look reads; more are left for a narrower filter (or `loket audit`).
pub const LIMIT: usize = 2000;

/// How far PgUp and PgDn move.
pub const PAGE: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct LogState {
    /// What was last looked at; `None` before the first look.
    pub filter: Option<LogFilter>,
    /// Its rows, newest first.
    pub rows: Vec<LogEntry>,
    pub selected: usize,
    /// More rows matched than [`LIMIT`].
    pub truncated: bool,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// The filter form was filled in: look.
    Look(LogFilter),
}

/// Only a coordinator sees this screen.
pub fn may_open(ctx: &Ctx) -> bool {
    ctx.user.is_some_and(|u: &User| u.has(Role::Coordinator))
}

impl LogState {
    pub fn selected(&self) -> Option<&LogEntry> {
        self.rows.get(self.selected)
    }

    /// The screen is brought to the front: before the first look, the filter form opens.
    pub fn shown(&mut self, ctx: &mut Ctx) -> Effects {
        if !may_open(ctx) {
            *self = LogState::default();
            return Vec::new();
        }
        match self.filter {
            None => form::open(&LogFilter::default(), ctx),
            Some(_) => Vec::new(),
        }
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        if !may_open(ctx) {
            return warn(ctx, "audit.coordinator_only");
        }
        let len = self.rows.len();
        match action {
            Action::Filter => form::open(&self.filter.clone().unwrap_or_default(), ctx),
            Action::PageUp => {
                self.selected = self.selected.saturating_sub(PAGE);
                Vec::new()
            }
            Action::PageDown => {
                self.selected = (self.selected + PAGE).min(len.saturating_sub(1));
                Vec::new()
            }
            other => {
                self.selected = step(self.selected, len, &other);
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Msg::Look(filter) = msg;
        let Some(me) = ctx.user.cloned() else { return Vec::new() };
        if !may_open(ctx) {
            return warn(ctx, "audit.coordinator_only");
        }
        match ctx.store.audit_log(&me, &filter, Some(LIMIT + 1), 0, ctx.now) {
            Ok(mut rows) => {
                self.truncated = rows.len() > LIMIT;
                rows.truncate(LIMIT);
                self.rows = rows;
                self.selected = 0;
                self.filter = Some(filter);
                vec![Effect::CloseForm]
            }
            // The form stays, with what was typed, and says what is wrong.
            Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Log;
    use KeyCode::*;
    let mut b = vec![
        bind(Log, Char('f'), Action::Filter, "key.filter", true),
        bind(Log, PageUp, Action::PageUp, "key.page_up", false),
        bind(Log, PageDown, Action::PageDown, "key.page_down", false),
    ];
    b.extend(list_keys(Log));
    b
}
