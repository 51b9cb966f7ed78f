/**
 * The items, drawn with canvas paths and gradients around (0, 0) in a box about 2 × {@link ART_R} wide.
 * Healthy items get a soft green halo and a leaf badge, sugary ones a warm halo and a "!" badge, so colour is
 * never the only cue. Sprites are drawn once per scale into offscreen canvases ({@link itemSprite}).
 */
import type { ItemKind } from './items';
import { ITEMS } from './items';

export const ART_R = 22;
/** Sprite box half-size in road units (the item plus its halo and badge). */
export const SPRITE_HALF = 32;

type Ctx = CanvasRenderingContext2D;

function circle(ctx: Ctx, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

function roundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

function radial(ctx: Ctx, x: number, y: number, r: number, inner: string, outer: string): CanvasGradient {
  const g = ctx.createRadialGradient(x - r * 0.35, y - r * 0.4, r * 0.1, x, y, r);
  g.addColorStop(0, inner);
  g.addColorStop(1, outer);
  return g;
}

function highlight(ctx: Ctx, x: number, y: number, rx: number, ry: number, rot = -0.6): void {
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.55)';
  ctx.beginPath();
  ctx.ellipse(x, y, rx, ry, rot, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}

function apple(ctx: Ctx): void {
  ctx.fillStyle = radial(ctx, 0, 3, 20, '#ff6b6b', '#b91c1c');
  ctx.beginPath();
  ctx.moveTo(0, -10);
  ctx.bezierCurveTo(8, -19, 22, -14, 20, 1);
  ctx.bezierCurveTo(19, 14, 9, 21, 0, 17);
  ctx.bezierCurveTo(-9, 21, -19, 14, -20, 1);
  ctx.bezierCurveTo(-22, -14, -8, -19, 0, -10);
  ctx.fill();
  ctx.strokeStyle = '#7f1d1d';
  ctx.lineWidth = 1.2;
  ctx.stroke();
  ctx.strokeStyle = '#6b3f1d';
  ctx.lineWidth = 2.6;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(0, -10);
  ctx.quadraticCurveTo(1, -17, 4, -21);
  ctx.stroke();
  ctx.fillStyle = '#22c55e';
  ctx.beginPath();
  ctx.moveTo(3, -16);
  ctx.quadraticCurveTo(10, -25, 17, -20);
  ctx.quadraticCurveTo(11, -12, 3, -16);
  ctx.fill();
  highlight(ctx, -9, -4, 4, 7, 0.4);
}

function broccoli(ctx: Ctx): void {
  ctx.fillStyle = '#86c06c';
  ctx.beginPath();
  ctx.moveTo(-6, 2);
  ctx.lineTo(6, 2);
  ctx.lineTo(4, 21);
  ctx.quadraticCurveTo(0, 23, -4, 21);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = '#4d7c3a';
  ctx.lineWidth = 1.2;
  ctx.stroke();
  const florets: Array<[number, number, number]> = [
    [-11, -4, 9], [11, -4, 9], [0, -12, 10], [-7, -15, 7], [8, -15, 7], [0, -2, 9],
  ];
  for (const [x, y, r] of florets) {
    ctx.fillStyle = radial(ctx, x, y, r, '#4ade80', '#166534');
    circle(ctx, x, y, r);
    ctx.fill();
    ctx.strokeStyle = '#14532d';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  ctx.fillStyle = 'rgba(20,83,45,0.55)';
  for (const [x, y] of [[-12, -6], [-8, -1], [10, -6], [13, -1], [-1, -14], [3, -10], [-6, -16], [7, -17], [1, -3]]) {
    circle(ctx, x as number, y as number, 1.3);
    ctx.fill();
  }
}

function carrot(ctx: Ctx): void {
  ctx.save();
  ctx.rotate(0.55);
  ctx.fillStyle = '#16a34a';
  for (const [dx, rot] of [[-4, -0.5], [0, 0], [4, 0.5]] as const) {
    ctx.save();
    ctx.translate(dx, -15);
    ctx.rotate(rot);
    ctx.beginPath();
    ctx.ellipse(0, -6, 2.6, 8, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.restore();
  }
  const g = ctx.createLinearGradient(-8, 0, 8, 0);
  g.addColorStop(0, '#fdba74');
  g.addColorStop(0.45, '#f97316');
  g.addColorStop(1, '#c2410c');
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.moveTo(-8, -14);
  ctx.quadraticCurveTo(0, -18, 8, -14);
  ctx.quadraticCurveTo(6, 6, 1, 22);
  ctx.quadraticCurveTo(0, 24, -1, 22);
  ctx.quadraticCurveTo(-6, 6, -8, -14);
  ctx.fill();
  ctx.strokeStyle = '#9a3412';
  ctx.lineWidth = 1.1;
  ctx.stroke();
  ctx.strokeStyle = 'rgba(154,52,18,0.8)';
  ctx.lineWidth = 1.3;
  ctx.lineCap = 'round';
  for (const [y, w] of [[-7, 4], [0, 3.5], [7, 3], [13, 2]] as const) {
    ctx.beginPath();
    ctx.moveTo(-w, y);
    ctx.lineTo(w * 0.3, y + 1);
    ctx.stroke();
  }
  ctx.restore();
}

function water(ctx: Ctx): void {
  const body = ctx.createLinearGradient(-10, 0, 10, 0);
  body.addColorStop(0, 'rgba(125,211,252,0.95)');
  body.addColorStop(0.5, 'rgba(224,242,254,0.95)');
  body.addColorStop(1, 'rgba(56,189,248,0.95)');
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.moveTo(-4, -15);
  ctx.lineTo(4, -15);
  ctx.quadraticCurveTo(11, -11, 11, -4);
  ctx.lineTo(11, 18);
  ctx.quadraticCurveTo(11, 22, 7, 22);
  ctx.lineTo(-7, 22);
  ctx.quadraticCurveTo(-11, 22, -11, 18);
  ctx.lineTo(-11, -4);
  ctx.quadraticCurveTo(-11, -11, -4, -15);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = '#0369a1';
  ctx.lineWidth = 1.4;
  ctx.stroke();
  ctx.fillStyle = 'rgba(14,165,233,0.55)';
  ctx.fillRect(-10, 6, 20, 15);
  ctx.fillStyle = '#1d4ed8';
  roundRect(ctx, -5, -22, 10, 8, 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(-11, -3, 22, 8);
  ctx.strokeStyle = '#0284c7';
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  ctx.moveTo(-9, 1);
  ctx.quadraticCurveTo(-5, -2, -1, 1);
  ctx.quadraticCurveTo(3, 4, 8, 1);
  ctx.stroke();
  highlight(ctx, -6, -8, 1.8, 4, 0);
}

function donut(ctx: Ctx): void {
  ctx.fillStyle = radial(ctx, 0, 0, 21, '#f5c27a', '#b7742c');
  ctx.beginPath();
  ctx.arc(0, 0, 20, 0, Math.PI * 2);
  ctx.arc(0, 0, 6.5, 0, Math.PI * 2, true);
  ctx.fill('evenodd');
  ctx.fillStyle = radial(ctx, 0, 0, 17, '#fbcfe8', '#ec4899');
  ctx.beginPath();
  for (let i = 0; i <= 24; i += 1) {
    const a = (i / 24) * Math.PI * 2;
    const r = 16 + (i % 2 === 0 ? 1.6 : -0.8);
    const x = Math.cos(a) * r;
    const y = Math.sin(a) * r;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
  ctx.arc(0, 0, 8, 0, Math.PI * 2, true);
  ctx.fill('evenodd');
  const sprinkles: Array<[number, number, number, string]> = [
    [-11, -6, 0.4, '#facc15'], [9, -10, 1.2, '#38bdf8'], [12, 5, 2.1, '#ffffff'], [-4, 12, 0.9, '#a3e635'],
    [-13, 5, 2.6, '#38bdf8'], [2, -13, 1.9, '#ffffff'], [7, 12, 0.2, '#facc15'], [-7, -12, 2.3, '#a3e635'],
  ];
  ctx.lineCap = 'round';
  ctx.lineWidth = 2;
  for (const [x, y, rot, colour] of sprinkles) {
    ctx.strokeStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x - Math.cos(rot) * 2.2, y - Math.sin(rot) * 2.2);
    ctx.lineTo(x + Math.cos(rot) * 2.2, y + Math.sin(rot) * 2.2);
    ctx.stroke();
  }
  ctx.strokeStyle = '#92400e';
  ctx.lineWidth = 1.2;
  circle(ctx, 0, 0, 20);
  ctx.stroke();
}

function candy(ctx: Ctx): void {
  ctx.fillStyle = '#f472b6';
  for (const side of [-1, 1]) {
    ctx.beginPath();
    ctx.moveTo(side * 10, 0);
    ctx.lineTo(side * 22, -10);
    ctx.quadraticCurveTo(side * 19, 0, side * 22, 10);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = '#be185d';
    ctx.lineWidth = 1.1;
    ctx.stroke();
  }
  ctx.fillStyle = radial(ctx, 0, 0, 13, '#fecaca', '#dc2626');
  ctx.beginPath();
  ctx.ellipse(0, 0, 13, 11, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.save();
  ctx.clip();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 3;
  for (let x = -18; x <= 18; x += 8) {
    ctx.beginPath();
    ctx.moveTo(x, -12);
    ctx.lineTo(x + 10, 12);
    ctx.stroke();
  }
  ctx.restore();
  ctx.strokeStyle = '#991b1b';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.ellipse(0, 0, 13, 11, 0, 0, Math.PI * 2);
  ctx.stroke();
  highlight(ctx, -5, -5, 2.5, 4.5);
}

function soda(ctx: Ctx): void {
  const g = ctx.createLinearGradient(-12, 0, 12, 0);
  g.addColorStop(0, '#991b1b');
  g.addColorStop(0.4, '#ef4444');
  g.addColorStop(1, '#7f1d1d');
  ctx.fillStyle = g;
  roundRect(ctx, -12, -18, 24, 38, 5);
  ctx.fill();
  const metal = ctx.createLinearGradient(-12, 0, 12, 0);
  metal.addColorStop(0, '#94a3b8');
  metal.addColorStop(0.5, '#f1f5f9');
  metal.addColorStop(1, '#64748b');
  ctx.fillStyle = metal;
  roundRect(ctx, -11, -22, 22, 6, 2.5);
  ctx.fill();
  roundRect(ctx, -11, 17, 22, 5, 2.5);
  ctx.fill();
  ctx.fillStyle = '#475569';
  roundRect(ctx, -3, -21.5, 6, 3, 1.5);
  ctx.fill();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(-12, 4);
  ctx.bezierCurveTo(-4, -6, 4, 12, 12, 0);
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  ctx.font = '800 7px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('FIZZ', 0, -6);
  highlight(ctx, -7, 2, 1.6, 9, 0);
}

function lollipop(ctx: Ctx): void {
  ctx.strokeStyle = '#f8fafc';
  ctx.lineWidth = 3.5;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(3, 4);
  ctx.lineTo(14, 22);
  ctx.stroke();
  ctx.strokeStyle = '#cbd5e1';
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.fillStyle = radial(ctx, -2, -4, 16, '#e9d5ff', '#9333ea');
  circle(ctx, -2, -4, 15);
  ctx.fill();
  ctx.strokeStyle = '#fdf4ff';
  ctx.lineWidth = 2.6;
  ctx.beginPath();
  for (let i = 0; i <= 60; i += 1) {
    const a = i * 0.32;
    const r = 1 + i * 0.22;
    const x = -2 + Math.cos(a) * r;
    const y = -4 + Math.sin(a) * r;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  ctx.strokeStyle = '#6b21a8';
  ctx.lineWidth = 1.2;
  circle(ctx, -2, -4, 15);
  ctx.stroke();
}

const DRAW: Record<ItemKind, (ctx: Ctx) => void> = { apple, broccoli, carrot, water, donut, candy, soda, lollipop };

/** The item's halo and badge: a leaf for healthy items, a warning "!" for sugary ones. */
function halo(ctx: Ctx, healthy: boolean): void {
  const g = ctx.createRadialGradient(0, 0, 8, 0, 0, SPRITE_HALF);
  g.addColorStop(0, healthy ? 'rgba(74,222,128,0.55)' : 'rgba(251,113,133,0.5)');
  g.addColorStop(1, healthy ? 'rgba(74,222,128,0)' : 'rgba(251,113,133,0)');
  ctx.fillStyle = g;
  circle(ctx, 0, 0, SPRITE_HALF);
  ctx.fill();
}

function badge(ctx: Ctx, healthy: boolean): void {
  const x = 17;
  const y = 16;
  ctx.fillStyle = healthy ? '#15803d' : '#b91c1c';
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.6;
  circle(ctx, x, y, 7);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#ffffff';
  if (healthy) {
    // A check mark.
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(x - 3.2, y + 0.2);
    ctx.lineTo(x - 0.8, y + 2.6);
    ctx.lineTo(x + 3.4, y - 2.6);
    ctx.stroke();
  } else {
    ctx.fillRect(x - 1.1, y - 4.2, 2.2, 5.2);
    circle(ctx, x, y + 3, 1.3);
    ctx.fill();
  }
}

/** Draws `kind` (halo, art, badge) centred on (0, 0) in road units. */
export function drawItem(ctx: Ctx, kind: ItemKind, withHalo = true): void {
  const healthy = ITEMS[kind].healthy;
  ctx.save();
  if (withHalo) halo(ctx, healthy);
  DRAW[kind](ctx);
  ctx.restore();
  ctx.save();
  badge(ctx, healthy);
  ctx.restore();
}

/** An offscreen canvas with the item drawn at `scale` device pixels per road unit. */
export function itemSprite(kind: ItemKind, scale: number, withHalo = true): HTMLCanvasElement {
  const size = Math.ceil(SPRITE_HALF * 2 * scale);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.scale(size / (SPRITE_HALF * 2), size / (SPRITE_HALF * 2));
    ctx.translate(SPRITE_HALF, SPRITE_HALF);
    drawItem(ctx, kind, withHalo);
  }
  return canvas;
}
