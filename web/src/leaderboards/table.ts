/**
 * A leaderboard table: rank, player, score, when. Display names are player-chosen text and go in through text
 * nodes only (`h()`), so a name like `<img src=x onerror=…>` shows as those characters. The signed-in player's
 * row is highlighted and says "You" in words.
 */
import type { LeaderboardEntry } from '../api/games';
import { h } from '../ui/dom';
import { absoluteTime, relativeTime } from './time';

export interface TableOptions {
  caption: string;
  /** Keep the caption for screen readers only. */
  captionHidden?: boolean;
  /** The signed-in player's id, whose row is highlighted. */
  meId?: number | null;
  /** Rows to mark as just changed (user ids), for a brief highlight. */
  changed?: ReadonlySet<number>;
  now?: number;
  id?: string;
  /** Narrow tables (a side column): the When column folds under the name. */
  compact?: boolean;
}

export function formatScore(score: number): string {
  return Math.floor(score).toLocaleString('en-US');
}

/** "1st", "2nd", "3rd", "11th", "22nd"… */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toUpperCase() : '?';
}

function rankCell(rank: number): HTMLTableCellElement {
  const medal = rank <= 3 ? ` lb-rank--${rank}` : '';
  return h('td', { class: 'lb-rank-cell' }, h('span', { class: `lb-rank${medal}` }, String(rank)));
}

export function leaderboardRow(entry: LeaderboardEntry, options: Pick<TableOptions, 'meId' | 'changed' | 'now'> = {}): HTMLTableRowElement {
  const me = options.meId !== undefined && options.meId !== null && entry.user_id === options.meId;
  const classes = ['lb-row'];
  if (me) classes.push('is-me');
  if (options.changed?.has(entry.user_id)) classes.push('is-new');
  const name = h(
    'td',
    { class: 'lb-player' },
    h('span', { class: 'lb-avatar', 'aria-hidden': 'true' }, initial(entry.display_name)),
    h('span', { class: 'lb-name' }, entry.display_name),
    me ? h('span', { class: 'lb-you' }, 'You') : null,
  );
  const ago = relativeTime(entry.achieved_at, options.now);
  // On narrow screens the When column folds under the name.
  name.append(h('span', { class: 'lb-when-inline' }, ago));
  const when = h('time', { datetime: entry.achieved_at, title: absoluteTime(entry.achieved_at) }, ago);
  const row = h(
    'tr',
    { class: classes.join(' '), 'data-user-id': entry.user_id },
    rankCell(entry.rank),
    name,
    h('td', { class: 'lb-score' }, formatScore(entry.score)),
    h('td', { class: 'lb-when' }, when),
  );
  if (me) row.setAttribute('aria-current', 'true');
  return row;
}

/** The table for `entries` (already ranked by the server). */
export function leaderboardTable(entries: readonly LeaderboardEntry[], options: TableOptions): HTMLTableElement {
  const caption = h('caption', { class: options.captionHidden ? 'visually-hidden' : 'lb-caption' }, options.caption);
  const head = h(
    'thead',
    undefined,
    h(
      'tr',
      undefined,
      h('th', { scope: 'col', class: 'lb-rank-cell' }, 'Rank'),
      h('th', { scope: 'col' }, 'Player'),
      h('th', { scope: 'col', class: 'lb-score' }, 'Score'),
      h('th', { scope: 'col', class: 'lb-when' }, 'When'),
    ),
  );
  const body = h('tbody');
  for (const entry of entries) body.append(leaderboardRow(entry, options));
  return h('table', { class: options.compact ? 'lb-table lb-table--compact' : 'lb-table', id: options.id }, caption, head, body);
}
