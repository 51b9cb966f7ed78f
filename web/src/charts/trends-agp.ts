/**
 * The ambulatory glucose profile (AGP) chart: per 15-minute bin of the day, the 5–95 % band, the 25–75 % band
 * and the median line, over the user's target range. The numbers come from the server (GET
 * /api/pin_dexcom/trends → agp); the page also lists them in a table.
 */
import type { TooltipItem } from 'chart.js';
import type { AgpBin } from '../api/cgm';
import { formatMinute } from '../trends/time';
import { formatGlucose, toUnit, type GlucoseUnit } from '../trends/units';
import {
  COLORS,
  Chart,
  animationOption,
  applyChartDefaults,
  axisMaxMgdl,
  glucoseAxis,
  targetBandPlugin,
  timeOfDayAxis,
} from './trends-common';

export interface AgpChartOptions {
  bins: readonly AgpBin[];
  unit: GlucoseUnit;
  targetLow: number;
  targetHigh: number;
  /** Minutes per bin (the server's is 15). */
  binMinutes?: number;
}

interface AgpPoint {
  x: number;
  y: number;
  mgdl: number;
  minute: number;
}

/** The series to draw, highest first, with the label a tooltip shows. */
export const AGP_SERIES = [
  { key: 'p95', label: '95th percentile' },
  { key: 'p75', label: '75th percentile' },
  { key: 'p50', label: 'Median' },
  { key: 'p25', label: '25th percentile' },
  { key: 'p5', label: '5th percentile' },
] as const;

export function renderAgpChart(canvas: HTMLCanvasElement, options: AgpChartOptions): Chart<'line', AgpPoint[]> {
  applyChartDefaults();
  const { bins, unit } = options;
  const half = (options.binMinutes ?? 15) / 2;
  const series = (key: (typeof AGP_SERIES)[number]['key']): AgpPoint[] =>
    bins.map((b) => ({ x: b.minute + half, y: toUnit(b[key], unit), mgdl: b[key], minute: b.minute }));
  const max = axisMaxMgdl(bins.map((b) => b.p95));
  const binMinutes = options.binMinutes ?? 15;

  const line = (key: (typeof AGP_SERIES)[number]['key'], label: string) => {
    const base = { label, data: series(key), pointRadius: 0, pointHitRadius: 6, tension: 0.35, borderWidth: 1 };
    switch (key) {
      case 'p95': // fills down to the 5th percentile (dataset 4)
        return { ...base, borderColor: COLORS.outer, backgroundColor: COLORS.outer, fill: 4 };
      case 'p75': // fills down to the 25th percentile (dataset 3)
        return { ...base, borderColor: COLORS.inner, backgroundColor: COLORS.inner, fill: 3 };
      case 'p50':
        return { ...base, borderColor: COLORS.median, backgroundColor: COLORS.median, borderWidth: 3, fill: false };
      default:
        return { ...base, borderColor: key === 'p25' ? COLORS.inner : COLORS.outer, fill: false };
    }
  };

  return new Chart<'line', AgpPoint[]>(canvas, {
    type: 'line',
    data: { datasets: AGP_SERIES.map((s) => line(s.key, s.label)) },
    plugins: [targetBandPlugin(options.targetLow, options.targetHigh, unit)],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: animationOption(),
      parsing: false,
      normalized: true,
      interaction: { mode: 'index', intersect: false, axis: 'x' },
      scales: { x: timeOfDayAxis(), y: glucoseAxis(unit, max, options.targetLow, options.targetHigh) },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const p = items[0]?.raw as AgpPoint | undefined;
              return p ? `${formatMinute(p.minute)}–${formatMinute(p.minute + binMinutes)}` : '';
            },
            label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatGlucose((item.raw as AgpPoint).mgdl, unit)}`,
          },
        },
      },
    },
  });
}
