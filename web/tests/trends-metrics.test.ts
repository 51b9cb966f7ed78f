import { afterEach, describe, expect, it, vi } from 'vitest';
import { animationOption, axisMaxMgdl } from '../src/charts/trends-common';
import type { Trends } from '../src/api/cgm';
import { trendInfo } from '../src/trends/arrows';
import { dayItems, describeEvent } from '../src/trends/day';
import { checkImportFile, importSummary } from '../src/trends/import-panel';
import { buildTiles, evaluateTile, meetsTarget, rangeBands, targetText } from '../src/trends/metrics';
import { periodQuery } from '../src/trends/report';
import { formatLocation, parseLocation } from '../src/views/trends';

const plain = (text: string): string => text.replace(/\u00a0/g, ' ');

function trends(overrides: Partial<Trends> = {}): Trends {
  return {
    from: '2026-11-13T18:00:00Z',
    to: '2026-11-27T18:00:00Z',
    time_zone: 'UTC',
    days: 14,
    readings: 4032,
    coverage_pct: 100,
    mean_mg_dl: 142,
    sd_mg_dl: 36.7,
    cv_pct: 25.8,
    gmi_pct: 6.7,
    ranges: { very_low: 0.3, low: 0.9, in_range: 83.3, high: 14.7, very_high: 0.8 },
    targets: { in_range_pct_min: 70, low_pct_max: 4, very_low_pct_max: 1, high_pct_max: 25, very_high_pct_max: 5, cv_pct_max: 36 },
    sufficient: true,
    insufficient_reasons: [],
    agp: [],
    latest: null,
    ...overrides,
  };
}

describe('targets', () => {
  it('compares with each kind of target, boundaries included or not as written', () => {
    expect(meetsTarget(70, { op: '>=', value: 70 })).toBe(true);
    expect(meetsTarget(69.9, { op: '>=', value: 70 })).toBe(false);
    expect(meetsTarget(4, { op: '<', value: 4 })).toBe(false);
    expect(meetsTarget(3.9, { op: '<', value: 4 })).toBe(true);
    expect(meetsTarget(36, { op: '<=', value: 36 })).toBe(true);
    expect(meetsTarget(36.1, { op: '<=', value: 36 })).toBe(false);
    expect(meetsTarget(null, { op: '<=', value: 36 })).toBeNull();
  });

  it('says the status in words', () => {
    expect(evaluateTile(83.3, { op: '>=', value: 70 })).toEqual({ status: 'met', text: 'Meets the target' });
    expect(evaluateTile(56.7, { op: '>=', value: 70 })).toEqual({ status: 'not-met', text: 'Below the target' });
    expect(evaluateTile(43.3, { op: '<', value: 25 })).toEqual({ status: 'not-met', text: 'Above the target' });
    expect(evaluateTile(6.7, null).status).toBe('info');
    expect(evaluateTile(null, { op: '<', value: 25 }).status).toBe('unknown');
  });

  it('writes targets as text', () => {
    expect(plain(targetText({ op: '>=', value: 70 }))).toBe('Target: 70 % or more');
    expect(plain(targetText({ op: '<', value: 4 }))).toBe('Target: less than 4 %');
    expect(plain(targetText({ op: '<=', value: 36 }))).toBe('Target: 36 % or less');
  });
});

