/**
 * The body figure: an SVG (viewBox 0 0 400 800) drawn from the server's `body` polygons, so the picture and the
 * judge always agree. Layers, bottom to top: outline and skin (each part stroked first, then filled on top, so
 * the parts merge into one silhouette), clipped details (face or hair, collarbones, navel, spine, waistband),
 * the revealed zones, the round's obstacles, the placed sensor, the keyboard crosshair, and the labels.
 */
import type { PinSites, PinView } from '../api/pin';
import { INCH, PICTURE } from '../api/pin';
import { s } from '../ui/dom';
import { centroid, pointToUnits, roundedPath, VIEW_BOX, type Point } from './geometry';
import { placeLabels, type LabelRequest, type PlacedLabel } from './labels';
import { OBSTACLE_LABELS, type RoundObstacle } from './obstacles';

export type PinResult = 'correct' | 'incorrect' | 'pending' | 'unjudged';

export interface PinMarker {
  view: PinView;
  x: number;
  y: number;
  result: PinResult;
}

export interface FigureModel {
  sites: PinSites;
  view: PinView;
  obstacles: readonly RoundObstacle[];
  /** Show the approved zones, the areas to avoid and the obstacles' keep-out circles. */
  reveal: boolean;
  /** e.g. "G7 adult", for the "Not for …" labels. */
  audience: string;
  pin: PinMarker | null;
}

const ID = 'pin-fig';
const BODY_RADIUS = 9;
const LABEL_FONT = 13;

type Layer = 'body' | 'details' | 'zones' | 'obstacles' | 'pin' | 'crosshair' | 'labels';

export class Figure {
  readonly svg: SVGSVGElement;
  private readonly layers: Record<Layer, SVGGElement>;
  private readonly clipPath: SVGClipPathElement;
  private model: FigureModel | null = null;

  constructor() {
    this.svg = s('svg', {
      class: 'pin-figure',
      viewBox: `${VIEW_BOX.x} ${VIEW_BOX.y} ${VIEW_BOX.width} ${VIEW_BOX.height}`,
      role: 'img',
      'aria-label': 'Body figure',
      focusable: 'false',
      xmlns: 'http://www.w3.org/2000/svg',
    });
    this.clipPath = s('clipPath', { id: `${ID}-clip` });
    this.svg.append(defs(this.clipPath));
    const layer = (name: Layer, attrs: Record<string, string> = {}): SVGGElement =>
      s('g', { class: `pin-layer pin-layer--${name}`, ...attrs });
    this.layers = {
      body: layer('body'),
      details: layer('details', { 'clip-path': `url(#${ID}-clip)` }),
      zones: layer('zones'),
      obstacles: layer('obstacles'),
      pin: layer('pin'),
      crosshair: layer('crosshair'),
      labels: layer('labels'),
    };
    this.svg.append(...Object.values(this.layers));
  }

  /** Redraws everything but the crosshair. */
  render(model: FigureModel): void {
    const bodyChanged = this.model?.sites.body !== model.sites.body || this.model?.view !== model.view;
    this.model = model;
    if (bodyChanged) this.drawBody(model);
    for (const name of ['zones', 'obstacles', 'pin', 'labels'] as const) this.layers[name].replaceChildren();
    const requests: LabelRequest[] = [];
    const kinds: string[] = [];
    const taken: PlacedLabel[] = [];

    if (model.reveal) this.drawZones(model, requests, kinds);
    this.drawObstacles(model, requests, kinds);
    if (model.pin && model.pin.view === model.view) {
      const u = pointToUnits(model.pin);
      this.layers.pin.append(pinMarker(u, model.pin.result));
      taken.push({ x: u.x, y: u.y, width: 30, height: 30, moved: false });
    }
    this.drawLabels(requests, kinds, taken);
  }

