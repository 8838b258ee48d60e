//! Forms at 80×24 in both languages (issue 15, defects 12, 14–17): typing on a choice, the facts
//! card with the referral form, long options, stale marks, help inside a form, one formatter per
//! language, and users of the same name.

use crate::common::{ctrl, line_with, press, screen, type_text};
use crate::referral::{fixture, referral_pane};

use loket::app::App;
use loket::config::{Config, Lang};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::KeyCode;

/// The referral form on the pane of the fixture's couple, signed in as the counsellor.
fn referral_form(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = fixture(dir.path());
    let mut app = referral_pane(f.store, lang);
    press(&mut app, KeyCode::Char('n'));
    assert!(crate::common::form_of(&app).is_some(), "the form opened");
    (dir, app)
}

/// The form's line of the field labelled `label` (after the popup's left border).
fn field_line(screen: &str, label: &str) -> String {
    let line =
        screen.lines().find(|l| l.contains(&format!("  {label} ")) || l.contains(&format!("▸ {label} ")));
    line.unwrap_or_else(|| panic!("no field {label}:\n{screen}")).to_owned()
}

/// Typing on a choice never goes unseen: a letter picks the option it starts, Space and a letter
/// no option starts change nothing and say so; the help line names the keys that choose.
#[test]
fn typing_on_a_choice_picks_by_letter_or_says_why_not() {
    for (lang, therapy, space, no_z, help, yes_key, yes) in [
        (
            Lang::Nl,
            "Relatietherapie (vrije vestiging)",
            "Spatie kiest hier niets",
            "Geen keuze begint met „z”",
            "←/→ of beginletter kiest",
            'j',
            "◂ ja ▸",
        ),
        (
            Lang::En,
            "Relationship therapy (private practice)",
            "Space chooses nothing here",
            "No option starts with “z”",
            "←/→ or first letter chooses",
            'y',
            "◂ yes ▸",
        ),
    ] {
        let (_dir, mut app) = referral_form(lang);
        let party = field_line(&screen(&app, 80, 24), if lang == Lang::Nl { "Naar" } else { "To" });
        assert!(party.contains("(SKO)"), "the form opens on the first party: {party}");
        assert!(screen(&app, 80, 24).contains(help), "{}", screen(&app, 80, 24));
        press(&mut app, KeyCode::Char('r'));
        let s = screen(&app, 80, 24);
        assert!(s.contains(therapy), "r picks relationship therapy:\n{s}");
        press(&mut app, KeyCode::Char(' '));
        let s = screen(&app, 80, 24);
        assert!(s.contains(therapy), "Space changes nothing:\n{s}");
        assert!(s.contains(space), "and says so:\n{s}");
        press(&mut app, KeyCode::Char('z'));
        let s = screen(&app, 80, 24);
        assert!(s.contains(therapy) && s.contains(no_z), "a letter no option starts is said:\n{s}");
        // On a yes/no choice, the language's own letter answers yes.
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        press(&mut app, KeyCode::Char(yes_key));
        let s = screen(&app, 80, 24);
        let cost = field_line(&s, if lang == Lang::Nl { "Kosten uitgelegd" } else { "Cost explained" });
        assert!(cost.contains(yes), "{yes_key} answers yes: {cost}\n{s}");
    }
}

