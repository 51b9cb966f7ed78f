import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Trends } from '../src/api/cgm';
import { resetApiBaseCache } from '../src/api/client';
import { SESSION_HINT_KEY, resetSessionForTests } from '../src/ui/session';
import { startPage } from '../src/ui/shell';
import { mount } from '../src/views/trends';
import { USER, healthy, json, unauthorized, user } from './fixtures';

// jsdom has no canvas: the charts are replaced, and the tests check what they were given.
const agp = vi.hoisted(() => vi.fn());
const day = vi.hoisted(() => vi.fn());
vi.mock('../src/charts/trends-agp', () => ({ renderAgpChart: agp }));
vi.mock('../src/charts/trends-day', () => ({ renderDayChart: day }));

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: unknown;
}

/** A table row as "cell | cell | …". */
const cells = (row: Element | null | undefined): string => [...(row?.children ?? [])].map((c) => plain(c.textContent)).join(' | ');
const plain = (text: string | null | undefined): string => (text ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

function report(overrides: Partial<Trends> = {}): Trends {
  return {
    from: '2026-11-13T18:00:00Z',
    to: '2026-11-27T18:00:00Z',
    time_zone: 'UTC',
    days: 14,
    readings: 30,
    coverage_pct: 0.7,
    mean_mg_dl: 172.5,
    sd_mg_dl: 44,
    cv_pct: 25.5,
    gmi_pct: 7.4,
    ranges: { very_low: 0, low: 0, in_range: 56.7, high: 43.3, very_high: 0 },
    targets: { in_range_pct_min: 70, low_pct_max: 4, very_low_pct_max: 1, high_pct_max: 25, very_high_pct_max: 5, cv_pct_max: 36 },
    sufficient: false,
    insufficient_reasons: ['less than 70% of the expected 5-minute readings are present'],
    agp: [{ minute: 480, time: '08:00', count: 3, p5: 100, p25: 110, p50: 120, p75: 130, p95: 140 }],
    latest: { at: '2026-11-27T17:55:00Z', mg_dl: 245, mmol_l: 13.6, trend: 'DoubleUp', rate_mg_dl_per_min: 3.4 },
    ...overrides,
  };
}

let calls: Call[];
let routes: (call: Call) => Response | Promise<Response>;

function stubApi(): void {
  calls = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    if (url.pathname === '/api/health') return json({ status: 'ok', database: 'sqlite', version: '0.1.0' });
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const contentType = headers['Content-Type'];
    const body = contentType === 'application/json' && typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : init?.body;
    const call: Call = { method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType, body };
    calls.push(call);
    return routes(call);
  });
}

async function open(hash = ''): Promise<HTMLElement> {
  window.history.replaceState({}, '', `/trends.html${hash}`);
  const main = startPage('trends', mount, healthy).main;
  return main;
}

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
  agp.mockReset().mockReturnValue({ destroy: vi.fn() });
  day.mockReset().mockReturnValue({ destroy: vi.fn() });
  routes = (call) => {
    if (call.path === '/api/users/me') return json(USER);
    if (call.path === '/api/pin_dexcom/trends') return json(report());
    return json({ error: { code: 'not_found', message: 'no route' } }, 404);
  };
  stubApi();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('trends page, signed out', () => {
  it('explains the page and links to sign in and back, without asking the server', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('h1')?.textContent).toBe('Trends'));
    const signin = [...main.querySelectorAll('a')].find((a) => a.textContent === 'Sign in');
    expect(signin?.getAttribute('href')).toBe('/signin.html?next=%2Ftrends.html');
    expect(main.textContent).toMatch(/time in range/);
    expect(calls).toEqual([]);
  });

  it('shows the sign-in offer when the session has ended (401)', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    routes = () => unauthorized();
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.trends-signed-out')).not.toBeNull());
  });
});

