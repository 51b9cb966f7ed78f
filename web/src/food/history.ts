/**
 * The "Last 14 / 30 days" card: daily GL and carbs, and the per-meal breakdown, from
 * `GET /api/food_log/summary?from=&to=`. Chart.js is loaded on demand (its own chunk), and the numbers are always
 * in a table under a disclosure too.
 */
import { ApiError } from '../api/client';
import { getRangeSummary, type RangeSummary } from '../api/food';
import type { FoodCharts, MealMetric } from '../charts/food-charts';
import { h } from '../ui/dom';
import { describeError, radioField, radioValue } from '../ui/forms';
import { addDays } from './dates';

export const RANGE_CHOICES = [14, 30] as const;
export type RangeDays = (typeof RANGE_CHOICES)[number];

export interface HistoryCard {
  element: HTMLElement;
  /** Shows the range ending `today`, fetching it unless it is already shown and nothing changed. */
  ensure(today: string): void;
  /** The log changed: the next ensure() fetches again. */
  invalidate(): void;
  destroy(): void;
}

export interface HistoryOptions {
  onSignedOut: () => void;
  range?: typeof getRangeSummary;
  /** Loads the chart module (tests replace it). */
  loadCharts?: () => Promise<typeof import('../charts/food-charts')>;
}

export function historyCard(options: HistoryOptions): HistoryCard {
  const fetchRange = options.range ?? getRangeSummary;
  const loadCharts = options.loadCharts ?? (() => import('../charts/food-charts'));

  const span = radioField({
    name: 'history-days',
    id: 'f-history-days',
    label: 'Show',
    value: '14',
    choices: RANGE_CHOICES.map((d) => ({ value: String(d), label: `${d} days` })),
  });
  const metric = radioField({
    name: 'history-metric',
    id: 'f-history-metric',
    label: 'Split by meal',
    value: 'gl',
    choices: [
      { value: 'gl', label: 'GL' },
      { value: 'carbs', label: 'Carbs' },
    ],
  });
  const title = h('h2', { id: 'history-title' }, 'Last 14 days');
  const trendCanvas = h('canvas', { role: 'img', 'aria-label': 'Daily glycemic load and carbs (loading)' }, 'Daily glycemic load and carbs: see the table below.');
  const mealCanvas = h('canvas', { role: 'img', 'aria-label': 'Glycemic load by meal (loading)' }, 'Glycemic load by meal: see the table below.');
  const status = h('p', { class: 'history-status', role: 'status' });
  const tableSlot = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Daily totals table' });
  const details = h('details', { class: 'history-table' }, h('summary', undefined, 'Show the numbers as a table'), tableSlot);

  const element = h(
    'section',
    { class: 'card food-card food-history', 'aria-labelledby': 'history-title' },
    h('div', { class: 'history-head' }, title, h('div', { class: 'history-controls' }, span.row)),
    status,
    h(
      'div',
      { class: 'history-charts' },
      h('figure', { class: 'chart-figure' }, h('figcaption', undefined, 'Daily glycemic load and carbs'), h('div', { class: 'chart-box' }, trendCanvas)),
      h(
        'figure',
        { class: 'chart-figure' },
        h('figcaption', undefined, h('span', undefined, 'By meal'), metric.row),
        h('div', { class: 'chart-box' }, mealCanvas),
      ),
    ),
    details,
  );

  let today = '';
  let shownKey = '';
  let dirty = true;
  let seq = 0;
  let charts: FoodCharts | null = null;
  let chartsFailed = false;
  let destroyed = false;

  const days = (): RangeDays => (radioValue(span) === '30' ? 30 : 14);
  const mealMetric = (): MealMetric => (radioValue(metric) === 'carbs' ? 'carbs' : 'gl');

  async function draw(range: RangeSummary): Promise<void> {
    const mod = await loadCharts();
    tableSlot.replaceChildren(mod.dataTable(range));
    if (destroyed || chartsFailed) return;
    if (charts) {
      charts.update(range);
      return;
    }
    try {
      charts = mod.createFoodCharts(trendCanvas, mealCanvas, range, mealMetric());
    } catch (err) {
      chartsFailed = true;
      console.warn('Food log charts unavailable:', err);
      status.textContent = 'The charts cannot be drawn in this browser; the table below has the same numbers.';
      details.open = true;
    }
  }

  async function load(): Promise<void> {
    if (!today) return;
    const n = days();
    const key = `${today}/${n}`;
    if (key === shownKey && !dirty) return;
    const mine = ++seq;
    title.textContent = `Last ${n} days`;
    element.setAttribute('aria-busy', 'true');
    try {
      const range = await fetchRange(addDays(today, -(n - 1)), today);
      if (mine !== seq || destroyed) return;
      shownKey = key;
      dirty = false;
      await draw(range);
      if (!chartsFailed) status.textContent = '';
    } catch (err) {
      if (mine !== seq) return;
      if (err instanceof ApiError && err.status === 401) return options.onSignedOut();
      status.textContent = `The last ${n} days could not be loaded. ${describeError(err)}`;
    } finally {
      if (mine === seq) element.removeAttribute('aria-busy');
    }
  }

  for (const radio of span.controls) radio.addEventListener('change', () => void load());
  for (const radio of metric.controls) radio.addEventListener('change', () => charts?.setMealMetric(mealMetric()));

  return {
    element,
    ensure(nextToday) {
      today = nextToday;
      void load();
    },
    invalidate() {
      dirty = true;
    },
    destroy() {
      destroyed = true;
      seq++;
      charts?.destroy();
      charts = null;
    },
  };
}
