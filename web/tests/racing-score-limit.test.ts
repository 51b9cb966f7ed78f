import { describe, expect, it } from 'vitest';
import { DEFAULT_RACING_RULES } from '../src/api/games';
import { ITEMS } from '../src/games/racing/items';
import { HEALTHY_BONUS, MAX_HONEST_POINTS_PER_SECOND, MIN_SPAWN_GAP, scoreLimit, submittableScore } from '../src/games/racing/rules';
import { CAR_Y, ItemSequence, Race } from '../src/games/racing/sim';

const RULES = DEFAULT_RACING_RULES;

/** Steers towards the nearest healthy item coming down, and keeps the gauge honest: a good player. */
function autopilot(race: Race): number {
  let best: { x: number; y: number } | null = null;
  for (const item of race.items) {
    if (!item.active || !item.healthy || item.y > CAR_Y) continue;
    if (!best || item.y > best.y) best = { x: item.x, y: item.y };
  }
  if (!best) return 0;
  const dx = best.x - race.carX;
  return Math.abs(dx) < 6 ? 0 : Math.sign(dx);
}

describe('the server limit (rules.cpp racing_score_limit)', () => {
  it('is 150 points per whole second, capped at 600 s, plus 250 per correct answer', () => {
    expect(scoreLimit(0, 0, RULES)).toBe(0);
    expect(scoreLimit(10, 0, RULES)).toBe(1500);
    expect(scoreLimit(10.99, 0, RULES)).toBe(1500);
    expect(scoreLimit(600, 0, RULES)).toBe(90_000);
    expect(scoreLimit(899, 0, RULES)).toBe(90_000);
    expect(scoreLimit(60, 2, RULES)).toBe(9000 + 500);
    expect(scoreLimit(-5, 0, RULES)).toBe(0);
  });

  it('caps what is submitted one second below the measured session age, in whole points', () => {
    expect(submittableScore(1234.9, 60, 0, RULES)).toBe(1234);
    expect(submittableScore(5000, 10.5, 0, RULES)).toBe(1350);
    expect(submittableScore(5000, 10.5, 1, RULES)).toBe(1600);
    expect(submittableScore(100, 0.5, 0, RULES)).toBe(0);
    expect(submittableScore(-3, 60, 0, RULES)).toBe(0);
    expect(submittableScore(Number.NaN, 60, 0, RULES)).toBe(0);
    for (let elapsed = 0; elapsed < 700; elapsed += 7.3) {
      for (const correct of [0, 1, 3]) {
        expect(submittableScore(1e9, elapsed, correct, RULES)).toBeLessThanOrEqual(scoreLimit(elapsed, correct, RULES));
      }
    }
  });

  it('leaves an honest run far below the limit by construction', () => {
    expect(MAX_HONEST_POINTS_PER_SECOND).toBeLessThan(RULES.max_points_per_second);
    expect(MAX_HONEST_POINTS_PER_SECOND).toBeCloseTo(20 + HEALTHY_BONUS / MIN_SPAWN_GAP, 6);
  });

  it('never offers more healthy items than that ceiling, even at top speed', () => {
    const seq = new ItemSequence(2024);
    let seconds = 0;
    let healthy = 0;
    while (seconds < RULES.max_run_seconds) {
      const s = seq.next(1.5, seconds);
      healthy += ITEMS[s.kind].healthy || (s.pair && ITEMS[s.kind2].healthy) ? 1 : 0;
      seconds += s.gap;
    }
    const most = 20 * RULES.max_run_seconds + HEALTHY_BONUS * healthy;
    expect(most).toBeLessThan(scoreLimit(RULES.max_run_seconds, 0, RULES));
  });

  it.each([1, 368556039, 2147483646])('keeps a skilled full run (seed %i) under the limit at every second', (seed) => {
    const race = new Race(seed);
    let worst = 0;
    const dt = 1 / 60;
    for (let frame = 0; frame < RULES.max_run_seconds * 60 && !race.over; frame += 1) {
      race.step(dt, autopilot(race));
      if (race.over && race.overReason === 'lives') race.answeredCorrectly();
      // The session is at least as old as the driving time; the server counts whole seconds.
      const limit = scoreLimit(Math.floor(race.time), race.correctAnswers, RULES);
      if (race.time >= 1) worst = Math.max(worst, race.score / limit);
      expect(race.score).toBeLessThanOrEqual(limit + 20 + HEALTHY_BONUS);
    }
    expect(race.healthy).toBeGreaterThan(100);
    expect(worst).toBeLessThan(1);
    expect(submittableScore(race.score, race.time + 1, race.correctAnswers, RULES)).toBe(Math.floor(race.score));
  });
});
