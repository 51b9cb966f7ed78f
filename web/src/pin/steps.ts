/**
 * The application routine the player puts in order each round: wash hands, clean the site, place the sensor,
 * press the applicator, start the sensor in the app, wait for the warm-up. Pure: no DOM.
 */
import type { CgmModel } from '../api/accounts';

export type StepId = 'wash' | 'clean' | 'place' | 'press' | 'start' | 'warmup';

export const STEP_ORDER: readonly StepId[] = ['wash', 'clean', 'place', 'press', 'start', 'warmup'];

export interface Step {
  id: StepId;
  /** 1-based position in the routine. */
  number: number;
  /** Short, on the button. */
  label: string;
  /** One sentence of how. */
  detail: string;
}

/** "30 minutes", "2 hours", "1 hour 30 minutes". */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const h = hours > 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : '';
  const m = rest > 0 || hours === 0 ? `${rest} minute${rest === 1 ? '' : 's'}` : '';
  return [h, m].filter(Boolean).join(' ');
}

/** The six steps for a model; `warmUpMinutes` comes from the sites answer's `models`. */
export function stepsFor(model: CgmModel, modelName: string, warmUpMinutes: number): Step[] {
  const warm = formatMinutes(warmUpMinutes);
  const text: Record<StepId, [string, string]> = {
    wash: ['Wash your hands', 'Soap and warm water, then dry them well.'],
    clean: ['Clean the site with an alcohol wipe', 'Let the skin dry completely before the sensor goes on.'],
    place: ['Place the sensor', `Put the ${modelName} on an approved site for this model and age.`],
    press: [
      model === 'g6' ? 'Press the applicator button' : 'Press the applicator down firmly',
      'Then press firmly all around the patch so it sticks well.',
    ],
    start: ['Start the sensor in the app', 'Pair the sensor in the Dexcom app so it can send readings.'],
    warmup: [`Wait for the warm-up: ${warm}`, `A ${modelName} needs ${warm} before the first reading.`],
  };
  return STEP_ORDER.map((id, index) => ({ id, number: index + 1, label: text[id][0], detail: text[id][1] }));
}

export type StepResult =
  | { ok: true; step: StepId; complete: boolean }
  | { ok: false; reason: 'out_of_order'; step: StepId; expected: StepId }
  | { ok: false; reason: 'already_done'; step: StepId }
  | { ok: false; reason: 'finished'; step: StepId };

/** Keeps the routine in order: a step is done only when every step before it is. */
export class StepSequence {
  private readonly completed: StepId[] = [];
  /** Out-of-order tries this round. */
  slips = 0;
  /** Out-of-order tries since the last step done (for hints). */
  slipsInARow = 0;

  /** The step to do next, or null when the routine is complete. */
  next(): StepId | null {
    return STEP_ORDER[this.completed.length] ?? null;
  }

  /** 1-based number of the next step (7 when complete). */
  nextNumber(): number {
    return this.completed.length + 1;
  }

  isDone(step: StepId): boolean {
    return this.completed.includes(step);
  }

  get done(): readonly StepId[] {
    return this.completed;
  }

  get complete(): boolean {
    return this.completed.length === STEP_ORDER.length;
  }

  /** True when the sensor may be placed now (hands washed, site cleaned, not placed yet). */
  canPlace(): boolean {
    return this.next() === 'place';
  }

  /** Tries to do `step` now. */
  attempt(step: StepId): StepResult {
    if (this.isDone(step)) return { ok: false, reason: 'already_done', step };
    const expected = this.next();
    if (expected === null) return { ok: false, reason: 'finished', step };
    if (step !== expected) {
      this.slips += 1;
      this.slipsInARow += 1;
      return { ok: false, reason: 'out_of_order', step, expected };
    }
    this.completed.push(step);
    this.slipsInARow = 0;
    return { ok: true, step, complete: this.complete };
  }
}

/** The sentence shown (and announced) when a step is tried out of order. */
export function outOfOrderMessage(tried: Step, expected: Step, slipsInARow: number): string {
  const base =
    tried.number > expected.number
      ? `Not yet: “${tried.label}” is step ${tried.number}. You are on step ${expected.number} of 6.`
      : `“${tried.label}” is already done.`;
  return slipsInARow >= 2 ? `${base} Hint: next is “${expected.label}”.` : base;
}

/** A shuffled copy (Fisher–Yates) using `random` in [0, 1). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
