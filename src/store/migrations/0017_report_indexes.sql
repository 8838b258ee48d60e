-- loket schema, version 17 (issue 17): the report stays quick with years of history.
-- "One conversation, no trajectory" looks up a couple's trajectories, and the trajectories started
-- or ended in a period are counted by date: without these indexes each was a scan of the whole
-- table per walk-in (minutes at 100,000 couples).

CREATE INDEX trajectories_by_couple ON trajectories (couple_id);
CREATE INDEX trajectories_by_start ON trajectories (started_at);
CREATE INDEX trajectories_by_end ON trajectories (ended_at);
CREATE INDEX anon_trajectories_by_couple ON anon_trajectories (couple_id);
