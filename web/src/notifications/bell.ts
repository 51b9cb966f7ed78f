/**
 * The header's notification bell for a signed-in user: a button with the unread count (its accessible name says
 * it, a polite status region announces changes), opening a panel with the notifications, newest first. Each shows
 * its message as text, how long ago, a link to the page concerned (following it marks it read), "Mark read" and
 * "Delete"; the panel has "Mark all read" and "Load more". Escape or a click elsewhere closes it; focus goes to the
 * panel's heading on opening and back to the bell on Escape.
 *
 * Live: {@link NotificationStream} delivers new notifications; each raises the count, joins the list and shows a
 * toast. On every (re)connection the count is re-read from the server, so nothing missed goes uncounted and
 * nothing is counted twice.
 */
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  deleteNotification,
  notificationLink,
  type AppNotification,
  type NotificationPage,
} from '../api/notifications';
import { relativeTime } from '../leaderboards/time';
import { clear, h } from '../ui/dom';
import { describeError } from '../ui/forms';
import { pageNav } from '../ui/navigation';
import { kindLabel, linkLabel } from './kinds';
import { NotificationStream } from './live';
import { badgeText, bellIcon, bellLabel, countAnnouncement, notificationRow } from './view';
import { Toaster } from './toast';
import './notifications.css';

export { badgeText, bellLabel, countAnnouncement } from './view';

/** Notifications per page of the list. */
export const PAGE_SIZE = 10;
export const PANEL_ID = 'notif-panel';
const TITLE_ID = 'notif-title';

interface Row {
  n: AppNotification;
  li: HTMLLIElement;
}

export interface BellOptions {
  /** The clock for relative times (tests). */
  now?: () => number;
}

export class NotificationBell {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly panel: HTMLElement;
  readonly toaster: Toaster;

  private readonly badge: HTMLElement;
  private readonly status: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly message: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly markAll: HTMLButtonElement;
  private readonly stream: NotificationStream;
  private readonly now: () => number;

