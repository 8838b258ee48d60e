//! The report pane (*Rapportage*): figures for a period, exact or as for the council.

use chrono::{Datelike, Duration, NaiveDate};

use super::super::ctx::{Ctx, Effect, Effects, failed};
use super::super::popups::{Field, Form, FormPopup, Overlay};
use crate::action::{Action, Binding, Context, KeyCode, bind, list_keys};
use crate::domain::access::AccessEvent;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::report::{Figure, Period};
use crate::domain::walkin::desk_day;

/// Which period the report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodChoice {
    #[default]
    ThisYear,
    LastHalfYear,
    /// Chosen with the period form.
    Range(NaiveDate, NaiveDate),
}

/// What a computation of the figures hands back.
type Computed = Result<(Vec<Figure>, Vec<u64>), crate::store::StoreError>;

/// A computation on a worker thread: its period, the change mark it started at, and where its
/// figures arrive.
type Pending = (Period, Option<(i64, u64)>, std::sync::mpsc::Receiver<Computed>);

/// A computation that took longer than this moves off the ui thread the next time (issue 17).
pub const SLOW: std::time::Duration = std::time::Duration::from_millis(50);

#[derive(Debug, Default)]
pub struct ReportState {
    pub choice: PeriodChoice,
    pub period: Option<Period>,
    pub figures: Vec<Figure>,
    pub weekly: Vec<u64>,
    /// Exact figures, for inside the desk; otherwise small numbers are suppressed as for the council.
    pub exact: bool,
    /// The first line of the figures shown: they scroll when the window is too small for them.
    pub scroll: usize,
    /// How far the figures can scroll at the size they were last drawn at. The one thing drawing
    /// writes: the keys stop where the figures end, so that no key press goes unseen.
    pub max_scroll: std::cell::Cell<usize>,
    /// The period and the store's change mark the figures were computed for: the same again (the
    /// pane shown again with nothing changed in the file) reads nothing (issue 17).
    computed: Option<(Period, (i64, u64))>,
    /// How often the figures were computed, for the tests.
    pub computations: u32,
    /// How long the last computation took: once it took [`SLOW`] or more, the next one runs on a
    /// worker thread with its own read connection, and the pane says *berekenen…* meanwhile.
    pub last_took: std::time::Duration,
    /// The computation on a worker thread, for this period and change mark.
    pending: Option<Pending>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// The period form was filled in.
    Range(NaiveDate, NaiveDate),
}

