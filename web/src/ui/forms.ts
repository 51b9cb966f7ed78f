/**
 * Form building blocks shared by the account pages: labelled fields with a hint and an inline error (wired with
 * `aria-describedby` / `aria-invalid`), a form-level `role="alert"` region, a busy submit button, and the mapping
 * from the API's `{"error": {"field": …}}` to the right input.
 */
import { ApiError } from '../api/client';
import { h, type Attrs } from './dom';

/** One form control with its label, hint and error message. `name` is the API's field name. */
export interface Field {
  readonly name: string;
  /** What gets focus and `aria-invalid` (the first radio of a group). */
  readonly control: HTMLInputElement | HTMLSelectElement;
  /** Everything that carries `aria-invalid` / `aria-describedby` (all radios of a group). */
  readonly controls: ReadonlyArray<HTMLInputElement | HTMLSelectElement>;
  readonly row: HTMLElement;
  readonly hint: HTMLElement | null;
  readonly error: HTMLElement;
  /** Ids of other elements that describe the control (e.g. a hint shared by a group), read before the error. */
  readonly describedBy: readonly string[];
}

export interface FieldOptions {
  /** API field name, e.g. `username` or `settings.time_zone`; also the control's `name`. */
  name: string;
  label: string;
  /** Element id prefix (default derived from `name`); must be unique in the page. */
  id?: string;
  hint?: string;
  /** Ids of elements outside the field that also describe it (e.g. a hint shared by a group). */
  describedBy?: readonly string[];
  /** Adds "(optional)" to the label. */
  optional?: boolean;
  attrs?: Attrs;
}

export interface InputOptions extends FieldOptions {
  type?: 'text' | 'password' | 'number' | 'search' | 'email';
  value?: string;
  autocomplete?: string;
}

export interface Choice {
  value: string;
  label: string;
}

/** `settings.time_zone` → `f-settings-time_zone`. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function labelText(text: string, optional: boolean | undefined): (string | HTMLElement)[] {
  return optional ? [text, ' ', h('span', { class: 'optional' }, '(optional)')] : [text];
}

function finish(
  options: FieldOptions,
  id: string,
  control: HTMLInputElement | HTMLSelectElement,
  controls: ReadonlyArray<HTMLInputElement | HTMLSelectElement>,
  row: HTMLElement,
  hint: HTMLElement | null,
  error: HTMLElement,
): Field {
  const name = options.name;
  const field: Field = { name, control, controls, row, hint, error, describedBy: options.describedBy ?? [] };
  row.dataset['field'] = name;
  error.id = `${id}-error`;
  if (hint) hint.id = `${id}-hint`;
  updateDescribedBy(field);
  return field;
}

/** A labelled `<input>` with an optional hint and an (initially empty) error message. */
export function inputField(options: InputOptions): Field {
  const id = options.id ?? fieldId(options.name);
  const input = h('input', {
    id,
    name: options.name,
    type: options.type ?? 'text',
    autocomplete: options.autocomplete,
    class: 'input',
    ...options.attrs,
  });
  if (options.value !== undefined) input.value = options.value;
  const hint = options.hint ? h('p', { class: 'field-hint' }, options.hint) : null;
  const error = h('p', { class: 'field-error' });
  const row = h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, ...labelText(options.label, options.optional)), hint, input, error);
  return finish(options, id, input, [input], row, hint, error);
}

/** A labelled `<select>`. */
export function selectField(options: FieldOptions & { choices: readonly Choice[]; value?: string }): Field {
  const id = options.id ?? fieldId(options.name);
  const select = h('select', { id, name: options.name, class: 'input select', ...options.attrs });
  for (const choice of options.choices) select.append(h('option', { value: choice.value }, choice.label));
  if (options.value !== undefined) select.value = options.value;
  const hint = options.hint ? h('p', { class: 'field-hint' }, options.hint) : null;
  const error = h('p', { class: 'field-error' });
  const row = h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, ...labelText(options.label, options.optional)), hint, select, error);
  return finish(options, id, select, [select], row, hint, error);
}

