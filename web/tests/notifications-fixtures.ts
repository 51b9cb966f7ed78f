/** An in-memory notifications server for the bell and profile tests, and a hand-driven EventSource. */
import type { AppNotification } from '../src/api/notifications';
import { USER, json } from './fixtures';

export const XSS = '<img src=x onerror=alert(1)>';
/** The tests' clock: five minutes after the fixtures' notifications. */
export const NOW = Date.parse('2026-11-27T12:00:00Z');

export function note(id: number, overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    kind: 'top10_lost',
    message: `Message ${id}`,
    data: { game: 'racing', link: '/leaderboards.html?game=racing' },
    created_at: '2026-11-27T11:55:00Z',
    read_at: null,
    ...overrides,
  };
}

export interface FakeServer {
  items: AppNotification[];
  prefs: Record<string, boolean>;
  /** Answers that replace the normal one, by "METHOD path". */
  fail: Map<string, Response>;
}

export function fakeServer(items: AppNotification[] = []): FakeServer {
  return {
    items,
    prefs: { personal_best: true, top10_entered: true, top10_lost: true, sensor_change_due: true, high_daily_gl: true, low_glucose: true },
    fail: new Map(),
  };
}

const notFound = (): Response => json({ error: { code: 'not_found', message: 'no such notification' } }, 404);

/** The route function for mockRoutes: the notification endpoints as the server answers them. */
export function notificationRoutes(server: FakeServer) {
  return (method: string, path: string, body: unknown, url: URL): Response => {
    const failure = server.fail.get(`${method} ${path}`);
    if (failure) return failure.clone();
    const unread = (): number => server.items.filter((n) => n.read_at === null).length;
    if (path === '/api/users/me') return json(USER);
    if (path === '/api/notifications' && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const onlyUnread = url.searchParams.get('unread') === 'true';
      const rows = [...server.items]
        .sort((a, b) => b.id - a.id)
        .filter((n) => !cursor || n.id < cursor)
        .filter((n) => !onlyUnread || n.read_at === null);
      const page = rows.slice(0, limit);
      return json({ items: page, next_cursor: rows.length > limit ? String(page.at(-1)?.id) : null, unread: unread() });
    }
    if (path === '/api/notifications/read_all' && method === 'POST') {
      const marked = server.items.filter((n) => n.read_at === null).length;
      for (const n of server.items) n.read_at ??= '2026-11-27T12:00:00Z';
      return json({ marked, unread: 0 });
    }
    if (path === '/api/notifications/preferences') {
      if (method === 'PATCH') Object.assign(server.prefs, body);
      return json(server.prefs);
    }
    const read = /^\/api\/notifications\/(\d+)\/read$/.exec(path);
    if (read && method === 'POST') {
      const n = server.items.find((x) => x.id === Number(read[1]));
      if (!n) return notFound();
      n.read_at ??= '2026-11-27T12:00:00Z';
      return json({ id: n.id, unread: unread() });
    }
    const one = /^\/api\/notifications\/(\d+)$/.exec(path);
    if (one && method === 'DELETE') {
      const before = server.items.length;
      server.items = server.items.filter((x) => x.id !== Number(one[1]));
      return server.items.length < before ? new Response(null, { status: 204 }) : notFound();
    }
    return json({ error: { code: 'not_found', message: `no route ${method} ${path}` } }, 404);
  };
}

/** A stand-in EventSource the test drives by hand. */
export class FakeSource {
  static all: FakeSource[] = [];
  readyState = 0;
  closed = false;
  private listeners = new Map<string, Array<(event: Event) => void>>();
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  static get last(): FakeSource {
    const last = FakeSource.all.at(-1);
    if (!last) throw new Error('no EventSource was opened');
    return last;
  }
  addEventListener(type: string, fn: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: unknown, lastEventId = ''): void {
    if (type === 'open') this.readyState = 1;
    const event = data === undefined ? new Event(type) : new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId });
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
  /** What the server sends for a new notification. */
  deliver(n: AppNotification): void {
    this.emit('notification', n, String(n.id));
  }
}
