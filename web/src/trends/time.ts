/**
 * Dates and times in the user's time zone (profile setting `time_zone`), with Intl only. Days are plain
 * "YYYY-MM-DD" strings, as the API takes them.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A valid IANA zone: `zone` when the browser knows it, else "UTC". */
export function safeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: safeZone(zone),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock date and time of `instant` in `zone`. */
export function localParts(instant: Date | number, zone: string): LocalParts {
  const parts = partsFormatter(zone).formatToParts(typeof instant === 'number' ? instant : instant.getTime());
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The day ("2026-11-27") that `instant` falls on in `zone`. */
export function dayInZone(instant: Date | number, zone: string): string {
  const p = localParts(instant, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes after local midnight (0..1439) of `instant` in `zone`. */
export function minuteOfDay(instant: Date | number, zone: string): number {
  const p = localParts(instant, zone);
  return p.hour * 60 + p.minute;
}

/** "08:05" for 485. */
export function formatMinute(minute: number): string {
  const m = ((Math.round(minute) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "08:05": the local time of `instant` in `zone` (24-hour clock, as on the charts). */
export function formatTime(instant: Date | number, zone: string): string {
  const p = localParts(instant, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** True for "2026-11-27" that is a real date. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** "2026-11-27" + 1 → "2026-11-28" (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "Thu, 27 Nov 2026". */
export function formatDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** "27 Nov 2026, 08:05" in `zone`. */
export function formatDateTime(instant: Date | number, zone: string): string {
  const day = dayInZone(instant, zone);
  const date = new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  return `${date}, ${formatTime(instant, zone)}`;
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
export function formatAgo(instant: Date | number, now: number = Date.now()): string {
  const ms = now - (typeof instant === 'number' ? instant : instant.getTime());
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
