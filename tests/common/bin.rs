//! Running the real `loket` binary: with a configuration file that does not exist (the defaults)
//! and no database or language from the environment.

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_loket");

pub fn loket_command(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    // Plain files, as the tests make them with the store; the encryption tests say otherwise.
    cmd.env("LOKET_CONFIG", dir.join("no-config.toml")).env_remove("LOKET_DB").env_remove("LOKET_LANG");
    cmd.env("LOKET_PLAIN", "true");
    cmd
}

pub fn loket(dir: &Path, args: &[&str]) -> Output {
    loket_command(dir).args(args).output().expect("the binary runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failure in one line on stderr that holds `expected`.
pub fn assert_one_line_error(out: &Output, expected: &str) {
    let err = stderr(out);
    assert!(!out.status.success(), "should fail: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(expected), "expected {expected:?} in {err:?}");
}
