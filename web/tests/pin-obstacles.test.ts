import { describe, expect, it } from 'vitest';
import { Figure } from '../src/pin/figure';
import { isSolvable, rollObstacles, seededRandom } from '../src/pin/obstacles';
import { placeLabels } from '../src/pin/labels';
import { SITES_G7_ADULT, sitesFor } from './pin-fixtures';

describe('round obstacles', () => {
  it('never cover every approved site', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const obstacles = rollObstacles(SITES_G7_ADULT, 'g7', seededRandom(seed));
      expect(obstacles.length).toBeLessThanOrEqual(2);
      expect(isSolvable(SITES_G7_ADULT, obstacles)).toBe(true);
    }
  });

  it('bring a pump site or a tattoo, sometimes both, sometimes neither', () => {
    const kinds = new Set<string>();
    const counts = new Set<number>();
    for (let seed = 1; seed <= 100; seed++) {
      const obstacles = rollObstacles(SITES_G7_ADULT, 'g7', seededRandom(seed));
      counts.add(obstacles.length);
      for (const o of obstacles) kinds.add(o.kind);
    }
    expect([...kinds].sort()).toEqual(['pump_site', 'tattoo']);
    expect([...counts].sort()).toEqual([0, 1, 2]);
  });

  it('give a Stelo wearer (no insulin) a scar instead of a pump site', () => {
    const stelo = sitesFor(['upper_arm_back_left', 'upper_arm_back_right'], 'stelo', 'adult');
    for (let seed = 1; seed <= 60; seed++) {
      for (const o of rollObstacles(stelo, 'stelo', seededRandom(seed))) expect(o.kind).not.toBe('pump_site');
    }
  });

  it('knows when pump sites cover both arms', () => {
    const pump = (x: number, y: number) => ({ kind: 'pump_site' as const, view: 'back' as const, x, y });
    // A 3-inch keep-out (0.09 wide, 0.045 tall in normalised units) covers half an upper arm zone.
    const four = [pump(0.275, 0.24), pump(0.275, 0.33), pump(0.725, 0.24), pump(0.725, 0.33)];
    expect(isSolvable(SITES_G7_ADULT, four)).toBe(false);
    expect(isSolvable(SITES_G7_ADULT, four.slice(0, 3))).toBe(true);
    // Obstacles on the other side do not matter.
    expect(isSolvable(SITES_G7_ADULT, four.map((o) => ({ ...o, view: 'front' as const })))).toBe(true);
  });
});

describe('the figure', () => {
  it('is built from the body polygons and reveals zones, areas to avoid and obstacles with titles and labels', () => {
    const figure = new Figure();
    const obstacles = [{ kind: 'tattoo' as const, view: 'back' as const, x: 0.282, y: 0.245, where: 'the back of the left upper arm' }];
    figure.render({ sites: SITES_G7_ADULT, view: 'back', obstacles, reveal: false, audience: 'G7 adult', pin: null });
    const svg = figure.svg;
    expect(svg.getAttribute('viewBox')).toBe('0 0 400 800');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelectorAll('.pin-body-skin path')).toHaveLength(SITES_G7_ADULT.body.length);
    expect(svg.querySelectorAll('.pin-zone')).toHaveLength(0);
    expect(svg.querySelector('.pin-obstacle--tattoo title')?.textContent).toBe('Tattoo on the back of the left upper arm');

    figure.render({ sites: SITES_G7_ADULT, view: 'back', obstacles, reveal: true, audience: 'G7 adult', pin: { view: 'back', x: 0.277, y: 0.279, result: 'correct' } });
    const approved = [...svg.querySelectorAll('.pin-zone--approved title')].map((t) => t.textContent);
    expect(approved).toEqual(['Approved site: Back of the upper arm (left)', 'Approved site: Back of the upper arm (right)']);
    expect(svg.querySelector('.pin-zone--other title')?.textContent).toBe('Upper buttocks: not approved for G7 adult');
    const avoidLabels = [...svg.querySelectorAll('.pin-label--avoid')].map((l) => l.textContent);
    expect(avoidLabels).toContain('✗ Spine');
    expect(avoidLabels).toContain('✗ Waistband'); // view "both"
    expect(avoidLabels).not.toContain('✗ Around the navel'); // front only
    expect(svg.querySelectorAll('.pin-keepout')).toHaveLength(1);
    expect(svg.querySelector('.pin-marker--correct')).not.toBeNull();
  });

  it('keeps labels from overlapping', () => {
    const placed = placeLabels([
      { anchor: { x: 200, y: 400 }, lines: ['✗ Waistband'], fontSize: 12 },
      { anchor: { x: 200, y: 400 }, lines: ['✗ Hip bone'], fontSize: 12 },
      { anchor: { x: 200, y: 402 }, lines: ['✗ Hip bone'], fontSize: 12 },
    ]);
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i];
        const b = placed[j];
        if (!a || !b) continue;
        const apart = Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height;
        expect(apart).toBe(true);
      }
    }
    expect(placed[0]?.moved).toBe(false);
    expect(placed[1]?.moved).toBe(true);
  });
});
