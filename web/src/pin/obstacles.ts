/**
 * A round's obstacles: maybe an insulin pump infusion set, maybe a tattoo (for Stelo, whose users do not take
 * insulin, a scar instead of the pump site). They are drawn on the body and sent with the attempt, and the server
 * judges the keep-out distance. A round never covers every approved site: {@link isSolvable} checks, on a grid,
 * that some approved spot stays clear.
 */
import type { CgmModel } from '../api/accounts';
import type { ObstacleKind, PinObstacle, PinSites, PinView } from '../api/pin';
import { aspectDistance, bounds, insidePolygon, type Point } from './geometry';

export interface Spot {
  view: PinView;
  x: number;
  y: number;
  /** Where it is, in words ("the back of the left upper arm"). */
  where: string;
}

/** A placed obstacle with its description. */
export interface RoundObstacle extends PinObstacle {
  where: string;
}

/** Where pumps' infusion sets are worn: belly, thighs, back of the arms, upper buttocks. */
const PUMP_SPOTS: readonly Spot[] = [
  { view: 'front', x: 0.41, y: 0.43, where: 'the belly, to the right of the navel' },
  { view: 'front', x: 0.59, y: 0.43, where: 'the belly, to the left of the navel' },
  { view: 'front', x: 0.43, y: 0.66, where: 'the front of the right thigh' },
  { view: 'front', x: 0.57, y: 0.66, where: 'the front of the left thigh' },
  { view: 'back', x: 0.272, y: 0.262, where: 'the back of the left upper arm' },
  { view: 'back', x: 0.728, y: 0.262, where: 'the back of the right upper arm' },
  { view: 'back', x: 0.44, y: 0.575, where: 'the left upper buttock' },
  { view: 'back', x: 0.56, y: 0.575, where: 'the right upper buttock' },
];

/** Tattoos and scars: anywhere. */
const MARK_SPOTS: readonly Spot[] = [
  { view: 'back', x: 0.282, y: 0.245, where: 'the back of the left upper arm' },
  { view: 'back', x: 0.718, y: 0.31, where: 'the back of the right upper arm' },
  { view: 'back', x: 0.6, y: 0.33, where: 'the right side of the back' },
  { view: 'back', x: 0.45, y: 0.575, where: 'the left upper buttock' },
  { view: 'front', x: 0.58, y: 0.25, where: 'the left side of the chest' },
  { view: 'front', x: 0.56, y: 0.395, where: 'the belly' },
  { view: 'front', x: 0.235, y: 0.47, where: 'the right forearm' },
  { view: 'front', x: 0.45, y: 0.84, where: 'the right lower leg' },
];

/** mulberry32: a small seeded PRNG, numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * True when some approved spot (on a grid over the approved zones) is on the body, outside every area to avoid,
 * and clear of every obstacle's keep-out circle by a small margin. Also true when nothing is approved at all
 * (there is nothing to cover).
 */
export function isSolvable(sites: Pick<PinSites, 'zones' | 'avoid' | 'body' | 'obstacles'>, obstacles: readonly PinObstacle[]): boolean {
  const approved = sites.zones.filter((z) => z.approved);
  if (approved.length === 0) return true;
  const margin = 0.012;
  for (const zone of approved) {
    const b = bounds(zone.polygon);
    for (let i = 1; i < 10; i++) {
      for (let j = 1; j < 10; j++) {
        const p: Point = { x: b.minX + ((b.maxX - b.minX) * i) / 10, y: b.minY + ((b.maxY - b.minY) * j) / 10 };
        if (!insidePolygon(zone.polygon, p)) continue;
        if (!sites.body.some((part) => insidePolygon(part, p))) continue;
        if (sites.avoid.some((a) => (a.view === zone.view || a.view === 'both') && insidePolygon(a.polygon, p))) continue;
        const blocked = obstacles.some((o) => {
          if (o.view !== zone.view) return false;
          const radius = sites.obstacles.find((r) => r.kind === o.kind)?.radius ?? 0;
          return aspectDistance(o, p) <= radius + margin;
        });
        if (!blocked) return true;
      }
    }
  }
  return false;
}

/**
 * This round's obstacles: a pump site with probability 1/2 (a scar for Stelo), a tattoo with probability 1/2, at
 * spots that leave an approved site free. Spots on a view that has an approved site are twice as likely.
 */
export function rollObstacles(sites: PinSites, model: CgmModel, random: () => number): RoundObstacle[] {
  const picked: RoundObstacle[] = [];
  const approvedViews = new Set(sites.zones.filter((z) => z.approved).map((z) => z.view));
  const wanted: Array<{ kind: ObstacleKind; spots: readonly Spot[] }> = [];
  if (random() < 0.5) wanted.push(model === 'stelo' ? { kind: 'scar', spots: MARK_SPOTS } : { kind: 'pump_site', spots: PUMP_SPOTS });
  if (random() < 0.5) wanted.push({ kind: 'tattoo', spots: MARK_SPOTS });
  for (const { kind, spots } of wanted) {
    if (!sites.obstacles.some((rule) => rule.kind === kind)) continue;
    const pool = spots.flatMap((spot) => (approvedViews.has(spot.view) ? [spot, spot] : [spot]));
    for (let tries = 0; tries < 12; tries++) {
      const spot = pool[Math.floor(random() * pool.length)];
      if (!spot) break;
      const candidate: RoundObstacle = { kind, view: spot.view, x: spot.x, y: spot.y, where: spot.where };
      const apart = picked.every((o) => o.view !== spot.view || aspectDistance(o, spot) > 0.08);
      if (apart && isSolvable(sites, [...picked, candidate])) {
        picked.push(candidate);
        break;
      }
    }
  }
  return picked;
}

/** Short labels drawn next to the icons. */
export const OBSTACLE_LABELS: Record<ObstacleKind, string> = {
  pump_site: 'Pump site',
  injection_site: 'Injection site',
  tattoo: 'Tattoo',
  scar: 'Scar',
};
