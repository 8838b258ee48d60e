//! Dutch personal names: the surname prefix (*tussenvoegsel*), display and sorting.

use unicode_normalization::UnicodeNormalization;

/// A person's name as the desk records it: given name, prefix ("van der") and surname.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonName {
    pub given: String,
    pub prefix: String,
    pub surname: String,
}

impl PersonName {
    pub fn new(given: &str, prefix: &str, surname: &str) -> Self {
        Self { given: given.to_owned(), prefix: prefix.to_owned(), surname: surname.to_owned() }
    }

    /// Natural order: "IJsbrand van der Wêreld".
    pub fn full(&self) -> String {
        join_nonempty(&[&self.given, &self.prefix, &self.surname])
    }

    /// List order, sorted on the main part of the surname: "Wêreld, IJsbrand van der".
    pub fn sortable(&self) -> String {
        let rest = join_nonempty(&[&self.given, &self.prefix]);
        if rest.is_empty() { self.surname.clone() } else { format!("{}, {}", self.surname, rest) }
    }

    /// Key to sort and search on: surname without prefix, then given name, folded.
    pub fn sort_key(&self) -> String {
        format!("{} {} {}", fold(&self.surname), fold(&self.given), fold(&self.prefix))
    }

    /// Initials with the surname: "I. van der W." — for places where a full name is too much.
    pub fn initials(&self) -> String {
        let first = |s: &str| first_letter(s).map(|c| format!("{c}.")).unwrap_or_default();
        join_nonempty(&[&first(&self.given), &self.prefix, &first(&self.surname)])
    }
}

fn join_nonempty(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// The first letter of a name, treating the Dutch digraph IJ as one letter.
fn first_letter(s: &str) -> Option<String> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if matches!(c, 'I' | 'i') && matches!(chars.next(), Some('J' | 'j')) {
        return Some("IJ".to_owned());
    }
    Some(c.to_uppercase().collect())
}

/// Words that are surname prefixes (*tussenvoegsels*) rather than names, when searching.
pub const PREFIX_WORDS: &[&str] = &[
    "van", "der", "den", "de", "het", "'t", "t", "te", "ter", "ten", "in", "op", "la", "le", "du", "von",
    "d'",
];

/// Whether a (folded) search word is a prefix word or part of one ("t" of "'t", "d" of "d'").
pub fn is_prefix_word(word: &str) -> bool {
    PREFIX_WORDS.iter().any(|p| search_words(p).any(|part| part == word))
}

/// Whether every word of a folded query starts one of the words of this name.
pub fn matches_words(name: &PersonName, words: &[String]) -> bool {
    let haystack = fold(&format!("{} {} {}", name.given, name.prefix, name.surname));
    let tokens: Vec<&str> = haystack.split_whitespace().collect();
    words.iter().all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
}

/// The words of a query or a name as the full-text index of the store splits them: at every ASCII character
/// that is not a letter or digit (space, hyphen, apostrophe, full stop…), as the `ascii`
/// tokenizer of `partner_words` does; every other character belongs to a word.
pub fn search_words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// Invisible characters that never make a name another name: zero-width space, (non-)joiner,
/// word joiner, byte-order mark and soft hyphen. Folded out, so that "Jan\u{200D}sen" is "jansen".
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// The first of `items` whose name (`name_of`) is `name` as typed, in any case and with or
/// without accents (compared [`fold`]ed): how the command line finds the user of `--user`.
pub fn find_named<T>(
    items: impl IntoIterator<Item = T>,
    name: &str,
    name_of: impl Fn(&T) -> &str,
) -> Option<T> {
    let wanted = fold(name);
    items.into_iter().find(|item| fold(name_of(item)) == wanted)
}

/// Whether two names are the same person's name as the desk compares them: [`fold`]ed, whatever
/// their case, diacritics or spacing ("Sara de Boer", "sara  de boer" and "Sára de Boer" are one).
pub fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    key(a) == key(b)
}

/// Folds text for searching and sorting: lower case, diacritics and invisible characters removed,
/// so that "Wêreld" and "wereld", "Öztürk" and "ozturk", "Jan\u{200D}sen" and "jansen" meet.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c) && !is_invisible(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'ß' => out.push('s'),
            'ø' => out.push('o'),
            'æ' => out.push('a'),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            // The IJ written as one character (Ĳ, ĳ) folds like the two letters.
            'ĳ' => out.push_str("ij"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ijsbrand() -> PersonName {
        PersonName::new("IJsbrand", "van der", "Wêreld")
    }

    #[test]
    fn displays_dutch_style() {
        assert_eq!(ijsbrand().full(), "IJsbrand van der Wêreld");
        assert_eq!(ijsbrand().sortable(), "Wêreld, IJsbrand van der");
        assert_eq!(PersonName::new("Ayşe", "", "Öztürk").sortable(), "Öztürk, Ayşe");
        assert_eq!(ijsbrand().initials(), "IJ. van der W.");
    }

    #[test]
    fn prefix_sorts_under_the_main_surname() {
        let mut names = [
            PersonName::new("Jan", "van den", "Berg"),
            ijsbrand(),
            PersonName::new("Anna", "", "Visser"),
            PersonName::new("Piet", "de", "Aalst"),
        ];
        names.sort_by_key(PersonName::sort_key);
        let order: Vec<_> = names.iter().map(|n| n.surname.as_str()).collect();
        assert_eq!(order, ["Aalst", "Berg", "Visser", "Wêreld"]);
    }

    #[test]
    fn folding_removes_diacritics_and_case() {
        assert_eq!(fold("Wêreld"), "wereld");
        assert_eq!(fold("Öztürk"), "ozturk");
        assert_eq!(fold("IJsbrand"), "ijsbrand");
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("Yılmaz"), "yilmaz");
        assert_eq!(fold("\u{0132}sbrand"), "ijsbrand");
        assert_eq!(fold("Jan\u{200D}sen"), "jansen");
        assert_eq!(fold("Jan\u{200C}s\u{200B}e\u{2060}n\u{FEFF}s\u{00AD}en"), "jansensen");
    }
}
