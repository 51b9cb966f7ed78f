/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every browser, so a session's `seed`
 * from the server fixes the race's item sequence. Not for anything secret.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [min, max). */
  range(min: number, max: number): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** mulberry32 over the low 32 bits of `seed` (any finite number; fractions are dropped). */
export function createRng(seed: number): Rng {
  let a = Math.trunc(Number.isFinite(seed) ? seed : 0) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (n) => Math.floor(next() * n),
  };
}

/** A second, independent stream from the same seed (e.g. the gauge's drift, apart from the item sequence). */
export function deriveSeed(seed: number, salt: number): number {
  return (Math.imul((Math.trunc(seed) >>> 0) ^ salt, 0x9e3779b1) ^ salt) >>> 0;
}
