//! A log row in the user's language. The log keeps codes and numbers (its rows never change);
//! they are put into words here, for the file's log popup, the coordinator's log screen and
//! `loket audit` alike. A search's words are shown as the staff typed them.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::access::LogEntry;
use crate::domain::walkin::DESK_TZ;
use crate::i18n::Texts;

/// A text for `key`, or `fallback` as stored when this loket has no words for it.
fn known_or(texts: &Texts, key: &str, fallback: &str) -> String {
    let text = texts.t(key);
    if text == key { fallback.to_owned() } else { text.to_owned() }
}

/// The event in words ("dossier geopend"); a code this loket does not know, as stored.
pub fn event_text(texts: &Texts, code: &str) -> String {
    known_or(texts, &format!("access.{code}"), code)
}

/// The instant at the desk as "02-12-2026 09:30".
pub fn moment(at: DateTime<Utc>) -> String {
    at.with_timezone(&DESK_TZ).format("%d-%m-%Y %H:%M").to_string()
}

/// A stored instant at the desk as "02-12-2026 09:30"; a stored time that is not one, as stored.
pub fn when_text(at: &str) -> String {
    DateTime::parse_from_rfc3339(at).map(|t| moment(t.with_timezone(&Utc))).unwrap_or_else(|_| at.to_owned())
}

/// Roles stored as codes ("receptionist+counsellor") in words ("receptie + hulpverlener").
pub fn roles_text(texts: &Texts, codes: &str) -> String {
    let words: Vec<String> = codes
        .split('+')
        .filter(|c| !c.is_empty())
        .map(|c| known_or(texts, &format!("role.{c}"), c))
        .collect();
    words.join(" + ")
}

/// The file number, with the partner the row concerns where it concerns one: "2026-001 (p1)".
pub fn file_text(texts: &Texts, e: &LogEntry) -> String {
    match e.partner {
        Some(n) if !e.file_number.is_empty() => {
            texts.f("log.file_partner", &[("file", &e.file_number), ("n", &n)])
        }
        _ => e.file_number.clone(),
    }
}

/// A row's detail in words: walk-ins, the part of a file or referral that changed, a letter's
/// party name and user changes.
pub fn detail_text(texts: &Texts, config: &Config, e: &LogEntry) -> String {
    let t = texts;
    let d = e.detail.as_str();
    let known = |key: String, args: &[(&str, &dyn std::fmt::Display)]| {
        let text = t.f(&key, args);
        if text == key { d.to_owned() } else { text }
    };
    match e.event.as_str() {
        "walk_in" => match d {
            "registered" => t.t("log.registered").to_owned(),
            "registered, new file" => t.t("log.registered_new_file").to_owned(),
            _ => match (d.strip_prefix("to "), d.strip_prefix("undone, back to ")) {
                (Some(status), _) => t.f("log.to_status", &[("status", &t.t(&format!("status.{status}")))]),
                (_, Some(status)) => t.f("log.undone_to", &[("status", &t.t(&format!("status.{status}")))]),
                _ => d.to_owned(),
            },
        },
        // "planned #12", "held #12", "note #12"
        "conversation" => match d.split_once(" #") {
            Some((what, id)) => known(format!("log.conversation_{what}"), &[("id", &id)]),
            None => d.to_owned(),
        },
        "trajectory" => known(format!("log.trajectory_{d}"), &[]),
        "erasure" => known(format!("log.erased_{d}"), &[]),
        // "retention_years: 5 -> 7"
        "settings_changed" => {
            match d.split_once(": ").and_then(|(key, c)| Some((key, c.split_once(" -> ")?))) {
                Some((key, (old, new))) => {
                    let name = known_or(t, &format!("settings.{key}"), key);
                    t.f("log.setting_changed", &[("name", &name), ("old", &old), ("new", &new)])
                }
                None => d.to_owned(),
            }
        }
        // "given therapy", "withdrawn therapy"
        "consent" => match d.split_once(' ') {
            Some((what, party)) => {
                let party = crate::app::panes::referral::party_name(config, party, t.lang());
                known(format!("log.consent_{what}"), &[("party", &party)])
            }
            None => d.to_owned(),
        },
        // A part this loket has no words for is shown as stored.
        "file_changed" | "referral" => known_or(t, &format!("log.part_{d}"), d),
        "letter" => crate::app::panes::referral::party_name(config, d, t.lang()),
        "user_changed" => user_change(t, d),
        _ => d.to_owned(),
    }
}

/// The detail with the partner it concerns and on whose behalf, for a view without columns of
/// their own (the file's log popup): "partner 2: toestemming gegeven … (namens Sara de Boer)".
pub fn detail_with_who(texts: &Texts, config: &Config, e: &LogEntry) -> String {
    let mut text = detail_text(texts, config, e);
    if let Some(partner) = e.partner {
        text = texts.f("log.for_partner", &[("n", &partner), ("detail", &text)]);
    }
    if !e.on_behalf.is_empty() {
        text = texts.f("log.on_behalf", &[("name", &e.on_behalf), ("detail", &text)]);
    }
    text
}

