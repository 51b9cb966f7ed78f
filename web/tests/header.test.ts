import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { renderShell, startPage } from '../src/ui/shell';
import { pageNav } from '../src/ui/navigation';
import { SESSION_HINT_KEY, currentUser, loadSession, resetSessionForTests, setCurrentUser } from '../src/ui/session';
import { healthy, json, mockRoutes, unauthorized, user } from './fixtures';

const XSS_NAME = '<img src=x onerror=alert(1)>';

const stub = (name: string, value: unknown): unknown => vi.stubGlobal(name, value);
const navLabels = (nav: HTMLElement): string[] => [...nav.querySelectorAll('a')].map((a) => a.textContent ?? '');

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('header, signed out', () => {
  it('shows the "Sign in" link as the last of the 8 navigation links and no account bar', () => {
    const shell = renderShell('home', document.body, null);
    expect(navLabels(shell.nav)).toHaveLength(8);
    expect(navLabels(shell.nav).at(-1)).toBe('Sign in');
    expect(shell.account.bar.hidden).toBe(true);
    expect(shell.header.querySelector('.account-signout')).toBeNull();
  });

  it('keeps the slot but shows nothing while the session is pending', () => {
    const shell = renderShell('home', document.body, 'pending');
    expect(shell.account.item.dataset['state']).toBe('pending');
    expect(shell.account.bar.dataset['state']).toBe('pending');
    expect(shell.header.querySelector('.account-name')).toBeNull();
  });
});

describe('header, signed in', () => {
  it('shows the display name linking to the profile, and a Sign out button', () => {
    const shell = renderShell('home', document.body, user({ display_name: 'Jamie Rivera' }));
    const link = shell.header.querySelector<HTMLAnchorElement>('.account-link');
    expect(link?.getAttribute('href')).toBe('/profile.html');
    expect(link?.querySelector('.account-name')?.textContent).toBe('Jamie Rivera');
    expect(link?.querySelector('.avatar')?.textContent).toBe('J');
    expect(shell.header.querySelector('button.account-signout')?.textContent).toBe('Sign out');
    expect(shell.account.bar.hidden).toBe(false);
    // The "Sign in" item goes; the other seven links stay.
    expect(shell.account.item.hidden).toBe(true);
    expect(navLabels(shell.nav)).toEqual(['Home', 'Grand Prix', 'Perfect Plate', 'Food Log', 'Pin the Dexcom', 'Trends', 'Leaderboards']);
  });

  it('renders a display name as text, never as markup', () => {
    const shell = renderShell('home', document.body, user({ display_name: XSS_NAME }));
    const name = shell.header.querySelector('.account-name');
    expect(name?.textContent).toBe(XSS_NAME);
    expect(name?.innerHTML).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(document.querySelector('img')).toBeNull();
    expect(shell.header.querySelector('.avatar')?.textContent).toBe('<');
  });

  it('marks the name as the current page on the profile', () => {
    const shell = renderShell('profile', document.body, user());
    expect(shell.header.querySelector('.account-link')?.getAttribute('aria-current')).toBe('page');
    expect(shell.nav.querySelectorAll('[aria-current]')).toHaveLength(0);
  });
});

describe('startPage and the session', () => {
  it('does not ask the server who is signed in when this browser never signed in', async () => {
    const calls = mockRoutes(() => json(user()), stub);
    const shell = startPage('home', () => undefined, healthy);
    await vi.waitFor(() => expect(shell.account.item.dataset['state']).toBe('signed-out'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.filter((c) => c.path === '/api/users/me')).toHaveLength(0);
    expect(navLabels(shell.nav).at(-1)).toBe('Sign in');
  });

  it('asks GET /api/users/me once and shows the user when this browser signed in before', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    const calls = mockRoutes(() => json(user({ display_name: 'Jamie Rivera' })), stub);
    const shell = startPage('home', () => void loadSession(), healthy);
    expect(shell.account.bar.dataset['state']).toBe('pending');
    await vi.waitFor(() => expect(shell.header.querySelector('.account-name')?.textContent).toBe('Jamie Rivera'));
    expect(calls.filter((c) => c.path === '/api/users/me')).toEqual([
      { method: 'GET', path: '/api/users/me', body: undefined, credentials: 'include' },
    ]);
  });

  it('treats a 401 as signed out and forgets the hint', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    mockRoutes(unauthorized, stub);
    const shell = startPage('home', () => undefined, healthy);
    await vi.waitFor(() => expect(shell.account.item.dataset['state']).toBe('signed-out'));
    expect(navLabels(shell.nav).at(-1)).toBe('Sign in');
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    expect(currentUser()).toBeNull();
  });

  it('always asks when a page needs the user (verify), even without the hint', async () => {
    mockRoutes(() => json(user({ display_name: 'Verified' })), stub);
    const shell = startPage('profile', () => void loadSession({ verify: true }), healthy);
    await vi.waitFor(() => expect(shell.header.querySelector('.account-name')?.textContent).toBe('Verified'));
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
  });

  it('follows later changes of the user (a renamed profile)', async () => {
    const shell = startPage('home', () => undefined, healthy);
    setCurrentUser(user({ display_name: 'Before' }));
    expect(shell.header.querySelector('.account-name')?.textContent).toBe('Before');
    setCurrentUser(user({ display_name: 'After' }));
    expect(shell.header.querySelector('.account-name')?.textContent).toBe('After');
  });

  it('signs out: POST /api/auth/logout with {}, forgets the user, goes home', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    const calls = mockRoutes((_method, path) => (path === '/api/auth/logout' ? new Response(null, { status: 204 }) : json(user())), stub);
    const go = vi.spyOn(pageNav, 'go').mockImplementation(() => undefined);
    const shell = startPage('home', () => undefined, healthy);
    const button = await vi.waitFor(() => {
      const found = shell.header.querySelector<HTMLButtonElement>('.account-signout');
      if (!found) throw new Error('no Sign out button yet');
      return found;
    });
    button.click();
    expect(button.disabled).toBe(true);
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/'));
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/auth/logout', body: {}, credentials: 'include' });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    expect(navLabels(shell.nav).at(-1)).toBe('Sign in');
  });

  it('stays signed in and says so when sign-out fails', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    mockRoutes((_method, path) => (path === '/api/auth/logout' ? json({ error: { code: 'internal', message: 'x' } }, 500) : json(user())), stub);
    const go = vi.spyOn(pageNav, 'go').mockImplementation(() => undefined);
    const shell = startPage('home', () => undefined, healthy);
    await vi.waitFor(() => expect(shell.header.querySelector('.account-signout')).not.toBeNull());
    shell.header.querySelector<HTMLButtonElement>('.account-signout')?.click();
    await vi.waitFor(() => expect(shell.header.querySelector('.account-problem')?.textContent).toContain('Could not sign out'));
    expect(go).not.toHaveBeenCalled();
    expect(shell.header.querySelector<HTMLButtonElement>('.account-signout')?.disabled).toBe(false);
  });
});
