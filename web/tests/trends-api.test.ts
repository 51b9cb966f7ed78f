import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_READINGS_PER_POST,
  addReadings,
  addReadingsInBatches,
  getAllReadings,
  getEvents,
  getFoodLogDay,
  getReadingsPage,
  getTrends,
  importFormatOf,
  importReadings,
  toRfc3339,
  type NewReading,
} from '../src/api/cgm';
import { ApiError, resetApiBaseCache } from '../src/api/client';

interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: BodyInit | null | undefined;
  credentials: RequestCredentials | undefined;
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Stubs fetch: /config.json answers a same-origin base; everything else goes to `route` and is recorded. */
function stubFetch(route: (call: Call) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: headers['Content-Type'] ?? null,
      body: init?.body,
      credentials: init?.credentials,
    };
    calls.push(call);
    return route(call);
  });
  return calls;
}

const TRENDS = { readings: 0, agp: [], latest: null, sufficient: false, insufficient_reasons: [] };

beforeEach(() => resetApiBaseCache());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('trends and readings', () => {
  it('asks GET /api/pin_dexcom/trends with no range for the default 14 days, with cookies', async () => {
    const calls = stubFetch(() => json(TRENDS));
    await expect(getTrends()).resolves.toMatchObject({ readings: 0 });
    expect(calls).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/pin_dexcom/trends', query: {}, credentials: 'include', contentType: null }),
    ]);
  });

  it('sends from/to as days or as RFC 3339 instants without milliseconds', async () => {
    const calls = stubFetch(() => json(TRENDS));
    await getTrends({ from: new Date('2026-10-28T18:32:15.123Z') });
    await getTrends({ from: '2026-11-26', to: '2026-11-26' });
    expect(calls[0]?.query).toEqual({ from: '2026-10-28T18:32:15Z' });
    expect(calls[1]?.query).toEqual({ from: '2026-11-26', to: '2026-11-26' });
  });

  it('formats instants as the API does', () => {
    expect(toRfc3339(Date.UTC(2026, 10, 27, 8, 30, 0, 999))).toBe('2026-11-27T08:30:00Z');
  });

  it('pages readings with limit and cursor', async () => {
    const calls = stubFetch(() => json({ items: [], next_cursor: null }));
    await getReadingsPage({ from: '2026-11-26', to: '2026-11-26', limit: 500, cursor: '1795718520' });
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/api/pin_dexcom/readings',
      query: { from: '2026-11-26', to: '2026-11-26', limit: '500', cursor: '1795718520' },
    });
  });

  it('follows next_cursor until the last page', async () => {
    const r = (at: string) => ({ at, mg_dl: 100, mmol_l: 5.6, flag: null });
    const calls = stubFetch((call) =>
      call.query['cursor'] === undefined
        ? json({ items: [r('2026-11-26T00:00:00Z'), r('2026-11-26T00:05:00Z')], next_cursor: '1795651500' })
        : json({ items: [r('2026-11-26T00:10:00Z')], next_cursor: null }),
    );
    const all = await getAllReadings({ from: '2026-11-26', to: '2026-11-26' });
    expect(all.map((x) => x.at)).toEqual(['2026-11-26T00:00:00Z', '2026-11-26T00:05:00Z', '2026-11-26T00:10:00Z']);
    expect(calls.map((c) => c.query['cursor'])).toEqual([undefined, '1795651500']);
    expect(calls.every((c) => c.query['limit'] === '500')).toBe(true);
  });

  it('stops following a cursor that never ends', async () => {
    const calls = stubFetch(() => json({ items: [], next_cursor: 'again' }));
    await getAllReadings({}, undefined, 3);
    expect(calls).toHaveLength(3);
  });
});

