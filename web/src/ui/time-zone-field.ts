/**
 * The time-zone picker: a `<select>` of every IANA zone the browser knows (plus "UTC"), a search box that narrows
 * the list, and a one-click suggestion of the device's own zone when it differs from the chosen one.
 */
import { clear, h } from './dom';
import { fieldId, selectField, type Field } from './forms';
import { browserTimeZone, filterTimeZones, timeZoneLabel, timeZones } from './time-zones';

export interface TimeZonePicker {
  field: Field;
  readonly select: HTMLSelectElement;
  /** Every zone the picker offers (the check for "is this a zone from the list"). */
  readonly zones: readonly string[];
  /** Shows the full list again with `zone` chosen. */
  reset(zone: string): void;
}

export function timeZonePicker(options: { name: string; label: string; value: string; hint?: string }): TimeZonePicker {
  const id = fieldId(options.name);
  const known = timeZones();
  // A saved zone the browser does not list (an old alias, say) stays choosable rather than silently changing.
  const zones = known.includes(options.value) || options.value === '' ? known : [options.value, ...known];
  const labels = new Map(zones.map((zone) => [zone, timeZoneLabel(zone)]));
  const label = (zone: string): string => labels.get(zone) ?? zone;

  const field = selectField({ name: options.name, label: options.label, hint: options.hint, choices: [] });
  const select = field.control as HTMLSelectElement;

  const fill = (list: readonly string[], keep: string): void => {
    clear(select);
    for (const zone of list) select.append(h('option', { value: zone }, label(zone)));
    select.value = list.includes(keep) ? keep : (list[0] ?? keep);
  };

  const search = h('input', {
    type: 'search',
    id: `${id}-search`,
    class: 'input input--compact',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-controls': id,
    'aria-describedby': `${id}-count`,
    placeholder: 'e.g. Los Angeles, Berlin, GMT+1',
  });
  const count = h('p', { class: 'tz-count', id: `${id}-count`, 'aria-live': 'polite' });
  const applyFilter = (): void => {
    const query = search.value.trim();
    const matches = filterTimeZones(zones, query, label);
    if (query === '') {
      fill(zones, select.value);
      count.textContent = '';
    } else if (matches.length === 0) {
      fill([select.value], select.value);
      count.textContent = `No time zone matches “${query}”.`;
    } else {
      fill(matches, select.value);
      count.textContent = `${matches.length} of ${zones.length} time zones match; ${label(select.value)} is chosen.`;
    }
    updateSuggestion();
  };
  search.addEventListener('input', applyFilter);
  // Enter in the search box moves on to the list instead of submitting the whole form.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      select.focus();
    }
  });

  const device = browserTimeZone();
  const suggestion = h('p', { class: 'tz-suggestion', hidden: true });
  const useDevice = h('button', { type: 'button', class: 'link-button' }, `Use this device’s time zone: ${device ? label(device) : ''}`);
  suggestion.append(useDevice);
  const updateSuggestion = (): void => {
    suggestion.hidden = !device || !zones.includes(device) || select.value === device;
  };
  useDevice.addEventListener('click', () => {
    if (!device) return;
    reset(device);
    select.focus();
  });
  select.addEventListener('change', updateSuggestion);

  const reset = (zone: string): void => {
    search.value = '';
    count.textContent = '';
    fill(zones, zone);
    updateSuggestion();
  };

  const searchRow = h('div', { class: 'tz-search' }, h('label', { for: search.id, class: 'sublabel' }, 'Search the list'), search, count);
  field.row.insertBefore(searchRow, select);
  field.row.insertBefore(suggestion, field.error);
  field.row.classList.add('field--time-zone');
  reset(options.value || device || 'UTC');

  return { field, select, zones, reset };
}
