/**
 * The Day tab: one day in the user's time zone — the readings as a line over 24 hours with the target range, the
 * diary events (GET /api/events) and logged meals (GET /api/food_log?date=) as numbered markers listed below the
 * chart, the day's figures (GET /api/pin_dexcom/trends for that day) and every reading in a table.
 */
import {
  getAllReadings,
  getEvents,
  getFoodLogDay,
  getTrends,
  type CgmEvent,
  type FoodLogItem,
  type Reading,
  type Trends,
} from '../api/cgm';
import { renderDayChart, type DayMarker } from '../charts/trends-day';
import { clear, h } from '../ui/dom';
import { describeError } from '../ui/forms';
import type { TrendsContext } from './context';
import { legendItem } from './report';
import { dataTable, tableDetails } from './table';
import { addDays, dayInZone, formatDay, formatTime, isDay, minuteOfDay } from './time';
import { formatCount, formatGlucose, formatGlucoseRange, formatPercent, formatReading } from './units';

export interface DayPanel {
  element: HTMLElement;
  /** Shows `day` (default: the current one, or today). */
  load(day?: string): Promise<void>;
  day(): string;
}

/** One entry of the "Events and meals" list, which the chart marks with the same number. */
export interface DayItem {
  minute: number;
  at: number;
  kind: 'meal' | CgmEvent['type'];
  /** Short, for the chart: "Lunch", "Insulin 4 u". */
  short: string;
  /** Full, for the list. */
  text: string;
  color: string;
}

const KIND_COLORS: Record<string, string> = {
  meal: '#a16207',
  carbs: '#c2410c',
  insulin: '#4338ca',
  exercise: '#15803d',
  sensor_insert: '#0f766e',
  note: '#4a5568',
};

const MEAL_NAMES: Record<string, string> = { breakfast: 'Breakfast', lunch: 'Lunch', dinner: 'Dinner', snack: 'Snack' };

const trim1 = (v: number): string => String(Math.round(v * 10) / 10);

/** An event as short and long text ("Insulin 4 u" / "Insulin: 4 units — bolus"). */
export function describeEvent(e: CgmEvent): { short: string; text: string } {
  const note = e.note ? ` — ${e.note}` : '';
  const v = e.value;
  switch (e.type) {
    case 'carbs':
      return { short: v !== null ? `Carbs ${trim1(v)} g` : 'Carbs', text: `Carbohydrate${v !== null ? `: ${trim1(v)} g` : ''}${note}` };
    case 'insulin':
      return { short: v !== null ? `Insulin ${trim1(v)} u` : 'Insulin', text: `Insulin${v !== null ? `: ${trim1(v)} units` : ''}${note}` };
    case 'exercise':
      return { short: 'Exercise', text: `Exercise${v !== null ? `: ${Math.round(v)} minutes` : ''}${note}` };
    case 'sensor_insert':
      return { short: 'New sensor', text: `New sensor inserted${note}` };
    default:
      return { short: 'Note', text: `Note${e.note ? `: ${e.note}` : ''}` };
  }
}

/**
 * The day's events and meals in time order. Food-log entries of the same meal logged at the same minute become one
 * marker ("Lunch: rice 150 g, chicken 120 g · 52 g carbohydrate").
 */
