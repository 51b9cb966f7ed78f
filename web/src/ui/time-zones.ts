/** IANA time zones for the profile's picker, from the browser's own list (`Intl.supportedValuesOf`). */

/** Used when the browser cannot list its zones (old engines). */
const FALLBACK_ZONES = [
  'Africa/Johannesburg',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Europe/Berlin',
  'Europe/London',
  'Pacific/Auckland',
];

let cached: readonly string[] | null = null;

/** "UTC" first, then every zone the browser knows, sorted. */
export function timeZones(): readonly string[] {
  if (cached) return cached;
  let zones: string[];
  try {
    zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : FALLBACK_ZONES;
  } catch {
    zones = FALLBACK_ZONES;
  }
  cached = ['UTC', ...[...new Set(zones)].filter((zone) => zone !== 'UTC').sort()];
  return cached;
}

/** The device's zone (e.g. "Europe/Berlin"), or null when the browser does not say. */
export function browserTimeZone(): string | null {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && zone.length > 0 ? zone : null;
  } catch {
    return null;
  }
}

/** "America/Los_Angeles" → "America/Los Angeles (GMT-7)"; the offset is left out where the browser cannot name it. */
export function timeZoneLabel(zone: string, at: Date = new Date()): string {
  const name = zone.replace(/_/g, ' ');
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part ? `${name} (${part.value})` : name;
  } catch {
    return name;
  }
}

/** Zones whose name or label contains every word of `query` (case-insensitive; "los ang", "new_york", "gmt+2"). */
export function filterTimeZones(zones: readonly string[], query: string, label: (zone: string) => string = timeZoneLabel): string[] {
  const words = query.toLowerCase().replace(/_/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...zones];
  return zones.filter((zone) => {
    const haystack = `${zone.replace(/_/g, ' ')} ${label(zone)}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
