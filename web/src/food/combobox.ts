/**
 * A search-as-you-type combobox (WAI-ARIA 1.2 combobox pattern, list autocomplete with manual selection):
 * an `<input role="combobox">` that owns a `role="listbox"` popup through `aria-controls`, with the highlighted
 * option in `aria-activedescendant`.
 *
 * Keys: ↓ opens the list / moves down, ↑ moves up (both wrap), Home/End go to the first/last option while the list
 * is open, Enter chooses the highlighted option, Escape closes the list (or, when it is closed, clears the text),
 * Tab closes it. A click chooses too. Searches are debounced, and an older answer never replaces a newer one.
 * The number of results is announced in a polite status region.
 */
import { describeError, inputField, type Field } from '../ui/forms';
import { h, clear, type Child } from '../ui/dom';

export interface ComboboxOptions<T> {
  /** API field name (for error mapping) and the input's `name`. */
  name: string;
  /** Element id prefix; the input gets this id. */
  id: string;
  label: string;
  hint?: string;
  placeholder?: string;
  search: (query: string, signal: AbortSignal) => Promise<T[]>;
  /** What one option shows (text and elements; never markup). Its text is the option's accessible name. */
  renderOption: (item: T) => Child[];
  /** The text the input shows once `item` is chosen. */
  itemText: (item: T) => string;
  /** Called with the chosen item, or null when the text no longer matches a choice. */
  onChange: (item: T | null) => void;
  /** "No foods match “xyz”." */
  emptyText?: (query: string) => string;
  /** "3 foods found." */
  countText?: (count: number) => string;
  debounceMs?: number;
  maxLength?: number;
}

export interface Combobox<T> {
  readonly field: Field;
  readonly input: HTMLInputElement;
  readonly listbox: HTMLUListElement;
  /** The chosen item (null until one is chosen, or after the text changed). */
  selected(): T | null;
  /** Chooses `item` (or clears the choice and the text) from code. */
  select(item: T | null): void;
  isOpen(): boolean;
  close(): void;
  /** Runs the pending search now (tests). */
  flush(): Promise<void>;
}

export const DEFAULT_DEBOUNCE_MS = 150;

