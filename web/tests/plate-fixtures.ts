/** Shared data for the Perfect Plate tests: catalog foods as GET /api/foods sends them, and a scored game. */
import type { PlateFood, PlateScoreResult } from '../src/api/plate';

function food(
  id: number,
  name: string,
  category: string,
  plate_group: string,
  serving_g: number,
  serving_desc: string,
  gi: number | null = null,
  gi_category: PlateFood['gi_category'] = null,
): PlateFood {
  return { id, name, category, plate_group, gi, gi_category, carbs_per_100g: 0, serving_g, serving_desc, gl_per_serving: null };
}

export const BROCCOLI = food(1, 'Broccoli, boiled', 'Non-starchy vegetables', 'vegetables', 78, '1/2 cup chopped (78 g)');
export const SPINACH = food(3, 'Spinach, raw', 'Non-starchy vegetables', 'vegetables', 30, '1 cup (30 g)');
export const ROMAINE = food(4, 'Romaine lettuce, raw', 'Non-starchy vegetables', 'vegetables', 47, '1 cup shredded (47 g)');
export const CHICKEN = food(106, 'Chicken breast, roasted', 'Protein', 'protein', 85, '3 oz (85 g)');
export const SALMON = food(116, 'Salmon, baked', 'Protein', 'protein', 85, '3 oz (85 g)');
export const EGGS = food(123, 'Eggs, scrambled', 'Protein', 'protein', 122, '2 large eggs (122 g)');
export const BROWN_RICE = food(57, 'Brown rice, boiled', 'Grains and starches', 'carbohydrate', 195, '1 cup cooked (195 g)', 68, 'medium');
export const QUINOA = food(59, 'Quinoa, boiled', 'Grains and starches', 'carbohydrate', 185, '1 cup cooked (185 g)', 53, 'low');
export const APPLE = food(29, 'Apple, raw', 'Fruit', 'carbohydrate', 182, '1 medium (182 g)', 36, 'low');
export const WATER = food(163, 'Water', 'Drinks', 'drink', 237, '1 cup, 8 fl oz (237 g)');
export const COLA = food(168, 'Cola soft drink', 'Drinks', 'drink', 368, '1 can, 12 fl oz (368 g)', 59, 'medium');
export const OLIVE_OIL = food(127, 'Olive oil', 'Fats', 'fat', 13.5, '1 tablespoon (13.5 g)');

export const CATALOG: PlateFood[] = [BROCCOLI, SPINACH, ROMAINE, CHICKEN, SALMON, EGGS, BROWN_RICE, QUINOA, APPLE, WATER, COLA, OLIVE_OIL];

/** What POST /api/scores answers for one plate (numbers as the server worked them out). */
export const SCORED: PlateScoreResult = {
  score: { id: 9, game: 'plate', value: 953, created_at: '2026-11-27T19:00:00Z' },
  rank: 2,
  best: 953,
  personal_best: true,
  in_top10: true,
  time_bonus: 100,
  plates: [
    {
      score: 853,
      components: { balance: 334, placement: 200, drink: 150, glycemic_load: 169 },
      gl: 19.7,
      shares: { vegetables: 0.4, protein: 0.19, carbohydrate: 0.41 },
      feedback: [
        { kind: 'tip', message: 'Non-starchy vegetables are 40% of the plate; aim for half.' },
        { kind: 'tip', message: 'Carbohydrate foods are 41% of the plate; a quarter is enough.' },
        { kind: 'good', message: 'Water or a zero-calorie drink: perfect.' },
      ],
    },
  ],
};
