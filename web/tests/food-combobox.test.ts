import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Food } from '../src/api/food';
import { foodOption } from '../src/food/add-form';
import { createCombobox, type Combobox } from '../src/food/combobox';
import { APPLE, APPLE_JUICE, BROCCOLI, DRIED_APPLE } from './food-fixtures';

const FOODS = [APPLE, DRIED_APPLE, APPLE_JUICE];

let search: ReturnType<typeof vi.fn<(q: string, signal: AbortSignal) => Promise<Food[]>>>;
let changes: (Food | null)[];
let box: Combobox<Food>;

function make(found: (q: string) => Food[] = () => FOODS): void {
  search = vi.fn((q: string) => Promise.resolve(found(q)));
  changes = [];
  box = createCombobox<Food>({
    name: 'food_id',
    id: 'f-food',
    label: 'Search foods',
    search,
    renderOption: foodOption,
    itemText: (f) => f.name,
    onChange: (f) => changes.push(f),
    countText: (n) => `${n} foods found.`,
  });
  document.body.append(box.field.row);
  box.input.focus();
}

function type(text: string): void {
  box.input.value = text;
  box.input.dispatchEvent(new Event('input', { bubbles: true }));
}

function key(name: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init });
  box.input.dispatchEvent(event);
  return event;
}

const options = (): HTMLElement[] => [...box.listbox.querySelectorAll<HTMLElement>('[role="option"]')];
const active = (): string | null => box.input.getAttribute('aria-activedescendant');
const expanded = (): string | null => box.input.getAttribute('aria-expanded');

beforeEach(() => {
  document.body.replaceChildren();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('food combobox (ARIA 1.2)', () => {
  it('is an input with role combobox that controls a listbox', () => {
    make();
    expect(box.input.getAttribute('role')).toBe('combobox');
    expect(box.input.getAttribute('aria-autocomplete')).toBe('list');
    expect(expanded()).toBe('false');
    const listId = box.input.getAttribute('aria-controls');
    expect(listId).toBe(box.listbox.id);
    expect(box.listbox.getAttribute('role')).toBe('listbox');
    // Labelled by its <label>.
    expect(document.querySelector(`label[for="${box.input.id}"]`)?.textContent).toBe('Search foods');
  });

  it('searches once, 150 ms after the last keystroke', async () => {
    vi.useFakeTimers();
    make();
    type('a');
    vi.advanceTimersByTime(100);
    type('ap');
    vi.advanceTimersByTime(100);
    type('app');
    expect(search).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]?.[0]).toBe('app');
  });

  it('opens with the results; each option shows the name, the GI band and the GL per serving in words', async () => {
    make();
    type('apple');
    await box.flush();
    expect(expanded()).toBe('true');
    expect(options()).toHaveLength(3);
    const first = options()[0];
    expect(first?.textContent).toContain('Apple, raw');
    expect(first?.textContent).toContain('Low GI 36');
    expect(first?.textContent).toContain('Low GL 7.5');
    expect(first?.textContent).toContain('per 1 medium (182 g)');
    expect(options()[2]?.textContent).toContain('Medium GL 11.3');
    expect(document.getElementById('f-food-status')?.textContent).toBe('3 foods found.');
  });

  it('says "No GI" for a food without one', async () => {
    make(() => [BROCCOLI]);
    type('broc');
    await box.flush();
    expect(options()[0]?.textContent).toContain('No GI');
    expect(options()[0]?.textContent).toContain('No GL');
  });

  it('moves with the arrow keys (wrapping) and chooses with Enter', async () => {
    make();
    type('apple');
    await box.flush();
    expect(active()).toBeNull();

    expect(key('ArrowDown').defaultPrevented).toBe(true);
    expect(active()).toBe(options()[0]?.id);
    expect(options()[0]?.getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    expect(active()).toBe(options()[1]?.id);
    expect(options()[0]?.getAttribute('aria-selected')).toBe('false');
    key('ArrowDown');
    key('ArrowDown'); // wraps to the first
    expect(active()).toBe(options()[0]?.id);
    key('ArrowUp'); // wraps to the last
    expect(active()).toBe(options()[2]?.id);
    key('Home');
    expect(active()).toBe(options()[0]?.id);
    key('End');
    expect(active()).toBe(options()[2]?.id);
    key('ArrowUp');

    const enter = key('Enter');
    expect(enter.defaultPrevented).toBe(true); // the form is not submitted
    expect(box.selected()).toBe(DRIED_APPLE);
    expect(changes).toEqual([DRIED_APPLE]);
    expect(box.input.value).toBe('Apple, dried');
    expect(expanded()).toBe('false');
    expect(active()).toBeNull();
    expect(document.activeElement).toBe(box.input);
  });

  it('lets Enter through (to submit) while the list is closed', async () => {
    make();
    type('apple');
    await box.flush();
    key('ArrowDown');
    key('Enter');
    expect(key('Enter').defaultPrevented).toBe(false);
  });

  it('closes with Escape, reopens with ArrowDown, and clears with a second Escape', async () => {
    make();
    type('apple');
    await box.flush();
    key('ArrowDown');
    expect(key('Escape').defaultPrevented).toBe(true);
    expect(expanded()).toBe('false');
    expect(box.isOpen()).toBe(false);
    expect(box.input.value).toBe('apple');
    key('ArrowDown');
    expect(expanded()).toBe('true');
    expect(active()).toBe(options()[0]?.id);
    key('Escape');
    key('Escape');
    expect(box.input.value).toBe('');
    expect(box.selected()).toBeNull();
  });

  it('chooses with a click', async () => {
    make();
    type('apple');
    await box.flush();
    options()[2]?.click();
    expect(box.selected()).toBe(APPLE_JUICE);
    expect(box.input.value).toBe('Apple juice, unsweetened');
  });

  it('forgets the choice when the text changes', async () => {
    make();
    type('apple');
    await box.flush();
    key('ArrowDown');
    key('Enter');
    type('Apple, ra');
    expect(box.selected()).toBeNull();
    expect(changes).toEqual([APPLE, null]);
  });

  it('shows a message when nothing matches, and closes with Tab', async () => {
    make(() => []);
    type('zzz');
    await box.flush();
    expect(options()).toHaveLength(0);
    expect(expanded()).toBe('false');
    expect(box.isOpen()).toBe(true);
    expect(box.field.row.textContent).toContain('Nothing matches “zzz”.');
    key('Tab');
    expect(box.isOpen()).toBe(false);
  });

  it('never lets an older answer replace a newer one', async () => {
    const answers: Array<(foods: Food[]) => void> = [];
    search = vi.fn(() => new Promise<Food[]>((resolve) => answers.push(resolve)));
    box = createCombobox<Food>({
      name: 'food_id',
      id: 'f-food',
      label: 'Search foods',
      search,
      renderOption: foodOption,
      itemText: (f) => f.name,
      onChange: () => undefined,
    });
    document.body.append(box.field.row);
    box.input.focus();
    type('a');
    void box.flush();
    type('apple j');
    const second = box.flush();
    expect(search.mock.calls[0]?.[1].aborted).toBe(true);
    answers[1]?.([APPLE_JUICE]);
    await second;
    answers[0]?.(FOODS);
    await Promise.resolve();
    expect(options().map((o) => o.querySelector('.food-option-name')?.textContent)).toEqual(['Apple juice, unsweetened']);
  });

  it('renders names as text, never as markup', async () => {
    make(() => [{ ...APPLE, name: '<img src=x onerror=alert(1)>' }]);
    type('img');
    await box.flush();
    expect(box.listbox.querySelector('img')).toBeNull();
    expect(options()[0]?.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
