/** Food log test data, shaped exactly like the server's JSON (server/src/food/service.cpp, catalog.cpp). */
import type { DaySummary, Food, FoodLogEntry, Meal, MealSummary, RangeSummary } from '../src/api/food';

export const APPLE: Food = {
  id: 29,
  name: 'Apple, raw',
  category: 'Fruit',
  plate_group: 'carbohydrate',
  gi: 36,
  gi_source: 'Atkinson 2008 Table 1',
  gi_category: 'low',
  carbs_per_100g: 13.8,
  fiber_per_100g: 2.4,
  serving_g: 182,
  serving_desc: '1 medium (182 g)',
  carb_source: 'USDA SR24 NDB 09003',
  gl_per_serving: 7.5,
  gl_category: 'low',
};

export const DRIED_APPLE: Food = {
  ...APPLE,
  id: 45,
  name: 'Apple, dried',
  gi: 29,
  carbs_per_100g: 65.9,
  fiber_per_100g: 8.7,
  serving_g: 32,
  serving_desc: '5 rings (32 g)',
  gl_per_serving: 5.3,
};

export const APPLE_JUICE: Food = {
  ...APPLE,
  id: 171,
  name: 'Apple juice, unsweetened',
  category: 'Drinks',
  gi: 41,
  serving_g: 248,
  serving_desc: '1 cup, 8 fl oz (248 g)',
  gl_per_serving: 11.3,
  gl_category: 'medium',
};

export const BROCCOLI: Food = {
  ...APPLE,
  id: 1,
  name: 'Broccoli, boiled',
  gi: null,
  gi_category: null,
  gl_per_serving: null,
  gl_category: null,
};

export function entry(overrides: Partial<FoodLogEntry> = {}): FoodLogEntry {
  return {
    id: 1,
    food: { id: 29, name: 'Apple, raw', custom: false, gi: 36, carbs_per_100g: 13.8, fiber_per_100g: 2.4 },
    grams: 150,
    meal: 'breakfast',
    eaten_at: '2026-11-27T08:30:00Z',
    carbs_g: 20.7,
    available_carbs_g: 17.1,
    gl: 6.2,
    gi_category: 'low',
    gl_category: 'low',
    ...overrides,
  };
}

const meal = (m: Meal, over: Partial<MealSummary> = {}): MealSummary => ({
  meal: m,
  carbs_g: 0,
  available_carbs_g: 0,
  gl: 0,
  gi: null,
  entries: 0,
  ...over,
});

export function daySummary(overrides: Partial<DaySummary> = {}): DaySummary {
  return {
    date: '2026-11-27',
    carbs_g: 65.3,
    available_carbs_g: 60.9,
    gl: 38.7,
    gl_category: 'low',
    gi: 63.5,
    meals: [
      meal('breakfast', { carbs_g: 20.7, available_carbs_g: 17.1, gl: 6.2, gi: 36, entries: 1 }),
      meal('lunch', { carbs_g: 44.6, available_carbs_g: 43.8, gl: 32.5, gi: 73, entries: 1 }),
      meal('dinner'),
      meal('snack'),
    ],
    entries: 2,
    time_zone: 'UTC',
    ...overrides,
  };
}

export function emptyDay(date: string): DaySummary {
  return {
    date,
    carbs_g: 0,
    available_carbs_g: 0,
    gl: 0,
    gl_category: 'low',
    gi: null,
    meals: (['breakfast', 'lunch', 'dinner', 'snack'] as const).map((m) => meal(m)),
    entries: 0,
  };
}

export function range(from: string, days: DaySummary[]): RangeSummary {
  return { from, to: days[days.length - 1]?.date ?? from, time_zone: 'UTC', days };
}
