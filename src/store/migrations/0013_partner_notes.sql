-- loket schema, version 13: a private note per partner. What one partner tells a counsellor alone
-- is a note of its own, kept with that partner: shown to counsellors with the partner's mark, and
-- left out of anything given to the other partner (a letter, the other partner's access copy).
-- It goes with the partner's row when a file is erased.

ALTER TABLE partners ADD COLUMN private_note TEXT NOT NULL DEFAULT '';
