/** The bell's pieces of DOM and wording: its label, badge and announcements, its icon, and one list row. */
import { notificationLink, type AppNotification } from '../api/notifications';
import { absoluteTime, relativeTime } from '../leaderboards/time';
import { h, s } from '../ui/dom';
import { kindLabel, linkLabel } from './kinds';

/** "Notifications, 3 unread". */
export function bellLabel(unread: number): string {
  return unread > 0 ? `Notifications, ${unread} unread` : 'Notifications, none unread';
}

/** What the badge shows: nothing for 0, "99+" above 99. */
export function badgeText(unread: number): string {
  return unread <= 0 ? '' : unread > 99 ? '99+' : String(unread);
}

/** What the status region says when the count changes. */
export function countAnnouncement(unread: number): string {
  return unread === 0 ? 'No unread notifications.' : `${unread} unread notification${unread === 1 ? '' : 's'}.`;
}

export function bellIcon(): SVGSVGElement {
  const svg = s('svg', { viewBox: '0 0 24 24', class: 'notif-icon', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(
    s('path', { d: 'M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15Z' }),
    s('path', { d: 'M10 20.5a2.2 2.2 0 0 0 4 0' }),
  );
  return svg;
}

export interface RowActions {
  /** The link was clicked (it leads to `href`). */
  follow(event: MouseEvent, href: string): void;
  read(): void;
  remove(): void;
}

/**
 * One notification: an unread dot (and "Unread:" for screen readers), the message as text, its kind and how long
 * ago, then a link to the page concerned, "Mark read" (unread only) and "Delete", each described by the message.
 */
export function notificationRow(n: AppNotification, now: number, actions: RowActions): HTMLLIElement {
  const messageId = `notif-msg-${n.id}`;
  const unreadMark = h('span', { class: 'visually-hidden notif-unread-text' }, 'Unread: ');
  const text = h('p', { class: 'notif-text', id: messageId }, n.read_at === null ? unreadMark : null, n.message);
  const time = h('time', { datetime: n.created_at, title: absoluteTime(n.created_at) }, relativeTime(n.created_at, now));
  const meta = h('p', { class: 'notif-meta' }, h('span', { class: 'notif-kind' }, kindLabel(n.kind)), h('span', { 'aria-hidden': 'true' }, ' · '), time);
  const buttons = h('div', { class: 'notif-actions' });
  const href = notificationLink(n);
  if (href) {
    const link = h('a', { class: 'notif-link', href, 'aria-describedby': messageId }, linkLabel(href));
    link.addEventListener('click', (event) => actions.follow(event, href));
    buttons.append(link);
  }
  if (n.read_at === null) {
    const read = h('button', { type: 'button', class: 'notif-text-button notif-read', 'aria-describedby': messageId }, 'Mark read');
    read.addEventListener('click', () => actions.read());
    buttons.append(read);
  }
  const remove = h('button', { type: 'button', class: 'notif-text-button notif-delete', 'aria-describedby': messageId }, 'Delete');
  remove.addEventListener('click', () => actions.remove());
  buttons.append(remove);
  return h(
    'li',
    { class: 'notif-item', tabindex: '-1', 'data-id': n.id, 'data-kind': n.kind, 'data-unread': String(n.read_at === null) },
    h('span', { class: 'notif-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'notif-body' }, text, meta, buttons),
  );
}
