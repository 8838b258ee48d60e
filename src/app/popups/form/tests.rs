//! Tests of the form's fields.
use super::*;

crate::form_fields!(F { Name, Kind, Note });

fn form() -> Form {
    Form::new(
        "t",
        vec![
            Field::text("a", 5, true),
            Field::choice("b", Choice::new(vec!["k.x".to_owned(), "k.y".to_owned()])),
            Field::text("c", 10, false),
        ],
    )
}

#[test]
fn typing_stops_at_the_limit_and_says_so() {
    let mut f = form();
    for c in "Anna-Lena".chars() {
        f.edit(EditOp::Insert(c));
    }
    assert_eq!(f.text(F::Name), "Anna-");
    assert_eq!(f.fields[0].error.map(|e| e.key), Some("form.error_too_long"));
}

#[test]
fn a_multi_line_paste_is_refused_and_keeps_what_was_typed() {
    let mut f = form();
    f.edit(EditOp::Insert('J'));
    assert_eq!(f.paste("an\nsen"), Err(FieldError::new("form.error_multiline_paste")));
    assert_eq!(f.text(F::Name), "J");
    assert_eq!(f.paste("an"), Ok(()));
    assert_eq!(f.text(F::Name), "Jan");
    assert!(f.paste(&"x".repeat(1_000_000)).is_err());
    assert_eq!(f.text(F::Name), "Jan");
}

#[test]
fn focus_skips_hidden_fields_and_wraps() {
    let mut f = form();
    f.set_visible(F::Kind, false);
    f.move_focus(true);
    assert!(f.has_focus(F::Note));
    f.move_focus(true);
    assert!(f.has_focus(F::Name));
    f.move_focus(false);
    assert!(f.has_focus(F::Note));
}

#[test]
fn choices_step_with_arrows_read_back_typed_and_enter_opens_them() {
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Colour {
        Red,
        Blue,
    }
    let all = [Colour::Red, Colour::Blue];
    let mut f = form();
    f.focus_on(F::Kind);
    f.edit(EditOp::Right);
    assert_eq!(f.chosen(F::Kind, &all), Some(Colour::Blue));
    f.edit(EditOp::Right);
    assert_eq!(f.chosen(F::Kind, &all), Some(Colour::Red));
    f.select(F::Kind, &all, &Colour::Blue);
    assert_eq!(f.chosen(F::Kind, &all), Some(Colour::Blue));
    assert_eq!(f.enter(), FormEffect::OpenChoice(1));
}

#[test]
fn a_required_empty_field_is_marked_and_focused() {
    let mut f = form();
    f.focus_on(F::Note);
    assert_eq!(f.checked_text(F::Name), None);
    assert!(f.focus_first_error());
    assert!(f.has_focus(F::Name));
    assert_eq!(f.checked_text(F::Note), Some(String::new()));
}

#[test]
fn a_one_line_text_stops_at_its_limit_and_refuses_a_paste_that_would_pass_it() {
    use crate::action::Action;
    let mut input = tui_input::Input::default();
    for c in "geheimpje".chars() {
        edit_line(&mut input, &Action::Edit(EditOp::Insert(c)), 6);
    }
    assert_eq!(input.value(), "geheim");
    assert!(!edit_line(&mut input, &Action::Paste("x".into()), 6), "full: a paste is refused whole");
    assert!(edit_line(&mut input, &Action::Edit(EditOp::Backspace), 6));
    assert!(!edit_line(&mut input, &Action::Paste("ab".into()), 6));
    assert!(!edit_line(&mut input, &Action::Paste("a\nb".into()), 10), "never more than one line");
    assert!(edit_line(&mut input, &Action::Paste("m".into()), 6));
    assert_eq!(input.value(), "geheim");
}

#[test]
fn a_letter_picks_the_next_option_it_starts_and_space_picks_nothing() {
    let mut f = Form::new(
        "t",
        vec![Field::choice(
            "b",
            Choice::new(vec!["Ja".into(), "Nee".into(), "Niet bekend".into(), "Één".into()]),
        )],
    );
    let label = |s: &str| s.to_owned();
    assert!(f.choose_by_letter('n', label));
    assert_eq!(f.choice(F::Name).map(|c| c.selected), Some(1));
    assert!(f.choose_by_letter('N', label), "again: the next one, in any case");
    assert_eq!(f.choice(F::Name).map(|c| c.selected), Some(2));
    assert!(f.choose_by_letter('e', label), "without its accent");
    assert_eq!(f.choice(F::Name).map(|c| c.selected), Some(3));
    assert!(!f.choose_by_letter(' ', label) && !f.choose_by_letter('z', label));
    assert_eq!(f.choice(F::Name).map(|c| c.selected), Some(3), "nothing changed");
    f.edit(EditOp::Insert(' '));
    assert_eq!(f.choice(F::Name).map(|c| c.selected), Some(3), "Space does not step a choice");
}
