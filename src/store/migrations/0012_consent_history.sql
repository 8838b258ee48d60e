-- loket schema: whom a referral is for, and consent as a history.
--
-- `referrals.scope`: the couple (both partners of the file) or one partner alone (`partner1`,
-- `partner2`). Only the partners a referral is for go along, and only their consent counts. A
-- one-person file can only refer its partner: existing referrals of such files become theirs.
--
-- `consent_history`: each give and each withdrawal of a partner's consent to a referral is its own
-- row, never changed or removed (triggers refuse UPDATE and DELETE); the latest row per partner is
-- the current state. `shared` is the purpose: what goes along, as the referral said when the row
-- was written. Rows go only with their referral (ON DELETE CASCADE), which only erasure removes.
--
-- The rows of `referral_consents` (one per partner, overwritten on each change) become history:
-- a consent given is a give row; one withdrawn a give row and a withdraw row. When and by whom the
-- give of a withdrawn consent was recorded was overwritten then, so those stay empty.

ALTER TABLE referrals ADD COLUMN scope TEXT NOT NULL DEFAULT 'couple'
    CHECK (scope IN ('couple', 'partner1', 'partner2'));

UPDATE referrals SET scope = 'partner' || (SELECT min(p.position) FROM partners p WHERE p.couple_id = referrals.couple_id)
WHERE (SELECT count(*) FROM partners p WHERE p.couple_id = referrals.couple_id) = 1;

CREATE TABLE consent_history (
    id           INTEGER PRIMARY KEY,
    referral_id  INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position IN (1, 2)),
    action       TEXT NOT NULL CHECK (action IN ('give', 'withdraw')),
    on_day       TEXT NOT NULL,            -- the date given or withdrawn (the desk's day)
    shared       TEXT NOT NULL CHECK (shared IN ('names', 'request', 'summary')),
    recorded_at  TEXT,                     -- NULL only for rows from before this table
    recorded_by  INTEGER REFERENCES users (id)
);
CREATE INDEX consent_history_by_referral ON consent_history (referral_id, position, id);

INSERT INTO consent_history (referral_id, position, action, on_day, shared, recorded_at, recorded_by)
SELECT rc.referral_id, rc.position, 'give', rc.given_on, r.shared, NULL,
       CASE WHEN rc.withdrawn_on IS NULL THEN rc.recorded_by END
FROM referral_consents rc JOIN referrals r ON r.id = rc.referral_id
WHERE rc.given_on IS NOT NULL
ORDER BY rc.referral_id, rc.position;

INSERT INTO consent_history (referral_id, position, action, on_day, shared, recorded_at, recorded_by)
SELECT rc.referral_id, rc.position, 'withdraw', rc.withdrawn_on, r.shared, NULL, rc.recorded_by
FROM referral_consents rc JOIN referrals r ON r.id = rc.referral_id
WHERE rc.given_on IS NOT NULL AND rc.withdrawn_on IS NOT NULL
ORDER BY rc.referral_id, rc.position;

DROP TABLE referral_consents;

CREATE TRIGGER consent_history_no_update BEFORE UPDATE ON consent_history
BEGIN
    SELECT RAISE(ABORT, 'consent history is never changed');
END;

-- Removed only with its referral (erasure): then the referral row is already gone.
CREATE TRIGGER consent_history_no_delete BEFORE DELETE ON consent_history
WHEN EXISTS (SELECT 1 FROM referrals WHERE id = OLD.referral_id)
BEGIN
    SELECT RAISE(ABORT, 'consent history is never removed');
END;
