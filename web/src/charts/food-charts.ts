/**
 * Food log charts (Chart.js, only the pieces used are registered so the bundle stays small):
 *  - daily glycemic load (bars, with the 80 and 120 day bands drawn as lines) and carbohydrate (line, right axis);
 *  - the same days split by meal as stacked bars (GL or carbs).
 * Each canvas has role="img" and an aria-label that sums it up; the same numbers are in a table under a
 * disclosure. Animation is off for prefers-reduced-motion.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { MEALS, type DaySummary, type Meal, type RangeSummary } from '../api/food';
import { dailyGlText, dailyGlBand, num } from '../food/bands';
import { displayDay } from '../food/dates';
import { h } from '../ui/dom';

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

export type MealMetric = 'gl' | 'carbs';

export const COLORS = {
  gl: '#0f766e',
  carbs: '#a16207',
  grid: '#e2e8f0',
  text: '#4a5568',
  bandLine: '#b91c1c',
  meals: { breakfast: '#d97706', lunch: '#0f766e', dinner: '#4338ca', snack: '#be185d' } as Record<Meal, string>,
} as const;

export interface FoodChartData {
  dates: string[];
  labels: string[];
  /** null for a day with nothing logged (a gap, not a zero). */
  gl: (number | null)[];
  carbs: (number | null)[];
  entries: number[];
  meals: Record<MealMetric, Record<Meal, number[]>>;
}

/** The columns the charts and the table share, from the range summary. */
export function chartData(range: RangeSummary): FoodChartData {
  const empty = (): Record<Meal, number[]> => ({ breakfast: [], lunch: [], dinner: [], snack: [] });
  const data: FoodChartData = { dates: [], labels: [], gl: [], carbs: [], entries: [], meals: { gl: empty(), carbs: empty() } };
  for (const day of range.days) {
    data.dates.push(day.date);
    data.labels.push(displayDay(day.date, 'short'));
    data.gl.push(day.entries > 0 ? day.gl : null);
    data.carbs.push(day.entries > 0 ? day.carbs_g : null);
    data.entries.push(day.entries);
    for (const { value } of MEALS) {
      const meal = day.meals.find((m) => m.meal === value);
      data.meals.gl[value].push(meal?.gl ?? 0);
      data.meals.carbs[value].push(meal?.carbs_g ?? 0);
    }
  }
  return data;
}

/** The trend chart's label: what it shows, over which days, and its highest day. */
export function trendLabel(range: RangeSummary): string {
  const days = range.days;
  const span = `${days.length} days, ${displayDay(range.from, 'short')} to ${displayDay(range.to, 'short')}`;
  const logged = days.filter((d) => d.entries > 0);
  if (logged.length === 0) return `Daily glycemic load and carbs, ${span}: nothing logged yet.`;
  const top = logged.reduce((a, b) => (b.gl > a.gl ? b : a));
  return (
    `Bar chart of daily glycemic load with a line for carbs, ${span}. ` +
    `${logged.length} of ${days.length} days have entries; the highest GL was ${num(top.gl)} on ${displayDay(top.date, 'short')}. ` +
    'The numbers are in the table below.'
  );
}

export function mealLabel(metric: MealMetric, range: RangeSummary): string {
  const what = metric === 'gl' ? 'glycemic load' : 'carbs';
  return `Stacked bar chart of ${what} by meal (breakfast, lunch, dinner, snack) for each of the ${range.days.length} days. The numbers are in the table below.`;
}

/** The same numbers as the charts, one row per day (newest first). */
export function dataTable(range: RangeSummary): HTMLTableElement {
  const body = h('tbody');
  for (const day of [...range.days].reverse()) body.append(dayRow(day));
  return h(
    'table',
    { class: 'data-table chart-table' },
    h('caption', undefined, `Daily totals, ${displayDay(range.from, 'short')} to ${displayDay(range.to, 'short')}`),
    h(
      'thead',
      undefined,
      h(
        'tr',
        undefined,
        h('th', { scope: 'col' }, 'Day'),
        h('th', { scope: 'col' }, 'Carbs (g)'),
        h('th', { scope: 'col' }, 'GL'),
        h('th', { scope: 'col' }, 'Day band'),
        ...MEALS.map((m) => h('th', { scope: 'col' }, `${m.label} GL`)),
      ),
    ),
    body,
  );
}

function dayRow(day: DaySummary): HTMLTableRowElement {
  const none = day.entries === 0;
  const cell = (text: string): HTMLTableCellElement => h('td', undefined, none ? '—' : text);
  return h(
    'tr',
    { 'data-date': day.date, class: none ? 'is-empty' : undefined },
    h('th', { scope: 'row' }, displayDay(day.date, 'short')),
    cell(num(day.carbs_g)),
    cell(num(day.gl)),
    cell(dailyGlText(dailyGlBand(day.gl)).replace(/ for a day.*$/, '')),
    ...MEALS.map(({ value }) => cell(num(day.meals.find((m) => m.meal === value)?.gl ?? 0))),
  );
}

