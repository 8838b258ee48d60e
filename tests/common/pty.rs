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

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = loket::demo::DEMO_PASSWORD;
/// The password the pseudo-terminal tests give the first user of a new file.
pub const FIRST_PASSWORD: &str = "fietsen langs de dijk";
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

/// A temporary folder for a database and a configuration path that does not exist.
pub struct Place {
    pub dir: tempfile::TempDir,
}

impl Place {
    /// An empty folder: loket starts on a new database.
    pub fn empty() -> Self {
        Place { dir: tempfile::tempdir().expect("temporary folder") }
    }

    /// Fills a fresh database with `loket demo --couples 12`: users and fictitious couples.
    pub fn demo() -> Self {
        let place = Place::empty();
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

    /// `program` to run in this place: in its folder, with the configuration that does not exist,
    /// in Dutch, no database from the environment, no fault, an xterm.
    pub fn command(&self, program: &str) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(program);
        cmd.cwd(self.path());
        cmd.env("LOKET_CONFIG", self.config());
        cmd.env("LOKET_LANG", "nl");
        cmd.env_remove("LOKET_DB");
        cmd.env_remove("LOKET_TEST_FAULT");
        // Plain files, as the tests make them with the store; the encryption tests say otherwise.
        cmd.env("LOKET_PLAIN", "true");
        cmd.env("TERM", "xterm-256color");
        cmd
    }
}

pub type Writer = Arc<Mutex<Box<dyn Write + Send>>>;

/// A program (the real binary) in a pseudo-terminal: everything it writes kept as it came and as a
/// screen, by a reader thread that also answers the terminal's questions.
pub struct Loket {
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Writer,
    pub child: Box<dyn Child + Send + Sync>,
    pub screen: Screen,
    pub bytes: Arc<Mutex<Vec<u8>>>,
    pub reader: Option<JoinHandle<()>>,
}

impl Loket {
    /// Starts `loket --db <place's db>` in a terminal of 120 × 40.
    pub fn start(place: &Place) -> Loket {
        Loket::start_with(place, &[], 120, 40)
    }

    /// Starts `loket --db <place's db> <args>` in a terminal of `cols` × `rows`.
    pub fn start_with(place: &Place, args: &[&str], cols: u16, rows: u16) -> Loket {
        let mut cmd = place.command(env!("CARGO_BIN_EXE_loket"));
        cmd.arg("--db");
        cmd.arg(place.db());
        cmd.args(args);
        Loket::spawn(cmd, cols, rows)
    }

    /// Runs `cmd` in a new terminal of `cols` × `rows`.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Loket {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("start loket");
        // Only the child holds the terminal's slave side now, so reading ends when it exits.
        drop(pair.slave);

        let parser = vt100::Parser::new_with_callbacks(nz(rows), nz(cols), 0, Answers::default());
        let screen: Screen = Arc::new(Mutex::new(parser));
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let writer: Writer = Arc::new(Mutex::new(pair.master.take_writer().expect("pty writer")));
        let mut output = pair.master.try_clone_reader().expect("pty reader");
        let (sink, log, answer) = (Arc::clone(&screen), Arc::clone(&bytes), Arc::clone(&writer));
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match output.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        log.lock().expect("log lock").extend_from_slice(&buf[..n]);
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
        Loket { master: pair.master, writer, child, screen, bytes, reader: Some(reader) }
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

    /// Resizes the terminal (and the emulator reading it), as a user dragging the window.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let mut parser = self.screen.lock().expect("screen lock");
        parser.screen_mut().set_size(nz(rows), nz(cols));
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the program to end by itself, then for the last of its output; panics if it is
    /// still running after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                self.finish_reading();
                return status;
            }
            if start.elapsed() > timeout {
                panic!("loket did not stop within {timeout:?}; the screen shows:\n{}", self.contents());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// After the child is gone: reads what it wrote last (the reader stops at the end of output).
    pub fn finish_reading(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.join().expect("pty reader thread");
        }
    }

    /// Signs in as the counsellor Sara de Boer, the last user of the demo's list: End, Enter.
    pub fn sign_in_as_counsellor(&mut self) {
        const COUNSELLOR: &str = "Sara de Boer";
        self.wait_for("Wie bent u?");
        self.send(END);
        self.wait_for(&format!("▸ {COUNSELLOR}"));
        self.send(ENTER);
        self.wait_for(&format!("Aanmelden als {COUNSELLOR}"));
        self.send(&[DEMO_PASSWORD, ENTER].concat());
        self.wait_gone("Wie bent u?");
        self.wait_for(&format!("{COUNSELLOR} (hulpverlener)"));
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
        // A failed test must not leave anything running.
        if let Ok(None) = self.child.try_wait() {
            // A program under a shell first (by its process id), then the process started here.
            if let Some(pid) = self.child.process_id()
                && let Ok(out) = std::process::Command::new("pgrep").args(["-P", &pid.to_string()]).output()
            {
                for child in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                    let _ = std::process::Command::new("kill").args(["-KILL", child]).status();
                }
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