/// The facts card (cost, insurance) is with the form while the party is chosen, in the user's
/// language; an unfocused reason shows its start; a long "goes along" option is whole; and the
/// mark of a problem goes once the problem is fixed.
#[test]
fn the_referral_form_shows_the_facts_the_whole_option_and_no_stale_mark() {
    for lang in [Lang::Nl, Lang::En] {
        let nl = lang == Lang::Nl;
        let (_dir, mut app) = referral_form(lang);
        press(&mut app, KeyCode::Right);
        let s = screen(&app, 80, 24);
        let (facts, cost) = if nl {
            ("Wat het stel moet weten", "ten minste ongeveer € 800")
        } else {
            ("What the couple should know", "about €800 at the least")
        };
        assert!(s.contains(facts) && s.contains(cost), "the facts card beside the form:\n{s}");
        assert!(
            s.contains(if nl {
                "Niet vergoed uit de basisverzekering"
            } else {
                "Not covered by basic health"
            }),
            "{s}"
        );
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "Vastgelopen communicatie over de opvoeding van de kinderen, al sinds de zomer.");
        // Saved without explaining the cost: refused, marked on the field.
        ctrl(&mut app, 's');
        assert!(crate::common::form_of(&app).is_some(), "refused: the form stays");
        let cost_label = if nl { "Kosten uitgelegd" } else { "Cost explained" };
        let s = screen(&app, 80, 24);
        assert!(
            field_line(&s, cost_label).contains(&format!("▸ {cost_label}")),
            "focus on the problem:\n{s}"
        );
        press(&mut app, KeyCode::Right); // yes
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right); // what goes along: the longest option
        let s = screen(&app, 80, 24);
        let cost = field_line(&s, cost_label);
        assert!(!cost.contains('!'), "the problem was fixed, its mark is gone: {cost}\n{s}");
        let reason = field_line(&s, if nl { "Reden" } else { "Reason" });
        assert!(reason.contains("Vastgelopen communicatie") && reason.contains('…'), "{reason}\n{s}");
        let whole = if nl {
            "namen, contactgegevens, hulpvraag, levensgebeurtenissen en een geschreven samenvatting ▸"
        } else {
            "names, contact details, request, life events and a written summary ▸"
        };
        let joined = s.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
        assert!(joined.contains(whole), "the option whole, over two or three lines:\n{s}");
        assert!(s.contains(facts), "the facts stay in sight:\n{s}");
    }
}

/// Help inside a form keeps a key apart from its description and lists only the keys that work
/// on that form: Ctrl-F in the walk-in form, Ctrl-N in the planner's, neither in the referral form.
#[test]
fn help_in_a_form_keeps_keys_apart_and_lists_only_what_works() {
    for lang in [Lang::Nl, Lang::En] {
        let (_dir, mut app) = referral_form(lang);
        press(&mut app, KeyCode::F(1));
        let s = screen(&app, 80, 24);
        let prev = line_with(&s, "Shift-Tab/↑");
        let after = prev.split("Shift-Tab/↑").nth(1).unwrap_or_default();
        assert!(after.starts_with("  "), "two spaces between the keys and their description: {prev}\n{s}");
        for key in ["Ctrl-N", "Ctrl-F"] {
            assert!(!s.contains(key), "{key} does nothing on the referral form:\n{s}");
        }
        for line in s.lines().filter(|l| l.contains("Ctrl-") || l.contains("Enter")) {
            assert!(!line.contains("Ctrl-Svolgend") && !line.contains("Entervolgend"), "{line}");
        }
    }
    // The walk-in form: Ctrl-F finds a file there, Ctrl-N does nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let f = fixture(dir.path());
    let mut app =
        App::new(f.store, Config::default(), Texts::new(Lang::Nl), Box::new(crate::common::desk::now));
    crate::common::sign_in(&mut app, "Rita Receptie");
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::F(1));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Ctrl-F") && !s.contains("Ctrl-N"), "{s}");
}

/// In English the question and the hint say the same key for yes; in Dutch both say j.
#[test]
fn the_hint_for_yes_is_the_key_the_question_names() {
    for (lang, hint, keys) in [(Lang::Nl, "j ja", "j = ja"), (Lang::En, "y yes", "y = yes")] {
        let (_dir, mut app) = referral_form(lang);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Esc); // changed: asks whether to discard
        let s = screen(&app, 80, 24);
        let lines: Vec<&str> = s.lines().collect();
        assert!(s.contains(keys), "{s}");
        assert!(lines[lines.len() - 2].contains(hint), "hint {hint:?}:\n{s}");
        assert!(!lines[lines.len() - 2].contains(if lang == Lang::En { "j yes" } else { "y ja" }), "{s}");
    }
}

