//! Every user intent, free of terminal types: the keymap produces these, `App::update` executes them.
//! Beside them the app's own keys, the contexts a key is pressed in, and the bindings each pane
//! declares: none of it knows the terminal library.

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
    /// Users and roles: for coordinators only.
    Users,
    /// The access log: who saw or changed what. For coordinators only.
    Log,
}

impl Pane {
    pub const ALL: &'static [Pane] =
        &[Pane::Queue, Pane::File, Pane::Planner, Pane::Referral, Pane::Report, Pane::Users, Pane::Log];

    /// The panes only a coordinator sees (others do not see their tabs either).
    pub fn coordinator_only(self) -> bool {
        matches!(self, Pane::Users | Pane::Log)
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Pane::Queue => "pane.queue",
            Pane::File => "pane.file",
            Pane::Planner => "pane.planner",
            Pane::Referral => "pane.referral",
            Pane::Report => "pane.report",
            Pane::Users => "pane.users",
            Pane::Log => "pane.log",
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
    /// Cover the screen until the user's password is typed again.
    Lock,
    /// Change one's own password.
    ChangePassword,
    /// At the gate: unlock with the recovery key.
    Recovery,
    /// The open file's access log: who saw or changed it.
    AccessLog,
    Tick,
    // Lists
    Up,
    Down,
    First,
    Last,
    Enter,
    PageUp,
    PageDown,
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
    /// Open a concern (*zorgsignaal*) or record its next step.
    Concern,
    EditNotes,
    /// A partner's own note (what they told alone): pick the partner, then edit.
    EditPrivateNote,
    WalkInForCouple,
    /// A partner's access copy (AVG art. 15): pick the partner, the copy is written.
    AccessCopy,
    /// Erase a closed file, after its number is typed again (a coordinator only).
    EraseFile,
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
    /// Show the selected referral's consent history (who, when), or its detail again.
    ConsentHistory,
    /// From the queue (a walk-in referred on) or the file pane: to the referral form.
    Refer,
    // Outcome measure and report
    Scores,
    NextPeriod,
    ChoosePeriod,
    ToggleExact,
    // Sign-in and users
    NewUser,
    Roles,
    ResetPassword,
    Deactivate,
    /// Activate a deactivated user again.
    Reactivate,
    /// Give a user another name.
    RenameUser,
    // The access log screen: choose what to see.
    Filter,
    /// The desk's settings (the retention term), from the users pane.
    Settings,
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

/// Where a key is pressed: the pane in front or the popup on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Queue,
    File,
    Planner,
    Referral,
    Report,
    Users,
    /// The coordinator's access log screen.
    Log,
    Login,
    /// A list to pick from (counsellor, outcome, a choice).
    Picker,
    /// A form with fields.
    Form,
    /// The find-a-couple popup: a search field over a result list.
    Find,
    Confirm,
    Help,
    /// The multi-line notes editor.
    Notes,
    /// The locked screen: the password field.
    Lock,
    /// The gate of an encrypted file: the list of those who can unlock it.
    Gate,
    /// The gate's password or recovery key field.
    GateInput,
}

impl Context {
    /// Whether plain characters in this context are typed text rather than commands.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Form | Context::Find | Context::Notes | Context::Lock | Context::GateInput)
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Context::Global => "ctx.global",
            Context::Queue => "ctx.queue",
            Context::File => "ctx.file",
            Context::Planner => "ctx.planner",
            Context::Referral => "ctx.referral",
            Context::Report => "ctx.report",
            Context::Users => "ctx.users",
            Context::Log => "ctx.log",
            Context::Notes => "ctx.notes",
            Context::Login => "ctx.login",
            Context::Picker => "ctx.picker",
            Context::Form => "ctx.form",
            Context::Find => "ctx.find",
            Context::Confirm => "ctx.confirm",
            Context::Help => "ctx.help",
            Context::Lock => "ctx.lock",
            Context::Gate | Context::GateInput => "ctx.gate",
        }
    }
}

/// A key as the app knows it, whatever terminal library delivered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Backspace,
    Delete,
    F(u8),
}

/// A key with the modifiers that matter to the app (shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key { code, ctrl: false, alt: false }
    }

    pub const fn ctrl(code: KeyCode) -> Self {
        Key { code, ctrl: true, alt: false }
    }

    /// How the key is written in hints and help: "n", "Enter", "Ctrl-S".
    pub fn label(&self) -> String {
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
        };
        if self.ctrl { format!("Ctrl-{}", key.to_uppercase()) } else { key }
    }
}

/// One key binding with the text that describes it: what help and the hints are built from.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub key: Key,
    pub action: Action,
    /// Key of the description in the text files.
    pub description: &'static str,
    /// Shown in the key hints at the bottom (the help overlay shows all).
    pub hint: bool,
    /// Shown (in hints and help) only in this language, such as `j` for *ja* and `y` for yes;
    /// the key works in both.
    pub shown_in: Option<crate::config::Lang>,
}

impl Binding {
    /// How the key is written in hints and help.
    pub fn key_label(&self) -> String {
        self.key.label()
    }

    /// The same binding, shown only in `lang`.
    pub fn shown_in(self, lang: crate::config::Lang) -> Self {
        Binding { shown_in: Some(lang), ..self }
    }

    /// Whether hints and help show this binding in `lang`.
    pub fn shown_for(&self, lang: crate::config::Lang) -> bool {
        self.shown_in.is_none_or(|l| l == lang)
    }
}

/// A plain key bound in `context`.
pub fn bind(
    context: Context,
    code: KeyCode,
    action: Action,
    description: &'static str,
    hint: bool,
) -> Binding {
    Binding { context, key: Key::plain(code), action, description, hint, shown_in: None }
}

/// Ctrl and a key bound in `context`.
pub fn ctrl(
    context: Context,
    code: KeyCode,
    action: Action,
    description: &'static str,
    hint: bool,
) -> Binding {
    Binding { context, key: Key::ctrl(code), action, description, hint, shown_in: None }
}

/// The list keys, shared by every context that shows a list.
pub fn list_keys(context: Context) -> [Binding; 6] {
    use KeyCode::*;
    [
        bind(context, Up, Action::Up, "key.up", false),
        bind(context, Char('k'), Action::Up, "key.up", false),
        bind(context, Down, Action::Down, "key.down", false),
        bind(context, Char('j'), Action::Down, "key.down", false),
        bind(context, Home, Action::First, "key.first", false),
        bind(context, End, Action::Last, "key.last", false),
    ]
}
