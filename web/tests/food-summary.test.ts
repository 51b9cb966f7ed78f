import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import type { FoodLogEntry, NewEntry } from '../src/api/food';
import { chartData, dataTable, trendLabel } from '../src/charts/food-charts';
import { describeResponse, renderEntries } from '../src/food/entries';
import { renderSummary } from '../src/food/summary';
import { SESSION_HINT_KEY, resetSessionForTests } from '../src/ui/session';
import { startPage } from '../src/ui/shell';
import { mount } from '../src/views/food-log';
import { USER, healthy, json, unauthorized } from './fixtures';
import { APPLE, DRIED_APPLE, daySummary, emptyDay, entry, range } from './food-fixtures';

// Chart.js needs a real canvas: the page's chart module is replaced here (its data helpers are tested directly).
const chartSpy = vi.hoisted(() => ({ created: 0, updated: 0 }));
vi.mock('../src/charts/food-charts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/charts/food-charts')>();
  return {
    ...real,
    createFoodCharts: () => {
      chartSpy.created++;
      return { update: () => void chartSpy.updated++, setMealMetric: () => undefined, destroy: () => undefined };
    },
  };
});

describe('day summary', () => {
  it('shows carbs, GL with its daily band in words, the day GI and every meal', () => {
    const el = renderSummary(daySummary());
    expect(el.querySelector('.day-carbs')?.textContent).toBe('65.3 g');
    expect(el.textContent).toContain('60.9 g available');
    expect(el.querySelector('.day-gl')?.textContent).toBe('38.7');
    expect(el.querySelector('.day-gl-band')?.textContent).toBe('Low for a day (under 80)');
    expect(el.querySelector('.day-gi')?.textContent).toBe('64'); // 63.5 rounds half up
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Breakfast', '20.7 g', '6.2', 'Low 36'],
      ['Lunch', '44.6 g', '32.5', 'High 73'],
      ['Dinner', '—', '—', '—'],
      ['Snack', '—', '—', '—'],
    ]);
    expect(el.querySelector('thead')?.textContent).toBe('MealCarbsGLMeal GI');
  });

  it('shows the medium and high daily bands, and a day without GI', () => {
    expect(renderSummary(daySummary({ gl: 95.2, gl_category: 'medium' })).querySelector('.day-gl-band')?.textContent).toBe('Medium for a day (80–120)');
    const high = renderSummary(daySummary({ gl: 130, gl_category: 'high' }));
    expect(high.querySelector('.day-gl-band')?.textContent).toBe('High for a day (over 120)');
    expect(high.querySelector('.day-gl-band')?.className).toContain('band--high');
    const none = renderSummary(emptyDay('2026-11-27'));
    expect(none.querySelector('.day-gi')?.textContent).toBe('—');
    expect(none.textContent).toContain('No carbs with a GI yet');
  });
});

