-- loket schema, version 7: passwords and more than one role per person.
-- Users from before passwords have none (NULL): each chooses one at the first sign-in.

ALTER TABLE users ADD COLUMN password_hash TEXT;
-- The user must choose a new password at the next sign-in (after a reset by a coordinator).
ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1));
-- Wrong passwords in a row, and when the last one was typed.
ALTER TABLE users ADD COLUMN failed_tries INTEGER NOT NULL DEFAULT 0 CHECK (failed_tries >= 0);
ALTER TABLE users ADD COLUMN last_failed_at TEXT;

-- Every role a user holds; `users.role` keeps the first of them.
CREATE TABLE user_roles (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL CHECK (role IN ('receptionist', 'counsellor', 'coordinator')),
    PRIMARY KEY (user_id, role)
);

INSERT INTO user_roles (user_id, role) SELECT id, role FROM users;
