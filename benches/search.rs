//! Finding a couple among many: `Store::search_couples` on a database of 100,000 couples.
//!
//! Search must stay instant in a large file: one word or several, the start of a surname or a word
//! inside it ("amrani" of "El Amrani"), a file number with or without its year, a phone number.
//! This benchmark builds such a database (in one transaction, straight through SQL, the search
//! index kept by its triggers), then times the queries a receptionist types letter by letter,
//! checks each answer against a brute-force count (the couples shown, the first by name when few
//! match, and the count "8 van 1.395"), times `possible_duplicates` and `queue_for`, and shows the
//! query plans (`Store::explain_search`, `explain_possible_duplicates` and `explain_queue_for`: the
//! plans of the statements the store runs). It fails if a search statement scans the partners or
//! couples table, `possible_duplicates` the partners or `queue_for` the walk-ins, or if a search
//! gives a wrong answer.
//!
//! Run: `cargo bench --bench search` (the binary gets `--bench`: 100,000 couples, 200 runs per
//! query). Without `--bench`, as `cargo test --all-targets` runs it, it is a smoke run of 2,000
//! couples and a few runs per query that still checks answers and plans in a second or two.
//! `LOKET_BENCH_COUPLES=20000 cargo bench --bench search` sets another number of couples.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use loket::domain::contact::phone_digits;
use loket::domain::couple::{FileNumber, Found};
use loket::domain::names::{PersonName, fold, is_prefix_word, search_words};
use loket::store::{SHORTLIST, Store};
use rusqlite::{Connection, OpenFlags, params};

/// How much a run measures: the full benchmark under `--bench`, otherwise a smoke run.
struct Mode {
    /// Whether this is the full measurement (`--bench`).
    full: bool,
    /// Couples in the database (`LOKET_BENCH_COUPLES` overrides).
    couples: usize,
    /// Timed runs of each call, at most.
    runs: usize,
    /// Timed runs of each call, at least.
    min_runs: usize,
    /// Time after which a call gets no more runs than `min_runs`.
    budget: Duration,
}

impl Mode {
    fn from_args() -> Self {
        let full = std::env::args().skip(1).any(|a| a == "--bench");
        let mut mode = if full {
            Self { full, couples: 100_000, runs: 200, min_runs: 20, budget: Duration::from_millis(1500) }
        } else {
            Self { full, couples: 2_000, runs: 5, min_runs: 1, budget: Duration::from_millis(50) }
        };
        if let Ok(v) = std::env::var("LOKET_BENCH_COUPLES") {
            mode.couples = v.trim().parse().expect("LOKET_BENCH_COUPLES must be a number of couples");
        }
        mode
    }
}

/// What the search box asks for.
const LIMIT: usize = 8;
/// All couples get a number in this year.
const FILE_YEAR: i32 = 2026;

/// The queries, as a receptionist types them.
const QUERIES: &[&str] = &[
    "w",
    "we",
    "wer",
    "wereld",
    "van der wer",
    "ijsbrand wer",
    "wer ijsbrand",
    "jan de jong",
    "el amrani",
    "amrani",
    "anne marie",
    "003",
    "ozt",
    "06 12",
    "0612345",
    "qxzqxz",
];

/// `QUERIES`, then the middle couple's file number ("2026-50000" among 100,000) and queries made
/// from generated couples (given name and the start of the surname; surname and the start of the
/// given name; the start of a phone number as written), so that the smoke run too has multi-word
/// and phone queries that find someone.
fn queries(couples: &[Couple]) -> Vec<String> {
    let mut queries: Vec<String> = QUERIES.iter().map(|q| (*q).to_owned()).collect();
    queries.insert(queries.len() - 3, format!("{FILE_YEAR}-{}", couples.len() / 2));
    let sample = &couples[couples.len() / 3].partners[0];
    let surname_start: String = sample.name.surname.chars().take(3).collect();
    let given_start: String = sample.name.given.chars().take(2).collect();
    queries.push(format!("{} {surname_start}", sample.name.given));
    queries.push(format!("{} {given_start}", sample.name.surname));
    if let Some(p) =
        couples[couples.len() / 4..].iter().flat_map(|c| &c.partners).find(|p| p.phone.starts_with('0'))
    {
        queries.push(p.phone[..7].to_owned());
    }
    queries
}

