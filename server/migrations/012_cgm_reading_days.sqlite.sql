-- Each user's readings of one UTC day in one row (issue 9): the 90-day trends read 90 rows
-- here instead of some 26 000 in cgm_readings, which SQLite steps through at about 700
-- instructions a row however the table is laid out. cgm_readings stays the record; a day's
-- row is rewritten from it in the same transaction as every change to that day
-- (cgm/repository.cpp), so the trends are computed from exactly the stored readings.
-- `readings` is "SSSSSMMM" per reading, seconds into the day and mg/dL (cgm/day_pack.hpp).
CREATE TABLE cgm_reading_days (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,              -- whole UTC days since 1970-01-01
    readings TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- The packs of the readings already stored. group_concat's order is not defined here, so the
-- reader sorts a pack it finds out of order.
INSERT INTO cgm_reading_days (user_id, day, readings)
    SELECT user_id, (at - secs) / 86400, group_concat(printf('%05d%03d', secs, mg_dl), '')
    FROM (SELECT user_id, at, mg_dl, ((at % 86400) + 86400) % 86400 AS secs
          FROM cgm_readings ORDER BY user_id, at)
    GROUP BY user_id, (at - secs) / 86400;
