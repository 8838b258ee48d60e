-- loket schema, version 10: the desk's settings, and erasure (AVG art. 17) with a report that
-- does not change.
--
-- `settings`: the desk's policy numbers, one row per key, with who changed it last. The first is
-- the retention term: files closed more than `retention_years` ago are due for erasure.
--
-- `erased_files`: the number and internal id of every erased file, so that neither is ever given
-- again (the access log keeps both for the erased couple's rows). Nothing else of the couple.
--
-- `anon_*`: what an erased couple contributed to the council's report, without a name, contact,
-- note, reason, year of birth or any other free text, under ids of their own (not the erased
-- couple's). Instants are kept as noon (local) of their day; a conversation's rank in its
-- trajectory is kept as seconds past that noon. The `report_*` views put the live rows and these
-- together: the report reads only the views, so erasing a file leaves every figure as it was.

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    changed_at  TEXT,
    changed_by  INTEGER REFERENCES users (id)
);
INSERT INTO settings (key, value) VALUES ('retention_years', '5');

CREATE TABLE erased_files (
    couple_id   INTEGER PRIMARY KEY,
    file_year   INTEGER NOT NULL,
    file_seq    INTEGER NOT NULL,
    erased_at   TEXT NOT NULL,
    UNIQUE (file_year, file_seq)
);

CREATE TABLE anon_couples (
    id          INTEGER PRIMARY KEY,
    request     TEXT NOT NULL,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL,
    outcome     TEXT,
    closed_on   TEXT
);

CREATE TABLE anon_walk_ins (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES anon_couples (id),
    day         TEXT NOT NULL,
    attendance  TEXT NOT NULL,
    request     TEXT NOT NULL,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL,
    outcome     TEXT
);
CREATE INDEX anon_walk_ins_by_day ON anon_walk_ins (day);

CREATE TABLE anon_trajectories (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES anon_couples (id),
    year        INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT
);

CREATE TABLE anon_sessions (
    id             INTEGER PRIMARY KEY,
    trajectory_id  INTEGER NOT NULL REFERENCES anon_trajectories (id),
    starts_at      TEXT NOT NULL,
    status         TEXT NOT NULL,
    attended       TEXT
);
CREATE INDEX anon_sessions_by_trajectory ON anon_sessions (trajectory_id);

CREATE TABLE anon_scores (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES anon_sessions (id),
    position       INTEGER NOT NULL,
    satisfaction   INTEGER NOT NULL,
    communication  INTEGER NOT NULL,
    hope           INTEGER NOT NULL
);

CREATE TABLE anon_referrals (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES anon_couples (id),
    party       TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE anon_referrals_in (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES anon_couples (id),
    source       TEXT NOT NULL,
    referred_on  TEXT NOT NULL
);

CREATE TABLE anon_life_events (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES anon_couples (id),
    kind        TEXT NOT NULL
);

-- Live ids are positive; an anonymous row's id is negated, so the two never meet in a join or a
-- count of distinct couples. (A referral in's id only orders one couple's rows: kept as it is.)
CREATE VIEW report_couples AS
    SELECT id, request, source, status, outcome, closed_on FROM couples
    UNION ALL SELECT -id, request, source, status, outcome, closed_on FROM anon_couples;

CREATE VIEW report_walk_ins AS
    SELECT couple_id, day, attendance, request, source, status, outcome FROM walk_ins
    UNION ALL SELECT -couple_id, day, attendance, request, source, status, outcome FROM anon_walk_ins;

CREATE VIEW report_trajectories AS
    SELECT id, couple_id, year, started_at, ended_at FROM trajectories
    UNION ALL SELECT -id, -couple_id, year, started_at, ended_at FROM anon_trajectories;

CREATE VIEW report_sessions AS
    SELECT id, trajectory_id, starts_at, status, attended FROM sessions
    UNION ALL SELECT -id, -trajectory_id, starts_at, status, attended FROM anon_sessions;

CREATE VIEW report_scores AS
    SELECT session_id, position, satisfaction, communication, hope FROM scores
    UNION ALL SELECT -session_id, position, satisfaction, communication, hope FROM anon_scores;

CREATE VIEW report_referrals AS
    SELECT couple_id, party, status, created_at FROM referrals
    UNION ALL SELECT -couple_id, party, status, created_at FROM anon_referrals;

CREATE VIEW report_referrals_in AS
    SELECT id, couple_id, source, referred_on FROM referrals_in
    UNION ALL SELECT id, -couple_id, source, referred_on FROM anon_referrals_in;

CREATE VIEW report_life_events AS
    SELECT couple_id, kind FROM life_events
    UNION ALL SELECT -couple_id, kind FROM anon_life_events;