impl ReportState {
    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        let today = desk_day(ctx.now);
        let period = match self.choice {
            PeriodChoice::ThisYear => {
                Period { from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today), to: today }
            }
            PeriodChoice::LastHalfYear => Period { from: today - Duration::days(182), to: today },
            PeriodChoice::Range(from, to) => Period { from, to },
        };
        let mark = ctx.store.change_mark().ok();
        if mark.is_some() && self.computed == mark.map(|m| (period, m)) {
            return Vec::new();
        }
        if self.pending.as_ref().is_some_and(|(p, m, _)| *p == period && *m == mark) {
            return Vec::new();
        }
        let parties: Vec<String> = ctx.config.parties.iter().map(|p| p.code.clone()).collect();
        let (funded, euros) = (ctx.config.budget.funded_trajectories, ctx.config.budget.euros);
        if self.last_took >= SLOW
            && let Ok(reader) = ctx.store.reader()
        {
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = send.send(compute(&reader, period, funded, euros, &parties));
            });
            self.pending = Some((period, mark, receive));
            return Vec::new();
        }
        let started = std::time::Instant::now();
        let computed = compute(ctx.store, period, funded, euros, &parties);
        self.last_took = started.elapsed();
        self.take(period, computed, ctx)
    }

    /// Whether the figures are being computed on a worker thread.
    pub fn computing(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the worker's figures once they are there (called on every tick).
    pub fn poll(&mut self, ctx: &mut Ctx) -> Effects {
        let Some((period, _, receive)) = &self.pending else { return Vec::new() };
        let period = *period;
        match receive.try_recv() {
            Ok(computed) => {
                self.pending = None;
                self.take(period, computed, ctx)
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => Vec::new(),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                // The worker is gone without an answer: compute here instead.
                self.pending = None;
                self.last_took = std::time::Duration::ZERO;
                self.reload(ctx)
            }
        }
    }

    /// Shows computed figures (or says why there are none).
    fn take(&mut self, period: Period, computed: Computed, ctx: &mut Ctx) -> Effects {
        match computed {
            Ok((figures, weekly)) => {
                self.figures = figures;
                self.weekly = weekly;
                self.computations += 1;
                let newly = self.period != Some(period);
                self.period = Some(period);
                let effects = if newly { self.log_exact(ctx) } else { Vec::new() };
                // Taken after the log row of exact figures, which is itself a change.
                self.computed = ctx.store.change_mark().ok().map(|m| (period, m));
                effects
            }
            Err(e) => failed(ctx, &e),
        }
    }

    /// Exact figures (small numbers shown) are logged, with their period, each time they are shown.
    fn log_exact(&mut self, ctx: &mut Ctx) -> Effects {
        let Some(period) = self.period.filter(|_| self.exact) else { return Vec::new() };
        let detail = period.code();
        match ctx.store.log_event(AccessEvent::ExactReport, ctx.user, None, &detail, ctx.now) {
            Ok(()) => Vec::new(),
            Err(e) => {
                // Not shown unless it can be logged.
                self.exact = false;
                failed(ctx, &e)
            }
        }
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        match action {
            Action::NextPeriod => {
                self.choice = match self.choice {
                    PeriodChoice::ThisYear => PeriodChoice::LastHalfYear,
                    _ => PeriodChoice::ThisYear,
                };
                self.reload(ctx)
            }
            Action::ToggleExact => {
                self.exact = !self.exact;
                self.log_exact(ctx)
            }
            Action::ChoosePeriod => vec![period_form(self.period)],
            Action::Up | Action::Down | Action::First | Action::Last | Action::PageUp | Action::PageDown => {
                self.scroll_by(&action);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Scrolls the figures a line, a page, or to either end; never past the last line.
    fn scroll_by(&mut self, action: &Action) {
        let max = self.max_scroll.get();
        let at = self.scroll.min(max);
        self.scroll = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => (at + 1).min(max),
            Action::PageUp => at.saturating_sub(PAGE),
            Action::PageDown => (at + PAGE).min(max),
            Action::First => 0,
            _ => max,
        };
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Msg::Range(from, to) = msg;
        self.choice = PeriodChoice::Range(from, to);
        let mut effects = vec![Effect::CloseForm];
        effects.extend(self.reload(ctx));
        effects
    }
}

/// The figures and the weekly walk-ins of a period, from `store`.
fn compute(
    store: &crate::store::Store,
    period: Period,
    funded: u32,
    euros: u32,
    parties: &[String],
) -> Computed {
    let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
    Ok((store.report(period, funded, euros, &parties)?, store.weekly_walk_ins(period)?))
}

/// How far PgUp and PgDn scroll the figures.
const PAGE: usize = 10;

crate::form_fields!(P { From, To });

/// The report's period: two dates, the first not after the second.
#[derive(Debug)]
struct PeriodForm {
    form: Form,
}

fn period_form(period: Option<Period>) -> Effect {
    let mut form = Form::new(
        "report.range_title",
        vec![Field::text("report.range_from", 10, true), Field::text("report.range_to", 10, true)],
    );
    if let Some(p) = period {
        form.set_text(P::From, &format_date(p.from));
        form.set_text(P::To, &format_date(p.to));
    }
    form.dirty = false;
    Effect::Open(Overlay::Form(Box::new(PeriodForm { form })))
}

impl FormPopup for PeriodForm {
    crate::form_access!();

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        let today = desk_day(ctx.now);
        let from = self.form.parsed(P::From, |s| parse_date(s, today).map_err(|p| p.text_key()));
        let to = self.form.parsed(P::To, |s| parse_date(s, today).map_err(|p| p.text_key()));
        match (from, to) {
            (Some(from), Some(to)) if from <= to => {
                vec![Effect::Send(super::super::Msg::Report(Msg::Range(from, to)))]
            }
            (Some(_), Some(_)) => vec![Effect::FormMessage(ctx.t("report.bad_period"))],
            _ => Vec::new(),
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Report;
    use KeyCode::*;
    let mut b = vec![
        bind(Report, Char('p'), Action::NextPeriod, "key.next_period", true),
        bind(Report, Char('d'), Action::ChoosePeriod, "key.choose_period", true),
        bind(Report, Char('e'), Action::ToggleExact, "key.toggle_exact", true),
        bind(Report, PageUp, Action::PageUp, "key.page_up", false),
        bind(Report, PageDown, Action::PageDown, "key.page_down", false),
    ];
    b.extend(list_keys(Report));
    b
}
