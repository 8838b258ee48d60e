//! A *zorgsignaal*: a counsellor's record of a concern about safety at home, walked through the
//! five steps of the *meldcode huiselijk geweld en kindermishandeling*. A concern is a record with a
//! history, never a flag: nothing in it is changed or erased, and recording step 5 (the decision)
//! closes it. A *melding* is only the report to Veilig Thuis that step 5 may decide on.
//!
//! Order: step 1 (signals mapped) comes first; steps 2 (consulted) and 3 (talked) follow in either
//! order; step 4 (weighed with the *afwegingskader*) needs 1, 2 and 3; step 5 (the decision) needs 4.
//! Each step is recorded once.

use chrono::{DateTime, NaiveDate, Utc};

use super::coded_enum;
use super::user::Role;

coded_enum!(
    /// Whom the counsellor consulted in step 2.
    Consulted, "concern_consulted" {
        Colleague => "colleague",
        Officer => "officer",
        VeiligThuis => "veilig_thuis",
        OfficerAndVeiligThuis => "officer_and_veilig_thuis",
    }
);

coded_enum!(
    /// With whom the counsellor talked in step 3 (or not: it was unsafe).
    Talk, "concern_talk" {
        Both => "both",
        One => "one",
        NotUnsafe => "not_unsafe",
    }
);

coded_enum!(
    /// The answer to one question of the *afwegingskader*.
    Answer, "concern_answer" {
        Unknown => "unknown",
        Yes => "yes",
        No => "no",
    }
);

coded_enum!(
    /// Step 5: what was decided.
    Decision, "concern_decision" {
        Help => "help",
        Report => "report",
        Both => "both",
    }
);

impl Decision {
    /// Whether the decision includes a report (*melding*) to Veilig Thuis.
    pub fn reports(self) -> bool {
        matches!(self, Decision::Report | Decision::Both)
    }
}

/// The five questions of the *afwegingskader* (text keys `concern.question_1` … `_5`).
pub const QUESTIONS: usize = 5;

/// One question of step 4, answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weighing {
    pub answer: Answer,
    pub note: String,
}

/// What a step records beyond its date and note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepDetail {
    /// 1: the signals are mapped.
    Mapped,
    /// 2: a colleague, the *aandachtsfunctionaris* and/or Veilig Thuis consulted.
    Consulted(Consulted),
    /// 3: talked with the partner(s), or why not.
    Talked(Talk),
    /// 4: the five questions answered.
    Weighed(Vec<Weighing>),
    /// 5: the decision; closes the concern.
    Decided(Decision),
}

impl StepDetail {
    /// The step's number, 1 to 5.
    pub fn number(&self) -> u8 {
        match self {
            StepDetail::Mapped => 1,
            StepDetail::Consulted(_) => 2,
            StepDetail::Talked(_) => 3,
            StepDetail::Weighed(_) => 4,
            StepDetail::Decided(_) => 5,
        }
    }

    /// The code of the step's choice, as stored ('' for steps 1 and 4).
    pub fn choice_code(&self) -> &'static str {
        match self {
            StepDetail::Consulted(c) => c.code(),
            StepDetail::Talked(t) => t.code(),
            StepDetail::Decided(d) => d.code(),
            StepDetail::Mapped | StepDetail::Weighed(_) => "",
        }
    }
}

/// A step as a counsellor records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub detail: StepDetail,
    pub on: NaiveDate,
    pub note: String,
}

/// A recorded step, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub detail: StepDetail,
    pub on: NaiveDate,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What only those who may read a concern see: who opened it, the signals, the steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcernContent {
    pub opened_by: String,
    pub signals: String,
    pub steps: Vec<StepRecord>,
}

/// A concern as one role may see it: that it exists, since when, and when it closed; its content
/// only for counsellors (the store does not read it for others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    pub id: i64,
    pub opened_at: DateTime<Utc>,
    pub closed_on: Option<NaiveDate>,
    pub content: Option<ConcernContent>,
}

impl Concern {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }

    /// The numbers of the steps recorded (only known to those who read the content).
    pub fn done(&self) -> Vec<u8> {
        self.content.as_ref().map_or_else(Vec::new, |c| c.steps.iter().map(|s| s.detail.number()).collect())
    }

    /// The step 4 answers, once recorded.
    pub fn weighing(&self) -> Option<&[Weighing]> {
        self.content.as_ref()?.steps.iter().find_map(|s| match &s.detail {
            StepDetail::Weighed(w) => Some(w.as_slice()),
            _ => None,
        })
    }
}

/// Why a step cannot be recorded (or a concern not opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcernProblem {
    /// The concern is closed: nothing in it changes.
    Closed,
    /// There is already an open concern for this couple.
    AlreadyOpen,
    /// This step was already recorded.
    AlreadyDone,
    /// This step needs step `n` first.
    NeedsStep(u8),
    /// Step 3 not held because it was unsafe: the note must say why.
    WhyNot,
    /// The weighing says acute or structural unsafety, or no lasting safety: report to Veilig Thuis.
    MustReport,
    /// Step 4 needs an answer to each of the five questions.
    Questions,
}

impl ConcernProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            ConcernProblem::Closed => "concern.problem_closed",
            ConcernProblem::AlreadyOpen => "concern.problem_already_open",
            ConcernProblem::AlreadyDone => "concern.problem_already_done",
            ConcernProblem::NeedsStep(_) => "concern.problem_needs_step",
            ConcernProblem::WhyNot => "concern.problem_why_not",
            ConcernProblem::MustReport => "concern.problem_must_report",
            ConcernProblem::Questions => "concern.problem_questions",
        }
    }
}