describe('entries', () => {
  const handlers = {
    timeZone: () => 'UTC',
    unit: () => 'mg/dL' as const,
    onUpdated: () => undefined,
    onDelete: () => undefined,
    onSignedOut: () => undefined,
  };

  it('groups entries by meal and shows grams, carbs and both bands', () => {
    const el = renderEntries(
      [
        entry(),
        entry({ id: 2, meal: 'lunch', food: { id: 1, name: 'Broccoli, boiled', custom: false, gi: null, carbs_per_100g: 7.2, fiber_per_100g: 3.3 }, gl: null, gi_category: null, gl_category: null }),
      ],
      handlers,
    );
    const groups = [...el.querySelectorAll('.meal-group')].map((g) => g.querySelector('h3')?.textContent);
    expect(groups).toEqual(['Breakfast · 1 food', 'Lunch · 1 food']);
    const apple = el.querySelector('[data-entry-id="1"]');
    expect(apple?.querySelector('.entry-grams')?.textContent).toBe('150 g');
    expect(apple?.querySelector('.entry-carbs')?.textContent).toBe('20.7 g carbs');
    expect(apple?.querySelector('.entry-bands')?.textContent).toBe('Low GI 36, Low GL 6.2');
    expect(apple?.textContent).toContain('GL = GI × available carbs ÷ 100 = 36 × 17.1 ÷ 100 = 6.2.');
    expect(el.querySelector('[data-entry-id="2"] .entry-bands')?.textContent).toBe('No GI, No GL');
    // Buttons name their food for screen readers.
    expect(apple?.querySelector('.entry-edit')?.textContent).toBe('Edit Apple, raw');
  });

  it('describes the glucose response in the user’s unit', () => {
    const r = { baseline_mg_dl: 100, peak_mg_dl: 154, peak_after_min: 45, rise_mg_dl: 54, iauc_2h: 3603.2 };
    expect(describeResponse(r, 'mg/dL')).toBe(
      'Starting from 100 mg/dL, your glucose peaked at 154 mg/dL 45 minutes after eating (a rise of 54 mg/dL). ' +
        'Area above the starting level over 2 hours: 3,603 mg/dL·min.',
    );
    expect(describeResponse(r, 'mmol/L')).toMatch(/^Starting from 5\.6 mmol\/L, your glucose peaked at 8\.5 mmol\/L .*a rise of 3 mmol\/L\)\. .*200 mmol\/L·min\.$/);
  });

  it('says so when the day is empty', () => {
    expect(renderEntries([], handlers).textContent).toContain('Nothing logged for this day yet');
  });
});

describe('history table and chart data', () => {
  const days = [emptyDay('2026-11-26'), daySummary({ time_zone: undefined })];
  const r = range('2026-11-26', days);

  it('has the same numbers as the charts, newest day first', () => {
    const data = chartData(r);
    expect(data.gl).toEqual([null, 38.7]); // nothing logged: a gap, not a zero
    expect(data.carbs).toEqual([null, 65.3]);
    expect(data.meals.gl.lunch).toEqual([0, 32.5]);
    expect(data.meals.carbs.breakfast).toEqual([0, 20.7]);
    const table = dataTable(r);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows[0]).toEqual([expect.stringContaining('27'), '65.3', '38.7', 'Low', '6.2', '32.5', '0', '0']);
    expect(rows[1]?.slice(1)).toEqual(['—', '—', '—', '—', '—', '—', '—']);
  });

  it('sums the chart up in its label', () => {
    expect(trendLabel(r)).toMatch(/^Bar chart of daily glycemic load with a line for carbs, 2 days, .*1 of 2 days have entries; the highest GL was 38.7/);
    expect(trendLabel(range('2026-11-26', [emptyDay('2026-11-26')]))).toContain('nothing logged yet');
  });
});

// ---- the page against a mocked API ------------------------------------------------------------------------------

interface Call {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

let calls: Call[];
let log: FoodLogEntry[];
let nextId: number;

function stubApi(overrides: (call: Call) => Response | undefined = () => undefined): void {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    if (url.pathname === '/api/health') return json({ status: 'ok', database: 'sqlite', version: '0.1.0' });
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const special = overrides(call);
    if (special) return special;
    const date = url.searchParams.get('date') ?? '2026-11-27';
    if (call.path === '/api/users/me') return json(USER);
    if (call.path === '/api/foods') return json({ items: [APPLE, DRIED_APPLE], next_cursor: null });
    if (call.path === '/api/food_log' && call.method === 'GET') return json({ date, time_zone: 'UTC', items: log, next_cursor: null });
    if (call.path === '/api/food_log' && call.method === 'POST') {
      const body = call.body as NewEntry;
      const created = entry({ id: nextId++, grams: body.grams, meal: body.meal });
      log.push(created);
      return json(created, 201);
    }
    if (call.path === '/api/food_log/summary' && url.searchParams.has('from')) {
      return json(range(url.searchParams.get('from') ?? '', [emptyDay(url.searchParams.get('to') ?? '')]));
    }
    if (call.path === '/api/food_log/summary') {
      const carbs = log.reduce((s, e) => s + e.carbs_g, 0);
      return json(daySummary({ date, carbs_g: carbs, entries: log.length }));
    }
    const m = /^\/api\/food_log\/(\d+)$/.exec(call.path);
    if (m && call.method === 'DELETE') {
      log = log.filter((e) => e.id !== Number(m[1]));
      return new Response(null, { status: 204 });
    }
    if (m && call.method === 'PATCH') {
      const found = log.find((e) => e.id === Number(m[1]));
      if (found) Object.assign(found, call.body);
      return json(found);
    }
    return json({ error: { code: 'not_found', message: 'no route' } }, 404);
  });
}