/// Surnames with their usual prefix; a syllable is added to most, so that there are thousands.
#[rustfmt::skip]
const SURNAMES: &[(&str, &str)] = &[
    ("van der", "Wêreld"), ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"),
    ("van", "Dijk"), ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"),
    ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"),
    ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"),
    ("de", "Bruijn"), ("de", "Bruin"), ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"),
    ("", "Willems"), ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"),
    ("", "Peeters"), ("de", "Jonge"), ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Kuiper"),
    ("", "Veenstra"), ("", "Kramer"), ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"),
    ("", "Postma"), ("", "Martens"), ("", "Vink"), ("de", "Ruiter"), ("", "Timmermans"), ("", "Groen"),
    ("", "Gerritsen"), ("", "Jonker"), ("van", "Loon"), ("", "Boersma"), ("van der", "Velde"),
    ("", "Willemsen"), ("", "Wouters"), ("", "Westra"), ("", "Wolters"), ("", "Wagenaar"), ("de", "Weerd"),
    ("van", "Wijngaarden"), ("", "Wessels"), ("", "Öztürk"), ("", "Yılmaz"), ("", "Kaya"), ("", "Demir"),
    ("", "Şahin"), ("", "Çelik"), ("", "Yıldız"), ("", "Aydın"), ("", "Özdemir"), ("", "Arslan"),
    ("", "Doğan"), ("", "Koç"), ("", "El Amrani"), ("", "Bouzid"), ("", "Benali"), ("", "El Idrissi"),
    ("", "Ouali"), ("", "Nguyen"), ("", "Tran"), ("", "Pinas"), ("", "Doelwijt"), ("", "Kromodikoro"),
    ("", "Sardjoe"), ("", "Ramdin"), ("", "Müller"), ("", "Schäfer"), ("", "Nowak"), ("", "Kowalski"),
    ("", "Wiśniewski"), ("", "Lewandowski"), ("", "Lindqvist"), ("", "Søndergaard"), ("", "Ødegaard"),
    ("", "García"), ("", "Fernández"), ("", "Gonçalves"), ("", "Brontë"), ("ter", "Horst"), ("ten", "Cate"),
    ("te", "Velde"), ("in 't", "Veld"), ("op de", "Beek"), ("van 't", "Hof"), ("d'", "Ancona"),
    ("la", "Rivière"), ("von", "Stein"), ("", "Zwart"), ("", "Zijlstra"), ("van", "Zanten"),
    ("", "IJzerman"), ("", "IJsselmuiden"), ("", "Everts"), ("", "Evers"), ("", "Ouwehand"),
    ("", "Uijttenbroek"), ("", "Claessens"), ("", "Heemskerk"), ("", "Lammers"), ("", "Nijland"),
    ("", "Ruijs"), ("", "Tuinstra"), ("", "Grünewald"), ("", "Žukauskas"),
];

/// Syllables appended to a surname ("" keeps it as it is).
#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "", "", "", "", "s", "e", "ink", "man", "sma", "stra", "ema", "ing", "er", "hof", "kamp", "veld", "berg",
    "horst", "dijk", "huis", "boom", "sen", "ers", "link",
];

