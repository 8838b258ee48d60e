-- The queue reads a day's walk-ins and those of earlier days still open.
CREATE INDEX walk_ins_by_day ON walk_ins (day);
CREATE INDEX walk_ins_open ON walk_ins (status) WHERE status IN ('waiting', 'in_conversation');
