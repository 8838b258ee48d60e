//! End to end, the access log screen: in the real binary, a counsellor opens a file and leaves the
//! desk; the coordinator signs in, opens the log (7), asks for that file and sees the counsellor's
//! "dossier geopend" row; the look itself is in the database afterwards.

use crate::common::pty::*;

/// Signs in from the demo's user list as the user at `index` (sorted by name), with `role`.
fn sign_in_at(loket: &mut Loket, index: usize, name: &str, role: &str) {
    loket.wait_for("Wie bent u?");
    loket.send(HOME);
    loket.send(&"j".repeat(index));
    loket.wait_for(&format!("▸ {name}"));
    loket.send(ENTER);
    loket.wait_for(&format!("Aanmelden als {name}"));
    loket.send(&[DEMO_PASSWORD, ENTER].concat());
    loket.wait_gone("Wie bent u?");
    loket.wait_for(&format!("{name} ({role})"));
}

#[test]
fn the_coordinator_sees_who_opened_a_file() {
    let place = Place::demo();
    let number: String = {
        let db = rusqlite::Connection::open(place.db()).expect("open");
        db.query_row(
            "SELECT printf('%d-%03d', file_year, file_seq) FROM couples ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a demo file")
    };
    let mut loket = Loket::start_with(&place, &[], 80, 24);
    loket.sign_in_as_counsellor();
    // The counsellor finds the file by its number and opens it.
    loket.send("/");
    loket.wait_for("Typ een achternaam, voornaam of dossiernummer.");
    loket.send(&number);
    loket.wait_for(&format!("▸ {number}"));
    loket.send(ENTER);
    loket.wait_for(&format!("Dossier {number}"));
    // The counsellor has no log screen; then leaves the desk.
    loket.send("7");
    loket.wait_for("Alleen een coördinator ziet het logboek.");
    loket.send("w");
    loket.wait_for("niet aangemeld");
    sign_in_at(&mut loket, 1, "Henk Bos", "coördinator");
    loket.send("7");
    loket.wait_for("Wat wilt u zien in het logboek?");
    loket.send(&number);
    loket.send(CTRL_S);
    let screen = loket.wait_for("regels, nieuwste eerst");
    assert!(screen.contains(&format!("Logboek · dossier {number}")), "{screen}");
    let row = line_with(&screen, "dossier geopend");
    assert!(row.contains("Sara de Boer") && row.contains(&number), "{row}\n{screen}");
    loket.quit();
    let db = rusqlite::Connection::open(place.db()).expect("open");
    let (user, detail): (String, String) = db
        .query_row(
            "SELECT user_name, detail FROM access_log WHERE event = 'audit' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the look is logged");
    assert_eq!((user.as_str(), detail), ("Henk Bos", format!("file={number}")));
}
