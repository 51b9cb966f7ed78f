import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { NAV_ITEMS, renderShell, startPage, updateApiStatus, type PageId } from '../src/ui/shell';
import { mount as mountHome } from '../src/views/home';
import { renderComingSoon } from '../src/ui/coming-soon';
import { mount as mountSignin } from '../src/views/signin';

const PAGES: PageId[] = ['home', 'racing', 'plate', 'food-log', 'pin-dexcom', 'trends', 'leaderboards', 'signin'];
const LABELS = ['Home', 'Grand Prix', 'Perfect Plate', 'Food Log', 'Pin the Dexcom', 'Trends', 'Leaderboards', 'Sign in'];

const healthy = async () => ({ status: 'ok', database: 'sqlite', version: '0.1.0' });

beforeEach(() => {
  document.body.replaceChildren();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('navigation', () => {
  it('renders all 8 links in order', () => {
    const shell = renderShell('home');
    const links = [...shell.nav.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(LABELS);
    expect(links.map((a) => a.getAttribute('href'))).toEqual(NAV_ITEMS.map((item) => item.href));
    expect(NAV_ITEMS.map((item) => item.id)).toEqual(PAGES);
  });

  it.each(PAGES.map((page, i) => [page, LABELS[i]] as const))(
    'marks %s as the current page and nothing else',
    (page, label) => {
      const shell = renderShell(page);
      const current = shell.nav.querySelectorAll('[aria-current]');
      expect(current).toHaveLength(1);
      expect(current[0]?.getAttribute('aria-current')).toBe('page');
      expect(current[0]?.textContent).toBe(label);
    },
  );

  it('has a labelled nav landmark and a menu button that toggles aria-expanded', () => {
    const shell = renderShell('trends');
    expect(shell.nav.tagName).toBe('NAV');
    expect(shell.nav.getAttribute('aria-label')).toBe('Main');
    const toggle = shell.nav.querySelector('button');
    expect(toggle?.getAttribute('aria-controls')).toBe('site-nav-list');
    expect(document.getElementById('site-nav-list')).not.toBeNull();
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    toggle?.click();
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(shell.nav.dataset['open']).toBe('true');
    shell.nav.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
  });
});

describe('landmarks', () => {
  it('has a skip link to main, then header, main and footer', () => {
    renderShell('home');
    const children = [...document.body.children];
    expect(children.map((el) => el.tagName)).toEqual(['A', 'HEADER', 'MAIN', 'FOOTER']);
    const skip = children[0] as HTMLAnchorElement;
    expect(skip.getAttribute('href')).toBe('#main');
    const main = document.getElementById('main');
    expect(main?.tagName).toBe('MAIN');
    expect(main?.getAttribute('tabindex')).toBe('-1');
    expect(document.querySelectorAll('header, nav, main, footer')).toHaveLength(4);
    expect(document.querySelector('header svg')?.getAttribute('aria-hidden')).toBe('true');
  });
});

describe('API status', () => {
  it('shows the server health when it answers ok', async () => {
    const shell = renderShell('home');
    await updateApiStatus(shell.status, healthy);
    const el = document.getElementById('api-status');
    expect(el?.dataset['state']).toBe('ok');
    expect(el?.textContent).toBe('Server: ok (sqlite, v0.1.0)');
  });

  it('shows "Server unreachable" when the request fails', async () => {
    const shell = renderShell('home');
    await updateApiStatus(shell.status, () => Promise.reject(new ApiError(0, 'network_error', 'no answer')));
    expect(shell.status.dataset['state']).toBe('error');
    expect(shell.status.textContent).toBe('Server unreachable');
  });

  it('shows an error state for an error answer', async () => {
    const shell = renderShell('home');
    await updateApiStatus(shell.status, () => Promise.reject(new ApiError(503, 'internal', 'database down')));
    expect(shell.status.dataset['state']).toBe('error');
    expect(shell.status.textContent).toBe('Server unavailable (HTTP 503)');
  });

  it('shows an error state when the status is not ok', async () => {
    const shell = renderShell('home');
    await updateApiStatus(shell.status, async () => ({ status: 'degraded', database: 'postgres', version: '0.1.0' }));
    expect(shell.status.dataset['state']).toBe('error');
    expect(shell.status.textContent).toBe('Server: degraded');
  });

  it('starts in a pending state', () => {
    const shell = renderShell('home');
    expect(shell.status.dataset['state']).toBe('pending');
  });
});

describe('pages', () => {
  it('mounts the home page with a card for each of the four features', async () => {
    const shell = startPage('home', mountHome, healthy);
    const cards = shell.main.querySelectorAll('.feature-card');
    expect(cards).toHaveLength(4);
    const links = [...shell.main.querySelectorAll<HTMLAnchorElement>('.feature-card a')].map((a) => [
      a.textContent,
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Glucose Grand Prix', '/racing.html'],
      ['Perfect Plate', '/plate.html'],
      ['Food Log', '/food-log.html'],
      ['Pin the Dexcom', '/pin-dexcom.html'],
    ]);
    expect(shell.main.querySelectorAll('h1')).toHaveLength(1);
    await vi.waitFor(() => expect(shell.status.dataset['state']).toBe('ok'));
  });

  it('says "Coming soon" on a feature page that is not built yet', () => {
    // Every page in the navigation is being built; a placeholder mount stands in for one that is not yet.
    const mountPlaceholder = (root: HTMLElement): void =>
      renderComingSoon(root, { icon: 'racing', title: 'Glucose Grand Prix', summary: 'a racing game.' });
    const shell = startPage('racing', mountPlaceholder, healthy);
    expect(shell.main.querySelector('h1')?.textContent).toBe('Glucose Grand Prix');
    expect(shell.main.textContent).toMatch(/Coming soon: /);
  });

  it('shows the sign-in form on the sign-in page', () => {
    const shell = startPage('signin', mountSignin, healthy);
    expect(shell.main.querySelector('h1')?.textContent).toBe('Sign in');
    expect(shell.main.querySelector('form input[name="username"]')).not.toBeNull();
    expect(shell.main.querySelector('form input[type="password"]')).not.toBeNull();
    expect(shell.main.querySelectorAll('h1')).toHaveLength(1);
  });

  it('shows an error message instead of a blank page when mounting fails', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const shell = startPage('trends', () => {
      throw new Error('boom');
    }, healthy);
    expect(shell.main.querySelector('[role="alert"]')?.textContent).toContain('Something went wrong');
  });
});
