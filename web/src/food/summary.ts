/**
 * The day's totals from `GET /api/food_log/summary?date=`: carbohydrate, glycemic load with its daily band (in
 * words), the day's GI, and one row per meal. The server computes every number; this only lays them out.
 */
import { MEALS, type DaySummary } from '../api/food';
import { h } from '../ui/dom';
import { bandBadge, dailyGlText, giBadge, giBand, giShortBadge, headRow, num } from './bands';

/** The scale of the GL meter: a little past the "high" line so a high day still shows where it sits. */
export const GL_METER_MAX = 160;

export function renderSummary(summary: DaySummary): HTMLElement {
  const band = summary.gl_category;
  const stats = h(
    'dl',
    { class: 'day-stats' },
    stat(
      'Carbs',
      h('span', { class: 'day-carbs', 'data-value': summary.carbs_g }, `${num(summary.carbs_g)} g`),
      `${num(summary.available_carbs_g)} g available (carbs minus fibre)`,
    ),
    stat(
      'Glycemic load',
      h('span', { class: 'day-gl', 'data-value': summary.gl }, num(summary.gl)),
      bandBadge(band, dailyGlText(band), 'day-gl-band'),
    ),
    stat(
      'Day GI',
      h('span', { class: 'day-gi' }, summary.gi === null ? '—' : num(summary.gi, 0)),
      summary.gi === null ? 'No carbs with a GI yet' : giBadge(summary.gi, giBand(summary.gi)),
    ),
  );

  return h(
    'div',
    { class: 'day-summary', 'data-entries': summary.entries },
    stats,
    glMeter(summary.gl, band),
    mealTable(summary),
  );
}

function stat(label: string, value: HTMLElement, note: string | HTMLElement): HTMLElement {
  return h('div', { class: 'day-stat' }, h('dt', undefined, label), h('dd', undefined, value, h('span', { class: 'day-stat-note' }, note)));
}

/** A bar from 0 to {@link GL_METER_MAX} with the 80 and 120 lines; the numbers are in the text above it. */
function glMeter(gl: number, band: string): HTMLElement {
  const fill = h('span', { class: `gl-meter-fill gl-meter-fill--${band}` });
  fill.style.width = `${Math.min(100, (gl / GL_METER_MAX) * 100)}%`;
  const mark = (value: number, text: string): HTMLElement => {
    const el = h('span', { class: 'gl-meter-mark' }, h('span', { class: 'gl-meter-label' }, text));
    el.style.left = `${(value / GL_METER_MAX) * 100}%`;
    return el;
  };
  return h(
    'div',
    { class: 'gl-meter', 'aria-hidden': 'true' },
    h('span', { class: 'gl-meter-track' }, fill),
    mark(80, '80'),
    mark(120, '120'),
  );
}

function mealTable(summary: DaySummary): HTMLElement {
  const body = h('tbody');
  for (const { value, label } of MEALS) {
    const meal = summary.meals.find((m) => m.meal === value);
    const empty = !meal || meal.entries === 0;
    body.append(
      h(
        'tr',
        { 'data-meal': value, class: empty ? 'is-empty' : undefined },
        h('th', { scope: 'row' }, label),
        h('td', undefined, empty ? '—' : `${num(meal.carbs_g)} g`),
        h('td', undefined, empty ? '—' : num(meal.gl)),
        h('td', undefined, empty || meal.gi === null ? '—' : giShortBadge(meal.gi)),
      ),
    );
  }
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data-table meal-table' },
      h('caption', { class: 'visually-hidden' }, 'Totals by meal'),
      headRow('Meal', 'Carbs', 'GL', 'Meal GI'),
      body,
    ),
  );
}
