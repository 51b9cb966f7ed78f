import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_RACING_RULES } from '../src/api/games';
import { collectMessage } from '../src/games/racing/items';
import {
  HEALTHY_BONUS,
  OUT_OF_RANGE_GRACE,
  START_LIVES,
  STEADY_TARGET,
  drivingPoints,
  gaugeZone,
} from '../src/games/racing/rules';
import { CAR_Y, NO_LISTENER, Race, type RaceListener } from '../src/games/racing/sim';

/** Steps `race` for `seconds` in 1/60 s steps with an empty road (no items can interfere). */
function drive(race: Race, seconds: number, steer = 0): void {
  const steps = Math.round(seconds * 60);
  for (let i = 0; i < steps; i += 1) {
    for (const item of race.items) item.active = false;
    race.step(1 / 60, steer);
  }
}

function listener(overrides: Partial<RaceListener> = {}): RaceListener {
  return { ...NO_LISTENER, ...overrides };
}

describe('gauge zones', () => {
  it('is in range from 70 to 180 mg/dL inclusive', () => {
    expect(gaugeZone(69.9, DEFAULT_RACING_RULES)).toBe('low');
    expect(gaugeZone(70, DEFAULT_RACING_RULES)).toBe('in-range');
    expect(gaugeZone(180, DEFAULT_RACING_RULES)).toBe('in-range');
    expect(gaugeZone(180.1, DEFAULT_RACING_RULES)).toBe('high');
  });

  it('follows the rules from the server', () => {
    const rules = { ...DEFAULT_RACING_RULES, target_low_mg_dl: 80, target_high_mg_dl: 160 };
    expect(gaugeZone(75, rules)).toBe('low');
    expect(gaugeZone(170, rules)).toBe('high');
  });
});

describe('points', () => {
  it('gives 10 a second, doubled in range', () => {
    expect(drivingPoints(1, false)).toBe(10);
    expect(drivingPoints(1, true)).toBe(20);
    expect(drivingPoints(0.5, true)).toBe(10);
  });

  it('doubles the race score while the gauge is in range', () => {
    const race = new Race(1);
    race.glucose = 120;
    drive(race, 1);
    expect(race.inRange).toBe(true);
    expect(race.score).toBeCloseTo(20, 5);
  });

  it('scores single points out of range', () => {
    const race = new Race(1);
    race.glucose = 260;
    drive(race, 1);
    expect(race.zone).toBe('high');
    expect(race.score).toBeCloseTo(10, 5);
  });

  it('adds 25 and steadies the gauge for a healthy item', () => {
    const race = new Race(3);
    const collect = vi.fn();
    race.listener = listener({ collect });
    race.glucose = 200;
    const item = race.items[0];
    if (!item) throw new Error('no pool');
    Object.assign(item, { active: true, kind: 'apple', healthy: true, x: race.carX, y: CAR_Y - 10, age: 0 });
    race.step(1 / 60, 0);
    expect(race.healthy).toBe(1);
    expect(race.score).toBeGreaterThanOrEqual(HEALTHY_BONUS);
    expect(collect).toHaveBeenCalledWith('apple', expect.any(Number), expect.any(Number), 'high');
    drive(race, 2);
    expect(race.glucose).toBeLessThan(200);
    expect(Math.abs(race.glucose - STEADY_TARGET)).toBeLessThan(60);
  });

  it('spikes the gauge for a sugary item, and adds no points', () => {
    const race = new Race(3);
    race.glucose = 120;
    const item = race.items[0];
    if (!item) throw new Error('no pool');
    Object.assign(item, { active: true, kind: 'soda', healthy: false, x: race.carX, y: CAR_Y, age: 0 });
    race.step(1 / 60, 0);
    expect(race.sugary).toBe(1);
    expect(race.score).toBeLessThan(1);
    drive(race, 1.5);
    expect(race.glucose).toBeGreaterThan(155);
  });

  it('says what an item did', () => {
    expect(collectMessage('apple', 'in-range')).toBe('Collected apple: glucose steadier (+25)');
    expect(collectMessage('soda', 'in-range')).toBe('Hit a soda can: glucose spiking');
    expect(collectMessage('candy', 'low')).toBe('Candy: fast sugar lifts a low');
  });
});

