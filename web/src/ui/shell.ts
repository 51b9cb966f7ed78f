/**
 * The page shell shared by every page: skip link, header with the logo and main navigation, the `<main>` that
 * a page mounts into, and a footer that shows whether the API server answers.
 */
import './styles.css';
import type { User } from '../api/accounts';
import { ApiError, getHealth, type Health } from '../api/client';
import { clear, h } from './dom';
import { setBusy } from './forms';
import { logoMark, menuIcon } from './icons';
import { HOME_PATH, PROFILE_PATH, pageNav } from './navigation';
import { NotificationBell } from '../notifications/bell';
import { hasSessionHint, loadSession, onSessionChange, signOut } from './session';

export type PageId =
  | 'home'
  | 'racing'
  | 'plate'
  | 'food-log'
  | 'pin-dexcom'
  | 'trends'
  | 'leaderboards'
  | 'signin'
  | 'signup'
  | 'profile';

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

/** Pages outside the main navigation, reached from the header's account area and the sign-in page. */
export const ACCOUNT_PAGES: readonly NavItem[] = [
  { id: 'signup', href: '/signup.html', label: 'Create account' },
  { id: 'profile', href: PROFILE_PATH, label: 'Profile' },
];

/** What the header's account area shows: the user, signed out (the "Sign in" link), or not known yet. */
export type AccountState = User | null | 'pending';

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
  /** The header's account parts: the "Sign in" item of the navigation, and the bar over the header row. */
  account: AccountSlots;
}

/**
 * Signed out, the last navigation item is the "Sign in" link. Signed in, that item goes and a slim bar at the top
 * of the header shows the display name (linking to the profile) and a "Sign out" button: the navigation row has
 * no room left for them at any width.
 */
export interface AccountSlots {
  /** The navigation's last `<li>` (hidden while signed in). */
  item: HTMLLIElement;
  /** The bar above the header row (hidden while signed out). */
  bar: HTMLElement;
}

/**
 * Builds the shell into `host` (default `document.body`), replacing what was there. The account area starts as
 * `account` (default: signed out); {@link renderAccount} changes it later.
 */
export function renderShell(current: PageId, host: HTMLElement = document.body, account: AccountState = null): Shell {
  clear(host);

  const skip = h('a', { class: 'skip-link', href: `#${MAIN_ID}` }, 'Skip to main content');

  const brand = h('a', { class: 'brand', href: '/' }, logoMark(), h('span', { class: 'brand-name' }, 'Gluco', h('span', { class: 'brand-accent' }, 'Play')));

  const list = h('ul', { class: 'nav-list', id: 'site-nav-list' });
  let accountItem: HTMLLIElement | undefined;
  for (const item of NAV_ITEMS) {
    if (item.id === 'signin') {
      accountItem = h('li', { class: 'nav-account-item' });
      list.append(accountItem);
      continue;
    }
    const link = h('a', { href: item.href, class: `nav-link nav-${item.id}` }, item.label);
    if (item.id === current) link.setAttribute('aria-current', 'page');
    list.append(h('li', undefined, link));
  }
  if (!accountItem) throw new Error('NAV_ITEMS has no sign-in entry');
  const slots: AccountSlots = { item: accountItem, bar: h('div', { class: 'account-bar' }) };
  renderAccount(slots, account, current);
  const toggle = h(
    'button',
    { type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav-list' },
    menuIcon(),
    h('span', undefined, 'Menu'),
  );
  const nav = h('nav', { class: 'site-nav', 'aria-label': 'Main', 'data-open': 'false' }, toggle, list);
  wireMenu(nav, toggle);

  const header = h('header', { class: 'site-header' }, slots.bar, h('div', { class: 'container header-inner' }, brand, nav));

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
  return { header, nav, main, footer, status, account: slots };
}

/**
 * Fills the header's account parts. Signed out: the "Sign in" link in the navigation. Signed in: the bar with the
 * notification bell (when given), the display name (as text) linking to the profile, and a "Sign out" button that
 * ends the session and goes to the home page. Pending (this browser signed in before; the answer is on its way):
 * both keep their place but show nothing, so neither a "Sign in" nor a name flashes up wrongly.
 */
export function renderAccount(slots: AccountSlots, state: AccountState, current: PageId, bell?: HTMLElement | null): void {
  const { item, bar } = slots;
  clear(item);
  clear(bar);
  const mode = state === 'pending' ? 'pending' : state ? 'signed-in' : 'signed-out';
  item.dataset['state'] = mode;
  bar.dataset['state'] = mode;
  item.hidden = mode === 'signed-in';
  bar.hidden = mode === 'signed-out';

  if (state === null || state === 'pending') {
    const signin = NAV_ITEMS.find((entry) => entry.id === 'signin');
    const link = h('a', { href: signin?.href ?? '/signin.html', class: 'nav-link nav-signin' }, signin?.label ?? 'Sign in');
    if (current === 'signin') link.setAttribute('aria-current', 'page');
    item.append(link);
    if (state === 'pending') bar.append(h('div', { class: 'container account-bar-inner' }, h('span', { class: 'avatar' })));
    return;
  }

  const name = state.display_name;
  const link = h(
    'a',
    { href: PROFILE_PATH, class: 'account-link', title: `${name}: your profile` },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(name)),
    h('span', { class: 'account-name' }, name),
    h('span', { class: 'visually-hidden' }, ' (your profile)'),
  );
  if (current === 'profile') link.setAttribute('aria-current', 'page');

  const problem = h('span', { class: 'account-problem', role: 'status' });
  const button = h('button', { type: 'button', class: 'account-signout' }, 'Sign out');
  button.addEventListener('click', () => {
    if (button.disabled) return;
    setBusy(button, true, 'Signing out…');
    problem.textContent = '';
    signOut().then(
      () => pageNav.go(HOME_PATH),
      () => {
        setBusy(button, false);
        problem.textContent = 'Could not sign out. Try again.';
      },
    );
  });
  bar.append(
    h(
      'div',
      { class: 'container account-bar-inner' },
      bell ?? null,
      h('span', { class: 'account-label' }, 'Signed in as'),
      link,
      button,
      problem,
    ),
  );
}

/** The first character of a name, upper-cased, for the avatar ("élodie" → "É"; "😀x" → "😀"). */
export function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toUpperCase() : '?';
}

/** Pages whose forms sign in and then leave at once: a sign-in made there gets no bell (it would only be torn down). */
const LEAVES_AFTER_SIGNIN: ReadonlySet<PageId> = new Set(['signin', 'signup']);

/**
 * Keeps the header's account area in step with the session for the rest of the page's life. A signed-in user gets
 * the notification bell (one per page, with its live stream); signing out closes the stream and removes it.
 */
function wireAccount(shell: Shell, current: PageId): void {
  let bell: NotificationBell | null = null;
  const show = (user: User | null, onLoad: boolean): void => {
    if (bell && bell.userId !== user?.id) {
      bell.destroy();
      bell = null;
    }
    if (user && !bell && (onLoad || !LEAVES_AFTER_SIGNIN.has(current))) {
      bell = new NotificationBell(user.id);
      bell.start();
    }
    renderAccount(shell.account, user, current, bell?.el);
  };
  onSessionChange((user) => show(user, false));
  loadSession().then(
    (user) => show(user, true),
    () => show(null, true),
  );
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
  const shell = renderShell(current, document.body, hasSessionHint() ? 'pending' : null);
  wireAccount(shell, current);
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
