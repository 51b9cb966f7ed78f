-- A user's food log read in time order from the index alone (issue 9): see the SQLite variant.
-- PostgreSQL keeps the carried columns out of the key (INCLUDE), for index-only scans.
DROP INDEX food_log_user_eaten;
CREATE INDEX food_log_user_time ON food_log (user_id, eaten_at, id)
    INCLUDE (food_id, food_name, custom, gi, carbs_per_100g, fiber_per_100g, grams, meal);