#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "IJsbrand", "Els", "Jan", "Piet", "Kees", "Anna", "Sanne", "Willem", "Wim", "Wendy", "Wouter", "Ayşe",
    "Zoë", "Chloë", "Noëlle", "Mehmet", "Fatma", "Özlem", "Ümit", "Emre", "Elif", "Mohamed", "Fatima",
    "Youssef", "Khadija", "Sem", "Daan", "Lucas", "Levi", "Finn", "Emma", "Julia", "Mila", "Tess", "Sophie",
    "Lotte", "Eva", "Fleur", "Noor", "Lieke", "Marloes", "Inge", "Ingrid", "Joke", "Henk", "Gerrit",
    "Hendrik", "Johannes", "Cornelis", "Maria", "Johanna", "Geertruida", "Bram", "Thijs", "Ruben", "Jesse",
    "Niels", "Joost", "Stijn", "Bas", "Roos", "Iris", "Esther", "Mirjam", "Renée", "José", "Zeynep",
    "Hüseyin", "Çağla", "Şükrü", "Linh", "Minh", "Anand", "Priya", "Rajesh", "Sunita", "Marek", "Agnieszka",
    "Łukasz", "Björn", "Søren", "Ingeborg", "Ilse", "Ivo", "Yara", "Yusuf", "Ahmet", "Merel", "Femke",
    "Wietske", "Anne-Marie", "Jan-Willem",
];

/// A small deterministic generator (SplitMix64): the same database on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A partner as generated, kept in memory to count the right answers by brute force.
struct Partner {
    name: PersonName,
    phone: String,
    phone_key: String,
}

struct Couple {
    seq: u32,
    partners: [Partner; 2],
}

fn person(rng: &mut Rng) -> Partner {
    let (prefix, base) = SURNAMES[rng.below(SURNAMES.len())];
    let surname = format!("{base}{}", rng.pick(SYLLABLES));
    // Now and then the prefix is left off, as some families do.
    let prefix = if rng.below(10) == 0 { "" } else { prefix };
    let name = PersonName::new(rng.pick(GIVEN), prefix, &surname);
    let phone = match rng.below(10) {
        0..=5 => format!("06-{:08}", rng.next() % 100_000_000),
        6 => format!("+31 6 {:04} {:04}", rng.next() % 10_000, rng.next() % 10_000),
        7 => format!("010-{:07}", rng.next() % 10_000_000),
        _ => String::new(),
    };
    let phone_key = phone_digits(&phone);
    Partner { name, phone, phone_key }
}

fn generate(count: usize) -> Vec<Couple> {
    let mut rng = Rng(0x6C6F_6B65_7400_0001);
    (0..count).map(|i| Couple { seq: i as u32 + 1, partners: [person(&mut rng), person(&mut rng)] }).collect()
}

/// The desk day the queue is read for.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("valid date")
}

fn instant(day: NaiveDate, minutes_after_eight: u64) -> String {
    let m = minutes_after_eight;
    format!("{day}T{:02}:{:02}:00Z", 8 + m / 60 % 12, m % 60)
}

