-- Accounts and their sessions (one row per issued token, so logout and password changes can
-- revoke tokens server-side). Settings are columns so features can query them (e.g. time_zone).
CREATE TABLE users (
    id {{id_pk}},
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,  -- lower-cased username: uniqueness ignores letter case
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,        -- libsodium crypto_pwhash_str (Argon2id)
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    glucose_unit TEXT NOT NULL DEFAULT 'mg/dL' CHECK (glucose_unit IN ('mg/dL', 'mmol/L')),
    target_low_mg_dl INTEGER NOT NULL DEFAULT 70,
    target_high_mg_dl INTEGER NOT NULL DEFAULT 180,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    cgm_model TEXT NOT NULL DEFAULT 'g7' CHECK (cgm_model IN ('g7', 'g6', 'stelo')),
    age_group TEXT NOT NULL DEFAULT 'adult' CHECK (age_group IN ('adult', 'teen', 'child')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (target_low_mg_dl >= 50 AND target_high_mg_dl <= 300 AND target_low_mg_dl < target_high_mg_dl)
);

CREATE TABLE sessions (
    jti TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE INDEX sessions_user_id ON sessions (user_id);
