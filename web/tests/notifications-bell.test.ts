import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { notificationSourceFactory } from '../src/api/notifications';
import { NotificationBell, PAGE_SIZE, badgeText, bellLabel } from '../src/notifications/bell';
import { STREAM_RETRY_MS } from '../src/notifications/live';
import { TOAST_MS } from '../src/notifications/toast';
import { pageNav } from '../src/ui/navigation';
import { SESSION_HINT_KEY, resetSessionForTests, setCurrentUser } from '../src/ui/session';
import { startPage } from '../src/ui/shell';
import { USER, healthy, mockRoutes, type ApiCall } from './fixtures';
import { FakeSource, NOW, XSS, fakeServer, note, notificationRoutes, type FakeServer } from './notifications-fixtures';

const stub = (name: string, value: unknown): unknown => vi.stubGlobal(name, value);

let server: FakeServer;
let calls: ApiCall[];
let go: ReturnType<typeof vi.spyOn>;
let bell: NotificationBell | null;

/** Lets pending promises (fetch stubs, then-chains) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function mountBell(items = server.items): Promise<NotificationBell> {
  server.items = items;
  calls = mockRoutes(notificationRoutes(server), stub);
  const b = new NotificationBell(7, { now: () => NOW });
  document.body.append(b.el);
  b.start();
  bell = b;
  await settle();
  return b;
}

async function openPanel(b: NotificationBell): Promise<void> {
  b.button.click();
  await settle();
}

const rows = (b: NotificationBell): HTMLLIElement[] => [...b.panel.querySelectorAll<HTMLLIElement>('.notif-item')];
const texts = (b: NotificationBell): string[] => rows(b).map((li) => li.querySelector('.notif-text')?.textContent ?? '');
const button = (root: ParentNode, name: string): HTMLButtonElement => {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((el) => el.textContent === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
};
const key = (el: Element, name: string): boolean => el.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  resetSessionForTests();
  resetApiBaseCache();
  server = fakeServer();
  bell = null;
  FakeSource.all = [];
  vi.spyOn(notificationSourceFactory, 'create').mockImplementation((url: string) => new FakeSource(url) as unknown as EventSource);
  go = vi.spyOn(pageNav, 'go').mockImplementation(() => undefined);
});

afterEach(() => {
  bell?.destroy();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the bell', () => {
  it('shows the unread count in its name and badge', async () => {
    const b = await mountBell([note(1), note(2), note(3, { read_at: '2026-11-27T11:58:00Z' })]);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(b.el.querySelector('.notif-badge')?.textContent).toBe('2');
    expect(b.el.querySelector<HTMLElement>('.notif-badge')?.hidden).toBe(false);
    expect(b.button.getAttribute('aria-expanded')).toBe('false');
    expect(b.button.getAttribute('aria-controls')).toBe('notif-panel');
    expect(b.panel.hidden).toBe(true);
    // The page load's count is not announced; only changes are.
    expect(b.el.querySelector('[role="status"]')?.textContent).toBe('');
  });

  it('hides the badge with nothing unread, and caps it at 99+', async () => {
    const b = await mountBell([note(1, { read_at: '2026-11-27T11:58:00Z' })]);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread');
    expect(b.el.querySelector<HTMLElement>('.notif-badge')?.hidden).toBe(true);
    expect(badgeText(0)).toBe('');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
    expect(bellLabel(1)).toBe('Notifications, 1 unread');
  });

  it('opens a list, newest first, with each message as text, unread marked, times and links', async () => {
    const b = await mountBell([
      note(1, { kind: 'high_daily_gl', message: 'High day', data: { link: '/food-log.html?date=2026-11-26' }, read_at: '2026-11-27T11:58:00Z' }),
      note(2, { message: `${XSS} pushed you out`, created_at: '2026-11-27T09:00:00Z' }),
    ]);
    await openPanel(b);
    expect(b.panel.hidden).toBe(false);
    expect(b.button.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement?.id).toBe('notif-title');
    expect(calls.filter((c) => c.path === '/api/notifications').length).toBe(2); // the count at start, then the list
    expect(texts(b)).toEqual([`Unread: ${XSS} pushed you out`, 'High day']);
    expect(b.panel.querySelector('img')).toBeNull();
    const [unread, read] = rows(b) as [HTMLLIElement, HTMLLIElement];
    expect(unread.dataset['unread']).toBe('true');
    expect(read.dataset['unread']).toBe('false');
    expect(unread.querySelector('time')?.textContent).toBe('3 hours ago');
    expect(unread.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-27T09:00:00Z');
    expect(read.querySelector('time')?.textContent).toBe('5 minutes ago');
    expect(unread.querySelector('.notif-kind')?.textContent).toBe('Pushed out of the top 10');
    const link = unread.querySelector('a');
    expect(link?.getAttribute('href')).toBe('/leaderboards.html?game=racing');
    expect(link?.textContent).toBe('See the leaderboard');
    expect(link?.getAttribute('aria-describedby')).toBe('notif-msg-2');
    expect(read.querySelector('a')?.textContent).toBe('Open the food log');
    // Only unread ones offer "Mark read"; every one offers "Delete".
    expect(unread.querySelector('.notif-read')?.textContent).toBe('Mark read');
    expect(read.querySelector('.notif-read')).toBeNull();
    expect(rows(b).every((li) => li.querySelector('.notif-delete'))).toBe(true);
  });

  it('closes on Escape (focus back on the bell), on a click elsewhere, and when focus leaves it', async () => {
    const outside = document.createElement('button');
    document.body.append(outside);
    const b = await mountBell([note(1)]);
    await openPanel(b);
    key(b.panel.querySelector('.notif-item a') as Element, 'Escape');
    expect(b.panel.hidden).toBe(true);
    expect(b.button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(b.button);

    await openPanel(b);
    outside.click();
    expect(b.panel.hidden).toBe(true);

    await openPanel(b);
    b.panel.querySelector<HTMLElement>('.notif-item a')?.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: outside }));
    expect(b.panel.hidden).toBe(true);
  });

  it('shows an empty state', async () => {
    const b = await mountBell([]);
    await openPanel(b);
    expect(b.panel.querySelector('.notif-message-line')?.textContent).toMatch(/^No notifications yet\./);
    expect(b.panel.querySelector<HTMLElement>('.notif-list')?.hidden).toBe(true);
    expect(b.panel.querySelector<HTMLElement>('.notif-mark-all')?.hidden).toBe(true);
    expect(b.panel.querySelector<HTMLElement>('.notif-more')?.hidden).toBe(true);
  });

  it('says so when the list cannot be loaded', async () => {
    const b = await mountBell([note(1)]);
    server.fail.set('GET /api/notifications', new Response('{"error":{"code":"internal","message":"x"}}', { status: 500 }));
    await openPanel(b);
    expect(b.panel.querySelector('[role="alert"]')?.textContent).toMatch(/could not be loaded\. The server had a problem/);
  });

  it('marks one read when its link is followed, then goes there', async () => {
    const b = await mountBell([note(1), note(2)]);
    await openPanel(b);
    const link = rows(b)[0]?.querySelector('a') as HTMLAnchorElement;
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    link.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    await settle();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/notifications/2/read' && JSON.stringify(c.body) === '{}')).toBe(true);
    expect(go).toHaveBeenCalledWith('/leaderboards.html?game=racing');
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(rows(b)[0]?.dataset['unread']).toBe('false');
  });

  it('lets a read notification’s link navigate normally, and a ctrl-click open a tab while marking it read', async () => {
    const b = await mountBell([note(1), note(2, { read_at: '2026-11-27T11:58:00Z' })]);
    await openPanel(b);
    // Newest first: 2 (read), then 1 (unread).
    const [read, unread] = rows(b).map((li) => li.querySelector('a') as HTMLAnchorElement) as [HTMLAnchorElement, HTMLAnchorElement];
    // The bell's listener runs first; this one records its choice, then stops jsdom (which cannot navigate).
    const preventedByBell: boolean[] = [];
    for (const link of [read, unread]) {
      link.addEventListener('click', (e) => {
        preventedByBell.push(e.defaultPrevented);
        e.preventDefault();
      });
    }
    read.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    unread.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ctrlKey: true }));
    await settle();
    expect(preventedByBell).toEqual([false, false]);
    expect(calls.some((c) => c.path === '/api/notifications/2/read')).toBe(false);
    expect(calls.some((c) => c.path === '/api/notifications/1/read')).toBe(true);
    expect(go).not.toHaveBeenCalled();
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread');
  });

  it('"Mark read" marks one read, announces the new count and keeps focus in the row', async () => {
    const b = await mountBell([note(1), note(2)]);
    await openPanel(b);
    const row = rows(b)[1] as HTMLLIElement;
    const mark = row.querySelector<HTMLButtonElement>('.notif-read') as HTMLButtonElement;
    mark.focus();
    mark.click();
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/notifications/1/read' });
    expect(row.dataset['unread']).toBe('false');
    expect(row.querySelector('.notif-read')).toBeNull();
    expect(row.querySelector('.notif-text')?.textContent).toBe('Message 1');
    expect(document.activeElement).toBe(row.querySelector('.notif-delete'));
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(b.el.querySelector('[role="status"]')?.textContent).toBe('1 unread notification.');
  });

  it('"Mark all read" clears the count and every unread mark', async () => {
    const b = await mountBell([note(1), note(2), note(3)]);
    await openPanel(b);
    const markAll = button(b.panel, 'Mark all read');
    markAll.focus();
    markAll.click();
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/notifications/read_all', body: {} });
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread');
    expect(b.el.querySelector<HTMLElement>('.notif-badge')?.hidden).toBe(true);
    expect(rows(b).map((li) => li.dataset['unread'])).toEqual(['false', 'false', 'false']);
    expect(b.el.querySelector('[role="status"]')?.textContent).toBe('No unread notifications.');
    expect(document.activeElement?.id).toBe('notif-title');
  });

  it('shows an error and changes nothing when marking fails', async () => {
    const b = await mountBell([note(1)]);
    await openPanel(b);
    server.fail.set('POST /api/notifications/read_all', new Response('', { status: 503 }));
    button(b.panel, 'Mark all read').click();
    await settle();
    expect(b.panel.querySelector('[role="alert"]')?.textContent).toMatch(/could not be marked read/);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(rows(b)[0]?.dataset['unread']).toBe('true');
  });

  it('deletes one, moving focus to the next; the last one leaves the empty state', async () => {
    const b = await mountBell([note(1, { read_at: '2026-11-27T11:58:00Z' }), note(2)]);
    await openPanel(b);
    const first = rows(b)[0] as HTMLLIElement;
    const del = first.querySelector<HTMLButtonElement>('.notif-delete') as HTMLButtonElement;
    del.focus();
    del.click();
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/notifications/2' });
    expect(texts(b)).toEqual(['Message 1']);
    expect(document.activeElement).toBe(rows(b)[0]);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread'); // the deleted one was unread

    const last = rows(b)[0]?.querySelector<HTMLButtonElement>('.notif-delete') as HTMLButtonElement;
    last.focus();
    last.click();
    await settle();
    expect(rows(b)).toHaveLength(0);
    expect(document.activeElement?.id).toBe('notif-title');
    expect(b.panel.querySelector('.notif-message-line')?.textContent).toMatch(/^No notifications yet/);
  });

  it('loads older ones with "Load more" and the cursor, focusing the first new one', async () => {
    const items = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => note(i + 1));
    const b = await mountBell(items);
    await openPanel(b);
    expect(rows(b)).toHaveLength(PAGE_SIZE);
    const more = button(b.panel, 'Load more');
    expect(more.hidden).toBe(false);
    more.click();
    await settle();
    const request = calls.at(-1);
    expect(request?.path).toBe('/api/notifications');
    expect(rows(b).map((li) => Number(li.dataset['id']))).toEqual(Array.from({ length: PAGE_SIZE + 3 }, (_, i) => PAGE_SIZE + 3 - i));
    expect(more.hidden).toBe(true);
    expect(document.activeElement).toBe(rows(b)[PAGE_SIZE]);
    expect(b.el.querySelector('[role="status"]')?.textContent).toBe('3 older notifications loaded.');
  });
});

describe('live notifications', () => {
  it('opens the stream on the API base and re-reads the count whenever it (re)connects', async () => {
    const b = await mountBell([note(1)]);
    expect(FakeSource.last.url).toBe('/api/notifications/stream');
    const before = calls.length;
    FakeSource.last.emit('open');
    await settle();
    expect(b.el.dataset['live']).toBe('live');
    expect(calls.slice(before).map((c) => c.path)).toEqual(['/api/notifications']);
  });

  it('raises the count, adds it to an open list and shows a toast, without counting a replay twice', async () => {
    const b = await mountBell([note(1)]);
    await openPanel(b);
    const source = FakeSource.last;
    source.emit('open');
    await settle();
    const arrived = note(2, { message: `${XSS} pushed you out of the Glucose Grand Prix top 10` });
    server.items.push(arrived);
    source.deliver(arrived);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(b.el.querySelector('.notif-badge')?.textContent).toBe('2');
    expect(b.el.querySelector('[role="status"]')?.textContent).toBe('2 unread notifications.');
    expect(texts(b)[0]).toBe(`Unread: ${arrived.message}`);

    const region = document.querySelector('.toast-region') as HTMLElement;
    expect(region.getAttribute('role')).toBe('status');
    const toast = b.toaster.toasts[0] as HTMLElement;
    expect(toast.querySelector('.toast-title')?.textContent).toBe('Pushed out of the top 10');
    expect(toast.querySelector('.toast-message')?.textContent).toBe(arrived.message);
    expect(toast.querySelector('img')).toBeNull();
    expect(toast.querySelector('a')?.getAttribute('href')).toBe('/leaderboards.html?game=racing');

    // After a reconnection the server replays it (Last-Event-ID): nothing changes.
    source.deliver(arrived);
    source.emit('open');
    await settle();
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(rows(b)).toHaveLength(2);
    expect(b.toaster.toasts).toHaveLength(1);
  });

  it('counts one that arrives while the count is being read exactly once', async () => {
    const b = await mountBell([note(1)]);
    // The count request is answered from a snapshot taken before notification 2 existed.
    const snapshot = notificationRoutes({ ...server, items: [note(1)] });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    calls = mockRoutes(async (method, path, body, url) => {
      if (path === '/api/notifications') {
        const answer = snapshot(method, path, body, url);
        await gate;
        return answer;
      }
      return notificationRoutes(server)(method, path, body, url);
    }, stub);
    FakeSource.last.emit('open');
    await settle();
    FakeSource.last.deliver(note(2));
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    release();
    await settle();
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
  });

  it('following the toast’s link marks it read and navigates', async () => {
    const b = await mountBell([]);
    const arrived = note(5, { kind: 'high_daily_gl', data: { link: '/food-log.html?date=2026-11-26' } });
    server.items.push(arrived);
    FakeSource.last.deliver(arrived);
    const link = b.toaster.toasts[0]?.querySelector('a') as HTMLAnchorElement;
    expect(link.textContent).toBe('Open the food log');
    link.click();
    await settle();
    expect(calls.some((c) => c.path === '/api/notifications/5/read')).toBe(true);
    expect(go).toHaveBeenCalledWith('/food-log.html?date=2026-11-26');
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread');
  });

  it('opens a new stream after the browser gave up, resuming after the last one received', async () => {
    vi.useFakeTimers();
    const b = await mountBellWithFakeTimers();
    const first = FakeSource.last;
    first.emit('open');
    first.deliver(note(8));
    first.readyState = 2; // CLOSED: the browser will not retry by itself
    first.emit('error');
    expect(first.closed).toBe(true);
    expect(b.el.dataset['live']).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync((STREAM_RETRY_MS[0] as number) - 1);
    expect(FakeSource.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSource.all).toHaveLength(2);
    expect(FakeSource.last.url).toBe('/api/notifications/stream?last_event_id=8');
  });

  it('re-reads the count when the tab becomes visible again (read in another tab)', async () => {
    const b = await mountBell([note(1), note(2)]);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    for (const n of server.items) n.read_at = '2026-11-27T11:59:00Z';
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, none unread');
  });

  it('closes the stream when the page is left, and reopens it when the page comes back from the cache', async () => {
    await mountBell([]);
    const first = FakeSource.last;
    window.dispatchEvent(new Event('pagehide'));
    expect(first.closed).toBe(true);
    const back = new Event('pageshow');
    Object.defineProperty(back, 'persisted', { value: true });
    window.dispatchEvent(back);
    await settle();
    expect(FakeSource.all).toHaveLength(2);
    expect(FakeSource.last.closed).toBe(false);
  });

  it('leaves reconnecting to the browser while it is still trying', async () => {
    const b = await mountBell([]);
    const source = FakeSource.last;
    source.emit('open');
    source.readyState = 0; // CONNECTING
    source.emit('error');
    expect(source.closed).toBe(false);
    expect(FakeSource.all).toHaveLength(1);
    expect(b.el.dataset['live']).toBe('reconnecting');
  });
});

/** mountBell for tests on fake timers (settle's setTimeout would never fire). */
async function mountBellWithFakeTimers(): Promise<NotificationBell> {
  calls = mockRoutes(notificationRoutes(server), stub);
  const b = new NotificationBell(7, { now: () => NOW });
  document.body.append(b.el);
  b.start();
  bell = b;
  await vi.advanceTimersByTimeAsync(0);
  return b;
}