/** A `<fieldset>` of radio buttons drawn as a segmented control. */
export function radioField(options: FieldOptions & { choices: readonly Choice[]; value?: string }): Field {
  const id = options.id ?? fieldId(options.name);
  const radios: HTMLInputElement[] = [];
  const segments = h('div', { class: 'segmented' });
  options.choices.forEach((choice, index) => {
    const radioId = `${id}-${index}`;
    const radio = h('input', { type: 'radio', id: radioId, name: options.name, value: choice.value, class: 'segmented-input' });
    radio.checked = choice.value === options.value;
    radios.push(radio);
    segments.append(radio, h('label', { for: radioId, class: 'segmented-label' }, choice.label));
  });
  const hint = options.hint ? h('p', { class: 'field-hint' }, options.hint) : null;
  const error = h('p', { class: 'field-error' });
  const row = h('fieldset', { class: 'field field--group', id }, h('legend', { class: 'label' }, ...labelText(options.label, options.optional)), hint, segments, error);
  const first = radios[0];
  if (!first) throw new Error(`radioField ${options.name}: no choices`);
  return finish(options, id, first, radios, row, hint, error);
}

/** The checked value of a radio group (or '' when none is checked). */
export function radioValue(field: Field): string {
  for (const control of field.controls) if (control instanceof HTMLInputElement && control.checked) return control.value;
  return '';
}

function updateDescribedBy(field: Field): void {
  const ids = [...field.describedBy, field.hint?.id, field.error.textContent ? field.error.id : undefined]
    .filter(Boolean)
    .join(' ');
  for (const control of field.controls) {
    if (ids) control.setAttribute('aria-describedby', ids);
    else control.removeAttribute('aria-describedby');
  }
}

