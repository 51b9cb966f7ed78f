/**
 * The plate, drawn in SVG: a 9-inch plate split by the Diabetes Plate Method (half vegetables on the left, a
 * quarter protein top right, a quarter carbohydrate bottom right) and a glass beside it. In play each section is a
 * focusable button (Enter/Space or a click places the selected food there) and a drop target for dragging.
 */
import type { Section } from '../../api/plate';
import { SECTIONS } from '../../api/plate';
import { clear, s } from '../../ui/dom';
import { foodArt } from './art';
import { drinkColour, shortName } from './foods';
import { SECTION_LABEL, SECTION_SHARE, type PlacedItem } from './state';

/** Plate centre and radii, in viewBox units. */
const CX = 215;
const CY = 215;
const RIM = 205;
const R = 180;
export const VIEWBOX = '0 0 590 426';

/** The glass: top and bottom edges. */
const GLASS = { top: 118, bottom: 330, topLeft: 458, topRight: 568, bottomLeft: 472, bottomRight: 554 };

const SECTION_PATH: Record<Section, string> = {
  vegetables: `M${CX} ${CY - R} A${R} ${R} 0 0 0 ${CX} ${CY + R} Z`,
  protein: `M${CX} ${CY} L${CX} ${CY - R} A${R} ${R} 0 0 1 ${CX + R} ${CY} Z`,
  carbohydrate: `M${CX} ${CY} L${CX + R} ${CY} A${R} ${R} 0 0 1 ${CX} ${CY + R} Z`,
  drink: `M${GLASS.topLeft} ${GLASS.top} L${GLASS.topRight} ${GLASS.top} L${GLASS.bottomRight} ${GLASS.bottom} L${GLASS.bottomLeft} ${GLASS.bottom} Z`,
};

/** Where each section's label tag sits: on the rim at the section's outer corner, leaving the food room. */
const LABEL_AT: Record<Section, { x: number; y: number }> = {
  vegetables: { x: 100, y: 42 },
  protein: { x: 338, y: 42 },
  carbohydrate: { x: 338, y: 394 },
  drink: { x: 513, y: 372 },
};

const PILL_H = 54;

function pillWidth(section: Section): number {
  return Math.max(SECTION_LABEL[section].length * 15.5, 74) + 28;
}

/**
 * Spots for foods in each section, in the order they fill: the middle of the section first. Beyond the last spot
 * the foods go round again, a little offset (a plate holds 12 items at most).
 */
const SLOTS: Record<Exclude<Section, 'drink'>, ReadonlyArray<{ x: number; y: number }>> = {
  vegetables: [
    { x: 150, y: 165 },
    { x: 150, y: 275 },
    { x: 78, y: 220 },
    { x: 92, y: 128 },
    { x: 92, y: 312 },
    { x: 170, y: 360 },
    { x: 178, y: 90 },
  ],
  protein: [
    { x: 272, y: 163 },
    { x: 350, y: 168 },
    { x: 303, y: 100 },
  ],
  carbohydrate: [
    { x: 272, y: 262 },
    { x: 350, y: 258 },
    { x: 302, y: 320 },
  ],
};

/** How big a portion looks: about 100 g draws the 40-unit art at 2.1×; more food grows it slowly, up to 2.8×. */
export function portionScale(grams: number): number {
  return Math.min(2.8, Math.max(1.5, 2.1 * Math.sqrt(grams / 100)));
}

function describeSection(section: Section, items: readonly PlacedItem[]): string {
  const share = section === 'drink' ? 'the glass' : SECTION_SHARE[section];
  const here = items.filter((item) => item.section === section);
  const list = here.length === 0 ? 'empty' : here.map((item) => `${item.food.name} ${item.grams} g`).join(', ');
  return `${SECTION_LABEL[section]} (${share}): ${list}`;
}

export interface BoardOptions {
  /** Sections are buttons and drop targets; false draws a picture (role img) for the results. */
  interactive: boolean;
  /** A click, tap, Enter or Space on a section. `byKeyboard` is true for Enter/Space. */
  onActivate?: (section: Section, byKeyboard: boolean) => void;
  /** Accessible name of the picture (read-only boards). */
  label?: string;
}

