//! The referral letter: a template from `assets/templates/` filled with what the form holds, written
//! to a file the receptionist can print or attach. The file name holds the file number and the date.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Lang;
use crate::domain::referral::{LetterData, Party, Scope, Shared, fill_template, letter_file_name};
use crate::i18n::Texts;

const NL: &str = include_str!("../assets/templates/letter.nl.md");
const EN: &str = include_str!("../assets/templates/letter.en.md");

/// The letter's text. Only what `LetterData` holds can appear: it never carries notes.
pub fn render(data: &LetterData, party: &Party, texts: &Texts, today: NaiveDate) -> String {
    let t = texts;
    let lang = t.lang();
    let template = match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    };
    let facts = party.facts_in(lang);
    let format = t.format();
    let r = &data.referral;
    let partners = data
        .partners
        .iter()
        .map(|p| {
            let contact: Vec<&str> =
                [p.phone.as_str(), p.email.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
            if contact.is_empty() {
                format!("- {}", p.name.full())
            } else {
                format!("- {} ({})", p.name.full(), contact.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let yes_no = |b: bool| t.t(if b { "letter.yes" } else { "letter.no" }).to_owned();
    let told = format!(
        "- {}: {}\n- {}: {}",
        t.t("letter.cost_explained"),
        yes_no(r.cost_explained),
        t.t(if r.scope == Scope::Couple {
            "letter.insurance_to_check"
        } else {
            "letter.insurance_to_check_one"
        }),
        yes_no(r.insurance_to_check)
    );
    let request = match data.request {
        Some(request) => {
            let mut s = format!("## {}\n\n{}\n", t.t("letter.request_heading"), t.t(&request.text_key()));
            if !data.life_events.is_empty() {
                s.push_str(&format!("\n{}:\n", t.t("letter.life_events")));
                for (kind, on) in &data.life_events {
                    let on = on.map(|d| format!(" ({})", format.date(d))).unwrap_or_default();
                    s.push_str(&format!("- {}{on}\n", t.t(&kind.text_key())));
                }
            }
            s.push('\n');
            s
        }
        None => String::new(),
    };
    let summary = if r.shared == Shared::WithSummary {
        format!("## {}\n\n{}\n\n", t.t("letter.summary_heading"), r.summary)
    } else {
        String::new()
    };
    let consent =
        r.consents
            .iter()
            .filter_map(|(position, c)| {
                let name = data.partners.iter().find(|p| p.position == *position)?.name.full();
                let on = c.given_on.map(|d| format.date(d)).unwrap_or_default();
                Some(t.f(
                    "letter.consent_line",
                    &[("name", &name), ("date", &on), ("party", &party.name_in(lang))],
                ))
            })
            .map(|line| format!("- {line}"))
            .collect::<Vec<_>>()
            .join("\n");
    let facts = facts.iter().map(|f| format!("- {f}")).collect::<Vec<_>>().join("\n");
    let text = fill_template(
        template,
        &[
            ("party", party.name_in(lang).to_owned()),
            ("party_contact", party.contact_in(lang).to_owned()),
            ("date", format.date(today)),
            ("file", data.file.to_string()),
            ("partners", partners),
            ("reason", r.reason.clone()),
            ("request", request),
            ("told", told),
            ("facts", facts),
            ("summary", summary),
            ("shared", t.t(&r.shared.text_key()).to_owned()),
            ("consent", consent),
            (
                "who",
                t.t(if r.scope == Scope::Couple { "letter.who_couple" } else { "letter.who_one" }).to_owned(),
            ),
        ],
    );
    // Parts left out (no request, no summary) leave no gaps of blank lines.
    let mut tidy = text;
    while tidy.contains("\n\n\n") {
        tidy = tidy.replace("\n\n\n", "\n\n");
    }
    tidy
}

/// Writes the letter into `dir` (created owner-only): written whole to a new temporary file beside
/// it and then placed under its name without replacing anything, so a half-written letter never
/// exists and nothing found in the folder (a file, a link, a device) is ever overwritten, followed
/// or removed. A name that is taken gets the next number. Returns the file's path.
pub fn write(
    dir: &Path,
    data: &LetterData,
    party: &Party,
    texts: &Texts,
    today: NaiveDate,
) -> std::io::Result<PathBuf> {
    crate::files::create_private_dir(dir)?;
    let lang = match texts.lang() {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    let text = render(data, party, texts, today);
    let file = data.file.to_string();
    // A letter already written is never overwritten: a further one of the same day gets a number.
    for n in 1..1000 {
        let path = dir.join(letter_file_name(&file, today, &party.code, lang, n));
        match crate::files::write_private_new(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
}
