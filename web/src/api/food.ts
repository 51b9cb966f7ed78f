/**
 * The food catalog and the food log (API.md "Foods", "Food log"; docs/openapi.yaml). Every call goes through
 * {@link apiRequest}. The server computes carbohydrate, glycemic load and every band; the UI only displays them.
 */
import { apiRequest } from './client';

export type Meal = 'breakfast' | 'lunch' | 'dinner' | 'snack';
export type Band = 'low' | 'medium' | 'high';

export const MEALS: ReadonlyArray<{ value: Meal; label: string }> = [
  { value: 'breakfast', label: 'Breakfast' },
  { value: 'lunch', label: 'Lunch' },
  { value: 'dinner', label: 'Dinner' },
  { value: 'snack', label: 'Snack' },
];

/** A catalog food (`GET /api/foods`, `GET /api/foods/{id}`). */
export interface Food {
  id: number;
  /** Catalog text; still rendered as text only. */
  name: string;
  category: string;
  plate_group: string;
  /** Glucose = 100; null where carbohydrate is negligible. */
  gi: number | null;
  gi_source: string;
  gi_category: Band | null;
  carbs_per_100g: number;
  fiber_per_100g: number;
  serving_g: number;
  /** e.g. "1 medium (182 g)". */
  serving_desc: string;
  carb_source: string;
  gl_per_serving: number | null;
  gl_category: Band | null;
}

export interface FoodPage {
  items: Food[];
  next_cursor: string | null;
}

/** The food as used for one log entry (a catalog food, or the user's own: `custom`, `id` null). */
export interface EntryFood {
  id: number | null;
  /** For a custom food this is user input: render it as text only. */
  name: string;
  custom: boolean;
  gi: number | null;
  carbs_per_100g: number;
  fiber_per_100g: number;
}

export interface FoodLogEntry {
  id: number;
  food: EntryFood;
  grams: number;
  meal: Meal;
  /** RFC 3339, UTC. */
  eaten_at: string;
  carbs_g: number;
  /** Carbohydrate minus fibre: what GL counts. */
  available_carbs_g: number;
  gl: number | null;
  gi_category: Band | null;
  gl_category: Band | null;
}

/** `GET /api/food_log`: the entries of one day in the user's time zone. */
export interface DayLog {
  /** YYYY-MM-DD: the day asked for, or the server's "today" in the user's zone. */
  date: string;
  time_zone: string;
  items: FoodLogEntry[];
  next_cursor: null;
}

export interface MealSummary {
  meal: Meal;
  carbs_g: number;
  available_carbs_g: number;
  gl: number;
  /** Carbohydrate-weighted mean GI of the meal; null when nothing in it has a GI and carbohydrate. */
  gi: number | null;
  entries: number;
}

export interface DaySummary {
  date: string;
  carbs_g: number;
  available_carbs_g: number;
  gl: number;
  /** Daily GL: low < 80, medium 80–120, high > 120. */
  gl_category: Band;
  gi: number | null;
  /** Always all four meals, in MEALS order. */
  meals: MealSummary[];
  entries: number;
  /** Present on the single-day answer. */
  time_zone?: string;
}

export interface RangeSummary {
  from: string;
  to: string;
  time_zone: string;
  days: DaySummary[];
}

export interface CustomFood {
  name: string;
  gi?: number;
  carbs_per_100g: number;
  fiber_per_100g?: number;
}

/** `POST /api/food_log`: exactly one of `food_id` and `custom`. */
export interface NewEntry {
  food_id?: number;
  custom?: CustomFood;
  grams: number;
  meal: Meal;
  /** RFC 3339; the server uses "now" when it is left out. */
  eaten_at?: string;
}

export interface EntryPatch {
  grams?: number;
  meal?: Meal;
  eaten_at?: string;
}