describe('lives', () => {
  it('starts with 3', () => {
    expect(new Race(1).lives).toBe(START_LIVES);
    expect(START_LIVES).toBe(3);
  });

  it('costs a life after 5 seconds out of range, then resets the gauge', () => {
    const race = new Race(1);
    const lifeLost = vi.fn();
    race.listener = listener({ lifeLost });
    race.glucose = 300;
    drive(race, OUT_OF_RANGE_GRACE - 0.5);
    expect(race.lives).toBe(3);
    drive(race, 0.6);
    expect(race.lives).toBe(2);
    expect(lifeLost).toHaveBeenCalledWith('high', 2);
    expect(race.inRange).toBe(true);
    expect(race.glucose).toBe(STEADY_TARGET);
  });

  it('forgives a short trip out of range', () => {
    const race = new Race(1);
    race.glucose = 300;
    drive(race, 3);
    race.glucose = 120;
    drive(race, 0.2);
    race.glucose = 300;
    drive(race, 3);
    expect(race.lives).toBe(3);
  });

  it('ends the race when the last life is lost, low or high', () => {
    const race = new Race(1);
    const lives: number[] = [];
    race.listener = listener({ lifeLost: (_zone, left) => lives.push(left) });
    for (let i = 0; i < 3; i += 1) {
      race.glucose = 45;
      drive(race, OUT_OF_RANGE_GRACE + 0.1);
    }
    expect(lives).toEqual([2, 1, 0]);
    expect(race.over).toBe(true);
    expect(race.overReason).toBe('lives');
    const score = race.score;
    race.step(1, 0);
    expect(race.score).toBe(score);
  });

  it('gives a life and the quiz bonus back for a correct pit-stop answer, even after the last life', () => {
    const race = new Race(1);
    race.glucose = 300;
    drive(race, OUT_OF_RANGE_GRACE + 0.1);
    const before = race.score;
    race.answeredCorrectly();
    expect(race.lives).toBe(3);
    expect(race.score).toBe(before + DEFAULT_RACING_RULES.quiz_bonus_points);
    race.answeredCorrectly();
    expect(race.lives).toBe(3);
    expect(race.correctAnswers).toBe(2);

    const out = new Race(2);
    for (let i = 0; i < 3; i += 1) {
      out.glucose = 300;
      drive(out, OUT_OF_RANGE_GRACE + 0.1);
    }
    expect(out.over).toBe(true);
    out.answeredCorrectly();
    expect(out.over).toBe(false);
    expect(out.lives).toBe(1);
  });
});

describe('the run', () => {
  it('asks for a pit stop every 45 s of driving', () => {
    const race = new Race(9);
    const pitDue = vi.fn();
    race.listener = listener({ pitDue });
    race.glucose = 120;
    for (let i = 0; i < 100 * 60; i += 1) {
      for (const item of race.items) item.active = false;
      race.glucose = 120;
      race.step(1 / 60, 0);
    }
    expect(pitDue).toHaveBeenCalledTimes(2);
  });

  it('finishes at the rules’ maximum run length', () => {
    const rules = { ...DEFAULT_RACING_RULES, max_run_seconds: 3 };
    const race = new Race(9, { rules });
    const finished = vi.fn();
    race.listener = listener({ finished });
    drive(race, 3.1);
    expect(race.over).toBe(true);
    expect(race.overReason).toBe('finish');
    expect(finished).toHaveBeenCalledOnce();
  });

  it('keeps the car on the road and steers with dt', () => {
    const race = new Race(9);
    const start = race.carX;
    drive(race, 0.5, -1);
    expect(race.carX).toBeLessThan(start);
    drive(race, 5, -1);
    const left = race.carX;
    drive(race, 1, -1);
    expect(race.carX).toBe(left);
    drive(race, 5, 1);
    expect(race.carX).toBeGreaterThan(start);
  });

  it('moves the same distance whatever the frame rate', () => {
    const a = new Race(4);
    const b = new Race(4);
    for (let i = 0; i < 60; i += 1) a.step(1 / 60, 0);
    for (let i = 0; i < 30; i += 1) b.step(1 / 30, 0);
    expect(a.distance).toBeCloseTo(b.distance, 0);
    expect(a.time).toBeCloseTo(b.time, 6);
  });

  it('scrolls slower with reduced motion', () => {
    const normal = new Race(4);
    const calm = new Race(4, { reducedMotion: true });
    drive(normal, 1);
    drive(calm, 1);
    expect(calm.distance).toBeLessThan(normal.distance);
  });

  it('ends with a given score (the test hook)', () => {
    const race = new Race(4);
    race.end(1234);
    expect(race.over).toBe(true);
    expect(race.score).toBe(1234);
    expect(race.overReason).toBe('ended');
  });
});
