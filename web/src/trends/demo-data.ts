/**
 * Synthetic CGM data for trying the Trends page without a sensor: a deterministic (seeded) trace of 5-minute
 * readings with a daily rhythm — lower overnight, a dawn rise, peaks after breakfast, lunch and dinner (and some
 * afternoon snacks), an occasional low, an occasional big meal — plus smooth drift and sensor noise, within the
 * sensor's 40–400 mg/dL. It is made up: the page says so wherever it is used.
 */
import { toRfc3339, type NewReading } from '../api/cgm';
import { minuteOfDay, dayInZone } from './time';

export const DEMO_STEP_MINUTES = 5;
export const READINGS_PER_DAY = (24 * 60) / DEMO_STEP_MINUTES; // 288
export const DEMO_DAYS = 14;
export const DEMO_SEED = 20_241_127;
export const DEMO_MIN_MG_DL = 40;
export const DEMO_MAX_MG_DL = 400;

export interface DemoOptions {
  /** The time of the last reading (rounded down to the second). */
  end: Date | number;
  /** Same seed, same trace. */
  seed?: number;
  days?: number;
  /** Meals happen at local times in this zone (default UTC). */
  timeZone?: string;
}

/** mulberry32: a small, fast, seedable PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next: () => number;
  between: (lo: number, hi: number) => number;
  chance: (p: number) => boolean;
  normal: () => number;
}

function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    between: (lo, hi) => lo + (hi - lo) * next(),
    chance: (p) => next() < p,
    // Box–Muller.
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

/** A meal's glucose rise: a gamma-like curve peaking at `amplitude` after `peakMin`, back near zero after ~5 h. */
interface MealBump {
  at: number; // local minutes since the first local midnight
  amplitude: number;
  peakMin: number;
}

interface Dip {
  at: number;
  width: number;
  /** The reading it bottoms out at. */
  floor: number;
}

interface DayPlan {
  baseline: number;
  dawn: number;
  meals: MealBump[];
  dips: Dip[];
}

function planDay(r: Rng, day: number): DayPlan {
  const start = day * 1440;
  const meals: MealBump[] = [];
  const big = r.chance(0.25); // one big, fast-carb meal now and then
  const meal = (clock: number, spread: number, lo: number, hi: number): void => {
    meals.push({ at: start + clock + r.between(-spread, spread), amplitude: r.between(lo, hi), peakMin: r.between(40, 65) });
  };
  meal(7 * 60 + 15, 35, 60, 115); // breakfast
  meal(12 * 60 + 30, 45, 45, 95); // lunch
  meal(19 * 60, 50, 60, 120); // dinner
  if (r.chance(0.5)) meal(15 * 60 + 30, 60, 20, 45); // afternoon snack
  const treat = meals[Math.floor(r.next() * 3)];
  if (big && treat) treat.amplitude += r.between(60, 110);

  const dips: Dip[] = [];
  if (r.chance(0.45)) {
    // A low: at night, or late afternoon (after exercise).
    const night = r.chance(0.5);
    dips.push({
      at: start + (night ? r.between(60, 240) : r.between(16 * 60, 17 * 60 + 30)),
      width: r.between(30, 55),
      floor: r.between(52, 66),
    });
  }
  return { baseline: r.between(102, 130), dawn: r.between(12, 32), meals, dips };
}

/** The trace without noise at local minute `t` (minutes since the first local midnight). */
function smooth(plans: DayPlan[], t: number): number {
  const day = Math.floor(t / 1440);
  // Baseline drifts linearly between the days' middles (no step at midnight).
  const pos = t / 1440 - 0.5;
  const i = Math.floor(pos);
  const frac = pos - i;
  const b0 = plans[Math.max(0, Math.min(plans.length - 1, i))]?.baseline ?? 110;
  const b1 = plans[Math.max(0, Math.min(plans.length - 1, i + 1))]?.baseline ?? 110;
  let g = b0 + (b1 - b0) * frac;

  const clock = t - day * 1440;
  // Overnight a little lower; the dawn phenomenon lifts it from about 04:00 to breakfast.
  g -= 10 * Math.exp(-(((clock - 150) / 110) ** 2));
  g += (plans[day]?.dawn ?? 20) * Math.exp(-(((clock - 400) / 80) ** 2));

  for (let d = day - 1; d <= day; d += 1) {
    for (const m of plans[d]?.meals ?? []) {
      const dt = t - m.at;
      if (dt > 0 && dt < 480) g += m.amplitude * (dt / m.peakMin) * Math.exp(1 - dt / m.peakMin);
    }
  }
  return g;
}

function withDips(plans: DayPlan[], t: number): number {
  let g = smooth(plans, t);
  const day = Math.floor(t / 1440);
  for (let d = day - 1; d <= day + 1; d += 1) {
    for (const dip of plans[d]?.dips ?? []) {
      const depth = Math.max(0, smooth(plans, dip.at) - dip.floor);
      g -= depth * Math.exp(-(((t - dip.at) / dip.width) ** 2));
    }
  }
  return g;
}

const clamp = (v: number): number => Math.min(DEMO_MAX_MG_DL, Math.max(DEMO_MIN_MG_DL, Math.round(v)));

/**
 * `days` × 288 readings, one every 5 minutes, the last one at `end`, oldest first. Deterministic for a seed (and
 * end and time zone).
 */
export function generateDemoReadings(options: DemoOptions): NewReading[] {
  const seed = options.seed ?? DEMO_SEED;
  const days = Math.max(1, Math.floor(options.days ?? DEMO_DAYS));
  const zone = options.timeZone ?? 'UTC';
  const endMs = Math.floor((typeof options.end === 'number' ? options.end : options.end.getTime()) / 1000) * 1000;
  const count = days * READINGS_PER_DAY;
  const stepMs = DEMO_STEP_MINUTES * 60_000;
  const firstMs = endMs - (count - 1) * stepMs;

  // Local minutes since the first reading's local midnight; one plan per local day touched (+1 spare).
  const firstDay = Date.parse(`${dayInZone(firstMs, zone)}T00:00:00Z`);
  const localMinute = (ms: number): number => {
    const day = Date.parse(`${dayInZone(ms, zone)}T00:00:00Z`);
    return Math.round((day - firstDay) / 60_000) + minuteOfDay(ms, zone);
  };
  const r = rng(seed);
  const plans: DayPlan[] = [];
  for (let d = 0; d <= days + 1; d += 1) plans.push(planDay(r, d));

  const noise = rng(seed ^ 0x9e3779b9);
  let drift = 0;
  const out: NewReading[] = [];
  for (let i = 0; i < count; i += 1) {
    const ms = firstMs + i * stepMs;
    // Slow wandering (AR(1)) plus a little sensor jitter.
    drift = 0.93 * drift + 2.6 * noise.normal();
    const value = withDips(plans, localMinute(ms)) + drift + 1.2 * noise.normal();
    out.push({ at: toRfc3339(ms), mg_dl: clamp(value) });
  }
  return out;
}