/** `GET /api/food_log/{id}/response`: the glucose response to a meal, from the user's CGM readings (mg/dL). */
export interface MealResponse {
  baseline_mg_dl: number;
  peak_mg_dl: number;
  peak_after_min: number;
  rise_mg_dl: number;
  /** Incremental area above baseline over 2 h, mg/dL × min. */
  iauc_2h: number;
}

/** The server's rules, mirrored by the forms (the server still checks everything). */
export const FOOD_RULES = {
  gramsMin: 1,
  gramsMax: 5000,
  nameMax: 80,
  giMin: 0,
  giMax: 110,
  per100Max: 100,
  queryMax: 100,
} as const;

export interface SearchOptions {
  limit?: number;
  category?: string;
  plate_group?: string;
  cursor?: string;
  signal?: AbortSignal;
}

/** `GET /api/foods?q=` → the best matches first. Public: no session needed. */
export function searchFoods(q: string, options: SearchOptions = {}): Promise<FoodPage> {
  const { signal, ...query } = options;
  return apiRequest<FoodPage>('GET', '/api/foods', { query: { q, ...query }, signal });
}

/** `GET /api/foods/{id}`. */
export function getFood(id: number): Promise<Food> {
  return apiRequest<Food>('GET', `/api/foods/${id}`);
}

/** `GET /api/food_log?date=` (no date: today in the user's time zone). */
export function getDayLog(date?: string, signal?: AbortSignal): Promise<DayLog> {
  return apiRequest<DayLog>('GET', '/api/food_log', { query: { date }, signal });
}

/** `GET /api/food_log/summary?date=` → one day's totals and the four meals. */
export function getDaySummary(date?: string, signal?: AbortSignal): Promise<DaySummary> {
  return apiRequest<DaySummary>('GET', '/api/food_log/summary', { query: { date }, signal });
}

/** `GET /api/food_log/summary?from=&to=` → one row per day, both ends included (at most 366 days). */
export function getRangeSummary(from: string, to: string, signal?: AbortSignal): Promise<RangeSummary> {
  return apiRequest<RangeSummary>('GET', '/api/food_log/summary', { query: { from, to }, signal });
}

/** `POST /api/food_log` → 201 with the entry. 400 names the field (`grams`, `custom.gi`, …). */
export function addEntry(entry: NewEntry): Promise<FoodLogEntry> {
  return apiRequest<FoodLogEntry>('POST', '/api/food_log', { body: entry });
}

/** `GET /api/food_log/{id}`. */
export function getEntry(id: number): Promise<FoodLogEntry> {
  return apiRequest<FoodLogEntry>('GET', `/api/food_log/${id}`);
}

/** `PATCH /api/food_log/{id}` with any of grams, meal, eaten_at → the updated entry. */
export function updateEntry(id: number, patch: EntryPatch): Promise<FoodLogEntry> {
  return apiRequest<FoodLogEntry>('PATCH', `/api/food_log/${id}`, { body: patch });
}

/** `DELETE /api/food_log/{id}` → 204. */
export function deleteEntry(id: number): Promise<void> {
  return apiRequest<void>('DELETE', `/api/food_log/${id}`);
}

/** `GET /api/food_log/{id}/response`; 404 when the user's readings do not cover the meal. */
export function getMealResponse(id: number): Promise<MealResponse> {
  return apiRequest<MealResponse>('GET', `/api/food_log/${id}/response`);
}

/** The body that logs `entry` again (the undo of a delete): same food, amount, meal and time. */
export function entryToNew(entry: FoodLogEntry): NewEntry {
  const base = { grams: entry.grams, meal: entry.meal, eaten_at: entry.eaten_at };
  if (!entry.food.custom && entry.food.id !== null) return { food_id: entry.food.id, ...base };
  const custom: CustomFood = { name: entry.food.name, carbs_per_100g: entry.food.carbs_per_100g };
  if (entry.food.gi !== null) custom.gi = entry.food.gi;
  if (entry.food.fiber_per_100g > 0) custom.fiber_per_100g = entry.food.fiber_per_100g;
  return { custom, ...base };
}
