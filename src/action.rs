//! Every user intent, free of terminal types: the keymap produces these, `App::update` executes them.

/// An edit of a one-line text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOp {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    DeleteWord,
    Clear,
    /// Multi-line text only.
    Newline,
    LineUp,
    LineDown,
}

/// The panes along the top. More come with later issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Queue,
    File,
    Planner,
    Referral,
    Report,
}

impl Pane {
    pub const ALL: &'static [Pane] = &[Pane::Queue, Pane::File, Pane::Planner, Pane::Referral, Pane::Report];

    pub fn title_key(self) -> &'static str {
        match self {
            Pane::Queue => "pane.queue",
            Pane::File => "pane.file",
            Pane::Planner => "pane.planner",
            Pane::Referral => "pane.referral",
            Pane::Report => "pane.report",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Everywhere
    Quit,
    ForceQuit,
    Help,
    Back,
    SwitchPane(usize),
    /// Back to the list of users, for another person to take over the desk.
    SwitchUser,
    Tick,
    // Lists
    Up,
    Down,
    First,
    Last,
    Enter,
    // Queue
    NewWalkIn,
    CallIn,
    MarkDone,
    MarkLeft,
    Undo,
    ToggleFinished,
    /// Open the file of the selected walk-in.
    OpenFile,
    // Everywhere: find a couple and open the file.
    Find,
    // File pane
    EditFile,
    AddLifeEvent,
    ChangeStatus,
    ToggleSafety,
    EditNotes,
    WalkInForCouple,
    // Planner
    StartTrajectory,
    AddSession,
    MarkHeld,
    MarkNoShow,
    CancelSession,
    SessionNote,
    EndTrajectory,
    ToggleWeek,
    PrevWeek,
    NextWeek,
    NextCounsellor,
    /// In the conversation form: propose the next free slot.
    NextFreeSlot,
    // Referrals
    NewReferral,
    Consent,
    Letter,
    ReferralIn,
    ToggleFollowUps,
    /// From the queue (a walk-in referred on) or the file pane: to the referral form.
    Refer,
    // Outcome measure and report
    Scores,
    NextPeriod,
    ChoosePeriod,
    ToggleExact,
    // Login
    NewUser,
    // Forms
    NextField,
    PrevField,
    Save,
    Edit(EditOp),
    Paste(String),
    /// In the walk-in form: find a returning couple's file.
    FindCouple,
    // Confirmation
    Yes,
    No,
}