describe('toasts', () => {
  it('go by themselves after a while, but not while focus is inside; Dismiss and Escape remove them', async () => {
    vi.useFakeTimers();
    const b = await mountBellWithFakeTimers();
    FakeSource.last.deliver(note(1));
    expect(b.toaster.toasts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(TOAST_MS);
    expect(b.toaster.toasts).toHaveLength(0);

    FakeSource.last.deliver(note(2));
    const toast = b.toaster.toasts[0] as HTMLElement;
    (toast.querySelector('a') as HTMLElement).focus();
    await vi.advanceTimersByTimeAsync(TOAST_MS * 2);
    expect(b.toaster.toasts).toHaveLength(1);
    key(toast.querySelector('a') as Element, 'Escape');
    expect(b.toaster.toasts).toHaveLength(0);
    expect(document.activeElement).toBe(b.button); // focus is not lost with the toast

    FakeSource.last.deliver(note(3));
    (b.toaster.toasts[0]?.querySelector('.toast-dismiss') as HTMLButtonElement).click();
    expect(b.toaster.toasts).toHaveLength(0);
  });

  it('keep at most three on screen', async () => {
    const b = await mountBell([]);
    for (let id = 1; id <= 5; id++) FakeSource.last.deliver(note(id, { message: `n${id}` }));
    expect(b.toaster.toasts.map((t) => t.querySelector('.toast-message')?.textContent)).toEqual(['n3', 'n4', 'n5']);
    expect(b.button.getAttribute('aria-label')).toBe('Notifications, 5 unread');
  });
});

describe('in the page header', () => {
  it('is there for a signed-in user, in the account bar, and not for a signed-out one', async () => {
    calls = mockRoutes(notificationRoutes(server), stub);
    let shell = startPage('home', () => undefined, healthy);
    await settle();
    expect(shell.header.querySelector('.notif-bell')).toBeNull();
    expect(FakeSource.all).toHaveLength(0);
    expect(calls.some((c) => c.path.startsWith('/api/notifications'))).toBe(false);

    document.body.replaceChildren();
    resetSessionForTests();
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    server.items = [note(1)];
    shell = startPage('food-log', () => undefined, healthy);
    await settle();
    const found = shell.account.bar.querySelector<HTMLButtonElement>('.notif-bell');
    expect(found?.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(FakeSource.all).toHaveLength(1);
  });

  it('closes the stream and goes away with its toasts on sign-out', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    calls = mockRoutes(notificationRoutes(server), stub);
    const shell = startPage('home', () => undefined, healthy);
    await settle();
    const source = FakeSource.last;
    source.deliver(note(1));
    expect(document.querySelectorAll('.toast')).toHaveLength(1);
    setCurrentUser(null);
    expect(source.closed).toBe(true);
    expect(shell.header.querySelector('.notif-bell')).toBeNull();
    expect(document.querySelector('.toast-region')).toBeNull();
  });

  it('survives a profile rename (the account bar is redrawn) without opening a second stream', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    calls = mockRoutes(notificationRoutes(server), stub);
    const shell = startPage('profile', () => undefined, healthy);
    await settle();
    const before = shell.account.bar.querySelector('.notif-bell');
    setCurrentUser({ ...USER, display_name: 'Renamed' });
    expect(shell.account.bar.querySelector('.notif-bell')).toBe(before);
    expect(FakeSource.all).toHaveLength(1);
    expect(FakeSource.last.closed).toBe(false);
  });
});
