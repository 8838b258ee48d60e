-- loket schema, version 8: the access log (who saw or changed what, NEN 7513 style).
-- Append-only: triggers refuse every change and deletion. No foreign keys, so nothing cascades
-- and an erased file's or deactivated user's rows stay. Each row's hash covers its fields and the
-- previous row's hash, so a changed or removed row breaks the chain (`loket check`).
-- The earlier `file_access` table stays as it was (its rows are from before the log).

CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,
    user_id     INTEGER,
    user_name   TEXT NOT NULL DEFAULT '',
    user_roles  TEXT NOT NULL DEFAULT '',
    couple_id   INTEGER,
    file_number TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    workstation TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX access_log_by_couple ON access_log (couple_id, id);
CREATE INDEX access_log_by_user ON access_log (user_id, id);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'loket: the access log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'loket: the access log is append-only');
END;
