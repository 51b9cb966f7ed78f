/**
 * Chart.js set-up shared by the Trends charts: registers only what they use (line charts on linear scales, the
 * filler for the AGP bands, tooltips), the look (colours, font), reduced motion, the time-of-day x axis, the
 * glucose y axis in the user's unit, and a plugin that shades the target range.
 */
import {
  Chart,
  Filler,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type Plugin,
  type Scale,
  type ScaleOptions,
} from 'chart.js';
import { formatMinute } from '../trends/time';
import { LIMITS, toUnit, type GlucoseUnit } from '../trends/units';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip);

export { Chart };

/** Canvas colours (the same palette as styles.css; each line or band also has a text label). */
export const COLORS = {
  text: '#0f1b2d',
  muted: '#4a5568',
  grid: '#e2e8f0',
  target: 'rgb(21 128 61 / 12%)',
  targetEdge: '#15803d',
  outer: 'rgb(67 56 202 / 16%)',
  inner: 'rgb(67 56 202 / 38%)',
  median: '#312e81',
  line: '#1e2f5a',
  low: '#b91c1c',
  high: '#a16207',
} as const;

let styled = false;

/** Fonts and default colours, once, from the page. */
export function applyChartDefaults(): void {
  if (styled) return;
  styled = true;
  const family = typeof document !== 'undefined' ? getComputedStyle(document.body).fontFamily : '';
  if (family) Chart.defaults.font.family = family;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = COLORS.muted;
}

/** True when the visitor asked for less motion: charts then appear without animation. */
export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-reduced-motion: reduce)').matches
    : false;
}

export function animationOption(): false | { duration: number } {
  return prefersReducedMotion() ? false : { duration: 350 };
}

/** The x axis: minutes after local midnight, labelled every 3 hours ("00:00" … "24:00"). */
export function timeOfDayAxis(): ScaleOptions<'linear'> {
  return {
    type: 'linear',
    min: 0,
    max: 1440,
    grid: { color: COLORS.grid },
    border: { display: false },
    ticks: {
      stepSize: 180,
      autoSkip: true,
      maxRotation: 0,
      callback: (value) => (Number(value) >= 1440 ? '24:00' : formatMinute(Number(value))),
    },
  };
}

/**
 * The glucose axis in the user's unit, from 40 mg/dL to `maxMgdl`, with ticks at the edges of the shaded target
 * range (the user's, 70 and 180 by default), at 54 and 250 (the consensus "very" limits) and at the top.
 */
export function glucoseAxis(unit: GlucoseUnit, maxMgdl: number, targetLow: number = LIMITS.low, targetHigh: number = LIMITS.high): ScaleOptions<'linear'> {
  // In mmol/L the top is a round number (17, 20) rather than 16.7 or 19.4; 22.2 is the sensor's top (400).
  const top = unit === 'mmol/L' && maxMgdl < 400 ? Math.ceil(maxMgdl / 18) * 18 : maxMgdl;
  const ticks = [LIMITS.veryLow, targetLow, targetHigh, LIMITS.veryHigh, top]
    .filter((v, i, all) => v > 40 && v <= top && all.indexOf(v) === i)
    .sort((a, b) => a - b);
  return {
    type: 'linear',
    min: toUnit(40, unit),
    max: toUnit(top, unit),
    grid: { color: COLORS.grid },
    border: { display: false },
    title: { display: true, text: unit, color: COLORS.muted },
    afterBuildTicks: (axis: Scale) => {
      // Labels closer than 20 px would overlap: drop the second of such a pair (never a target edge).
      const pxPerMgdl = axis.maxHeight / (top - 40);
      const shown: number[] = [];
      for (const v of ticks) {
        const previous = shown[shown.length - 1];
        if (previous !== undefined && (v - previous) * pxPerMgdl < 20) {
          const keepNew = v === targetLow || v === targetHigh;
          if (!keepNew) continue;
          if (previous !== targetLow && previous !== targetHigh) shown.pop();
        }
        shown.push(v);
      }
      axis.ticks = shown.map((mgdl) => ({ value: toUnit(mgdl, unit) }));
    },
    ticks: {
      callback: (value: number | string) => (unit === 'mmol/L' ? Number(value).toFixed(1) : String(Math.round(Number(value)))),
    },
  };
}

/** The top of the glucose axis: 300 mg/dL, 350 or 400 (the sensor's top), whichever first holds every value. */
export function axisMaxMgdl(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  return max <= 300 ? 300 : max <= 350 ? 350 : 400;
}

/** Shades the target range (in mg/dL; converted for the chart's unit) behind the data, with dashed edges. */
export function targetBandPlugin(lowMgdl: number, highMgdl: number, unit: GlucoseUnit): Plugin<'line'> {
  return {
    id: 'targetBand',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales['y'];
      if (!y || !chartArea) return;
      const top = Math.max(chartArea.top, y.getPixelForValue(toUnit(highMgdl, unit)));
      const bottom = Math.min(chartArea.bottom, y.getPixelForValue(toUnit(lowMgdl, unit)));
      ctx.save();
      ctx.fillStyle = COLORS.target;
      ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
      ctx.strokeStyle = COLORS.targetEdge;
      ctx.lineWidth = 1;
      ctx.setLineDash([5, 4]);
      for (const edge of [top, bottom]) {
        ctx.beginPath();
        ctx.moveTo(chartArea.left, edge);
        ctx.lineTo(chartArea.right, edge);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}
