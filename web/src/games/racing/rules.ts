/**
 * Glucose Grand Prix scoring and gauge rules, pure numbers shared by the simulation, the HUD and the tests.
 *
 * Points: 10 per second of driving, doubled while the gauge is in range; +25 per healthy item; a correct pit-stop
 * answer adds the server's quiz bonus. The server refuses more than `max_points_per_second` per second of session
 * time (capped at `max_run_seconds`) plus the quiz bonus per correct answer, so an honest run stays far below it
 * ({@link MAX_HONEST_POINTS_PER_SECOND}), and {@link submittableScore} caps what is sent at what the rules allow.
 */
import type { RacingRules } from '../../api/games';

export const POINTS_PER_SECOND = 10;
export const IN_RANGE_MULTIPLIER = 2;
export const HEALTHY_BONUS = 25;

export const START_LIVES = 3;
export const MAX_LIVES = 3;
/** Seconds the gauge may stay out of range before a life is lost. */
export const OUT_OF_RANGE_GRACE = 5;
/** Seconds of driving between pit stops. */
export const PIT_INTERVAL = 45;

export const START_GLUCOSE = 115;
/** Where healthy items steady the gauge towards. */
export const STEADY_TARGET = 120;
export const GAUGE_MIN = 40;
export const GAUGE_MAX = 320;

/** Items never come closer together than this (seconds), so at most 1 / this many per second. */
export const MIN_SPAWN_GAP = 0.34;
/**
 * A spawn is one item, or a pair side by side in different lanes (one healthy, one sugary: the player chooses),
 * so at most one healthy item per spawn.
 */
export const MAX_HEALTHY_PER_SPAWN = 1;

/**
 * The most points per second an honest run can earn: driving in range, plus a healthy item collected from every
 * spawn at the tightest spacing: 20 + 25 / 0.34 ≈ 94, well under the server's 150.
 */
export const MAX_HONEST_POINTS_PER_SECOND =
  POINTS_PER_SECOND * IN_RANGE_MULTIPLIER + (HEALTHY_BONUS * MAX_HEALTHY_PER_SPAWN) / MIN_SPAWN_GAP;

export type GaugeZone = 'low' | 'in-range' | 'high';

export function gaugeZone(glucose: number, rules: Pick<RacingRules, 'target_low_mg_dl' | 'target_high_mg_dl'>): GaugeZone {
  if (glucose < rules.target_low_mg_dl) return 'low';
  if (glucose > rules.target_high_mg_dl) return 'high';
  return 'in-range';
}

/** Points for `dt` seconds of driving. */
export function drivingPoints(dt: number, inRange: boolean): number {
  return dt * POINTS_PER_SECOND * (inRange ? IN_RANGE_MULTIPLIER : 1);
}

/** The server's limit (server/src/games/rules.cpp `racing_score_limit`) for a session `elapsedSeconds` old. */
export function scoreLimit(
  elapsedSeconds: number,
  correctAnswers: number,
  rules: Pick<RacingRules, 'max_points_per_second' | 'max_run_seconds' | 'quiz_bonus_points'>,
): number {
  const seconds = Math.min(Math.max(Math.floor(elapsedSeconds), 0), rules.max_run_seconds);
  return seconds * rules.max_points_per_second + Math.max(0, correctAnswers) * rules.quiz_bonus_points;
}

/**
 * What to submit: the whole points, capped at the limit for the session's age as the client measured it, less a
 * second of margin (the server counts whole seconds from its own start time, which is before the client's).
 */
export function submittableScore(
  score: number,
  elapsedSeconds: number,
  correctAnswers: number,
  rules: Pick<RacingRules, 'max_points_per_second' | 'max_run_seconds' | 'quiz_bonus_points'>,
): number {
  const points = Math.max(0, Math.floor(Number.isFinite(score) ? score : 0));
  return Math.min(points, scoreLimit(elapsedSeconds - 1, correctAnswers, rules));
}
