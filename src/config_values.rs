//! Text values in the configuration that would break something elsewhere or make a choice
//! ambiguous (issue 14, point 15): a control character (a line break in a room's name reaches the
//! `.ics` file and the CSV files) and a room or party code named twice. Each is refused with the
//! line it is on, read from the user's own file.

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, ConfigProblem};

/// Whether a value holds a character that breaks a line or a field: a control character (line
/// breaks, tabs, escapes) or a Unicode line or paragraph separator.
pub(super) fn has_control(value: &str) -> bool {
    value.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// The name a room or party code is compared by: two that differ only in case or surrounding
/// spaces are the same to the desk.
fn folded(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The 1-based line of byte `at` in `text`.
fn line_at(text: &str, at: usize) -> Option<usize> {
    Some(text.get(..at.min(text.len()))?.matches('\n').count() + 1)
}

fn refused(text: &str, value: &Spanned<String>, problem: ConfigProblem) -> ConfigError {
    ConfigError { line: line_at(text, value.span().start), problem }
}

/// Refuses a control character in `values` (the setting `key`).
fn no_control(text: &str, key: &str, values: &[Spanned<String>]) -> Result<(), ConfigError> {
    match values.iter().find(|v| has_control(v.get_ref())) {
        Some(v) => Err(refused(
            text,
            v,
            ConfigProblem::ControlCharacter { key: key.to_owned(), value: v.get_ref().clone() },
        )),
        None => Ok(()),
    }
}

/// The second of two values that are the same (`folded`), if any.
fn second_of_two(values: &[Spanned<String>]) -> Option<&Spanned<String>> {
    let mut seen = std::collections::HashSet::new();
    values.iter().find(|v| !seen.insert(folded(v.get_ref())))
}

#[derive(Deserialize)]
struct Rooms {
    #[serde(default)]
    rooms: Vec<Spanned<String>>,
}

/// Checks the rooms of a user's configuration file (already known to be well-formed).
pub(super) fn check_rooms(text: &str) -> Result<(), ConfigError> {
    let Ok(file) = toml::from_str::<Rooms>(text) else { return Ok(()) };
    no_control(text, "rooms", &file.rooms)?;
    match second_of_two(&file.rooms) {
        Some(v) => Err(refused(text, v, ConfigProblem::DuplicateRoom(v.get_ref().clone()))),
        None => Ok(()),
    }
}

#[derive(Deserialize)]
struct Parties {
    party: Vec<PartyText>,
}

#[derive(Deserialize)]
struct PartyText {
    code: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    name_en: Option<Spanned<String>>,
    contact: Spanned<String>,
    #[serde(default)]
    contact_en: Option<Spanned<String>>,
    #[serde(default)]
    facts: Vec<Spanned<String>>,
    #[serde(default)]
    facts_en: Vec<Spanned<String>>,
}

/// Checks a list of referral parties (already known to be well-formed).
pub(super) fn check_parties(text: &str) -> Result<(), ConfigError> {
    let Ok(file) = toml::from_str::<Parties>(text) else { return Ok(()) };
    for party in &file.party {
        no_control(text, "code", std::slice::from_ref(&party.code))?;
        no_control(text, "name", std::slice::from_ref(&party.name))?;
        no_control(text, "contact", std::slice::from_ref(&party.contact))?;
        no_control(text, "name_en", party.name_en.as_slice())?;
        no_control(text, "contact_en", party.contact_en.as_slice())?;
        no_control(text, "facts", &party.facts)?;
        no_control(text, "facts_en", &party.facts_en)?;
    }
    let codes: Vec<Spanned<String>> = file.party.into_iter().map(|p| p.code).collect();
    match second_of_two(&codes) {
        Some(v) => Err(refused(text, v, ConfigProblem::DuplicateParty(v.get_ref().clone()))),
        None => Ok(()),
    }
}

/// The rooms as the program holds them (the defaults and a merged file): the same rules, without a
/// line.
pub(super) fn rooms_problem(rooms: &[String]) -> Option<ConfigProblem> {
    if let Some(room) = rooms.iter().find(|r| has_control(r)) {
        return Some(ConfigProblem::ControlCharacter { key: "rooms".into(), value: room.clone() });
    }
    let mut seen = std::collections::HashSet::new();
    rooms.iter().find(|r| !seen.insert(folded(r))).map(|r| ConfigProblem::DuplicateRoom(r.clone()))
}
