/** What every part of the Trends page needs to know about the signed-in user: unit, time zone, target range. */
import type { User } from '../api/accounts';
import { safeZone } from './time';
import type { GlucoseUnit } from './units';

export interface TrendsContext {
  unit: GlucoseUnit;
  /** IANA zone from the profile (UTC when the browser does not know it). */
  zone: string;
  /** The user's own target range in mg/dL (profile), for the shaded band on the charts. */
  targetLow: number;
  targetHigh: number;
}

export function contextFor(user: User): TrendsContext {
  const s = user.settings;
  const low = Number.isFinite(s.target_low_mg_dl) ? s.target_low_mg_dl : 70;
  const high = Number.isFinite(s.target_high_mg_dl) && s.target_high_mg_dl > low ? s.target_high_mg_dl : 180;
  return {
    unit: s.glucose_unit === 'mmol/L' ? 'mmol/L' : 'mg/dL',
    zone: safeZone(s.time_zone || 'UTC'),
    targetLow: low,
    targetHigh: high,
  };
}

/** Capitalises the first letter of a server message ("less than 70% …" → "Less than 70% …"). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const withCap = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(withCap) ? withCap : `${withCap}.`;
}