/// Writes the couples, their partners and one walk-in each (spread over the last thousand
/// days, plus a busy today and a few carried over unfinished) in one transaction.
fn fill(path: &Path, couples: &[Couple]) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    // A page cache that holds the whole database, so that the random-order index inserts
    // (names, phone numbers) do not spill to disk halfway through the transaction.
    conn.pragma_update(None, "cache_size", -256_000)?;
    let tx = conn.transaction()?;
    for (id, name) in [(1, "Sara de Boer"), (2, "Jeroen Bakker"), (3, "Aylin Kaya")] {
        tx.execute(
            "INSERT INTO users (id, name, role, created_at) VALUES (?1, ?2, 'counsellor', '2024-01-01T08:00:00Z')",
            params![id, name],
        )?;
    }
    {
        let mut couple = tx.prepare(
            "INSERT INTO couples (id, file_year, file_seq, request, source, created_at)
             VALUES (?1, ?2, ?3, 'repair', 'self', ?4)",
        )?;
        let mut partner = tx.prepare(
            "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key, phone, phone_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut walk_in = tx.prepare(
            "INSERT INTO walk_ins (couple_id, day, ticket, arrived_at, attendance, request, source, status,
                                   counsellor_id, outcome, called_at, changed_at)
             VALUES (?1, ?2, ?3, ?4, 'both', 'repair', 'self', ?5, ?6, ?7, ?8, ?8)",
        )?;
        let n = couples.len();
        for (i, c) in couples.iter().enumerate() {
            let id = i as i64 + 1;
            // The newest couples came today; the rest on earlier days, about a hundred a day.
            let from_end = n - 1 - i;
            let (day, ticket) = if from_end < 40 {
                (today(), (40 - from_end) as u32)
            } else {
                let back = 1 + (from_end - 40) % 1000;
                (today() - Days::new(back as u64), 1 + ((from_end - 40) / 1000) as u32)
            };
            let arrived = instant(day, u64::from(ticket));
            couple.execute(params![id, FILE_YEAR, c.seq, arrived])?;
            for (pos, p) in c.partners.iter().enumerate() {
                partner.execute(params![
                    id,
                    pos as i64 + 1,
                    p.name.given,
                    p.name.prefix,
                    p.name.surname,
                    p.name.sort_key(),
                    fold(&p.name.given),
                    p.phone,
                    p.phone_key
                ])?;
            }
            // Today: the first 25 done, then 3 in conversation and the rest waiting.
            // Earlier days: done, except one in 20,000 left unfinished (carried over).
            let (status, counsellor, outcome) = if day == today() {
                match ticket {
                    1..=25 => ("done", Some(1 + i64::from(ticket % 3)), Some("one_conversation")),
                    26..=28 => ("in_conversation", Some(1 + i64::from(ticket % 3)), None),
                    _ => ("waiting", None, None),
                }
            } else if from_end % 20_000 == 7 {
                ("waiting", None, None)
            } else if from_end.is_multiple_of(11) {
                ("left", None, None)
            } else {
                ("done", Some(1 + (from_end % 3) as i64), Some("trajectory_to_plan"))
            };
            let changed = (status != "waiting").then(|| instant(day, u64::from(ticket) + 30));
            walk_in.execute(params![
                id,
                day.to_string(),
                ticket,
                arrived,
                status,
                counsellor,
                outcome,
                changed
            ])?;
        }
    }
    tx.commit()
}

/// What a query asks `search_couples` for, as its documentation (src/store/couples.rs) says.
enum Wanted {
    /// A file number: that file.
    File(FileNumber),
    /// Digits alone: the file of that number in any year (`seq`) and, from four digits, partners
    /// whose phone number, in national form, starts with them (`phone`).
    Digits { seq: Option<u32>, phone: Option<String> },
    /// Names: every word starts a word of one partner's folded sort key, split as the index splits
    /// it; words that are all prefixes ("van") must start a word of the surname or given name.
    Name { words: Vec<String>, only_prefixes: bool },
    /// Nothing to look for (an empty query).
    Nothing,
}

fn wanted(query: &str) -> Wanted {
    if let Some(file) = FileNumber::parse(query) {
        return Wanted::File(file);
    }
    let trimmed = query.trim();
    if !trimmed.is_empty() && !trimmed.chars().any(char::is_alphabetic) {
        let seq = (trimmed.len() <= 6 && trimmed.chars().all(|c| c.is_ascii_digit()))
            .then(|| trimmed.parse::<u32>().ok())
            .flatten()
            .filter(|n| *n > 0);
        let digits = phone_digits(query);
        return Wanted::Digits { seq, phone: (digits.len() >= 4).then_some(digits) };
    }
    let folded = fold(query);
    let words: Vec<String> = search_words(&folded).map(str::to_owned).collect();
    if words.is_empty() {
        return Wanted::Nothing;
    }
    let only_prefixes = words.iter().all(|w| is_prefix_word(w));
    Wanted::Name { words, only_prefixes }
}

/// The words a partner is found by: of the surname and given name, and of the prefix.
fn name_words(p: &Partner) -> (Vec<String>, Vec<String>) {
    let name = fold(&format!("{} {}", p.name.surname, p.name.given));
    let prefix = fold(&p.name.prefix);
    (search_words(&name).map(str::to_owned).collect(), search_words(&prefix).map(str::to_owned).collect())
}

