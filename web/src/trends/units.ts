/**
 * Glucose units and number formatting for the Trends page. The API stores and computes in mg/dL; a user who chose
 * mmol/L sees mg/dL / 18 with one decimal (API.md), everywhere: tiles, axes, tooltips and tables.
 */
import type { GlucoseUnit } from '../api/accounts';

export type { GlucoseUnit };

export const MGDL_PER_MMOL = 18;

/** A no-break space: "70 %" and "142 mg/dL" never break between number and unit. */
export const NBSP = '\u00a0';

/** The consensus range limits in mg/dL (International Consensus on Time in Range, 2019). */
export const LIMITS = { veryLow: 54, low: 70, high: 180, veryHigh: 250 } as const;

/** mg/dL → the user's unit, unrounded (for charts). */
export function toUnit(mgdl: number, unit: GlucoseUnit): number {
  return unit === 'mmol/L' ? mgdl / MGDL_PER_MMOL : mgdl;
}

/** A glucose value as text without the unit: whole mg/dL, or mmol/L with one decimal ("7.9"). */
export function formatGlucoseNumber(mgdl: number, unit: GlucoseUnit): string {
  return unit === 'mmol/L' ? (mgdl / MGDL_PER_MMOL).toFixed(1) : String(Math.round(mgdl));
}

/** "142 mg/dL" or "7.9 mmol/L". */
export function formatGlucose(mgdl: number, unit: GlucoseUnit): string {
  return `${formatGlucoseNumber(mgdl, unit)}${NBSP}${unit}`;
}

/** "70–180 mg/dL" or "3.9–10.0 mmol/L". */
export function formatGlucoseRange(lowMgdl: number, highMgdl: number, unit: GlucoseUnit): string {
  return `${formatGlucoseNumber(lowMgdl, unit)}–${formatGlucoseNumber(highMgdl, unit)}${NBSP}${unit}`;
}

/**
 * A stored reading as text. Dexcom exports "Low" and "High" beyond the sensor's range; the server keeps them as
 * 39 and 401 with a flag, which must not read as real numbers.
 */
export function formatReading(reading: { mg_dl: number; flag?: string | null }, unit: GlucoseUnit): string {
  if (reading.flag === 'low' || reading.mg_dl < 40) return `LOW (below ${formatGlucose(40, unit)})`;
  if (reading.flag === 'high' || reading.mg_dl > 400) return `HIGH (above ${formatGlucose(400, unit)})`;
  return formatGlucose(reading.mg_dl, unit);
}

/** A rate of change in the user's unit per minute, signed: "+1.4 mg/dL/min", "−0.08 mmol/L/min". */
export function formatRate(mgdlPerMin: number, unit: GlucoseUnit): string {
  const value = unit === 'mmol/L' ? mgdlPerMin / MGDL_PER_MMOL : mgdlPerMin;
  const digits = unit === 'mmol/L' ? 2 : 1;
  const text = Math.abs(value).toFixed(digits);
  const sign = Number(text) === 0 ? '' : value > 0 ? '+' : '−';
  return `${sign}${text} ${unit}/min`;
}

/** Rounds to one decimal ("56.66" → 56.7). */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A percentage with at most one decimal: 56.7 → "56.7 %", 70 → "70 %", 0.04 → "0 %" (no-break space). */
export function formatPercent(value: number): string {
  const rounded = round1(value);
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}${NBSP}%`;
}

/** 4032 → "4,032". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A limit for labels: "70 mg/dL" / "3.9 mmol/L". */
export function limitLabel(mgdl: number, unit: GlucoseUnit): string {
  return formatGlucose(mgdl, unit);
}