export function createCombobox<T>(options: ComboboxOptions<T>): Combobox<T> {
  const listId = `${options.id}-listbox`;
  const field = inputField({
    name: options.name,
    id: options.id,
    label: options.label,
    hint: options.hint,
    type: 'text',
    autocomplete: 'off',
    attrs: {
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      autocapitalize: 'off',
      spellcheck: 'false',
      placeholder: options.placeholder,
      maxlength: options.maxLength,
      enterkeyhint: 'search',
    },
  });
  const input = field.control as HTMLInputElement;
  const listbox = h('ul', { id: listId, class: 'combobox-list', role: 'listbox', 'aria-label': options.label });
  const empty = h('p', { class: 'combobox-empty' });
  const popup = h('div', { class: 'combobox-popup', hidden: true }, listbox, empty);
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: `${options.id}-status` });
  const wrap = h('div', { class: 'combobox' });
  input.replaceWith(wrap);
  wrap.append(input, popup, status);

  let items: T[] = [];
  let active = -1;
  let chosen: T | null = null;
  let timer: number | undefined;
  let pending: Promise<void> = Promise.resolve();
  let controller: AbortController | null = null;
  let sequence = 0;
  const debounce = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;

  const optionId = (index: number): string => `${options.id}-option-${index}`;

  function setOpen(open: boolean): void {
    popup.hidden = !open;
    input.setAttribute('aria-expanded', String(open && items.length > 0));
    if (!open) setActive(-1);
  }

  function setActive(index: number): void {
    active = index;
    const nodes = listbox.children;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as HTMLElement;
      node.setAttribute('aria-selected', String(i === index));
      node.classList.toggle('is-active', i === index);
    }
    if (index >= 0 && index < nodes.length) {
      input.setAttribute('aria-activedescendant', optionId(index));
      const node = nodes[index] as HTMLElement;
      if (typeof node.scrollIntoView === 'function') node.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render(query: string): void {
    clear(listbox);
    items.forEach((item, index) => {
      const option = h('li', { id: optionId(index), role: 'option', class: 'combobox-option', 'aria-selected': 'false' }, ...options.renderOption(item));
      // mousedown would blur the input before the click lands: keep focus in the input.
      option.addEventListener('mousedown', (event) => event.preventDefault());
      option.addEventListener('click', () => choose(index));
      listbox.append(option);
    });
    listbox.hidden = items.length === 0;
    empty.textContent = items.length === 0 ? (options.emptyText?.(query) ?? `Nothing matches “${query}”.`) : '';
    empty.hidden = items.length > 0;
    status.textContent = items.length === 0 ? empty.textContent : (options.countText?.(items.length) ?? `${items.length} results.`);
    setActive(-1);
    setOpen(document.activeElement === input);
  }

  function choose(index: number): void {
    const item = items[index];
    if (item === undefined) return;
    chosen = item;
    input.value = options.itemText(item);
    setOpen(false);
    status.textContent = `${input.value} chosen.`;
    options.onChange(item);
  }

  function runSearch(): Promise<void> {
    const query = input.value.trim();
    controller?.abort();
    controller = null;
    if (query === '') {
      items = [];
      clear(listbox);
      status.textContent = '';
      setOpen(false);
      return Promise.resolve();
    }
    const mine = ++sequence;
    const ctrl = new AbortController();
    controller = ctrl;
    wrap.setAttribute('aria-busy', 'true');
    return options.search(query, ctrl.signal).then(
      (found) => {
        if (mine !== sequence) return;
        wrap.removeAttribute('aria-busy');
        items = found;
        render(query);
      },
      (err: unknown) => {
        if (mine !== sequence || ctrl.signal.aborted) return;
        wrap.removeAttribute('aria-busy');
        items = [];
        clear(listbox);
        listbox.hidden = true;
        empty.hidden = false;
        empty.textContent = `Could not search. ${describeError(err)}`;
        status.textContent = empty.textContent;
        setOpen(document.activeElement === input);
      },
    );
  }

  function schedule(): void {
    window.clearTimeout(timer);
    pending = new Promise<void>((resolve) => {
      timer = window.setTimeout(() => {
        timer = undefined;
        void runSearch().then(resolve);
      }, debounce);
    });
  }

  input.addEventListener('input', () => {
    if (chosen !== null && input.value !== options.itemText(chosen)) {
      chosen = null;
      options.onChange(null);
    }
    schedule();
  });

  input.addEventListener('keydown', (event) => {
    const open = !popup.hidden && items.length > 0;
    const count = items.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (count === 0) return;
        if (!open) {
          setOpen(true);
          setActive(event.altKey ? -1 : 0);
        } else if (!event.altKey) {
          setActive(active < count - 1 ? active + 1 : 0);
        }
        return;
      case 'ArrowUp':
        event.preventDefault();
        if (count === 0) return;
        if (!open) {
          setOpen(true);
          setActive(count - 1);
        } else {
          setActive(active > 0 ? active - 1 : count - 1);
        }
        return;
      case 'Home':
      case 'End':
        if (!open || active < 0) return; // let the caret move in the text
        event.preventDefault();
        setActive(event.key === 'Home' ? 0 : count - 1);
        return;
      case 'Enter':
        if (!open) return;
        event.preventDefault(); // never submit the form while the list is open
        if (active >= 0) choose(active);
        return;
      case 'Escape':
        if (!popup.hidden) {
          event.preventDefault();
          setOpen(false);
        } else if (input.value !== '') {
          event.preventDefault();
          select(null);
        }
        return;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
  });

  input.addEventListener('blur', () => setOpen(false));
  input.addEventListener('focus', () => {
    if (chosen === null && (items.length > 0 || !empty.hidden) && input.value.trim() !== '') setOpen(true);
  });

  function select(item: T | null): void {
    window.clearTimeout(timer);
    controller?.abort();
    sequence++;
    const changed = chosen !== item;
    chosen = item;
    input.value = item === null ? '' : options.itemText(item);
    items = [];
    clear(listbox);
    empty.textContent = '';
    setOpen(false);
    if (changed) options.onChange(item);
  }

  return {
    field,
    input,
    listbox,
    selected: () => chosen,
    select,
    isOpen: () => !popup.hidden,
    close: () => setOpen(false),
    flush: () => {
      if (timer !== undefined) {
        window.clearTimeout(timer);
        timer = undefined;
        pending = runSearch();
      }
      return pending;
    },
  };
}
