/**
 * The track's scrolling backgrounds, drawn once per size into offscreen canvases: the road (asphalt, kerbs, lane
 * dashes) and the roadside on each side (mown grass, a gravel strip, trees, bushes, flowers, tyre stacks and
 * banners). Both tiles repeat every {@link TILE_H} road units, so two draws cover the view.
 */
import { createRng, type Rng } from './prng';
import { LANES, LANE_W, ROAD_W } from './sim';

/** Tile height in road units: a multiple of the grass stripes (48), kerbs (48) and lane dashes (72). */
export const TILE_H = 720;
const KERB = 24;
const DASH = 36;
const GRASS_BAND = 48;
const BANNERS = ['STAY IN RANGE 70–180', 'WATER WINS', 'GLUCOPLAY GRAND PRIX', 'VEG = STEADY', 'PIT STOP AHEAD'];

type Ctx = CanvasRenderingContext2D;

function tileCanvas(w: number, scale: number): { canvas: HTMLCanvasElement; ctx: Ctx | null } {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(TILE_H * scale));
  const ctx = canvas.getContext('2d');
  if (ctx) ctx.scale(canvas.width / w, canvas.height / TILE_H);
  return { canvas, ctx };
}

/** Calls `draw(y)` at y and at its copies one tile up/down when the shape of half-height `half` would be cut. */
function wrapped(y: number, half: number, draw: (y: number) => void): void {
  draw(y);
  if (y - half < 0) draw(y + TILE_H);
  if (y + half > TILE_H) draw(y - TILE_H);
}

export function roadTile(scale: number): HTMLCanvasElement {
  const { canvas, ctx } = tileCanvas(ROAD_W, scale);
  if (!ctx) return canvas;
  const asphalt = ctx.createLinearGradient(0, 0, ROAD_W, 0);
  asphalt.addColorStop(0, '#2b303b');
  asphalt.addColorStop(0.12, '#3a404d');
  asphalt.addColorStop(0.5, '#434a58');
  asphalt.addColorStop(0.88, '#3a404d');
  asphalt.addColorStop(1, '#2b303b');
  ctx.fillStyle = asphalt;
  ctx.fillRect(0, 0, ROAD_W, TILE_H);

  const rng = createRng(1907);
  for (let i = 0; i < 420; i += 1) {
    const light = rng.next() < 0.5;
    ctx.fillStyle = light ? 'rgba(255,255,255,0.07)' : 'rgba(0,0,0,0.16)';
    ctx.fillRect(rng.range(0, ROAD_W), rng.range(0, TILE_H), rng.range(1, 2.6), rng.range(1, 2.6));
  }
  // Rubber laid down by other cars, in the middle of each lane.
  ctx.fillStyle = 'rgba(0,0,0,0.10)';
  for (let lane = 0; lane < LANES; lane += 1) {
    const cx = lane * LANE_W + LANE_W / 2;
    ctx.fillRect(cx - 20, 0, 9, TILE_H);
    ctx.fillRect(cx + 11, 0, 9, TILE_H);
  }

  // Kerbs: red and white blocks on both edges, and a white line inside them.
  for (let y = 0; y < TILE_H; y += KERB) {
    ctx.fillStyle = (y / KERB) % 2 === 0 ? '#dc2626' : '#f8fafc';
    ctx.fillRect(0, y, 13, KERB);
    ctx.fillRect(ROAD_W - 13, y, 13, KERB);
  }
  ctx.fillStyle = 'rgba(0,0,0,0.25)';
  ctx.fillRect(13, 0, 2, TILE_H);
  ctx.fillRect(ROAD_W - 15, 0, 2, TILE_H);
  ctx.fillStyle = '#e2e8f0';
  ctx.fillRect(18, 0, 3, TILE_H);
  ctx.fillRect(ROAD_W - 21, 0, 3, TILE_H);

  // Lane dashes.
  ctx.fillStyle = 'rgba(248,250,252,0.85)';
  for (let lane = 1; lane < LANES; lane += 1) {
    for (let y = 0; y < TILE_H; y += DASH * 2) ctx.fillRect(lane * LANE_W - 2.5, y, 5, DASH);
  }
  return canvas;
}

function tree(ctx: Ctx, x: number, y: number, r: number, hue: number): void {
  ctx.fillStyle = 'rgba(0,0,0,0.22)';
  ctx.beginPath();
  ctx.ellipse(x + r * 0.35, y + r * 0.4, r, r * 0.92, 0, 0, Math.PI * 2);
  ctx.fill();
  const g = ctx.createRadialGradient(x - r * 0.35, y - r * 0.35, r * 0.15, x, y, r);
  g.addColorStop(0, `hsl(${hue} 62% 48%)`);
  g.addColorStop(1, `hsl(${hue} 64% 22%)`);
  ctx.fillStyle = g;
  ctx.beginPath();
  for (let i = 0; i <= 10; i += 1) {
    const a = (i / 10) * Math.PI * 2;
    const rr = r * (i % 2 === 0 ? 1 : 0.86);
    const px = x + Math.cos(a) * rr;
    const py = y + Math.sin(a) * rr;
    if (i === 0) ctx.moveTo(px, py);
    else ctx.quadraticCurveTo(x + Math.cos(a - 0.3) * r * 1.08, y + Math.sin(a - 0.3) * r * 1.08, px, py);
  }
  ctx.fill();
  ctx.fillStyle = 'rgba(255,255,255,0.12)';
  ctx.beginPath();
  ctx.arc(x - r * 0.3, y - r * 0.3, r * 0.35, 0, Math.PI * 2);
  ctx.fill();
}

