/**
 * The day's entries grouped by meal. Each entry shows its food, amount, time, carbohydrate and its GI and GL
 * bands in words; "Edit" opens an inline form (grams, meal, time → PATCH), "Delete" removes it at once and the
 * page offers an undo. "How is this worked out?" shows the arithmetic and, on request, the glucose response from
 * the user's CGM readings.
 */
import type { GlucoseUnit } from '../api/accounts';
import { ApiError } from '../api/client';
import { FOOD_RULES, MEALS, getMealResponse, updateEntry, type EntryPatch, type FoodLogEntry, type Meal, type MealResponse } from '../api/food';
import { h } from '../ui/dom';
import { FormFeedback, describeError, inputField, selectField, setBusy } from '../ui/forms';
import { giBadge, glBadge, num } from './bands';
import { displayTime, timeInZone, zonedToUtc, dayInZone } from './dates';
import { numberValue } from './add-form';

export interface EntryHandlers {
  timeZone: () => string;
  unit: () => GlucoseUnit;
  onUpdated: (entry: FoodLogEntry) => void;
  onDelete: (entry: FoodLogEntry, button: HTMLButtonElement) => void;
  onSignedOut: () => void;
  update?: typeof updateEntry;
  response?: typeof getMealResponse;
}

export function mealLabel(meal: Meal): string {
  return MEALS.find((m) => m.value === meal)?.label ?? meal;
}

/** The entries grouped by meal (in MEALS order), or a friendly empty state. */
export function renderEntries(entries: readonly FoodLogEntry[], handlers: EntryHandlers): HTMLElement {
  if (entries.length === 0) {
    return h('p', { class: 'food-empty' }, 'Nothing logged for this day yet. Add a food above to see its carbs, GI and GL.');
  }
  const groups = h('div', { class: 'meal-groups' });
  for (const { value, label } of MEALS) {
    const inMeal = entries.filter((e) => e.meal === value);
    if (inMeal.length === 0) continue;
    const headingId = `meal-${value}-title`;
    groups.append(
      h(
        'section',
        { class: `meal-group meal-group--${value}`, 'aria-labelledby': headingId, 'data-meal': value },
        h('h3', { id: headingId, class: 'meal-title' }, label, h('span', { class: 'meal-count' }, ` · ${foods(inMeal.length)}`)),
        h('ul', { class: 'entry-list' }, ...inMeal.map((entry) => entryItem(entry, handlers))),
      ),
    );
  }
  return groups;
}

function foods(n: number): string {
  return `${n} ${n === 1 ? 'food' : 'foods'}`;
}

function entryItem(entry: FoodLogEntry, handlers: EntryHandlers): HTMLLIElement {
  const li = h('li', { class: 'entry', 'data-entry-id': entry.id });
  showView(li, entry, handlers);
  return li;
}

function showView(li: HTMLLIElement, entry: FoodLogEntry, handlers: EntryHandlers): void {
  const name = entry.food.name;
  const edit = h('button', { type: 'button', class: 'entry-button entry-edit' }, 'Edit', h('span', { class: 'visually-hidden' }, ` ${name}`));
  const del = h('button', { type: 'button', class: 'entry-button entry-delete' }, 'Delete', h('span', { class: 'visually-hidden' }, ` ${name}`));
  edit.addEventListener('click', () => showEdit(li, entry, handlers));
  del.addEventListener('click', () => handlers.onDelete(entry, del));

  li.replaceChildren(
    h(
      'div',
      { class: 'entry-main' },
      h('p', { class: 'entry-name' }, h('span', { class: 'entry-food' }, name), entry.food.custom ? h('span', { class: 'entry-tag' }, 'Your food') : null),
      h(
        'p',
        { class: 'entry-facts' },
        h('span', { class: 'entry-grams', 'data-value': entry.grams }, `${num(entry.grams)} g`),
        h('span', { class: 'entry-sep', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'entry-time' }, h('span', { class: 'visually-hidden' }, ', at '), displayTime(entry.eaten_at, handlers.timeZone())),
        h('span', { class: 'entry-sep', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'visually-hidden' }, ', '),
        h('span', { class: 'entry-carbs', 'data-value': entry.carbs_g }, `${num(entry.carbs_g)} g carbs`),
      ),
      h(
        'p',
        { class: 'entry-bands' },
        giBadge(entry.food.gi, entry.gi_category),
        h('span', { class: 'visually-hidden' }, ', '),
        h('span', { class: 'entry-gl', 'data-value': entry.gl ?? '' }, glBadge(entry.gl, entry.gl_category)),
      ),
    ),
    h('div', { class: 'entry-actions' }, edit, del),
    details(entry, handlers),
  );
}

