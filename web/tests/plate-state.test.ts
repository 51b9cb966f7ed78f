import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Plate,
  buildSubmission,
  clampGrams,
  formatClock,
  mealsFor,
  placementMessage,
  portionStep,
  waitBeforeServing,
} from '../src/games/plate/state';
import { Countdown } from '../src/games/plate/timer';
import { giBand, shortName, suggestions } from '../src/games/plate/foods';
import { APPLE, BROCCOLI, CATALOG, CHICKEN, OLIVE_OIL, SPINACH, WATER } from './plate-fixtures';

describe('a plate', () => {
  it('adds a serving of a food to a section', () => {
    const plate = new Plate('lunch');
    const added = plate.add(BROCCOLI, 'vegetables');
    expect(added).toMatchObject({ ok: true, merged: false });
    expect(plate.items).toHaveLength(1);
    expect(plate.items[0]).toMatchObject({ food: BROCCOLI, grams: 78, section: 'vegetables' });
  });

  it('adds to the grams when the same food goes to the same section again', () => {
    const plate = new Plate('lunch');
    plate.add(BROCCOLI, 'vegetables');
    const again = plate.add(BROCCOLI, 'vegetables');
    expect(again).toMatchObject({ ok: true, merged: true });
    expect(plate.items).toHaveLength(1);
    expect(plate.items[0]?.grams).toBe(156);
    // Another section is another item.
    plate.add(BROCCOLI, 'protein');
    expect(plate.items).toHaveLength(2);
  });

  it('holds at most 12 items', () => {
    const plate = new Plate('lunch', 12);
    for (let i = 0; i < 12; i += 1) plate.add({ ...SPINACH, id: 1000 + i }, 'vegetables');
    expect(plate.isFull).toBe(true);
    expect(plate.add(WATER, 'drink')).toEqual({ ok: false, reason: 'full' });
    expect(plate.items).toHaveLength(12);
  });

  it('changes portions with steps and typed grams, always 1..1000 whole grams', () => {
    const plate = new Plate('dinner');
    const { item } = plate.add(BROCCOLI, 'vegetables') as { item: { key: number; grams: number } };
    expect(plate.nudge(item.key, 1)?.grams).toBe(80); // 78 → onto the 10 g grid
    expect(plate.nudge(item.key, 1)?.grams).toBe(90);
    expect(plate.nudge(item.key, -1)?.grams).toBe(80);
    expect(plate.setGrams(item.key, 250.4)?.grams).toBe(250);
    expect(plate.setGrams(item.key, 5000)?.grams).toBe(1000);
    expect(plate.setGrams(item.key, 0)?.grams).toBe(1);
    expect(plate.setGrams(item.key, Number.NaN)?.grams).toBe(1); // junk keeps the last amount
    expect(plate.setGrams(999, 10)).toBeUndefined();
  });

  it('removes an item', () => {
    const plate = new Plate('lunch');
    const a = plate.add(BROCCOLI, 'vegetables');
    plate.add(CHICKEN, 'protein');
    if (!a.ok) throw new Error('not added');
    expect(plate.remove(a.item.key)?.food).toBe(BROCCOLI);
    expect(plate.items.map((i) => i.food)).toEqual([CHICKEN]);
    expect(plate.remove(a.item.key)).toBeUndefined();
  });

  it('says what was placed', () => {
    const plate = new Plate('lunch');
    const a = plate.add(BROCCOLI, 'vegetables', 80);
    if (!a.ok) throw new Error('not added');
    expect(placementMessage(a.item, false)).toBe('Broccoli, boiled, 80 g, added to vegetables.');
    const b = plate.add(BROCCOLI, 'vegetables', 20);
    if (!b.ok) throw new Error('not added');
    expect(placementMessage(b.item, true)).toBe('Broccoli, boiled: now 100 g in vegetables.');
  });
});

