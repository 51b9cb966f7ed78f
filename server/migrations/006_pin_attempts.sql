-- Pin the Dexcom practice attempts, judged by the server.
CREATE TABLE pin_attempts (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model TEXT NOT NULL CHECK (model IN ('g7', 'g6', 'stelo')),
    age_group TEXT NOT NULL CHECK (age_group IN ('adult', 'teen', 'child')),
    view TEXT NOT NULL CHECK (view IN ('front', 'back')),
    x {{real}} NOT NULL,
    y {{real}} NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    zone TEXT,
    score INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX pin_attempts_user ON pin_attempts (user_id, id);
