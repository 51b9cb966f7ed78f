/**
 * Places short text labels on the figure so they do not sit on top of each other: each label tries its anchor
 * first, then spots above, below and beside it, and takes the first one that overlaps no label placed before it
 * and stays inside the picture. Pure: sizes are estimated from the character count.
 */
import { VIEW_BOX, type Point } from './geometry';

export interface LabelRequest {
  /** Where the label wants to be (its centre), in SVG units. */
  anchor: Point;
  lines: readonly string[];
  fontSize: number;
}

export interface PlacedLabel {
  /** Centre of the label box, in SVG units. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** True when the label had to move away from its anchor (draw a leader line). */
  moved: boolean;
}

const CHAR_WIDTH = 0.66;
const LINE_HEIGHT = 1.2;
const PAD = 3;

export function labelSize(lines: readonly string[], fontSize: number): { width: number; height: number } {
  const longest = Math.max(1, ...lines.map((line) => Array.from(line).length));
  return { width: longest * fontSize * CHAR_WIDTH + 2 * PAD, height: lines.length * fontSize * LINE_HEIGHT + PAD };
}

function overlaps(a: PlacedLabel, b: PlacedLabel): boolean {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
}

/** Positions for every request, in order (earlier requests win the better spots). */
export function placeLabels(requests: readonly LabelRequest[], taken: readonly PlacedLabel[] = []): PlacedLabel[] {
  const placed: PlacedLabel[] = [...taken];
  const out: PlacedLabel[] = [];
  for (const request of requests) {
    const { width, height } = labelSize(request.lines, request.fontSize);
    const dx = width / 2 + 6;
    const offsets: Array<[number, number]> = [
      [0, 0],
      [0, -height],
      [0, height],
      [dx, 0],
      [-dx, 0],
      [0, -2 * height],
      [0, 2 * height],
      [dx, -height],
      [-dx, -height],
      [dx, height],
      [-dx, height],
    ];
    let choice: PlacedLabel | undefined;
    for (const [ox, oy] of offsets) {
      const candidate: PlacedLabel = {
        x: clamp(request.anchor.x + ox, VIEW_BOX.x + width / 2, VIEW_BOX.x + VIEW_BOX.width - width / 2),
        y: clamp(request.anchor.y + oy, VIEW_BOX.y + height / 2, VIEW_BOX.y + VIEW_BOX.height - height / 2),
        width,
        height,
        moved: ox !== 0 || oy !== 0,
      };
      if (!placed.some((other) => overlaps(candidate, other))) {
        choice = candidate;
        break;
      }
    }
    choice ??= {
      x: clamp(request.anchor.x, width / 2, VIEW_BOX.width - width / 2),
      y: clamp(request.anchor.y, height / 2, VIEW_BOX.height - height / 2),
      width,
      height,
      moved: false,
    };
    placed.push(choice);
    out.push(choice);
  }
  return out;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
