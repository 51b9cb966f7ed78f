/**
 * Little drawn foods (SVG, createElementNS): one shape per kind of food, coloured after the food. Each drawing is
 * a `<g>` centred on (0, 0) that fits a 40 × 40 box; callers move and scale it with the `transform` attribute.
 */
import type { PlateFood } from '../../api/plate';
import { s } from '../../ui/dom';
import { drinkColour, foodKind } from './foods';

const INK = '#1f2937';

function pick(name: string, table: Array<[RegExp, string]>, fallback: string): string {
  for (const [pattern, colour] of table) if (pattern.test(name)) return colour;
  return fallback;
}

const VEG_COLOURS: Array<[RegExp, string]> = [
  [/tomato|radish|beet|red bell/i, '#dc2626'],
  [/carrot|pumpkin/i, '#f97316'],
  [/onion|eggplant/i, '#7e22ce'],
  [/mushroom|cauliflower/i, '#e7dcc8'],
  [/soup/i, '#d97706'],
];

const FRUIT_COLOURS: Array<[RegExp, string]> = [
  [/banana|pineapple|mango|plantain/i, '#facc15'],
  [/orange|peach|cantaloupe|apricot/i, '#fb923c'],
  [/blueberr|raisin|prune|date/i, '#4338ca'],
  [/pear|grape(?!fruit)|kiwi/i, '#84cc16'],
  [/grapefruit|watermelon|strawberr|cherr/i, '#f43f5e'],
];

const GRAIN_COLOURS: Array<[RegExp, string]> = [
  [/white rice|rice noodle|couscous|cream of wheat|rice cake|mashed|potato(?!.*sweet)/i, '#f5efe0'],
  [/brown rice|barley|buckwheat|bulgur|quinoa|oat|muesli|whole wheat|multigrain/i, '#c8a06a'],
  [/spaghetti|macaroni|corn|tortilla|taco/i, '#f2d27c'],
  [/sweet potato|fries|chips/i, '#f59e0b'],
];

function circle(cx: number, cy: number, r: number, fill: string, extra: Record<string, string | number> = {}): SVGCircleElement {
  return s('circle', { cx, cy, r, fill, stroke: INK, 'stroke-width': 1.5, ...extra });
}

