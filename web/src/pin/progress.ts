/**
 * The progress panel: accuracy, the current streak and the last attempts as a row of ✓ / ✗, from
 * `GET /api/pin_dexcom/attempts` (the server counts; the page only shows).
 */
import type { PinAttempts, PinSites } from '../api/pin';
import { h } from '../ui/dom';
import { OBSTACLE_LABELS } from './obstacles';

/** How many attempts the row shows. */
export const RECENT = 10;

const MODEL_SHORT: Record<string, string> = { g7: 'G7', g6: 'G6', stelo: 'Stelo' };

/** Zone, avoid-area and obstacle ids → names, for the attempts' `zone`. */
export function zoneNames(sites: Pick<PinSites, 'zones' | 'avoid' | 'obstacles'>): Map<string, string> {
  const names = new Map<string, string>();
  for (const z of sites.zones) names.set(z.id, z.name);
  for (const a of sites.avoid) names.set(a.id, a.name);
  for (const o of sites.obstacles) names.set(o.kind, OBSTACLE_LABELS[o.kind] ?? o.name);
  return names;
}

/** "1 of 2 correct (50%)". */
export function accuracyText(data: Pick<PinAttempts, 'attempts' | 'correct' | 'accuracy_pct'>): string {
  return `${data.correct} of ${data.attempts} correct (${formatPct(data.accuracy_pct)}%)`;
}

function formatPct(pct: number): string {
  return Number.isInteger(pct) ? String(pct) : pct.toFixed(1);
}

export function renderProgress(data: PinAttempts, names: ReadonlyMap<string, string>): HTMLElement {
  if (data.attempts === 0) {
    return h('div', { class: 'pin-progress-body' }, h('p', { class: 'pin-progress-empty' }, 'No attempts yet. Your accuracy shows here after your first placement.'));
  }
  const recent = data.items.slice(0, RECENT).reverse(); // oldest first, left to right
  const list = h('ol', { class: 'pin-history', 'aria-label': `Last ${recent.length} attempts, oldest first` });
  recent.forEach((item) => {
    const where = item.zone ? names.get(item.zone) ?? item.zone : 'off the body or no named site';
    const text = `${item.correct ? 'Correct' : 'Incorrect'}: ${where}, ${MODEL_SHORT[item.model] ?? item.model} ${item.age_group}, ${item.score} points`;
    list.append(
      h(
        'li',
        { class: `pin-history-item pin-history-item--${item.correct ? 'correct' : 'incorrect'}`, title: text },
        h('span', { class: 'pin-history-mark', 'aria-hidden': 'true' }, item.correct ? '✓' : '✗'),
        h('span', { class: 'visually-hidden' }, text),
      ),
    );
  });
  const pct = Math.max(0, Math.min(100, data.accuracy_pct));
  const meter = h('div', { class: 'pin-meter', 'aria-hidden': 'true' }, h('div', { class: 'pin-meter-fill' }));
  const fill = meter.firstElementChild;
  if (fill instanceof HTMLElement) fill.style.width = `${pct}%`;
  return h(
    'div',
    { class: 'pin-progress-body' },
    h(
      'div',
      { class: 'pin-stats' },
      h('p', { class: 'pin-stat' }, h('span', { class: 'pin-stat-value' }, `${formatPct(data.accuracy_pct)}%`), ' ', h('span', { class: 'pin-stat-label' }, 'accuracy')),
      h('p', { class: 'pin-stat' }, h('span', { class: 'pin-stat-value' }, String(data.streak)), ' ', h('span', { class: 'pin-stat-label' }, 'streak')),
      h('p', { class: 'pin-stat' }, h('span', { class: 'pin-stat-value' }, String(data.attempts)), ' ', h('span', { class: 'pin-stat-label' }, data.attempts === 1 ? 'attempt' : 'attempts')),
    ),
    meter,
    h('p', { class: 'pin-accuracy', 'data-testid': 'pin-accuracy' }, accuracyText(data), ' in all.'),
    h('p', { class: 'pin-history-caption' }, `Last ${recent.length} ${recent.length === 1 ? 'try' : 'tries'} (oldest first):`),
    list,
  );
}

export function renderProgressGuest(signinHref: string): HTMLElement {
  return h(
    'div',
    { class: 'pin-progress-body' },
    h('p', undefined, 'Sign in to have your placements scored and see your accuracy and streak here.'),
    h('p', undefined, h('a', { href: signinHref, class: 'button button--secondary' }, 'Sign in to track progress')),
  );
}
