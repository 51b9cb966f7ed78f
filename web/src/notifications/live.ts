/**
 * The live notification stream: an EventSource on `/api/notifications/stream` (the API base from /config.json,
 * credentials included when the API is on another origin). The server sends one `notification` event per new
 * notification, with the notification's id as the event id. When the connection drops, the browser reconnects by
 * itself after the server's `retry:` delay and sends `Last-Event-ID`, so the server first replays what was missed.
 * Only when the browser gives up (the stream answered with an error status) do we open a new one, after a growing
 * delay, asking for what came after the last one received (`?last_event_id=`, the query form of the header).
 */
import {
  notificationSourceFactory,
  notificationStreamUrl,
  parseNotificationEvent,
  type AppNotification,
} from '../api/notifications';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface StreamHandlers {
  onNotification(notification: AppNotification): void;
  /** Every (re)connection: the owner re-reads the unread count, since events may have been missed. */
  onOpen(): void;
  onState?(state: StreamState): void;
}

/** Delays before opening a new stream after the browser gave up on one. */
export const STREAM_RETRY_MS = [3000, 6000, 12000, 30000];

export class NotificationStream {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private closed = true;
  /** The id of the last notification received: a new stream (after the browser gave up) resumes from it. */
  private lastId = 0;

  constructor(private readonly handlers: StreamHandlers) {}

  /** True while a stream is open or being opened. */
  get active(): boolean {
    return !this.closed;
  }

  async open(): Promise<void> {
    if (!this.closed) return;
    this.closed = false;
    await this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.handlers.onState?.('closed');
  }

  private async connect(): Promise<void> {
    this.handlers.onState?.(this.failures === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = await notificationStreamUrl();
      if (this.lastId > 0) url += `?${new URLSearchParams({ last_event_id: String(this.lastId) }).toString()}`;
    } catch {
      this.retry();
      return;
    }
    if (this.closed) return;
    const source = notificationSourceFactory.create(url);
    if (!source) {
      // No EventSource in this browser: the bell still shows what the list API says.
      this.handlers.onState?.('closed');
      return;
    }
    this.source = source;
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.handlers.onState?.('live');
      this.handlers.onOpen();
    });
    source.addEventListener('notification', (event) => {
      if (this.source !== source) return;
      const notification = parseNotificationEvent(String((event as MessageEvent<unknown>).data));
      if (!notification) return;
      this.lastId = Math.max(this.lastId, notification.id);
      this.handlers.onNotification(notification);
    });
    source.addEventListener('error', () => {
      if (this.closed || this.source !== source) return;
      // CONNECTING (0): the browser is already retrying, with Last-Event-ID. CLOSED (2): it gave up.
      if (source.readyState === 2) {
        source.close();
        this.source = null;
        this.retry();
      } else {
        this.handlers.onState?.('reconnecting');
      }
    });
  }

  private retry(): void {
    if (this.closed) return;
    this.handlers.onState?.('reconnecting');
    const delay = STREAM_RETRY_MS[Math.min(this.failures, STREAM_RETRY_MS.length - 1)] as number;
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.closed) void this.connect();
    }, delay);
  }
}