/// A file from before names were checked, with two active users of the same name (in another
/// case): both are marked with their number on the users screen, and the coordinator renames one
/// (never to the same name again) or deactivates it.
#[test]
fn a_duplicate_user_of_an_older_file_is_marked_and_can_be_renamed_or_deactivated() {
    for lang in [Lang::Nl, Lang::En] {
        let nl = lang == Lang::Nl;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("loket.db");
        let (kees, sara) = {
            let mut store = Store::open(&path).expect("open");
            let kees = store.create_first_user(
                "Kees Bakker",
                crate::common::desk::hash(),
                crate::common::desk::now(),
            );
            let kees = kees.expect("first user");
            let new = loket::store::NewUser {
                name: "Sara de Boer",
                roles: &[loket::domain::user::Role::Counsellor],
                hash: crate::common::desk::hash(),
                temporary: false,
            };
            let sara = store.add_user(&kees, new, crate::common::desk::now()).expect("sara");
            (kees, sara)
        };
        // The duplicate, written as an older loket could.
        let raw = rusqlite::Connection::open(&path).expect("open raw");
        raw.execute(
            "INSERT INTO users (name, role, created_at, password_hash) SELECT 'sara de boer', role, created_at, password_hash FROM users WHERE id = ?1",
            [sara.id],
        )
        .expect("duplicate");
        let twin = raw.last_insert_rowid();
        raw.execute("INSERT INTO user_roles (user_id, role) VALUES (?1, 'counsellor')", [twin])
            .expect("role");
        drop(raw);
        let store = Store::open(&path).expect("open again");
        let mut app =
            App::new(store, Config::default(), Texts::new(lang), Box::new(crate::common::desk::now));
        crate::common::sign_in(&mut app, &kees.name);
        press(&mut app, KeyCode::Char('6'));
        let s = screen(&app, 80, 24);
        let same = if nl { "zelfde naam" } else { "same name" };
        assert!(line_with(&s, &format!("Sara de Boer (#{})", sara.id)).contains(same), "{s}");
        assert!(line_with(&s, &format!("sara de boer (#{twin})")).contains(same), "{s}");
        // Renaming the twin to the same name, written otherwise, is refused.
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Char('e'));
        ctrl(&mut app, 'u');
        type_text(&mut app, "Sára  de Boer");
        ctrl(&mut app, 's');
        let s = screen(&app, 80, 24);
        let taken = if nl {
            "Er is al een actieve gebruiker met deze naam."
        } else {
            "An active user already has this name."
        };
        assert!(s.contains(taken), "{s}");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char(if nl { 'j' } else { 'y' })); // discard
        // Deactivated instead: the mark goes, the other Sara stays.
        press(&mut app, KeyCode::Char('x'));
        let s = screen(&app, 80, 24);
        assert!(s.contains(&format!("#{twin}")), "the question names the user by number:\n{s}");
        press(&mut app, KeyCode::Char(if nl { 'j' } else { 'y' }));
        let s = screen(&app, 80, 24);
        assert!(!s.contains(same), "{s}");
        assert!(line_with(&s, "Sara de Boer").contains(if nl { "actief" } else { "active" }), "{s}");
        // Activating the twin again would make the duplicate again: refused.
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Char(if nl { 'j' } else { 'y' }));
        let s = screen(&app, 80, 24);
        assert!(s.contains(taken), "{s}");
        assert!(!s.contains(same), "{s}");
    }
}

/// A period that ends before it starts is refused in a sentence of the user's language.
#[test]
fn a_reversed_period_is_refused_in_a_sentence() {
    for (lang, said) in
        [(Lang::Nl, "De periode begint na het einde."), (Lang::En, "The period starts after it ends.")]
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let f = fixture(dir.path());
        let mut app = referral_pane(f.store, lang);
        press(&mut app, KeyCode::Char('5'));
        press(&mut app, KeyCode::Char('d'));
        ctrl(&mut app, 'u');
        type_text(&mut app, "30-11-2026");
        press(&mut app, KeyCode::Tab);
        ctrl(&mut app, 'u');
        type_text(&mut app, "01-11-2026");
        ctrl(&mut app, 's');
        let s = screen(&app, 80, 24);
        assert!(s.contains(said), "{s}");
    }
}
