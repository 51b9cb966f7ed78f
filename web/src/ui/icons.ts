/** Inline SVG icons, built with createElementNS. All are decorative (aria-hidden); text next to them names them. */
import { s } from './dom';

export type IconName = 'racing' | 'plate' | 'food-log' | 'pin-dexcom' | 'trends' | 'leaderboards' | 'signin' | 'home';

function frame(viewBox: string, className: string): SVGSVGElement {
  return s('svg', {
    viewBox,
    class: className,
    'aria-hidden': 'true',
    focusable: 'false',
    xmlns: 'http://www.w3.org/2000/svg',
  });
}

/** The GlucoPlay mark: a drop with a pulse line through it. */
export function logoMark(): SVGSVGElement {
  const svg = frame('0 0 32 32', 'logo-mark');
  svg.append(
    s('rect', { x: 0, y: 0, width: 32, height: 32, rx: 9, class: 'logo-bg' }),
    s('path', { d: 'M16 4.5C16 4.5 7.5 14.2 7.5 19.6a8.5 8.5 0 0 0 17 0C24.5 14.2 16 4.5 16 4.5Z', class: 'logo-drop' }),
    s('polyline', { points: '9.5,20.5 13,20.5 14.6,16.5 17.2,24 18.8,20.5 22.5,20.5', class: 'logo-pulse' }),
  );
  return svg;
}

/** A hamburger icon for the menu button. */
export function menuIcon(): SVGSVGElement {
  const svg = frame('0 0 24 24', 'menu-icon');
  for (const y of [6, 12, 18]) svg.append(s('line', { x1: 4, x2: 20, y1: y, y2: y }));
  return svg;
}

/** A feature icon (48 × 48 grid). */
export function featureIcon(name: IconName): SVGSVGElement {
  const svg = frame('0 0 48 48', `feature-icon icon-${name}`);
  switch (name) {
    case 'racing': {
      // A chequered flag on a pole.
      svg.append(s('line', { x1: 11, y1: 7, x2: 11, y2: 42, class: 'stroke' }));
      svg.append(s('rect', { x: 11, y: 8, width: 27, height: 18, rx: 1.5, class: 'fill-soft' }));
      for (let row = 0; row < 3; row += 1) {
        for (let col = 0; col < 4; col += 1) {
          if ((row + col) % 2 === 0) {
            svg.append(s('rect', { x: 11 + col * 6.75, y: 8 + row * 6, width: 6.75, height: 6, class: 'fill' }));
          }
        }
      }
      break;
    }
    case 'plate': {
      // The Diabetes Plate Method: half vegetables, a quarter protein, a quarter carbohydrate foods.
      svg.append(s('circle', { cx: 24, cy: 24, r: 21, class: 'stroke-soft' }));
      svg.append(s('path', { d: 'M24 6A18 18 0 0 0 24 42Z', class: 'fill-veg' }));
      svg.append(s('path', { d: 'M24 24V6A18 18 0 0 1 42 24Z', class: 'fill-protein' }));
      svg.append(s('path', { d: 'M24 24H42A18 18 0 0 1 24 42Z', class: 'fill-carb' }));
      break;
    }
    case 'food-log': {
      // A notebook with entries.
      svg.append(s('rect', { x: 9, y: 6, width: 30, height: 36, rx: 4, class: 'fill-soft stroke' }));
      for (const y of [16, 24, 32]) {
        svg.append(s('circle', { cx: 16, cy: y, r: 2, class: 'fill' }));
        svg.append(s('line', { x1: 21, y1: y, x2: 33, y2: y, class: 'stroke' }));
      }
      break;
    }
    case 'pin-dexcom': {
      // A round CGM sensor on a target.
      svg.append(s('circle', { cx: 24, cy: 24, r: 19, class: 'stroke-dash' }));
      svg.append(s('circle', { cx: 24, cy: 24, r: 12, class: 'fill-soft stroke' }));
      svg.append(s('circle', { cx: 24, cy: 24, r: 5, class: 'fill' }));
      break;
    }
    case 'trends': {
      svg.append(s('rect', { x: 6, y: 16, width: 36, height: 14, rx: 2, class: 'fill-soft' }));
      svg.append(s('polyline', { points: '6,32 13,26 19,29 26,18 32,22 42,12', class: 'stroke' }));
      svg.append(s('line', { x1: 6, y1: 41, x2: 42, y2: 41, class: 'stroke' }));
      break;
    }
    case 'leaderboards': {
      // A podium.
      svg.append(s('rect', { x: 17, y: 12, width: 14, height: 30, rx: 2, class: 'fill' }));
      svg.append(s('rect', { x: 5, y: 22, width: 12, height: 20, rx: 2, class: 'fill-soft stroke' }));
      svg.append(s('rect', { x: 31, y: 28, width: 12, height: 14, rx: 2, class: 'fill-soft stroke' }));
      break;
    }
    case 'signin': {
      svg.append(s('circle', { cx: 24, cy: 17, r: 8, class: 'fill-soft stroke' }));
      svg.append(s('path', { d: 'M9 41c1.5-8 8-12 15-12s13.5 4 15 12', class: 'stroke' }));
      break;
    }
    case 'home': {
      svg.append(s('path', { d: 'M8 22 24 8l16 14v18a2 2 0 0 1-2 2H10a2 2 0 0 1-2-2Z', class: 'fill-soft stroke' }));
      break;
    }
  }
  return svg;
}

/**
 * The hero picture: a glucose trace wandering through a shaded target range (70–180 mg/dL), labelled in text.
 */
export function heroTrace(): SVGSVGElement {
  const svg = frame('0 0 320 180', 'hero-trace');
  svg.append(s('rect', { x: 36, y: 58, width: 272, height: 64, rx: 8, class: 'trace-band' }));
  svg.append(s('text', { x: 28, y: 62, class: 'trace-label', 'text-anchor': 'end' }, '180'));
  svg.append(s('text', { x: 28, y: 126, class: 'trace-label', 'text-anchor': 'end' }, '70'));
  svg.append(s('text', { x: 300, y: 52, class: 'trace-caption', 'text-anchor': 'end' }, 'target range'));
  svg.append(
    s('path', {
      d: 'M40 110C62 108 70 84 92 82S120 40 140 44 162 96 184 100 206 70 226 74 252 96 268 88 292 78 304 80',
      class: 'trace-line',
    }),
  );
  svg.append(s('circle', { cx: 304, cy: 80, r: 7, class: 'trace-dot' }));
  for (const x of [40, 108, 176, 244]) {
    svg.append(s('line', { x1: x, y1: 150, x2: x + 36, y2: 150, class: 'trace-track' }));
  }
  return svg;
}
