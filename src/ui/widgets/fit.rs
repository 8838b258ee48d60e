//! Text that fits its room: widths in terminal columns, words wrapped by hand (so a pane knows how
//! many lines a text takes before it draws), and a cut that shows itself ("…") instead of a silent one.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The mark at the end of a text that had to be cut.
pub const ELLIPSIS: &str = "…";

/// Fewer columns than this left for a name that may go (a counsellor's in a header line): it goes,
/// rather than show as "Ha…".
pub const MIN_NAME_ROOM: usize = 6;

/// Terminal columns taken by `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` whole when it fits in `max` columns; otherwise as much as fits, ending in "…".
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.width() <= max { text.to_owned() } else { cut(text, max) }
}

/// `text` cut to end in "…" within `max` columns, also when it would fit: for the last line shown
/// of a text that goes on. A cut never ends in a separator or an opening bracket
/// ("Berg, Jan van den…", not "Berg, Jan van den &…").
pub fn cut(text: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        kept.push(c);
        used += w;
    }
    let kept = kept.trim_end_matches([' ', ',', ';', ':', '·', '&', '(', '[', '-', '–']);
    format!("{kept}{ELLIPSIS}")
}

/// `text` in at most `max` columns, for a heading: whole when it fits; else without its closing
/// remark in brackets ("Levensgebeurtenissen (stellen in de periode)" → "Levensgebeurtenissen"),
/// ending in "…" only if even that is too wide. Never a bracket left open.
pub fn shorten(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_owned();
    }
    match text.rfind(" (").filter(|_| text.ends_with(')')) {
        Some(at) => ellipsize(&text[..at], max),
        None => ellipsize(text, max),
    }
}

/// A space that does not break a line: [`keep_together`] puts it between the words of a phrase
/// (a name), and [`wrap`] turns it back into a plain space.
const GLUE: char = '\u{a0}';

/// `text` with the spaces inside each of `phrases` glued, so that [`wrap`] never breaks a line in
/// the middle of a name ("… van Zoë" / "Öztürk.").
pub fn keep_together(text: &str, phrases: &[String]) -> String {
    phrases.iter().filter(|p| !p.is_empty()).fold(text.to_owned(), |acc, phrase| {
        acc.replace(phrase.as_str(), &phrase.replace(' ', &GLUE.to_string()))
    })
}

/// Wraps `text` at spaces into lines of at most `max` columns. The first line starts with `lead`,
/// the following lines with `hang` spaces. A word longer than a line is broken where it must.
pub fn wrap(lead: &str, text: &str, max: usize, hang: usize) -> Vec<String> {
    let max = max.max(1);
    let indent = " ".repeat(hang.min(max.saturating_sub(1)));
    let mut lines = Vec::new();
    let mut line = lead.to_owned();
    let mut empty = true; // no word on `line` yet
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let gap = usize::from(!empty);
        if !empty && line.width() + gap + word.width() > max {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        for c in word.chars() {
            if line.width() + c.width().unwrap_or(0) > max && line.trim().chars().count() > 0 {
                lines.push(std::mem::replace(&mut line, indent.clone()));
            }
            line.push(c);
        }
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| l.replace(GLUE, " ")).collect()
}

/// One part of a summary line: its full form, a shorter form for narrow windows, and how much it
/// matters (parts with the lowest `rank` are the first to go when even the short forms don't fit).
pub struct Part {
    pub long: String,
    pub short: String,
    pub rank: u8,
}

/// Joins the parts with `separator` in at most `max` columns: all long forms if they fit, else all
/// short forms, else the short forms without the least important parts. Parts are kept or left
/// out whole; the first part (never left out) is cut with "…" only when it alone is too wide.
pub fn fit_parts(parts: &[Part], separator: &str, max: usize) -> String {
    let join = |texts: Vec<&str>| texts.join(separator);
    let long = join(parts.iter().map(|p| p.long.as_str()).collect());
    if long.width() <= max {
        return long;
    }
    let mut kept: Vec<&Part> = parts.iter().collect();
    loop {
        let short = join(kept.iter().map(|p| p.short.as_str()).collect());
        if short.width() <= max || kept.len() <= 1 {
            return ellipsize(&short, max);
        }
        let (drop, _) =
            kept.iter().enumerate().skip(1).min_by_key(|(i, p)| (p.rank, usize::MAX - i)).expect("two parts");
        kept.remove(drop);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_shows_itself_and_never_ends_in_a_separator() {
        assert_eq!(ellipsize("Öztürk, Ayşe", 12), "Öztürk, Ayşe");
        assert_eq!(ellipsize("Berg, Jan van den & El Amrani, Mo", 20), "Berg, Jan van den…");
        assert_eq!(ellipsize("in gesprek · Pieter Kok", 14), "in gesprek…");
        assert_eq!(ellipsize("abc", 0), "");
        assert_eq!(cut("Reden: Vastgelopen communicatie;", 40), "Reden: Vastgelopen communicatie…");
    }

    #[test]
    fn a_heading_loses_its_remark_in_brackets_first() {
        let heading = "Levensgebeurtenissen (stellen in de periode)";
        assert_eq!(shorten(heading, 80), heading);
        assert_eq!(shorten(heading, 25), "Levensgebeurtenissen");
        assert_eq!(shorten(heading, 12), "Levensgebeu…");
        assert_eq!(
            shorten("Mean change per partner (first → last measure, 0–10)", 25),
            "Mean change per partner"
        );
    }

    #[test]
    fn words_wrap_with_a_hanging_indent() {
        let lines = wrap("  ", "Zoë Öztürk: ingetrokken op 02-12-2026", 24, 4);
        assert_eq!(lines, ["  Zoë Öztürk:", "    ingetrokken op", "    02-12-2026"]);
        assert_eq!(wrap("", "", 10, 0), [""]);
        assert_eq!(wrap("", "abcdefghij", 4, 0), ["abcd", "efgh", "ij"]);
        let names = ["Zoë Öztürk".to_owned()];
        let text = keep_together("ontbreekt van Jan & Zoë Öztürk.", &names);
        assert_eq!(wrap("", &text, 22, 0), ["ontbreekt van Jan &", "Zoë Öztürk."]);
    }

    #[test]
    fn parts_go_short_then_whole_parts_go() {
        let part = |long: &str, short: &str, rank| Part { long: long.into(), short: short.into(), rank };
        let parts = [
            part("2 waiting", "2 waiting", 9),
            part("avg. wait 14 min", "avg. 14 min", 2),
            part("longest 18 min", "max. 18 min", 1),
            part("1 finished (hidden, f shows)", "1 finished (f shows)", 5),
        ];
        assert_eq!(
            fit_parts(&parts, " · ", 80),
            "2 waiting · avg. wait 14 min · longest 18 min · 1 finished (hidden, f shows)"
        );
        assert_eq!(
            fit_parts(&parts, " · ", 60),
            "2 waiting · avg. 14 min · max. 18 min · 1 finished (f shows)"
        );
        assert_eq!(fit_parts(&parts, " · ", 50), "2 waiting · avg. 14 min · 1 finished (f shows)");
        assert_eq!(fit_parts(&parts, " · ", 8), "2 waiti…");
    }
}
