/**
 * "About these sites": each zone's note and source, the areas to avoid and the round obstacles with their
 * sources, and the data's own `uncertainty` text. The sources are citations (the data carries no links).
 */
import type { PinSites } from '../api/pin';
import { INCH } from '../api/pin';
import { h } from '../ui/dom';

export function renderAbout(sites: PinSites, audience: string): HTMLElement[] {
  const zones = h('ul', { class: 'pin-sources' });
  for (const zone of sites.zones) {
    zones.append(
      h(
        'li',
        undefined,
        h('strong', undefined, zone.name),
        ` (${zone.view} view) — `,
        h('span', { class: zone.approved ? 'pin-tag pin-tag--ok' : 'pin-tag pin-tag--no' }, zone.approved ? `✓ approved for ${audience}` : `✗ not for ${audience}`),
        ' ',
        zone.note,
        h('span', { class: 'pin-source' }, 'Source: ', h('cite', undefined, zone.source)),
      ),
    );
  }

  // The areas to avoid come in pairs (left and right hip bone…): one entry per name.
  const avoid = h('ul', { class: 'pin-sources' });
  const seen = new Set<string>();
  for (const area of sites.avoid) {
    if (seen.has(area.name)) continue;
    seen.add(area.name);
    avoid.append(h('li', undefined, h('strong', undefined, area.name), ' — ', area.reason, h('span', { class: 'pin-source' }, 'Source: ', h('cite', undefined, area.source))));
  }

  const obstacles = h('ul', { class: 'pin-sources' });
  for (const rule of sites.obstacles) {
    const inches = Math.round(rule.radius / INCH);
    obstacles.append(
      h(
        'li',
        undefined,
        h('strong', undefined, rule.name),
        ` — keep the sensor ${inches} inch${inches === 1 ? '' : 'es'} away. `,
        rule.reason,
        h('span', { class: 'pin-source' }, 'Source: ', h('cite', undefined, rule.source)),
      ),
    );
  }

  return [
    h('h2', { id: 'pin-about-title' }, 'About these sites'),
    h('p', { class: 'pin-uncertainty' }, sites.uncertainty),
    h('details', { class: 'pin-details' }, h('summary', undefined, 'Where each sensor may go'), zones),
    h('details', { class: 'pin-details' }, h('summary', undefined, 'Areas to avoid'), avoid),
    h('details', { class: 'pin-details' }, h('summary', undefined, 'Pump sites, injection sites, tattoos and scars'), obstacles),
    h(
      'p',
      { class: 'pin-disclaimer' },
      'This is a practice game. Before you wear a real sensor, read the current user guide for your sensor and follow your diabetes care team.',
    ),
  ];
}
