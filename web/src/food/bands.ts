/**
 * Glycemic bands as text (never colour alone) and number formatting for the food log. The server sends the band
 * of every food, entry and day; the few it does not (meal and day GI) use the same published cut-offs here:
 *   GI:              low ≤ 55, medium 56–69, high ≥ 70 (Atkinson 2008; University of Sydney)
 *   GL per serving:  low ≤ 10, medium 11–19, high ≥ 20 (Atkinson 2008)
 *   daily GL:        low < 80, medium 80–120, high > 120 (glycemicindex.com)
 * GI and GL per serving are stated on whole numbers, so a value is rounded before banding (as the server does).
 */
import type { Band } from '../api/food';
import { h } from '../ui/dom';

export const BAND_LABEL: Record<Band, string> = { low: 'Low', medium: 'Medium', high: 'High' };

export function giBand(gi: number | null | undefined): Band | null {
  if (gi === null || gi === undefined || !Number.isFinite(gi)) return null;
  const g = Math.round(gi);
  return g <= 55 ? 'low' : g < 70 ? 'medium' : 'high';
}

export function glBand(gl: number | null | undefined): Band | null {
  if (gl === null || gl === undefined || !Number.isFinite(gl)) return null;
  const g = Math.round(gl);
  return g <= 10 ? 'low' : g < 20 ? 'medium' : 'high';
}

export function dailyGlBand(gl: number): Band {
  return gl < 80 ? 'low' : gl > 120 ? 'high' : 'medium';
}

/** 20.7 → "20.7", 20 → "20", 1234.5 → "1,234.5" (the reader's locale), at most one decimal. */
export function num(value: number, maxDecimals = 1): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: maxDecimals }).format(value);
}

/** "Low GI 36", "High GI 73", "No GI" (null: negligible carbohydrate). */
export function giText(gi: number | null, band: Band | null = giBand(gi)): string {
  if (gi === null || band === null) return 'No GI';
  return `${BAND_LABEL[band]} GI ${num(gi, 0)}`;
}

/** "Low GL 7.5", "Medium GL 12", "No GL" (a food without a GI has no glycemic load). */
export function glText(gl: number | null, band: Band | null = glBand(gl)): string {
  if (gl === null || band === null) return 'No GL';
  return `${BAND_LABEL[band]} GL ${num(gl)}`;
}

/** "Low for a day (under 80)", "Medium for a day (80–120)", "High for a day (over 120)". */
export function dailyGlText(band: Band): string {
  switch (band) {
    case 'low':
      return 'Low for a day (under 80)';
    case 'medium':
      return 'Medium for a day (80–120)';
    case 'high':
      return 'High for a day (over 120)';
  }
}

/** A coloured pill that says its band in words: `<span class="band band--low">Low GI 36</span>`. */
export function bandBadge(band: Band | null, text: string, extraClass = ''): HTMLSpanElement {
  const cls = `band band--${band ?? 'none'}${extraClass ? ` ${extraClass}` : ''}`;
  return h('span', { class: cls, 'data-band': band ?? 'none' }, text);
}

/** `<thead>` with one column header per label. */
export function headRow(...labels: string[]): HTMLTableSectionElement {
  return h('thead', undefined, h('tr', undefined, ...labels.map((label) => h('th', { scope: 'col' }, label))));
}

export function giBadge(gi: number | null, band: Band | null = giBand(gi)): HTMLSpanElement {
  return bandBadge(gi === null ? null : band, giText(gi, band));
}

/** A short GI badge for tables whose column already says "GI": "Medium 66". */
export function giShortBadge(gi: number, band: Band | null = giBand(gi)): HTMLSpanElement {
  return bandBadge(band, band ? `${BAND_LABEL[band]} ${num(gi, 0)}` : num(gi, 0));
}

export function glBadge(gl: number | null, band: Band | null = glBand(gl)): HTMLSpanElement {
  return bandBadge(gl === null ? null : band, glText(gl, band));
}
