//! A mistake in the command line itself (an unknown option, `--lang de`), said in the user's
//! language in one line. clap's own messages are English; they reach the user only for `--help`
//! and `--version`, which are not errors.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::config::Lang;
use crate::i18n::Texts;

/// The language to speak before the configuration is read: `--lang en` (or `LOKET_LANG=en`)
/// on the command line, otherwise Dutch.
pub fn language(args: &[String], env: Option<&str>) -> Lang {
    let given = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .map(|w| w[1].as_str())
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=")));
    match given.or(env) {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        _ => String::new(),
    }
}

/// The one line for a command-line mistake, without "loket: ".
pub fn usage_error_text(texts: &Texts, e: &clap::Error) -> String {
    let arg = match e.kind() {
        ErrorKind::InvalidSubcommand => context(e, ContextKind::InvalidSubcommand),
        _ => context(e, ContextKind::InvalidArg),
    };
    let value = context(e, ContextKind::InvalidValue);
    let key = match e.kind() {
        ErrorKind::UnknownArgument => "usage.unknown_argument",
        ErrorKind::InvalidSubcommand => "usage.unknown_command",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "usage.bad_value",
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => "usage.missing",
        _ => "usage.other",
    };
    texts.f(key, &[("arg", &arg), ("value", &value)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn said(args: &[&str]) -> (Lang, String) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let lang = language(&args, None);
        let e = Cli::try_parse_from(&args).expect_err("a mistake");
        (lang, usage_error_text(&Texts::new(lang), &e))
    }

    #[test]
    fn a_command_line_mistake_is_said_in_dutch_by_default_and_english_on_request() {
        assert_eq!(
            said(&["loket", "--kleur"]),
            (Lang::Nl, "onbekende optie --kleur (zie loket --help)".to_owned())
        );
        assert_eq!(
            said(&["loket", "--lang", "de"]),
            (Lang::Nl, "de waarde \"de\" past niet bij --lang <nl|en> (zie loket --help)".to_owned())
        );
        assert_eq!(
            said(&["loket", "rapport"]),
            (Lang::Nl, "onbekende opdracht rapport (zie loket --help)".to_owned())
        );
        assert_eq!(
            said(&["loket", "--lang", "en", "--colour"]),
            (Lang::En, "unknown option --colour (see loket --help)".to_owned())
        );
        assert_eq!(language(&["loket".into()], Some("en")), Lang::En);
    }
}
