//! The capitalised form of a name typed in lower (or upper) case: what the walk-in form offers
//! before it saves ("berg, jan" → "Berg, Jan"), never applied without asking.
//!
//! Dutch rules: given names and surnames start with a capital, the digraph IJ is capitalised as
//! one letter ("IJsbrand", "IJzerman"), and a surname prefix (*tussenvoegsel*) written after the
//! given name is lower case ("Jan van der Berg"). A prefix typed into the surname field
//! ("van der berg") is offered as the prefix. A word already written in mixed case ("McDonald",
//! "DeVries") keeps its inner capitals.

use super::names::{PREFIX_WORDS, PersonName, fold};

/// The name as it is usually written; equal to `name` when it already is.
pub fn capitalised(name: &PersonName) -> PersonName {
    let (prefix, surname) = if name.prefix.trim().is_empty() {
        split_prefix(&name.surname)
    } else {
        (name.prefix.clone(), name.surname.clone())
    };
    let prefix = if is_prefix(&prefix) { prefix.to_lowercase() } else { prefix };
    PersonName { given: capitalise_words(&name.given), prefix, surname: capitalise_words(&surname) }
}

/// Whether every word of `text` is a known prefix word ("van der", "'t").
fn is_prefix(text: &str) -> bool {
    let words: Vec<String> = text.split_whitespace().map(fold).collect();
    !words.is_empty() && words.iter().all(|w| PREFIX_WORDS.contains(&w.as_str()))
}

/// A surname typed with its prefix ("van der berg"): the prefix words in front, when at least
/// one word that is not a prefix follows them. Otherwise no prefix, the surname as it was.
fn split_prefix(surname: &str) -> (String, String) {
    let words: Vec<&str> = surname.split_whitespace().collect();
    let leading = words.iter().take_while(|w| PREFIX_WORDS.contains(&fold(w).as_str())).count();
    if leading == 0 || leading == words.len() {
        return (String::new(), surname.to_owned());
    }
    (words[..leading].join(" "), words[leading..].join(" "))
}

/// Each word (and each part of a double name: "anne-marie") starts with a capital.
fn capitalise_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c == ' ' || c == '-' {
            out.push_str(&capitalise_word(&word));
            out.push(c);
            word.clear();
        } else {
            word.push(c);
        }
    }
    out.push_str(&capitalise_word(&word));
    out
}

/// One word with a capital: "jan" and "JAN" become "Jan", "ijsbrand" "IJsbrand"; a word in mixed
/// case only gets its first letter (or IJ) capitalised.
fn capitalise_word(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    let has_lower = letters.clone().any(char::is_lowercase);
    let has_upper = letters.clone().skip(1).any(char::is_uppercase);
    let rest_lower = !(has_lower && has_upper);
    let mut chars = word.chars().peekable();
    let mut out = String::with_capacity(word.len());
    let Some(first) = chars.next() else { return out };
    out.extend(first.to_uppercase());
    if matches!(first, 'i' | 'I') && matches!(chars.peek(), Some('j' | 'J')) {
        chars.next();
        out.push('J');
    }
    for c in chars {
        if rest_lower {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(given: &str, prefix: &str, surname: &str) -> (String, String, String) {
        let n = capitalised(&PersonName::new(given, prefix, surname));
        (n.given, n.prefix, n.surname)
    }

    fn name(given: &str, prefix: &str, surname: &str) -> (String, String, String) {
        (given.to_owned(), prefix.to_owned(), surname.to_owned())
    }

    #[test]
    fn lower_case_names_get_capitals_and_prefixes_stay_lower_case() {
        assert_eq!(cap("jan", "", "berg"), name("Jan", "", "Berg"));
        assert_eq!(cap("jan", "Van Der", "berg"), name("Jan", "van der", "Berg"));
        assert_eq!(cap("ijsbrand", "van der", "wêreld"), name("IJsbrand", "van der", "Wêreld"));
        assert_eq!(cap("anne-marie", "", "el amrani"), name("Anne-Marie", "", "El Amrani"));
        assert_eq!(cap("JAN", "", "IJZERMAN"), name("Jan", "", "IJzerman"));
        assert_eq!(cap("zoë", "'T", "hart"), name("Zoë", "'t", "Hart"));
        assert_eq!(cap("ayşe", "", "öztürk"), name("Ayşe", "", "Öztürk"));
    }

    #[test]
    fn a_prefix_typed_in_the_surname_is_offered_as_the_prefix() {
        assert_eq!(cap("jan", "", "van der berg"), name("Jan", "van der", "Berg"));
        assert_eq!(cap("piet", "", "de"), name("Piet", "", "De"));
    }

    #[test]
    fn names_written_with_care_are_left_as_they_are() {
        for (g, p, s) in [("IJsbrand", "van der", "Wêreld"), ("Mo", "", "McDonald"), ("Els", "", "DeVries")]
        {
            assert_eq!(cap(g, p, s), name(g, p, s));
        }
        // A prefix field holding something else than prefix words keeps its case.
        assert_eq!(cap("Jan", "Xy", "Berg"), name("Jan", "Xy", "Berg"));
    }
}
