/**
 * The race itself, with no DOM: the car, the items on the road, the glucose gauge, score and lives. `step(dt)`
 * advances it by `dt` seconds; it allocates nothing per step (items live in a fixed pool) and reports what
 * happened through a {@link RaceListener}.
 *
 * Coordinates are "road units": the road is {@link ROAD_W} wide (x from 0 at its left edge) and the view
 * {@link VIEW_H} tall (y grows downwards); the renderer scales them to the canvas.
 */
import { DEFAULT_RACING_RULES, type RacingRules } from '../../api/games';
import { HEALTHY_KINDS, ITEMS, SUGARY_KINDS, pickKind, type ItemKind } from './items';
import { createRng, deriveSeed, type Rng } from './prng';
import {
  GAUGE_MAX,
  GAUGE_MIN,
  HEALTHY_BONUS,
  MAX_LIVES,
  MIN_SPAWN_GAP,
  OUT_OF_RANGE_GRACE,
  PIT_INTERVAL,
  START_GLUCOSE,
  START_LIVES,
  STEADY_TARGET,
  drivingPoints,
  gaugeZone,
  type GaugeZone,
} from './rules';

export const LANES = 3;
export const LANE_W = 110;
export const ROAD_W = LANES * LANE_W;
export const VIEW_H = 640;
export const CAR_W = 54;
export const CAR_H = 98;
export const CAR_Y = VIEW_H - 118;
export const ITEM_R = 22;
export const BASE_SPEED = 300;
const CAR_MAX_SPEED = 430;
const POOL_SIZE = 16;
/** Seconds a healthy item keeps pulling the gauge towards {@link STEADY_TARGET}. */
const STEADY_SECONDS = 2.5;

export interface Item {
  active: boolean;
  kind: ItemKind;
  healthy: boolean;
  x: number;
  y: number;
  /** Seconds since it appeared (for bobbing and spin). */
  age: number;
}

export interface RaceListener {
  collect(kind: ItemKind, x: number, y: number, zoneBefore: GaugeZone): void;
  zoneChange(zone: GaugeZone): void;
  /** `zone` is where the gauge was for too long; `lives` is what is left (0: the race is over unless revived). */
  lifeLost(zone: GaugeZone, lives: number): void;
  pitDue(): void;
  /** The run reached the rules' maximum length. */
  finished(): void;
}

export const NO_LISTENER: RaceListener = {
  collect: () => undefined,
  zoneChange: () => undefined,
  lifeLost: () => undefined,
  pitDue: () => undefined,
  finished: () => undefined,
};

/** One spawn: an item in a lane, and maybe a second one (the other group) beside it. */
export interface Spawn {
  /** Seconds until the next spawn. */
  gap: number;
  kind: ItemKind;
  lane: number;
  offset: number;
  pair: boolean;
  kind2: ItemKind;
  lane2: number;
  offset2: number;
}

/**
 * The item sequence: the same seed always gives the same spawns (kinds, lanes, spacing in seconds at a given
 * speed factor). Every spawn draws the same number of random values.
 */
export class ItemSequence {
  private readonly rng: Rng;
  private readonly out: Spawn = { gap: 1, kind: 'apple', lane: 0, offset: 0, pair: false, kind2: 'donut', lane2: 1, offset2: 0 };

  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  /** The next spawn (the same object every call: copy what you keep). `elapsed` makes pairs likelier over time. */
  next(speedFactor: number, elapsed: number): Spawn {
    const r = this.rng;
    const o = this.out;
    const gapDraw = r.range(0.55, 1.05);
    const pairDraw = r.next();
    const healthyDraw = r.next();
    const kindDraw = r.next();
    const kind2Draw = r.next();
    o.lane = r.int(LANES);
    const laneStep = 1 + r.int(LANES - 1);
    o.offset = r.range(-14, 14);
    o.offset2 = r.range(-14, 14);
    o.gap = Math.max(MIN_SPAWN_GAP, gapDraw / speedFactor);
    o.pair = pairDraw < 0.28 + Math.min(elapsed / 400, 0.2);
    // Healthy food gets a little scarcer as the race goes on.
    const healthyFirst = healthyDraw < 0.54 - Math.min(elapsed / 2000, 0.1);
    o.kind = pickKind(healthyFirst ? HEALTHY_KINDS : SUGARY_KINDS, kindDraw);
    o.kind2 = pickKind(healthyFirst ? SUGARY_KINDS : HEALTHY_KINDS, kind2Draw);
    o.lane2 = (o.lane + laneStep) % LANES;
    return o;
  }
}

