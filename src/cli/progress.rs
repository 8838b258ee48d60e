//! A progress bar for long commands (`loket demo --couples N`), drawn on standard output only
//! when that is a terminal: redirected to a file or a pipe, nothing is written.

use std::io::{IsTerminal, Write};

use crate::i18n::Texts;

const WIDTH: usize = 30;

/// A bar on one line, redrawn in place; at most once per whole percent.
pub struct Bar<'a> {
    texts: &'a Texts,
    shown: Option<usize>,
    on: bool,
}

impl<'a> Bar<'a> {
    /// A bar that draws only when standard output is a terminal.
    pub fn on_terminal(texts: &'a Texts) -> Bar<'a> {
        Bar { texts, shown: None, on: std::io::stdout().is_terminal() }
    }

    /// Shows `done` of `total`.
    pub fn show(&mut self, done: usize, total: usize) {
        if !self.on || total == 0 {
            return;
        }
        let percent = done.min(total) * 100 / total;
        if self.shown == Some(percent) {
            return;
        }
        self.shown = Some(percent);
        let filled = percent * WIDTH / 100;
        let words = self.texts.f("cli.demo_progress", &[("done", &done), ("total", &total)]);
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "\r[{}{}] {percent:>3}% {words}", "#".repeat(filled), ".".repeat(WIDTH - filled));
        let _ = out.flush();
    }

    /// Ends the bar's line, when one was drawn.
    pub fn finish(&mut self) {
        if self.on && self.shown.is_some() {
            println!();
        }
    }
}