/** "How is this worked out?": the published formula with this entry's numbers, and the glucose response. */
function details(entry: FoodLogEntry, handlers: EntryHandlers): HTMLDetailsElement {
  const f = entry.food;
  const lines: HTMLElement[] = [
    h(
      'p',
      undefined,
      `Per 100 g: ${num(f.carbs_per_100g)} g carbs, ${num(f.fiber_per_100g)} g fibre. ` +
        `In ${num(entry.grams)} g: ${num(entry.carbs_g)} g carbs, ` +
        `of which ${num(entry.available_carbs_g)} g are available (carbs minus fibre).`,
    ),
    h(
      'p',
      undefined,
      f.gi === null || entry.gl === null
        ? 'This food has no GI (it has very little carbohydrate), so it adds no glycemic load.'
        : `GL = GI × available carbs ÷ 100 = ${num(f.gi, 0)} × ${num(entry.available_carbs_g)} ÷ 100 = ${num(entry.gl)}.`,
    ),
  ];
  const result = h('p', { class: 'entry-response', role: 'status' });
  const check = h('button', { type: 'button', class: 'link-button' }, 'Show my glucose response');
  check.addEventListener('click', () => {
    setBusy(check, true, 'Looking at your readings…');
    result.textContent = '';
    (handlers.response ?? getMealResponse)(entry.id).then(
      (r) => {
        setBusy(check, false);
        result.textContent = describeResponse(r, handlers.unit());
      },
      (err: unknown) => {
        setBusy(check, false);
        result.textContent =
          err instanceof ApiError && err.status === 404
            ? 'Your CGM readings do not cover this meal (they need to run from 15 minutes before to 2 hours after it).'
            : `Could not load it. ${describeError(err)}`;
      },
    );
  });
  return h(
    'details',
    { class: 'entry-details' },
    h('summary', undefined, 'How is this worked out?'),
    h('div', { class: 'entry-details-body' }, ...lines, h('p', undefined, check), result),
  );
}

function glucose(mgdl: number, unit: GlucoseUnit): string {
  return unit === 'mmol/L' ? `${num(mgdl / 18.016)} mmol/L` : `${num(mgdl, 0)} mg/dL`;
}

export function describeResponse(r: MealResponse, unit: GlucoseUnit): string {
  const area = unit === 'mmol/L' ? `${num(r.iauc_2h / 18.016, 0)} mmol/L·min` : `${num(r.iauc_2h, 0)} mg/dL·min`;
  return (
    `Starting from ${glucose(r.baseline_mg_dl, unit)}, your glucose peaked at ${glucose(r.peak_mg_dl, unit)} ` +
    `${num(r.peak_after_min, 0)} minutes after eating (a rise of ${glucose(r.rise_mg_dl, unit)}). ` +
    `Area above the starting level over 2 hours: ${area}.`
  );
}

function showEdit(li: HTMLLIElement, entry: FoodLogEntry, handlers: EntryHandlers): void {
  const prefix = `f-edit-${entry.id}`;
  const zone = handlers.timeZone();
  const grams = inputField({
    name: 'grams',
    id: `${prefix}-grams`,
    label: 'Grams',
    type: 'number',
    value: String(entry.grams),
    attrs: { min: FOOD_RULES.gramsMin, max: FOOD_RULES.gramsMax, step: 'any', inputmode: 'decimal', required: true },
  });
  const meal = selectField({ name: 'meal', id: `${prefix}-meal`, label: 'Meal', choices: MEALS, value: entry.meal });
  const time = inputField({
    name: 'eaten_at',
    id: `${prefix}-time`,
    label: 'Time',
    value: timeInZone(entry.eaten_at, zone),
    attrs: { type: 'time', step: 60, required: true },
  });
  const save = h('button', { type: 'submit', class: 'button button--primary button--small' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'button button--secondary button--small' }, 'Cancel');
  const feedback = new FormFeedback([grams, meal, time], save);
  const validate = feedback.withRules({
    grams: () => {
      const g = numberValue(grams.control);
      return g >= FOOD_RULES.gramsMin && g <= FOOD_RULES.gramsMax ? null : 'From 1 to 5000 g.';
    },
    eaten_at: () => (/^\d{2}:\d{2}$/.test(time.control.value) ? null : 'Enter a time.'),
  });
  const form = h(
    'form',
    { class: 'form entry-edit-form', novalidate: true, 'aria-label': `Edit ${entry.food.name}` },
    h('p', { class: 'entry-name' }, h('span', { class: 'entry-food' }, entry.food.name)),
    feedback.alert,
    h('div', { class: 'food-trio' }, grams.row, meal.row, time.row),
    h('div', { class: 'form-actions' }, save, cancel),
  );

  const close = (): void => {
    showView(li, entry, handlers);
    li.querySelector<HTMLButtonElement>('.entry-edit')?.focus();
  };
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    if (!validate()) return;
    const patch: EntryPatch = {};
    const g = numberValue(grams.control);
    if (g !== entry.grams) patch.grams = g;
    if (meal.control.value !== entry.meal) patch.meal = meal.control.value as Meal;
    if (time.control.value !== timeInZone(entry.eaten_at, zone)) {
      // Same calendar day in the user's zone, new wall-clock time.
      patch.eaten_at = zonedToUtc(dayInZone(entry.eaten_at, zone), time.control.value, zone);
    }
    if (Object.keys(patch).length === 0) {
      close();
      return;
    }
    inFlight = true;
    feedback.busy(true, 'Saving…');
    (handlers.update ?? updateEntry)(entry.id, patch).then(
      (updated) => {
        inFlight = false;
        handlers.onUpdated(updated);
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        if (err instanceof ApiError && err.status === 401) {
          handlers.onSignedOut();
          return;
        }
        feedback.fail(err);
      },
    );
  });

  li.replaceChildren(form);
  grams.control.focus();
  if (grams.control instanceof HTMLInputElement) grams.control.select();
}