export interface RaceOptions {
  rules?: RacingRules;
  /** Slower scrolling (prefers-reduced-motion). */
  reducedMotion?: boolean;
}

export class Race {
  readonly rules: RacingRules;
  listener: RaceListener = NO_LISTENER;

  /** Seconds of driving (pauses and pit stops excluded). */
  time = 0;
  score = 0;
  lives = START_LIVES;
  healthy = 0;
  sugary = 0;
  correctAnswers = 0;
  glucose = START_GLUCOSE;
  zone: GaugeZone = 'in-range';
  /** Seconds the gauge has been out of range without a break. */
  outOfRange = 0;
  over = false;
  overReason: 'lives' | 'finish' | 'ended' | null = null;

  carX = ROAD_W / 2;
  carVX = 0;
  /** Road units per second. */
  speed = BASE_SPEED;
  distance = 0;
  readonly items: Item[] = [];

  private drift = 0;
  private driftTimer = 3;
  private pendingRise = 0;
  private steady = 0;
  private spawnTimer = 1.2;
  private nextPitAt = PIT_INTERVAL;
  private readonly speedScale: number;
  private readonly sequence: ItemSequence;
  private readonly gaugeRng: Rng;

  constructor(seed: number, options: RaceOptions = {}) {
    this.rules = options.rules ?? DEFAULT_RACING_RULES;
    this.speedScale = options.reducedMotion ? 0.72 : 1;
    this.speed = BASE_SPEED * this.speedScale;
    this.sequence = new ItemSequence(seed);
    this.gaugeRng = createRng(deriveSeed(seed, 0x51ed));
    for (let i = 0; i < POOL_SIZE; i += 1) this.items.push({ active: false, kind: 'apple', healthy: true, x: 0, y: 0, age: 0 });
  }

  /** How much faster than at the start the road moves (1 → 1.5 over the first 150 s). */
  get speedFactor(): number {
    return 1 + Math.min(this.time / 150, 0.5);
  }

  get inRange(): boolean {
    return this.zone === 'in-range';
  }

  /** Advances the race by `dt` seconds with `steer` in [-1, 1] (left negative). */
  step(dt: number, steer: number): void {
    if (this.over || dt <= 0) return;
    this.time += dt;
    const factor = this.speedFactor;
    this.speed = BASE_SPEED * this.speedScale * factor;
    this.distance += this.speed * dt;

    this.moveCar(dt, steer);
    this.updateGauge(dt);
    this.score += drivingPoints(dt, this.zone === 'in-range');
    if (this.zone === 'in-range') {
      this.outOfRange = 0;
    } else {
      this.outOfRange += dt;
      if (this.outOfRange >= OUT_OF_RANGE_GRACE) this.loseLife(this.zone);
    }
    if (this.over) return;

    this.spawnTimer -= dt;
    if (this.spawnTimer <= 0) this.spawn(factor);
    this.moveItems(dt);

    if (this.time >= this.nextPitAt) {
      this.nextPitAt += PIT_INTERVAL;
      this.listener.pitDue();
    }
    if (this.time >= this.rules.max_run_seconds) {
      this.over = true;
      this.overReason = 'finish';
      this.listener.finished();
    }
  }

  /** A correct pit-stop answer: the quiz bonus and a life back (up to the maximum). */
  answeredCorrectly(): void {
    this.correctAnswers += 1;
    this.score += this.rules.quiz_bonus_points;
    if (this.lives < MAX_LIVES) this.lives += 1;
    if (this.over && this.overReason === 'lives') {
      this.over = false;
      this.overReason = null;
    }
  }

  /** Ends the race now (the player quit, or the test hook). */
  end(score?: number): void {
    if (score !== undefined && Number.isFinite(score)) this.score = Math.max(0, score);
    if (!this.over) {
      this.over = true;
      this.overReason = 'ended';
    }
  }

