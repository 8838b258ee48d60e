-- The couple's file: contact details, wishes, children, status and outcome, notes, the safety
-- concern, life events, a timeline of file events and a log of who opened a file.

ALTER TABLE partners ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN phone_key TEXT NOT NULL DEFAULT '';  -- digits, national form
ALTER TABLE partners ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN birth_year INTEGER;
ALTER TABLE partners ADD COLUMN wish TEXT NOT NULL DEFAULT 'unknown'
    CHECK (wish IN ('unknown', 'stay_together', 'unsure', 'separate'));
CREATE INDEX partners_by_phone_key ON partners (phone_key) WHERE phone_key <> '';

ALTER TABLE couples ADD COLUMN children INTEGER NOT NULL DEFAULT 0 CHECK (children BETWEEN 0 AND 20);
ALTER TABLE couples ADD COLUMN counsellor_id INTEGER REFERENCES users (id);
ALTER TABLE couples ADD COLUMN outcome TEXT;
ALTER TABLE couples ADD COLUMN closed_on TEXT;
ALTER TABLE couples ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE couples ADD COLUMN safety_concern INTEGER NOT NULL DEFAULT 0 CHECK (safety_concern IN (0, 1));
ALTER TABLE couples ADD COLUMN safety_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE life_events (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('grief', 'birth', 'unemployment', 'illness', 'moving', 'other')),
    happened_on TEXT,
    added_at    TEXT NOT NULL,
    added_by    INTEGER REFERENCES users (id)
);
CREATE INDEX life_events_by_couple ON life_events (couple_id);

-- What happened to a file, for its timeline. `detail` holds codes only, never free text.
CREATE TABLE file_events (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX file_events_by_couple ON file_events (couple_id, at);

-- Every opening of a file: who, when.
CREATE TABLE file_access (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users (id),
    at          TEXT NOT NULL
);
CREATE INDEX file_access_by_couple ON file_access (couple_id);
