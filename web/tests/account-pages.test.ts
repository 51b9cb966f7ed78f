import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { pageNav } from '../src/ui/navigation';
import { SESSION_HINT_KEY, resetSessionForTests } from '../src/ui/session';
import { startPage, type MountFn, type PageId } from '../src/ui/shell';
import { mount as mountProfile } from '../src/views/profile';
import { mount as mountSignin } from '../src/views/signin';
import { mount as mountSignup } from '../src/views/signup';
import { USER, healthy, json, mockRoutes, unauthorized, user } from './fixtures';

const stub = (name: string, value: unknown): unknown => vi.stubGlobal(name, value);
const validation = (field: string, message: string): Response =>
  json({ error: { code: 'validation_failed', message, field } }, 400);

let go: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  window.history.replaceState({}, '', '/');
  resetSessionForTests();
  resetApiBaseCache();
  go = vi.spyOn(pageNav, 'go').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function open(id: PageId, mount: MountFn, path: string): HTMLElement {
  window.history.replaceState({}, '', path);
  return startPage(id, mount, healthy).main;
}

function input(root: ParentNode, id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement) || !root.contains(el)) throw new Error(`no input #${id}`);
  return el;
}

function type(root: ParentNode, id: string, value: string): void {
  const el = input(root, id);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

function submit(form: HTMLFormElement | null): void {
  if (!form) throw new Error('no form');
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

/** The inline error shown for a control, found through its aria-describedby (as assistive tech does). */
function errorFor(control: Element): string | null {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el?.classList.contains('field-error')) return el.textContent;
  }
  return null;
}

function expectFieldError(control: Element, text: string | RegExp): void {
  expect(control.getAttribute('aria-invalid')).toBe('true');
  const message = errorFor(control);
  expect(message).not.toBeNull();
  expect(message).toMatch(text);
}

const alertText = (root: ParentNode): string => root.querySelector('form [role="alert"]')?.textContent ?? '';