  private moveCar(dt: number, steer: number): void {
    const target = Math.max(-1, Math.min(1, steer)) * CAR_MAX_SPEED;
    this.carVX += (target - this.carVX) * Math.min(1, 12 * dt);
    const min = CAR_W / 2 + 10;
    const max = ROAD_W - CAR_W / 2 - 10;
    this.carX += this.carVX * dt;
    if (this.carX < min || this.carX > max) {
      this.carX = Math.max(min, Math.min(max, this.carX));
      this.carVX = 0;
    }
  }

  private updateGauge(dt: number): void {
    this.driftTimer -= dt;
    if (this.driftTimer <= 0) {
      this.driftTimer = this.gaugeRng.range(2.5, 5);
      const difficulty = 1 + Math.min(this.time / 150, 1.2);
      this.drift = this.gaugeRng.range(-8, 10) * difficulty;
    }
    let g = this.glucose + this.drift * dt * (this.steady > 0 ? 0.3 : 1);
    if (this.pendingRise > 0) {
      const rise = this.pendingRise * Math.min(1, 2.2 * dt);
      g += rise;
      this.pendingRise -= rise;
      if (this.pendingRise < 0.05) this.pendingRise = 0;
    }
    if (this.steady > 0) {
      this.steady -= dt;
      g += (STEADY_TARGET - g) * Math.min(1, 0.6 * dt);
    }
    this.glucose = Math.max(GAUGE_MIN, Math.min(GAUGE_MAX, g));
    const zone = gaugeZone(this.glucose, this.rules);
    if (zone !== this.zone) {
      this.zone = zone;
      this.listener.zoneChange(zone);
    }
  }

  private loseLife(zone: GaugeZone): void {
    this.lives -= 1;
    this.outOfRange = 0;
    this.glucose = STEADY_TARGET;
    this.pendingRise = 0;
    this.drift = 0;
    this.driftTimer = 2;
    this.zone = 'in-range';
    if (this.lives <= 0) {
      this.lives = 0;
      this.over = true;
      this.overReason = 'lives';
    }
    this.listener.lifeLost(zone, this.lives);
  }

  private spawn(factor: number): void {
    const s = this.sequence.next(factor, this.time);
    this.spawnTimer += s.gap;
    if (this.spawnTimer < MIN_SPAWN_GAP) this.spawnTimer = MIN_SPAWN_GAP;
    this.place(s.kind, s.lane, s.offset);
    if (s.pair) this.place(s.kind2, s.lane2, s.offset2);
  }

  private place(kind: ItemKind, lane: number, offset: number): void {
    for (const item of this.items) {
      if (item.active) continue;
      item.active = true;
      item.kind = kind;
      item.healthy = ITEMS[kind].healthy;
      item.x = lane * LANE_W + LANE_W / 2 + offset;
      item.y = -ITEM_R * 2;
      item.age = 0;
      return;
    }
  }

  private moveItems(dt: number): void {
    const halfW = CAR_W / 2;
    const halfH = CAR_H / 2;
    const reach = ITEM_R * 0.85;
    for (const item of this.items) {
      if (!item.active) continue;
      item.y += this.speed * dt;
      item.age += dt;
      if (item.y > VIEW_H + ITEM_R * 2) {
        item.active = false;
        continue;
      }
      const dx = Math.max(Math.abs(item.x - this.carX) - halfW, 0);
      const dy = Math.max(Math.abs(item.y - CAR_Y) - halfH, 0);
      if (dx * dx + dy * dy < reach * reach) {
        item.active = false;
        this.collect(item);
      }
    }
  }

  private collect(item: Item): void {
    const zoneBefore = this.zone;
    if (item.healthy) {
      this.healthy += 1;
      this.score += HEALTHY_BONUS;
      this.steady = STEADY_SECONDS;
      this.pendingRise *= 0.4;
      this.drift *= 0.3;
    } else {
      this.sugary += 1;
      this.pendingRise += ITEMS[item.kind].spike;
    }
    this.listener.collect(item.kind, item.x, item.y, zoneBefore);
  }
}