/** Lets pending promises and the 150 ms debounce run. */
async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  if (ms) {
    await new Promise((r) => setTimeout(r, ms));
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  }
}

function openPage(path = '/food-log.html'): HTMLElement {
  window.history.replaceState({}, '', path);
  return startPage('food-log', mount, healthy).main;
}

function key(el: Element, name: string): void {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
}

function typeInto(el: HTMLInputElement, text: string): void {
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el as T;
};

describe('food log page', () => {
  beforeEach(() => {
    document.body.replaceChildren();
    window.localStorage.clear();
    resetSessionForTests();
    resetApiBaseCache();
    calls = [];
    log = [];
    nextId = 10;
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('explains itself and links to sign-in when signed out, without asking the server', async () => {
    stubApi();
    const main = openPage();
    await settle();
    expect(main.querySelector('h1')?.textContent).toBe('Food Log');
    const signin = [...main.querySelectorAll('a')].find((a) => a.textContent === 'Sign in');
    expect(signin?.getAttribute('href')).toBe('/signin.html?next=%2Ffood-log.html');
    expect(calls.filter((c) => c.path.startsWith('/api/food'))).toEqual([]);
  });

  it('treats a 401 as signed out', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubApi((call) => (call.path === '/api/users/me' ? unauthorized() : undefined));
    const main = openPage();
    await settle();
    expect(main.textContent).toContain('Sign in to keep your own log');
  });

  it('loads today, adds a food picked with the keyboard, deletes it and undoes that', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubApi();
    const main = openPage();
    await settle();
    expect(main.querySelector('#day-title')?.textContent).toMatch(/^Today, /);
    expect(byId<HTMLInputElement>('food-date').value).toBe('2026-11-27');
    expect(calls.some((c) => c.path === '/api/food_log/summary' && c.query === '?from=2026-11-14&to=2026-11-27')).toBe(true);
    expect(chartSpy.created).toBe(1);

    const search = byId<HTMLInputElement>('f-food-search');
    search.focus();
    typeInto(search, 'apple');
    await settle(200);
    expect(search.getAttribute('aria-expanded')).toBe('true');
    key(search, 'ArrowDown');
    key(search, 'Enter');
    expect(search.value).toBe('Apple, raw');

    const serving = main.querySelector<HTMLButtonElement>('.food-add .chip-button');
    expect(serving?.textContent).toBe('1 serving: 1 medium (182 g)');
    serving?.click();
    expect(byId<HTMLInputElement>('f-food-grams').value).toBe('182');
    byId<HTMLSelectElement>('f-food-meal').value = 'breakfast';
    main.querySelector('form.food-add-form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ food_id: 29, grams: 182, meal: 'breakfast' });
    expect(main.querySelector('#add-food-status')?.textContent).toBe('Added Apple, raw (182 g) to breakfast.');
    expect(main.querySelectorAll('.entry')).toHaveLength(1);
    expect(main.querySelector('.day-carbs')?.textContent).toBe('20.7 g');
    expect(document.activeElement).toBe(search);

    main.querySelector<HTMLButtonElement>('.entry-delete')?.click();
    await settle();
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/food_log/10')).toBe(true);
    expect(main.querySelectorAll('.entry')).toHaveLength(0);
    expect(main.querySelector('.entries-status')?.textContent).toBe('Deleted Apple, raw. Undo');
    const undo = main.querySelector<HTMLButtonElement>('.entries-undo');
    expect(document.activeElement).toBe(undo);
    undo?.click();
    await settle();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[1]?.body).toEqual({ food_id: 29, grams: 182, meal: 'breakfast', eaten_at: '2026-11-27T08:30:00Z' });
    expect(main.querySelectorAll('.entry')).toHaveLength(1);
    expect(document.activeElement).toBe(main.querySelector('[data-entry-id="11"] .entry-edit'));
  });

  it('shows the server’s field errors next to the field', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubApi((call) =>
      call.method === 'POST'
        ? json({ error: { code: 'validation_failed', message: 'custom.gi must be between 0 and 110', field: 'custom.gi' } }, 400)
        : undefined,
    );
    const main = openPage();
    await settle();
    const custom = main.querySelector<HTMLInputElement>('input[name="source"][value="custom"]');
    custom!.checked = true;
    custom!.dispatchEvent(new Event('change', { bubbles: true }));
    byId<HTMLInputElement>('f-custom-name').value = 'Flapjack';
    byId<HTMLInputElement>('f-custom-gi').value = '66';
    byId<HTMLInputElement>('f-custom-carbs').value = '60';
    byId<HTMLInputElement>('f-food-grams').value = '60';
    main.querySelector('form.food-add-form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ custom: { name: 'Flapjack', gi: 66, carbs_per_100g: 60 }, grams: 60 });
    const gi = byId<HTMLInputElement>('f-custom-gi');
    expect(gi.getAttribute('aria-invalid')).toBe('true');
    expect(byId('f-custom-gi-error').textContent).toBe('custom.gi must be between 0 and 110');
    expect(gi.getAttribute('aria-describedby')).toContain('f-custom-gi-error');
    expect(document.activeElement).toBe(gi);
  });

  it('checks the form before sending: a food must be chosen and grams must be 1..5000', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubApi();
    const main = openPage();
    await settle();
    byId<HTMLInputElement>('f-food-grams').value = '6000';
    main.querySelector('form.food-add-form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(byId('f-food-search-error').textContent).toMatch(/Choose a food/);
    expect(byId('f-food-grams-error').textContent).toBe('Enter the amount in grams, from 1 to 5000.');
  });

  it('edits grams and meal with PATCH, and steps to the previous day', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    log = [entry()];
    stubApi();
    const main = openPage();
    await settle();
    main.querySelector<HTMLButtonElement>('.entry-edit')?.click();
    const grams = byId<HTMLInputElement>('f-edit-1-grams');
    expect(document.activeElement).toBe(grams);
    grams.value = '200';
    byId<HTMLSelectElement>('f-edit-1-meal').value = 'lunch';
    main.querySelector('form.entry-edit-form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/api/food_log/1', body: { grams: 200, meal: 'lunch' } });
    expect(main.querySelector('[data-meal="lunch"] [data-entry-id="1"]')).not.toBeNull();

    main.querySelector<HTMLButtonElement>('button[aria-label="Previous day"]')?.click();
    await settle();
    expect(calls.some((c) => c.path === '/api/food_log' && c.query === '?date=2026-11-26')).toBe(true);
    expect(byId<HTMLInputElement>('food-date').value).toBe('2026-11-26');
    expect(window.location.search).toBe('?date=2026-11-26');
    expect(main.querySelector<HTMLButtonElement>('.day-today')?.hidden).toBe(false);
  });

  it('opens the day named by ?date= (the link of a high-GL notification), and ignores one that is not a real day', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubApi();
    openPage('/food-log.html?date=2026-11-20');
    await settle();
    expect(byId<HTMLInputElement>('food-date').value).toBe('2026-11-20');
    expect(calls.some((c) => c.method === 'GET' && c.path === '/api/food_log' && c.query === '?date=2026-11-20')).toBe(true);
    expect(calls.some((c) => c.path === '/api/food_log/summary' && c.query === '?date=2026-11-20')).toBe(true);

    document.body.replaceChildren();
    resetSessionForTests();
    calls = [];
    openPage('/food-log.html?date=2026-02-30');
    await settle();
    expect(byId<HTMLInputElement>('food-date').value).not.toBe('2026-02-30');
    expect(calls.some((c) => c.query.includes('2026-02-30'))).toBe(false);
    expect(calls.some((c) => c.method === 'GET' && c.path === '/api/food_log')).toBe(true);
  });
});
