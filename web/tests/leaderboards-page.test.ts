import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { eventSourceFactory, type LeaderboardEntry } from '../src/api/games';
import { SESSION_HINT_KEY, resetSessionForTests } from '../src/ui/session';
import { mount } from '../src/views/leaderboards';
import { USER, json } from './fixtures';

const XSS = '<img src=x onerror=alert(1)>';

function entry(rank: number, user_id: number, display_name: string, score: number): LeaderboardEntry {
  return { rank, user_id, display_name, score, achieved_at: '2026-11-27T11:55:00Z' };
}

/** A stand-in EventSource the test drives by hand. */
class FakeSource {
  static all: FakeSource[] = [];
  readyState = 0;
  closed = false;
  private listeners = new Map<string, Array<(event: Event) => void>>();
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  addEventListener(type: string, fn: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    const event = data === undefined ? new Event(type) : new MessageEvent(type, { data: JSON.stringify(data) });
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
}

interface Routes {
  boards: Record<string, LeaderboardEntry[]>;
  me?: unknown;
}

function stubFetch(routes: Routes): string[] {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    urls.push(url.pathname + url.search);
    if (url.pathname === '/api/users/me') return routes.me ? json(routes.me) : json({ error: { code: 'unauthorized', message: 'no' } }, 401);
    if (url.pathname === '/api/scores') {
      const key = `${url.searchParams.get('game')}:${url.searchParams.get('period')}`;
      return json({ game: url.searchParams.get('game'), period: url.searchParams.get('period'), entries: routes.boards[key] ?? [] });
    }
    if (url.pathname === '/api/scores/me') {
      return json({ game: 'racing', period: url.searchParams.get('period'), players: 14, best: 50, rank: 14, around: [entry(13, 8, 'Neighbour', 60), entry(14, USER.id, USER.display_name, 50)] });
    }
    return json({ error: { code: 'not_found', message: 'no' } }, 404);
  });
  return urls;
}

async function open(path = '/leaderboards.html'): Promise<HTMLElement> {
  window.history.replaceState({}, '', path);
  const root = document.createElement('main');
  document.body.append(root);
  await mount(root);
  return root;
}

