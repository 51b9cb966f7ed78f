/**
 * The "Add food" card: a catalog food picked with the search combobox, or the user's own food (name, GI,
 * carbohydrate and fibre per 100 g); then grams (with a one-serving shortcut), meal and an optional time.
 * The server's 400 names the field (`grams`, `custom.gi`, …) and the message lands next to it.
 */
import { FOOD_RULES, MEALS, addEntry, searchFoods, type Food, type FoodLogEntry, type Meal, type NewEntry } from '../api/food';
import { ApiError } from '../api/client';
import { h } from '../ui/dom';
import { FormFeedback, formStatus, inputField, radioField, radioValue, selectField, setFieldError, type Field } from '../ui/forms';
import { giBadge, glBadge, num } from './bands';
import { createCombobox, type Combobox } from './combobox';
import { MEAL_TIMES, timeInZone, zonedToUtc } from './dates';

/** What the form needs to know about the page: the day shown, today and the user's zone. */
export interface DayContext {
  date: string;
  today: string;
  timeZone: string;
}

export interface AddFormOptions {
  context: () => DayContext;
  onAdded: (entry: FoodLogEntry) => void;
  /** Called when the session has ended (401). */
  onSignedOut: () => void;
  search?: typeof searchFoods;
  add?: typeof addEntry;
}

export const SEARCH_LIMIT = 10;

/** One option of the food picker: name, then the GI band and GL per serving as coloured text. */
export function foodOption(food: Food): (Node | string)[] {
  return [
    h('span', { class: 'food-option-name' }, food.name),
    h(
      'span',
      { class: 'food-option-meta' },
      giBadge(food.gi, food.gi_category),
      h('span', { class: 'visually-hidden' }, ', '),
      glBadge(food.gl_per_serving, food.gl_category),
      h('span', { class: 'food-option-serving' }, ` per ${food.serving_desc}`),
    ),
  ];
}

/** The meal most people would log at `time` ("HH:MM"). */
export function mealForTime(time: string): Meal {
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  const minutes = hh * 60 + mm;
  if (minutes >= 4 * 60 && minutes < 10 * 60 + 30) return 'breakfast';
  if (minutes >= 11 * 60 + 30 && minutes < 14 * 60 + 30) return 'lunch';
  if (minutes >= 17 * 60 + 30 && minutes < 21 * 60 + 30) return 'dinner';
  return 'snack';
}

/** `eaten_at` for a new entry: the time given on the day shown; no time today means "now" (left out). */
export function eatenAt(ctx: DayContext, time: string, meal: Meal): string | undefined {
  if (time !== '') return zonedToUtc(ctx.date, time, ctx.timeZone);
  if (ctx.date === ctx.today) return undefined;
  return zonedToUtc(ctx.date, MEAL_TIMES[meal], ctx.timeZone);
}

/** Parses a number input: NaN for empty or unreadable text. */
export function numberValue(control: HTMLInputElement | HTMLSelectElement): number {
  const text = control.value.trim();
  return text === '' ? Number.NaN : Number(text);
}

export interface AddForm {
  element: HTMLElement;
  picker: Combobox<Food>;
  /** Sets the meal to the usual one for now (today) or leaves it. */
  refreshDefaults(): void;
}

