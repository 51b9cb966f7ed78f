import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import type { PinAttempts } from '../src/api/pin';
import { SESSION_HINT_KEY, resetSessionForTests } from '../src/ui/session';
import { startPage } from '../src/ui/shell';
import { mount } from '../src/views/pin-dexcom';
import { USER, healthy, json, unauthorized, user } from './fixtures';
import { SITES_G7_ADULT, sitesFor } from './pin-fixtures';

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

let calls: Call[];
let routes: (call: Call) => Response;
let attempts: PinAttempts;

const plain = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
  calls = [];
  attempts = { items: [], next_cursor: null, attempts: 0, correct: 0, accuracy_pct: 0, streak: 0 };
  routes = (call) => {
    if (call.path === '/api/users/me') return json(user({ settings: { ...USER.settings, cgm_model: 'g6', age_group: 'teen' } }));
    if (call.path === '/api/pin_dexcom/sites') {
      return json(call.query.get('model') === 'g6' ? sitesFor(['abdomen', 'upper_buttocks'], 'g6', 'teen') : SITES_G7_ADULT);
    }
    if (call.path === '/api/pin_dexcom/attempts' && call.method === 'GET') return json(attempts);
    if (call.path === '/api/pin_dexcom/attempts' && call.method === 'POST') {
      attempts = {
        ...attempts,
        items: [{ id: 1, model: 'g6', age_group: 'teen', view: 'front', x: 0.5, y: 0.3, correct: false, zone: null, score: 0, created_at: '2026-11-27T10:00:00Z' }],
        attempts: 1,
      };
      return json({ id: 1, correct: false, zone: null, reason: 'That part of the body is not an approved sensor site for this model.', score: 0, distance: 0.05 }, 201);
    }
    return json({ error: { code: 'not_found', message: 'no route' } }, 404);
  };
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    if (url.pathname === '/api/health') return json({ status: 'ok', database: 'sqlite', version: '0.1.0' });
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: Call = { method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    return routes(call);
  });
  window.history.replaceState({}, '', '/pin-dexcom.html');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function open(): Promise<HTMLElement> {
  const main = startPage('pin-dexcom', mount, healthy).main;
  await vi.waitFor(() => expect(main.querySelector('.pin-choices button')).not.toBeNull());
  return main;
}

const choose = (main: HTMLElement, label: RegExp): void => {
  const button = [...main.querySelectorAll<HTMLButtonElement>('.pin-choices button')].find((b) => label.test(b.textContent ?? ''));
  if (!button) throw new Error(`no step button ${label}`);
  button.focus();
  button.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 0 })); // as from the keyboard
};

const key = (el: Element, k: string): void => {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
};

describe('Pin the Dexcom page, as a guest', () => {
  it('plays against the public sites, and asks to sign in instead of posting', async () => {
    const main = await open();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/pin_dexcom/sites']);
    expect(calls[0]?.query.toString()).toBe('model=g7&age_group=adult');
    expect(main.querySelector('h1')?.textContent).toBe('Pin the Dexcom');
    expect(plain(main.querySelector('.pin-guest-note')?.textContent)).toMatch(/playing as a guest/);
    expect(main.querySelector('.pin-progress a')?.getAttribute('href')).toBe('/signin.html?next=%2Fpin-dexcom.html');
    expect(main.querySelector('.pin-about')?.textContent).toContain(SITES_G7_ADULT.uncertainty);
    expect(main.querySelector('.pin-about cite')?.textContent).toBe(SITES_G7_ADULT.zones[0]?.source);

    choose(main, /Wash your hands/);
    choose(main, /Clean the site/);
    choose(main, /Place the sensor/);
    const stage = main.querySelector<HTMLElement>('.pin-stage');
    if (!stage) throw new Error('no stage');
    expect(document.activeElement).toBe(stage);
    key(stage, 'Enter');
    await vi.waitFor(() => expect(main.querySelector('.pin-verdict[data-verdict="guest"]')).not.toBeNull());
    expect(main.querySelector('.pin-verdict a')?.getAttribute('href')).toBe('/signin.html?next=%2Fpin-dexcom.html');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    // The sites are revealed for comparison.
    expect(main.querySelectorAll('.pin-avoid').length).toBeGreaterThan(0);
  });
});