/** Shows `message` under the field (as text) and marks the control invalid; null clears both. */
export function setFieldError(field: Field, message: string | null): void {
  field.error.textContent = message ?? '';
  for (const control of field.controls) {
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  field.row.classList.toggle('field--invalid', Boolean(message));
  updateDescribedBy(field);
}

/**
 * The field an API error names. Matches the exact name first, then with or without a `settings.` prefix, so
 * `time_zone` and `settings.time_zone` both find the time-zone picker.
 */
export function fieldForApiName(fields: readonly Field[], apiField: string | undefined): Field | undefined {
  if (!apiField) return undefined;
  const candidates = [apiField, `settings.${apiField}`, apiField.replace(/^settings\./, '')];
  for (const name of candidates) {
    const found = fields.find((field) => field.name === name);
    if (found) return found;
  }
  return undefined;
}

/** "Too many attempts, try again in 30 s" and friends: the form-level message for an error. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (err.status === 0) return 'Could not reach the GlucoPlay server. Check your connection and try again.';
  if (err.status === 429) {
    return err.retryAfter !== undefined
      ? `Too many attempts, try again in ${err.retryAfter} s.`
      : 'Too many attempts. Please wait a moment and try again.';
  }
  if (err.status >= 500) return 'The server had a problem. Please try again in a moment.';
  return err.message || 'The request failed. Please try again.';
}

/** After a 429 with Retry-After, keeps `button` disabled until the wait is over. */
export function holdWhileRateLimited(err: unknown, button: HTMLButtonElement): void {
  if (!(err instanceof ApiError) || err.status !== 429 || !err.retryAfter) return;
  button.disabled = true;
  window.setTimeout(() => {
    button.disabled = false;
  }, err.retryAfter * 1000);
}

/** A button that shows it is working: disabled, `aria-busy`, and a different label while `busy`. */
export function setBusy(button: HTMLButtonElement, busy: boolean, busyLabel?: string): void {
  const idle = (button.dataset['idleLabel'] ??= button.textContent ?? '');
  button.disabled = busy;
  if (busy) button.setAttribute('aria-busy', 'true');
  else button.removeAttribute('aria-busy');
  button.textContent = busy && busyLabel ? busyLabel : idle;
}

/**
 * The feedback side of one form: its fields, its `role="alert"` region and its submit button.
 * `check` runs client-side rules; `fail` maps an API error to a field (or the alert).
 */
export class FormFeedback {
  readonly alert: HTMLElement;

  constructor(
    readonly fields: readonly Field[],
    readonly submit: HTMLButtonElement,
    alert?: HTMLElement,
  ) {
    this.alert = alert ?? formAlert();
  }

  field(name: string): Field | undefined {
    return fieldForApiName(this.fields, name);
  }

  /** Clears every field error and the alert. */
  reset(): void {
    for (const field of this.fields) setFieldError(field, null);
    this.alert.textContent = '';
  }

  /**
   * Shows `errors` (API field name → message) and focuses the first invalid field in form order.
   * Returns true when there were none.
   */
  check(errors: Record<string, string | null>): boolean {
    let first: Field | undefined;
    for (const field of this.fields) {
      const message = errors[field.name] ?? null;
      setFieldError(field, message);
      if (message && !first) first = field;
    }
    first?.control.focus();
    return first === undefined;
  }

  /**
   * Shows an API error: next to its field when the answer names one we have (`messages` may replace the server's
   * text per code, e.g. a friendlier 409), otherwise in the alert region.
   */
  fail(err: unknown, messages: Partial<Record<string, string>> = {}): void {
    const field = err instanceof ApiError && err.status < 500 ? this.field(err.field ?? '') : undefined;
    const override = err instanceof ApiError ? (messages[`${err.status}`] ?? messages[err.code]) : undefined;
    if (field) {
      setFieldError(field, override ?? (err as ApiError).message);
      field.control.focus();
      return;
    }
    this.alert.textContent = override ?? describeError(err);
  }

  /** While the field shows an error, re-runs `validate` as the user edits it, so the message goes once fixed. */
  liveCheck(name: string, validate: () => string | null): void {
    const field = this.field(name);
    if (!field) return;
    for (const control of field.controls) {
      const event = control instanceof HTMLSelectElement || control.type === 'radio' ? 'change' : 'input';
      control.addEventListener(event, () => {
        if (field.row.classList.contains('field--invalid')) setFieldError(field, validate());
      });
    }
  }

  /**
   * Registers the form's client-side rules (API field name → check). Returns `validate()`, which runs them all,
   * shows the messages and focuses the first failure; each field also re-checks itself while it shows an error.
   */
  withRules(rules: Record<string, () => string | null>): () => boolean {
    for (const [name, rule] of Object.entries(rules)) this.liveCheck(name, rule);
    return () => {
      const errors: Record<string, string | null> = {};
      for (const [name, rule] of Object.entries(rules)) errors[name] = rule();
      return this.check(errors);
    };
  }

  busy(busy: boolean, label?: string): void {
    setBusy(this.submit, busy, label);
  }
}

/** An empty `role="alert"` region (hidden by CSS while empty). */
export function formAlert(): HTMLElement {
  return h('div', { class: 'form-alert', role: 'alert' });
}

/** An empty polite status region for "Saved." and similar. */
export function formStatus(id?: string): HTMLElement {
  return h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite', id });
}

/** A "Show password" checkbox that switches `inputs` between type=password and type=text. */
export function showPasswordToggle(id: string, inputs: readonly HTMLInputElement[], label = 'Show password'): HTMLElement {
  const box = h('input', { type: 'checkbox', id, class: 'checkbox', 'aria-controls': inputs.map((i) => i.id).join(' ') });
  box.addEventListener('change', () => {
    for (const input of inputs) input.type = box.checked ? 'text' : 'password';
  });
  return h('div', { class: 'check-row' }, box, h('label', { for: id }, label));
}

/** Length in characters as the server counts them (code points, so an emoji is one). */
export function charLength(text: string): number {
  return Array.from(text).length;
}