export function dayItems(events: readonly CgmEvent[], meals: readonly FoodLogItem[], zone: string): DayItem[] {
  const items: DayItem[] = [];
  for (const e of events) {
    const at = Date.parse(e.at);
    const { short, text } = describeEvent(e);
    items.push({ minute: minuteOfDay(at, zone), at, kind: e.type, short, text, color: KIND_COLORS[e.type] ?? KIND_COLORS['note']! });
  }
  const groups = new Map<string, FoodLogItem[]>();
  for (const m of meals) {
    const at = Math.floor(Date.parse(m.eaten_at) / 60_000);
    const key = `${m.meal}@${at}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const at = Date.parse(first.eaten_at);
    const name = MEAL_NAMES[first.meal] ?? 'Meal';
    const carbs = group.reduce((sum, m) => sum + m.carbs_g, 0);
    const foods = group.map((m) => `${m.food.name} ${trim1(m.grams)} g`).join(', ');
    items.push({
      minute: minuteOfDay(at, zone),
      at,
      kind: 'meal',
      short: name,
      text: `${name}: ${foods} · ${trim1(carbs)} g carbohydrate`,
      color: KIND_COLORS['meal']!,
    });
  }
  return items.sort((a, b) => a.at - b.at);
}

export interface DayOptions {
  /** The day to show first (from the URL). */
  day?: string;
  /** Without one: the day to open on, e.g. that of the latest reading (else today). */
  defaultDay?: () => string | null;
  onDay?: (day: string) => void;
}

export function createDay(ctx: TrendsContext, options: DayOptions = {}): DayPanel {
  const today = (): string => dayInZone(Date.now(), ctx.zone);
  let chosen = Boolean(options.day && isDay(options.day));
  let day = chosen ? options.day! : today();
  let chart: { destroy(): void } | null = null;
  let controller: AbortController | null = null;

  const input = h('input', { type: 'date', id: 'day-date', class: 'input day-date', required: true });
  const prev = h('button', { type: 'button', class: 'button button--secondary day-step' }, h('span', { 'aria-hidden': 'true' }, '‹'), 'Previous day');
  const next = h('button', { type: 'button', class: 'button button--secondary day-step' }, 'Next day', h('span', { 'aria-hidden': 'true' }, '›'));
  const status = h('p', { class: 'day-status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'day-body' });
  const bar = h(
    'div',
    { class: 'day-bar' },
    h('div', { class: 'field day-field' }, h('label', { for: 'day-date', class: 'label' }, 'Day'), input),
    prev,
    next,
  );
  const element = h('div', { class: 'day', 'data-state': 'loading' }, bar, status, body);

  const go = (target: string): void => {
    if (!isDay(target)) return;
    void load(target > today() ? today() : target);
  };
  prev.addEventListener('click', () => go(addDays(day, -1)));
  next.addEventListener('click', () => go(addDays(day, 1)));
  input.addEventListener('change', () => {
    if (isDay(input.value)) go(input.value);
  });

  async function load(target?: string): Promise<void> {
    if (target) {
      day = target;
      chosen = true;
    } else if (!chosen) {
      const suggested = options.defaultDay?.();
      if (suggested && isDay(suggested) && suggested <= today()) day = suggested;
    }
    options.onDay?.(day);
    const max = today();
    input.max = max;
    input.value = day;
    next.disabled = day >= max;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const signal = mine.signal;
    element.dataset['state'] = 'loading';
    element.setAttribute('aria-busy', 'true');
    status.textContent = `Loading ${formatDay(day)}…`;
    try {
      const [readings, stats, events, meals] = await Promise.all([
        getAllReadings({ from: day, to: day }, signal),
        getTrends({ from: day, to: day }, signal),
        getEvents({ from: day, to: day }, signal),
        getFoodLogDay(day, signal).then(
          (d) => d.items,
          (err: unknown) => {
            if (err instanceof DOMException && err.name === 'AbortError') throw err;
            return null; // the meals are a bonus: the day still shows without them
          },
        ),
      ]);
      if (controller !== mine) return;
      chart?.destroy();
      chart = null;
      clear(body);
      status.textContent = '';
      render(readings, stats, events, meals);
    } catch (err) {
      if (controller !== mine || (err instanceof DOMException && err.name === 'AbortError')) return;
      element.dataset['state'] = 'error';
      status.textContent = '';
      chart?.destroy();
      chart = null;
      clear(body);
      const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
      retry.addEventListener('click', () => void load());
      body.append(h('div', { class: 'card' }, h('p', { role: 'alert' }, `This day could not be loaded. ${describeError(err)}`), retry));
    } finally {
      if (controller === mine) element.removeAttribute('aria-busy');
    }
  }

  function render(readings: Reading[], stats: Trends, events: CgmEvent[], meals: FoodLogItem[] | null): void {
    element.dataset['state'] = readings.length > 0 ? 'ready' : 'empty';
    const items = dayItems(events, meals ?? [], ctx.zone);
    const minutes = readings.map((r) => minuteOfDay(Date.parse(r.at), ctx.zone));
    const markers: DayMarker[] = items.map((item, i) => ({ minute: item.minute, number: i + 1, label: item.short, color: item.color }));

    const card = h(
      'section',
      { class: 'card day-card', 'aria-labelledby': 'day-title' },
      h('h2', { id: 'day-title' }, formatDay(day)),
      dayFigures(stats, ctx),
    );
    let canvas: HTMLCanvasElement | null = null;
    if (readings.length === 0) {
      card.append(h('p', { class: 'day-empty' }, 'No readings on this day. Pick another day, import a file or load the demo data.'));
    } else {
      canvas = h('canvas', { role: 'img', 'aria-label': dayLabel(readings, items.length, ctx, day) });
      card.append(
        h('div', { class: 'chart-box chart-box--day' }, canvas),
        h(
          'ul',
          { class: 'chart-legend' },
          legendItem('legend-line', `Glucose (${ctx.unit}); dots below your target are red, above it amber`),
          legendItem('legend-target', `Your target range ${formatGlucoseRange(ctx.targetLow, ctx.targetHigh, ctx.unit)}`),
          items.length > 0 ? legendItem('legend-marker', 'Numbered markers: events and meals, listed below') : null,
        ),
        tableDetails(
          `Show the ${readings.length} readings as a table`,
          dataTable(
            `Readings on ${formatDay(day)}, ${ctx.unit}, times in ${ctx.zone}`,
            ['Time', 'Glucose'],
            readings.map((r) => [formatTime(Date.parse(r.at), ctx.zone), formatReading(r, ctx.unit)]),
          ),
        ),
      );
    }
    body.append(card, itemsCard(items, meals === null));
    if (canvas) {
      chart = renderDayChart(canvas, {
        readings,
        minutes,
        unit: ctx.unit,
        timeZone: ctx.zone,
        targetLow: ctx.targetLow,
        targetHigh: ctx.targetHigh,
        markers,
      });
    }
  }

  return { element, load, day: () => day };
}

function dayFigures(t: Trends, ctx: TrendsContext): HTMLElement {
  if (t.readings === 0) return h('p', { class: 'day-figures' }, 'No readings.');
  const figure = (label: string, value: string): HTMLElement => h('div', { class: 'day-figure' }, h('dt', undefined, label), h('dd', undefined, value));
  return h(
    'dl',
    { class: 'day-figures' },
    figure('Readings', formatCount(t.readings)),
    figure('Mean', t.mean_mg_dl === null ? '–' : formatGlucose(t.mean_mg_dl, ctx.unit)),
    figure(`In range (${formatGlucoseRange(70, 180, ctx.unit)})`, formatPercent(t.ranges.in_range)),
    figure('Below range', formatPercent(t.ranges.low + t.ranges.very_low)),
    figure('Above range', formatPercent(t.ranges.high + t.ranges.very_high)),
  );
}

function itemsCard(items: DayItem[], mealsFailed: boolean): HTMLElement {
  const card = h('section', { class: 'card day-items', 'aria-labelledby': 'day-items-title' }, h('h2', { id: 'day-items-title' }, 'Events and meals'));
  if (items.length === 0) {
    card.append(h('p', { class: 'card-intro' }, 'Nothing logged on this day. Meals from your Food Log and events from your imports appear here.'));
  } else {
    const list = h('ol', { class: 'day-item-list' });
    items.forEach((item, i) =>
      list.append(
        h(
          'li',
          { class: 'day-item', 'data-kind': item.kind },
          h('span', { class: 'day-item-number', 'aria-hidden': 'true' }, String(i + 1)),
          h('span', { class: 'visually-hidden' }, `Marker ${i + 1}: `),
          h('time', { class: 'day-item-time', datetime: new Date(item.at).toISOString() }, formatTimeOf(item)),
          ' ',
          h('span', { class: 'day-item-text' }, item.text),
        ),
      ),
    );
    card.append(list);
  }
  if (mealsFailed) card.append(h('p', { class: 'field-hint' }, 'Meals from the Food Log could not be loaded.'));
  return card;
}

function formatTimeOf(item: DayItem): string {
  const h24 = Math.floor(item.minute / 60);
  const m = item.minute % 60;
  return `${String(h24).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function dayLabel(readings: Reading[], markers: number, ctx: TrendsContext, day: string): string {
  let lo = readings[0]!;
  let hi = readings[0]!;
  for (const r of readings) {
    if (r.mg_dl < lo.mg_dl) lo = r;
    if (r.mg_dl > hi.mg_dl) hi = r;
  }
  const at = (r: Reading): string => formatTime(Date.parse(r.at), ctx.zone);
  return (
    `Glucose on ${formatDay(day)}: ${readings.length} readings, ` +
    `lowest ${formatReading(lo, ctx.unit)} at ${at(lo)}, highest ${formatReading(hi, ctx.unit)} at ${at(hi)}` +
    (markers > 0 ? `, ${markers} event and meal markers` : '') +
    '. The readings are in the table below the chart.'
  );
}
