-- Facts about this installation (schema creation time, and later instance-wide settings).
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

INSERT INTO app_meta (key, value) VALUES ('schema_created_at', CAST(CURRENT_TIMESTAMP AS TEXT));
