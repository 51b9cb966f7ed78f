-- A racing session remembers the pit-stop question it served last (only that one can be
-- answered) and how many it has served (at most one per 30 s of session time).
ALTER TABLE game_sessions ADD COLUMN pending_question INTEGER;
ALTER TABLE game_sessions ADD COLUMN questions_served INTEGER NOT NULL DEFAULT 0;
