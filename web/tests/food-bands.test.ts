import { describe, expect, it } from 'vitest';
import { dailyGlBand, dailyGlText, giBadge, giBand, giText, glBadge, glBand, glText } from '../src/food/bands';
import { addDays, dayInZone, daysBetween, isDay, timeInZone, zonedToUtc } from '../src/food/dates';
import { eatenAt, mealForTime } from '../src/food/add-form';

describe('GI bands (low ≤ 55, medium 56–69, high ≥ 70)', () => {
  it.each([
    [0, 'low'],
    [55, 'low'],
    [55.4, 'low'],
    [55.5, 'medium'],
    [56, 'medium'],
    [69, 'medium'],
    [69.6, 'high'],
    [70, 'high'],
    [110, 'high'],
  ] as const)('GI %s is %s', (gi, band) => {
    expect(giBand(gi)).toBe(band);
  });

  it('has no band without a GI', () => {
    expect(giBand(null)).toBeNull();
    expect(giBand(Number.NaN)).toBeNull();
  });

  it('says the band in words with the value', () => {
    expect(giText(36)).toBe('Low GI 36');
    expect(giText(62)).toBe('Medium GI 62');
    expect(giText(73)).toBe('High GI 73');
    expect(giText(null)).toBe('No GI');
    // The server's category wins when it is given.
    expect(giText(55, 'low')).toBe('Low GI 55');
  });

  it('draws a badge whose text and class carry the band', () => {
    const badge = giBadge(73);
    expect(badge.textContent).toBe('High GI 73');
    expect(badge.className).toContain('band--high');
    expect(badge.dataset['band']).toBe('high');
    expect(giBadge(null).className).toContain('band--none');
  });
});

describe('GL bands per serving (low ≤ 10, medium 11–19, high ≥ 20)', () => {
  it.each([
    [0, 'low'],
    [10, 'low'],
    [10.4, 'low'],
    [10.5, 'medium'],
    [19, 'medium'],
    [19.5, 'high'],
    [20, 'high'],
  ] as const)('GL %s is %s', (gl, band) => {
    expect(glBand(gl)).toBe(band);
  });

  it('labels GL with one decimal at most', () => {
    expect(glText(7.5)).toBe('Low GL 7.5');
    expect(glText(12)).toBe('Medium GL 12');
    expect(glText(32.1)).toBe('High GL 32.1');
    expect(glText(null)).toBe('No GL');
    expect(glBadge(null).textContent).toBe('No GL');
  });
});

describe('daily GL bands (low < 80, medium 80–120, high > 120)', () => {
  it.each([
    [0, 'low'],
    [79.9, 'low'],
    [80, 'medium'],
    [120, 'medium'],
    [120.1, 'high'],
  ] as const)('a day with GL %s is %s', (gl, band) => {
    expect(dailyGlBand(gl)).toBe(band);
  });

  it('explains the band', () => {
    expect(dailyGlText('low')).toBe('Low for a day (under 80)');
    expect(dailyGlText('medium')).toBe('Medium for a day (80–120)');
    expect(dailyGlText('high')).toBe('High for a day (over 120)');
  });
});

describe('days and times in the user’s time zone', () => {
  it('checks and steps calendar days', () => {
    expect(isDay('2026-11-27')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('27/11/2026')).toBe(false);
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-27', -13)).toBe('2026-11-14');
    expect(daysBetween('2026-11-14', '2026-11-27')).toBe(13);
  });

  it('turns a wall-clock time into UTC', () => {
    expect(zonedToUtc('2026-11-27', '08:30', 'UTC')).toBe('2026-11-27T08:30:00Z');
    expect(zonedToUtc('2026-11-27', '08:30', 'America/Los_Angeles')).toBe('2026-11-27T16:30:00Z'); // PST
    expect(zonedToUtc('2026-07-01', '08:30', 'America/Los_Angeles')).toBe('2026-07-01T15:30:00Z'); // PDT
    expect(zonedToUtc('2026-11-27', '00:15', 'Asia/Kolkata')).toBe('2026-11-26T18:45:00Z');
    expect(zonedToUtc('2026-11-27', '23:59', 'Pacific/Auckland')).toBe('2026-11-27T10:59:00Z'); // NZDT +13
  });

  it('handles the daylight-saving gap and overlap', () => {
    // 2026-03-08 02:30 does not exist in Los Angeles: it becomes 03:30 PDT.
    expect(zonedToUtc('2026-03-08', '02:30', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00Z');
    // 2026-11-01 01:30 happens twice: the first one (PDT) is chosen.
    expect(zonedToUtc('2026-11-01', '01:30', 'America/Los_Angeles')).toBe('2026-11-01T08:30:00Z');
    // Berlin falls back at 03:00 CEST on 2026-10-25: 02:30 happens at 00:30Z and 01:30Z.
    expect(zonedToUtc('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00Z');
  });

  it('reads the day and time of an instant in a zone', () => {
    expect(dayInZone('2026-11-27T06:00:00Z', 'America/Los_Angeles')).toBe('2026-11-26');
    expect(timeInZone('2026-11-27T06:05:00Z', 'America/Los_Angeles')).toBe('22:05');
    expect(timeInZone('2026-11-27T00:00:00Z', 'UTC')).toBe('00:00');
    expect(dayInZone('2026-11-26T18:45:00Z', 'Asia/Kolkata')).toBe('2026-11-27');
  });
});

describe('add-food defaults', () => {
  it('suggests the meal for the time of day', () => {
    expect(mealForTime('07:15')).toBe('breakfast');
    expect(mealForTime('12:45')).toBe('lunch');
    expect(mealForTime('16:00')).toBe('snack');
    expect(mealForTime('19:30')).toBe('dinner');
    expect(mealForTime('23:30')).toBe('snack');
  });

  it('leaves eaten_at out for today without a time, and fills it in otherwise', () => {
    const today = { date: '2026-11-27', today: '2026-11-27', timeZone: 'America/Los_Angeles' };
    expect(eatenAt(today, '', 'lunch')).toBeUndefined();
    expect(eatenAt(today, '07:00', 'breakfast')).toBe('2026-11-27T15:00:00Z');
    const yesterday = { ...today, date: '2026-11-26' };
    expect(eatenAt(yesterday, '', 'breakfast')).toBe('2026-11-26T16:00:00Z'); // 08:00 PST
    expect(eatenAt(yesterday, '21:10', 'snack')).toBe('2026-11-27T05:10:00Z');
  });
});
