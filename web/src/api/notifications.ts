/**
 * Notifications (issue 7; docs/openapi.yaml, paths /api/notifications*). Every request goes through
 * {@link apiRequest}; the live stream is an `EventSource` on the same API base that client.ts resolves from
 * /config.json, so it carries the same session cookie (with `withCredentials` when the API is on another origin).
 */
import { apiRequest, resolveApiBase } from './client';

/** The six kinds the server creates, in the order the profile lists them. */
export const NOTIFICATION_KINDS = [
  'personal_best',
  'top10_entered',
  'top10_lost',
  'sensor_change_due',
  'high_daily_gl',
  'low_glucose',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface AppNotification {
  id: number;
  /** One of {@link NOTIFICATION_KINDS}; a newer server may send others, which are shown all the same. */
  kind: string;
  /** Plain text written by the server; it can quote another player's display name. Render as text only. */
  message: string;
  /** The figures behind the message, and `link`: the page concerned (a path on this site). */
  data: Record<string, unknown>;
  /** RFC 3339, UTC. */
  created_at: string;
  /** RFC 3339, UTC; null while unread. */
  read_at: string | null;
}

export interface NotificationPage {
  /** Newest first. */
  items: AppNotification[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
  /** How many of the user's notifications are unread (all of them, not only this page's). */
  unread: number;
}

export type NotificationPreferences = Record<NotificationKind, boolean>;

export interface ListOptions {
  unread?: boolean;
  limit?: number;
  cursor?: string | null;
  signal?: AbortSignal;
}

/** `GET /api/notifications?unread=&limit=&cursor=` → `{items, next_cursor, unread}`. */
export async function listNotifications(options: ListOptions = {}): Promise<NotificationPage> {
  const page = await apiRequest<unknown>('GET', '/api/notifications', {
    query: { unread: options.unread ? 'true' : undefined, limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
  });
  return parsePage(page);
}

/** `POST /api/notifications/{id}/read` → `{id, unread}` (marking one that is already read keeps its time). */
export function markNotificationRead(id: number): Promise<{ id: number; unread: number }> {
  return apiRequest('POST', `/api/notifications/${id}/read`, { body: {} });
}

/** `POST /api/notifications/read_all` → `{marked, unread: 0}`. */
export function markAllNotificationsRead(): Promise<{ marked: number; unread: number }> {
  return apiRequest('POST', '/api/notifications/read_all', { body: {} });
}

/** `DELETE /api/notifications/{id}` → 204. */
export function deleteNotification(id: number): Promise<void> {
  return apiRequest<void>('DELETE', `/api/notifications/${id}`);
}

/** `GET /api/notifications/preferences` → `{kind: on}` for every kind. */
export function getNotificationPreferences(): Promise<NotificationPreferences> {
  return apiRequest<NotificationPreferences>('GET', '/api/notifications/preferences');
}

/** `PATCH /api/notifications/preferences` with the kinds to change → the full preferences after the change. */
export function updateNotificationPreferences(changes: Partial<NotificationPreferences>): Promise<NotificationPreferences> {
  return apiRequest<NotificationPreferences>('PATCH', '/api/notifications/preferences', { body: changes });
}

/** The stream's URL on the resolved API base. */
export async function notificationStreamUrl(): Promise<string> {
  return `${await resolveApiBase()}/api/notifications/stream`;
}

/** True when `url` is on another origin than the page (the API on its own port): the stream then needs credentials. */
export function isCrossOrigin(url: string, origin: string = window.location.origin): boolean {
  try {
    return new URL(url, origin).origin !== origin;
  } catch {
    return false;
  }
}

/**
 * Opens the stream. Tests replace `create`. Returns null where the browser has no EventSource (the bell then
 * shows what the list API says, without live updates).
 */
export const notificationSourceFactory = {
  create(url: string): EventSource | null {
    if (typeof EventSource === 'undefined') return null;
    return isCrossOrigin(url) ? new EventSource(url, { withCredentials: true }) : new EventSource(url);
  },
};

/** A `notification` event's data → the notification; null when it is not one. */
export function parseNotificationEvent(data: string): AppNotification | null {
  try {
    return parseNotification(JSON.parse(data) as unknown);
  } catch {
    return null;
  }
}

/**
 * `data.link` when it is a path on this site ("/leaderboards.html?game=racing"), else null. The server writes
 * these, but a link only ever leads within the site: no other origin, scheme or protocol-relative URL.
 */
export function notificationLink(n: Pick<AppNotification, 'data'>, origin: string = window.location.origin): string | null {
  const raw = n.data['link'];
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return null;
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  try {
    const url = new URL(raw, origin);
    return url.origin === new URL(origin).origin ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

// ---- parsing ---------------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One notification from the API, or null when the value does not have the contract's shape. */
export function parseNotification(value: unknown): AppNotification | null {
  if (!isRecord(value)) return null;
  const { id, kind, message, data, created_at: createdAt, read_at: readAt } = value;
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) return null;
  if (typeof kind !== 'string' || typeof message !== 'string' || typeof createdAt !== 'string') return null;
  if (readAt !== null && typeof readAt !== 'string') return null;
  return { id, kind, message, data: isRecord(data) ? data : {}, created_at: createdAt, read_at: readAt };
}

function parsePage(value: unknown): NotificationPage {
  if (!isRecord(value) || !Array.isArray(value['items'])) return { items: [], next_cursor: null, unread: 0 };
  const items = value['items'].map(parseNotification).filter((n): n is AppNotification => n !== null);
  const cursor = value['next_cursor'];
  const unread = value['unread'];
  return {
    items,
    next_cursor: typeof cursor === 'string' && cursor !== '' ? cursor : null,
    unread: typeof unread === 'number' && unread >= 0 ? Math.floor(unread) : items.filter((n) => n.read_at === null).length,
  };
}
