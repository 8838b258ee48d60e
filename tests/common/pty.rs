//! What the pseudo-terminal tests share: key presses as bytes, the answers a terminal gives, and
//! waiting for the screen.

use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a screen may take to show what a test waits for.
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";
pub const CTRL_N: &str = "\x0e";
pub const CTRL_S: &str = "\x13";
pub const CTRL_U: &str = "\x15";
pub const RIGHT: &str = "\x1b[C";
pub const DOWN: &str = "\x1b[B";
pub const HOME: &str = "\x1b[H";
pub const END: &str = "\x1b[F";

pub type Screen = Arc<Mutex<vt100::Parser<Answers>>>;

/// What a real terminal answers that the program asks: crossterm asks where the cursor is
/// (`ESC [ 6 n`) when ratatui clears the screen, at the start and after a resize.
#[derive(Default)]
pub struct Answers {
    pub cursor_requests: usize,
}

impl vt100::Callbacks for Answers {
    fn unhandled_csi(
        &mut self,
        _: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        if c == 'n' && i1.is_none() && params == [&[6][..]] {
            self.cursor_requests += 1;
        }
    }
}

pub fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is never zero")
}

/// The text on the screen now, row by row.
pub fn contents(screen: &Screen) -> String {
    screen.lock().expect("screen lock").screen().contents()
}

/// Waits until `pred` holds for the screen's text; panics with the whole screen when it does not
/// within `timeout`. Returns the screen's text at that moment.
pub fn wait_until(screen: &Screen, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = contents(screen);
        if pred(&text) {
            return text;
        }
        if start.elapsed() > timeout {
            panic!(
                "timed out after {timeout:?} waiting for {what}; the screen shows:\n{text}\n(end of screen)"
            );
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The screen line that holds `needle`; panics with the screen when there is none.
pub fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} on the screen:\n{screen}"))
        .to_owned()
}
