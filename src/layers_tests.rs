//! The layers point one way: these read the source and name any import against the arrows.

use std::path::Path;

/// Every `.rs` file under `src/<dir>`, with its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(path) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p.display().to_string(), text));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    sources(dir)
        .into_iter()
        .filter(|(_, text)| forbidden.iter().any(|f| text.contains(f)))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn the_ui_imports_nothing_from_the_store() {
    assert_eq!(offenders("ui", &["crate::store", "rusqlite"]), Vec::<String>::new());
}

#[test]
fn the_app_knows_no_terminal() {
    assert_eq!(offenders("app", &["crossterm", "ratatui::Frame", "ratatui::backend"]), Vec::<String>::new());
}

#[test]
fn the_domain_is_plain_rust() {
    assert_eq!(
        offenders("domain", &["ratatui", "rusqlite", "crate::store", "crate::app", "std::fs"]),
        Vec::<String>::new()
    );
}

#[test]
fn no_source_file_is_over_400_lines() {
    let long: Vec<String> = sources("")
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 400)
        .map(|(path, text)| format!("{path}: {}", text.lines().count()))
        .collect();
    assert_eq!(long, Vec::<String>::new());
}

#[test]
fn the_app_never_writes_users_past_the_coordinator_rule() {
    // `seed_user` is for test fixtures: every user the desk adds goes through a coordinator.
    let mut seen = offenders("app", &["seed_user"]);
    seen.extend(offenders("ui", &["seed_user"]));
    seen.extend(
        sources("")
            .into_iter()
            .filter(|(p, t)| p.ends_with("demo.rs") && t.contains("seed_user"))
            .map(|(p, _)| p),
    );
    assert_eq!(seen, Vec::<String>::new());
}
