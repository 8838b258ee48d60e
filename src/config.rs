//! The configuration: defaults embedded in the program, a user's TOML file over them.

use std::fmt;
use std::path::Path;

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// The defaults, shipped inside the binary so that no file is needed.
pub const DEFAULT_TOML: &str = include_str!("../assets/config.default.toml");

/// The shipped referral parties.
pub const DEFAULT_PARTIES: &str = include_str!("../assets/referral_parties.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyFile {
    party: Vec<crate::domain::referral::Party>,
}

/// Reads a list of referral parties; a mistake names its line.
pub fn parse_parties(text: &str) -> Result<Vec<crate::domain::referral::Party>, ConfigError> {
    check_syntax(text)?;
    let file: PartyFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    if file.party.is_empty() {
        return Err(ConfigError { line: None, problem: ConfigProblem::NoParties });
    }
    values::check_parties(text)?;
    Ok(file.party)
}

/// A screen language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (use nl or en)")),
        }
    }
}

/// A weekday written the Dutch or the English way: "wo", "woensdag", "wed", "wednesday".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day(pub Weekday);

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let lower = s.trim().to_lowercase();
        let day = match lower.as_str() {
            "ma" | "maandag" | "mon" | "monday" => Weekday::Mon,
            "di" | "dinsdag" | "tue" | "tuesday" => Weekday::Tue,
            "wo" | "woensdag" | "wed" | "wednesday" => Weekday::Wed,
            "do" | "donderdag" | "thu" | "thursday" => Weekday::Thu,
            "vr" | "vrijdag" | "fri" | "friday" => Weekday::Fri,
            "za" | "zaterdag" | "sat" | "saturday" => Weekday::Sat,
            "zo" | "zondag" | "sun" | "sunday" => Weekday::Sun,
            _ => return Err(format!("unknown weekday '{s}' (use ma, di, wo, do, vr, za or zo)")),
        };
        Ok(Day(day))
    }
}

impl From<Day> for String {
    fn from(d: Day) -> String {
        ["ma", "di", "wo", "do", "vr", "za", "zo"][d.0.num_days_from_monday() as usize].to_owned()
    }
}

/// A time of day written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Clock(pub NaiveTime);

impl TryFrom<String> for Clock {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map(Clock)
            .map_err(|_| format!("'{s}' is not a time of day (write it as 09:30)"))
    }
}

impl From<Clock> for String {
    fn from(c: Clock) -> String {
        c.0.format("%H:%M").to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkInHour {
    pub weekday: Day,
    pub start: Clock,
    pub end: Clock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    pub days: Vec<Day>,
    pub start: Clock,
    pub end: Clock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub funded_trajectories: u32,
    pub euros: u32,
}

/// The longest a desk may stay unlocked without a key, in minutes.
pub const MAX_LOCK_MINUTES: u32 = 15;

/// The configuration in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub language: Lang,
    pub rooms: Vec<String>,
    /// Where the desk refers to: the shipped list, or `referral_parties.toml` in the config folder.
    #[serde(skip)]
    pub parties: Vec<crate::domain::referral::Party>,
    pub walk_in_hour: WalkInHour,
    pub working_hours: WorkingHours,
    pub budget: Budget,
    /// Minutes without a key after which the screen locks (1 to 15).
    pub lock_after_minutes: u32,
}

/// A configuration file that cannot be used, with the line it went wrong on. The user reads it
/// through `errors::config_error_text`, in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub problem: ConfigProblem,
}

/// What is wrong with a configuration file. Keys and values are the desk's own settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file exists but cannot be read.
    Unreadable(std::io::ErrorKind),
    /// Not TOML: a quote, bracket or `=` missing.
    Syntax,
    /// A setting loket does not know (often a typing mistake).
    UnknownKey(String),
    /// A setting that must be there.
    MissingKey(String),
    /// A value that does not fit its setting (`key` from the line, when it has one).
    BadValue {
        key: Option<String>,
        value: Option<String>,
    },
    /// A period whose start is not before its end, in this section.
    StartNotBeforeEnd(&'static str),
    NoDays,
    NoRooms,
    EmptyRoom,
    /// A line break, tab or other control character in a text setting (`key`).
    ControlCharacter {
        key: String,
        value: String,
    },
    /// A room named twice (the second).
    DuplicateRoom(String),
    /// A referral party's code used twice (the second).
    DuplicateParty(String),
    NoParties,
    /// `lock_after_minutes` outside 1 to 15.
    LockMinutes,
}

