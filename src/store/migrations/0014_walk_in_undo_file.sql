-- loket schema, version 14: what a walk-in's status change did to the couple's file, so that
-- undoing the change undoes that too. `from_file_status` is the file's status before the change,
-- when the change moved it on (an outcome: one conversation, a trajectory to plan); NULL when the
-- file was left as it was. `set_file_counsellor` is 1 when the change (a call-in) gave the file
-- its counsellor. Rows written before this version left the file alone as far as undo knows.

ALTER TABLE walk_in_changes ADD COLUMN from_file_status TEXT;
ALTER TABLE walk_in_changes ADD COLUMN set_file_counsellor INTEGER NOT NULL DEFAULT 0
    CHECK (set_file_counsellor IN (0, 1));
