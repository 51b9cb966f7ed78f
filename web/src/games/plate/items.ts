/**
 * "On your plate": every placed food with its portion (− / + buttons and a grams field) and a remove button,
 * grouped by section. Redrawn after every change; the focused control is found again by item key and role.
 */
import { SECTIONS } from '../../api/plate';
import { clear, h } from '../../ui/dom';
import { foodIcon } from './art';
import { MAX_GRAMS, MIN_GRAMS, SECTION_LABEL, SECTION_SHARE, type Plate, type PlacedItem } from './state';

export interface ItemListOptions {
  onNudge: (key: number, steps: number) => void;
  onSetGrams: (key: number, grams: number) => void;
  onRemove: (key: number) => void;
}

type Role = 'less' | 'more' | 'grams' | 'remove';

export class PlateItemList {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly count: HTMLElement;
  private readonly options: ItemListOptions;

  constructor(options: ItemListOptions) {
    this.options = options;
    this.count = h('span', { class: 'placed-count' });
    this.body = h('div', { class: 'placed-body' });
    this.el = h(
      'section',
      { class: 'placed', 'aria-labelledby': 'plate-placed-title' },
      h('h2', { id: 'plate-placed-title', class: 'placed-title', tabindex: '-1' }, 'On your plate ', this.count),
      this.body,
    );
  }

  /** Draws `plate`'s items; keeps the focus on the same control of the same item when it still exists. */
  render(plate: Plate): void {
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.el.contains(active) ? active.dataset['key'] : undefined;
    const focusRole = active instanceof HTMLElement ? active.dataset['role'] : undefined;

    clear(this.body);
    this.count.textContent = `(${plate.items.length} of ${plate.maxItems})`;
    if (plate.items.length === 0) {
      this.body.append(h('p', { class: 'placed-empty' }, 'Nothing yet. Half vegetables, a quarter protein, a quarter carbohydrate, and a drink.'));
    }
    for (const section of SECTIONS) {
      const items = plate.inSection(section);
      if (items.length === 0) continue;
      const id = `placed-${section}`;
      this.body.append(
        h(
          'div',
          { class: `placed-group placed-group--${section}` },
          h('h3', { id, class: 'placed-group-title' }, SECTION_LABEL[section], h('span', { class: 'placed-share' }, ` · ${SECTION_SHARE[section]}`)),
          h('ul', { class: 'placed-list', 'aria-labelledby': id }, ...items.map((item) => this.row(item))),
        ),
      );
    }

    if (focusKey && focusRole) {
      const again = this.body.querySelector<HTMLElement>(`[data-key="${focusKey}"][data-role="${focusRole}"]`);
      again?.focus();
    }
  }

  /** After a removal: the focus goes to the next item's remove button, or to the list's heading. */
  focusAfterRemove(plate: Plate, removedIndex: number): void {
    const next = plate.items[Math.min(removedIndex, plate.items.length - 1)];
    const button = next ? this.body.querySelector<HTMLElement>(`[data-key="${next.key}"][data-role="remove"]`) : null;
    (button ?? this.el.querySelector<HTMLElement>('#plate-placed-title'))?.focus();
  }

  private control(item: PlacedItem, role: Role, attrs: Record<string, string | number>, ...children: Array<Node | string>): HTMLElement {
    const tag = role === 'grams' ? 'input' : 'button';
    const el = h(tag, { ...attrs, 'data-key': item.key, 'data-role': role }, ...(tag === 'input' ? [] : children));
    return el;
  }

  private row(item: PlacedItem): HTMLElement {
    const name = item.food.name;
    const less = this.control(item, 'less', { type: 'button', class: 'portion-btn', 'aria-label': `Less ${name}` }, '−');
    const more = this.control(item, 'more', { type: 'button', class: 'portion-btn', 'aria-label': `More ${name}` }, '+');
    const grams = this.control(item, 'grams', {
      type: 'number',
      class: 'portion-grams',
      min: MIN_GRAMS,
      max: MAX_GRAMS,
      step: 1,
      inputmode: 'numeric',
      'aria-label': `Grams of ${name}`,
    }) as HTMLInputElement;
    grams.value = String(item.grams);
    const remove = this.control(
      item,
      'remove',
      { type: 'button', class: 'remove-btn', 'aria-label': `Remove ${name} from ${SECTION_LABEL[item.section].toLowerCase()}` },
      h('span', { 'aria-hidden': 'true' }, '×'),
    );

    if (item.grams <= MIN_GRAMS) (less as HTMLButtonElement).disabled = true;
    if (item.grams >= MAX_GRAMS) (more as HTMLButtonElement).disabled = true;
    less.addEventListener('click', () => this.options.onNudge(item.key, -1));
    more.addEventListener('click', () => this.options.onNudge(item.key, 1));
    // An empty or unreadable field (type=number gives '') keeps the amount: NaN is ignored by the plate.
    const typed = (): number => (grams.value.trim() === '' ? Number.NaN : Number(grams.value));
    grams.addEventListener('change', () => this.options.onSetGrams(item.key, typed()));
    grams.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.options.onSetGrams(item.key, typed());
      }
    });
    remove.addEventListener('click', () => this.options.onRemove(item.key));

    return h(
      'li',
      { class: 'placed-item', 'data-item': item.key },
      foodIcon(item.food, 34),
      h('span', { class: 'placed-name' }, name, h('span', { class: 'placed-serving' }, item.food.serving_desc)),
      h('span', { class: 'portion' }, less, h('span', { class: 'portion-field' }, grams, h('span', { class: 'portion-unit', 'aria-hidden': 'true' }, 'g')), more),
      remove,
    );
  }
}
