-- A user's food log read in time order from the index alone (issue 9). The year-long summary
-- read its ~500 entries through (user_id, eaten_at) and then looked each row up in the table,
-- where one user's entries lie scattered among everyone's (a b-tree search, usually on another
-- page, per entry: a third of the summary's time). This index carries every column the entry
-- queries read, so those reads are index-only; it replaces food_log_user_eaten, so a write
-- still updates one index.
DROP INDEX food_log_user_eaten;
CREATE INDEX food_log_user_time ON food_log (user_id, eaten_at, id, food_id, food_name, custom,
                                             gi, carbs_per_100g, fiber_per_100g, grams, meal);
