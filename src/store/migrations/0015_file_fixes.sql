-- loket schema, version 15 (issue 15): when a conversation was cancelled, and undoing a trajectory
-- that was started by mistake.
--
-- `sessions.cancelled_at`: the moment a conversation was cancelled, so that the file's timeline
-- puts a cancellation where it happened, not on the day the conversation had been planned for.
-- Older cancellations take the time the access log recorded them ('cancelled #id'), else the end
-- of their trajectory (cancelled with it, "traject afgesloten").
ALTER TABLE sessions ADD COLUMN cancelled_at TEXT;
UPDATE sessions SET cancelled_at = coalesce(
    (SELECT min(a.at) FROM access_log a
     WHERE a.event = 'conversation' AND a.detail = 'cancelled #' || sessions.id),
    (SELECT t.ended_at FROM trajectories t WHERE t.id = sessions.trajectory_id),
    starts_at)
WHERE status = 'cancelled';

-- `trajectories.undone_at`: a trajectory started by mistake and undone before any conversation
-- was held (or missed). It is ended too (so it is not the couple's running trajectory), is kept
-- for the timeline and the log, and counts nowhere in the report or the budget: the view leaves
-- it out. `moved_from`: the file's status before starting the trajectory moved it to 'trajectory'
-- (NULL when it did not move it), so that undoing gives the file its status back.
ALTER TABLE trajectories ADD COLUMN undone_at TEXT;
ALTER TABLE trajectories ADD COLUMN moved_from TEXT;

DROP VIEW report_trajectories;
CREATE VIEW report_trajectories AS
    SELECT id, couple_id, year, started_at, ended_at FROM trajectories WHERE undone_at IS NULL
    UNION ALL SELECT -id, -couple_id, year, started_at, ended_at FROM anon_trajectories;