describe('Pin the Dexcom page, signed in', () => {
  beforeEach(() => window.localStorage.setItem(SESSION_HINT_KEY, '1'));

  it('starts from the profile’s sensor and age group, keeps the routine in order, and posts the placement', async () => {
    const main = await open();
    await vi.waitFor(() => expect(main.querySelector('.pin-progress-empty')).not.toBeNull());
    expect(calls.find((c) => c.path === '/api/pin_dexcom/sites')?.query.toString()).toBe('model=g6&age_group=teen');
    expect(main.querySelector<HTMLInputElement>('input[name="pin_model"]:checked')?.value).toBe('g6');
    expect(main.querySelector<HTMLInputElement>('input[name="pin_age"]:checked')?.value).toBe('teen');
    expect(main.querySelector('.pin-guest-note')).toBeNull();
    expect(plain(main.querySelector('.pin-choices')?.textContent)).toContain('Wait for the warm-up: 2 hours');

    // Out of order: feedback, nothing done.
    choose(main, /Start the sensor/);
    const status = main.querySelector('.pin-step-status');
    expect(status?.getAttribute('data-tone')).toBe('warn');
    expect(status?.textContent).toBe('Not yet: “Start the sensor in the app” is step 5. You are on step 1 of 6.');
    // Trying to place the sensor before washing: also refused, with the same kind of feedback.
    const stage = main.querySelector<HTMLElement>('.pin-stage');
    if (!stage) throw new Error('no stage');
    key(stage, 'Enter');
    expect(main.querySelector('.pin-hint')?.textContent).toMatch(/^Not yet: “Place the sensor” is step 3\. You are on step 1 of 6\. Hint: next is “Wash your hands”\.$/);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    choose(main, /Wash your hands/);
    choose(main, /Clean the site/);
    expect(main.querySelectorAll('.pin-routine-item[data-state="done"]')).toHaveLength(2);
    const drawn = main.querySelectorAll('.pin-obstacle').length; // on the front, which is showing
    key(stage, 'Enter');

    await vi.waitFor(() => expect(main.querySelector('.pin-verdict[data-verdict="incorrect"]')).not.toBeNull());
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/api/pin_dexcom/attempts');
    expect(post?.body).toMatchObject({ model: 'g6', age_group: 'teen', view: 'front', x: 0.5, y: 0.3 });
    const sent = (post?.body as { obstacles?: Array<{ view: string }> }).obstacles ?? [];
    expect(sent.filter((o) => o.view === 'front')).toHaveLength(drawn);
    expect(plain(main.querySelector('.pin-verdict-hint')?.textContent)).toBe('You were about 2 inches (4 cm) from an approved site.');
    expect(main.querySelector('.pin-hint')?.getAttribute('data-tone')).toBe('bad');
    expect(main.querySelectorAll('.pin-zone--approved')).toHaveLength(1); // the belly, on the front
    await vi.waitFor(() => expect(main.querySelectorAll('.pin-history-item')).toHaveLength(1));

    // Placed once per round; the next round starts over.
    key(stage, 'Enter');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    const next = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Next round');
    next?.click();
    expect(main.querySelectorAll('.pin-routine-item[data-state="done"]')).toHaveLength(0);
    expect(main.querySelector('.pin-zone--approved')).toBeNull();
  });

  it('reloads the sites when the sensor changes', async () => {
    const main = await open();
    const g7 = main.querySelector<HTMLInputElement>('input[name="pin_model"][value="g7"]');
    if (!g7) throw new Error('no g7');
    g7.checked = true;
    g7.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(main.querySelector('.pin-sensor-name')?.textContent).toBe('Dexcom G7 sensor'));
    const asked = calls.filter((c) => c.path === '/api/pin_dexcom/sites').map((c) => c.query.toString());
    expect(asked).toEqual(['model=g6&age_group=teen', 'model=g7&age_group=teen']);
  });

  it('asks to sign in when the session has ended by the time the sensor is placed', async () => {
    const main = await open();
    routes = (call) => (call.method === 'POST' ? unauthorized() : json(attempts));
    choose(main, /Wash your hands/);
    choose(main, /Clean the site/);
    const stage = main.querySelector<HTMLElement>('.pin-stage');
    if (!stage) throw new Error('no stage');
    key(stage, 'Enter');
    await vi.waitFor(() => expect(main.querySelector('.pin-verdict[data-verdict="guest"]')).not.toBeNull());
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });
});
