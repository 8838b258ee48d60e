//! The referral letter: a template from `assets/templates/` filled with what the form holds, written
//! to a file the receptionist can print or attach. The file name holds the file number and the date.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Lang;
use crate::domain::dates::format_date;
use crate::domain::referral::{LetterData, Party, Scope, Shared, fill_template, letter_file_name};
use crate::i18n::Texts;

const NL: &str = include_str!("../assets/templates/letter.nl.md");
const EN: &str = include_str!("../assets/templates/letter.en.md");

/// The letter's text. Only what `LetterData` holds can appear: it never carries notes.
pub fn render(data: &LetterData, party: &Party, texts: &Texts, today: NaiveDate) -> String {
    let t = texts;
    let (template, facts) = match t.lang() {
        Lang::Nl => (NL, &party.facts),
        Lang::En => (EN, &party.facts_en),
    };
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
                    let on = on.map(|d| format!(" ({})", format_date(d))).unwrap_or_default();
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
    let consent = r
        .consents
        .iter()
        .filter_map(|(position, c)| {
            let name = data.partners.iter().find(|p| p.position == *position)?.name.full();
            let on = c.given_on.map(format_date).unwrap_or_default();
            Some(t.f("letter.consent_line", &[("name", &name), ("date", &on), ("party", &party.name)]))
        })
        .map(|line| format!("- {line}"))
        .collect::<Vec<_>>()
        .join("\n");
    let facts = facts.iter().map(|f| format!("- {f}")).collect::<Vec<_>>().join("\n");
    let text = fill_template(
        template,
        &[
            ("party", party.name.clone()),
            ("party_contact", party.contact.clone()),
            ("date", format_date(today)),
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

/// Writes the letter into `dir` (created owner-only): written beside and renamed, so a half-written
/// letter never exists. Returns the file's path.
pub fn write(
    dir: &Path,
    data: &LetterData,
    party: &Party,
    texts: &Texts,
    today: NaiveDate,
) -> std::io::Result<PathBuf> {
    create_private_dir(dir)?;
    let lang = match texts.lang() {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    // A letter already written is never overwritten: a further one of the same day gets a number.
    let file = data.file.to_string();
    let path = (1..1000)
        .map(|n| dir.join(letter_file_name(&file, today, &party.code, lang, n)))
        .find(|p| !p.exists())
        .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::AlreadyExists))?;
    let temporary = path.with_extension("md.tmp");
    let text = render(data, party, texts, today);
    let result = (|| {
        let mut file = private_file(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map(|()| path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)
}