/// "added user 5", "roles of user 5: receptionist+counsellor", "password of user 5 reset",
/// "user 5 deactivated", in words.
fn user_change(t: &Texts, d: &str) -> String {
    if let Some(id) = d.strip_prefix("added user ") {
        t.f("log.user_added", &[("id", &id)])
    } else if let Some((id, codes)) = d.strip_prefix("roles of user ").and_then(|r| r.split_once(": ")) {
        t.f("log.user_roles", &[("id", &id), ("roles", &roles_text(t, codes))])
    } else if let Some(id) = d.strip_prefix("password of user ").and_then(|r| r.strip_suffix(" reset")) {
        t.f("log.user_reset", &[("id", &id)])
    } else if let Some(id) = d.strip_prefix("user ").and_then(|r| r.strip_suffix(" deactivated")) {
        t.f("log.user_deactivated", &[("id", &id)])
    } else if let Some(id) = d.strip_prefix("user ").and_then(|r| r.strip_suffix(" reactivated")) {
        t.f("log.user_reactivated", &[("id", &id)])
    } else if let Some(id) = d.strip_prefix("user ").and_then(|r| r.strip_suffix(" renamed")) {
        t.f("log.user_renamed", &[("id", &id)])
    } else {
        d.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Lang;

    fn row(event: &str, detail: &str) -> LogEntry {
        LogEntry {
            id: 1,
            at: "2026-07-01T07:05:00Z".into(),
            event: event.into(),
            user_id: Some(1),
            user_name: "Henk Bos".into(),
            user_roles: "counsellor+coordinator".into(),
            couple_id: Some(3),
            file_number: "2026-003".into(),
            detail: detail.into(),
            workstation: "henk@balie".into(),
            on_behalf: String::new(),
            partner: Some(2),
        }
    }

    #[test]
    fn codes_become_words_in_both_languages_and_unknown_codes_stay_as_stored() {
        let nl = Texts::new(Lang::Nl);
        let en = Texts::new(Lang::En);
        assert_eq!(event_text(&nl, "file_read"), nl.t("access.file_read"));
        assert_ne!(event_text(&nl, "audit"), event_text(&en, "audit"));
        assert_eq!(event_text(&nl, "something_new"), "something_new");
        // Summer time: 07:05 UTC is 09:05 at the desk.
        assert_eq!(when_text("2026-07-01T07:05:00Z"), "01-07-2026 09:05");
        assert_eq!(when_text("garbled"), "garbled");
        assert_eq!(
            roles_text(&en, "counsellor+coordinator"),
            format!("{} + {}", en.t("role.counsellor"), en.t("role.coordinator"))
        );
        let r = row("user_changed", "roles of user 5: receptionist+coordinator");
        let text = detail_text(&nl, &Config::default(), &r);
        assert!(text.contains(nl.t("role.receptionist")) && text.contains('5'), "{text}");
        assert_eq!(detail_text(&nl, &Config::default(), &row("file_changed", "mystery")), "mystery");
        assert!(file_text(&nl, &r).starts_with("2026-003") && file_text(&nl, &r).contains('2'));
        assert_eq!(file_text(&nl, &LogEntry { partner: None, ..r }), "2026-003");
    }

    #[test]
    fn planning_consents_and_undos_in_words_with_the_partner_and_on_whose_behalf() {
        let nl = Texts::new(Lang::Nl);
        let config = Config::default();
        let planned = LogEntry {
            on_behalf: "Sara de Boer".into(),
            partner: None,
            ..row("conversation", "planned #12")
        };
        assert_eq!(detail_with_who(&nl, &config, &planned), "gesprek 12 gepland (namens Sara de Boer)");
        let consent = row("consent", "withdrawn therapy");
        let text = detail_with_who(&nl, &config, &consent);
        assert!(
            text.starts_with("partner 2: toestemming ingetrokken voor ") && !text.contains("therapy"),
            "{text}"
        );
        assert_eq!(detail_text(&nl, &config, &row("trajectory", "ended")), "traject afgesloten");
        assert_eq!(
            detail_text(&nl, &config, &row("walk_in", "undone, back to waiting")),
            format!("ongedaan gemaakt, terug naar {}", nl.t("status.waiting"))
        );
        assert_eq!(detail_text(&nl, &config, &row("conversation", "mystery #3")), "mystery #3");
        assert_eq!(detail_text(&nl, &config, &row("erasure", "retention")), "na de bewaartermijn");
        let setting = detail_text(&nl, &config, &row("settings_changed", "retention_years: 5 -> 7"));
        assert_eq!(setting, format!("{}: 5 → 7", nl.t("settings.retention_years")));
    }
}
