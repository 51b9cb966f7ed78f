/**
 * The top three on a podium above the table: a picture of the same information the table gives, so it is
 * hidden from screen readers (the table says it all in order).
 */
import type { LeaderboardEntry } from '../api/games';
import { h } from '../ui/dom';
import { formatScore } from './table';

function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toUpperCase() : '?';
}

export function podium(entries: readonly LeaderboardEntry[], meId: number | null): HTMLElement | null {
  const top = entries.filter((e) => e.rank <= 3).slice(0, 3);
  if (top.length === 0) return null;
  const el = h('div', { class: 'lb-podium', 'aria-hidden': 'true' });
  // Second, first, third: the winner in the middle.
  for (const place of [2, 1, 3]) {
    const entry = top[place - 1];
    if (!entry) {
      el.append(h('div', { class: `lb-podium-place lb-podium-place--${place} is-empty` }));
      continue;
    }
    el.append(
      h(
        'div',
        { class: `lb-podium-place lb-podium-place--${place}${entry.user_id === meId ? ' is-me' : ''}` },
        h('span', { class: 'lb-podium-avatar' }, initial(entry.display_name)),
        h('span', { class: 'lb-podium-name' }, entry.display_name),
        h('span', { class: 'lb-podium-score' }, formatScore(entry.score)),
        h('span', { class: 'lb-podium-block' }, String(entry.rank)),
      ),
    );
  }
  return el;
}
