//! What the pseudo-terminal tests share: key presses as bytes, the answers a terminal gives, and
//! waiting for the screen.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

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

/// A temporary folder with a demo database: `loket demo --couples 12` (users and fictitious couples).
pub struct Place {
    pub dir: tempfile::TempDir,
}

impl Place {
    /// Fills a fresh database with `loket demo --couples 12`: users and fictitious couples.
    pub fn demo() -> Self {
        let place = Place { dir: tempfile::tempdir().expect("temporary folder") };
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_loket"))
            .args(["demo", "--couples", "12", "--db"])
            .arg(place.db())
            .current_dir(place.path())
            .env("LOKET_CONFIG", place.config())
            .env("LOKET_LANG", "nl")
            .env_remove("LOKET_DB")
            .output()
            .expect("run loket demo");
        assert!(
            output.status.success(),
            "loket demo failed: {:?}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        place
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("no-such-config.toml")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

pub type Writer = Arc<Mutex<Box<dyn Write + Send>>>;

/// The real binary running in a 120×40 pseudo-terminal, its screen kept up to date by a reader thread.
pub struct Loket {
    // Kept so that the terminal stays open while the program runs.
    pub _master: Box<dyn MasterPty + Send>,
    pub writer: Writer,
    pub child: Box<dyn Child + Send + Sync>,
    pub screen: Screen,
    pub reader: Option<JoinHandle<()>>,
}

impl Loket {
    /// Starts `loket --db <place's db>` in a terminal of 120 × 40.
    pub fn start(place: &Place) -> Loket {
        let (cols, rows) = (120, 40);
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_loket"));
        cmd.arg("--db");
        cmd.arg(place.db());
        cmd.cwd(place.path());
        cmd.env("LOKET_CONFIG", place.config());
        cmd.env("LOKET_LANG", "nl");
        cmd.env_remove("LOKET_DB");
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("start loket");
        // Only the child holds the terminal's slave side now, so reading ends when it exits.
        drop(pair.slave);

        let parser = vt100::Parser::new_with_callbacks(nz(rows), nz(cols), 0, Answers::default());
        let screen: Screen = Arc::new(Mutex::new(parser));
        let writer: Writer = Arc::new(Mutex::new(pair.master.take_writer().expect("pty writer")));
        let mut output = pair.master.try_clone_reader().expect("pty reader");
        let (sink, answer) = (Arc::clone(&screen), Arc::clone(&writer));
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match output.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut parser = sink.lock().expect("screen lock");
                        parser.process(&buf[..n]);
                        let asked = std::mem::take(&mut parser.callbacks_mut().cursor_requests);
                        let (row, col) = parser.screen().cursor_position();
                        drop(parser);
                        for _ in 0..asked {
                            let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                            let mut w = answer.lock().expect("writer lock");
                            let _ = w.write_all(reply.as_bytes()).and_then(|()| w.flush());
                        }
                    }
                }
            }
        });
        Loket { _master: pair.master, writer, child, screen, reader: Some(reader) }
    }

    /// Types keys: the bytes a terminal sends for them.
    pub fn send(&mut self, keys: &str) {
        let mut writer = self.writer.lock().expect("writer lock");
        writer.write_all(keys.as_bytes()).expect("write to the pty");
        writer.flush().expect("flush the pty");
    }

    /// Waits until `text` is on the screen; panics with the whole screen when it is not.
    pub fn wait_for(&self, text: &str) -> String {
        wait_until(&self.screen, &format!("{text:?}"), TIMEOUT, |s| s.contains(text))
    }

    pub fn wait_gone(&self, text: &str) -> String {
        wait_until(&self.screen, &format!("{text:?} to go away"), TIMEOUT, |s| !s.contains(text))
    }

    pub fn contents(&self) -> String {
        contents(&self.screen)
    }

    /// Waits for the program to end by itself; panics if it is still running after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                if let Some(reader) = self.reader.take() {
                    reader.join().expect("pty reader thread");
                }
                return status;
            }
            if start.elapsed() > timeout {
                panic!("loket did not stop within {timeout:?}; the screen shows:\n{}", self.contents());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Quits with `q` and checks that loket ends with success.
    pub fn quit(&mut self) {
        self.send("q");
        let status = self.wait_exit(TIMEOUT);
        assert!(status.success(), "exit status after q: {status:?}");
    }
}

impl Drop for Loket {
    fn drop(&mut self) {
        // A failed test must not leave the program running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
