//! The terminal: set up and restored in one place (also on panic, on an error and on SIGINT,
//! SIGQUIT, SIGTERM and SIGHUP), and the event loop that turns key presses into actions.

use std::io::{self, Stdout, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::action::Action;
use crate::app::App;
use crate::{keymap, ui};

/// How often the clock on screen (and the waiting times) move on, and other processes' changes are noticed.
const TICK: Duration = Duration::from_millis(500);

/// Puts the terminal back as it was. Safe to call more than once.
/// Whether the terminal is set up (and not yet restored): restoring twice would move the cursor
/// back over what was printed in between (such as the panic message).
static SET_UP: AtomicBool = AtomicBool::new(false);

pub fn restore() {
    if SET_UP.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ =
            execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen, ratatui::crossterm::cursor::Show);
    }
}

/// Restores the terminal when dropped: on a normal end, and on an error returned with `?`.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// On a panic: restore the terminal first, then say what happened without the panic's
/// message (it could hold a couple's data), only where in the program it was.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        restore();
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("loket: internal error ({place}). What was saved is safe; please report this.");
    }));
}

/// Folders to delete when the process has to end from the signal thread (the demo's own folder).
static THROWAWAY: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Marks a folder of this run's own (created new, owner-only) to be deleted also when the terminal
/// goes away and the process is ended hard.
pub fn delete_on_forced_exit(folder: &std::path::Path) {
    if let Ok(mut folders) = THROWAWAY.lock() {
        folders.push(folder.to_owned());
    }
}

/// Deletes the folders marked by [`delete_on_forced_exit`].
fn delete_throwaway() {
    if let Ok(folders) = THROWAWAY.lock() {
        for folder in folders.iter() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// How long the event loop gets to stop by itself after a signal.
const GRACE: Duration = Duration::from_secs(1);

/// The signal that ended the session (0: none). `main` ends with 128 + this number, as a shell
/// expects of a program stopped by a signal.
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

/// The signal that asked the program to stop, if one did.
pub fn ended_by_signal() -> Option<i32> {
    match SIGNALLED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// On SIGINT, SIGQUIT, SIGTERM or SIGHUP (`kill`, a closed window or SSH session) the loop is asked
/// to stop, the terminal is restored as on a normal end and `main` ends with 128 + the signal's
/// number. When the terminal is gone, reading it can spin without returning; then, after a grace
/// period, the terminal is restored and the process ends from here. No transaction is open between
/// key presses and every write is one transaction, so nothing saved is lost and nothing
/// half-written remains.
fn watch_signals(stop: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGQUIT, SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            SIGNALLED.store(signal, Ordering::SeqCst);
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(GRACE);
            restore();
            delete_throwaway();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Where a test may ask for a fault (debug builds only, with `LOKET_TEST_FAULT=draw|loop`), to prove
/// that the terminal comes back and that no personal data is printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FaultAt {
    Draw,
    Loop,
}

fn fault_for_tests(at: FaultAt) -> bool {
    if !cfg!(debug_assertions) {
        return false;
    }
    let asked = std::env::var("LOKET_TEST_FAULT").ok();
    match (asked.as_deref(), at) {
        // The message carries a name on purpose: the panic hook must not print it.
        (Some("draw"), FaultAt::Draw) => panic!("drawing failed for IJsbrand van der Wêreld"),
        (Some("loop"), FaultAt::Loop) => true,
        _ => false,
    }
}

/// What the event loop drives: the app, or the gate before it (the sign-in that unlocks an
/// encrypted file).
pub trait Screen {
    fn draw(&self, frame: &mut ratatui::Frame);
    fn contexts(&self) -> Vec<crate::action::Context>;
    fn update(&mut self, action: Action);
    fn done(&self) -> bool;
}

impl Screen for App {
    fn draw(&self, frame: &mut ratatui::Frame) {
        ui::render(self, frame);
    }

    fn contexts(&self) -> Vec<crate::action::Context> {
        App::contexts(self)
    }

    fn update(&mut self, action: Action) {
        App::update(self, action);
    }

    fn done(&self) -> bool {
        self.quit
    }
}

impl Screen for crate::app::gate::Gate {
    fn draw(&self, frame: &mut ratatui::Frame) {
        crate::ui::gate::render(self, frame);
    }

    fn contexts(&self) -> Vec<crate::action::Context> {
        crate::app::gate::Gate::contexts(self)
    }

    fn update(&mut self, action: Action) {
        crate::app::gate::Gate::update(self, action);
    }

    fn done(&self) -> bool {
        self.quit || self.opened.is_some()
    }
}

/// The terminal, set up for as long as this lives: raw mode, the alternate screen, pasting;
/// restored when it is dropped, on a panic and on SIGINT, SIGQUIT, SIGTERM and SIGHUP.
pub struct Session {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    stop: Arc<AtomicBool>,
    _restore: Restore,
}

impl Session {
    pub fn start() -> io::Result<Session> {
        install_panic_hook();
        let stop = Arc::new(AtomicBool::new(false));
        watch_signals(Arc::clone(&stop))?;
        enable_raw_mode()?;
        SET_UP.store(true, Ordering::SeqCst);
        let restore = Restore;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        terminal.clear()?;
        Ok(Session { terminal, stop, _restore: restore })
    }

    /// Whether a signal asked the program to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Runs `screen` until it is done or the terminal goes away.
    pub fn run(&mut self, screen: &mut impl Screen) -> io::Result<()> {
        run_screen(&mut self.terminal, &self.stop, screen)
    }
}

/// Runs the app until the user quits or the terminal goes away.
pub fn run(app: &mut App) -> io::Result<()> {
    Session::start()?.run(app)
}

fn run_screen(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    stop: &AtomicBool,
    app: &mut impl Screen,
) -> io::Result<()> {
    let mut last_tick = Instant::now();
    while !app.done() && !stop.load(Ordering::Relaxed) {
        terminal.draw(|frame| {
            app.draw(frame);
            fault_for_tests(FaultAt::Draw);
        })?;
        if fault_for_tests(FaultAt::Loop) {
            return Err(io::Error::other("a fault asked for by a test"));
        }
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(timeout)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    if let Some(action) = keymap::resolve(&app.contexts(), &key) {
                        app.update(action);
                    }
                }
                Event::Paste(text) => app.update(Action::Paste(text)),
                _ => {} // a resize is handled by drawing again
            }
        }
        if last_tick.elapsed() >= TICK {
            app.update(Action::Tick);
            last_tick = Instant::now();
        }
    }
    Ok(())
}