/** Dashed lines at daily GL 80 and 120 on the GL axis. */
const bandLines: Plugin<'bar'> = {
  id: 'glucoplayBandLines',
  afterDatasetsDraw(chart) {
    const scale = chart.scales['gl'];
    if (!scale) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = COLORS.bandLine;
    ctx.fillStyle = COLORS.bandLine;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    for (const [value, text] of [[80, 'GL 80'], [120, 'GL 120']] as const) {
      if (value > scale.max) continue;
      const y = scale.getPixelForValue(value);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, y);
      ctx.lineTo(chartArea.right, y);
      ctx.stroke();
      const width = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(chartArea.right - width - 8, y - 17, width + 6, 14);
      ctx.fillStyle = COLORS.bandLine;
      ctx.fillText(text, chartArea.right - 5, y - 5);
    }
    ctx.restore();
  },
};

export function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function baseOptions(): ChartConfiguration<'bar'>['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: prefersReducedMotion() ? false : { duration: 350 },
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 14, boxHeight: 14, color: COLORS.text } },
      tooltip: { callbacks: {} },
    },
  };
}

export interface FoodCharts {
  update(range: RangeSummary): void;
  setMealMetric(metric: MealMetric): void;
  destroy(): void;
}

/** Draws both charts into their canvases (and keeps their aria-labels current). */
export function createFoodCharts(trendCanvas: HTMLCanvasElement, mealCanvas: HTMLCanvasElement, range: RangeSummary, metric: MealMetric = 'gl'): FoodCharts {
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  Chart.defaults.color = COLORS.text;
  let current = range;
  let mealMetric = metric;
  let data = chartData(range);

  const trend = new Chart(trendCanvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { type: 'bar', label: 'Glycemic load', data: data.gl, yAxisID: 'gl', backgroundColor: COLORS.gl, borderRadius: 4, maxBarThickness: 28, order: 2 },
        {
          type: 'line' as 'bar',
          label: 'Carbs (g)',
          data: data.carbs,
          yAxisID: 'carbs',
          borderColor: COLORS.carbs,
          backgroundColor: COLORS.carbs,
          order: 1,
          ...({ borderWidth: 2.5, pointRadius: 3, tension: 0.25 } as object),
        },
      ],
    },
    options: {
      ...baseOptions(),
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
        gl: { type: 'linear', position: 'left', beginAtZero: true, suggestedMax: 130, title: { display: true, text: 'GL' }, grid: { color: COLORS.grid } },
        carbs: { type: 'linear', position: 'right', beginAtZero: true, title: { display: true, text: 'Carbs (g)' }, grid: { display: false } },
      },
    },
    plugins: [bandLines],
  });

  const meals = new Chart(mealCanvas, {
    type: 'bar',
    data: { labels: data.labels, datasets: mealDatasets(data, mealMetric) },
    options: {
      ...baseOptions(),
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: metricTitle(mealMetric) }, grid: { color: COLORS.grid } },
      },
    },
  });

  const label = (): void => {
    trendCanvas.setAttribute('aria-label', trendLabel(current));
    mealCanvas.setAttribute('aria-label', mealLabel(mealMetric, current));
  };
  label();

  return {
    update(next) {
      current = next;
      data = chartData(next);
      trend.data.labels = data.labels;
      const [glSet, carbSet] = trend.data.datasets;
      if (glSet) glSet.data = data.gl;
      if (carbSet) carbSet.data = data.carbs;
      trend.update();
      meals.data.labels = data.labels;
      meals.data.datasets = mealDatasets(data, mealMetric);
      meals.update();
      label();
    },
    setMealMetric(next) {
      mealMetric = next;
      meals.data.datasets = mealDatasets(data, mealMetric);
      const y = meals.options.scales?.['y'];
      if (y && 'title' in y && y.title) y.title.text = metricTitle(mealMetric);
      meals.update();
      label();
    },
    destroy() {
      trend.destroy();
      meals.destroy();
    },
  };
}

function metricTitle(metric: MealMetric): string {
  return metric === 'gl' ? 'GL' : 'Carbs (g)';
}

function mealDatasets(data: FoodChartData, metric: MealMetric): ChartConfiguration<'bar'>['data']['datasets'] {
  return MEALS.map(({ value, label }) => ({
    label,
    data: data.meals[metric][value],
    backgroundColor: COLORS.meals[value],
    borderColor: '#ffffff',
    borderWidth: { top: 1, bottom: 0, left: 0, right: 0 },
    maxBarThickness: 28,
  }));
}
