/**
 * Trends: the signed-in user's CGM readings as an AGP report (last 14/30/90 days) and day by day, with imports of
 * Dexcom Clarity / Nightscout files and synthetic demo data. Glucose shows in the profile's unit, times in its
 * time zone. Signed out, the page explains itself and offers the way to sign in (and back here).
 */
import '../trends/trends.css';
import type { User } from '../api/accounts';
import { clear, h } from '../ui/dom';
import { describeError } from '../ui/forms';
import { featureIcon } from '../ui/icons';
import { PROFILE_PATH, SIGNIN_PATH, SIGNUP_PATH, withNext } from '../ui/navigation';
import { loadSession } from '../ui/session';
import { contextFor } from '../trends/context';
import { createDay } from '../trends/day';
import { createImportPanel } from '../trends/import-panel';
import { PERIODS, createReport, type Period } from '../trends/report';
import { createTabs } from '../trends/tabs';
import { dayInZone, isDay } from '../trends/time';
import { formatGlucoseRange } from '../trends/units';

export const TRENDS_PATH = '/trends.html';

type TabId = 'report' | 'day';

/** What the URL's fragment says: `#view=day&date=2026-11-26`, `#view=report&days=30`. */
export interface TrendsLocation {
  view: TabId;
  days: Period;
  date: string | null;
}

export function parseLocation(hash: string): TrendsLocation {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const days = Number(params.get('days'));
  const date = params.get('date');
  return {
    view: params.get('view') === 'day' ? 'day' : 'report',
    days: (PERIODS as readonly number[]).includes(days) ? (days as Period) : 14,
    date: date && isDay(date) ? date : null,
  };
}

export function formatLocation(loc: TrendsLocation): string {
  const params = new URLSearchParams({ view: loc.view });
  if (loc.view === 'report' && loc.days !== 14) params.set('days', String(loc.days));
  if (loc.view === 'day' && loc.date) params.set('date', loc.date);
  return `#${params.toString()}`;
}

export async function mount(root: HTMLElement): Promise<void> {
  const container = h('div', { class: 'container trends' });
  root.append(container);
  await load(container);
}

async function load(container: HTMLElement): Promise<void> {
  clear(container);
  container.append(h('p', { class: 'loading', role: 'status' }, 'Loading your trends…'));
  let user: User | null;
  try {
    user = await loadSession();
  } catch (err) {
    clear(container);
    const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
    retry.addEventListener('click', () => void load(container));
    container.append(
      h(
        'section',
        { class: 'placeholder', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'Trends'),
        h('p', { class: 'lead', role: 'alert' }, `Your trends could not be loaded. ${describeError(err)}`),
        h('p', { class: 'placeholder-actions' }, retry),
      ),
    );
    return;
  }
  clear(container);
  if (!user) {
    container.append(signedOut());
    return;
  }
  container.append(...page(user));
}

function signedOut(): HTMLElement {
  return h(
    'section',
    { class: 'placeholder placeholder--trends trends-signed-out', 'aria-labelledby': 'page-title' },
    h('div', { class: 'placeholder-icon' }, featureIcon('trends')),
    h('h1', { id: 'page-title' }, 'Trends'),
    h(
      'p',
      { class: 'lead' },
      'See your time in range, average glucose, GMI and daily glucose pattern (the AGP report) from the CGM readings you import from Dexcom Clarity or Nightscout — or from synthetic demo data.',
    ),
    h('p', { class: 'lead' }, 'Your readings belong to your account: sign in to see them.'),
    h(
      'p',
      { class: 'placeholder-actions button-row' },
      h('a', { class: 'button button--primary', href: withNext(SIGNIN_PATH, TRENDS_PATH) }, 'Sign in'),
      h('a', { class: 'button button--secondary', href: withNext(SIGNUP_PATH, TRENDS_PATH) }, 'Create an account'),
    ),
  );
}

function page(user: User): HTMLElement[] {
  const ctx = contextFor(user);
  const loc = parseLocation(window.location.hash);
  const remember = (): void => {
    const next = formatLocation(state);
    if (window.location.hash !== next) window.history.replaceState(window.history.state, '', next);
  };
  const state: TrendsLocation = { ...loc };

  const report = createReport(ctx, {
    period: loc.days,
    onPeriod: (p) => {
      state.days = p;
      remember();
    },
  });
  const day = createDay(ctx, {
    ...(loc.date ? { day: loc.date } : {}),
    // Open on the day of the newest reading, so that an older import shows at once.
    defaultDay: () => {
      const latest = report.current()?.latest;
      return latest ? dayInZone(Date.parse(latest.at), ctx.zone) : null;
    },
    onDay: (d) => {
      state.date = d;
      remember();
    },
  });
  let dayLoaded = false;

  const reportPanel = h('section', { class: 'trends-panel' }, h('h2', { class: 'visually-hidden' }, 'Report'), report.element);
  const dayPanel = h('section', { class: 'trends-panel' }, h('h2', { class: 'visually-hidden' }, 'Day'), day.element);
  const tabs = createTabs<TabId>(
    'Trends views',
    [
      { id: 'report', label: 'Report', panel: reportPanel },
      { id: 'day', label: 'Day', panel: dayPanel },
    ],
    (id) => {
      state.view = id;
      remember();
      if (id === 'day' && !dayLoaded) {
        dayLoaded = true;
        void day.load();
      }
    },
  );

  const importPanel = createImportPanel(ctx, {
    onChanged: () => {
      void report.load();
      if (dayLoaded) void day.load();
    },
    readingsShown: () => report.current()?.readings ?? 0,
  });

  const head = h(
    'header',
    { class: 'trends-head' },
    h('p', { class: 'kicker-muted' }, 'Pin the Dexcom'),
    h('h1', { id: 'page-title' }, 'Trends'),
    h(
      'p',
      { class: 'trends-meta' },
      `Glucose in ${ctx.unit} · times in ${ctx.zone} · your target ${formatGlucoseRange(ctx.targetLow, ctx.targetHigh, ctx.unit)}. `,
      h('a', { href: PROFILE_PATH }, 'Change them in your profile'),
      '.',
    ),
  );

  tabs.select(loc.view);
  void report.load();
  return [head, importPanel, tabs.list, reportPanel, dayPanel];
}
