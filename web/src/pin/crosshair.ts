/**
 * The keyboard crosshair over the figure: arrow keys move it (Shift for bigger steps), Enter or Space places the
 * sensor there. Steps are the same length across and down on screen (y steps are half as big in normalised
 * units, the picture being twice as tall as wide). Pure: no DOM.
 */
import type { PinAvoidArea, PinSites, PinView, PinZone } from '../api/pin';
import { ASPECT, insidePolygon, type Point } from './geometry';

/** A small step: 5 picture units (1/80 of the width). */
export const STEP = 0.0125;
/** With Shift: 20 picture units. */
export const BIG_STEP = 0.05;

/** Where the crosshair starts: the middle of the chest. */
export const CROSSHAIR_START: Point = { x: 0.5, y: 0.3 };

export type CrosshairKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

export function isCrosshairKey(key: string): key is CrosshairKey {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown';
}

const clamp01 = (n: number): number => Math.min(1, Math.max(0, Math.round(n * 10000) / 10000));

/** The crosshair after one key press; the point stays on the picture (0..1). */
export function moveCrosshair(p: Point, key: CrosshairKey, big = false): Point {
  const dx = big ? BIG_STEP : STEP;
  const dy = dx / ASPECT;
  switch (key) {
    case 'ArrowLeft':
      return { x: clamp01(p.x - dx), y: p.y };
    case 'ArrowRight':
      return { x: clamp01(p.x + dx), y: p.y };
    case 'ArrowUp':
      return { x: p.x, y: clamp01(p.y - dy) };
    case 'ArrowDown':
      return { x: p.x, y: clamp01(p.y + dy) };
  }
}

/**
 * Words for where the crosshair is, for screen readers: how far across and down, on or off the body, and the
 * names of the areas it is over (never whether they are approved: that is what the round tests).
 */
export function describeCrosshair(p: Point, sites: Pick<PinSites, 'body' | 'zones' | 'avoid'>, view: PinView): string {
  const across = Math.round(p.x * 100);
  const down = Math.round(p.y * 100);
  const onBody = sites.body.some((part) => insidePolygon(part, p));
  const names: string[] = [];
  const add = (area: PinZone | PinAvoidArea): void => {
    if ((area.view === view || area.view === 'both') && insidePolygon(area.polygon, p) && !names.includes(area.name)) {
      names.push(area.name);
    }
  };
  sites.zones.forEach(add);
  sites.avoid.forEach(add);
  const where = onBody ? (names.length > 0 ? `on the body: ${names.join(', ')}` : 'on the body') : 'off the body';
  return `Crosshair ${across}% across, ${down}% down, ${where}.`;
}