const names = (root: ParentNode, selector = '#lb-panel .lb-table .lb-name'): Array<string | null> =>
  [...root.querySelectorAll(selector)].map((n) => n.textContent);

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
  FakeSource.all = [];
  vi.spyOn(eventSourceFactory, 'create').mockImplementation((url: string) => new FakeSource(url) as unknown as EventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('leaderboards page', () => {
  it('shows the all-time racing board with names as text, and opens the live stream', async () => {
    stubFetch({ boards: { 'racing:all': [entry(1, 1, XSS, 900), entry(2, 2, 'Ben', 800)] } });
    const root = await open();
    expect(root.querySelector('h1')?.textContent).toBe('Leaderboards');
    expect(root.querySelector('#lb-heading')?.textContent).toBe('Glucose Grand Prix · All time');
    expect(names(root)).toEqual([XSS, 'Ben']);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toBe('Glucose Grand Prix');
    expect(FakeSource.all.map((s) => s.url)).toEqual(['/api/scores/stream?game=racing']);
    expect(root.querySelector('.lb-standing')?.textContent).toContain('Sign in');
  });

  it('switches period and game through the tabs (and the keyboard)', async () => {
    const urls = stubFetch({
      boards: { 'racing:all': [entry(1, 1, 'Ana', 900)], 'racing:week': [entry(1, 2, 'Weekly', 300)], 'plate:week': [entry(1, 3, 'Plater', 2500)] },
    });
    const root = await open();
    const week = root.querySelector<HTMLButtonElement>('#lb-period-week');
    week?.click();
    await vi.waitFor(() => expect(names(root)).toEqual(['Weekly']));
    expect(urls).toContain('/api/scores?game=racing&period=week&limit=10');
    expect(window.location.search).toBe('?period=week');

    const racingTab = root.querySelector<HTMLButtonElement>('#lb-game-racing');
    racingTab?.focus();
    racingTab?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await vi.waitFor(() => expect(names(root)).toEqual(['Plater']));
    expect(document.activeElement?.id).toBe('lb-game-plate');
    expect(root.querySelector('#lb-heading')?.textContent).toBe('Perfect Plate · This week');
    expect(FakeSource.all[0]?.closed).toBe(true);
    expect(FakeSource.all[1]?.url).toBe('/api/scores/stream?game=plate');
    expect(window.location.search).toBe('?game=plate&period=week');
  });

  it('reads the game and period from the URL', async () => {
    const urls = stubFetch({ boards: { 'plate:day': [entry(1, 3, 'Early bird', 1200)] } });
    const root = await open('/leaderboards.html?game=plate&period=day');
    expect(names(root)).toEqual(['Early bird']);
    expect(urls).toContain('/api/scores?game=plate&period=day&limit=10');
    expect(root.querySelector('#lb-period-day')?.getAttribute('aria-selected')).toBe('true');
  });

  it('updates live and announces the change politely', async () => {
    stubFetch({ boards: { 'racing:all': [entry(1, 1, 'Ana', 900)] } });
    const root = await open();
    const source = FakeSource.all[0]!;
    source.emit('open');
    expect(root.querySelector('.lb-live')?.getAttribute('data-state')).toBe('live');
    expect(root.querySelector('.lb-live')?.textContent).toBe('Live');
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [entry(1, 1, 'Ana', 900)] });
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [entry(1, 5, XSS, 1200), entry(2, 1, 'Ana', 900)] });
    expect(names(root)).toEqual([XSS, 'Ana']);
    expect(root.querySelector('tr.is-new .lb-name')?.textContent).toBe(XSS);
    const announcer = root.querySelector('#lb-announcer');
    expect(announcer?.getAttribute('aria-live')).toBe('polite');
    expect(announcer?.textContent).toBe(`Leaderboard update: ${XSS} is now 1st with 1,200 points.`);
    expect(root.querySelector('img')).toBeNull();
  });

  it('keeps focus where it is when the board updates live', async () => {
    stubFetch({ boards: { 'racing:all': [entry(1, 1, 'Ana', 900)] } });
    const root = await open();
    const play = root.querySelector<HTMLAnchorElement>('.lb-how a');
    play?.focus();
    const source = FakeSource.all[0]!;
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [entry(1, 1, 'Ana', 900)] });
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [entry(1, 2, 'Ben', 1000), entry(2, 1, 'Ana', 900)] });
    expect(names(root)).toEqual(['Ben', 'Ana']);
    expect(document.activeElement).toBe(play);
    expect(play?.isConnected).toBe(true);
  });

  it('re-fetches a weekly board when the all-time board changes', async () => {
    const urls = stubFetch({ boards: { 'racing:week': [entry(1, 2, 'Weekly', 300)] } });
    await open('/leaderboards.html?period=week');
    const source = FakeSource.all[0]!;
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [] });
    const before = urls.filter((u) => u.includes('period=week')).length;
    source.emit('leaderboard', { game: 'racing', period: 'all', entries: [entry(1, 9, 'New', 5000)] });
    await vi.waitFor(() => expect(urls.filter((u) => u.includes('period=week')).length).toBe(before + 1));
  });

  it('shows reconnecting, and opens a new stream when the browser gives up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      stubFetch({ boards: {} });
      const root = await open();
      const first = FakeSource.all[0]!;
      first.readyState = 0;
      first.emit('error');
      expect(root.querySelector('.lb-live')?.getAttribute('data-state')).toBe('reconnecting');
      first.readyState = 2;
      first.emit('error');
      expect(FakeSource.all).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(3100);
      expect(FakeSource.all).toHaveLength(2);
      FakeSource.all[1]!.emit('open');
      expect(root.querySelector('.lb-live')?.textContent).toBe('Live');
    } finally {
      vi.useRealTimers();
    }
  });

  it('highlights the signed-in player, and shows their row with neighbours when outside the top 10', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    const top = Array.from({ length: 10 }, (_, i) => entry(i + 1, 100 + i, `P${i + 1}`, 1000 - i * 10));
    stubFetch({ boards: { 'racing:all': top }, me: USER });
    const root = await open();
    expect(root.querySelector('#lb-panel tr.is-me')).toBeNull();
    const standing = root.querySelector('.lb-standing');
    expect(standing?.textContent).toContain('You are 14th of 14 players of all time, with a best of 50.');
    expect(names(standing!, '.lb-name')).toEqual(['Neighbour', USER.display_name]);
    expect(standing?.querySelector('tr.is-me .lb-you')?.textContent).toBe('You');
  });

  it('highlights the signed-in player inside the top 10', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    stubFetch({ boards: { 'racing:all': [entry(1, 1, 'Ana', 900), entry(2, USER.id, USER.display_name, 800)] }, me: USER });
    const root = await open();
    expect(root.querySelector('#lb-panel tr.is-me .lb-name')?.textContent).toBe(USER.display_name);
  });

  it('says so when a board is empty, and offers the game', async () => {
    stubFetch({ boards: {} });
    const root = await open('/leaderboards.html?period=day');
    expect(root.querySelector('.lb-empty')?.textContent).toContain('No scores yet today');
    expect(root.querySelector('.lb-empty a')?.getAttribute('href')).toBe('/racing.html');
  });
});
