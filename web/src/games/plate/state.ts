/**
 * The Perfect Plate game's state: the meals being built, what is on each plate, and the body that goes to
 * `POST /api/scores`. Pure logic (no DOM), so it is tested on its own. The SERVER scores the plates; nothing here
 * works out points.
 */
import {
  DEFAULT_PLATE_RULES,
  PLATE_GAME,
  SECTIONS,
  type PlateFood,
  type PlateRules,
  type PlateSubmission,
  type Section,
} from '../../api/plate';

export type Meal = 'breakfast' | 'lunch' | 'dinner';

export const MEAL_LABEL: Record<Meal, string> = { breakfast: 'Breakfast', lunch: 'Lunch', dinner: 'Dinner' };

/** Seconds on the clock for each plate in a timed game. */
export const ROUND_SECONDS = 60;

/** Grams the server accepts for one item. */
export const MIN_GRAMS = 1;
export const MAX_GRAMS = 1000;

export const SECTION_LABEL: Record<Section, string> = {
  vegetables: 'Vegetables',
  protein: 'Protein',
  carbohydrate: 'Carbohydrate',
  drink: 'Drink',
};

/** What the Diabetes Plate Method gives each section. */
export const SECTION_SHARE: Record<Section, string> = {
  vegetables: '½ plate',
  protein: '¼ plate',
  carbohydrate: '¼ plate',
  drink: 'glass',
};

/** The meals of a game of `count` plates: one plate is lunch; two are lunch and dinner; three are the whole day. */
export function mealsFor(count: number): Meal[] {
  if (count <= 1) return ['lunch'];
  if (count === 2) return ['lunch', 'dinner'];
  return ['breakfast', 'lunch', 'dinner'];
}

export function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value);
}

/** A whole number of grams in 1..1000; NaN and other junk give `fallback`. */
export function clampGrams(value: number, fallback = MIN_GRAMS): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(MAX_GRAMS, Math.max(MIN_GRAMS, Math.round(value)));
}

/** How much the − / + buttons change a portion: finer steps for small servings (a spoon of oil, a slice). */
export function portionStep(servingG: number): number {
  if (servingG <= 30) return 5;
  if (servingG >= 200) return 25;
  return 10;
}

/** One food on a plate. `key` tells items apart (the same food may sit in two sections). */
export interface PlacedItem {
  readonly key: number;
  readonly food: PlateFood;
  grams: number;
  section: Section;
}

export type AddResult =
  | { ok: true; item: PlacedItem; merged: boolean }
  | { ok: false; reason: 'full' };

let nextKey = 1;

/** One plate being built (or served). */
export class Plate {
  readonly meal: Meal;
  readonly maxItems: number;
  items: PlacedItem[] = [];
  served = false;
  /** True when the clock ran out and the plate was served as it was. */
  timedOut = false;

  constructor(meal: Meal, maxItems: number = DEFAULT_PLATE_RULES.max_items_per_plate) {
    this.meal = meal;
    this.maxItems = maxItems;
  }

  /**
   * Puts `food` in `section` (a serving unless `grams` says otherwise). The same food already in that section gets
   * the grams added instead of a second item. A full plate (12 items) refuses.
   */
  add(food: PlateFood, section: Section, grams: number = food.serving_g): AddResult {
    const existing = this.items.find((item) => item.food.id === food.id && item.section === section);
    if (existing) {
      existing.grams = clampGrams(existing.grams + grams, existing.grams);
      return { ok: true, item: existing, merged: true };
    }
    if (this.items.length >= this.maxItems) return { ok: false, reason: 'full' };
    const item: PlacedItem = { key: nextKey++, food, grams: clampGrams(grams, clampGrams(food.serving_g)), section };
    this.items.push(item);
    return { ok: true, item, merged: false };
  }

  find(key: number): PlacedItem | undefined {
    return this.items.find((item) => item.key === key);
  }

  /** Sets an item's grams (clamped to 1..1000); returns the item, or undefined when there is no such item. */
  setGrams(key: number, grams: number): PlacedItem | undefined {
    const item = this.find(key);
    if (item) item.grams = clampGrams(grams, item.grams);
    return item;
  }

  /** Changes an item's grams by `steps` − / + steps. */
  nudge(key: number, steps: number): PlacedItem | undefined {
    const item = this.find(key);
    if (!item) return undefined;
    const step = portionStep(item.food.serving_g);
    // From an off-step amount, the first step lands on the step grid (73 g + 10 → 80 g, 73 g − 10 → 70 g).
    const target = steps > 0 ? Math.floor(item.grams / step) * step + steps * step : Math.ceil(item.grams / step) * step + steps * step;
    item.grams = clampGrams(target, item.grams);
    return item;
  }

  remove(key: number): PlacedItem | undefined {
    const index = this.items.findIndex((item) => item.key === key);
    if (index < 0) return undefined;
    const [removed] = this.items.splice(index, 1);
    return removed;
  }

  inSection(section: Section): PlacedItem[] {
    return this.items.filter((item) => item.section === section);
  }

  get isFull(): boolean {
    return this.items.length >= this.maxItems;
  }
}

/** The `POST /api/scores` body for the plates served so far. */
export function buildSubmission(sessionId: number, plates: readonly Plate[]): PlateSubmission {
  return {
    game: PLATE_GAME,
    session_id: sessionId,
    plates: plates.map((plate) => ({
      items: plate.items.map((item) => ({ food_id: item.food.id, grams: clampGrams(item.grams), section: item.section })),
    })),
  };
}

/**
 * Seconds still to wait before the `served`-th plate (1-based) may go to the server: it refuses plates built
 * faster than `min_seconds_per_plate` each, counted from the start of the session. 0 when serving is fine.
 */
export function waitBeforeServing(
  elapsedMs: number,
  served: number,
  rules: Pick<PlateRules, 'min_seconds_per_plate'> = DEFAULT_PLATE_RULES,
): number {
  const needMs = rules.min_seconds_per_plate * served * 1000;
  return elapsedMs >= needMs ? 0 : Math.ceil((needMs - elapsedMs) / 1000);
}

/** "Broccoli, 80 g, added to vegetables." */
export function placementMessage(item: PlacedItem, merged: boolean): string {
  const name = item.food.name;
  const where = SECTION_LABEL[item.section].toLowerCase();
  return merged ? `${name}: now ${item.grams} g in ${where}.` : `${name}, ${item.grams} g, added to ${where}.`;
}

/** 65 → "1:05". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