describe('the POST /api/scores body', () => {
  it('lists every served plate with food_id, grams and section', () => {
    const breakfast = new Plate('breakfast');
    breakfast.add(SPINACH, 'vegetables', 60);
    breakfast.add(APPLE, 'carbohydrate');
    breakfast.add(WATER, 'drink');
    const lunch = new Plate('lunch');
    lunch.add(OLIVE_OIL, 'vegetables');
    expect(buildSubmission(41, [breakfast, lunch])).toEqual({
      game: 'plate',
      session_id: 41,
      plates: [
        {
          items: [
            { food_id: 3, grams: 60, section: 'vegetables' },
            { food_id: 29, grams: 182, section: 'carbohydrate' },
            { food_id: 163, grams: 237, section: 'drink' },
          ],
        },
        // 13.5 g of oil is sent as whole grams.
        { items: [{ food_id: 127, grams: 14, section: 'vegetables' }] },
      ],
    });
  });

  it('sends an empty plate as an empty item list', () => {
    expect(buildSubmission(1, [new Plate('lunch')]).plates).toEqual([{ items: [] }]);
  });
});

describe('rules and helpers', () => {
  it('waits until the session is 5 s per plate old', () => {
    expect(waitBeforeServing(2_100, 1)).toBe(3);
    expect(waitBeforeServing(5_000, 1)).toBe(0);
    expect(waitBeforeServing(9_000, 2)).toBe(1);
    expect(waitBeforeServing(9_000, 2, { min_seconds_per_plate: 3 })).toBe(0);
  });

  it('picks the meals for the number of plates', () => {
    expect(mealsFor(1)).toEqual(['lunch']);
    expect(mealsFor(2)).toEqual(['lunch', 'dinner']);
    expect(mealsFor(3)).toEqual(['breakfast', 'lunch', 'dinner']);
  });

  it('formats the clock, clamps grams and sizes steps', () => {
    expect(formatClock(60)).toBe('1:00');
    expect(formatClock(9.2)).toBe('0:10');
    expect(formatClock(-3)).toBe('0:00');
    expect(clampGrams(0.4)).toBe(1);
    expect(clampGrams(1234)).toBe(1000);
    expect(portionStep(14)).toBe(5);
    expect(portionStep(85)).toBe(10);
    expect(portionStep(237)).toBe(25);
  });

  it('names foods briefly and bands their GI in words', () => {
    expect(shortName('Broccoli, boiled')).toBe('Broccoli');
    expect(shortName('Oatmeal (rolled oats), cooked with water')).toBe('Oatmeal');
    expect(shortName('Romaine lettuce, raw', 12)).toBe('Romaine');
    expect(giBand(APPLE)).toBe('low');
    expect(giBand(WATER)).toBe('none');
    expect(giBand({ ...APPLE, gi_category: null, gi: 80 })).toBe('high');
  });

  it('suggests foods per group for the meal, topped up from the catalog', () => {
    const lunch = suggestions(CATALOG, 'lunch', 2);
    expect([...lunch.keys()]).toEqual(['vegetables', 'protein', 'carbohydrate', 'drink', 'fat']);
    expect(lunch.get('vegetables')?.[0]?.name).toBe('Romaine lettuce, raw');
    expect(lunch.get('protein')?.[0]?.name).toBe('Chicken breast, roasted');
    expect(lunch.get('drink')?.map((f) => f.name)).toEqual(['Water', 'Cola soft drink']);
    expect(lunch.get('fat')).toHaveLength(1);
  });
});

describe('the countdown', () => {
  afterEach(() => vi.useRealTimers());

  it('counts real time, pauses, and runs out once', () => {
    vi.useFakeTimers();
    let now = 0;
    const ticks: number[] = [];
    const expire = vi.fn();
    const countdown = new Countdown({ seconds: 10, now: () => now, onTick: (s) => ticks.push(s), onExpire: expire, tickMs: 250 });
    countdown.start();
    now = 4_000;
    vi.advanceTimersByTime(250);
    expect(countdown.secondsLeft).toBeCloseTo(6);
    countdown.pause();
    now = 60_000; // time passes while paused
    vi.advanceTimersByTime(5_000);
    expect(countdown.secondsLeft).toBeCloseTo(6);
    expect(expire).not.toHaveBeenCalled();
    countdown.resume();
    now = 66_100;
    vi.advanceTimersByTime(250);
    expect(expire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(ticks.at(-1)).toBe(0);
  });
});