export class PlateBoard {
  readonly svg: SVGSVGElement;
  private readonly sections = new Map<Section, SVGGElement>();
  private readonly foods: SVGGElement;
  private readonly labels: SVGGElement;
  private readonly glassFill: SVGGElement;
  /** Outlines drawn above everything: the focused section, and the section under a dragged food. */
  private readonly focusRing: SVGPathElement;
  private readonly dropRing: SVGPathElement;
  private readonly options: BoardOptions;
  private selectedName: string | null = null;
  private items: readonly PlacedItem[] = [];
  /** Keys drawn last time: only foods new to the plate get the "pop" animation. */
  private drawn = new Set<number>();

  constructor(options: BoardOptions) {
    this.options = options;
    this.svg = s('svg', {
      class: `plate-board${options.interactive ? ' plate-board--play' : ''}`,
      viewBox: VIEWBOX,
      role: options.interactive ? 'group' : 'img',
      'aria-label': options.label ?? (options.interactive ? 'Your plate and glass' : 'A plate'),
      focusable: 'false',
    });
    const defs = s('defs');
    const clip = s('clipPath', { id: `glass-clip-${Math.random().toString(36).slice(2, 8)}` }, s('path', { d: SECTION_PATH.drink }));
    defs.append(clip);

    // Table shadow, rim and eating surface.
    this.svg.append(
      defs,
      s('ellipse', { cx: CX + 6, cy: CY + 10, rx: RIM, ry: RIM, class: 'plate-shadow' }),
      s('circle', { cx: CX, cy: CY, r: RIM, class: 'plate-rim' }),
      s('circle', { cx: CX, cy: CY, r: R + 3, class: 'plate-rim-line' }),
      s('ellipse', { cx: (GLASS.bottomLeft + GLASS.bottomRight) / 2, cy: GLASS.bottom + 6, rx: 56, ry: 10, class: 'plate-shadow' }),
    );

    for (const section of SECTIONS) {
      const shape = s('path', { d: SECTION_PATH[section], class: `section-shape section-shape--${section}` });
      const g = s('g', { class: `plate-section plate-section--${section}`, 'data-section': section }, shape);
      if (options.interactive) {
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        g.addEventListener('click', () => options.onActivate?.(section, false));
        g.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            options.onActivate?.(section, true);
          }
        });
        g.addEventListener('focus', () => this.ring(this.focusRing, section));
        g.addEventListener('blur', () => this.ring(this.focusRing, null));
      }
      this.sections.set(section, g);
      this.svg.append(g);
    }

    // Dividers between the sections.
    this.svg.append(
      s('path', { d: `M${CX} ${CY - R} V${CY + R} M${CX} ${CY} H${CX + R}`, class: 'plate-divider' }),
    );

    this.glassFill = s('g', { class: 'glass-fill', 'clip-path': `url(#${clip.id})` });
    this.foods = s('g', { class: 'plate-foods' });
    this.labels = s('g', { class: 'plate-labels' });
    this.dropRing = s('path', { class: 'section-ring section-ring--drop', d: '' });
    this.focusRing = s('path', { class: 'section-ring section-ring--focus', d: '' });
    this.svg.append(
      this.glassFill,
      s('path', { d: `M${GLASS.topLeft + 8} ${GLASS.top + 10} L${GLASS.bottomLeft + 8} ${GLASS.bottom - 12}`, class: 'glass-shine' }),
      s('path', { d: SECTION_PATH.drink, class: 'glass-outline' }),
      this.foods,
      this.dropRing,
      this.focusRing,
      this.labels,
    );
    this.drawLabels();
    this.render([]);
  }

  /** The section element (for focus and tests). */
  section(section: Section): SVGGElement {
    const g = this.sections.get(section);
    if (!g) throw new Error(`no section ${section}`);
    return g;
  }

  focusSection(section: Section): void {
    this.section(section).focus();
  }

  /** Marks the sections as ready for the selected food (its name goes into their accessible names). */
  setSelected(name: string | null): void {
    this.selectedName = name;
    this.svg.classList.toggle('is-armed', name !== null);
    this.updateNames();
  }

  /** Highlights the section under a dragged food. */
  setHover(section: Section | null): void {
    for (const [key, g] of this.sections) g.classList.toggle('is-drop-target', key === section);
    this.ring(this.dropRing, section);
  }

  private ring(path: SVGPathElement, section: Section | null): void {
    path.setAttribute('d', section ? SECTION_PATH[section] : '');
    path.classList.toggle('is-on', section !== null);
  }

  /** The section under the point (client coordinates), or null. */
  sectionAt(x: number, y: number): Section | null {
    const hit = document.elementFromPoint(x, y);
    const g = hit instanceof Element ? hit.closest('[data-section]') : null;
    if (!g || !this.svg.contains(g)) return null;
    const section = g.getAttribute('data-section') ?? '';
    return (SECTIONS as readonly string[]).includes(section) ? (section as Section) : null;
  }

  /** Draws the foods on the plate and the drinks in the glass. */
  render(items: readonly PlacedItem[]): void {
    this.items = items;
    clear(this.foods);
    clear(this.glassFill);
    for (const section of ['vegetables', 'protein', 'carbohydrate'] as const) {
      const here = items.filter((item) => item.section === section);
      const spots = SLOTS[section];
      here.forEach((item, index) => {
        const spot = spots[index % spots.length] ?? { x: CX, y: CY };
        const lap = Math.floor(index / spots.length);
        this.foods.append(this.drawFood(item, spot.x + lap * 16, spot.y + lap * 12));
      });
    }
    this.drawDrinks(items.filter((item) => item.section === 'drink'));
    this.drawn = new Set(items.map((item) => item.key));
    this.updateNames();
  }

  private drawFood(item: PlacedItem, x: number, y: number): SVGGElement {
    const scale = portionScale(item.grams);
    const fresh = this.options.interactive && !this.drawn.has(item.key);
    const g = s('g', { class: fresh ? 'plate-food is-new' : 'plate-food', 'data-key': item.key, transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})` });
    const art = foodArt(item.food);
    art.setAttribute('transform', `scale(${scale.toFixed(2)})`);
    g.append(art, s('text', { class: 'plate-food-label', x: 0, y: 20 * scale + 16, 'text-anchor': 'middle' }, shortName(item.food.name, 12)));
    return g;
  }

  private drawDrinks(drinks: readonly PlacedItem[]): void {
    const height = GLASS.bottom - GLASS.top - 14;
    let level = GLASS.bottom;
    for (const item of drinks) {
      const h = Math.min(height, (item.grams / 500) * height);
      const top = Math.max(GLASS.top + 14, level - h);
      this.glassFill.append(s('rect', { x: GLASS.topLeft - 5, y: top, width: GLASS.topRight - GLASS.topLeft + 10, height: level - top, fill: drinkColour(item.food), class: 'glass-drink' }));
      level = top;
    }
    if (drinks.length > 0) {
      // The drink's name over the glass (two: "Water + 1").
      const first = drinks[0];
      const text = first ? shortName(first.food.name, 12) + (drinks.length > 1 ? ` +${drinks.length - 1}` : '') : '';
      this.foods.append(s('text', { class: 'plate-food-label', x: (GLASS.topLeft + GLASS.topRight) / 2, y: GLASS.top - 10, 'text-anchor': 'middle' }, text));
    }
  }

  private drawLabels(): void {
    for (const section of SECTIONS) {
      const at = LABEL_AT[section];
      const w = pillWidth(section);
      this.labels.append(
        s(
          'g',
          { class: `section-label section-label--${section}`, transform: `translate(${at.x} ${at.y})` },
          s('rect', { x: -w / 2, y: -PILL_H / 2, width: w, height: PILL_H, rx: 14, class: 'section-pill' }),
          s('text', { class: 'section-name', x: 0, y: 1, 'text-anchor': 'middle' }, SECTION_LABEL[section]),
          s('text', { class: 'section-share', x: 0, y: 20, 'text-anchor': 'middle' }, SECTION_SHARE[section]),
        ),
      );
    }
  }

  private updateNames(): void {
    for (const [section, g] of this.sections) {
      const base = describeSection(section, this.items);
      if (this.options.interactive) {
        const action = this.selectedName ? `. Put ${this.selectedName} here` : '';
        g.setAttribute('aria-label', base + action);
      }
    }
    if (!this.options.interactive && !this.options.label) {
      this.svg.setAttribute('aria-label', SECTIONS.map((section) => describeSection(section, this.items)).join('; '));
    }
  }
}
