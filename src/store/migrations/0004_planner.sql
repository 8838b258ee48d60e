-- Trajectories and their conversations. The rules hold in the database itself too, so that no
-- program (and no two programs at once) can break them: one active trajectory per couple, at most
-- five conversations that take a place, each exactly 90 minutes, no counsellor or room booked twice.

CREATE TABLE trajectories (
    id             INTEGER PRIMARY KEY,
    couple_id      INTEGER NOT NULL REFERENCES couples (id),
    counsellor_id  INTEGER NOT NULL REFERENCES users (id),
    year           INTEGER NOT NULL,      -- the desk's year it started in, for the budget
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX one_active_trajectory ON trajectories (couple_id) WHERE ended_at IS NULL;
CREATE INDEX trajectories_by_year ON trajectories (year);

CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    trajectory_id  INTEGER NOT NULL REFERENCES trajectories (id),
    counsellor_id  INTEGER NOT NULL REFERENCES users (id),
    room           TEXT NOT NULL,
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('planned', 'held', 'no_show', 'cancelled')),
    cancel_reason  TEXT NOT NULL DEFAULT '',
    attended       TEXT CHECK (attended IN ('both', 'partner1', 'partner2')),
    note           TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    CHECK (julianday(starts_at) IS NOT NULL AND julianday(ends_at) IS NOT NULL
           AND round((julianday(ends_at) - julianday(starts_at)) * 86400) = 5400)
);
CREATE INDEX sessions_by_trajectory ON sessions (trajectory_id);
CREATE INDEX sessions_by_counsellor ON sessions (counsellor_id, starts_at);
CREATE INDEX sessions_by_room ON sessions (room, starts_at);

CREATE TRIGGER sessions_at_most_five BEFORE INSERT ON sessions
WHEN NEW.status <> 'cancelled'
 AND (SELECT count(*) FROM sessions WHERE trajectory_id = NEW.trajectory_id AND status <> 'cancelled') >= 5
BEGIN SELECT RAISE(ABORT, 'loket: trajectory full'); END;

CREATE TRIGGER sessions_at_most_five_again BEFORE UPDATE OF status ON sessions
WHEN OLD.status = 'cancelled' AND NEW.status <> 'cancelled'
 AND (SELECT count(*) FROM sessions WHERE trajectory_id = NEW.trajectory_id AND status <> 'cancelled') >= 5
BEGIN SELECT RAISE(ABORT, 'loket: trajectory full'); END;

CREATE TRIGGER sessions_counsellor_free BEFORE INSERT ON sessions
WHEN NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM sessions s WHERE s.counsellor_id = NEW.counsellor_id AND s.status <> 'cancelled'
       AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at)
BEGIN SELECT RAISE(ABORT, 'loket: counsellor busy'); END;

CREATE TRIGGER sessions_room_free BEFORE INSERT ON sessions
WHEN NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM sessions s WHERE s.room = NEW.room AND s.status <> 'cancelled'
       AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at)
BEGIN SELECT RAISE(ABORT, 'loket: room taken'); END;

CREATE TRIGGER sessions_counsellor_free_again BEFORE UPDATE OF status ON sessions
WHEN OLD.status = 'cancelled' AND NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM sessions s WHERE s.id <> NEW.id AND s.status <> 'cancelled'
       AND (s.counsellor_id = NEW.counsellor_id OR s.room = NEW.room)
       AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at)
BEGIN SELECT RAISE(ABORT, 'loket: counsellor busy'); END;

CREATE TRIGGER sessions_no_move BEFORE UPDATE OF starts_at, ends_at, counsellor_id, room, trajectory_id ON sessions
BEGIN SELECT RAISE(ABORT, 'loket: cancel and plan again instead of moving'); END;
