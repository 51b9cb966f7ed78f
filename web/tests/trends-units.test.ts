import { describe, expect, it } from 'vitest';
import { addDays, dayInZone, formatAgo, formatMinute, formatTime, isDay, minuteOfDay, safeZone } from '../src/trends/time';
import {
  formatCount,
  formatGlucose,
  formatGlucoseNumber,
  formatGlucoseRange,
  formatPercent,
  formatRate,
  formatReading,
  toUnit,
} from '../src/trends/units';

/** The page writes a no-break space between a number and its unit; compare with ordinary spaces. */
const plain = (text: string): string => text.replace(/\u00a0/g, ' ');

describe('glucose units', () => {
  it('converts mg/dL to mmol/L by dividing by 18', () => {
    expect(toUnit(180, 'mg/dL')).toBe(180);
    expect(toUnit(180, 'mmol/L')).toBe(10);
    expect(toUnit(99, 'mmol/L')).toBeCloseTo(5.5);
  });

  it('shows whole mg/dL and mmol/L with one decimal', () => {
    expect(formatGlucoseNumber(142.4, 'mg/dL')).toBe('142');
    expect(formatGlucoseNumber(142, 'mmol/L')).toBe('7.9');
    expect(formatGlucoseNumber(70, 'mmol/L')).toBe('3.9');
    expect(formatGlucoseNumber(54, 'mmol/L')).toBe('3.0');
    expect(formatGlucoseNumber(250, 'mmol/L')).toBe('13.9');
    expect(plain(formatGlucose(142, 'mg/dL'))).toBe('142 mg/dL');
    expect(plain(formatGlucose(180, 'mmol/L'))).toBe('10.0 mmol/L');
  });

  it('keeps number and unit together with a no-break space', () => {
    expect(formatGlucose(142, 'mg/dL')).toBe('142\u00a0mg/dL');
    expect(formatPercent(70)).toBe('70\u00a0%');
  });

  it('formats ranges in either unit', () => {
    expect(plain(formatGlucoseRange(70, 180, 'mg/dL'))).toBe('70–180 mg/dL');
    expect(plain(formatGlucoseRange(70, 180, 'mmol/L'))).toBe('3.9–10.0 mmol/L');
  });

  it('shows Dexcom Low and High as words, not as 39 or 401', () => {
    expect(plain(formatReading({ mg_dl: 39, flag: 'low' }, 'mg/dL'))).toBe('LOW (below 40 mg/dL)');
    expect(plain(formatReading({ mg_dl: 401, flag: 'high' }, 'mmol/L'))).toBe('HIGH (above 22.2 mmol/L)');
    expect(plain(formatReading({ mg_dl: 123, flag: null }, 'mmol/L'))).toBe('6.8 mmol/L');
  });

  it('signs rates of change, in the user unit', () => {
    expect(formatRate(1.4, 'mg/dL')).toBe('+1.4 mg/dL/min');
    expect(formatRate(-2, 'mg/dL')).toBe('−2.0 mg/dL/min');
    expect(formatRate(-1.5, 'mmol/L')).toBe('−0.08 mmol/L/min');
    expect(formatRate(0.01, 'mg/dL')).toBe('0.0 mg/dL/min');
  });

  it('shows percentages with at most one decimal', () => {
    expect(plain(formatPercent(56.666))).toBe('56.7 %');
    expect(plain(formatPercent(70))).toBe('70 %');
    expect(plain(formatPercent(0.04))).toBe('0 %');
    expect(plain(formatPercent(99.96))).toBe('100 %');
  });

  it('groups thousands in counts', () => {
    expect(formatCount(4032)).toBe('4,032');
  });
});

describe('time in the user zone', () => {
  const at = Date.UTC(2026, 10, 27, 23, 30); // 23:30 UTC

  it('finds the local day and minute', () => {
    expect(dayInZone(at, 'UTC')).toBe('2026-11-27');
    expect(dayInZone(at, 'Europe/Berlin')).toBe('2026-11-28'); // 00:30 CET
    expect(dayInZone(at, 'America/Los_Angeles')).toBe('2026-11-27');
    expect(minuteOfDay(at, 'Europe/Berlin')).toBe(30);
    expect(minuteOfDay(at, 'America/Los_Angeles')).toBe(15 * 60 + 30);
    expect(formatTime(at, 'Asia/Kolkata')).toBe('05:00');
  });

  it('falls back to UTC for a zone the browser does not know', () => {
    expect(safeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(safeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(dayInZone(at, 'Mars/Olympus_Mons')).toBe('2026-11-27');
  });

  it('does calendar arithmetic on days', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(isDay('2026-11-27')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('27/11/2026')).toBe(false);
  });

  it('writes minutes as HH:MM and ages in words', () => {
    expect(formatMinute(0)).toBe('00:00');
    expect(formatMinute(485)).toBe('08:05');
    expect(formatMinute(1440)).toBe('00:00');
    const now = Date.UTC(2026, 10, 27, 12, 0);
    expect(formatAgo(now - 20_000, now)).toBe('just now');
    expect(formatAgo(now - 4 * 60_000, now)).toBe('4 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 3 * 86_400_000, now)).toBe('3 days ago');
  });
});
