/**
 * Draws a {@link Race} onto the canvas every frame: scrolling roadside and road (cached tiles), items and the car
 * (cached sprites), particles, the HUD, and a warning glow while the gauge is out of range. Nothing is allocated
 * per frame; sprites and tiles are rebuilt only when the canvas changes size.
 */
import type { RacingRules } from '../../api/games';
import { carSprite } from './art-car';
import { SPRITE_HALF, itemSprite } from './art-items';
import { Effects } from './effects';
import { Hud } from './hud';
import { ITEM_KINDS, type ItemKind } from './items';
import { roadTile, sideTile } from './scenery';
import { CAR_Y, ROAD_W, VIEW_H, type Race } from './sim';

/** The narrowest view, in road units: the road and a little grass on each side. */
export const MIN_VIEW_W = 380;
const CAR_TURN = 0.14 / 430;

export interface RendererOptions {
  rules: RacingRules;
  reducedMotion: boolean;
}

export class RaceRenderer {
  readonly effects: Effects;
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly hud: Hud;
  private readonly reducedMotion: boolean;
  private scale = 1;
  /** View width in road units. */
  private viewW = MIN_VIEW_W;
  private roadLeft = 0;
  private roadXpx = 0;
  private road: HTMLCanvasElement | null = null;
  private left: HTMLCanvasElement | null = null;
  private right: HTMLCanvasElement | null = null;
  private vignette: HTMLCanvasElement | null = null;
  private sprites: Partial<Record<ItemKind, HTMLCanvasElement>> = {};
  private car: { canvas: HTMLCanvasElement; w: number; h: number } | null = null;
  private shakeTime = 0;
  private flashTime = 0;
  private clock = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    options: RendererOptions,
  ) {
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.reducedMotion = options.reducedMotion;
    this.hud = new Hud(options.rules, options.reducedMotion);
    this.effects = new Effects(options.reducedMotion);
  }

  get ready(): boolean {
    return this.ctx !== null;
  }

  /**
   * Sizes the backing store for a canvas shown `cssW` × `cssH` CSS pixels at `dpr`, and redraws the cached art.
   * The caller keeps the canvas no narrower than {@link MIN_VIEW_W} road units (see {@link fitHeight}).
   */
  resize(cssW: number, cssH: number, dpr: number): void {
    const ratio = Math.min(Math.max(dpr, 1), 2);
    const width = Math.max(1, Math.round(cssW * ratio));
    const height = Math.max(1, Math.round(cssH * ratio));
    if (width === this.canvas.width && height === this.canvas.height && this.road) return;
    this.canvas.width = width;
    this.canvas.height = height;
    this.scale = height / VIEW_H;
    this.viewW = width / this.scale;
    this.roadLeft = (this.viewW - ROAD_W) / 2;
    this.roadXpx = Math.round(this.roadLeft * this.scale);
    this.hud.layout(this.viewW);
    if (!this.ctx) return;
    this.road = roadTile(this.scale);
    this.left = sideTile(this.roadXpx / this.scale, this.scale, 'left', 11);
    const rightX = this.roadXpx + this.road.width;
    this.right = sideTile((width - rightX) / this.scale, this.scale, 'right', 29);
    this.vignette = makeVignette(width, height);
    for (const kind of ITEM_KINDS) this.sprites[kind] = itemSprite(kind, this.scale);
    this.car = carSprite(this.scale);
  }

  shake(): void {
    if (!this.reducedMotion) this.shakeTime = 0.28;
  }

  flash(): void {
    this.flashTime = 0.6;
  }

  /** Road units → CSS-pixel fractions of the canvas, for positioning DOM over the track (0..1). */
  toCanvasFraction(x: number, y: number): { x: number; y: number } {
    return { x: (this.roadLeft + x) / this.viewW, y: y / VIEW_H };
  }

  draw(race: Race, dt: number): void {
    const ctx = this.ctx;
    if (!ctx || !this.road || !this.left || !this.right || !this.car) return;
    this.clock += dt;
    this.effects.update(dt, race.over ? 0 : race.speed);
    const s = this.scale;
    let sx = 0;
    let sy = 0;
    if (this.shakeTime > 0) {
      this.shakeTime -= dt;
      const k = Math.max(0, this.shakeTime) * 18;
      sx = Math.round(Math.sin(this.clock * 73) * k * s);
      sy = Math.round(Math.cos(this.clock * 61) * k * s);
    }

    // Background tiles, in device pixels so the repeats meet without seams.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#3f9142';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const tileH = this.road.height;
    const offset = Math.round((race.distance * s) % tileH);
    const rightX = this.roadXpx + this.road.width;
    for (let y = offset - tileH; y < this.canvas.height; y += tileH) {
      ctx.drawImage(this.left, sx, y + sy);
      ctx.drawImage(this.road, this.roadXpx + sx, y + sy);
      ctx.drawImage(this.right, rightX + sx, y + sy);
    }

    // The world, in road units.
    ctx.setTransform(s, 0, 0, s, this.roadXpx + sx, sy);
    const bob = !this.reducedMotion;
    for (const item of race.items) {
      if (!item.active) continue;
      const sprite = this.sprites[item.kind];
      if (!sprite) continue;
      const k = bob ? 1 + 0.07 * Math.sin(item.age * 7) : 1;
      const half = SPRITE_HALF * k;
      ctx.drawImage(sprite, item.x - half, item.y - half, half * 2, half * 2);
    }

    const car = this.car;
    const angle = race.carVX * CAR_TURN;
    const cos = Math.cos(angle) * s;
    const sin = Math.sin(angle) * s;
    ctx.setTransform(cos, sin, -sin, cos, this.roadXpx + sx + race.carX * s, sy + CAR_Y * s);
    if (this.flashTime > 0 && Math.floor(this.flashTime * 10) % 2 === 0) ctx.globalAlpha = 0.45;
    ctx.drawImage(car.canvas, -car.w / 2, -car.h / 2, car.w, car.h);
    ctx.globalAlpha = 1;

    ctx.setTransform(s, 0, 0, s, this.roadXpx + sx, sy);
    this.effects.draw(ctx);

    // Warning glow while out of range, and the flash when a life is lost.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (race.zone !== 'in-range' && this.vignette) {
      ctx.globalAlpha = this.reducedMotion ? 0.5 : 0.35 + 0.3 * Math.abs(Math.sin(this.clock * 4));
      ctx.drawImage(this.vignette, 0, 0);
      ctx.globalAlpha = 1;
    }
    if (this.flashTime > 0) {
      this.flashTime -= dt;
      ctx.globalAlpha = Math.max(0, this.flashTime) * (this.reducedMotion ? 0.35 : 0.6);
      ctx.fillStyle = '#fecdd3';
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      ctx.globalAlpha = 1;
    }

    ctx.setTransform(s, 0, 0, s, 0, 0);
    this.hud.draw(ctx, race, this.clock);
  }
}

/** The CSS height for a canvas `cssW` wide: as tall as `maxH`, but never narrower than {@link MIN_VIEW_W} units. */
export function fitHeight(cssW: number, maxH: number): number {
  return Math.max(1, Math.min(maxH, Math.floor((cssW * VIEW_H) / MIN_VIEW_W)));
}

function makeVignette(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const r = Math.hypot(width, height) / 2;
  const g = ctx.createRadialGradient(width / 2, height / 2, r * 0.55, width / 2, height / 2, r);
  g.addColorStop(0, 'rgba(239,68,68,0)');
  g.addColorStop(1, 'rgba(239,68,68,0.75)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

