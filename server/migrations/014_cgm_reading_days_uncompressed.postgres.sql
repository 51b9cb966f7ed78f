-- A day's readings stored as they are, not compressed (issue 9). At 288 readings of "SSSSSMMM" a
-- day's text is 2 304 bytes, over PostgreSQL's default 2 KB toast_tuple_target, so every row was
-- compressed with pglz and decompressed on every read: 17 % of the CPU a trends request cost
-- (docs/performance.md, "On PostgreSQL"). With the target at 4 080 bytes a day of 5-minute
-- readings stays inline and plain (about 2.3 KB a row against 1.6 KB compressed); a day of
-- 1-minute readings (11.5 KB) is still compressed. Rows written before this keep their
-- compression until the day is written again: nothing is rewritten here, so the migration takes
-- no time on a large table.
ALTER TABLE cgm_reading_days SET (toast_tuple_target = 4080);
