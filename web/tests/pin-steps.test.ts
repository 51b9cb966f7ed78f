import { describe, expect, it } from 'vitest';
import { formatMinutes, outOfOrderMessage, shuffled, STEP_ORDER, StepSequence, stepsFor } from '../src/pin/steps';
import { seededRandom } from '../src/pin/obstacles';

describe('the application routine', () => {
  it('has six steps in order, the warm-up from the model (G6 2 hours, G7 30 minutes)', () => {
    const g6 = stepsFor('g6', 'Dexcom G6', 120);
    expect(g6.map((s) => s.id)).toEqual(['wash', 'clean', 'place', 'press', 'start', 'warmup']);
    expect(g6.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(g6[5]?.label).toBe('Wait for the warm-up: 2 hours');
    expect(stepsFor('g7', 'Dexcom G7', 30)[5]?.label).toBe('Wait for the warm-up: 30 minutes');
    expect(g6[0]?.label).toBe('Wash your hands');
    expect(g6[1]?.label).toMatch(/alcohol wipe/);
    expect(g6[1]?.detail).toMatch(/dry/);
  });

  it('formats minutes', () => {
    expect(formatMinutes(30)).toBe('30 minutes');
    expect(formatMinutes(120)).toBe('2 hours');
    expect(formatMinutes(60)).toBe('1 hour');
    expect(formatMinutes(90)).toBe('1 hour 30 minutes');
    expect(formatMinutes(1)).toBe('1 minute');
    expect(formatMinutes(0)).toBe('0 minutes');
  });

  it('accepts the steps only in order', () => {
    const seq = new StepSequence();
    expect(seq.next()).toBe('wash');
    expect(seq.canPlace()).toBe(false);

    expect(seq.attempt('clean')).toEqual({ ok: false, reason: 'out_of_order', step: 'clean', expected: 'wash' });
    expect(seq.attempt('place')).toEqual({ ok: false, reason: 'out_of_order', step: 'place', expected: 'wash' });
    expect(seq.slips).toBe(2);
    expect(seq.slipsInARow).toBe(2);
    expect(seq.done).toEqual([]);

    expect(seq.attempt('wash')).toEqual({ ok: true, step: 'wash', complete: false });
    expect(seq.slipsInARow).toBe(0);
    expect(seq.attempt('wash')).toEqual({ ok: false, reason: 'already_done', step: 'wash' });
    expect(seq.attempt('clean').ok).toBe(true);
    expect(seq.canPlace()).toBe(true);
    expect(seq.attempt('warmup')).toMatchObject({ ok: false, expected: 'place' });
    for (const step of ['place', 'press', 'start'] as const) expect(seq.attempt(step).ok).toBe(true);
    expect(seq.complete).toBe(false);
    expect(seq.attempt('warmup')).toEqual({ ok: true, step: 'warmup', complete: true });
    expect(seq.complete).toBe(true);
    expect(seq.next()).toBeNull();
    expect(seq.slips).toBe(3);
    expect(seq.done).toEqual(STEP_ORDER);
  });

  it('says which step it is and, after two slips in a row, what comes next', () => {
    const steps = stepsFor('g7', 'Dexcom G7', 30);
    const [wash, , , , start] = steps;
    if (!wash || !start) throw new Error('steps');
    expect(outOfOrderMessage(start, wash, 1)).toBe('Not yet: “Start the sensor in the app” is step 5. You are on step 1 of 6.');
    expect(outOfOrderMessage(start, wash, 2)).toMatch(/Hint: next is “Wash your hands”\.$/);
  });

  it('shuffles every step exactly once, the same way for the same seed', () => {
    const a = shuffled(STEP_ORDER, seededRandom(7));
    expect([...a].sort()).toEqual([...STEP_ORDER].sort());
    expect(shuffled(STEP_ORDER, seededRandom(7))).toEqual(a);
  });
});
