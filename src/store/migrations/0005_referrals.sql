-- Referrals out (with consent per partner) and referrals in.

CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY,
    couple_id           INTEGER NOT NULL REFERENCES couples (id),
    party               TEXT NOT NULL,            -- a party code (assets/referral_parties.toml)
    reason              TEXT NOT NULL DEFAULT '',
    cost_explained      INTEGER NOT NULL DEFAULT 0 CHECK (cost_explained IN (0, 1)),
    insurance_to_check  INTEGER NOT NULL DEFAULT 0 CHECK (insurance_to_check IN (0, 1)),
    shared              TEXT NOT NULL DEFAULT 'names' CHECK (shared IN ('names', 'request', 'summary')),
    summary             TEXT NOT NULL DEFAULT '',  -- written by a counsellor for the party; never the notes
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'no_answer')),
    follow_up_on        TEXT,
    sent_on             TEXT,
    answered_on         TEXT,
    created_at          TEXT NOT NULL,
    created_by          INTEGER REFERENCES users (id),
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_by_couple ON referrals (couple_id);
CREATE INDEX referrals_waiting ON referrals (follow_up_on) WHERE status = 'sent';

CREATE TABLE referral_consents (
    id            INTEGER PRIMARY KEY,
    referral_id   INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position IN (1, 2)),
    given_on      TEXT,
    withdrawn_on  TEXT,
    recorded_by   INTEGER REFERENCES users (id),
    UNIQUE (referral_id, position)
);

CREATE TABLE referrals_in (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples (id),
    source       TEXT NOT NULL,
    referred_on  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES users (id)
);
CREATE INDEX referrals_in_by_couple ON referrals_in (couple_id);
