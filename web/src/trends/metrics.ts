/**
 * The report's metric tiles: each figure from GET /api/pin_dexcom/trends with its consensus target (Battelino et
 * al., International Consensus on Time in Range, Diabetes Care 2019) and whether it meets it, said in words.
 * The server computes every figure; this module only compares them with the targets and formats them.
 */
import type { ConsensusTargets, Trends } from '../api/cgm';
import { LIMITS, formatGlucose, formatGlucoseRange, formatPercent, limitLabel, round1, type GlucoseUnit } from './units';

/** How a figure compares with its target. */
export type Comparison = '>=' | '>' | '<' | '<=';

export interface Target {
  op: Comparison;
  value: number;
}

/** `met` / `not-met` against a target; `info` when the figure has no target; `unknown` when there is no figure. */
export type TileStatus = 'met' | 'not-met' | 'info' | 'unknown';

export interface Tile {
  id: string;
  label: string;
  /** What the figure counts, e.g. "70–180 mg/dL" or "of readings". */
  detail: string;
  value: number | null;
  /** The figure as shown ("56.7 %", "142 mg/dL", "–" when missing). */
  display: string;
  target: Target | null;
  /** "Target: 70 % or more". */
  targetText: string;
  status: TileStatus;
  /** "Meets the target", "Above the target", … (the status in words, never colour alone). */
  statusText: string;
}

/** The targets used when the server does not send them (the consensus values). */
export const DEFAULT_TARGETS: ConsensusTargets = {
  in_range_pct_min: 70,
  low_pct_max: 4,
  very_low_pct_max: 1,
  high_pct_max: 25,
  very_high_pct_max: 5,
  cv_pct_max: 36,
};

/** Consensus: at least 70 % of the possible readings over 14 days. */
export const COVERAGE_TARGET_PCT = 70;

/** Whether `value` meets `target`; null when there is no value. */
export function meetsTarget(value: number | null, target: Target): boolean | null {
  if (value === null || !Number.isFinite(value)) return null;
  switch (target.op) {
    case '>=':
      return value >= target.value;
    case '>':
      return value > target.value;
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
  }
}

/** "Target: 70 % or more", "Target: less than 4 %", "Target: 36 % or less". */
export function targetText(target: Target, format: (v: number) => string = formatPercent): string {
  const value = format(target.value);
  switch (target.op) {
    case '>=':
      return `Target: ${value} or more`;
    case '>':
      return `Target: more than ${value}`;
    case '<':
      return `Target: less than ${value}`;
    case '<=':
      return `Target: ${value} or less`;
  }
}

/** The status of a tile and its words. A "less than" target that is missed reads "Above the target", and so on. */
export function evaluateTile(value: number | null, target: Target | null): { status: TileStatus; text: string } {
  if (value === null || !Number.isFinite(value)) return { status: 'unknown', text: 'No readings yet' };
  if (!target) return { status: 'info', text: 'No target: for information' };
  const met = meetsTarget(value, target);
  if (met) return { status: 'met', text: 'Meets the target' };
  return { status: 'not-met', text: target.op === '<' || target.op === '<=' ? 'Above the target' : 'Below the target' };
}

function tile(
  id: string,
  label: string,
  detail: string,
  value: number | null,
  display: string,
  target: Target | null,
): Tile {
  const { status, text } = evaluateTile(value, target);
  return { id, label, detail, value, display, target, targetText: target ? targetText(target) : '', status, statusText: text };
}

/** Sum of rounded server percentages, rounded again (e.g. low + very low = time below 70). */
function sum(...values: number[]): number {
  return round1(values.reduce((a, b) => a + b, 0));
}

/** The nine tiles of the report, in reading order. */
export function buildTiles(trends: Trends, unit: GlucoseUnit): Tile[] {
  const t = { ...DEFAULT_TARGETS, ...trends.targets };
  const r = trends.ranges;
  const any = trends.readings > 0;
  const pct = (value: number | null): string => (value === null ? '–' : formatPercent(value));
  const pctOrNull = (value: number): number | null => (any ? value : null);

  const inRange = pctOrNull(r.in_range);
  const below70 = pctOrNull(sum(r.low, r.very_low));
  const below54 = pctOrNull(r.very_low);
  const above180 = pctOrNull(sum(r.high, r.very_high));
  const above250 = pctOrNull(r.very_high);
  const mean = trends.mean_mg_dl;
  const gmi = trends.gmi_pct;
  const cv = trends.cv_pct;

  return [
    tile('in-range', 'Time in range', formatGlucoseRange(LIMITS.low, LIMITS.high, unit), inRange, pct(inRange), {
      op: '>=',
      value: t.in_range_pct_min,
    }),
    tile('below-70', 'Time below range', `below ${limitLabel(LIMITS.low, unit)}`, below70, pct(below70), { op: '<', value: t.low_pct_max }),
    tile('below-54', 'Time very low', `below ${limitLabel(LIMITS.veryLow, unit)}`, below54, pct(below54), { op: '<', value: t.very_low_pct_max }),
    tile('above-180', 'Time above range', `above ${limitLabel(LIMITS.high, unit)}`, above180, pct(above180), { op: '<', value: t.high_pct_max }),
    tile('above-250', 'Time very high', `above ${limitLabel(LIMITS.veryHigh, unit)}`, above250, pct(above250), { op: '<', value: t.very_high_pct_max }),
    tile('cv', 'Glucose variability', 'coefficient of variation (CV)', cv, cv === null ? '–' : formatPercent(cv), { op: '<=', value: t.cv_pct_max }),
    tile('gmi', 'GMI', 'glucose management indicator: an estimate of A1C', gmi, gmi === null ? '–' : formatPercent(gmi), null),
    tile('mean', 'Mean glucose', 'average of all readings', mean, mean === null ? '–' : formatGlucose(mean, unit), null),
    tile('coverage', 'Sensor data', 'of the expected 5-minute readings', any ? trends.coverage_pct : null, any ? formatPercent(trends.coverage_pct) : '–', {
      op: '>=',
      value: COVERAGE_TARGET_PCT,
    }),
  ];
}

/** The five bands of the time-in-range bar, highest first (as on the AGP report). */
export interface RangeBand {
  id: 'very_high' | 'high' | 'in_range' | 'low' | 'very_low';
  label: string;
  detail: string;
  pct: number;
}

export function rangeBands(trends: Trends, unit: GlucoseUnit): RangeBand[] {
  const r = trends.ranges;
  const n = (mgdl: number): string => limitLabel(mgdl, unit);
  // Whole mg/dL: "high" is 181–250, "low" 54–69 (10.1–13.9 and 3.0–3.8 mmol/L, as the consensus writes them).
  return [
    { id: 'very_high', label: 'Very high', detail: `above ${n(LIMITS.veryHigh)}`, pct: r.very_high },
    { id: 'high', label: 'High', detail: formatGlucoseRange(LIMITS.high + 1, LIMITS.veryHigh, unit), pct: r.high },
    { id: 'in_range', label: 'In range', detail: formatGlucoseRange(LIMITS.low, LIMITS.high, unit), pct: r.in_range },
    { id: 'low', label: 'Low', detail: formatGlucoseRange(LIMITS.veryLow, LIMITS.low - 1, unit), pct: r.low },
    { id: 'very_low', label: 'Very low', detail: `below ${n(LIMITS.veryLow)}`, pct: r.very_low },
  ];
}
