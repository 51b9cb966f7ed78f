/**
 * Geometry on the normalised body picture (0..1 across and down, origin top left, 400 × 800 units). Used to draw
 * the server's polygons and to turn pointer positions into picture coordinates. Judging stays on the server; the
 * checks here only keep a round's obstacles from covering every approved site, and describe where the keyboard
 * crosshair is.
 */
import { PICTURE, type PinPoint, type PinPolygon } from '../api/pin';

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ViewBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The figure's viewBox: one SVG unit is one picture unit. */
export const VIEW_BOX: ViewBox = { x: 0, y: 0, width: PICTURE.width, height: PICTURE.height };

/** Height / width of the picture: 0.01 across is as long as 0.02 down. */
export const ASPECT = PICTURE.height / PICTURE.width;

/**
 * A pointer position (client pixels) → normalised picture coordinates, for an SVG drawn in `rect` (its
 * getBoundingClientRect) with `viewBox` and the default `preserveAspectRatio="xMidYMid meet"`: the picture is
 * scaled to fit and centred, so an element that is not exactly 1:2 has empty bands on two sides. The answer can
 * fall outside 0..1 (a point in such a band, or off the element).
 */
export function clientToPicture(clientX: number, clientY: number, rect: Rect, viewBox: ViewBox = VIEW_BOX): Point {
  const scale = Math.min(rect.width / viewBox.width, rect.height / viewBox.height);
  if (!(scale > 0)) return { x: Number.NaN, y: Number.NaN };
  const offsetX = (rect.width - viewBox.width * scale) / 2;
  const offsetY = (rect.height - viewBox.height * scale) / 2;
  const unitX = viewBox.x + (clientX - rect.left - offsetX) / scale;
  const unitY = viewBox.y + (clientY - rect.top - offsetY) / scale;
  return { x: unitX / PICTURE.width, y: unitY / PICTURE.height };
}

/** The inverse of {@link clientToPicture}: where a normalised point is drawn, in client pixels. */
export function pictureToClient(point: Point, rect: Rect, viewBox: ViewBox = VIEW_BOX): Point {
  const scale = Math.min(rect.width / viewBox.width, rect.height / viewBox.height);
  const offsetX = (rect.width - viewBox.width * scale) / 2;
  const offsetY = (rect.height - viewBox.height * scale) / 2;
  return {
    x: rect.left + offsetX + (point.x * PICTURE.width - viewBox.x) * scale,
    y: rect.top + offsetY + (point.y * PICTURE.height - viewBox.y) * scale,
  };
}

/** True when the point is on the picture (0..1 both ways). */
export function onPicture(p: Point): boolean {
  return p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1;
}

/** Normalised `[x, y]` → SVG units. */
export function toUnits(p: PinPoint): Point {
  return { x: p[0] * PICTURE.width, y: p[1] * PICTURE.height };
}

/** Normalised `{x, y}` → SVG units. */
export function pointToUnits(p: Point): Point {
  return { x: p.x * PICTURE.width, y: p.y * PICTURE.height };
}

/** Distance in picture widths with y scaled by the aspect, so it is the same in every direction (as the server). */
export function aspectDistance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, (a.y - b.y) * ASPECT);
}

/** Ray-casting point-in-polygon. */
export function insidePolygon(polygon: PinPolygon, p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (!a || !b) continue;
    if (a[1] > p.y !== b[1] > p.y && p.x < ((b[0] - a[0]) * (p.y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Aspect-corrected distance from `p` to the polygon's edge, in picture widths. */
export function distanceToEdge(polygon: PinPolygon, p: Point): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[j];
    const b = polygon[i];
    if (!a || !b) continue;
    const ax = a[0];
    const ay = a[1] * ASPECT;
    const dx = b[0] - ax;
    const dy = b[1] * ASPECT - ay;
    const qx = p.x;
    const qy = p.y * ASPECT;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((qx - ax) * dx + (qy - ay) * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(qx - (ax + t * dx), qy - (ay + t * dy)));
  }
  return best;
}

/** The vertex average (good enough to place a label on the small convex shapes of the sites file). */
export function centroid(polygon: PinPolygon): Point {
  let x = 0;
  let y = 0;
  for (const [px, py] of polygon) {
    x += px;
    y += py;
  }
  const n = Math.max(1, polygon.length);
  return { x: x / n, y: y / n };
}

/** The bounding box, normalised. */
export function bounds(polygon: PinPolygon): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = 1;
  let minY = 1;
  let maxX = 0;
  let maxY = 0;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** A closed SVG path through the polygon's points, in SVG units. */
export function polygonPath(polygon: PinPolygon): string {
  return (
    polygon
      .map((pt, i) => {
        const u = toUnits(pt);
        return `${i === 0 ? 'M' : 'L'}${fmt(u.x)} ${fmt(u.y)}`;
      })
      .join('') + 'Z'
  );
}

/**
 * A closed SVG path through the polygon with each corner rounded by a quadratic curve of at most `radius` units
 * (less on short edges). The outline stays within a few units of the polygon, so the drawing and the judge agree.
 */
export function roundedPath(polygon: PinPolygon, radius: number): string {
  const pts = polygon.map(toUnits);
  const n = pts.length;
  if (n < 3) return polygonPath(polygon);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const prev = pts[(i - 1 + n) % n] as Point;
    const cur = pts[i] as Point;
    const next = pts[(i + 1) % n] as Point;
    const inLen = Math.hypot(cur.x - prev.x, cur.y - prev.y);
    const outLen = Math.hypot(next.x - cur.x, next.y - cur.y);
    const r = Math.min(radius, inLen / 2, outLen / 2);
    const start = { x: cur.x + ((prev.x - cur.x) * r) / (inLen || 1), y: cur.y + ((prev.y - cur.y) * r) / (inLen || 1) };
    const end = { x: cur.x + ((next.x - cur.x) * r) / (outLen || 1), y: cur.y + ((next.y - cur.y) * r) / (outLen || 1) };
    parts.push(`${i === 0 ? 'M' : 'L'}${fmt(start.x)} ${fmt(start.y)}Q${fmt(cur.x)} ${fmt(cur.y)} ${fmt(end.x)} ${fmt(end.y)}`);
  }
  return parts.join('') + 'Z';
}