describe('trends page, signed in', () => {
  beforeEach(() => window.localStorage.setItem(SESSION_HINT_KEY, '1'));

  it('shows the report: reasons first, latest reading with arrow and words, ranges, tiles, AGP', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    const trendsCall = calls.find((c) => c.path === '/api/pin_dexcom/trends');
    expect([...(trendsCall?.query.keys() ?? [])]).toEqual([]);

    expect(main.querySelector('.report')?.getAttribute('data-sufficient')).toBe('false');
    expect(plain(main.querySelector('.report-insufficient')?.textContent)).toContain('Less than 70% of the expected 5-minute readings are present.');
    expect(main.querySelector('#report-readings')?.textContent).toBe('30');

    const latest = plain(main.querySelector('.latest-card')?.textContent);
    expect(latest).toContain('245 mg/dL');
    expect(latest).toContain('Rising quickly');
    expect(latest).toContain('Changing +3.4 mg/dL/min');
    expect(main.querySelector('.latest-card svg.trend-arrow')?.getAttribute('aria-hidden')).toBe('true');

    const inRange = main.querySelector('[data-tile="in-range"]');
    expect(inRange?.getAttribute('data-status')).toBe('not-met');
    expect(plain(inRange?.querySelector('.tile-value')?.textContent)).toBe('56.7 %');
    expect(plain(inRange?.textContent)).toContain('Below the target');
    expect(plain(main.querySelector('[data-tile="below-70"]')?.textContent)).toContain('Meets the target');
    expect(main.querySelectorAll('.tile')).toHaveLength(9);

    expect(plain(main.querySelector('[data-band="in_range"]')?.textContent)).toContain('56.7 %');

    const canvas = main.querySelector('.agp-card canvas');
    expect(canvas?.getAttribute('role')).toBe('img');
    expect(canvas?.getAttribute('aria-label')).toMatch(/median is highest at 08:00 \(120\u00a0mg\/dL\)/);
    expect(agp).toHaveBeenCalledWith(canvas, expect.objectContaining({ unit: 'mg/dL', targetLow: 70, targetHigh: 180 }));
    const rows = main.querySelectorAll('.agp-card table tbody tr');
    expect(rows).toHaveLength(1);
    expect(cells(rows[0])).toBe('08:00–08:15 | 3 | 100 | 110 | 120 | 130 | 140');
  });

  it('shows everything in mmol/L for a user who chose it', async () => {
    routes = (call) =>
      call.path === '/api/users/me'
        ? json(user({ settings: { ...USER.settings, glucose_unit: 'mmol/L', target_low_mg_dl: 72, target_high_mg_dl: 162 } }))
        : json(report());
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    expect(plain(main.querySelector('.latest-card')?.textContent)).toContain('13.6 mmol/L');
    expect(plain(main.querySelector('[data-tile="mean"] .tile-value')?.textContent)).toBe('9.6 mmol/L');
    expect(plain(main.querySelector('.trends-meta')?.textContent)).toContain('your target 4.0–9.0 mmol/L');
    expect(cells(main.querySelector('.agp-card table tbody tr'))).toBe('08:00–08:15 | 3 | 5.6 | 6.1 | 6.7 | 7.2 | 7.8');
    expect(agp).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ unit: 'mmol/L', targetLow: 72, targetHigh: 162 }));
  });

  it('asks for 30 days with a from and remembers the period in the URL', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    const radio = main.querySelector<HTMLInputElement>('input[name="report-period"][value="30"]');
    radio!.checked = true;
    radio!.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(calls.filter((c) => c.path === '/api/pin_dexcom/trends')).toHaveLength(2));
    const from = calls.filter((c) => c.path === '/api/pin_dexcom/trends')[1]?.query.get('from') ?? '';
    expect(Date.now() - Date.parse(from)).toBeGreaterThan(30 * 86_400_000 - 60_000);
    expect(window.location.hash).toBe('#view=report&days=30');
  });

  it('switches tabs with the arrow keys (roving tabindex)', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    const [reportTab, dayTab] = [...main.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    expect(reportTab?.getAttribute('aria-selected')).toBe('true');
    expect(dayTab?.tabIndex).toBe(-1);
    reportTab!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(dayTab?.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(dayTab);
    expect(main.querySelector<HTMLElement>('#panel-report')?.hidden).toBe(true);
    expect(main.querySelector<HTMLElement>('#panel-day')?.hidden).toBe(false);
    expect(main.querySelector('#panel-day')?.getAttribute('aria-labelledby')).toBe('tab-day');
  });

  it('says when there are no readings yet', async () => {
    routes = (call) =>
      call.path === '/api/users/me' ? json(USER) : json(report({ readings: 0, agp: [], latest: null, mean_mg_dl: null, cv_pct: null, gmi_pct: null }));
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('empty'));
    expect(main.querySelector('.report-empty h2')?.textContent).toBe('No readings in the last 14 days');
    expect(agp).not.toHaveBeenCalled();
  });

  it('imports a Clarity CSV as text/csv, shows the summary and reloads the report', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    routes = (call) =>
      call.path === '/api/pin_dexcom/import'
        ? json({ inserted: 288, duplicates: 0, events: 2, skipped: [{ line: 300, reason: "event type 'Calibration' is not imported" }] })
        : json(report({ readings: 318 }));
    const input = main.querySelector<HTMLInputElement>('#trends-import-file')!;
    const file = new File(['Index,Timestamp (YYYY-MM-DDThh:mm:ss)\n'], 'clarity.csv', { type: 'text/csv' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    expect(main.querySelector<HTMLElement>('.import-progress')?.hidden).toBe(false);
    expect(main.querySelector('progress')?.hasAttribute('value')).toBe(false);
    await vi.waitFor(() => expect(main.querySelector('.import-summary')).not.toBeNull());
    const upload = calls.find((c) => c.path === '/api/pin_dexcom/import');
    expect(upload).toMatchObject({ method: 'POST', contentType: 'text/csv', body: file });
    expect(plain(main.querySelector('.import-summary')?.textContent)).toBe(
      'Imported “clarity.csv”: 288 new readings, 0 already imported, 2 events. 1 line skipped:',
    );
    expect([...main.querySelectorAll('.import-skipped li')].map((li) => li.textContent)).toEqual([
      "Line 300: event type 'Calibration' is not imported",
    ]);
    expect(main.querySelector<HTMLElement>('.import-progress')?.hidden).toBe(true);
    await vi.waitFor(() => expect(main.querySelector('#report-readings')?.textContent).toBe('318'));
  });

  it('shows a 422 plainly and refuses files it cannot send', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    routes = () => json({ error: { code: 'unprocessable', message: 'Nightscout entries must be a JSON array of entries' } }, 422);
    const input = main.querySelector<HTMLInputElement>('#trends-import-file')!;
    const choose = (file: File): void => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change'));
    };
    choose(new File(['{}'], 'entries.json', { type: 'application/json' }));
    await vi.waitFor(() => expect(main.querySelector('.import-alert')?.textContent).toContain('Nightscout entries must be a JSON array of entries'));
    expect(calls.find((c) => c.path === '/api/pin_dexcom/import')?.contentType).toBe('application/json');

    const before = calls.length;
    choose(new File(['x'], 'photo.png', { type: 'image/png' }));
    expect(main.querySelector('.import-alert')?.textContent).toMatch(/not a \.csv or \.json file/);
    expect(calls.length).toBe(before);
  });

  it('loads synthetic demo data after asking, since readings exist', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-state')).toBe('ready'));
    routes = (call) =>
      call.path === '/api/pin_dexcom/readings' && call.method === 'POST'
        ? json({ inserted: (call.body as { readings: unknown[] }).readings.length, duplicates: 0 }, 201)
        : json(report({ readings: 4062, sufficient: true, insufficient_reasons: [] }));
    const button = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Load demo data')!;
    button.click();
    const yes = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Add demo data');
    expect(yes).toBeDefined();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    yes!.click();
    await vi.waitFor(() => expect(main.querySelector('.import-result')?.textContent).toContain('Demo data loaded.'), { timeout: 3000 });
    const posts = calls.filter((c) => c.method === 'POST' && c.path === '/api/pin_dexcom/readings');
    expect(posts).toHaveLength(1);
    const sent = (posts[0]?.body as { readings: Array<{ at: string; mg_dl: number }> }).readings;
    expect(sent).toHaveLength(14 * 288);
    expect(Date.now() - Date.parse(sent.at(-1)!.at)).toBeLessThan(5_000);
    expect(main.querySelector('.import-result')?.textContent).toMatch(/synthetic/);
    expect(main.querySelector('.import-result')?.textContent).toMatch(/not your data/);
    await vi.waitFor(() => expect(main.querySelector('.report')?.getAttribute('data-sufficient')).toBe('true'));
    expect(main.querySelector('.report-insufficient')).toBeNull();
  });

  it('shows a day: readings, events and meals as numbered markers, with a table', async () => {
    routes = (call) => {
      switch (call.path) {
        case '/api/users/me':
          return json(USER);
        case '/api/pin_dexcom/trends':
          return json(report({ readings: 2, ranges: { very_low: 0, low: 0, in_range: 100, high: 0, very_high: 0 } }));
        case '/api/pin_dexcom/readings':
          return json({
            items: [
              { at: '2026-11-26T08:00:00Z', mg_dl: 110, mmol_l: 6.1, flag: null },
              { at: '2026-11-26T08:05:00Z', mg_dl: 39, mmol_l: 2.2, flag: 'low' },
            ],
            next_cursor: null,
          });
        case '/api/events':
          return json({ items: [{ id: 1, type: 'carbs', at: '2026-11-26T07:55:00Z', value: 45, note: null }], next_cursor: null });
        case '/api/food_log':
          return json({
            date: '2026-11-26',
            time_zone: 'UTC',
            items: [{ id: 3, food: { id: 1, name: 'Porridge', custom: false, gi: 55 }, grams: 250, meal: 'breakfast', eaten_at: '2026-11-26T07:50:00Z', carbs_g: 30, available_carbs_g: 27, gl: 15 }],
            next_cursor: null,
          });
        default:
          return json({}, 404);
      }
    };
    const main = await open('#view=day&date=2026-11-26');
    await vi.waitFor(() => expect(main.querySelector('.day')?.getAttribute('data-state')).toBe('ready'));
    expect(main.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toBe('Day');
    for (const path of ['/api/pin_dexcom/readings', '/api/events']) {
      const call = calls.find((c) => c.path === path);
      expect(call?.query.get('from')).toBe('2026-11-26');
      expect(call?.query.get('to')).toBe('2026-11-26');
    }
    expect(calls.find((c) => c.path === '/api/food_log')?.query.get('date')).toBe('2026-11-26');
    expect([...main.querySelectorAll('.day-item')].map((li) => plain(li.textContent))).toEqual([
      '1Marker 1: 07:50 Breakfast: Porridge 250 g · 30 g carbohydrate',
      '2Marker 2: 07:55 Carbohydrate: 45 g',
    ]);
    expect(day).toHaveBeenCalledWith(
      main.querySelector('.day-card canvas'),
      expect.objectContaining({
        minutes: [480, 485],
        markers: [expect.objectContaining({ number: 1, label: 'Breakfast', minute: 470 }), expect.objectContaining({ number: 2, label: 'Carbs 45 g', minute: 475 })],
      }),
    );
    expect([...main.querySelectorAll('.day-card tbody tr')].map(cells)).toEqual(['08:00 | 110 mg/dL', '08:05 | LOW (below 40 mg/dL)']);
    expect(main.querySelector<HTMLInputElement>('#day-date')?.value).toBe('2026-11-26');

    main.querySelector<HTMLButtonElement>('.day-step')!.click();
    await vi.waitFor(() => expect(window.location.hash).toBe('#view=day&date=2026-11-25'));
  });
});