describe('tiles', () => {
  it('builds the nine tiles with the consensus targets', () => {
    const tiles = buildTiles(trends(), 'mg/dL');
    expect(tiles.map((t) => t.id)).toEqual(['in-range', 'below-70', 'below-54', 'above-180', 'above-250', 'cv', 'gmi', 'mean', 'coverage']);
    const byId = Object.fromEntries(tiles.map((t) => [t.id, t]));
    expect(plain(byId['in-range']!.display)).toBe('83.3 %');
    expect(byId['in-range']!.status).toBe('met');
    // Time below 70 counts the very low readings too: 0.9 + 0.3.
    expect(byId['below-70']!.value).toBe(1.2);
    expect(byId['below-70']!.status).toBe('met');
    expect(byId['above-180']!.value).toBe(15.5);
    expect(byId['cv']!.status).toBe('met');
    expect(byId['gmi']!.status).toBe('info');
    expect(plain(byId['mean']!.display)).toBe('142 mg/dL');
    expect(byId['coverage']!.status).toBe('met');
  });

  it('flags what misses its target', () => {
    const t = trends({
      ranges: { very_low: 1.5, low: 3, in_range: 60, high: 25.5, very_high: 10 },
      cv_pct: 40,
      coverage_pct: 50,
    });
    const status = Object.fromEntries(buildTiles(t, 'mg/dL').map((x) => [x.id, x.statusText]));
    expect(status).toMatchObject({
      'in-range': 'Below the target',
      'below-70': 'Above the target',
      'below-54': 'Above the target',
      'above-180': 'Above the target',
      'above-250': 'Above the target',
      cv: 'Above the target',
      coverage: 'Below the target',
    });
  });

  it('labels limits and the mean in mmol/L', () => {
    const tiles = buildTiles(trends(), 'mmol/L');
    expect(plain(tiles[0]!.detail)).toBe('3.9–10.0 mmol/L');
    expect(plain(tiles[1]!.detail)).toBe('below 3.9 mmol/L');
    expect(plain(tiles[2]!.detail)).toBe('below 3.0 mmol/L');
    expect(plain(tiles[4]!.detail)).toBe('above 13.9 mmol/L');
    expect(plain(tiles.find((t) => t.id === 'mean')!.display)).toBe('7.9 mmol/L');
  });

  it('has no figures and no verdicts without readings', () => {
    const tiles = buildTiles(trends({ readings: 0, mean_mg_dl: null, cv_pct: null, gmi_pct: null, coverage_pct: 0 }), 'mg/dL');
    expect(tiles.every((t) => t.status === 'unknown' && t.display === '–')).toBe(true);
  });

  it('orders the range bands highest first, with their limits', () => {
    const bands = rangeBands(trends(), 'mmol/L');
    expect(bands.map((b) => b.id)).toEqual(['very_high', 'high', 'in_range', 'low', 'very_low']);
    expect(bands.map((b) => plain(b.detail))).toEqual([
      'above 13.9 mmol/L',
      '10.1–13.9 mmol/L',
      '3.9–10.0 mmol/L',
      '3.0–3.8 mmol/L',
      'below 3.0 mmol/L',
    ]);
  });
});

describe('trend arrows', () => {
  it('names every Dexcom trend and points its arrow', () => {
    expect(trendInfo('DoubleUp')).toMatchObject({ label: 'rising quickly', angle: -90, double: true });
    expect(trendInfo('SingleUp')).toMatchObject({ label: 'rising', angle: -90, double: false });
    expect(trendInfo('FortyFiveUp')).toMatchObject({ label: 'rising slowly', angle: -45 });
    expect(trendInfo('Flat')).toMatchObject({ label: 'steady', angle: 0 });
    expect(trendInfo('FortyFiveDown')).toMatchObject({ label: 'falling slowly', angle: 45 });
    expect(trendInfo('SingleDown')).toMatchObject({ label: 'falling', angle: 90 });
    expect(trendInfo('DoubleDown')).toMatchObject({ label: 'falling quickly', angle: 90, double: true });
    expect(trendInfo('NONE')).toMatchObject({ label: 'trend not available', angle: null });
    expect(trendInfo('NOT COMPUTABLE').angle).toBeNull();
  });

  it('gives the rates in the user unit', () => {
    expect(trendInfo('DoubleUp', 'mg/dL').detail).toBe('more than 3 mg/dL a minute');
    expect(trendInfo('DoubleUp', 'mmol/L').detail).toBe('more than 0.17 mmol/L a minute');
  });
});

describe('import checks and summary', () => {
  it('accepts .csv and .json up to 20 MiB', () => {
    expect(checkImportFile({ name: 'clarity.csv', type: 'text/csv', size: 1000 })).toBeNull();
    expect(checkImportFile({ name: 'entries.json', type: '', size: 20 * 1024 * 1024 })).toBeNull();
    expect(checkImportFile({ name: 'big.csv', type: '', size: 20 * 1024 * 1024 + 1 })).toMatch(/limit is 20 MB/);
    expect(checkImportFile({ name: 'photo.png', type: 'image/png', size: 10 })).toMatch(/not a \.csv or \.json file/);
    expect(checkImportFile({ name: 'empty.csv', type: '', size: 0 })).toMatch(/empty/);
  });

  it('sums up an import in words', () => {
    expect(importSummary({ inserted: 288, duplicates: 0, events: 2, skipped: [{ line: 293, reason: 'x' }] })).toBe(
      '288 new readings, 0 already imported, 2 events. 1 line skipped:',
    );
    expect(importSummary({ inserted: 1, duplicates: 5, events: 1, skipped: [] })).toBe('1 new reading, 5 already imported, 1 event. No lines skipped.');
  });
});

