/**
 * The page shell shared by every page: skip link, header with the logo and main navigation, the `<main>` that
 * a page mounts into, and a footer that shows whether the API server answers.
 */
import './styles.css';
import { ApiError, getHealth, type Health } from '../api/client';
import { clear, h } from './dom';
import { logoMark, menuIcon } from './icons';

export type PageId = 'home' | 'racing' | 'plate' | 'food-log' | 'pin-dexcom' | 'trends' | 'leaderboards' | 'signin';

export interface NavItem {
  readonly id: PageId;
  readonly href: string;
  readonly label: string;
}

/** The main navigation, in order. One HTML entry per item (see vite.config.ts). */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', href: '/', label: 'Home' },
  { id: 'racing', href: '/racing.html', label: 'Grand Prix' },
  { id: 'plate', href: '/plate.html', label: 'Perfect Plate' },
  { id: 'food-log', href: '/food-log.html', label: 'Food Log' },
  { id: 'pin-dexcom', href: '/pin-dexcom.html', label: 'Pin the Dexcom' },
  { id: 'trends', href: '/trends.html', label: 'Trends' },
  { id: 'leaderboards', href: '/leaderboards.html', label: 'Leaderboards' },
  { id: 'signin', href: '/signin.html', label: 'Sign in' },
];

export const SITE_NAME = 'GlucoPlay';
export const MAIN_ID = 'main';
export const API_STATUS_ID = 'api-status';

export type MountFn = (root: HTMLElement) => void | Promise<void>;
export type HealthFn = () => Promise<Health>;

export interface Shell {
  header: HTMLElement;
  nav: HTMLElement;
  main: HTMLElement;
  footer: HTMLElement;
  status: HTMLElement;
}

/** Builds the shell into `host` (default `document.body`), replacing what was there. */
export function renderShell(current: PageId, host: HTMLElement = document.body): Shell {
  clear(host);

  const skip = h('a', { class: 'skip-link', href: `#${MAIN_ID}` }, 'Skip to main content');

  const brand = h('a', { class: 'brand', href: '/' }, logoMark(), h('span', { class: 'brand-name' }, 'Gluco', h('span', { class: 'brand-accent' }, 'Play')));

  const list = h('ul', { class: 'nav-list', id: 'site-nav-list' });
  for (const item of NAV_ITEMS) {
    const link = h('a', { href: item.href, class: `nav-link nav-${item.id}` }, item.label);
    if (item.id === current) link.setAttribute('aria-current', 'page');
    list.append(h('li', undefined, link));
  }
  const toggle = h(
    'button',
    { type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav-list' },
    menuIcon(),
    h('span', undefined, 'Menu'),
  );
  const nav = h('nav', { class: 'site-nav', 'aria-label': 'Main', 'data-open': 'false' }, toggle, list);
  wireMenu(nav, toggle);

  const header = h('header', { class: 'site-header' }, h('div', { class: 'container header-inner' }, brand, nav));

  const main = h('main', { id: MAIN_ID, class: 'site-main', tabindex: '-1' });

  const status = h('p', { id: API_STATUS_ID, class: 'api-status', 'data-state': 'pending' }, 'Server: checking…');
  const footer = h(
    'footer',
    { class: 'site-footer' },
    h(
      'div',
      { class: 'container footer-inner' },
      h('p', { class: 'footer-note' }, `${SITE_NAME} is for learning. It is not medical advice: follow your diabetes care team.`),
      status,
    ),
  );

  host.append(skip, header, main, footer);
  return { header, nav, main, footer, status };
}

/** Opens and closes the small-screen menu; Escape closes it and returns focus to the button. */
function wireMenu(nav: HTMLElement, toggle: HTMLButtonElement): void {
  const setOpen = (open: boolean): void => {
    nav.dataset['open'] = String(open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(nav.dataset['open'] !== 'true'));
  nav.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && nav.dataset['open'] === 'true') {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (nav.dataset['open'] === 'true' && event.target instanceof Node && !nav.contains(event.target)) setOpen(false);
  });
}

/** "0.1.0" → "v0.1.0"; leaves "v0.1.0" alone. */
export function formatVersion(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version;
}

/** Asks the API for its health and shows the answer in `el` (`data-state` becomes `ok` or `error`). */
export async function updateApiStatus(el: HTMLElement, health: HealthFn = getHealth): Promise<void> {
  el.dataset['state'] = 'pending';
  el.textContent = 'Server: checking…';
  try {
    const result = await health();
    if (result.status === 'ok') {
      el.dataset['state'] = 'ok';
      el.textContent = `Server: ok (${result.database}, ${formatVersion(result.version)})`;
    } else {
      el.dataset['state'] = 'error';
      el.textContent = `Server: ${result.status}`;
    }
  } catch (err) {
    el.dataset['state'] = 'error';
    el.textContent =
      err instanceof ApiError && err.status > 0 ? `Server unavailable (HTTP ${err.status})` : 'Server unreachable';
  }
}

/**
 * Entry point of every page: builds the shell, mounts the page into `<main>`, and checks the server.
 * A page that fails to mount shows a plain error message instead of a blank page.
 */
export function startPage(current: PageId, mount: MountFn, health: HealthFn = getHealth): Shell {
  const shell = renderShell(current);
  const showFailure = (err: unknown): void => {
    console.error(err);
    clear(shell.main);
    shell.main.append(
      h('div', { class: 'container page-error', role: 'alert' }, h('h1', undefined, 'Something went wrong'), h('p', undefined, 'This page could not load. Please reload it and try again.')),
    );
  };
  try {
    const pending = mount(shell.main);
    if (pending) pending.catch(showFailure);
  } catch (err) {
    showFailure(err);
  }
  void updateApiStatus(shell.status, health);
  return shell;
}
