-- loket schema, version 9: the access log says on whose behalf a user acted (a receptionist who
-- plans a conversation for a counsellor) and which partner an event concerns (1 or 2), and can be
-- read by period. Old rows keep '' and NULL; the chain hashes these fields only when they are set,
-- so rows written before this version still verify.

ALTER TABLE access_log ADD COLUMN on_behalf TEXT NOT NULL DEFAULT '';
ALTER TABLE access_log ADD COLUMN partner INTEGER;
CREATE INDEX access_log_by_time ON access_log (at);