  /** Shows the crosshair at `p` (normalised), or hides it. */
  setCrosshair(p: Point | null): void {
    const g = this.layers.crosshair;
    g.replaceChildren();
    if (!p) return;
    const { x, y } = pointToUnits(p);
    g.append(
      s('circle', { cx: x, cy: y, r: 13, class: 'pin-crosshair-halo' }),
      s('circle', { cx: x, cy: y, r: 13, class: 'pin-crosshair-ring' }),
      s('path', { d: `M${x - 22} ${y}H${x - 6}M${x + 6} ${y}H${x + 22}M${x} ${y - 22}V${y - 6}M${x} ${y + 6}V${y + 22}`, class: 'pin-crosshair-halo' }),
      s('path', { d: `M${x - 22} ${y}H${x - 6}M${x + 6} ${y}H${x + 22}M${x} ${y - 22}V${y - 6}M${x} ${y + 6}V${y + 22}`, class: 'pin-crosshair-lines' }),
      s('circle', { cx: x, cy: y, r: 2, class: 'pin-crosshair-dot' }),
    );
  }

  private drawBody(model: FigureModel): void {
    const parts = model.sites.body.map((part) => roundedPath(part, BODY_RADIUS));
    this.clipPath.replaceChildren(...parts.map((d) => s('path', { d })));
    const body = this.layers.body;
    body.replaceChildren(
      s('g', { class: 'pin-body-shadow', transform: 'translate(3 5)' }, ...parts.map((d) => s('path', { d }))),
      s('g', { class: 'pin-body-outline' }, ...parts.map((d) => s('path', { d }))),
      s('g', { class: 'pin-body-skin', fill: `url(#${ID}-skin)` }, ...parts.map((d) => s('path', { d }))),
    );
    this.layers.details.replaceChildren(...(model.view === 'front' ? frontDetails() : backDetails()));
    body.append(sideLabels(model.view));
  }

  private drawZones(model: FigureModel, requests: LabelRequest[], kinds: string[]): void {
    const g = this.layers.zones;
    const onView = (view: string): boolean => view === model.view || view === 'both';
    for (const zone of model.sites.zones) {
      if (!onView(zone.view) || zone.approved) continue;
      const d = roundedPath(zone.polygon, 4);
      g.append(s('path', { d, class: 'pin-zone pin-zone--other' }, s('title', undefined, `${zone.name}: not approved for ${model.audience}`)));
      requests.push({ anchor: toUnitsCentre(zone.polygon), lines: [`Not for ${model.audience}`], fontSize: LABEL_FONT - 1 });
      kinds.push('other');
    }
    for (const area of model.sites.avoid) {
      if (!onView(area.view)) continue;
      const d = roundedPath(area.polygon, 2);
      g.append(s('path', { d, class: 'pin-avoid', fill: `url(#${ID}-hatch)` }, s('title', undefined, `Avoid: ${area.name}. ${area.reason}`)));
      requests.push({ anchor: toUnitsCentre(area.polygon), lines: [`✗ ${area.name}`], fontSize: LABEL_FONT - 1 });
      kinds.push('avoid');
    }
    for (const zone of model.sites.zones) {
      if (!onView(zone.view) || !zone.approved) continue;
      const d = roundedPath(zone.polygon, 4);
      g.append(s('path', { d, class: 'pin-zone pin-zone--approved' }, s('title', undefined, `Approved site: ${zone.name}`)));
      // Approved labels go first so they get their own spot.
      requests.unshift({ anchor: toUnitsCentre(zone.polygon), lines: ['✓ Approved'], fontSize: LABEL_FONT + 1 });
      kinds.unshift('approved');
    }
  }

  private drawObstacles(model: FigureModel, requests: LabelRequest[], kinds: string[]): void {
    const g = this.layers.obstacles;
    for (const o of model.obstacles) {
      if (o.view !== model.view) continue;
      const u = pointToUnits(o);
      const rule = model.sites.obstacles.find((r) => r.kind === o.kind);
      const name = rule?.name ?? OBSTACLE_LABELS[o.kind];
      if (model.reveal && rule) {
        const inches = Math.round(rule.radius / INCH);
        g.append(
          s(
            'circle',
            { cx: u.x, cy: u.y, r: rule.radius * PICTURE.width, class: 'pin-keepout' },
            s('title', undefined, `Keep the sensor ${inches} inch${inches === 1 ? '' : 'es'} from the ${name.toLowerCase()}`),
          ),
        );
      }
      g.append(s('g', { class: `pin-obstacle pin-obstacle--${o.kind}`, transform: `translate(${u.x} ${u.y})` }, s('title', undefined, `${name} on ${o.where}`), ...obstacleIcon(o.kind)));
      requests.unshift({ anchor: { x: u.x, y: u.y + 22 }, lines: [OBSTACLE_LABELS[o.kind]], fontSize: LABEL_FONT });
      kinds.unshift('obstacle');
    }
  }

