-- State that several instances share on PostgreSQL (issue 8). Both tables are unlogged there
-- (CREATE UNLOGGED TABLE: no WAL, emptied by a crash of the database server, which they can
-- afford: a rate-limit bucket starts full again, a spilled event is minutes old at most). SQLite
-- serves one machine and keeps limits and events in the process, so there they stay empty; they
-- exist on both so that the two schemas have the same tables (migrate-data, backups, tests).

-- Rate-limit buckets (auth/shared_rate_limiter.cpp) in the GCRA form of a token bucket: `tat` is
-- the unix time (seconds, fractional) at which the bucket is full again. `name` is the limit
-- ("auth", "login", "requests"), `key` a keyed hash of what it limits (client address, username),
-- so neither addresses nor usernames are stored. Rows whose `tat` has passed are the same as no
-- row and are deleted now and then.
CREATE {{unlogged}} TABLE rate_buckets (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    tat {{real}} NOT NULL,
    PRIMARY KEY (name, key)
);

-- Live events too big for one NOTIFY payload (8000 bytes; events/pg_bridge.cpp): the full
-- message, read by the other instances by id, deleted after 5 minutes.
CREATE {{unlogged}} TABLE event_spill (
    id {{id_pk}},
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
