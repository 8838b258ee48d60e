//! Tests of the generic popups: each hands back the reply it carries, and knows no pane.
use super::*;
use crate::app::panes::queue;
use crate::config::{Config, Lang};
use crate::i18n::Texts;
use crate::store::Store;

fn with_ctx(test: impl FnOnce(&mut Ctx)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("t.db")).expect("store");
    let (texts, config) = (Texts::new(Lang::Nl), Config::default());
    let mut ctx = Ctx {
        store: &mut store,
        texts: &texts,
        config: &config,
        now: chrono::Utc::now(),
        user: None,
        file: None,
        keys: None,
        unlogged: false,
    };
    test(&mut ctx);
}

fn reply(effects: &[Effect]) -> Option<&Msg> {
    match effects {
        [Effect::Send(msg)] => Some(msg),
        _ => None,
    }
}

#[test]
fn a_picker_hands_back_the_reply_of_the_item_picked_and_closes() {
    with_ctx(|ctx| {
        let items =
            (1..=3).map(|n| PickItem::new(format!("item {n}"), Msg::App(AppMsg::OpenFile(n)))).collect();
        let mut top = Overlay::Picker(Picker::new("t", items));
        assert!(matches!(update(&mut top, Action::Down, ctx), (After::Keep, e) if e.is_empty()));
        assert!(matches!(update(&mut top, Action::Last, ctx), (After::Keep, _)));
        let (after, effects) = update(&mut top, Action::Enter, ctx);
        assert!(matches!(after, After::Close));
        assert!(matches!(reply(&effects), Some(Msg::App(AppMsg::OpenFile(3)))), "{effects:?}");
    });
}

#[test]
fn esc_on_a_picker_closes_it_without_a_reply() {
    with_ctx(|ctx| {
        let items = vec![PickItem::new("x".to_owned(), Msg::App(AppMsg::Quit))];
        let (after, effects) = update(&mut Overlay::Picker(Picker::new("t", items)), Action::Back, ctx);
        assert!(matches!(after, After::Close) && effects.is_empty());
    });
}

#[test]
fn a_question_carries_what_to_do_on_yes_and_on_no() {
    with_ctx(|ctx| {
        let yes = Msg::Queue(queue::Msg::CallIn { walk_in: 7, version: 2, counsellor: 3 });
        let question = || {
            Overlay::Confirm(Confirm {
                question: "?".into(),
                on_yes: yes.clone(),
                on_no: Some(Msg::App(AppMsg::Discard)),
            })
        };
        let (after, effects) = update(&mut question(), Action::Yes, ctx);
        assert!(matches!(after, After::Close));
        assert!(
            matches!(
                reply(&effects),
                Some(Msg::Queue(queue::Msg::CallIn { walk_in: 7, version: 2, counsellor: 3 }))
            ),
            "{effects:?}"
        );
        let (_, effects) = update(&mut question(), Action::No, ctx);
        assert!(matches!(reply(&effects), Some(Msg::App(AppMsg::Discard))), "{effects:?}");
        // Esc is not no: it closes the question without an answer.
        let (after, effects) = update(&mut question(), Action::Back, ctx);
        assert!(matches!(after, After::Close) && effects.is_empty(), "{effects:?}");
        // Any other key leaves the question open and does nothing.
        let (after, effects) = update(&mut question(), Action::Edit(crate::action::EditOp::Insert('x')), ctx);
        assert!(matches!(after, After::Keep) && effects.is_empty());
    });
}

#[test]
fn a_form_choice_opens_a_list_whose_pick_goes_back_to_the_form() {
    with_ctx(|ctx| {
        #[derive(Debug)]
        struct One(Form);
        impl FormPopup for One {
            fn form(&self) -> &Form {
                &self.0
            }
            fn form_mut(&mut self) -> &mut Form {
                &mut self.0
            }
            fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
                Vec::new()
            }
        }
        let choice = Choice::new(vec!["a".into(), "b".into(), "c".into()]);
        let mut top = Overlay::Form(Box::new(One(Form::new("t", vec![Field::choice("k", choice)]))));
        let (_, effects) = update(&mut top, Action::Enter, ctx);
        let [Effect::Open(Overlay::Picker(list))] = effects.as_slice() else { panic!("a list: {effects:?}") };
        assert_eq!(list.items.len(), 3);
        let Some(item) = list.items.get(2) else { panic!("three options") };
        let Msg::Form(pick) = item.reply.clone() else { panic!("the pick goes to the form") };
        let Overlay::Form(form) = &mut top else { panic!("the form") };
        form::reply(form.as_mut(), pick, ctx);
        assert_eq!(form.form().choice(Key0).map(|c| c.selected), Some(2));
        assert!(form.form().dirty);
    });
}

/// The first field of a one-field form.
#[derive(Clone, Copy)]
struct Key0;

impl FieldKey for Key0 {
    fn index(self) -> usize {
        0
    }
}
