import { describe, expect, it } from 'vitest';
import { HEALTHY_KINDS, ITEMS, SUGARY_KINDS, pickKind } from '../src/games/racing/items';
import { createRng, deriveSeed } from '../src/games/racing/prng';
import { MIN_SPAWN_GAP } from '../src/games/racing/rules';
import { ItemSequence, LANES, Race } from '../src/games/racing/sim';

function draws(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
}

function spawns(seed: number, n: number, factor = 1): string[] {
  const seq = new ItemSequence(seed);
  return Array.from({ length: n }, (_, i) => {
    const s = seq.next(factor, i);
    return `${s.kind}@${s.lane}${s.pair ? `+${s.kind2}@${s.lane2}` : ''}`;
  });
}

describe('seeded PRNG', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(368556039, 50)).toEqual(draws(368556039, 50));
  });

  it('matches the mulberry32 reference values', () => {
    // mulberry32(1): the first outputs of the published algorithm.
    const [a, b, c] = draws(1, 3);
    expect(a).toBeCloseTo(0.6270739405881613, 12);
    expect(b).toBeCloseTo(0.002735721180215478, 12);
    expect(c).toBeCloseTo(0.5274470399599522, 12);
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(1, 10)).not.toEqual(draws(2, 10));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = draws(42, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('accepts any number as a seed (server seeds are up to 2^31)', () => {
    expect(draws(2147483646, 3)).toEqual(draws(2147483646, 3));
    expect(draws(-5, 3)).toEqual(draws(-5 >>> 0, 3));
    expect(draws(Number.NaN, 2)).toEqual(draws(0, 2));
  });

  it('int() and range() stay in bounds', () => {
    const rng = createRng(7);
    for (let i = 0; i < 1000; i += 1) {
      const n = rng.int(3);
      expect(Number.isInteger(n) && n >= 0 && n < 3).toBe(true);
      const r = rng.range(-14, 14);
      expect(r).toBeGreaterThanOrEqual(-14);
      expect(r).toBeLessThan(14);
    }
  });

  it('derives an independent second stream', () => {
    expect(deriveSeed(99, 0x51ed)).not.toBe(99);
    expect(deriveSeed(99, 0x51ed)).toBe(deriveSeed(99, 0x51ed));
    expect(draws(deriveSeed(99, 1), 5)).not.toEqual(draws(99, 5));
  });
});

describe('item sequence', () => {
  it('is the same for the same session seed', () => {
    expect(spawns(368556039, 200)).toEqual(spawns(368556039, 200));
    expect(spawns(368556039, 20)).not.toEqual(spawns(368556040, 20));
  });

  it('does not depend on the speed (only the spacing does)', () => {
    expect(spawns(5, 100, 1)).toEqual(spawns(5, 100, 1.5));
  });

  it('puts a pair in two different lanes, one healthy and one sugary', () => {
    const seq = new ItemSequence(12345);
    let pairs = 0;
    for (let i = 0; i < 500; i += 1) {
      const s = seq.next(1.5, 600);
      expect(s.lane).toBeGreaterThanOrEqual(0);
      expect(s.lane).toBeLessThan(LANES);
      expect(s.gap).toBeGreaterThanOrEqual(MIN_SPAWN_GAP);
      if (!s.pair) continue;
      pairs += 1;
      expect(s.lane2).not.toBe(s.lane);
      expect(ITEMS[s.kind].healthy).not.toBe(ITEMS[s.kind2].healthy);
    }
    expect(pairs).toBeGreaterThan(50);
  });

  it('gives two races with the same seed the same items on the road', () => {
    const a = new Race(777);
    const b = new Race(777);
    for (let i = 0; i < 600; i += 1) {
      a.step(1 / 60, 0);
      b.step(1 / 60, 0);
    }
    const onRoad = (r: Race): string[] => r.items.filter((it) => it.active).map((it) => `${it.kind}:${Math.round(it.x)}:${Math.round(it.y)}`);
    expect(onRoad(a)).toEqual(onRoad(b));
    expect(onRoad(a).length).toBeGreaterThan(0);
  });

  it('picks kinds by weight', () => {
    expect(pickKind(HEALTHY_KINDS, 0)).toBe(HEALTHY_KINDS[0]);
    expect(pickKind(HEALTHY_KINDS, 0.9999)).toBe(HEALTHY_KINDS[HEALTHY_KINDS.length - 1]);
    for (const kind of SUGARY_KINDS) expect(ITEMS[kind].spike).toBeGreaterThan(0);
    for (const kind of HEALTHY_KINDS) expect(ITEMS[kind].spike).toBe(0);
  });
});