/// For developers (tests, the embedded defaults' panic): the user sees `errors::config_error_text`.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {:?}", self.problem),
            None => write!(f, "{:?}", self.problem),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        // The embedded defaults are checked by a test; failing here would be a build mistake.
        Self::from_toml(DEFAULT_TOML).unwrap_or_else(|e| panic!("embedded default configuration: {e}"))
    }
}

impl Config {
    /// Reads a complete configuration from TOML text, checking every value.
    fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        config.parties = parse_parties(DEFAULT_PARTIES)?;
        config.validate()?;
        Ok(config)
    }

    /// The defaults with a user's file laid over them: what the file leaves out keeps its default.
    pub fn with_overrides(text: &str) -> Result<Self, ConfigError> {
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_TOML).map_err(|e| toml_error(DEFAULT_TOML, &e))?;
        let user = check_syntax(text)?;
        merge(&mut merged, user);
        let merged_text = toml::to_string(&merged)
            .map_err(|_| ConfigError { line: None, problem: ConfigProblem::Syntax })?;
        // Parse the user's text alone too, so that a wrong value is reported on the user's line.
        if let Err(e) = toml::from_str::<PartialConfig>(text) {
            return Err(toml_error(text, &e));
        }
        values::check_rooms(text)?;
        Self::from_toml(&merged_text).map_err(|e| ConfigError { line: None, ..e })
    }

    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::with_overrides(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(ConfigError { line: None, problem: ConfigProblem::Unreadable(e.kind()) }),
        }
    }

    /// The configuration as TOML, as `loket config` prints it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let problem = |problem: ConfigProblem| Err(ConfigError { line: None, problem });
        if self.walk_in_hour.start >= self.walk_in_hour.end {
            return problem(ConfigProblem::StartNotBeforeEnd("walk_in_hour"));
        }
        if self.working_hours.start >= self.working_hours.end {
            return problem(ConfigProblem::StartNotBeforeEnd("working_hours"));
        }
        if self.working_hours.days.is_empty() {
            return problem(ConfigProblem::NoDays);
        }
        if self.rooms.is_empty() {
            return problem(ConfigProblem::NoRooms);
        }
        if self.rooms.iter().any(|r| r.trim().is_empty()) {
            return problem(ConfigProblem::EmptyRoom);
        }
        if let Some(wrong) = values::rooms_problem(&self.rooms) {
            return problem(wrong);
        }
        if !(1..=MAX_LOCK_MINUTES).contains(&self.lock_after_minutes) {
            return problem(ConfigProblem::LockMinutes);
        }
        Ok(())
    }
}

/// The same shape with every part optional, to check a user's file on its own lines.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read only to find the line of a mistake
struct PartialConfig {
    language: Option<Lang>,
    walk_in_hour: Option<PartialSection<Day>>,
    working_hours: Option<PartialWorking>,
    rooms: Option<Vec<String>>,
    budget: Option<PartialBudget>,
    lock_after_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialSection<D> {
    weekday: Option<D>,
    start: Option<Clock>,
    end: Option<Clock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialWorking {
    days: Option<Vec<Day>>,
    start: Option<Clock>,
    end: Option<Clock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialBudget {
    funded_trajectories: Option<u32>,
    euros: Option<u32>,
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Reads `text` as TOML, or says on which line its writing is wrong.
fn check_syntax(text: &str) -> Result<toml::Table, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError { line: line_of(text, &e), problem: ConfigProblem::Syntax })
}

fn line_of(text: &str, e: &toml::de::Error) -> Option<usize> {
    let span = e.span()?;
    Some(text.get(..span.start.min(text.len()))?.matches('\n').count() + 1)
}

/// A well-written file whose keys or values do not fit: the problem from the error, the key from
/// the line it points at and the value from the text it points at (never the parser's English).
fn toml_error(text: &str, e: &toml::de::Error) -> ConfigError {
    let line = line_of(text, e);
    let named = |start: &str| {
        let rest = e.message().strip_prefix(start)?;
        Some(rest.split('`').next()?.to_owned())
    };
    let problem = if let Some(key) = named("unknown field `") {
        ConfigProblem::UnknownKey(key)
    } else if let Some(key) = named("missing field `") {
        ConfigProblem::MissingKey(key)
    } else {
        let value = e
            .span()
            .and_then(|span| text.get(span))
            .map(|v| v.trim().trim_matches('"').trim().to_owned())
            .filter(|v| !v.is_empty());
        let key = line.and_then(|n| text.lines().nth(n - 1)).and_then(|l| {
            let (key, _) = l.split_once('=')?;
            Some(key.trim().trim_matches('"').to_owned()).filter(|k| !k.is_empty())
        });
        ConfigProblem::BadValue { key, value }
    };
    ConfigError { line, problem }
}

#[path = "config_values.rs"]
mod values;

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
