-- The food catalog (seeded from server/data/foods.csv) and each user's food log. A log entry
-- keeps the GI and carbohydrate values it was computed with, so later catalog edits do not
-- rewrite history.
CREATE TABLE foods (
    id {{id_pk}},
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    plate_group TEXT NOT NULL CHECK (plate_group IN ('vegetables', 'protein', 'carbohydrate', 'drink', 'fat')),
    gi INTEGER CHECK (gi IS NULL OR (gi >= 0 AND gi <= 110)),
    gi_source TEXT NOT NULL,
    carbs_per_100g {{real}} NOT NULL CHECK (carbs_per_100g >= 0 AND carbs_per_100g <= 100),
    fiber_per_100g {{real}} NOT NULL CHECK (fiber_per_100g >= 0),
    serving_g {{real}} NOT NULL CHECK (serving_g > 0),
    serving_desc TEXT NOT NULL,
    carb_source TEXT NOT NULL
);

CREATE TABLE food_log (
    id {{id_pk}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    food_id BIGINT REFERENCES foods (id) ON DELETE SET NULL,
    food_name TEXT NOT NULL,
    custom INTEGER NOT NULL DEFAULT 0 CHECK (custom IN (0, 1)),
    gi INTEGER CHECK (gi IS NULL OR (gi >= 0 AND gi <= 110)),
    carbs_per_100g {{real}} NOT NULL,
    fiber_per_100g {{real}} NOT NULL,
    grams {{real}} NOT NULL CHECK (grams >= 1 AND grams <= 5000),
    meal TEXT NOT NULL CHECK (meal IN ('breakfast', 'lunch', 'dinner', 'snack')),
    eaten_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX food_log_user_eaten ON food_log (user_id, eaten_at);
