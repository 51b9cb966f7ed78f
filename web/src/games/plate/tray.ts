/**
 * The food tray: a search box over the catalog (`GET /api/foods?q=`) and, before any search, a few suggested
 * foods per group for the current meal. Each food is a button: a click, tap, Enter or Space picks it (then a
 * section of the plate takes it); with a mouse the whole card drags, on touch the grip at its left edge does.
 */
import type { PlateFood, PlateGroup } from '../../api/plate';
import { clear, h } from '../../ui/dom';
import { foodIcon } from './art';
import { GI_BAND_LABEL, GROUP_HEADING, GROUP_LABEL, giBand, giDescription, groupOf } from './foods';

export const SEARCH_DEBOUNCE_MS = 250;
export const SEARCH_LIMIT = 12;

export interface TrayOptions {
  /** Runs a catalog search; the tray aborts a search that a newer one replaces. */
  search: (query: string, signal: AbortSignal) => Promise<PlateFood[]>;
  /** A food was picked (click, tap, Enter, Space). `byKeyboard`: picked with Enter/Space. */
  onPick: (food: PlateFood, byKeyboard: boolean) => void;
  /** Called for every food card drawn, so that the game can make it draggable. */
  onCard?: (card: HTMLButtonElement, food: PlateFood) => void;
}

/** A grip of six dots: where a finger starts a drag. */
function grip(): HTMLElement {
  const dots = h('span', { class: 'food-card-grip', 'aria-hidden': 'true' });
  for (let i = 0; i < 6; i += 1) dots.append(h('span', { class: 'grip-dot' }));
  return dots;
}

/** The band as colour AND words: "Low GI", "No GI". */
export function giTag(food: PlateFood): HTMLElement {
  const band = giBand(food);
  return h('span', { class: `gi-tag gi-tag--${band}`, title: giDescription(food) }, GI_BAND_LABEL[band]);
}

export function groupTag(group: PlateGroup): HTMLElement {
  return h('span', { class: `group-tag group-tag--${group}` }, GROUP_LABEL[group]);
}

export class FoodTray {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly options: TrayOptions;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private readonly cards = new Map<number, HTMLButtonElement[]>();
  private suggested = new Map<PlateGroup, PlateFood[]>();
  private selectedId: number | null = null;
  private timer: number | undefined;
  private controller: AbortController | null = null;
  private query = '';

  constructor(options: TrayOptions) {
    this.options = options;
    this.input = h('input', {
      id: 'plate-food-search',
      class: 'input input--compact',
      type: 'search',
      autocomplete: 'off',
      placeholder: 'e.g. salmon, rice, apple',
      'aria-describedby': 'plate-tray-hint',
    });
    this.status = h('p', { class: 'tray-status', role: 'status' });
    this.list = h('div', { class: 'tray-list' });
    this.el = h(
      'section',
      { class: 'plate-tray', 'aria-labelledby': 'plate-tray-title' },
      h('h2', { id: 'plate-tray-title', class: 'tray-title' }, 'Food tray'),
      h('p', { id: 'plate-tray-hint', class: 'tray-hint' }, 'Drag a food onto the plate, or pick it and then pick a section.'),
      h('div', { class: 'tray-search' }, h('label', { for: 'plate-food-search', class: 'label' }, 'Search foods'), this.input),
      this.status,
      this.list,
    );
    this.input.addEventListener('input', () => this.scheduleSearch());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.input.value) {
        event.stopPropagation();
        this.input.value = '';
        this.scheduleSearch(0);
      }
    });
  }

  /** The suggested foods shown before (and after) a search. */
  setSuggestions(groups: Map<PlateGroup, PlateFood[]>): void {
    this.suggested = groups;
    if (!this.query) this.showSuggestions();
  }

  /** Marks the picked food (aria-pressed), or none. */
  setSelected(foodId: number | null): void {
    this.selectedId = foodId;
    for (const [id, buttons] of this.cards) {
      for (const button of buttons) {
        button.setAttribute('aria-pressed', String(id === foodId));
        button.classList.toggle('is-selected', id === foodId);
      }
    }
  }

  /** Puts the focus back on a food's card (after placing it from the keyboard). */
  focusFood(foodId: number): boolean {
    const card = this.cards.get(foodId)?.[0];
    if (!card || !card.isConnected) return false;
    card.focus();
    return true;
  }

  /** Clears the search box and shows the suggestions again. */
  reset(): void {
    this.input.value = '';
    this.query = '';
    this.controller?.abort();
    window.clearTimeout(this.timer);
    this.status.textContent = '';
    this.showSuggestions();
  }

  private scheduleSearch(delay = SEARCH_DEBOUNCE_MS): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.runSearch(), delay);
  }

  private async runSearch(): Promise<void> {
    const query = this.input.value.trim();
    this.query = query;
    this.controller?.abort();
    if (!query) {
      this.status.textContent = '';
      this.showSuggestions();
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.status.textContent = 'Searching…';
    try {
      const foods = await this.options.search(query, controller.signal);
      if (controller.signal.aborted) return;
      this.status.textContent =
        foods.length === 0 ? `No foods match “${query}”.` : `${foods.length} ${foods.length === 1 ? 'food matches' : 'foods match'} “${query}”.`;
      this.showFoods(foods);
    } catch (err) {
      if (controller.signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
      this.status.textContent = 'The search did not work. Check your connection and try again.';
    }
  }

  private showSuggestions(): void {
    clear(this.list);
    this.cards.clear();
    for (const [group, foods] of this.suggested) {
      const id = `tray-group-${group}`;
      this.list.append(
        h('h3', { id, class: `tray-group-title tray-group-title--${group}` }, GROUP_HEADING[group]),
        this.foodList(foods, id),
      );
    }
    this.setSelected(this.selectedId);
  }

  private showFoods(foods: readonly PlateFood[]): void {
    clear(this.list);
    this.cards.clear();
    if (foods.length > 0) this.list.append(this.foodList(foods, 'plate-tray-title'));
    this.setSelected(this.selectedId);
  }

  private foodList(foods: readonly PlateFood[], labelledBy: string): HTMLElement {
    const ul = h('ul', { class: 'food-cards', 'aria-labelledby': labelledBy });
    for (const food of foods) ul.append(h('li', undefined, this.card(food)));
    return ul;
  }

  private card(food: PlateFood): HTMLButtonElement {
    const group = groupOf(food);
    const button = h(
      'button',
      { type: 'button', class: `food-card food-card--${group}`, 'aria-pressed': 'false', 'data-food-id': food.id, 'data-group': group },
      grip(),
      foodIcon(food, 40),
      h(
        'span',
        { class: 'food-card-text' },
        h('span', { class: 'food-card-name' }, food.name),
        h('span', { class: 'food-card-meta' }, food.serving_desc),
        h('span', { class: 'food-card-tags' }, groupTag(group), ' ', giTag(food)),
      ),
    );
    button.addEventListener('click', (event) => {
      if (button.dataset['dragged'] === '1') {
        // The click that ends a drag is not a pick.
        delete button.dataset['dragged'];
        return;
      }
      this.options.onPick(food, event.detail === 0);
    });
    const list = this.cards.get(food.id) ?? [];
    list.push(button);
    this.cards.set(food.id, list);
    this.options.onCard?.(button, food);
    return button;
  }
}
