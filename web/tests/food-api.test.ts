import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import {
  addEntry,
  deleteEntry,
  entryToNew,
  getDayLog,
  getDaySummary,
  getEntry,
  getFood,
  getMealResponse,
  getRangeSummary,
  searchFoods,
  updateEntry,
} from '../src/api/food';
import { json, stubApiFetch, type SeenRequest } from './fixtures';
import { APPLE, entry } from './food-fixtures';

let seen: SeenRequest[];
let answer: (url: string) => Response;

beforeEach(() => {
  resetApiBaseCache();
  seen = [];
  answer = () => json({});
  stubApiFetch((url) => answer(url), seen, vi.stubGlobal);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const last = (): SeenRequest => {
  const call = seen[seen.length - 1];
  if (!call) throw new Error('no request');
  return call;
};

describe('food API client', () => {
  it('searches the catalog with q and limit, and passes the abort signal', async () => {
    answer = () => json({ items: [APPLE], next_cursor: null });
    const controller = new AbortController();
    const page = await searchFoods('apple pie', { limit: 10, signal: controller.signal });
    expect(page.items[0]?.name).toBe('Apple, raw');
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/foods?q=apple+pie&limit=10', credentials: 'include' });
  });

  it('gets one food', async () => {
    await getFood(29);
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/foods/29' });
  });

  it('reads a day, with or without a date', async () => {
    await getDayLog();
    expect(last().url).toBe('http://api.test/api/food_log');
    await getDayLog('2026-11-26');
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/food_log?date=2026-11-26' });
  });

  it('reads one day’s summary and a range summary', async () => {
    await getDaySummary('2026-11-27');
    expect(last().url).toBe('http://api.test/api/food_log/summary?date=2026-11-27');
    await getDaySummary();
    expect(last().url).toBe('http://api.test/api/food_log/summary');
    await getRangeSummary('2026-11-14', '2026-11-27');
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/food_log/summary?from=2026-11-14&to=2026-11-27' });
  });

  it('posts a catalog food as JSON', async () => {
    answer = () => json(entry(), 201);
    const created = await addEntry({ food_id: 29, grams: 150, meal: 'breakfast' });
    expect(created.id).toBe(1);
    expect(last()).toMatchObject({
      method: 'POST',
      url: 'http://api.test/api/food_log',
      body: { food_id: 29, grams: 150, meal: 'breakfast' },
      contentType: 'application/json',
      credentials: 'include',
    });
  });

  it('posts a custom food with its time', async () => {
    answer = () => json(entry(), 201);
    await addEntry({
      custom: { name: 'Flapjack', gi: 66, carbs_per_100g: 60, fiber_per_100g: 4 },
      grams: 60,
      meal: 'snack',
      eaten_at: '2026-11-26T15:30:00Z',
    });
    expect(last().body).toEqual({
      custom: { name: 'Flapjack', gi: 66, carbs_per_100g: 60, fiber_per_100g: 4 },
      grams: 60,
      meal: 'snack',
      eaten_at: '2026-11-26T15:30:00Z',
    });
  });

  it('gets, patches and deletes an entry', async () => {
    await getEntry(5);
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/food_log/5' });
    await updateEntry(5, { grams: 200, meal: 'lunch' });
    expect(last()).toMatchObject({ method: 'PATCH', url: 'http://api.test/api/food_log/5', body: { grams: 200, meal: 'lunch' } });
    answer = () => new Response(null, { status: 204 });
    await expect(deleteEntry(5)).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: 'DELETE', url: 'http://api.test/api/food_log/5', body: undefined });
  });

  it('asks for the glucose response to an entry', async () => {
    answer = () => json({ baseline_mg_dl: 100, peak_mg_dl: 150, peak_after_min: 45, rise_mg_dl: 50, iauc_2h: 2400 });
    await expect(getMealResponse(5)).resolves.toMatchObject({ rise_mg_dl: 50 });
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/food_log/5/response' });
  });

  it('turns a validation error into an ApiError naming the field', async () => {
    answer = () => json({ error: { code: 'validation_failed', message: 'custom.gi must be between 0 and 110', field: 'custom.gi' } }, 400);
    await expect(addEntry({ custom: { name: 'x', gi: 120, carbs_per_100g: 1 }, grams: 1, meal: 'snack' })).rejects.toMatchObject({
      status: 400,
      field: 'custom.gi',
    });
  });
});

describe('entryToNew (undo a delete)', () => {
  it('logs a catalog food again by id, with the same amount, meal and time', () => {
    expect(entryToNew(entry({ grams: 120, meal: 'lunch', eaten_at: '2026-11-27T12:00:00Z' }))).toEqual({
      food_id: 29,
      grams: 120,
      meal: 'lunch',
      eaten_at: '2026-11-27T12:00:00Z',
    });
  });

  it('logs a custom food again with its own values (no GI or fibre when it had none)', () => {
    const custom = entry({ food: { id: null, name: 'Soup', custom: true, gi: null, carbs_per_100g: 8, fiber_per_100g: 0 } });
    expect(entryToNew(custom)).toEqual({
      custom: { name: 'Soup', carbs_per_100g: 8 },
      grams: 150,
      meal: 'breakfast',
      eaten_at: '2026-11-27T08:30:00Z',
    });
    const withGi = entry({ food: { id: null, name: 'Cake', custom: true, gi: 60, carbs_per_100g: 50, fiber_per_100g: 2 } });
    expect(entryToNew(withGi).custom).toEqual({ name: 'Cake', gi: 60, carbs_per_100g: 50, fiber_per_100g: 2 });
  });
});