describe('adding readings', () => {
  const readings = (n: number): NewReading[] =>
    Array.from({ length: n }, (_, i) => ({ at: toRfc3339(Date.UTC(2026, 10, 27, 0, i * 5)), mg_dl: 100 + i }));

  it('POSTs {readings} as JSON to /api/pin_dexcom/readings', async () => {
    const calls = stubFetch(() => json({ inserted: 2, duplicates: 0 }, 201));
    await expect(addReadings(readings(2))).resolves.toEqual({ inserted: 2, duplicates: 0 });
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/pin_dexcom/readings', contentType: 'application/json' });
    expect(JSON.parse(String(calls[0]?.body))).toEqual({ readings: readings(2) });
  });

  it('splits into batches, one after the other, and adds up the answers', async () => {
    const sizes: number[] = [];
    stubFetch((call) => {
      const n = (JSON.parse(String(call.body)) as { readings: unknown[] }).readings.length;
      sizes.push(n);
      return json({ inserted: n - 1, duplicates: 1 }, 201);
    });
    const progress: string[] = [];
    const total = await addReadingsInBatches(readings(7), (done, all) => progress.push(`${done}/${all}`), 3);
    expect(sizes).toEqual([3, 3, 1]);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(total).toEqual({ inserted: 4, duplicates: 3 });
  });

  it('never sends more than the API takes in one request', async () => {
    const sizes: number[] = [];
    stubFetch((call) => {
      sizes.push((JSON.parse(String(call.body)) as { readings: unknown[] }).readings.length);
      return json({ inserted: 0, duplicates: 0 }, 201);
    });
    await addReadingsInBatches(readings(MAX_READINGS_PER_POST + 5), undefined, 50_000);
    expect(sizes).toEqual([MAX_READINGS_PER_POST, 5]);
  });
});

describe('imports', () => {
  it('tells the format from the file name, then the MIME type', () => {
    expect(importFormatOf({ name: 'Clarity_Export.CSV', type: '' })).toBe('clarity-csv');
    expect(importFormatOf({ name: 'entries.json', type: 'text/plain' })).toBe('nightscout-json');
    expect(importFormatOf({ name: 'export', type: 'text/csv' })).toBe('clarity-csv');
    expect(importFormatOf({ name: 'export', type: 'application/json' })).toBe('nightscout-json');
    expect(importFormatOf({ name: 'photo.png', type: 'image/png' })).toBeNull();
  });

  it('sends a Clarity export as text/csv, untouched', async () => {
    const calls = stubFetch(() => json({ inserted: 1, duplicates: 0, events: 0, skipped: [] }));
    const csv = 'Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type\n';
    await importReadings(csv, 'clarity-csv');
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/pin_dexcom/import', contentType: 'text/csv', body: csv });
  });

  it('sends Nightscout entries as application/json, and a File as the body itself', async () => {
    const calls = stubFetch(() => json({ inserted: 1, duplicates: 0, events: 0, skipped: [] }));
    const file = new File(['[{"type":"sgv","sgv":120,"date":1795718520000}]'], 'entries.json', { type: 'application/json' });
    await importReadings(file, 'nightscout-json');
    expect(calls[0]).toMatchObject({ path: '/api/pin_dexcom/import', contentType: 'application/json' });
    expect(calls[0]?.body).toBe(file);
  });

  it('turns a 422 into an ApiError with the server message', async () => {
    stubFetch(() => json({ error: { code: 'unprocessable', message: 'not a Dexcom Clarity export: the header needs …' } }, 422));
    const err = await importReadings('a,b\n', 'clarity-csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'unprocessable', message: 'not a Dexcom Clarity export: the header needs …' });
  });
});

describe('events and the food log', () => {
  it('GET /api/events?from&to → the items', async () => {
    const item = { id: 1, type: 'carbs', at: '2026-11-26T18:32:00Z', value: 45, note: null };
    const calls = stubFetch(() => json({ items: [item], next_cursor: null }));
    await expect(getEvents({ from: '2026-11-26', to: '2026-11-26' })).resolves.toEqual([item]);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/events', query: { from: '2026-11-26', to: '2026-11-26' } });
  });

  it('GET /api/food_log?date=', async () => {
    const calls = stubFetch(() => json({ date: '2026-11-26', time_zone: 'UTC', items: [], next_cursor: null }));
    await expect(getFoodLogDay('2026-11-26')).resolves.toMatchObject({ date: '2026-11-26', items: [] });
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/food_log', query: { date: '2026-11-26' } });
  });
});
