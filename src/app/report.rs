//! The report pane (*Rapportage*) and the outcome scores of a conversation.

use chrono::{Datelike, Duration, NaiveDate};

use super::form::{Field, FieldId, Form};
use super::{App, FormKind, FormOverlay, Overlay};
use crate::action::Action;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::planner::SessionStatus;
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

#[derive(Debug, Clone, Default)]
pub struct ReportState {
    pub choice: PeriodChoice,
    pub period: Option<Period>,
    pub figures: Vec<Figure>,
    pub weekly: Vec<u64>,
    /// Exact figures, for inside the desk; otherwise small numbers are suppressed as for the council.
    pub exact: bool,
}

const SCORE_FIELDS: [[FieldId; 3]; 2] = [
    [FieldId::Score1a, FieldId::Score1b, FieldId::Score1c],
    [FieldId::Score2a, FieldId::Score2b, FieldId::Score2c],
];

impl App {
    pub(super) fn reload_report(&mut self) {
        let today = desk_day(self.now);
        let period = match self.report.choice {
            PeriodChoice::ThisYear => {
                Period { from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today), to: today }
            }
            PeriodChoice::LastHalfYear => Period { from: today - Duration::days(182), to: today },
            PeriodChoice::Range(from, to) => Period { from, to },
        };
        let parties: Vec<&str> = self.config.parties.iter().map(|p| p.code.as_str()).collect();
        let b = &self.config.budget;
        match (
            self.store.report(period, b.funded_trajectories, b.euros, &parties),
            self.store.weekly_walk_ins(period),
        ) {
            (Ok(figures), Ok(weekly)) => {
                self.report.figures = figures;
                self.report.weekly = weekly;
                self.report.period = Some(period);
            }
            (Err(e), _) | (_, Err(e)) => self.show_error(&e),
        }
    }

    pub(super) fn update_report(&mut self, action: Action) {
        match action {
            Action::NextPeriod => {
                self.report.choice = match self.report.choice {
                    PeriodChoice::ThisYear => PeriodChoice::LastHalfYear,
                    _ => PeriodChoice::ThisYear,
                };
                self.reload_report();
            }
            Action::ToggleExact => self.report.exact = !self.report.exact,
            Action::ChoosePeriod => {
                let period = self.report.period;
                let mut form = Form::new(
                    "report.range_title",
                    vec![
                        Field::text(FieldId::PeriodFrom, "report.range_from", 10, true),
                        Field::text(FieldId::PeriodTo, "report.range_to", 10, true),
                    ],
                );
                if let Some(p) = period {
                    form.set_text(FieldId::PeriodFrom, &format_date(p.from));
                    form.set_text(FieldId::PeriodTo, &format_date(p.to));
                }
                form.dirty = false;
                self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::Period, form }));
            }
            _ => {}
        }
    }

    pub(super) fn save_period_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let today = desk_day(self.now);
        let from = top.form.parsed(FieldId::PeriodFrom, |s| parse_date(s, today).map_err(|p| p.text_key()));
        let to = top.form.parsed(FieldId::PeriodTo, |s| parse_date(s, today).map_err(|p| p.text_key()));
        match (from, to) {
            (Some(from), Some(to)) if from <= to => {
                self.report.choice = PeriodChoice::Range(from, to);
                self.reload_report();
            }
            (Some(_), Some(_)) => {
                top.form.message = Some(self.texts.t("cli.bad_period").to_owned());
                self.overlays.push(Overlay::Form(top));
            }
            _ => {
                top.form.focus_first_error();
                self.overlays.push(Overlay::Form(top));
            }
        }
    }

    /// The scores form for the selected conversation (held conversations only).
    pub(super) fn open_scores_form(&mut self) {
        let Some(s) = self.planner.selected_session().cloned() else {
            return self.warn("plan.no_session_selected");
        };
        if s.status != SessionStatus::Held {
            return self.warn("scores.held_only");
        }
        let partners = self.file.as_ref().map_or(0, |f| f.partners.len()).clamp(1, 2);
        let labels = [
            ["scores.p1_satisfaction", "scores.p1_communication", "scores.p1_hope"],
            ["scores.p2_satisfaction", "scores.p2_communication", "scores.p2_hope"],
        ];
        let mut fields = Vec::new();
        for p in 0..partners {
            for q in 0..3 {
                fields.push(Field::text(SCORE_FIELDS[p][q], labels[p][q], 2, true));
            }
        }
        let form = Form::new("scores.title", fields);
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::Scores, form }));
    }

    pub(super) fn save_scores_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let Some(s) = self.planner.selected_session().cloned() else { return };
        let score = |raw: &str| match raw.trim().parse::<u8>() {
            Ok(n) if n <= 10 => Ok(n),
            _ => Err("scores.error_range"),
        };
        let mut all = Vec::new();
        for (p, ids) in SCORE_FIELDS.iter().enumerate() {
            if top.form.field(ids[0]).is_none() {
                continue;
            }
            let values: Vec<Option<u8>> = ids.iter().map(|id| top.form.parsed(*id, score)).collect();
            all.push((p as u8 + 1, values));
        }
        if all.iter().any(|(_, v)| v.iter().any(Option::is_none)) {
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        }
        for (position, values) in all {
            let v: Vec<u8> = values.into_iter().flatten().collect();
            if let Err(e) = self.store.save_scores(s.id, position, [v[0], v[1], v[2]], self.now) {
                top.form.message = Some(self.error_text(&e));
                return self.overlays.push(Overlay::Form(top));
            }
        }
        self.reload_file();
        self.info(self.texts.t("scores.saved").to_owned());
    }
}