  private drawLabels(requests: LabelRequest[], kinds: string[], taken: PlacedLabel[]): void {
    const placed = placeLabels(requests, taken);
    placed.forEach((box, i) => {
      const request = requests[i];
      if (!request) return;
      const kind = kinds[i] ?? 'avoid';
      const g = s('g', { class: `pin-label pin-label--${kind}`, 'aria-hidden': 'true' });
      if (box.moved) {
        g.append(s('line', { x1: request.anchor.x, y1: request.anchor.y, x2: box.x, y2: box.y, class: 'pin-label-leader' }));
      }
      g.append(s('rect', { x: box.x - box.width / 2, y: box.y - box.height / 2, width: box.width, height: box.height, rx: 5, class: 'pin-label-box' }));
      const lineHeight = request.fontSize * 1.2;
      const top = box.y - ((request.lines.length - 1) * lineHeight) / 2;
      const text = s('text', { x: box.x, y: top, 'font-size': request.fontSize, class: 'pin-label-text' });
      request.lines.forEach((line, n) => text.append(s('tspan', { x: box.x, y: top + n * lineHeight, 'dominant-baseline': 'central' }, line)));
      g.append(text);
      this.layers.labels.append(g);
    });
  }
}

function toUnitsCentre(polygon: PinSites['zones'][number]['polygon']): Point {
  return pointToUnits(centroid(polygon));
}

