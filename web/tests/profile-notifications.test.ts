import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { NOTIFICATION_KINDS, notificationSourceFactory } from '../src/api/notifications';
import { KIND_INFO } from '../src/notifications/kinds';
import { resetSessionForTests } from '../src/ui/session';
import { startPage } from '../src/ui/shell';
import { mount } from '../src/views/profile';
import { healthy, json, mockRoutes, type ApiCall } from './fixtures';
import { FakeSource, fakeServer, notificationRoutes, type FakeServer } from './notifications-fixtures';

const stub = (name: string, value: unknown): unknown => vi.stubGlobal(name, value);
let server: FakeServer;
let calls: ApiCall[];

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

async function openProfile(): Promise<HTMLElement> {
  calls = mockRoutes(notificationRoutes(server), stub);
  window.history.replaceState({}, '', '/profile.html');
  const main = startPage('profile', mount, healthy).main;
  await vi.waitFor(() => expect(main.querySelector('#notifications-title')).not.toBeNull());
  await settle();
  return main;
}

const card = (main: HTMLElement): HTMLElement => main.querySelector('.profile-card--notifications') as HTMLElement;
const toggle = (input: HTMLInputElement): void => {
  input.click(); // flips checked and fires change, as a click or Space does
};

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
  server = fakeServer();
  FakeSource.all = [];
  vi.spyOn(notificationSourceFactory, 'create').mockImplementation((url: string) => new FakeSource(url) as unknown as EventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('notification preferences in the profile', () => {
  it('shows six labelled switches, each with its description, set from the server', async () => {
    server.prefs['low_glucose'] = false;
    const main = await openProfile();
    const section = card(main);
    expect(section.querySelector('h2')?.textContent).toBe('Notifications');
    const inputs = [...section.querySelectorAll<HTMLInputElement>('input[role="switch"]')];
    expect(inputs.map((i) => i.name)).toEqual([...NOTIFICATION_KINDS]);
    for (const input of inputs) {
      expect(input.type).toBe('checkbox');
      const label = section.querySelector(`label[for="${input.id}"]`);
      expect(label?.textContent).toBe(KIND_INFO[input.name as keyof typeof KIND_INFO].label);
      const description = document.getElementById(input.getAttribute('aria-describedby') ?? '');
      expect(description?.textContent).toBe(KIND_INFO[input.name as keyof typeof KIND_INFO].description);
    }
    expect(inputs.map((i) => i.checked)).toEqual([true, true, true, true, true, false]);
    expect(calls.some((c) => c.method === 'GET' && c.path === '/api/notifications/preferences')).toBe(true);
  });

  it('saves a switch with PATCH of just that kind and says so', async () => {
    const main = await openProfile();
    const input = card(main).querySelector<HTMLInputElement>('#pref-top10_lost') as HTMLInputElement;
    toggle(input);
    await settle();
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/api/notifications/preferences', body: { top10_lost: false }, credentials: 'include' },
    ]);
    expect(input.checked).toBe(false);
    expect(server.prefs['top10_lost']).toBe(false);
    await vi.waitFor(() => expect(main.querySelector('#prefs-status')?.textContent).toBe('Saved: “Pushed out of the top 10” notifications off.'));
  });

  it('puts the switch back and shows the error when saving fails', async () => {
    const main = await openProfile();
    server.fail.set('PATCH /api/notifications/preferences', json({ error: { code: 'validation_failed', message: 'top10_lost must be true or false', field: 'top10_lost' } }, 400));
    const input = card(main).querySelector<HTMLInputElement>('#pref-top10_lost') as HTMLInputElement;
    toggle(input);
    await settle();
    expect(input.checked).toBe(true);
    expect(card(main).querySelector('[role="alert"]')?.textContent).toBe('“Pushed out of the top 10” could not be switched off. top10_lost must be true or false');
  });

  it('ignores clicks on a switch while its change is being saved', async () => {
    const main = await openProfile();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const routes = notificationRoutes(server);
    calls = mockRoutes(async (method, path, body, url) => {
      if (method === 'PATCH') await gate;
      return routes(method, path, body, url);
    }, stub);
    const input = card(main).querySelector<HTMLInputElement>('#pref-personal_best') as HTMLInputElement;
    toggle(input);
    expect(input.getAttribute('aria-busy')).toBe('true');
    toggle(input); // ignored: stays off
    expect(input.checked).toBe(false);
    release();
    await settle();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(input.checked).toBe(false);
    expect(input.hasAttribute('aria-busy')).toBe(false);
  });

  it('says when the choices cannot be loaded, and tries again', async () => {
    server.fail.set('GET /api/notifications/preferences', new Response('', { status: 500 }));
    const main = await openProfile();
    expect(card(main).querySelector('[role="alert"]')?.textContent).toMatch(/^Your notification choices could not be loaded\./);
    server.fail.clear();
    [...card(main).querySelectorAll('button')].find((b) => b.textContent === 'Try again')?.click();
    await settle();
    expect(card(main).querySelectorAll('input[role="switch"]')).toHaveLength(6);
    expect(card(main).querySelector('[role="alert"]')?.textContent).toBe('');
  });
});
