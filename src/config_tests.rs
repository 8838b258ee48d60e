//! Tests of config.rs.
use super::*;

#[test]
fn defaults_are_valid_and_dutch() {
    let c = Config::default();
    assert_eq!(c.language, Lang::Nl);
    assert_eq!(c.walk_in_hour.weekday, Day(Weekday::Wed));
    assert_eq!(c.budget, Budget { funded_trajectories: 10, euros: 10_000 });
}

#[test]
fn a_partial_file_keeps_the_other_defaults() {
    let c = Config::with_overrides("language = \"en\"\n[budget]\neuros = 12000\n").expect("valid");
    assert_eq!(c.language, Lang::En);
    assert_eq!(c.budget.euros, 12_000);
    assert_eq!(c.budget.funded_trajectories, 10);
    assert_eq!(c.rooms, Config::default().rooms);
}

#[test]
fn a_wrong_value_names_its_line() {
    let e = Config::with_overrides("language = \"nl\"\n\n[walk_in_hour]\nstart = \"9 uur\"\n").unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert_eq!(
        e.problem,
        ConfigProblem::BadValue { key: Some("start".into()), value: Some("9 uur".into()) },
        "{e}"
    );
    let e = Config::with_overrides("langauge = \"en\"\n").unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
    assert_eq!(e.problem, ConfigProblem::UnknownKey("langauge".into()), "{e}");
    let e = Config::with_overrides("[budget\n").unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
    assert_eq!(e.problem, ConfigProblem::Syntax, "{e}");
}

#[test]
fn inconsistent_values_are_refused() {
    let e = Config::with_overrides("[walk_in_hour]\nstart = \"10:00\"\nend = \"09:00\"\n").unwrap_err();
    assert_eq!(e.problem, ConfigProblem::StartNotBeforeEnd("walk_in_hour"), "{e}");
}

#[test]
fn the_shipped_parties_carry_the_memo_s_facts() {
    let parties = Config::default().parties;
    let therapy = parties.iter().find(|p| p.code == "therapy").expect("therapy");
    assert!(therapy.facts.iter().any(|f| f.contains("€ 800")));
    assert!(therapy.facts.iter().any(|f| f.contains("basisverzekering")));
    let sko = parties.iter().find(|p| p.code == "sko").expect("sko");
    assert_eq!(sko.facts[0], "Gratis.");
    assert!(parse_parties("[[party]]\ncode = 1\n").unwrap_err().line.is_some());
    assert!(therapy.kind.is_paid() && !sko.kind.is_paid());
    let misspelt = "[[party]]\ncode = \"x\"\nname = \"X\"\nkind = \"therapie\"\ncontact = \"c\"\nfacts = []\nfacts_en = []\n";
    assert_eq!(parse_parties(misspelt).unwrap_err().line, Some(4), "an unknown kind names its line");
}

/// Each party has an English name and contact; a desk's older file without them (or without
/// English facts) still loads, and English shows its Dutch words then.
#[test]
fn parties_speak_english_and_older_files_still_load() {
    let parties = Config::default().parties;
    let team = parties.iter().find(|p| p.code == "wijkteam").expect("wijkteam");
    assert_eq!((team.name_in(Lang::Nl), team.name_in(Lang::En)), ("Sociaal Wijkteam", "Neighbourhood team"));
    assert!(parties.iter().all(|p| p.name_en.is_some() && p.contact_en.is_some() && !p.facts_en.is_empty()));
    let older = "[[party]]\ncode = \"x\"\nname = \"Buurthuis\"\nkind = \"other\"\ncontact = \"balie\"\nfacts = [\"Gratis.\"]\n";
    let old = &parse_parties(older).expect("an older file loads")[0];
    assert_eq!((old.name_in(Lang::En), old.contact_in(Lang::En)), ("Buurthuis", "balie"));
    assert_eq!(old.facts_in(Lang::En), ["Gratis."]);
    let control = format!("{older}name_en = \"a\\u0007b\"\n");
    assert!(parse_parties(&control).is_err(), "control characters are refused in English too");
}

#[test]
fn printed_configuration_reads_back() {
    let c = Config::default();
    assert_eq!(Config::with_overrides(&c.to_toml()).expect("round trip"), c);
}

#[test]
fn the_lock_waits_one_to_fifteen_minutes() {
    assert_eq!(Config::default().lock_after_minutes, 5);
    assert_eq!(Config::with_overrides("lock_after_minutes = 15\n").map(|c| c.lock_after_minutes), Ok(15));
    for wrong in ["lock_after_minutes = 0\n", "lock_after_minutes = 16\n"] {
        assert_eq!(
            Config::with_overrides(wrong).map_err(|e| e.problem),
            Err(ConfigProblem::LockMinutes),
            "{wrong}"
        );
    }
}

/// A party of the parties file, with `code`, `name` and one fact as given.
fn party(code: &str, name: &str, fact: &str) -> String {
    format!(
        "[[party]]\ncode = \"{code}\"\nname = \"{name}\"\nkind = \"other\"\ncontact = \"c\"\nfacts = [\"{fact}\"]\nfacts_en = []\n"
    )
}

/// Issue 14, point 15: a control character or a second room or party of the same name is refused
/// with its line, one case a line.
#[test]
fn control_characters_and_doubles_are_refused_with_their_line() {
    let control =
        |key: &str, value: &str| ConfigProblem::ControlCharacter { key: key.into(), value: value.into() };
    let rooms: [(&str, usize, ConfigProblem); 6] = [
        ("rooms = [\"Kamer 1\",\n  \"Kamer\\r\\n2\"]\n", 2, control("rooms", "Kamer\r\n2")),
        ("rooms = [\"Kamer\\n2\"]\n", 1, control("rooms", "Kamer\n2")),
        ("rooms = [\"Kamer\\t2\"]\n", 1, control("rooms", "Kamer\t2")),
        ("rooms = [\"Kamer\\u2028\"]\n", 1, control("rooms", "Kamer\u{2028}")),
        (
            "rooms = [\n\"Kamer 1\",\n\"Kamer 2\",\n\"Kamer 1\",\n]\n",
            4,
            ConfigProblem::DuplicateRoom("Kamer 1".into()),
        ),
        ("rooms = [\"Kamer 1\", \" kamer 1 \"]\n", 1, ConfigProblem::DuplicateRoom(" kamer 1 ".into())),
    ];
    for (text, line, problem) in rooms {
        assert_eq!(Config::with_overrides(text), Err(ConfigError { line: Some(line), problem }), "{text:?}");
    }
    let good = party("a", "A", "f");
    let parties: [(String, usize, ConfigProblem); 4] = [
        (
            format!("{good}{}", party("b", "=HYPERLINK(\\\"x\\\")\\r", "f")),
            10,
            control("name", "=HYPERLINK(\"x\")\r"),
        ),
        (format!("{good}{}", party("b\\u001b", "B", "f")), 9, control("code", "b\u{1b}")),
        (format!("{good}{}", party("b", "B", "regel\\nregel")), 13, control("facts", "regel\nregel")),
        (format!("{good}{}", party("a", "Ander", "f")), 9, ConfigProblem::DuplicateParty("a".into())),
    ];
    for (text, line, problem) in parties {
        assert_eq!(parse_parties(&text), Err(ConfigError { line: Some(line), problem }), "{text}");
    }
    assert_eq!(parse_parties(&format!("{good}{}", party("b", "B", "f"))).map(|p| p.len()), Ok(2));
    assert!(Config::with_overrides("rooms = [\"Kamer 1\", \"Kamer 2\"]\n").is_ok());
}