  private count = 0;
  private countKnown = false;
  /** The newest notification id that the last count from the server included. */
  private countedThrough = 0;
  /** Unread notifications that arrived live (their ids), for recounting after a server count. */
  private readonly liveUnread = new Set<number>();
  /** Notifications that arrived live, kept so that a list loaded meanwhile still shows them. */
  private readonly liveItems = new Map<number, AppNotification>();
  /** Every id seen (list or stream): the stream may replay some after reconnecting. */
  private readonly seen = new Set<number>();
  private readonly rows = new Map<number, Row>();
  private nextCursor: string | null = null;
  private listLoaded = false;
  private listSeq = 0;
  private syncSeq = 0;
  private started = false;
  private timeTimer: ReturnType<typeof setInterval> | null = null;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly userId: number,
    options: BellOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.badge = h('span', { class: 'notif-badge', 'aria-hidden': 'true', hidden: true });
    this.button = h(
      'button',
      { type: 'button', class: 'notif-bell', 'aria-expanded': 'false', 'aria-controls': PANEL_ID, 'aria-label': bellLabel(0) },
      bellIcon(),
      this.badge,
    );
    this.status = h('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });

    this.heading = h('h2', { id: TITLE_ID, class: 'notif-title', tabindex: '-1' }, 'Notifications');
    this.markAll = h('button', { type: 'button', class: 'notif-text-button notif-mark-all' }, 'Mark all read');
    this.list = h('ul', { class: 'notif-list', 'aria-labelledby': TITLE_ID });
    this.message = h('p', { class: 'notif-message-line' });
    this.problem = h('p', { class: 'notif-problem', role: 'alert' });
    this.more = h('button', { type: 'button', class: 'button button--secondary notif-more', hidden: true }, 'Load more');
    this.panel = h(
      'section',
      { id: PANEL_ID, class: 'notif-panel', 'aria-labelledby': TITLE_ID, hidden: true },
      h('div', { class: 'notif-head' }, this.heading, this.markAll),
      this.problem,
      this.message,
      this.list,
      h('div', { class: 'notif-foot' }, this.more),
    );
    this.el = h('div', { class: 'notif' }, this.button, this.status, this.panel);

    this.toaster = new Toaster(() => (this.el.isConnected ? this.button : null));
    this.stream = new NotificationStream({
      onNotification: (n) => this.arrived(n),
      onOpen: () => void this.syncCount(),
      // For tests and styling: whether the live stream is connected.
      onState: (state) => (this.el.dataset['live'] = state),
    });

    this.button.addEventListener('click', () => this.setOpen(!this.isOpen));
    this.markAll.addEventListener('click', () => void this.readAll());
    this.more.addEventListener('click', () => void this.loadMore());
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen) {
        event.preventDefault();
        event.stopPropagation();
        this.setOpen(false);
        this.button.focus();
      }
    });
    this.el.addEventListener('focusout', (event) => {
      // Tabbing out of the panel closes it; a removed element (relatedTarget null) does not.
      const next = event.relatedTarget;
      if (this.isOpen && next instanceof Node && !this.el.contains(next)) this.setOpen(false);
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  get unread(): number {
    return this.count;
  }

  /** Reads the count and opens the live stream. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.toaster.attach();
    this.listen(document, 'click', (event) => {
      if (this.isOpen && event.target instanceof Node && !this.el.contains(event.target)) this.setOpen(false);
    });
    this.listen(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.syncCount();
    });
    this.listen(window, 'pagehide', () => this.stream.close());
    this.listen(window, 'pageshow', (event) => {
      if ((event as PageTransitionEvent).persisted) {
        void this.stream.open();
        void this.syncCount();
      }
    });
    void this.syncCount();
    void this.stream.open();
  }

  /** Sign-out: closes the stream, removes the toasts and the bell. */
  destroy(): void {
    this.started = false;
    this.stream.close();
    this.toaster.destroy();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (this.timeTimer !== null) clearInterval(this.timeTimer);
    this.timeTimer = null;
    this.el.remove();
  }

  setOpen(open: boolean): void {
    if (open === this.isOpen) return;
    this.panel.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    this.el.dataset['open'] = String(open);
    if (this.timeTimer !== null) clearInterval(this.timeTimer);
    this.timeTimer = null;
    if (!open) return;
    this.heading.focus();
    this.refreshTimes();
    this.timeTimer = setInterval(() => this.refreshTimes(), 60_000);
    void this.loadFirstPage();
  }

  // ---- the count -----------------------------------------------------------------------------------------------

  /** Re-reads the unread count (newest notification and count in one answer). */
  async syncCount(): Promise<void> {
    const seq = ++this.syncSeq;
    let page: NotificationPage;
    try {
      page = await listNotifications({ limit: 1 });
    } catch {
      return; // the badge keeps what it had; the next (re)connection tries again
    }
    if (seq !== this.syncSeq || !this.started) return;
    this.applyServerCount(page.unread, page.items[0]?.id ?? 0);
  }

  /**
   * Takes the server's count, which includes every notification up to `newestIncluded`; unread ones that arrived
   * live after that are added on top.
   */
  private applyServerCount(unread: number, newestIncluded: number): void {
    this.countedThrough = Math.max(this.countedThrough, newestIncluded);
    let extra = 0;
    for (const id of this.liveUnread) if (id > newestIncluded) extra += 1;
    this.setCount(unread + extra);
  }

  private setCount(value: number): void {
    const next = Math.max(0, value);
    const changed = next !== this.count;
    this.count = next;
    this.button.setAttribute('aria-label', bellLabel(next));
    this.badge.textContent = badgeText(next);
    this.badge.hidden = next === 0;
    this.markAll.hidden = next === 0;
    // The first count is what the page starts with: only later changes are announced.
    if (changed && this.countKnown) this.announce(countAnnouncement(next));
    this.countKnown = true;
  }

  private announce(text: string): void {
    this.status.textContent = text;
  }

  private highestSeen(): number {
    let max = this.countedThrough;
    for (const id of this.seen) max = Math.max(max, id);
    return max;
  }

  // ---- live ----------------------------------------------------------------------------------------------------

  private arrived(n: AppNotification): void {
    if (this.seen.has(n.id)) return;
    this.seen.add(n.id);
    this.liveItems.set(n.id, n);
    if (n.read_at === null) {
      this.liveUnread.add(n.id);
      if (n.id > this.countedThrough) this.setCount(this.count + 1);
    }
    if (this.listLoaded) {
      this.insertRow(n, 'top');
      this.updateEmpty();
    }
    const href = notificationLink(n);
    this.toaster.show({
      title: kindLabel(n.kind),
      message: n.message,
      link: href ? { href, label: linkLabel(href) } : null,
      onFollow: (event) => this.follow(event, n, href),
    });
  }

  // ---- the list ------------------------------------------------------------------------------------------------

  private async loadFirstPage(): Promise<void> {
    const seq = ++this.listSeq;
    this.problem.textContent = '';
    if (!this.listLoaded) this.message.textContent = 'Loading…';
    let page: NotificationPage;
    try {
      page = await listNotifications({ limit: PAGE_SIZE });
    } catch (err) {
      if (seq !== this.listSeq) return;
      if (!this.listLoaded) this.message.textContent = '';
      this.problem.textContent = `Your notifications could not be loaded. ${describeError(err)}`;
      return;
    }
    if (seq !== this.listSeq) return;
    const newest = page.items[0]?.id ?? 0;
    // Anything that arrived live after this page was read still belongs at the top.
    const later = [...this.liveItems.values()].filter((n) => n.id > newest && !page.items.some((p) => p.id === n.id));
    this.rows.clear();
    clear(this.list);
    this.listLoaded = true;
    for (const n of [...later.sort((a, b) => b.id - a.id), ...page.items]) {
      this.seen.add(n.id);
      this.insertRow(n, 'bottom');
    }
    this.nextCursor = page.next_cursor;
    this.applyServerCount(page.unread, newest);
    this.updateEmpty();
  }

  private async loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor || this.more.disabled) return;
    this.more.disabled = true;
    this.more.textContent = 'Loading…';
    this.problem.textContent = '';
    let page: NotificationPage;
    try {
      page = await listNotifications({ limit: PAGE_SIZE, cursor });
    } catch (err) {
      this.more.disabled = false;
      this.more.textContent = 'Load more';
      this.problem.textContent = `More notifications could not be loaded. ${describeError(err)}`;
      return;
    }
    this.more.disabled = false;
    this.more.textContent = 'Load more';
    let first: HTMLLIElement | null = null;
    for (const n of page.items) {
      if (this.rows.has(n.id)) continue;
      this.seen.add(n.id);
      const li = this.insertRow(n, 'bottom');
      first ??= li;
    }
    this.nextCursor = page.next_cursor;
    this.updateEmpty();
    // Focus the first of the new ones (the button may have gone); with nothing new, stay or go to the heading.
    if (first) first.focus();
    else if (this.more.hidden) this.heading.focus();
    this.announce(first ? `${page.items.length} older notification${page.items.length === 1 ? '' : 's'} loaded.` : 'No older notifications.');
  }

  private updateEmpty(): void {
    const empty = this.rows.size === 0;
    this.message.textContent = empty && !this.nextCursor ? 'No notifications yet. New personal bests, leaderboard changes, sensor reminders and glucose alerts will appear here.' : '';
    this.list.hidden = empty;
    this.more.hidden = !this.nextCursor;
    this.markAll.hidden = this.count === 0;
  }

  private insertRow(n: AppNotification, where: 'top' | 'bottom'): HTMLLIElement {
    const existing = this.rows.get(n.id);
    if (existing) return existing.li;
    const li = notificationRow(n, this.now(), {
      follow: (event, href) => this.follow(event, n, href),
      read: () => void this.readOne(n.id, true),
      remove: () => void this.remove(n.id),
    });
    this.rows.set(n.id, { n, li });
    if (where === 'top') this.list.prepend(li);
    else this.list.append(li);
    return li;
  }

  private refreshTimes(): void {
    for (const time of this.list.querySelectorAll('time')) time.textContent = relativeTime(time.dateTime, this.now());
  }

  // ---- actions -------------------------------------------------------------------------------------------------

  /**
   * Following a notification's link marks it read first. A plain click waits for that (briefly) and then
   * navigates, so the request is not cut off by leaving the page; a click that opens a new tab just sends it.
   */
  private follow(event: MouseEvent, n: AppNotification, href: string | null): void {
    if (!href) return;
    const row = this.rows.get(n.id);
    const unread = (row?.n ?? n).read_at === null;
    if (!unread) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      void this.readOne(n.id, false);
      return;
    }
    event.preventDefault();
    const go = (): void => pageNav.go(href);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1500));
    void Promise.race([this.readOne(n.id, false), timeout]).then(go, go);
  }

  private async readOne(id: number, moveFocus: boolean): Promise<void> {
    const highest = this.highestSeen();
    this.problem.textContent = '';
    let result: { unread: number };
    try {
      result = await markNotificationRead(id);
    } catch (err) {
      this.problem.textContent = `It could not be marked read. ${describeError(err)}`;
      return;
    }
    this.liveUnread.delete(id);
    this.markRowRead(id, moveFocus);
    this.applyServerCount(result.unread, highest);
    this.updateEmpty();
  }

  private markRowRead(id: number, moveFocus: boolean): void {
    const row = this.rows.get(id) ?? null;
    const live = this.liveItems.get(id);
    const readAt = new Date(this.now()).toISOString();
    if (live) live.read_at = readAt;
    if (!row) return;
    row.n = { ...row.n, read_at: readAt };
    row.li.dataset['unread'] = 'false';
    row.li.querySelector('.notif-unread-text')?.remove();
    const button = row.li.querySelector<HTMLButtonElement>('.notif-read');
    const hadFocus = button !== null && button === document.activeElement;
    button?.remove();
    if (hadFocus && moveFocus) (row.li.querySelector<HTMLElement>('.notif-delete') ?? row.li).focus();
  }

  private async readAll(): Promise<void> {
    this.problem.textContent = '';
    this.markAll.disabled = true;
    try {
      await markAllNotificationsRead();
    } catch (err) {
      this.markAll.disabled = false;
      this.problem.textContent = `They could not be marked read. ${describeError(err)}`;
      return;
    }
    this.markAll.disabled = false;
    const wasFocused = document.activeElement === this.markAll;
    this.liveUnread.clear();
    for (const id of this.rows.keys()) this.markRowRead(id, false);
    this.countedThrough = Math.max(this.countedThrough, this.highestSeen());
    this.setCount(0);
    this.updateEmpty();
    if (wasFocused || !this.el.contains(document.activeElement)) this.heading.focus();
  }

  private async remove(id: number): Promise<void> {
    const row = this.rows.get(id);
    if (!row) return;
    this.problem.textContent = '';
    try {
      await deleteNotification(id);
    } catch (err) {
      this.problem.textContent = `It could not be deleted. ${describeError(err)}`;
      return;
    }
    const hadFocus = row.li.contains(document.activeElement);
    const neighbour = (row.li.nextElementSibling ?? row.li.previousElementSibling) as HTMLElement | null;
    row.li.remove();
    this.rows.delete(id);
    this.liveItems.delete(id);
    if (row.n.read_at === null) {
      this.liveUnread.delete(id);
      this.setCount(this.count - 1);
    }
    this.updateEmpty();
    if (hadFocus) (neighbour ?? this.heading).focus();
    this.announce('Notification deleted.');
  }

  private listen(target: EventTarget, type: string, fn: (event: Event) => void): void {
    target.addEventListener(type, fn);
    this.cleanups.push(() => target.removeEventListener(type, fn));
  }
}