export function addFoodCard(options: AddFormOptions): AddForm {
  const search = options.search ?? searchFoods;
  const add = options.add ?? addEntry;

  const source = radioField({
    name: 'source',
    id: 'f-food-source',
    label: 'Food',
    value: 'catalog',
    choices: [
      { value: 'catalog', label: 'From the list' },
      { value: 'custom', label: 'My own food' },
    ],
  });

  // ---- catalog food ----
  const chosenInfo = h('div', { class: 'food-chosen' });
  const servingButton = h('button', { type: 'button', class: 'chip-button', hidden: true });
  const picker = createCombobox<Food>({
    name: 'food_id',
    id: 'f-food-search',
    label: 'Search foods',
    hint: 'Type a few letters, then pick with ↑ ↓ and Enter.',
    placeholder: 'e.g. apple, rice, milk',
    maxLength: FOOD_RULES.queryMax,
    search: (q, signal) => search(q, { limit: SEARCH_LIMIT, signal }).then((page) => page.items),
    renderOption: foodOption,
    itemText: (food) => food.name,
    emptyText: (q) => `No foods match “${q}”. Try another word, or add your own food.`,
    countText: (n) => `${n} ${n === 1 ? 'food' : 'foods'} found. Use the up and down arrows to choose.`,
    onChange: (food) => showChosen(food),
  });

  function showChosen(food: Food | null): void {
    chosenInfo.replaceChildren();
    servingButton.hidden = food === null;
    if (!food) return;
    setFieldError(picker.field, null);
    servingButton.textContent = `1 serving: ${food.serving_desc}`;
    servingButton.dataset['grams'] = String(food.serving_g);
    chosenInfo.append(
      h('span', { class: 'food-chosen-name' }, food.name),
      ' ',
      giBadge(food.gi, food.gi_category),
      ' ',
      glBadge(food.gl_per_serving, food.gl_category),
      h('span', { class: 'food-chosen-note' }, ` per serving · ${num(food.carbs_per_100g)} g carbs per 100 g`),
      servingButton,
    );
  }
  const catalogPanel = h('div', { class: 'food-source-panel' }, picker.field.row, chosenInfo);

  // ---- your own food ----
  const customName = inputField({
    name: 'custom.name',
    id: 'f-custom-name',
    label: 'Name',
    attrs: { maxlength: FOOD_RULES.nameMax, autocomplete: 'off' },
  });
  const customGi = inputField({
    name: 'custom.gi',
    id: 'f-custom-gi',
    label: 'GI',
    type: 'number',
    optional: true,
    hint: '0 to 110; empty if unknown.',
    attrs: { min: FOOD_RULES.giMin, max: FOOD_RULES.giMax, step: 1, inputmode: 'numeric' },
  });
  const customCarbs = inputField({
    name: 'custom.carbs_per_100g',
    id: 'f-custom-carbs',
    label: 'Carbs per 100 g',
    type: 'number',
    hint: 'Grams, 0 to 100.',
    attrs: { min: 0, max: FOOD_RULES.per100Max, step: 0.1, inputmode: 'decimal' },
  });
  const customFiber = inputField({
    name: 'custom.fiber_per_100g',
    id: 'f-custom-fiber',
    label: 'Fibre per 100 g',
    type: 'number',
    optional: true,
    hint: 'Grams, at most the carbs.',
    attrs: { min: 0, max: FOOD_RULES.per100Max, step: 0.1, inputmode: 'decimal' },
  });
  const customPanel = h(
    'div',
    { class: 'food-source-panel', hidden: true },
    customName.row,
    h('div', { class: 'food-trio' }, customGi.row, customCarbs.row, customFiber.row),
  );

  // ---- amount, meal, time ----
  const grams = inputField({
    name: 'grams',
    id: 'f-food-grams',
    label: 'Amount',
    type: 'number',
    hint: 'Grams, 1 to 5000.',
    attrs: { min: FOOD_RULES.gramsMin, max: FOOD_RULES.gramsMax, step: 'any', inputmode: 'decimal', required: true },
  });
  const gramsWrap = h('div', { class: 'input-unit' });
  grams.control.replaceWith(gramsWrap);
  gramsWrap.append(grams.control, h('span', { class: 'unit', 'aria-hidden': 'true' }, 'g'));
  servingButton.addEventListener('click', () => {
    grams.control.value = servingButton.dataset['grams'] ?? '';
    setFieldError(grams, null);
    grams.control.focus();
  });

  const meal = selectField({ name: 'meal', id: 'f-food-meal', label: 'Meal', choices: MEALS, value: 'breakfast' });
  const time = inputField({
    name: 'eaten_at',
    id: 'f-food-time',
    label: 'Time',
    type: 'text',
    optional: true,
    hint: 'Leave empty for now.',
    attrs: { type: 'time', step: 60 },
  });

  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Add food');
  const status = formStatus('add-food-status');
  const fields: Field[] = [picker.field, customName, customGi, customCarbs, customFiber, grams, meal, time];
  const feedback = new FormFeedback(fields, submit);

  const isCustom = (): boolean => radioValue(source) === 'custom';
  const validate = feedback.withRules({
    food_id: () => (isCustom() || picker.selected() ? null : 'Choose a food from the list (type to search), or add your own food.'),
    'custom.name': () => {
      if (!isCustom()) return null;
      const name = customName.control.value.trim();
      return name === '' || Array.from(name).length > FOOD_RULES.nameMax ? 'Enter a name, up to 80 characters.' : null;
    },
    'custom.gi': () => {
      if (!isCustom() || customGi.control.value.trim() === '') return null;
      const gi = numberValue(customGi.control);
      return Number.isInteger(gi) && gi >= FOOD_RULES.giMin && gi <= FOOD_RULES.giMax ? null : 'GI is a whole number from 0 to 110 (or leave it empty).';
    },
    'custom.carbs_per_100g': () => {
      if (!isCustom()) return null;
      const carbs = numberValue(customCarbs.control);
      return carbs >= 0 && carbs <= FOOD_RULES.per100Max ? null : 'Enter the carbs in 100 g, from 0 to 100 g.';
    },
    'custom.fiber_per_100g': () => {
      if (!isCustom() || customFiber.control.value.trim() === '') return null;
      const fiber = numberValue(customFiber.control);
      const carbs = numberValue(customCarbs.control);
      if (!(fiber >= 0 && fiber <= FOOD_RULES.per100Max)) return 'Enter the fibre in 100 g, from 0 to 100 g.';
      return Number.isFinite(carbs) && fiber > carbs ? 'Fibre cannot be more than the carbs.' : null;
    },
    grams: () => {
      const g = numberValue(grams.control);
      return g >= FOOD_RULES.gramsMin && g <= FOOD_RULES.gramsMax ? null : 'Enter the amount in grams, from 1 to 5000.';
    },
  });

  for (const radio of source.controls) {
    radio.addEventListener('change', () => {
      const custom = isCustom();
      catalogPanel.hidden = custom;
      customPanel.hidden = !custom;
      servingButton.hidden = custom || picker.selected() === null;
      feedback.reset();
    });
  }

  const form = h(
    'form',
    { class: 'form food-add-form', novalidate: true, 'aria-labelledby': 'add-food-title' },
    feedback.alert,
    source.row,
    catalogPanel,
    customPanel,
    h('div', { class: 'food-trio food-trio--amount' }, grams.row, meal.row, time.row),
    h('div', { class: 'form-actions' }, submit, status),
  );

  function body(): NewEntry {
    const ctx = options.context();
    const mealValue = meal.control.value as Meal;
    const entry: NewEntry = { grams: numberValue(grams.control), meal: mealValue };
    const at = eatenAt(ctx, time.control.value, mealValue);
    if (at !== undefined) entry.eaten_at = at;
    if (isCustom()) {
      entry.custom = { name: customName.control.value.trim(), carbs_per_100g: numberValue(customCarbs.control) };
      if (customGi.control.value.trim() !== '') entry.custom.gi = numberValue(customGi.control);
      if (customFiber.control.value.trim() !== '') entry.custom.fiber_per_100g = numberValue(customFiber.control);
    } else {
      entry.food_id = picker.selected()?.id ?? 0;
    }
    return entry;
  }

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    status.textContent = '';
    if (!validate()) return;
    const entry = body();
    inFlight = true;
    feedback.busy(true, 'Adding…');
    add(entry).then(
      (created) => {
        inFlight = false;
        feedback.busy(false);
        const mealLabel = MEALS.find((m) => m.value === created.meal)?.label.toLowerCase() ?? created.meal;
        status.textContent = `Added ${created.food.name} (${num(created.grams)} g) to ${mealLabel}.`;
        grams.control.value = '';
        time.control.value = '';
        if (isCustom()) {
          for (const f of [customName, customGi, customCarbs, customFiber]) f.control.value = '';
          customName.control.focus();
        } else {
          picker.select(null);
          picker.input.focus();
        }
        options.onAdded(created);
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        if (err instanceof ApiError && err.status === 401) {
          options.onSignedOut();
          return;
        }
        feedback.fail(err);
      },
    );
  });

  function refreshDefaults(): void {
    const ctx = options.context();
    const today = ctx.date === ctx.today;
    if (time.hint) time.hint.textContent = today ? 'Leave empty for now.' : 'Leave empty for the usual time of the meal.';
    if (today) meal.control.value = mealForTime(timeInZone(new Date().toISOString(), ctx.timeZone));
  }

  const element = h(
    'section',
    { class: 'card food-card food-add', 'aria-labelledby': 'add-food-title' },
    h('h2', { id: 'add-food-title' }, 'Add food'),
    form,
  );
  return { element, picker, refreshDefaults };
}
