-- Notifications (issue 7). Each row is created by the feature that knows about the change, in
-- the same transaction as that change. `dedupe_key` makes a notification idempotent per user
-- ("sensor_due:<event id>", "high_gl:<day>", "low:<episode start>"), so a scheduler on several
-- instances, a retried import or a re-run produces it once (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE notifications (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('personal_best', 'top10_entered', 'top10_lost',
                                       'sensor_change_due', 'high_daily_gl', 'low_glucose')),
    message TEXT NOT NULL,
    data TEXT NOT NULL,  -- JSON object for the UI (page link and the figures in the message)
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    dedupe_key TEXT,
    UNIQUE (user_id, dedupe_key)
);

CREATE INDEX notifications_user ON notifications (user_id, id);

-- Kinds a user switched off (absent row: on).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, kind)
);