/** A promise the test resolves by hand, to look at the page while a request is in flight. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

// ---- sign in -------------------------------------------------------------------------------------------------

describe('sign-in page', () => {
  it('labels every input and links to sign-up, carrying next', () => {
    const main = open('signin', mountSignin, '/signin.html?next=%2Fprofile.html');
    for (const el of main.querySelectorAll('input')) {
      expect(main.querySelector(`label[for="${el.id}"]`), `label for #${el.id}`).not.toBeNull();
    }
    expect(input(main, 'f-username').autocomplete).toBe('username');
    expect(input(main, 'f-password').autocomplete).toBe('current-password');
    const signup = [...main.querySelectorAll('a')].find((a) => a.textContent === 'Create an account');
    expect(signup?.getAttribute('href')).toBe('/signup.html?next=%2Fprofile.html');
  });

  it('shows inline errors for empty fields and sends nothing', () => {
    const calls = mockRoutes(() => json({}), stub);
    const main = open('signin', mountSignin, '/signin.html');
    submit(main.querySelector('form'));
    expectFieldError(input(main, 'f-username'), 'Enter your username.');
    expectFieldError(input(main, 'f-password'), 'Enter your password.');
    expect(document.activeElement).toBe(input(main, 'f-username'));
    expect(calls).toHaveLength(0);
    // Fixing a field clears its message.
    type(main, 'f-username', 'jamie');
    expect(input(main, 'f-username').hasAttribute('aria-invalid')).toBe(false);
    expect(errorFor(input(main, 'f-username'))).toBeNull();
  });

  it('goes to a same-site next after signing in, with the button disabled meanwhile', async () => {
    const answer = deferred<Response>();
    const calls = mockRoutes(() => answer.promise, stub);
    const main = open('signin', mountSignin, '/signin.html?next=%2Ftrends.html%3Frange%3D7d');
    type(main, 'f-username', ' jamie ');
    type(main, 'f-password', 'correct horse');
    submit(main.querySelector('form'));
    const button = main.querySelector<HTMLButtonElement>('button[type="submit"]');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(button?.disabled).toBe(true);
    submit(main.querySelector('form')); // a second submit while in flight does nothing
    answer.resolve(json({ user: USER, token: 'jwt' }));
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/trends.html?range=7d'));
    expect(calls).toEqual([
      { method: 'POST', path: '/api/auth/login', body: { username: 'jamie', password: 'correct horse' }, credentials: 'include' },
    ]);
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
    expect(JSON.stringify(window.localStorage)).not.toContain('jwt');
  });

  it.each([['//evil.example'], ['https://evil.example/'], ['/\\evil.example']])('ignores next=%s and goes home', async (next) => {
    mockRoutes(() => json({ user: USER, token: 't' }), stub);
    const main = open('signin', mountSignin, `/signin.html?next=${encodeURIComponent(next)}`);
    type(main, 'f-username', 'jamie');
    type(main, 'f-password', 'correct horse');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/'));
  });

  it('shows a wrong name or password in the alert region', async () => {
    mockRoutes(() => json({ error: { code: 'unauthorized', message: 'invalid credentials' } }, 401), stub);
    const main = open('signin', mountSignin, '/signin.html');
    type(main, 'f-username', 'jamie');
    type(main, 'f-password', 'wrong password');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expect(alertText(main)).toMatch(/do not match/));
    expect(main.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(false);
    expect(go).not.toHaveBeenCalled();
  });

  it('says how long to wait after too many attempts', async () => {
    mockRoutes(() => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'Retry-After': '30' }), stub);
    const main = open('signin', mountSignin, '/signin.html');
    type(main, 'f-username', 'jamie');
    type(main, 'f-password', 'whatever1');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expect(alertText(main)).toBe('Too many attempts, try again in 30 s.'));
    expect(main.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
  });

  it('reports an unreachable server', async () => {
    mockRoutes(() => Promise.reject(new TypeError('Failed to fetch')), stub);
    const main = open('signin', mountSignin, '/signin.html');
    type(main, 'f-username', 'jamie');
    type(main, 'f-password', 'whatever1');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expect(alertText(main)).toMatch(/could not reach/i));
  });
});

// ---- sign up -------------------------------------------------------------------------------------------------

describe('sign-up page', () => {
  it('checks the rules on the client and focuses the first problem', () => {
    const calls = mockRoutes(() => json({}), stub);
    const main = open('signup', mountSignup, '/signup.html');
    type(main, 'f-username', 'bad name!');
    type(main, 'f-display_name', 'x'.repeat(41));
    type(main, 'f-password', 'short');
    type(main, 'f-confirm_password', 'other');
    submit(main.querySelector('form'));
    expectFieldError(input(main, 'f-username'), /letters, digits/);
    expectFieldError(input(main, 'f-display_name'), /at most 40/);
    expectFieldError(input(main, 'f-password'), /at least 8/);
    expectFieldError(input(main, 'f-confirm_password'), /do not match/);
    expect(document.activeElement).toBe(input(main, 'f-username'));
    expect(calls).toHaveLength(0);

    type(main, 'f-username', 'ab');
    expectFieldError(input(main, 'f-username'), /3 to 32/);
  });

  it('keeps the hint in aria-describedby next to the error', () => {
    mockRoutes(() => json({}), stub);
    const main = open('signup', mountSignup, '/signup.html');
    submit(main.querySelector('form'));
    const described = input(main, 'f-username').getAttribute('aria-describedby')?.split(' ');
    expect(described).toEqual(['f-username-hint', 'f-username-error']);
  });

  it.each([
    ['username', 409, 'conflict', 'f-username', /username is taken/],
    ['username', 400, 'validation_failed', 'f-username', /server says username/],
    ['password', 400, 'validation_failed', 'f-password', /server says password/],
    ['display_name', 400, 'validation_failed', 'f-display_name', /server says display_name/],
  ])('shows a server error for %s (%i) next to the field', async (field, status, code, id, text) => {
    mockRoutes(() => json({ error: { code, message: `server says ${field}`, field } }, status), stub);
    const main = open('signup', mountSignup, '/signup.html');
    type(main, 'f-username', 'jamie');
    type(main, 'f-display_name', 'Jamie');
    type(main, 'f-password', 'correct horse');
    type(main, 'f-confirm_password', 'correct horse');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expectFieldError(input(main, id), text));
    expect(document.activeElement).toBe(input(main, id));
    expect(alertText(main)).toBe('');
  });

  it('creates the account (display name left out when empty) and goes home signed in', async () => {
    const calls = mockRoutes(() => json({ user: USER, token: 't' }, 201), stub);
    const main = open('signup', mountSignup, '/signup.html');
    type(main, 'f-username', 'jamie');
    type(main, 'f-password', 'correct horse');
    type(main, 'f-confirm_password', 'correct horse');
    submit(main.querySelector('form'));
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/'));
    expect(calls).toEqual([
      { method: 'POST', path: '/api/auth/signup', body: { username: 'jamie', password: 'correct horse' }, credentials: 'include' },
    ]);
    expect(document.querySelector('.account-name')?.textContent).toBe('Jamie');
  });
});

// ---- profile -------------------------------------------------------------------------------------------------

/** Opens the profile of `initial`; PATCH answers with `patch(body)` (default: the merged user). */
async function openProfile(options: { initial?: ReturnType<typeof user>; route?: (method: string, path: string, body: unknown) => Response | undefined } = {}) {
  let current = options.initial ?? user();
  const calls = mockRoutes((method, path, body) => {
    const custom = options.route?.(method, path, body);
    if (custom) return custom;
    if (method === 'GET' && path === '/api/users/me') return json(current);
    if (method === 'PATCH' && path === '/api/users/me') {
      const patch = body as { display_name?: string; settings?: object };
      current = { ...current, ...patch, settings: { ...current.settings, ...patch.settings } } as typeof current;
      return json(current);
    }
    return json({ error: { code: 'not_found', message: 'no' } }, 404);
  }, stub);
  const main = open('profile', mountProfile, '/profile.html');
  await vi.waitFor(() => expect(main.querySelector('#settings-title')).not.toBeNull());
  const form = main.querySelector<HTMLFormElement>('form[aria-labelledby="settings-title"]');
  return { main, calls, form };
}

