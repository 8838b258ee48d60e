//! Tests of form.rs.
use super::*;

fn form() -> Form {
    Form::new(
        "t",
        vec![
            Field::text(FieldId::Given1, "a", 5, true),
            Field::choice(
                FieldId::Request,
                "b",
                Choice::new(vec![("x", "k.x".to_owned()), ("y", "k.y".to_owned())]),
            ),
            Field::text(FieldId::Note, "c", 10, false),
        ],
    )
}

#[test]
fn typing_stops_at_the_limit_and_says_so() {
    let mut f = form();
    for c in "Anna-Lena".chars() {
        f.edit(EditOp::Insert(c));
    }
    assert_eq!(f.text(FieldId::Given1), "Anna-");
    assert_eq!(f.fields[0].error.map(|e| e.key), Some("form.error_too_long"));
}

#[test]
fn a_multi_line_paste_is_refused_and_keeps_what_was_typed() {
    let mut f = form();
    f.edit(EditOp::Insert('J'));
    assert_eq!(f.paste("an\nsen"), Err(FieldError::new("form.error_multiline_paste")));
    assert_eq!(f.text(FieldId::Given1), "J");
    assert_eq!(f.paste("an"), Ok(()));
    assert_eq!(f.text(FieldId::Given1), "Jan");
    assert!(f.paste(&"x".repeat(1_000_000)).is_err());
    assert_eq!(f.text(FieldId::Given1), "Jan");
}

#[test]
fn focus_skips_hidden_fields_and_wraps() {
    let mut f = form();
    f.set_visible(FieldId::Request, false);
    f.move_focus(true);
    assert_eq!(f.focused().map(|x| x.id), Some(FieldId::Note));
    f.move_focus(true);
    assert_eq!(f.focused().map(|x| x.id), Some(FieldId::Given1));
    f.move_focus(false);
    assert_eq!(f.focused().map(|x| x.id), Some(FieldId::Note));
}

#[test]
fn choices_step_with_arrows_and_enter_opens_them() {
    let mut f = form();
    f.focus_on(FieldId::Request);
    f.edit(EditOp::Right);
    assert_eq!(f.choice(FieldId::Request).map(Choice::code), Some("y"));
    f.edit(EditOp::Right);
    assert_eq!(f.choice(FieldId::Request).map(Choice::code), Some("x"));
    assert_eq!(f.enter(), FormEffect::OpenChoice(FieldId::Request));
}

#[test]
fn a_required_empty_field_is_marked_and_focused() {
    let mut f = form();
    f.focus_on(FieldId::Note);
    assert_eq!(f.checked_text(FieldId::Given1), None);
    assert!(f.focus_first_error());
    assert_eq!(f.focused().map(|x| x.id), Some(FieldId::Given1));
    assert_eq!(f.checked_text(FieldId::Note), Some(String::new()));
}
