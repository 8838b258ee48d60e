-- The short outcome measure: at a conversation, each partner rates three things from 0 to 10.
CREATE TABLE scores (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions (id),
    position       INTEGER NOT NULL CHECK (position IN (1, 2)),
    satisfaction   INTEGER NOT NULL CHECK (satisfaction BETWEEN 0 AND 10),
    communication  INTEGER NOT NULL CHECK (communication BETWEEN 0 AND 10),
    hope           INTEGER NOT NULL CHECK (hope BETWEEN 0 AND 10),
    recorded_at    TEXT NOT NULL,
    UNIQUE (session_id, position)
);
CREATE INDEX scores_by_session ON scores (session_id);
-- The report counts walk-ins, conversations and referrals by time.
CREATE INDEX sessions_by_start ON sessions (starts_at);
CREATE INDEX referrals_by_created ON referrals (created_at);
CREATE INDEX referrals_in_by_date ON referrals_in (referred_on);