function setSelect(root: ParentNode, id: string, value: string): void {
  const select = document.getElementById(id);
  if (!(select instanceof HTMLSelectElement) || !root.contains(select)) throw new Error(`no select #${id}`);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('profile page', () => {
  it('offers to sign in when signed out', async () => {
    mockRoutes(unauthorized, stub);
    const main = open('profile', mountProfile, '/profile.html');
    await vi.waitFor(() => expect(main.querySelector('h1')?.textContent).toBe('Your profile'));
    const signin = [...main.querySelectorAll('a')].find((a) => a.textContent === 'Sign in');
    expect(signin?.getAttribute('href')).toBe('/signin.html?next=%2Fprofile.html');
    expect(main.querySelector('form')).toBeNull();
  });

  it('fills the form from the user', async () => {
    const { main } = await openProfile({
      initial: user({ display_name: 'Jamie', settings: { ...USER.settings, glucose_unit: 'mmol/L', time_zone: 'Europe/Berlin', cgm_model: 'stelo', age_group: 'teen' } }),
    });
    expect(input(main, 'f-display_name').value).toBe('Jamie');
    expect(main.querySelector<HTMLInputElement>('input[name="settings.glucose_unit"]:checked')?.value).toBe('mmol/L');
    expect(input(main, 'f-settings-target_low_mg_dl').value).toBe('70');
    expect(input(main, 'f-settings-target_high_mg_dl').value).toBe('180');
    expect(main.querySelector<HTMLSelectElement>('#f-settings-time_zone')?.value).toBe('Europe/Berlin');
    expect(main.querySelector<HTMLSelectElement>('#f-settings-cgm_model')?.value).toBe('stelo');
    expect(main.querySelector<HTMLInputElement>('input[name="settings.age_group"]:checked')?.value).toBe('teen');
    const zones = [...main.querySelectorAll<HTMLOptionElement>('#f-settings-time_zone option')].map((o) => o.value);
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('America/Los_Angeles');
  });

  it('saves only what changed and says so in the status region', async () => {
    const { main, calls, form } = await openProfile();
    type(main, 'f-display_name', 'Jamie R');
    main.querySelector<HTMLInputElement>('input[name="settings.glucose_unit"][value="mmol/L"]')?.click();
    setSelect(main, 'f-settings-time_zone', 'America/Los_Angeles');
    submit(form);
    const status = main.querySelector('#settings-status');
    await vi.waitFor(() => expect(status?.textContent).toBe('Changes saved.'));
    expect(status?.getAttribute('role')).toBe('status');
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([
      {
        method: 'PATCH',
        path: '/api/users/me',
        body: { display_name: 'Jamie R', settings: { glucose_unit: 'mmol/L', time_zone: 'America/Los_Angeles' } },
        credentials: 'include',
      },
    ]);
    expect(document.querySelector('.account-name')?.textContent).toBe('Jamie R');
    expect(main.querySelector('h1')?.textContent).toBe('Jamie R');
  });

  it.each([
    ['settings.time_zone', 'f-settings-time_zone'],
    ['time_zone', 'f-settings-time_zone'],
    ['settings.target_low_mg_dl', 'f-settings-target_low_mg_dl'],
    ['settings.target_high_mg_dl', 'f-settings-target_high_mg_dl'],
    ['display_name', 'f-display_name'],
    ['settings.cgm_model', 'f-settings-cgm_model'],
    ['settings.glucose_unit', 'f-settings-glucose_unit-0'],
  ])('maps the server field %s to its input', async (field, id) => {
    const { main, form } = await openProfile({
      route: (method) => (method === 'PATCH' ? validation(field, `bad ${field}`) : undefined),
    });
    type(main, 'f-display_name', 'Changed');
    submit(form);
    const control = document.getElementById(id);
    if (!control) throw new Error(`no #${id}`);
    await vi.waitFor(() => expectFieldError(control, `bad ${field}`));
    expect(document.activeElement).toBe(control);
    expect(alertText(main)).toBe('');
  });

  it('puts an unknown field and server failures in the alert region', async () => {
    const { main, form } = await openProfile({
      route: (method) => (method === 'PATCH' ? json({ error: { code: 'internal', message: 'boom' } }, 500) : undefined),
    });
    type(main, 'f-display_name', 'Changed');
    submit(form);
    await vi.waitFor(() => expect(alertText(main)).toMatch(/server had a problem/));
  });

  it('checks the target range on the client: 50–300, low below high', async () => {
    const { main, calls, form } = await openProfile();
    type(main, 'f-settings-target_low_mg_dl', '200');
    type(main, 'f-settings-target_high_mg_dl', '180');
    submit(form);
    expectFieldError(input(main, 'f-settings-target_high_mg_dl'), /above the low/);
    type(main, 'f-settings-target_low_mg_dl', '40');
    submit(form);
    expectFieldError(input(main, 'f-settings-target_low_mg_dl'), /50 to 300/);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('narrows the time-zone list with the search box', async () => {
    const { main } = await openProfile();
    type(main, 'f-settings-time_zone-search', 'los ang');
    const select = main.querySelector<HTMLSelectElement>('#f-settings-time_zone');
    expect([...(select?.options ?? [])].map((o) => o.value)).toEqual(['America/Los_Angeles']);
    expect(select?.value).toBe('America/Los_Angeles');
    type(main, 'f-settings-time_zone-search', 'zzzz');
    expect(select?.value).toBe('America/Los_Angeles');
    expect(main.querySelector('.tz-count')?.textContent).toMatch(/No time zone matches/);
  });

  it.each([
    ['401', () => json({ error: { code: 'unauthorized', message: 'wrong password' } }, 401)],
    ['400 naming current_password', () => validation('current_password', 'current_password is not your current password')],
  ])('changes the password, and maps a wrong current password (%s) to its field', async (_label, wrongAnswer) => {
    let wrong = true;
    const { main, calls } = await openProfile({
      route: (_method, path) =>
        path === '/api/users/me/password' ? (wrong ? wrongAnswer() : new Response(null, { status: 204 })) : undefined,
    });
    const form = main.querySelector<HTMLFormElement>('form[aria-labelledby="password-title"]');
    type(main, 'f-current_password', 'not it');
    type(main, 'f-new_password', 'a new password');
    type(main, 'f-confirm_new_password', 'a new password');
    submit(form);
    await vi.waitFor(() => expectFieldError(input(main, 'f-current_password'), /not your current password/));
    wrong = false;
    type(main, 'f-current_password', 'the real one');
    submit(form);
    await vi.waitFor(() => expect(main.querySelector('#password-status')?.textContent).toMatch(/Password changed/));
    expect(calls.filter((c) => c.path === '/api/users/me/password').at(-1)?.body).toEqual({
      current_password: 'the real one',
      new_password: 'a new password',
    });
    expect(input(main, 'f-current_password').value).toBe('');
  });

  it('downloads the export as glucoplay-export-<username>.json', async () => {
    const { main } = await openProfile({
      route: (_method, path) => (path === '/api/users/me/export' ? json({ user: USER, scores: [] }) : undefined),
    });
    const created: Blob[] = [];
    // jsdom has no object URLs: lend URL the two static methods for this test.
    const statics = URL as unknown as Record<string, unknown>;
    statics['createObjectURL'] = (blob: Blob) => (created.push(blob), 'blob:export');
    statics['revokeObjectURL'] = () => undefined;
    onTestFinished(() => {
      delete statics['createObjectURL'];
      delete statics['revokeObjectURL'];
    });
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    const button = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Export my data');
    button?.click();
    await vi.waitFor(() => expect(downloads).toEqual(['glucoplay-export-jamie.json']));
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(created[0] as Blob);
    });
    expect(created[0]?.type).toBe('application/json');
    expect(JSON.parse(text)).toEqual({ user: USER, scores: [] });
  });

  it.each([
    ['401', () => json({ error: { code: 'unauthorized', message: 'wrong password' } }, 401)],
    ['400 naming password', () => validation('password', 'password is not your current password')],
  ])('deletes the account only after the password is confirmed (wrong: %s), then goes home signed out', async (_label, wrongAnswer) => {
    const { main, calls } = await openProfile({
      route: (method, path, body) =>
        method === 'DELETE' && path === '/api/users/me'
          ? (body as { password: string }).password === 'right one'
            ? new Response(null, { status: 204 })
            : wrongAnswer()
          : undefined,
    });
    const openButton = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Delete account…');
    const confirm = main.querySelector<HTMLFormElement>('#delete-confirm');
    expect(confirm?.hidden).toBe(true);
    openButton?.click();
    expect(confirm?.hidden).toBe(false);
    expect(openButton?.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(input(main, 'delete-password'));

    submit(confirm);
    expectFieldError(input(main, 'delete-password'), 'Enter your password.');
    type(main, 'delete-password', 'wrong one');
    submit(confirm);
    await vi.waitFor(() => expectFieldError(input(main, 'delete-password'), /not right/));
    expect(go).not.toHaveBeenCalled();

    type(main, 'delete-password', 'right one');
    submit(confirm);
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/'));
    expect(calls.filter((c) => c.method === 'DELETE').at(-1)).toEqual({
      method: 'DELETE',
      path: '/api/users/me',
      body: { password: 'right one' },
      credentials: 'include',
    });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });

  it('cancels the delete step with Escape and returns focus', async () => {
    const { main } = await openProfile();
    const openButton = [...main.querySelectorAll('button')].find((b) => b.textContent === 'Delete account…');
    openButton?.click();
    type(main, 'delete-password', 'typed');
    input(main, 'delete-password').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(main.querySelector<HTMLFormElement>('#delete-confirm')?.hidden).toBe(true);
    expect(input(main, 'delete-password').value).toBe('');
    expect(document.activeElement).toBe(openButton);
  });
});