/// Whether this partner is one `search_couples` should find.
fn partner_matches(p: &Partner, wanted: &Wanted) -> bool {
    match wanted {
        Wanted::File(_) | Wanted::Nothing => false,
        Wanted::Digits { phone, .. } => {
            phone.as_ref().is_some_and(|d| !p.phone_key.is_empty() && p.phone_key.starts_with(d.as_str()))
        }
        Wanted::Name { words, only_prefixes } => {
            let (mut tokens, prefix) = name_words(p);
            if !only_prefixes {
                tokens.extend(prefix);
            }
            words.iter().all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
        }
    }
}

fn file_matches(c: &Couple, wanted: &Wanted) -> bool {
    match wanted {
        Wanted::File(file) => *file == FileNumber { year: FILE_YEAR, seq: c.seq },
        Wanted::Digits { seq: Some(seq), .. } => *seq == c.seq,
        _ => false,
    }
}

fn couple_matches(c: &Couple, wanted: &Wanted) -> bool {
    file_matches(c, wanted) || c.partners.iter().any(|p| partner_matches(p, wanted))
}

/// The key a matching couple sorts under: "" for a file number, else its matching partner's sort key.
fn sorts_under(c: &Couple, wanted: &Wanted) -> String {
    if file_matches(c, wanted) {
        return String::new();
    }
    c.partners
        .iter()
        .filter(|p| partner_matches(p, wanted))
        .map(|p| p.name.sort_key())
        .min()
        .unwrap_or_default()
}

/// What is wrong with an answer of `search_couples`, if anything: a couple shown twice, one that
/// does not match or is not the couple generated, fewer couples than there are (up to `LIMIT`), a
/// wrong count, or (when no more than the shortlist match) not the first by name.
fn check_answer(query: &str, wanted: &Wanted, found: &Found, couples: &[Couple]) -> Vec<String> {
    let mut wrong = Vec::new();
    let shown = &found.couples;
    for (i, s) in shown.iter().enumerate() {
        if shown[..i].iter().any(|t| t.id == s.id) {
            wrong.push(format!("\"{query}\" shows couple {} twice", s.id));
            continue;
        }
        let Some(c) =
            usize::try_from(s.id).ok().and_then(|id| id.checked_sub(1)).and_then(|i| couples.get(i))
        else {
            wrong.push(format!("\"{query}\" shows couple {}, which was never created", s.id));
            continue;
        };
        let names: Vec<&PersonName> = c.partners.iter().map(|p| &p.name).collect();
        if s.file != (FileNumber { year: FILE_YEAR, seq: c.seq })
            || s.partners.iter().collect::<Vec<_>>() != names
        {
            wrong.push(format!(
                "\"{query}\" shows couple {} as {} {}, not as created",
                s.id,
                s.file,
                s.names()
            ));
        } else if !couple_matches(c, wanted) {
            wrong.push(format!("\"{query}\" shows {} {}, which does not match", s.file, s.names()));
        }
    }
    let mut matching: Vec<(String, i64)> = couples
        .iter()
        .enumerate()
        .filter(|(_, c)| couple_matches(c, wanted))
        .map(|(i, c)| (sorts_under(c, wanted), i as i64 + 1))
        .collect();
    let expected = matching.len();
    if shown.len() != expected.min(LIMIT) {
        wrong.push(format!(
            "\"{query}\" shows {} couples, but {expected} couples match (should show {})",
            shown.len(),
            expected.min(LIMIT)
        ));
    }
    // A phone number counts the partners with it (and the files of that number).
    let count = match wanted {
        Wanted::Digits { phone: Some(_), .. } => {
            couples.iter().filter(|c| file_matches(c, wanted)).count()
                + couples.iter().flat_map(|c| &c.partners).filter(|p| partner_matches(p, wanted)).count()
        }
        _ => expected,
    };
    let counted = if count > Found::COUNT_CAP { (Found::COUNT_CAP, true) } else { (count, false) };
    if (found.total, found.more_than) != counted {
        wrong.push(format!(
            "\"{query}\" counts {}{} couples, but {expected} match",
            if found.more_than { "more than " } else { "" },
            found.total
        ));
    }
    // Phone numbers list the first numbers in order of the number, not of the name.
    let by_phone = matches!(wanted, Wanted::Digits { phone: Some(_), .. });
    if expected <= SHORTLIST / 2 && !by_phone {
        matching.sort();
        let first: Vec<i64> = matching.iter().take(LIMIT).map(|(_, id)| *id).collect();
        let ids: Vec<i64> = shown.iter().map(|c| c.id).collect();
        if ids != first {
            wrong.push(format!("\"{query}\" shows {ids:?}, not the first by name {first:?}"));
        }
    }
    wrong
}

