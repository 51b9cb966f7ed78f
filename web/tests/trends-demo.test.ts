import { describe, expect, it } from 'vitest';
import { DEMO_DAYS, READINGS_PER_DAY, generateDemoReadings, mulberry32 } from '../src/trends/demo-data';

const END = Date.UTC(2026, 10, 27, 18, 43, 12, 345);

describe('demo data', () => {
  const readings = generateDemoReadings({ end: END, seed: 42 });

  it('is the same for the same seed and different for another', () => {
    expect(generateDemoReadings({ end: END, seed: 42 })).toEqual(readings);
    const other = generateDemoReadings({ end: END, seed: 43 });
    expect(other.map((r) => r.mg_dl)).not.toEqual(readings.map((r) => r.mg_dl));
    expect(other.map((r) => r.at)).toEqual(readings.map((r) => r.at));
  });

  it('has 288 readings a day, 5 minutes apart, the last one at the end time', () => {
    expect(READINGS_PER_DAY).toBe(288);
    expect(readings).toHaveLength(DEMO_DAYS * 288);
    expect(generateDemoReadings({ end: END, days: 3 })).toHaveLength(3 * 288);
    expect(readings.at(-1)?.at).toBe('2026-11-27T18:43:12Z');
    const times = readings.map((r) => Date.parse(r.at));
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBe(5 * 60_000);
    expect(times[0]).toBe(Date.parse('2026-11-27T18:43:12Z') - (DEMO_DAYS * 288 - 1) * 5 * 60_000);
  });

  it('writes RFC 3339 UTC times and whole mg/dL within 40..400', () => {
    for (const r of readings) {
      expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Number.isInteger(r.mg_dl)).toBe(true);
      expect(r.mg_dl).toBeGreaterThanOrEqual(40);
      expect(r.mg_dl).toBeLessThanOrEqual(400);
    }
  });

  it('looks like a day with diabetes: meal peaks above 180, an occasional low, mostly in range', () => {
    for (const seed of [1, 2, 3, 42, 20_241_127]) {
      const values = generateDemoReadings({ end: END, seed }).map((r) => r.mg_dl);
      const share = (f: (v: number) => boolean): number => values.filter(f).length / values.length;
      expect(share((v) => v > 180)).toBeGreaterThan(0.03);
      expect(share((v) => v < 70)).toBeGreaterThan(0);
      expect(share((v) => v >= 70 && v <= 180)).toBeGreaterThan(0.55);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean).toBeGreaterThan(110);
      expect(mean).toBeLessThan(180);
    }
  });

  it('puts the meal peaks at local meal times: higher after breakfast than before it', () => {
    const zone = 'America/New_York';
    const rs = generateDemoReadings({ end: END, seed: 7, timeZone: zone });
    const hourOf = (at: string): number =>
      Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(Date.parse(at)));
    const meanAt = (hour: number): number => {
      const v = rs.filter((r) => hourOf(r.at) === hour).map((r) => r.mg_dl);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(meanAt(8)).toBeGreaterThan(meanAt(4) + 30);
  });

  it('uses a seedable generator', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
