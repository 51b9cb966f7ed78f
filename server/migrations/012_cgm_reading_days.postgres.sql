-- Each user's readings of one UTC day in one row (issue 9): see the SQLite variant.
CREATE TABLE cgm_reading_days (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,              -- whole UTC days since 1970-01-01
    readings TEXT NOT NULL,           -- "SSSSSMMM" per reading (cgm/day_pack.hpp)
    PRIMARY KEY (user_id, day)
);

INSERT INTO cgm_reading_days (user_id, day, readings)
    SELECT user_id, (at - secs) / 86400,
           string_agg(lpad(secs::text, 5, '0') || lpad(mg_dl::text, 3, '0'), '' ORDER BY at)
    FROM (SELECT user_id, at, mg_dl, ((at % 86400) + 86400) % 86400 AS secs FROM cgm_readings) r
    GROUP BY user_id, (at - secs) / 86400;
