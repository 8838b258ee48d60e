-- Concerns about safety at home (*zorgsignalen*) and the five steps of the meldcode.
--
-- `concerns`: one row per concern of a couple: who opened it and when, the signals (short text),
-- and once step 5 is recorded the date of the decision (`closed_on`) and when it was recorded
-- (`closed_at`). At most one open concern per couple.
-- `concern_steps`: one row per recorded step (1 to 5) of a concern, at most one of each: the date
-- it was done, the choice (step 2: whom consulted; 3: with whom talked; 5: the decision), a short
-- note, who recorded it and when. `couple_id` is repeated so that a couple's rows are found (and
-- an erasure of the whole file can remove them) without a join.
-- `concern_answers`: step 4's five questions of the afwegingskader, each yes / no / unknown with a
-- note.
--
-- Nothing recorded is changed or removed: triggers refuse an UPDATE of a step or an answer, any
-- change to a closed concern, and a DELETE of any of these rows, except during the erasure of the
-- couple's whole file (AVG art. 17), which first names the couple in `concern_erasing` (in the
-- same transaction, and empties it again). No foreign key cascades.

CREATE TABLE concerns (
    id         INTEGER PRIMARY KEY,
    couple_id  INTEGER NOT NULL REFERENCES couples (id),
    opened_at  TEXT NOT NULL,
    opened_by  INTEGER REFERENCES users (id),
    signals    TEXT NOT NULL,
    closed_on  TEXT,
    closed_at  TEXT,
    CHECK ((closed_on IS NULL) = (closed_at IS NULL))
);
CREATE INDEX concerns_by_couple ON concerns (couple_id);
CREATE UNIQUE INDEX concerns_one_open ON concerns (couple_id) WHERE closed_at IS NULL;

CREATE TABLE concern_steps (
    id           INTEGER PRIMARY KEY,
    concern_id   INTEGER NOT NULL REFERENCES concerns (id),
    couple_id    INTEGER NOT NULL REFERENCES couples (id),
    step         INTEGER NOT NULL CHECK (step BETWEEN 1 AND 5),
    done_on      TEXT NOT NULL,
    choice       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES users (id),
    UNIQUE (concern_id, step)
);
CREATE INDEX concern_steps_by_couple ON concern_steps (couple_id);

CREATE TABLE concern_answers (
    step_id    INTEGER NOT NULL REFERENCES concern_steps (id),
    couple_id  INTEGER NOT NULL REFERENCES couples (id),
    question   INTEGER NOT NULL CHECK (question BETWEEN 1 AND 5),
    answer     TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (step_id, question)
);
CREATE INDEX concern_answers_by_couple ON concern_answers (couple_id);

CREATE TABLE concern_erasing (
    couple_id  INTEGER PRIMARY KEY
);

CREATE TRIGGER concern_steps_no_update BEFORE UPDATE ON concern_steps
BEGIN
    SELECT RAISE(ABORT, 'a recorded step of a concern cannot be changed');
END;

CREATE TRIGGER concern_answers_no_update BEFORE UPDATE ON concern_answers
BEGIN
    SELECT RAISE(ABORT, 'a recorded step of a concern cannot be changed');
END;

CREATE TRIGGER concern_steps_no_delete BEFORE DELETE ON concern_steps
WHEN NOT EXISTS (SELECT 1 FROM concern_erasing WHERE couple_id = OLD.couple_id)
BEGIN
    SELECT RAISE(ABORT, 'a recorded step of a concern cannot be removed');
END;

CREATE TRIGGER concern_answers_no_delete BEFORE DELETE ON concern_answers
WHEN NOT EXISTS (SELECT 1 FROM concern_erasing WHERE couple_id = OLD.couple_id)
BEGIN
    SELECT RAISE(ABORT, 'a recorded step of a concern cannot be removed');
END;

CREATE TRIGGER concerns_no_delete BEFORE DELETE ON concerns
WHEN NOT EXISTS (SELECT 1 FROM concern_erasing WHERE couple_id = OLD.couple_id)
BEGIN
    SELECT RAISE(ABORT, 'a concern cannot be removed');
END;

-- Only closing an open concern is an update: who opened it, when and the signals stay.
CREATE TRIGGER concerns_no_change BEFORE UPDATE ON concerns
WHEN OLD.closed_at IS NOT NULL
  OR NEW.couple_id IS NOT OLD.couple_id OR NEW.opened_at IS NOT OLD.opened_at
  OR NEW.opened_by IS NOT OLD.opened_by OR NEW.signals IS NOT OLD.signals
BEGIN
    SELECT RAISE(ABORT, 'a closed concern cannot be changed');
END;

CREATE TRIGGER concern_steps_closed BEFORE INSERT ON concern_steps
WHEN EXISTS (SELECT 1 FROM concerns WHERE id = NEW.concern_id AND closed_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a closed concern cannot be changed');
END;

CREATE TRIGGER concern_answers_closed BEFORE INSERT ON concern_answers
WHEN EXISTS (SELECT 1 FROM concern_steps s JOIN concerns k ON k.id = s.concern_id
             WHERE s.id = NEW.step_id AND k.closed_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a closed concern cannot be changed');
END;

-- The old flag becomes an open concern: its reason the signals, opened when it was last set
-- (the file's `safety_set` event) or else when the file was made, by whom set it. The flag's
-- columns stay in `couples` but are emptied and no longer used: the reason lives in the concern.
INSERT INTO concerns (couple_id, opened_at, opened_by, signals)
SELECT c.id,
       coalesce((SELECT e.at FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'safety_set'
                 ORDER BY e.at DESC, e.id DESC LIMIT 1), c.created_at),
       (SELECT e.user_id FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'safety_set'
        ORDER BY e.at DESC, e.id DESC LIMIT 1),
       c.safety_reason
FROM couples c WHERE c.safety_concern = 1;

UPDATE couples SET safety_concern = 0, safety_reason = '' WHERE safety_concern = 1;
