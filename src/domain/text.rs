//! Cleaning of text typed or pasted by a user, before it is stored.

use unicode_normalization::UnicodeNormalization;

/// Longest name part (given name, prefix, surname) we store, in characters.
pub const NAME_MAX: usize = 60;
/// Longest one-line note, in characters.
pub const NOTE_MAX: usize = 300;

/// Characters that can make text lie about itself on screen: bidi controls
/// (overrides, embeddings, isolates, marks) and invisible zero-width ones.
/// The zero-width joiner and non-joiner (U+200D, U+200C) stay: emoji sequences, Persian and
/// several Indic scripts need them.
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
        || c.is_control()
}

/// Normalises a one-line value: NFC, dangerous and control characters removed,
/// runs of white space collapsed to one space, trimmed.
pub fn clean_line(raw: &str) -> String {
    let nfc: String =
        raw.nfc().map(|c| if c.is_whitespace() { ' ' } else { c }).filter(|c| !is_dangerous(*c)).collect();
    nfc.split(' ').filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
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
    fn limits_and_required() {
        assert_eq!(checked_line("   ", 10, true), Err(TextProblem::Empty));
        assert_eq!(checked_line("", 10, false), Ok(String::new()));
        assert_eq!(checked_line("abcdefghijk", 10, true), Err(TextProblem::TooLong { max: 10 }));
        assert_eq!(checked_line("ëëëëëëëëëë", 10, true).map(|s| s.chars().count()), Ok(10));
    }
}
