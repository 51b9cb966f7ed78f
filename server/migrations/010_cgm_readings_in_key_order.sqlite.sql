-- Glucose readings stored in primary-key order (issue 9). As a rowid table, reading one user's
-- range (the 90-day trends: about 26 000 rows) walked the (user_id, at) index and then looked
-- each row up in the table by rowid; WITHOUT ROWID keeps the rows themselves in the key's
-- b-tree, so the range is one walk over adjacent pages, and the table is one b-tree, not two.
-- SQLite cannot change a table to WITHOUT ROWID in place: build the new one, copy, swap.
CREATE TABLE cgm_readings_new (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,               -- unix seconds, UTC
    mg_dl INTEGER NOT NULL CHECK (mg_dl >= 39 AND mg_dl <= 401),
    flag TEXT CHECK (flag IS NULL OR flag IN ('low', 'high')),  -- Dexcom "Low" (<40) / "High" (>400)
    source TEXT NOT NULL,             -- api | clarity | nightscout | demo
    PRIMARY KEY (user_id, at)
) WITHOUT ROWID;

INSERT INTO cgm_readings_new (user_id, at, mg_dl, flag, source)
    SELECT user_id, at, mg_dl, flag, source FROM cgm_readings ORDER BY user_id, at;
DROP TABLE cgm_readings;
ALTER TABLE cgm_readings_new RENAME TO cgm_readings;