struct Timing {
    first: Duration,
    median: Duration,
    max: Duration,
    runs: usize,
}

/// Runs `f` once cold and then `mode.runs` times (fewer for a slow call: at least `mode.min_runs`,
/// and no more once `mode.budget` is spent); the median and maximum are of those runs.
fn time<T>(mode: &Mode, mut f: impl FnMut() -> T) -> (Timing, T) {
    let start = Instant::now();
    let value = f();
    let first = start.elapsed();
    let started = Instant::now();
    let mut runs: Vec<Duration> = Vec::with_capacity(mode.runs);
    while runs.len() < mode.runs.max(1)
        && (runs.len() < mode.min_runs.max(1) || started.elapsed() < mode.budget)
    {
        let start = Instant::now();
        std::hint::black_box(f());
        runs.push(start.elapsed());
    }
    runs.sort();
    let n = runs.len();
    (Timing { first, median: runs[n / 2], max: runs[n - 1], runs: n }, value)
}

fn call_row(label: &str, rows: usize, t: &Timing) {
    println!(
        "{label:<44} {rows:>6} {:>5} {:>10} {:>10} {:>10}",
        t.runs,
        us(t.first),
        us(t.median),
        us(t.max)
    );
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

/// The plan SQLite chooses for `sql` with these parameters, one line per step, indented.
/// Lines of a plan that read a whole table (of partners, couples or walk-ins) instead of searching an index.
fn scans<'a>(plan: &'a [String], tables: &[&str]) -> Vec<&'a str> {
    plan.iter()
        .map(|l| l.trim())
        .filter(|l| {
            tables.iter().any(|t| {
                let scan = format!("SCAN {t}");
                *l == scan || l.starts_with(&format!("{scan} "))
            })
        })
        .collect()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The same database encrypted (SQLCipher, the desk's way): unlocking a slot (argon2id), opening
/// the file and the first search, then every query timed beside the plain file's median.
fn encrypted_side_by_side(mode: &Mode, plain: &Path, queries: &[String], store: &Store) {
    use loket::keys::{DbKey, SlotFile, database_id_of};
    use loket::store::Access;
    let encrypted = plain.with_file_name("encrypted.db");
    let key = DbKey::random().expect("a key");
    let start = Instant::now();
    loket::store::encrypt_copy(plain, &encrypted, &key).expect("an encrypted copy");
    println!("\nencrypted copy made (sqlcipher_export) in {:.2} s", start.elapsed().as_secs_f64());
    let mut slots = SlotFile::new(database_id_of(&encrypted).expect("its id"));
    slots.add(1, "Bench", "een wachtwoord voor de meting", &key).expect("a slot");
    let start = Instant::now();
    let unlocked = slots.unwrap(1, "een wachtwoord voor de meting").expect("unlock");
    let unlock = start.elapsed();
    let start = Instant::now();
    let secret = Store::open_with(&encrypted, Access::Key(&unlocked)).expect("open encrypted");
    let opened = start.elapsed();
    let (first, _) = time(mode, || secret.find_couples("jan", LIMIT).expect("find"));
    println!(
        "unlock a slot (argon2id m=64 MiB, t=4) {} ms; open the encrypted file {} µs; first search {} µs",
        unlock.as_millis(),
        us(opened),
        us(first.first)
    );
    println!("{:<20} {:>12} {:>14}", "query", "plain µs", "encrypted µs");
    for query in queries {
        let (p, _) = time(mode, || store.find_couples(query, LIMIT).expect("find"));
        let (e, found) = time(mode, || secret.find_couples(query, LIMIT).expect("find"));
        assert_eq!(found, store.find_couples(query, LIMIT).expect("find"), "the same answer, encrypted");
        println!("{:<20} {:>12} {:>14}", format!("\"{query}\""), us(p.median), us(e.median));
    }
}

fn main() {
    let mode = Mode::from_args();
    let count = mode.couples;
    assert!(count >= 41, "LOKET_BENCH_COUPLES must be at least 41 (40 walk-ins today and one earlier)");
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("loket.db");

    println!(
        "loket search benchmark: {count} couples, {} partners, up to {} runs per query{}\n",
        count * 2,
        mode.runs,
        if mode.full { "" } else { " (smoke run; `cargo bench --bench search` measures 100,000 couples)" }
    );

    let start = Instant::now();
    drop(Store::open(&path).expect("Store::open creates the database"));
    let couples = generate(count);
    let generated = start.elapsed();
    let start = Instant::now();
    fill(&path, &couples).expect("bulk insert");
    let filled = start.elapsed();
    println!(
        "generated names in {:.2} s, inserted in one transaction in {:.2} s",
        generated.as_secs_f64(),
        filled.as_secs_f64()
    );

    let start = Instant::now();
    let store = Store::open(&path).expect("Store::open reopens the database");
    println!("Store::open on the full database: {} µs", us(start.elapsed()));
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("read connection");
    let page_count: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).expect("page_count");
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page_size");
    let wal = path.with_file_name("loket.db-wal");
    println!(
        "database: {:.1} MB ({page_count} pages of {page_size} bytes); file {:.1} MB, WAL {:.1} MB",
        (page_count * page_size) as f64 / 1e6,
        file_size(&path) as f64 / 1e6,
        file_size(&wal) as f64 / 1e6
    );
    let mut sizes = conn
        .prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8")
        .expect("dbstat prepares");
    let sizes: Vec<(String, i64)> = sizes
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("dbstat runs")
        .collect::<rusqlite::Result<_>>()
        .expect("dbstat rows");
    let sizes: Vec<String> = sizes.iter().map(|(n, b)| format!("{n} {:.1} MB", *b as f64 / 1e6)).collect();
    println!("largest tables and indexes: {}\n", sizes.join(", "));

    // --- search_couples -----------------------------------------------------------------------
    println!(
        "{:<20} {:>6} {:>8} {:>8} {:>7} {:>5} {:>10} {:>10} {:>10}",
        "query", "shown", "counted", "expected", "answer", "runs", "first µs", "median µs", "max µs"
    );
    let mut findings: Vec<String> = Vec::new();
    let mut wrong_answers: Vec<String> = Vec::new();
    let mut search_plans: Vec<(&str, Vec<String>)> = Vec::new();
    let queries = queries(&couples);
    for query in queries.iter().map(String::as_str) {
        let (timing, found) = time(&mode, || store.search_couples(query, LIMIT).expect("search_couples"));
        let wanted = wanted(query);
        let want = couples.iter().filter(|c| couple_matches(c, &wanted)).count();
        let wrong = check_answer(query, &wanted, &found, &couples);
        println!(
            "{:<20} {:>6} {:>8} {:>8} {:>7} {:>5} {:>10} {:>10} {:>10}",
            format!("\"{query}\""),
            found.couples.len(),
            format!("{}{}", if found.more_than { ">" } else { "" }, found.total),
            want,
            if wrong.is_empty() { "ok" } else { "WRONG" },
            timing.runs,
            us(timing.first),
            us(timing.median),
            us(timing.max)
        );
        wrong_answers.extend(wrong);
        if mode.full && timing.median > Duration::from_millis(2) {
            findings.push(format!(
                "\"{query}\" takes {} µs (median), more than a keystroke may",
                us(timing.median)
            ));
        }
        search_plans.push((query, store.explain_search(query).expect("explain_search")));
    }

    encrypted_side_by_side(&mode, &path, &queries, &store);

    // --- possible_duplicates and queue_for ----------------------------------------------------
    println!();
    let sample = &couples[count / 3];
    let names: Vec<PersonName> = sample.partners.iter().map(|p| p.name.clone()).collect();
    let common = vec![PersonName::new("Jan", "de", "Jong"), PersonName::new("Emma", "", "Jansen")];
    println!(
        "{:<44} {:>6} {:>5} {:>10} {:>10} {:>10}",
        "call", "rows", "runs", "first µs", "median µs", "max µs"
    );
    for (label, partners, years) in [
        (format!("possible_duplicates({} & …)", names[0].full()), &names, vec![Some(1980), None]),
        ("possible_duplicates(Jan de Jong, Emma Jansen)".to_owned(), &common, vec![None, None]),
    ] {
        let (t, ids) =
            time(&mode, || store.possible_duplicates(partners, &years).expect("possible_duplicates"));
        call_row(&label, ids.len(), &t);
    }
    let (t, queue) = time(&mode, || store.queue_for(today()).expect("queue_for"));
    call_row(&format!("queue_for({})", today()), queue.len(), &t);
    let (t, _) = time(&mode, || store.couple_summary(1 + count as i64 / 2).expect("couple_summary"));
    call_row("couple_summary (one couple)", 1, &t);

    // --- query plans --------------------------------------------------------------------------
    let mut shown: Vec<&Vec<String>> = Vec::new();
    for (query, p) in &search_plans {
        if shown.contains(&p) {
            continue;
        }
        shown.push(p);
        println!(
            "\nEXPLAIN QUERY PLAN, search_couples (\"{query}\"{}):",
            if shown.len() > 1 { ", differs" } else { "" }
        );
        for line in p {
            println!("  {line}");
        }
    }
    let dup_plan = store
        .explain_possible_duplicates(&PersonName::new("Emma", "", "Jansen"), None)
        .expect("explain_possible_duplicates");
    println!("\nEXPLAIN QUERY PLAN, possible_duplicates:");
    for line in &dup_plan {
        println!("  {line}");
    }
    let queue_plan = store.explain_queue_for(today()).expect("explain_queue_for");
    println!("\nEXPLAIN QUERY PLAN, queue_for:");
    for line in &queue_plan {
        println!("  {line}");
    }

    let mut search_scans: Vec<String> = Vec::new();
    for (query, p) in &search_plans {
        for line in p {
            if line.contains("SCAN partners") || line.contains("SCAN couples") {
                search_scans.push(format!("search_couples(\"{query}\"): {line}"));
            }
        }
    }
    for line in scans(&dup_plan, &["partners"]) {
        search_scans.push(format!("possible_duplicates reads the whole table: {line}"));
    }
    for line in scans(&queue_plan, &["w", "walk_ins"]) {
        search_scans.push(format!("queue_for reads every walk-in ever registered: {line}"));
    }

    println!();
    if findings.is_empty() && search_scans.is_empty() && wrong_answers.is_empty() {
        println!("no findings: every query uses an index and answers correctly");
    }
    for f in wrong_answers.iter().chain(&search_scans).chain(&findings) {
        println!("FINDING: {f}");
    }
    assert!(
        search_scans.is_empty(),
        "a statement scans a table instead of searching an index:\n  {}",
        search_scans.join("\n  ")
    );
    assert!(wrong_answers.is_empty(), "search_couples answers wrongly:\n  {}", wrong_answers.join("\n  "));
}