describe('periods and the page location', () => {
  it('sends nothing for 14 days (the server default) and a from for longer periods', () => {
    const now = Date.UTC(2026, 10, 27, 12);
    expect(periodQuery(14, now)).toEqual({});
    expect(periodQuery(30, now).from?.toISOString()).toBe('2026-10-28T12:00:00.000Z');
    expect(periodQuery(90, now).from?.toISOString()).toBe('2026-08-29T12:00:00.000Z');
  });

  it('reads and writes the fragment', () => {
    expect(parseLocation('')).toEqual({ view: 'report', days: 14, date: null });
    expect(parseLocation('#view=day&date=2026-11-26')).toEqual({ view: 'day', days: 14, date: '2026-11-26' });
    expect(parseLocation('#view=report&days=90')).toMatchObject({ view: 'report', days: 90 });
    expect(parseLocation('#view=day&date=2026-13-45&days=7')).toEqual({ view: 'day', days: 14, date: null });
    expect(formatLocation({ view: 'report', days: 30, date: '2026-11-26' })).toBe('#view=report&days=30');
    expect(formatLocation({ view: 'day', days: 30, date: '2026-11-26' })).toBe('#view=day&date=2026-11-26');
  });
});

describe('day markers', () => {
  it('describes events', () => {
    expect(describeEvent({ id: 1, type: 'insulin', at: '', value: 4, note: 'bolus' })).toEqual({ short: 'Insulin 4 u', text: 'Insulin: 4 units — bolus' });
    expect(describeEvent({ id: 2, type: 'carbs', at: '', value: 45, note: null }).short).toBe('Carbs 45 g');
    expect(describeEvent({ id: 3, type: 'exercise', at: '', value: 30.5, note: null }).text).toBe('Exercise: 31 minutes');
  });

  it('merges the foods of one meal and sorts everything by time, in the user zone', () => {
    const food = (id: number, name: string, at: string, carbs: number) => ({
      id,
      food: { id, name, custom: false, gi: 50 },
      grams: 100,
      meal: 'lunch',
      eaten_at: at,
      carbs_g: carbs,
      available_carbs_g: carbs,
      gl: 10,
    });
    const items = dayItems(
      [{ id: 9, type: 'insulin', at: '2026-11-26T11:55:00Z', value: 5, note: null }],
      [food(1, 'Rice', '2026-11-26T12:00:00Z', 40), food(2, 'Chicken', '2026-11-26T12:00:30Z', 0), food(3, 'Apple', '2026-11-26T15:00:00Z', 12)],
      'Europe/Berlin',
    );
    expect(items.map((i) => [i.minute, i.short])).toEqual([
      [12 * 60 + 55, 'Insulin 5 u'],
      [13 * 60, 'Lunch'],
      [16 * 60, 'Lunch'],
    ]);
    expect(items[1]!.text).toBe('Lunch: Rice 100 g, Chicken 100 g · 40 g carbohydrate');
  });
});

describe('charts', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('do not animate for visitors who prefer reduced motion', () => {
    const media = (reduce: boolean) => (query: string) => ({ matches: reduce && query.includes('reduce'), media: query });
    vi.stubGlobal('matchMedia', media(true));
    expect(animationOption()).toBe(false);
    vi.stubGlobal('matchMedia', media(false));
    expect(animationOption()).toEqual({ duration: 350 });
  });

  it('pick the top of the glucose axis from the data', () => {
    expect(axisMaxMgdl([120, 299])).toBe(300);
    expect(axisMaxMgdl([120, 320])).toBe(350);
    expect(axisMaxMgdl([401])).toBe(400);
  });
});
