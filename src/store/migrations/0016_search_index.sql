-- loket schema, version 16: search and planning that stay as quick with ten years of files as with
-- one (issue 17).
--
-- Search. Every word of a partner's name, as folded in `partners.sort_key` (surname without prefix,
-- given name, prefix; lower case, no diacritics, no invisible characters), goes into a full-text
-- index of its own. A word inside a name ("amrani" of "El Amrani", "marie" of "Anne-Marie") is
-- found like the first one, and the words of a query meet in the index instead of being checked
-- partner by partner. Two columns: `words` (surname and given name) and `prefix` (the
-- tussenvoegsel, so that "van" alone finds Vanessa and not every "van der ..."). The prefix is
-- the end of `sort_key`; a prefix whose folded form is not its lower case (not plain ASCII) stays
-- in `words`. Contentless (the names stay in `partners` only), deleted by rowid, kept in step by
-- the triggers below; with `secure-delete` a deleted name's words leave the index itself (an
-- erased file leaves no word behind). A partner's row is 2^50 - (couple_id * 2 + position - 1):
-- read in the index's own order the newest files come first, and a row names its couple without
-- reading `partners`. Words are split at every ASCII character that
-- is not a letter or digit (the `ascii` tokenizer), which the query side mirrors exactly; prefix
-- indexes of 1, 2 and 3 characters answer the first letters typed.
CREATE VIEW partner_search_text AS
SELECT id, (1 << 50) - (couple_id * 2 + position - 1) AS word_row,
       CASE WHEN prefix <> '' AND substr(sort_key, -length(prefix)) = lower(prefix)
            THEN substr(sort_key, 1, length(sort_key) - length(prefix)) ELSE sort_key END AS words,
       CASE WHEN prefix <> '' AND substr(sort_key, -length(prefix)) = lower(prefix)
            THEN lower(prefix) ELSE '' END AS prefix
FROM partners;

CREATE VIRTUAL TABLE partner_words USING fts5 (
    words, prefix, content = '', contentless_delete = 1, detail = column, tokenize = 'ascii',
    prefix = '1 2 3'
);
INSERT INTO partner_words (partner_words, rank) VALUES ('secure-delete', 1);
INSERT INTO partner_words (rowid, words, prefix) SELECT word_row, words, prefix FROM partner_search_text;

CREATE TRIGGER partner_words_insert AFTER INSERT ON partners BEGIN
    INSERT INTO partner_words (rowid, words, prefix)
    SELECT word_row, words, prefix FROM partner_search_text WHERE id = NEW.id;
END;

CREATE TRIGGER partner_words_update AFTER UPDATE OF couple_id, position, prefix, sort_key ON partners BEGIN
    DELETE FROM partner_words WHERE rowid = (1 << 50) - (OLD.couple_id * 2 + OLD.position - 1);
    INSERT INTO partner_words (rowid, words, prefix)
    SELECT word_row, words, prefix FROM partner_search_text WHERE id = NEW.id;
END;

CREATE TRIGGER partner_words_delete AFTER DELETE ON partners BEGIN
    DELETE FROM partner_words WHERE rowid = (1 << 50) - (OLD.couple_id * 2 + OLD.position - 1);
END;

-- A file number typed without its year ("003") is looked up in every year.
CREATE INDEX couples_by_seq ON couples (file_seq, file_year);

-- Planning. The clash triggers of version 4 looked at every earlier conversation of a counsellor
-- or room (`starts_at < NEW.ends_at` has no lower bound), so every year of history made planning
-- slower. A conversation lasts exactly 90 minutes (the CHECK on `sessions`), so one that overlaps
-- NEW starts less than 90 minutes before it: that lower bound makes the look-up a short range of
-- the (counsellor_id, starts_at) and (room, starts_at) indexes. The same rules, the same messages.
DROP TRIGGER sessions_counsellor_free;
DROP TRIGGER sessions_room_free;
DROP TRIGGER sessions_counsellor_free_again;

CREATE TRIGGER sessions_counsellor_free BEFORE INSERT ON sessions
WHEN NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM sessions s WHERE s.counsellor_id = NEW.counsellor_id
       AND s.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-5400 seconds')
       AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at AND s.status <> 'cancelled')
BEGIN SELECT RAISE(ABORT, 'loket: counsellor busy'); END;

CREATE TRIGGER sessions_room_free BEFORE INSERT ON sessions
WHEN NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM sessions s WHERE s.room = NEW.room
       AND s.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-5400 seconds')
       AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at AND s.status <> 'cancelled')
BEGIN SELECT RAISE(ABORT, 'loket: room taken'); END;

CREATE TRIGGER sessions_counsellor_free_again BEFORE UPDATE OF status ON sessions
WHEN OLD.status = 'cancelled' AND NEW.status <> 'cancelled' AND (
    EXISTS (
        SELECT 1 FROM sessions s WHERE s.counsellor_id = NEW.counsellor_id
           AND s.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-5400 seconds')
           AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at
           AND s.id <> NEW.id AND s.status <> 'cancelled')
    OR EXISTS (
        SELECT 1 FROM sessions s WHERE s.room = NEW.room
           AND s.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-5400 seconds')
           AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at
           AND s.id <> NEW.id AND s.status <> 'cancelled'))
BEGIN SELECT RAISE(ABORT, 'loket: counsellor busy'); END;
