/**
 * Calendar days (YYYY-MM-DD) and wall-clock times in the user's time zone (the IANA name the server sends with
 * every day). The food log is kept in days of that zone, which need not be the browser's.
 */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const m = DAY_RE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** "2026-11-27" + 1 → "2026-11-28" (calendar arithmetic, no time zone involved). */
export function addDays(day: string, delta: number): string {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + delta));
  return date.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, timeZone: string): WallClock {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: (parts['hour'] ?? 0) % 24,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (e.g. −8 h for Los Angeles in winter). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant of wall-clock `time` ("HH:MM") on `day` in `timeZone`, as RFC 3339 ("2026-11-27T16:30:00Z").
 * In a spring-forward gap the later offset wins (02:30 that does not exist becomes 03:30); in a fall-back overlap
 * the first of the two moments is chosen.
 */
export function zonedToUtc(day: string, time: string, timeZone: string): string {
  const d = DAY_RE.exec(day);
  const t = TIME_RE.exec(time);
  if (!d || !t) throw new Error(`bad day or time: ${day} ${time}`);
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // The offsets a day before and after cover both sides of any DST change near this time.
  const before = zoneOffsetMs(wall - 86_400_000, timeZone);
  const after = zoneOffsetMs(wall + 86_400_000, timeZone);
  const valid = [before, after].map((offset) => wall - offset).filter((t, i) => zoneOffsetMs(t, timeZone) === [before, after][i]);
  // Neither fits: the time falls in a spring-forward gap; the offset from before the change moves it later.
  const instant = valid.length > 0 ? Math.min(...valid) : wall - before;
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar day of an RFC 3339 instant in `timeZone`. */
export function dayInZone(iso: string, timeZone: string): string {
  const w = wallClock(Date.parse(iso), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall-clock "HH:MM" of an RFC 3339 instant in `timeZone` (the value of an `<input type="time">`). */
export function timeInZone(iso: string, timeZone: string): string {
  const w = wallClock(Date.parse(iso), timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** "8:30 AM" or "08:30", as the reader's locale writes times, in `timeZone`. */
export function displayTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "Friday, 27 November 2026" in the reader's locale (the day itself, no zone shift). */
export function displayDay(day: string, style: 'long' | 'short' = 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
      : { timeZone: 'UTC', day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(`${day}T12:00:00Z`));
}

/** A usual time for a meal, used when an entry for another day is added without a time. */
export const MEAL_TIMES = { breakfast: '08:00', lunch: '12:30', dinner: '18:30', snack: '15:30' } as const;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