/// The steps that must come before `step`.
fn before(step: u8) -> &'static [u8] {
    match step {
        2 | 3 => &[1],
        4 => &[1, 2, 3],
        5 => &[4],
        _ => &[],
    }
}

/// Whether step `step` may be recorded after the steps `done`.
pub fn may_record(done: &[u8], step: u8) -> Result<(), ConcernProblem> {
    if done.contains(&5) {
        return Err(ConcernProblem::Closed);
    }
    if done.contains(&step) {
        return Err(ConcernProblem::AlreadyDone);
    }
    match before(step).iter().find(|n| !done.contains(n)) {
        Some(n) => Err(ConcernProblem::NeedsStep(*n)),
        None => Ok(()),
    }
}

/// The steps that may be recorded now, in order.
pub fn next_steps(done: &[u8]) -> Vec<u8> {
    (1..=5).filter(|s| may_record(done, *s).is_ok()).collect()
}

/// Whether the *afwegingskader*'s answers require a report: acute or structural unsafety
/// (question 2 yes), or help that does not lead to lasting safety (question 5 no).
pub fn must_report(weighing: &[Weighing]) -> bool {
    let answer = |q: usize| weighing.get(q - 1).map(|w| w.answer);
    answer(2) == Some(Answer::Yes) || answer(5) == Some(Answer::No)
}

/// Checks a step on its own and against the concern's earlier steps.
pub fn check_step(done: &[u8], weighing: Option<&[Weighing]>, step: &NewStep) -> Result<(), ConcernProblem> {
    may_record(done, step.detail.number())?;
    match &step.detail {
        StepDetail::Talked(Talk::NotUnsafe) if step.note.trim().is_empty() => Err(ConcernProblem::WhyNot),
        StepDetail::Weighed(w) if w.len() != QUESTIONS => Err(ConcernProblem::Questions),
        StepDetail::Decided(d) if !d.reports() && weighing.is_some_and(must_report) => {
            Err(ConcernProblem::MustReport)
        }
        _ => Ok(()),
    }
}

impl Role {
    /// Only counsellors read a concern's content (signals, steps, notes).
    pub fn reads_concern(self) -> bool {
        self == Role::Counsellor
    }

    /// Counsellors and the coordinator see that a concern exists (open or closed, its dates).
    /// A receptionist sees only the neutral *apart ontvangen*.
    pub fn sees_concern(self) -> bool {
        matches!(self, Role::Counsellor | Role::Coordinator)
    }

    /// Only counsellors open a concern and record its steps.
    pub fn records_concern(self) -> bool {
        self == Role::Counsellor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighing(answers: [Answer; 5]) -> Vec<Weighing> {
        answers.iter().map(|a| Weighing { answer: *a, note: String::new() }).collect()
    }

    #[test]
    fn steps_follow_the_meldcode_order() {
        assert_eq!(next_steps(&[]), vec![1]);
        assert_eq!(next_steps(&[1]), vec![2, 3]);
        assert_eq!(next_steps(&[1, 3]), vec![2]);
        assert_eq!(next_steps(&[1, 2, 3]), vec![4]);
        assert_eq!(next_steps(&[1, 2, 3, 4]), vec![5]);
        assert_eq!(next_steps(&[1, 2, 3, 4, 5]), Vec::<u8>::new());
        assert_eq!(may_record(&[1], 4), Err(ConcernProblem::NeedsStep(2)));
        assert_eq!(may_record(&[1, 2], 5), Err(ConcernProblem::NeedsStep(4)));
        assert_eq!(may_record(&[1], 1), Err(ConcernProblem::AlreadyDone));
        assert_eq!(may_record(&[1, 2, 3, 4, 5], 2), Err(ConcernProblem::Closed));
    }

    #[test]
    fn the_afwegingskader_can_require_a_report() {
        use Answer::*;
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let decide = |d| NewStep { detail: StepDetail::Decided(d), on: day, note: String::new() };
        let done = [1, 2, 3, 4];
        let acute = weighing([Yes, Yes, Yes, Yes, Yes]);
        assert_eq!(check_step(&done, Some(&acute), &decide(Decision::Help)), Err(ConcernProblem::MustReport));
        assert_eq!(check_step(&done, Some(&acute), &decide(Decision::Both)), Ok(()));
        let not_lasting = weighing([Yes, No, Yes, Yes, No]);
        assert!(must_report(&not_lasting));
        let helped = weighing([Yes, No, Yes, Yes, Yes]);
        assert_eq!(check_step(&done, Some(&helped), &decide(Decision::Help)), Ok(()));
        let why_not = NewStep { detail: StepDetail::Talked(Talk::NotUnsafe), on: day, note: " ".into() };
        assert_eq!(check_step(&[1], None, &why_not), Err(ConcernProblem::WhyNot));
    }

    #[test]
    fn only_counsellors_read_and_record_a_concern() {
        assert!(Role::Counsellor.reads_concern() && Role::Counsellor.records_concern());
        assert!(Role::Coordinator.sees_concern() && !Role::Coordinator.reads_concern());
        assert!(!Role::Receptionist.sees_concern() && !Role::Receptionist.reads_concern());
        assert!(!Role::Coordinator.records_concern() && !Role::Receptionist.records_concern());
    }
}
