/**
 * Catalog foods as the game shows them: short names for the plate, GI bands in words, the kind of drawing for
 * each food, and the suggested foods for each meal before the player searches.
 */
import type { PlateFood, PlateGroup, Section } from '../../api/plate';
import type { Meal } from './state';

/** The tray's groups, in order: the four sections, then the extras (fats). */
export const TRAY_GROUPS: readonly PlateGroup[] = ['vegetables', 'protein', 'carbohydrate', 'drink', 'fat'];

export const GROUP_LABEL: Record<PlateGroup, string> = {
  vegetables: 'Vegetables',
  protein: 'Protein',
  carbohydrate: 'Carbohydrate',
  drink: 'Drink',
  fat: 'Extra (fat)',
};

export const GROUP_HEADING: Record<PlateGroup, string> = {
  vegetables: 'Non-starchy vegetables',
  protein: 'Protein',
  carbohydrate: 'Carbohydrate foods',
  drink: 'Drinks',
  fat: 'Extras: fats',
};

export function groupOf(food: PlateFood): PlateGroup {
  const g = food.plate_group;
  return (TRAY_GROUPS as readonly string[]).includes(g) ? (g as PlateGroup) : 'carbohydrate';
}

export type GiBand = 'low' | 'medium' | 'high' | 'none';

/** The food's GI band; `none` when it has (almost) no carbohydrate and so no GI. */
export function giBand(food: PlateFood): GiBand {
  if (food.gi_category) return food.gi_category;
  if (food.gi === null || food.gi === undefined) return 'none';
  return food.gi <= 55 ? 'low' : food.gi <= 69 ? 'medium' : 'high';
}

export const GI_BAND_LABEL: Record<GiBand, string> = {
  low: 'Low GI',
  medium: 'Medium GI',
  high: 'High GI',
  none: 'No GI',
};

/** A longer explanation, for screen readers and the tooltip. */
export function giDescription(food: PlateFood): string {
  const band = giBand(food);
  if (band === 'none') return 'No GI: hardly any carbohydrate';
  return `${GI_BAND_LABEL[band]} (${food.gi ?? '?'})`;
}

/**
 * A label for the plate: the name up to its first comma or bracket, then as many whole words as fit in `max`
 * characters ("Broccoli, boiled" → "Broccoli"; "Romaine lettuce, raw" → "Romaine" at 12).
 */
