-- Glucose readings (one per user and instant; duplicates are ignored on import) and diary events.
CREATE TABLE cgm_readings (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,               -- unix seconds, UTC
    mg_dl INTEGER NOT NULL CHECK (mg_dl >= 39 AND mg_dl <= 401),
    flag TEXT CHECK (flag IS NULL OR flag IN ('low', 'high')),  -- Dexcom "Low" (<40) / "High" (>400)
    source TEXT NOT NULL,             -- api | clarity | nightscout | demo
    PRIMARY KEY (user_id, at)
);

CREATE TABLE events (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('carbs', 'insulin', 'exercise', 'sensor_insert', 'note')),
    at BIGINT NOT NULL,
    value {{real}},
    note TEXT,
    import_key TEXT,                  -- set for imported events so a re-import adds nothing
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, import_key)
);

CREATE INDEX events_user_at ON events (user_id, at);
