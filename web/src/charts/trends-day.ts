/**
 * One day's glucose: the readings as a line over 24 hours (broken where the sensor had a gap), the user's target
 * range shaded, and numbered, labelled markers for diary events and logged meals. The page lists the same readings
 * and markers in tables.
 */
import type { Plugin, TooltipItem } from 'chart.js';
import type { Reading } from '../api/cgm';
import { formatTime } from '../trends/time';
import { formatReading, toUnit, type GlucoseUnit } from '../trends/units';
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

/** A marker on the day chart: a number badge at the top, a dashed line down, and a short label. */
export interface DayMarker {
  /** Minutes after local midnight. */
  minute: number;
  /** Shown in the badge; the page's list uses the same number. */
  number: number;
  /** Short text beside the badge, e.g. "Lunch" or "Insulin 4 u". */
  label: string;
  color: string;
}

export interface DayChartOptions {
  readings: readonly Reading[];
  /** Minutes after local midnight for each reading (same order). */
  minutes: readonly number[];
  unit: GlucoseUnit;
  timeZone: string;
  targetLow: number;
  targetHigh: number;
  markers: readonly DayMarker[];
}

interface DayPoint {
  x: number;
  y: number | null;
  reading: Reading | null;
}

/** A gap longer than this (minutes) breaks the line. */
export const GAP_MINUTES = 15;

/** The points to draw: one per reading, and a break (y = null) wherever readings are more than 15 minutes apart. */
export function dayPoints(readings: readonly Reading[], minutes: readonly number[], unit: GlucoseUnit): DayPoint[] {
  const out: DayPoint[] = [];
  let previous: number | null = null;
  readings.forEach((reading, i) => {
    const x = minutes[i] ?? 0;
    if (previous !== null && x - previous > GAP_MINUTES) out.push({ x: (x + previous) / 2, y: null, reading: null });
    out.push({ x, y: toUnit(reading.mg_dl, unit), reading });
    previous = x;
  });
  return out;
}

const BADGE = 9; // badge radius, px
const ROW = 22; // height of one row of badges, px
const ROWS = 2;

/** Numbered badges in a strip above the plot (two staggered rows, so close markers stay readable). */
function markersPlugin(markers: readonly DayMarker[]): Plugin<'line'> {
  return {
    id: 'dayMarkers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales['x'];
      if (!x || !chartArea || markers.length === 0) return;
      ctx.save();
      ctx.font = `600 12px ${getComputedStyle(chart.canvas).fontFamily || 'sans-serif'}`;
      const rowEnds = new Array<number>(ROWS).fill(-Infinity);
      for (const marker of [...markers].sort((a, b) => a.minute - b.minute)) {
        const px = x.getPixelForValue(marker.minute);
        const textWidth = ctx.measureText(marker.label).width;
        const fullWidth = BADGE * 2 + 4 + textWidth;
        // The first row where the badge and its label fit; else the emptier row, badge only.
        let row = rowEnds.findIndex((end) => px - BADGE > end + 4);
        let withText = row >= 0 && px + fullWidth - BADGE <= chartArea.right;
        if (row < 0) {
          row = rowEnds[0]! <= rowEnds[1]! ? 0 : 1;
          withText = false;
        }
        const cy = chartArea.top - ROWS * ROW + row * ROW + ROW / 2;
        rowEnds[row] = px + (withText ? fullWidth - BADGE : BADGE);

        ctx.strokeStyle = marker.color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, cy + BADGE);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        ctx.setLineDash([]);

        ctx.fillStyle = marker.color;
        ctx.beginPath();
        ctx.arc(px, cy, BADGE, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = '#fff';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(String(marker.number), px, cy + 0.5);
        if (withText) {
          ctx.fillStyle = COLORS.text;
          ctx.textAlign = 'left';
          ctx.fillText(marker.label, px + BADGE + 4, cy + 0.5);
        }
      }
      ctx.restore();
    },
  };
}

export function renderDayChart(canvas: HTMLCanvasElement, options: DayChartOptions): Chart<'line', DayPoint[]> {
  applyChartDefaults();
  const { unit, timeZone } = options;
  const data = dayPoints(options.readings, options.minutes, unit);
  const max = axisMaxMgdl(options.readings.map((r) => r.mg_dl));
  const lowU = toUnit(options.targetLow, unit);
  const highU = toUnit(options.targetHigh, unit);
  const pointColor = (y: number | null): string =>
    y === null ? COLORS.line : y < lowU ? COLORS.low : y > highU ? COLORS.high : COLORS.line;

  return new Chart<'line', DayPoint[]>(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Glucose',
          data,
          borderColor: COLORS.line,
          borderWidth: 2,
          tension: 0.25,
          spanGaps: false,
          pointRadius: data.length > 150 ? 1.5 : 2.5,
          pointHoverRadius: 5,
          pointHitRadius: 6,
          pointBackgroundColor: (ctx) => pointColor((ctx.raw as DayPoint | undefined)?.y ?? null),
          pointBorderWidth: 0,
          fill: false,
        },
      ],
    },
    plugins: [targetBandPlugin(options.targetLow, options.targetHigh, unit), markersPlugin(options.markers)],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: animationOption(),
      parsing: false,
      normalized: true,
      layout: { padding: { top: options.markers.length > 0 ? ROWS * ROW + 4 : 8 } },
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: { x: timeOfDayAxis(), y: glucoseAxis(unit, max, options.targetLow, options.targetHigh) },
      plugins: {
        tooltip: {
          filter: (item) => (item.raw as DayPoint).reading !== null,
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const r = (items[0]?.raw as DayPoint | undefined)?.reading;
              return r ? formatTime(Date.parse(r.at), timeZone) : '';
            },
            label: (item: TooltipItem<'line'>) => {
              const r = (item.raw as DayPoint).reading;
              return r ? formatReading(r, unit) : '';
            },
          },
        },
      },
    },
  });
}
