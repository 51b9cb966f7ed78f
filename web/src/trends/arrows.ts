/**
 * Dexcom trend arrows as a picture and in words. The server names the trend from the rate of change over the last
 * 15 minutes (Nightscout's `direction`): Flat under 1 mg/dL per minute, FortyFive 1–2, Single 2–3, Double over 3.
 */
import type { TrendName } from '../api/cgm';
import { s } from '../ui/dom';
import type { GlucoseUnit } from './units';

export interface TrendInfo {
  /** "rising quickly": what the arrow means, for the label next to it. */
  label: string;
  /** "more than 3 mg/dL a minute". */
  detail: string;
  /** Degrees clockwise from pointing right; null when there is no arrow. */
  angle: number | null;
  double: boolean;
}

/** The rate limits in the user's unit (1, 2, 3 mg/dL per minute ≈ 0.06, 0.11, 0.17 mmol/L). */
function rate(mgdl: number, unit: GlucoseUnit): string {
  return unit === 'mmol/L' ? `${(mgdl / 18).toFixed(2)} mmol/L` : `${mgdl} mg/dL`;
}

export function trendInfo(trend: TrendName | null | undefined, unit: GlucoseUnit = 'mg/dL'): TrendInfo {
  const per = (text: string): string => `${text} a minute`;
  switch (trend) {
    case 'DoubleUp':
      return { label: 'rising quickly', detail: per(`more than ${rate(3, unit)}`), angle: -90, double: true };
    case 'SingleUp':
      return { label: 'rising', detail: per(`${rate(2, unit)} to ${rate(3, unit)}`), angle: -90, double: false };
    case 'FortyFiveUp':
      return { label: 'rising slowly', detail: per(`${rate(1, unit)} to ${rate(2, unit)}`), angle: -45, double: false };
    case 'Flat':
      return { label: 'steady', detail: per(`changing less than ${rate(1, unit)}`), angle: 0, double: false };
    case 'FortyFiveDown':
      return { label: 'falling slowly', detail: per(`${rate(1, unit)} to ${rate(2, unit)}`), angle: 45, double: false };
    case 'SingleDown':
      return { label: 'falling', detail: per(`${rate(2, unit)} to ${rate(3, unit)}`), angle: 90, double: false };
    case 'DoubleDown':
      return { label: 'falling quickly', detail: per(`more than ${rate(3, unit)}`), angle: 90, double: true };
    default:
      return { label: 'trend not available', detail: 'too few recent readings to tell the direction', angle: null, double: false };
  }
}

/** The arrow (one or two) as a decorative SVG; the caller writes the words next to it. */
export function trendArrow(info: TrendInfo): SVGSVGElement {
  const svg = s('svg', {
    viewBox: '0 0 48 48',
    class: `trend-arrow${info.angle === null ? ' trend-arrow--none' : ''}`,
    'aria-hidden': 'true',
    focusable: 'false',
  });
  svg.append(s('circle', { cx: 24, cy: 24, r: 22, class: 'trend-arrow-disc' }));
  if (info.angle === null) {
    svg.append(s('line', { x1: 14, y1: 24, x2: 34, y2: 24, class: 'trend-arrow-shape' }));
    return svg;
  }
  const g = s('g', { transform: `rotate(${info.angle} 24 24)` });
  const offsets = info.double ? [-6, 6] : [0];
  for (const dy of offsets) {
    g.append(
      s('path', { d: `M11 ${24 + dy}H33`, class: 'trend-arrow-shape' }),
      s('path', { d: `M26 ${17 + dy}L34 ${24 + dy}L26 ${31 + dy}`, class: 'trend-arrow-shape' }),
    );
  }
  svg.append(g);
  return svg;
}
