import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import {
  deleteNotification,
  getNotificationPreferences,
  isCrossOrigin,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationLink,
  notificationSourceFactory,
  notificationStreamUrl,
  parseNotificationEvent,
  updateNotificationPreferences,
} from '../src/api/notifications';
import { json, stubApiFetch, type SeenRequest } from './fixtures';
import { note } from './notifications-fixtures';

const API = 'http://api.test';
let seen: SeenRequest[];
const stub = (name: string, value: unknown): unknown => vi.stubGlobal(name, value);

beforeEach(() => {
  seen = [];
  resetApiBaseCache();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('notifications API client', () => {
  it('lists with unread, limit and cursor on the resolved API base, with credentials', async () => {
    stubApiFetch(() => json({ items: [note(3), note(2, { read_at: '2026-11-27T11:59:00Z' })], next_cursor: '2', unread: 5 }), seen, stub);
    const page = await listNotifications({ unread: true, limit: 2, cursor: '9' });
    expect(seen[0]).toMatchObject({ method: 'GET', url: `${API}/api/notifications?unread=true&limit=2&cursor=9`, credentials: 'include' });
    expect(page.items.map((n) => n.id)).toEqual([3, 2]);
    expect(page.next_cursor).toBe('2');
    expect(page.unread).toBe(5);
    await listNotifications();
    expect(seen[1]?.url).toBe(`${API}/api/notifications`);
  });

  it('drops items without the contract shape instead of failing', async () => {
    stubApiFetch(() => json({ items: [note(1), { id: 'x' }, { id: 2, kind: 'k', message: 7 }], next_cursor: '', unread: -1 }), seen, stub);
    const page = await listNotifications();
    expect(page.items.map((n) => n.id)).toEqual([1]);
    expect(page.next_cursor).toBeNull();
    expect(page.unread).toBe(1); // counted from the items when the number is unusable
  });

  it('marks read with a JSON body (every POST declares one), marks all, deletes', async () => {
    stubApiFetch((url) => (url.endsWith('/api/notifications/4') ? new Response(null, { status: 204 }) : json({ id: 4, unread: 1, marked: 2 })), seen, stub);
    await expect(markNotificationRead(4)).resolves.toMatchObject({ id: 4, unread: 1 });
    await markAllNotificationsRead();
    await expect(deleteNotification(4)).resolves.toBeUndefined();
    expect(seen.map((r) => [r.method, r.url, r.body, r.contentType])).toEqual([
      ['POST', `${API}/api/notifications/4/read`, {}, 'application/json'],
      ['POST', `${API}/api/notifications/read_all`, {}, 'application/json'],
      ['DELETE', `${API}/api/notifications/4`, undefined, undefined],
    ]);
  });

  it('reads and patches preferences', async () => {
    stubApiFetch(() => json({ top10_lost: false }), seen, stub);
    await getNotificationPreferences();
    await updateNotificationPreferences({ top10_lost: false });
    expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', `${API}/api/notifications/preferences`, undefined],
      ['PATCH', `${API}/api/notifications/preferences`, { top10_lost: false }],
    ]);
  });

  it('puts the stream on the same API base as every other call', async () => {
    stubApiFetch(() => json({}), seen, stub);
    await expect(notificationStreamUrl()).resolves.toBe(`${API}/api/notifications/stream`);
  });

  it('opens the stream with credentials only when the API is on another origin', () => {
    const opened: Array<[string, EventSourceInit | undefined]> = [];
    class FakeEventSource {
      constructor(url: string, init?: EventSourceInit) {
        opened.push([url, init]);
      }
    }
    vi.stubGlobal('EventSource', FakeEventSource);
    notificationSourceFactory.create('http://api.test/api/notifications/stream');
    notificationSourceFactory.create('/api/notifications/stream');
    expect(opened).toEqual([
      ['http://api.test/api/notifications/stream', { withCredentials: true }],
      ['/api/notifications/stream', undefined],
    ]);
    expect(isCrossOrigin(`${window.location.origin}/x`)).toBe(false);
  });

  it('has no stream where the browser has no EventSource', () => {
    vi.stubGlobal('EventSource', undefined);
    expect(notificationSourceFactory.create('/api/notifications/stream')).toBeNull();
  });

  it('reads a notification event and rejects anything else', () => {
    expect(parseNotificationEvent(JSON.stringify(note(9)))).toEqual(note(9));
    expect(parseNotificationEvent('not json')).toBeNull();
    expect(parseNotificationEvent(JSON.stringify({ id: 0, kind: 'x', message: 'y', created_at: 'z', read_at: null }))).toBeNull();
    expect(parseNotificationEvent(JSON.stringify({ ...note(1), read_at: 5 }))).toBeNull();
    expect(parseNotificationEvent(JSON.stringify({ ...note(1), data: 'nope' }))?.data).toEqual({});
  });

  it('follows data.link only to a path on this site', () => {
    const origin = 'http://ui.test';
    const link = (value: unknown): string | null => notificationLink({ data: { link: value } }, origin);
    expect(link('/leaderboards.html?game=racing')).toBe('/leaderboards.html?game=racing');
    expect(link('/food-log.html?date=2026-11-26')).toBe('/food-log.html?date=2026-11-26');
    expect(link('https://evil.example/')).toBeNull();
    expect(link('//evil.example/x')).toBeNull();
    expect(link('/\\evil.example')).toBeNull();
    expect(link('javascript:alert(1)')).toBeNull();
    expect(link('leaderboards.html')).toBeNull();
    expect(link('/x\ny')).toBeNull();
    expect(link(42)).toBeNull();
    expect(notificationLink({ data: {} }, origin)).toBeNull();
  });
});
