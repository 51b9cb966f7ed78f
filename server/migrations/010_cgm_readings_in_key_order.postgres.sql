-- Glucose readings read in primary-key order (issue 9): the key's index also carries the
-- reading, so one user's range (the 90-day trends: about 26 000 rows) can be an index-only scan
-- instead of an index scan plus a heap fetch per row. PostgreSQL's counterpart of the SQLite
-- variant, which makes the table WITHOUT ROWID.
ALTER TABLE cgm_readings
    DROP CONSTRAINT cgm_readings_pkey,
    ADD PRIMARY KEY (user_id, at) INCLUDE (mg_dl, flag);
