-- loket schema, version 1. Append-only: never edit a migration that has shipped; add the next file.
-- Times are UTC instants as ISO-8601 text ("2026-12-02T08:05:00Z"); `day` is the desk's local date.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    role        TEXT NOT NULL CHECK (role IN ('receptionist', 'counsellor', 'coordinator')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL
);

CREATE TABLE couples (
    id          INTEGER PRIMARY KEY,
    file_year   INTEGER NOT NULL,
    file_seq    INTEGER NOT NULL CHECK (file_seq > 0),
    request     TEXT NOT NULL,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new',
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (file_year, file_seq)
);

CREATE TABLE partners (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position IN (1, 2)),
    given_name  TEXT NOT NULL,
    prefix      TEXT NOT NULL DEFAULT '',
    surname     TEXT NOT NULL,
    sort_key    TEXT NOT NULL,   -- folded: surname without prefix, given name, prefix
    given_key   TEXT NOT NULL,   -- folded given name, for search
    UNIQUE (couple_id, position)
);
CREATE INDEX partners_by_sort_key ON partners (sort_key);
CREATE INDEX partners_by_given_key ON partners (given_key);

CREATE TABLE walk_ins (
    id             INTEGER PRIMARY KEY,
    couple_id      INTEGER NOT NULL REFERENCES couples (id),
    day            TEXT NOT NULL,
    ticket         INTEGER NOT NULL CHECK (ticket > 0),
    arrived_at     TEXT NOT NULL,
    attendance     TEXT NOT NULL CHECK (attendance IN ('both', 'one')),
    request        TEXT NOT NULL,
    source         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'in_conversation', 'done', 'left')),
    counsellor_id  INTEGER REFERENCES users (id),
    outcome        TEXT,
    called_at      TEXT,
    changed_at     TEXT,
    registered_by  INTEGER REFERENCES users (id),
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (day, ticket)
);
CREATE INDEX walk_ins_by_couple ON walk_ins (couple_id);

-- Every status change of a walk-in, with the state before it, so that a wrong change can be undone.
CREATE TABLE walk_in_changes (
    id                  INTEGER PRIMARY KEY,
    walk_in_id          INTEGER NOT NULL REFERENCES walk_ins (id),
    at                  TEXT NOT NULL,
    user_id             INTEGER REFERENCES users (id),
    to_status           TEXT NOT NULL,
    from_status         TEXT NOT NULL,
    from_counsellor_id  INTEGER REFERENCES users (id),
    from_outcome        TEXT,
    from_called_at      TEXT,
    from_changed_at     TEXT,
    undone_at           TEXT
);
CREATE INDEX walk_in_changes_by_walk_in ON walk_in_changes (walk_in_id);
