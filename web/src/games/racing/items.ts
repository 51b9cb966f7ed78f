/**
 * What falls on the track. Healthy foods and water steady the gauge towards the range (fibre and water do not
 * spike glucose); sugary snacks and drinks spike it — which is exactly what treats a low, so a sugary item below
 * the range says so.
 */

export type ItemKind = 'apple' | 'broccoli' | 'carrot' | 'water' | 'donut' | 'candy' | 'soda' | 'lollipop';

export interface ItemInfo {
  readonly kind: ItemKind;
  /** "apple", "soda can": used in messages ("Collected apple: …"). */
  readonly label: string;
  readonly healthy: boolean;
  /** Relative chance among items of the same group. */
  readonly weight: number;
  /** mg/dL the item adds over about a second (sugary items only). */
  readonly spike: number;
  /** Why, in a few words, for the announcement and the legend. */
  readonly why: string;
}

export const ITEMS: Readonly<Record<ItemKind, ItemInfo>> = {
  apple: { kind: 'apple', label: 'apple', healthy: true, weight: 3, spike: 0, why: 'fibre slows the sugar down' },
  broccoli: { kind: 'broccoli', label: 'broccoli', healthy: true, weight: 2, spike: 0, why: 'a non-starchy vegetable' },
  carrot: { kind: 'carrot', label: 'carrot', healthy: true, weight: 2, spike: 0, why: 'crunchy and low in sugar' },
  water: { kind: 'water', label: 'water', healthy: true, weight: 3, spike: 0, why: 'no sugar at all' },
  donut: { kind: 'donut', label: 'donut', healthy: false, weight: 3, spike: 48, why: 'refined flour and sugar' },
  candy: { kind: 'candy', label: 'candy', healthy: false, weight: 2, spike: 42, why: 'almost pure sugar' },
  soda: { kind: 'soda', label: 'soda can', healthy: false, weight: 3, spike: 55, why: 'liquid sugar hits fast' },
  lollipop: { kind: 'lollipop', label: 'lollipop', healthy: false, weight: 2, spike: 38, why: 'pure sugar' },
};

export const ITEM_KINDS = Object.keys(ITEMS) as ItemKind[];
export const HEALTHY_KINDS = ITEM_KINDS.filter((k) => ITEMS[k].healthy);
export const SUGARY_KINDS = ITEM_KINDS.filter((k) => !ITEMS[k].healthy);

/** Picks a kind from `kinds` by weight, with `u` in [0, 1). */
export function pickKind(kinds: readonly ItemKind[], u: number): ItemKind {
  let total = 0;
  for (const k of kinds) total += ITEMS[k].weight;
  let x = u * total;
  for (const k of kinds) {
    x -= ITEMS[k].weight;
    if (x < 0) return k;
  }
  return kinds[kinds.length - 1] as ItemKind;
}

/** The sentence announced when the car picks an item up. */
export function collectMessage(kind: ItemKind, zoneBefore: 'low' | 'in-range' | 'high'): string {
  const info = ITEMS[kind];
  const name = info.label.charAt(0).toUpperCase() + info.label.slice(1);
  if (info.healthy) return `Collected ${info.label}: glucose steadier (+25)`;
  if (zoneBefore === 'low') return `${name}: fast sugar lifts a low`;
  return `Hit a ${info.label}: glucose spiking`;
}
