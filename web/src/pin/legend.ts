/**
 * Text that goes with the figure: the round's note (what is on the body this round) and, once the sites are
 * revealed, the legend for the side shown: approved sites, sites not approved for this sensor and age, areas to
 * avoid and the obstacles' keep-out distances. Each entry has a swatch and a word, so colour is never the only cue.
 */
import { INCH, type PinSites, type PinView } from '../api/pin';
import { h } from '../ui/dom';
import { OBSTACLE_LABELS, type RoundObstacle } from './obstacles';

export function roundNote(obstacles: readonly RoundObstacle[], sites: Pick<PinSites, 'obstacles'>): Array<HTMLElement | string> {
  if (obstacles.length === 0) return [h('strong', undefined, 'This round: '), 'nothing else on the body.'];
  const parts: Array<HTMLElement | string> = [h('strong', undefined, 'This round: ')];
  obstacles.forEach((o, i) => {
    const name = sites.obstacles.find((r) => r.kind === o.kind)?.name ?? OBSTACLE_LABELS[o.kind];
    if (i > 0) parts.push(' and ');
    parts.push(h('span', { class: `pin-note-item pin-note-item--${o.kind}` }, `${i === 0 ? name : name.toLowerCase()} on ${o.where} (${o.view} view)`));
  });
  parts.push('. Keep the sensor clear of it.');
  if (obstacles.length > 1) parts[parts.length - 1] = '. Keep the sensor clear of them.';
  return parts;
}

export function renderLegend(sites: PinSites, view: PinView, obstacles: readonly RoundObstacle[], audience: string): HTMLElement[] {
  const onView = (v: string): boolean => v === view || v === 'both';
  const items: HTMLElement[] = [];
  const entry = (kind: string, word: string, text: string): HTMLElement =>
    h('li', { class: `pin-legend-item pin-legend-item--${kind}` }, h('span', { class: 'pin-swatch', 'aria-hidden': 'true' }), h('strong', undefined, word), ' ', text);

  const approved = sites.zones.filter((z) => z.approved && onView(z.view));
  for (const zone of approved) items.push(entry('approved', '✓ Approved:', zone.name));
  const other = sites.zones.filter((z) => !z.approved && onView(z.view));
  for (const zone of other) items.push(entry('other', `Not for ${audience}:`, zone.name));
  const seen = new Set<string>();
  for (const area of sites.avoid) {
    if (!onView(area.view) || seen.has(area.name)) continue;
    seen.add(area.name);
    items.push(entry('avoid', '✗ Avoid:', `${area.name}. ${area.reason}`));
  }
  for (const o of obstacles) {
    if (o.view !== view) continue;
    const rule = sites.obstacles.find((r) => r.kind === o.kind);
    if (!rule) continue;
    const inches = Math.round(rule.radius / INCH);
    items.push(entry('keepout', `✗ Keep ${inches} in away:`, `${rule.name}. ${rule.reason}`));
  }
  const otherView = view === 'front' ? 'back' : 'front';
  const elsewhere = sites.zones.filter((z) => z.approved && z.view === otherView);
  return [
    h('h3', { class: 'pin-legend-title' }, `On the ${view}`),
    h('ul', { class: 'pin-legend-list' }, ...items),
    approved.length === 0 && elsewhere.length > 0
      ? h('p', { class: 'pin-legend-more' }, `The approved sites for ${audience} are on the ${otherView}: switch to the ${otherView === 'back' ? 'Back' : 'Front'} view.`)
      : h('span'),
  ];
}
