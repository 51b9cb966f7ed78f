-- Game sessions, pit-stop quiz answers, scores, and each player's best per game and period
-- (kept up to date on every score, so a leaderboard page or a rank is an index range scan).
CREATE TABLE game_sessions (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    game TEXT NOT NULL CHECK (game IN ('racing', 'plate')),
    seed BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    scored_at BIGINT,
    quiz_correct INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX game_sessions_user ON game_sessions (user_id);

CREATE TABLE quiz_answers (
    session_id BIGINT NOT NULL REFERENCES game_sessions (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    PRIMARY KEY (session_id, question_id)
);

CREATE TABLE scores (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    game TEXT NOT NULL,
    session_id BIGINT NOT NULL UNIQUE REFERENCES game_sessions (id) ON DELETE CASCADE,
    value BIGINT NOT NULL CHECK (value >= 0),
    created_at BIGINT NOT NULL,
    details TEXT  -- JSON: the plate breakdown for Perfect Plate
);

CREATE INDEX scores_user_game ON scores (user_id, game);

-- period: 'all', 'w2026-11-23' (the UTC week starting that Monday) or 'd2026-11-27' (a UTC day).
CREATE TABLE player_bests (
    game TEXT NOT NULL,
    period TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    best BIGINT NOT NULL,
    achieved_at BIGINT NOT NULL,  -- when the player first reached `best` (ties go to the earlier)
    score_id BIGINT NOT NULL,
    PRIMARY KEY (game, period, user_id)
);

CREATE INDEX player_bests_rank ON player_bests (game, period, best DESC, achieved_at, user_id);