function defs(clipPath: SVGClipPathElement): SVGDefsElement {
  const skin = s(
    'linearGradient',
    { id: `${ID}-skin`, gradientUnits: 'userSpaceOnUse', x1: 60, y1: 0, x2: 340, y2: 0 },
    s('stop', { offset: '0', class: 'pin-skin-edge' }),
    s('stop', { offset: '0.42', class: 'pin-skin-mid' }),
    s('stop', { offset: '0.58', class: 'pin-skin-mid' }),
    s('stop', { offset: '1', class: 'pin-skin-edge' }),
  );
  const hatch = s(
    'pattern',
    { id: `${ID}-hatch`, width: 7, height: 7, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    s('rect', { width: 7, height: 7, class: 'pin-hatch-bg' }),
    s('line', { x1: 0, y1: 0, x2: 0, y2: 7, class: 'pin-hatch-line' }),
  );
  return s('defs', undefined, skin, hatch, clipPath);
}

/** Face, hair, collarbones, navel and waistband, in picture units (clipped to the body). */
function frontDetails(): SVGElement[] {
  return [
    s('path', { d: 'M150 70C146 24 176 8 202 9C232 9 256 28 250 72C244 50 226 36 200 38C176 38 158 50 150 70Z', class: 'pin-hair' }),
    s('ellipse', { cx: 184, cy: 66, rx: 4, ry: 5, class: 'pin-face' }),
    s('ellipse', { cx: 216, cy: 66, rx: 4, ry: 5, class: 'pin-face' }),
    s('path', { d: 'M186 88Q200 98 214 88', class: 'pin-face-line' }),
    s('ellipse', { cx: 174, cy: 82, rx: 7, ry: 4, class: 'pin-cheek' }),
    s('ellipse', { cx: 226, cy: 82, rx: 7, ry: 4, class: 'pin-cheek' }),
    s('path', { d: 'M150 156Q172 164 192 152M250 156Q228 164 208 152', class: 'pin-crease' }),
    s('path', { d: 'M200 180V260', class: 'pin-crease pin-crease--faint' }),
    s('ellipse', { cx: 200, cy: 352, rx: 3.5, ry: 5, class: 'pin-navel' }),
    s('rect', { x: 120, y: 412, width: 160, height: 22, class: 'pin-waistband' }),
    s('path', { d: 'M120 412H280', class: 'pin-waistband-edge' }),
    s('path', { d: 'M170 596Q180 602 190 596M210 596Q220 602 230 596', class: 'pin-crease pin-crease--faint' }),
  ];
}

/** Hair, shoulder blades, spine and waistband from behind. */
function backDetails(): SVGElement[] {
  return [
    s('path', { d: 'M148 88C140 30 170 8 200 8C232 8 262 30 252 88C240 100 224 108 200 108C176 108 160 100 148 88Z', class: 'pin-hair' }),
    s('path', { d: 'M168 100Q200 118 232 100', class: 'pin-hair-edge' }),
    s('path', { d: 'M142 214Q156 186 184 196M258 214Q244 186 216 196', class: 'pin-crease' }),
    s('path', { d: 'M200 150V405', class: 'pin-crease pin-crease--faint' }),
    s('rect', { x: 120, y: 412, width: 160, height: 22, class: 'pin-waistband' }),
    s('path', { d: 'M120 412H280', class: 'pin-waistband-edge' }),
    s('path', { d: 'M200 440V476', class: 'pin-crease pin-crease--faint' }),
  ];
}

/** Which side is the figure's left: seen from the front, it is on the picture's right. */
function sideLabels(view: PinView): SVGElement {
  const [leftText, rightText] = view === 'front' ? ['Right side', 'Left side'] : ['Left side', 'Right side'];
  return s(
    'g',
    { class: 'pin-side-labels', 'aria-hidden': 'true' },
    s('text', { x: 12, y: 786, class: 'pin-side-label', 'text-anchor': 'start' }, `◀ ${leftText}`),
    s('text', { x: 388, y: 786, class: 'pin-side-label', 'text-anchor': 'end' }, `${rightText} ▶`),
    s('text', { x: 12, y: 26, class: 'pin-view-label', 'text-anchor': 'start' }, view === 'front' ? 'Front' : 'Back'),
  );
}

function obstacleIcon(kind: RoundObstacle['kind']): SVGElement[] {
  switch (kind) {
    case 'pump_site':
    case 'injection_site':
      // An infusion set: a rounded pad with the cannula hub, and the tubing leaving it.
      return [
        s('path', { d: 'M6 2C18 -2 26 10 34 4', class: 'pin-obstacle-tube' }),
        s('rect', { x: -10, y: -10, width: 20, height: 20, rx: 6, class: 'pin-obstacle-pad' }),
        s('circle', { r: 4.5, class: 'pin-obstacle-hub' }),
      ];
    case 'tattoo':
      // A small star, in ink.
      return [s('path', { d: 'M0 -11L3 -3.5L11 -3.4L4.8 1.6L7 9.5L0 5L-7 9.5L-4.8 1.6L-11 -3.4L-3 -3.5Z', class: 'pin-obstacle-ink' })];
    case 'scar':
      return [s('path', { d: 'M-11 2L-5 -3L0 2L5 -3L11 2', class: 'pin-obstacle-scar' }), s('path', { d: 'M-6 -7V6M0 -5V8M6 -7V6', class: 'pin-obstacle-stitch' })];
  }
}

/** The placed sensor; once judged, a badge whose shape and glyph (not only its colour) say right or wrong. */
function pinMarker(u: Point, result: PinResult): SVGGElement {
  const g = s('g', { class: `pin-marker pin-marker--${result}`, transform: `translate(${u.x} ${u.y})` });
  g.append(
    s('circle', { r: 11, class: 'pin-marker-body' }),
    s('circle', { r: 4, class: 'pin-marker-core' }),
  );
  if (result === 'correct') {
    g.append(s('circle', { cx: 12, cy: -12, r: 8, class: 'pin-badge pin-badge--correct' }), s('path', { d: 'M8 -12L11 -9L16 -15', class: 'pin-badge-glyph' }));
  } else if (result === 'incorrect') {
    g.append(s('rect', { x: 4, y: -20, width: 16, height: 16, rx: 3, class: 'pin-badge pin-badge--incorrect' }), s('path', { d: 'M8 -16L16 -8M16 -16L8 -8', class: 'pin-badge-glyph' }));
  }
  return g;
}