export function shortName(name: string, max = 14): string {
  const cut = name.split(/[,(]/)[0]?.trim() || name.trim();
  if (cut.length <= max) return cut;
  const words = cut.split(/\s+/);
  let out = words[0] ?? cut;
  for (const word of words.slice(1)) {
    if (out.length + 1 + word.length > max) break;
    out += ` ${word}`;
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** Which little drawing stands for a food on the plate and in the tray. */
export type FoodKind = 'leafy' | 'veg' | 'fruit' | 'grain' | 'legume' | 'dairy' | 'meat' | 'fish' | 'egg' | 'fat' | 'sweet' | 'drink';

const FISH = /salmon|tuna|cod|tilapia|shrimp|sardine/i;
const EGG = /\begg/i;
const LEAFY = /spinach|lettuce|kale|arugula|cabbage|collard|bok choy|broccoli|brussels/i;

export function foodKind(food: PlateFood): FoodKind {
  const c = food.category.toLowerCase();
  if (groupOf(food) === 'drink' || c.startsWith('drink')) return 'drink';
  if (c.startsWith('non-starchy')) return LEAFY.test(food.name) ? 'leafy' : 'veg';
  if (c.startsWith('fruit')) return 'fruit';
  if (c.startsWith('legume')) return 'legume';
  if (c.startsWith('dairy')) return 'dairy';
  if (c.startsWith('fat')) return 'fat';
  if (c.startsWith('sweet')) return 'sweet';
  if (c.startsWith('protein')) return FISH.test(food.name) ? 'fish' : EGG.test(food.name) ? 'egg' : 'meat';
  if (c.startsWith('grain')) return 'grain';
  return groupOf(food) === 'protein' ? 'meat' : groupOf(food) === 'vegetables' ? 'veg' : 'grain';
}

/** The colour of a drink in the glass (water is pale blue; milks cream; juices and sodas their colour). */
export function drinkColour(food: PlateFood): string {
  const n = food.name.toLowerCase();
  if (/milk/.test(n)) return '#f4efe2';
  if (/cola|coffee|tea/.test(n)) return '#6b3f1d';
  if (/orange|pineapple|grapefruit|apple juice/.test(n)) return '#f59e0b';
  if (/tomato|cranberry/.test(n)) return '#dc2626';
  if (/sports/.test(n)) return '#38bdf8';
  return '#bfe3f7';
}

/**
 * Suggested foods per meal and group, by the start of their catalog names: a mix of good picks and tempting
 * ones, so that the feedback has something to teach. Missing names are skipped and the group is topped up from
 * the catalog.
 */
const SUGGESTED: Record<Meal, Partial<Record<PlateGroup, string[]>>> = {
  breakfast: {
    vegetables: ['Spinach', 'Tomato', 'Mushrooms', 'Red bell pepper'],
    protein: ['Eggs, scrambled', 'Egg, hard-boiled', 'Cottage cheese', 'Bacon'],
    carbohydrate: ['Oatmeal (rolled oats)', 'Whole wheat bread', 'Blueberries', 'Corn flakes'],
    drink: ['Water', 'Milk, skim', 'Orange juice', 'Black coffee'],
    fat: ['Avocado', 'Butter', 'Almonds'],
  },
  lunch: {
    vegetables: ['Romaine lettuce', 'Cucumber', 'Carrots', 'Tomato'],
    protein: ['Chicken breast', 'Tuna', 'Tofu', 'Hot dog'],
    carbohydrate: ['Quinoa', 'Black beans', 'Whole wheat bread', 'French fries'],
    drink: ['Water', 'Sparkling water', 'Diet cola', 'Cola soft drink'],
    fat: ['Olive oil', 'Avocado', 'Mayonnaise'],
  },
  dinner: {
    vegetables: ['Broccoli', 'Green beans', 'Asparagus', 'Cauliflower'],
    protein: ['Salmon', 'Chicken thigh', 'Sirloin steak', 'Tofu'],
    carbohydrate: ['Brown rice', 'Sweet potato', 'White rice', 'Spaghetti, whole wheat'],
    drink: ['Water', 'Sparkling water', 'Milk, skim', 'Orange soda'],
    fat: ['Olive oil', 'Butter', 'Walnuts'],
  },
};

/** The suggested foods for `meal`: up to `perGroup` (fats: one fewer) per tray group, in tray order. */
export function suggestions(catalog: readonly PlateFood[], meal: Meal, perGroup = 4): Map<PlateGroup, PlateFood[]> {
  const out = new Map<PlateGroup, PlateFood[]>();
  for (const group of TRAY_GROUPS) {
    const limit = group === 'fat' ? Math.max(1, perGroup - 1) : perGroup;
    const inGroup = catalog.filter((f) => groupOf(f) === group);
    const picked: PlateFood[] = [];
    for (const prefix of SUGGESTED[meal][group] ?? []) {
      const p = prefix.toLowerCase();
      const found = inGroup.find((f) => f.name.toLowerCase().startsWith(p) && !picked.includes(f));
      if (found && picked.length < limit) picked.push(found);
    }
    for (const f of inGroup) {
      if (picked.length >= limit) break;
      if (!picked.includes(f)) picked.push(f);
    }
    if (picked.length > 0) out.set(group, picked);
  }
  return out;
}

/** Where a food belongs by the method (fats: anywhere, as an extra). */
export function homeSection(food: PlateFood): Section | null {
  const g = groupOf(food);
  return g === 'fat' ? null : g;
}