/** The drawing for `food`. */
export function foodArt(food: PlateFood): SVGGElement {
  const g = s('g', { class: 'food-art', 'aria-hidden': 'true' });
  const name = food.name;
  switch (foodKind(food)) {
    case 'leafy':
      g.append(
        s('rect', { x: -3.5, y: 2, width: 7, height: 15, rx: 2, fill: '#65a30d', stroke: INK, 'stroke-width': 1.5 }),
        circle(-9, -2, 8.5, '#16a34a'),
        circle(9, -2, 8.5, '#16a34a'),
        circle(0, -9, 9.5, '#22c55e'),
        circle(0, 1, 7.5, '#15803d'),
      );
      break;
    case 'veg': {
      if (/carrot/i.test(name)) {
        g.append(
          s('path', { d: 'M-6 -12 C-2 -16 6 -14 8 -10 L2 17 C1 19 -1 19 -2 17 Z', fill: '#f97316', stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
          s('path', { d: 'M0 -12 L-5 -19 M2 -13 L2 -20 M4 -12 L9 -18', stroke: '#15803d', 'stroke-width': 2.5, 'stroke-linecap': 'round' }),
          s('path', { d: 'M-3 -4 L1 -4 M-1 4 L2 4', stroke: 'rgba(0,0,0,0.3)', 'stroke-width': 1.5, 'stroke-linecap': 'round' }),
        );
        break;
      }
      const colour = pick(name, VEG_COLOURS, /cucumber|zucchini|celery|green|okra|snow pea|asparagus/i.test(name) ? '#4ade80' : '#22c55e');
      g.append(
        s('ellipse', { cx: 0, cy: 2, rx: 15, ry: 13, fill: colour, stroke: INK, 'stroke-width': 1.5 }),
        s('path', { d: 'M0 -11 C-6 -18 -12 -14 -12 -12 C-7 -10 -3 -10 0 -11 Z', fill: '#15803d', stroke: INK, 'stroke-width': 1.2 }),
        s('path', { d: 'M-7 -2 Q0 6 7 -2', fill: 'none', stroke: 'rgba(0,0,0,0.25)', 'stroke-width': 1.5 }),
      );
      break;
    }
    case 'fruit': {
      const colour = pick(name, FRUIT_COLOURS, '#ef4444');
      g.append(
        circle(0, 3, 14, colour),
        s('path', { d: 'M0 -10 Q1 -15 3 -18', fill: 'none', stroke: '#78350f', 'stroke-width': 2.5, 'stroke-linecap': 'round' }),
        s('path', { d: 'M2 -14 C8 -20 14 -16 14 -13 C9 -11 5 -12 2 -14 Z', fill: '#16a34a', stroke: INK, 'stroke-width': 1.2 }),
        circle(-5, -2, 3, 'rgba(255,255,255,0.55)', { stroke: 'none' }),
      );
      break;
    }
    case 'grain': {
      const colour = pick(name, GRAIN_COLOURS, '#d4a15a');
      g.append(
        s('path', { d: 'M-18 8 C-16 -10 16 -10 18 8 Z', fill: colour, stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
        s('path', { d: 'M-9 0 l3 -2 M0 -4 l3 -2 M7 1 l3 -2 M-3 4 l3 -2', stroke: 'rgba(0,0,0,0.35)', 'stroke-width': 1.5, 'stroke-linecap': 'round' }),
      );
      break;
    }
    case 'legume': {
      const colour = /black/i.test(name) ? '#1f2937' : /kidney|pinto/i.test(name) ? '#9a3412' : /chickpea|hummus|soy/i.test(name) ? '#e9c46a' : '#a3a33a';
      for (const [x, y] of [[-9, 4], [0, 7], [9, 4], [-4, -4], [5, -4]] as const) {
        g.append(s('ellipse', { cx: x, cy: y, rx: 6, ry: 4.5, fill: colour, stroke: INK, 'stroke-width': 1.2 }));
      }
      break;
    }
    case 'dairy':
      g.append(
        s('path', { d: 'M-16 10 L16 10 L16 -2 L-12 -10 Z', fill: '#fde68a', stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
        circle(-4, 2, 2.5, '#f59e0b', { stroke: 'none' }),
        circle(7, 4, 2, '#f59e0b', { stroke: 'none' }),
      );
      break;
    case 'meat': {
      if (/tofu/i.test(name)) {
        g.append(
          s('path', { d: 'M-14 -4 L-4 -12 L16 -8 L16 8 L6 14 L-14 10 Z', fill: '#fdf6e3', stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
          s('path', { d: 'M-14 -4 L6 0 L16 -8 M6 0 L6 14', fill: 'none', stroke: INK, 'stroke-width': 1.2 }),
        );
        break;
      }
      const colour = /chicken|turkey|pork/i.test(name) ? '#e0a96d' : /ham|bacon|hot dog/i.test(name) ? '#f08a8a' : '#a0522d';
      g.append(
        s('path', { d: 'M-17 -2 C-17 -12 4 -14 12 -9 C19 -5 18 8 8 11 C-2 14 -17 10 -17 -2 Z', fill: colour, stroke: INK, 'stroke-width': 1.5 }),
        s('path', { d: 'M-10 -3 C-4 -8 6 -8 10 -3', fill: 'none', stroke: 'rgba(255,255,255,0.7)', 'stroke-width': 2.5, 'stroke-linecap': 'round' }),
      );
      break;
    }
    case 'fish': {
      const colour = /salmon|shrimp/i.test(name) ? '#fb923c' : '#cbd5e1';
      g.append(
        s('path', { d: 'M10 0 L19 -8 L19 8 Z', fill: colour, stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
        s('ellipse', { cx: -3, cy: 0, rx: 15, ry: 9, fill: colour, stroke: INK, 'stroke-width': 1.5 }),
        circle(-11, -2, 1.8, INK, { stroke: 'none' }),
      );
      break;
    }
    case 'egg':
      g.append(
        s('path', { d: 'M-16 2 C-18 -10 -4 -13 4 -11 C14 -9 19 0 14 8 C9 14 -14 14 -16 2 Z', fill: '#ffffff', stroke: INK, 'stroke-width': 1.5 }),
        circle(0, 0, 6.5, '#fbbf24'),
      );
      break;
    case 'fat':
      if (/avocado/i.test(name)) {
        g.append(s('ellipse', { cx: 0, cy: 2, rx: 12, ry: 16, fill: '#a3e635', stroke: '#365314', 'stroke-width': 2.5 }), circle(0, 6, 6, '#92400e'));
      } else if (/nut|almond|pecan|walnut|seed|macadamia/i.test(name)) {
        for (const [x, y] of [[-7, 3], [6, 4], [0, -6]] as const) g.append(s('ellipse', { cx: x, cy: y, rx: 7, ry: 5, fill: '#b7791f', stroke: INK, 'stroke-width': 1.2 }));
      } else {
        g.append(s('path', { d: 'M0 -17 C6 -8 12 -2 12 5 C12 12 6 16 0 16 C-6 16 -12 12 -12 5 C-12 -2 -6 -8 0 -17 Z', fill: '#facc15', stroke: INK, 'stroke-width': 1.5 }));
      }
      break;
    case 'sweet':
      g.append(
        s('path', { d: 'M-10 0 L-19 -7 L-19 7 Z M10 0 L19 -7 L19 7 Z', fill: '#f472b6', stroke: INK, 'stroke-width': 1.2, 'stroke-linejoin': 'round' }),
        circle(0, 0, 10, '#ec4899'),
        s('path', { d: 'M-5 -5 L5 5 M-1 -8 L8 1', stroke: '#fff', 'stroke-width': 2, 'stroke-linecap': 'round' }),
      );
      break;
    case 'drink':
      g.append(
        s('path', { d: 'M-11 -16 L11 -16 L8 16 L-8 16 Z', fill: '#ffffff', stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }),
        s('path', { d: 'M-10 -7 L10 -7 L8 15 L-8 15 Z', fill: drinkColour(food) }),
      );
      break;
  }
  return g;
}

/** A 40 × 40 icon of `food` for lists and the tray. */
export function foodIcon(food: PlateFood, size = 40): SVGSVGElement {
  const svg = s('svg', { class: 'food-icon', viewBox: '-20 -20 40 40', width: size, height: size, 'aria-hidden': 'true', focusable: 'false' });
  svg.append(foodArt(food));
  return svg;
}