function bush(ctx: Ctx, x: number, y: number, r: number): void {
  for (const [dx, dy, k] of [[-0.6, 0.1, 0.7], [0.55, 0.15, 0.65], [0, -0.3, 0.8]] as const) {
    ctx.fillStyle = '#166534';
    ctx.beginPath();
    ctx.arc(x + dx * r, y + dy * r, r * k, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = 'rgba(134,239,172,0.35)';
    ctx.beginPath();
    ctx.arc(x + dx * r - r * 0.15, y + dy * r - r * 0.15, r * k * 0.45, 0, Math.PI * 2);
    ctx.fill();
  }
}

function flowers(ctx: Ctx, rng: Rng, x: number, y: number): void {
  const colours = ['#fde047', '#f9a8d4', '#ffffff', '#c4b5fd', '#fb923c'];
  const colour = colours[rng.int(colours.length)] as string;
  for (let i = 0; i < 7; i += 1) {
    const fx = x + rng.range(-12, 12);
    const fy = y + rng.range(-9, 9);
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(fx, fy, 2.4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#a16207';
    ctx.beginPath();
    ctx.arc(fx, fy, 0.9, 0, Math.PI * 2);
    ctx.fill();
  }
}

function tyres(ctx: Ctx, x: number, y: number): void {
  const colours = ['#111827', '#1f2937', '#111827'];
  for (let i = 0; i < 3; i += 1) {
    const ty = y + (i - 1) * 15;
    ctx.fillStyle = colours[i] as string;
    ctx.beginPath();
    ctx.arc(x, ty, 7.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = i === 1 ? '#f8fafc' : '#ef4444';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, ty, 5, 0, Math.PI * 2);
    ctx.stroke();
    ctx.fillStyle = '#374151';
    ctx.beginPath();
    ctx.arc(x, ty, 2.5, 0, Math.PI * 2);
    ctx.fill();
  }
}

function banner(ctx: Ctx, x: number, y: number, text: string, side: 'left' | 'right'): void {
  const len = 150;
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(side === 'left' ? -Math.PI / 2 : Math.PI / 2);
  ctx.fillStyle = 'rgba(0,0,0,0.3)';
  ctx.fillRect(-len / 2 + 3, -9 + 3, len, 18);
  ctx.fillStyle = '#0f766e';
  ctx.fillRect(-len / 2, -9, len, 18);
  ctx.fillStyle = '#fde047';
  ctx.fillRect(-len / 2, -9, 6, 18);
  ctx.fillRect(len / 2 - 6, -9, 6, 18);
  ctx.fillStyle = '#ffffff';
  ctx.font = '800 10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 0, 0.5, len - 18);
  ctx.restore();
}

/**
 * One side of the road, `width` road units wide. `side` says which way the road is: the gravel strip, tyres and
 * banners sit on that edge.
 */
export function sideTile(width: number, scale: number, side: 'left' | 'right', seed: number): HTMLCanvasElement {
  const { canvas, ctx } = tileCanvas(Math.max(1, width), scale);
  if (!ctx || width <= 0) return canvas;
  for (let y = 0; y < TILE_H; y += GRASS_BAND) {
    ctx.fillStyle = (y / GRASS_BAND) % 2 === 0 ? '#3f9142' : '#48a04b';
    ctx.fillRect(0, y, width, GRASS_BAND);
  }
  const rng = createRng(seed);
  // Grass texture.
  for (let i = 0; i < width * 1.2; i += 1) {
    ctx.fillStyle = rng.next() < 0.5 ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.08)';
    ctx.fillRect(rng.range(0, width), rng.range(0, TILE_H), 1.5, rng.range(2, 5));
  }
  // Gravel run-off beside the kerb.
  const gravelW = Math.min(22, width * 0.3);
  const gx = side === 'left' ? width - gravelW : 0;
  ctx.fillStyle = '#d6c7a1';
  ctx.fillRect(gx, 0, gravelW, TILE_H);
  for (let i = 0; i < 260; i += 1) {
    ctx.fillStyle = rng.next() < 0.5 ? 'rgba(120,100,60,0.35)' : 'rgba(255,255,255,0.35)';
    ctx.fillRect(gx + rng.range(0, gravelW), rng.range(0, TILE_H), 1.6, 1.6);
  }

  const edge = (d: number): number => (side === 'left' ? width - d : d);
  // Tyre stacks and banners right by the track, when there is room.
  if (width > 60) {
    for (let y = 60; y < TILE_H; y += 240) wrapped(y, 24, (yy) => tyres(ctx, edge(gravelW + 12), yy));
  }
  if (width > 110) {
    let i = seed % BANNERS.length;
    for (let y = 180; y < TILE_H; y += 240) {
      const text = BANNERS[i % BANNERS.length] as string;
      i += 1;
      wrapped(y, 80, (yy) => banner(ctx, edge(gravelW + 34), yy, text, side));
    }
  }
  // Trees, bushes and flowers further out.
  const start = width > 110 ? gravelW + 56 : gravelW + 18;
  const span = width - start;
  if (span > 16) {
    const count = Math.round((span * TILE_H) / 5200);
    for (let i = 0; i < count; i += 1) {
      const d = start + rng.range(8, Math.max(9, span - 6));
      const x = edge(d);
      const y = rng.range(0, TILE_H);
      const kind = rng.next();
      if (kind < 0.45) {
        const r = rng.range(16, 28);
        const hue = rng.range(110, 150);
        wrapped(y, r + 12, (yy) => tree(ctx, x, yy, r, hue));
      } else if (kind < 0.75) {
        const r = rng.range(8, 13);
        wrapped(y, r + 6, (yy) => bush(ctx, x, yy, r));
      } else {
        const fseed = rng.int(1 << 30);
        wrapped(y, 14, (yy) => flowers(ctx, createRng(fseed), x, yy));
      }
    }
  }
  return canvas;
}
