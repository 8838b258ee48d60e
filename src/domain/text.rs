//! Cleaning of text typed or pasted by a user, before it is stored.

use unicode_normalization::UnicodeNormalization;

/// Longest name part (given name, prefix, surname) we store, in characters.
pub const NAME_MAX: usize = 60;
/// Longest one-line note, in characters.
pub const NOTE_MAX: usize = 300;

/// Characters that can make text lie about itself on screen: bidi controls
/// (overrides, embeddings, isolates, marks) and invisible zero-width ones.
/// The zero-width joiner and non-joiner (U+200D, U+200C) are not among them: emoji sequences,
/// Persian and several Indic scripts need them; [`keeps_joiner`] decides where they stay.
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
        || c.is_control()
}

/// Scripts whose letters never join: Latin (with IPA and the combining marks), Greek and
/// Cyrillic, and the digits, punctuation and spaces of the first blocks.
fn never_joins(c: char) -> bool {
    matches!(c as u32, 0x0000..=0x052F | 0x1E00..=0x1FFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

/// Whether a zero-width joiner or non-joiner between `before` and `after` means something: only
/// between two characters of a script that joins or of an emoji sequence. In "Jan\u{200D}sen"
/// (or at either end) it means nothing, hides the name from the duplicate check and the search,
/// and some terminals draw it as a cell; there it goes.
fn keeps_joiner(before: Option<char>, after: Option<char>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if !never_joins(b) && !never_joins(a))
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Normalises a one-line value: NFC, dangerous and control characters removed, joiners that
/// join nothing removed, runs of white space collapsed to one space, trimmed.
pub fn clean_line(raw: &str) -> String {
    let chars: Vec<char> =
        raw.nfc().map(|c| if c.is_whitespace() { ' ' } else { c }).filter(|c| !is_dangerous(*c)).collect();
    let mut kept = String::with_capacity(raw.len());
    for (i, &c) in chars.iter().enumerate() {
        if is_joiner(c) {
            let before = chars[..i].iter().rev().copied().find(|c| !is_joiner(*c));
            let after = chars[i + 1..].iter().copied().find(|c| !is_joiner(*c));
            if !keeps_joiner(before, after) {
                continue;
            }
        }
        kept.push(c);
    }
    kept.split(' ').filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    Empty,
    TooLong { max: usize },
}

/// Cleans a value and checks it against a length limit; `required` refuses an empty result.
pub fn checked_line(raw: &str, max: usize, required: bool) -> Result<String, TextProblem> {
    let cleaned = clean_line(raw);
    if required && cleaned.is_empty() {
        return Err(TextProblem::Empty);
    }
    if cleaned.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_becomes_nfc() {
        let nfd = "We\u{0302}reld"; // e + combining circumflex
        assert_eq!(clean_line(nfd), "Wêreld");
        assert_eq!(clean_line(nfd).chars().count(), 6);
    }

    #[test]
    fn bidi_zero_width_and_controls_are_removed() {
        assert_eq!(clean_line("Jan\u{202E}sen"), "Jansen");
        assert_eq!(clean_line("A\u{200B}n\u{2066}na\u{0007}"), "Anna");
        assert_eq!(clean_line("  Jan \t\n de   Vries "), "Jan de Vries");
    }

    #[test]
    fn joiners_in_emoji_and_scripts_survive() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(clean_line(family), family);
        assert_eq!(clean_line("مريم"), "مريم");
        assert_eq!(clean_line("אבי"), "אבי");
        assert_eq!(clean_line("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn joiners_between_latin_letters_or_at_the_ends_go() {
        assert_eq!(clean_line("Jan\u{200D}sen"), "Jansen");
        assert_eq!(clean_line("Jan\u{200C}sen"), "Jansen");
        assert_eq!(clean_line("\u{200D}Els\u{200D}"), "Els");
        assert_eq!(clean_line("Öz\u{200D}\u{200D}türk"), "Öztürk");
        assert_eq!(clean_line("Ελ\u{200D}ένη Пет\u{200D}ров"), "Ελένη Петров");
        assert_eq!(clean_line("Jan \u{200D}👩"), "Jan 👩");
        // Where it joins, it stays: Devanagari (क्‍ष), an emoji sequence, Persian.
        assert_eq!(clean_line("क्\u{200D}ष"), "क्\u{200D}ष");
        assert_eq!(clean_line("👩\u{200D}💻"), "👩\u{200D}💻");
    }

    #[test]
    fn limits_and_required() {
        assert_eq!(checked_line("   ", 10, true), Err(TextProblem::Empty));
        assert_eq!(checked_line("", 10, false), Ok(String::new()));
        assert_eq!(checked_line("abcdefghijk", 10, true), Err(TextProblem::TooLong { max: 10 }));
        assert_eq!(checked_line("ëëëëëëëëëë", 10, true).map(|s| s.chars().count()), Ok(10));
    }
}
