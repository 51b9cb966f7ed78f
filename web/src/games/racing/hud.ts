/**
 * The heads-up display drawn over the track: score with the "×2 in range" multiplier, lives as hearts, and the
 * glucose gauge (mg/dL) with its target range. Every state is written in words as well as colour. Strings are
 * rebuilt only when the number they show changes.
 */
import type { RacingRules } from '../../api/games';
import { GAUGE_MAX, GAUGE_MIN, MAX_LIVES, OUT_OF_RANGE_GRACE } from './rules';
import type { Race } from './sim';

type Ctx = CanvasRenderingContext2D;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const FONTS = {
  pill: `800 11px ${FONT}`,
  label: `700 10px ${FONT}`,
  score: `800 26px ${FONT}`,
  scoreSmall: `800 21px ${FONT}`,
  lives: `800 14px ${FONT}`,
  value: `800 20px ${FONT}`,
  unit: `600 10px ${FONT}`,
  tick: `700 9px ${FONT}`,
} as const;
const PANEL = 'rgba(15,23,42,0.78)';
const LABEL = '#cbd5e1';
const LIVES_TEXT = ['none', '1 left', '2 left', '3 left'];

function roundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

function heart(ctx: Ctx, x: number, y: number, size: number): void {
  const s = size / 2;
  ctx.beginPath();
  ctx.moveTo(x, y + s * 0.9);
  ctx.bezierCurveTo(x - s * 1.5, y - s * 0.1, x - s * 0.9, y - s * 1.35, x, y - s * 0.5);
  ctx.bezierCurveTo(x + s * 0.9, y - s * 1.35, x + s * 1.5, y - s * 0.1, x, y + s * 0.9);
  ctx.closePath();
}

/** Where `value` (mg/dL) sits on a gauge bar from x0 to x1. */
function gaugeX(value: number, x0: number, x1: number): number {
  const v = Math.max(GAUGE_MIN, Math.min(GAUGE_MAX, value));
  return x0 + ((v - GAUGE_MIN) / (GAUGE_MAX - GAUGE_MIN)) * (x1 - x0);
}

export class Hud {
  private score: Box = { x: 0, y: 0, w: 0, h: 0 };
  private lives: Box = { x: 0, y: 0, w: 0, h: 0 };
  private gauge: Box = { x: 0, y: 0, w: 0, h: 0 };
  private scoreValue = -1;
  private scoreText = '0';
  private glucoseValue = -1;
  private glucoseText = '';
  private glucoseWidth = 0;
  private tagKey = -1;
  private tagText = '';
  private rangeLowText = '';
  private rangeHighText = '';

  constructor(
    private readonly rules: RacingRules,
    private readonly reducedMotion: boolean,
  ) {
    this.rangeLowText = String(rules.target_low_mg_dl);
    this.rangeHighText = String(rules.target_high_mg_dl);
  }

  /** Lays the panels out for a view `width` road units wide. Returns the height the HUD covers. */
  layout(width: number): number {
    const m = 10;
    if (width >= 640) {
      const side = 150;
      this.score = { x: 14, y: 12, w: side, h: 60 };
      this.lives = { x: width - 14 - side, y: 12, w: side, h: 60 };
      const gw = Math.min(360, width - 2 * (side + 28));
      this.gauge = { x: (width - gw) / 2, y: 12, w: gw, h: 60 };
      return 72;
    }
    const half = (width - 3 * m) / 2;
    this.score = { x: m, y: m, w: half, h: 46 };
    this.lives = { x: 2 * m + half, y: m, w: half, h: 46 };
    this.gauge = { x: m, y: 64, w: width - 2 * m, h: 56 };
    return 120;
  }

  draw(ctx: Ctx, race: Race, time: number): void {
    ctx.textBaseline = 'alphabetic';
    this.drawScore(ctx, race);
    this.drawLives(ctx, race);
    this.drawGauge(ctx, race, time);
  }

  private panel(ctx: Ctx, b: Box, border: string, width = 1): void {
    ctx.fillStyle = PANEL;
    roundRect(ctx, b.x, b.y, b.w, b.h, 12);
    ctx.fill();
    ctx.strokeStyle = border;
    ctx.lineWidth = width;
    ctx.stroke();
  }

  private pill(ctx: Ctx, x: number, y: number, w: number, h: number, bg: string, fg: string, text: string): void {
    ctx.fillStyle = bg;
    roundRect(ctx, x, y, w, h, h / 2);
    ctx.fill();
    ctx.fillStyle = fg;
    ctx.font = FONTS.pill;
    ctx.textAlign = 'center';
    ctx.fillText(text, x + w / 2, y + h / 2 + 4, w - 8);
  }

  private drawScore(ctx: Ctx, race: Race): void {
    const b = this.score;
    this.panel(ctx, b, 'rgba(255,255,255,0.16)');
    const value = Math.floor(race.score);
    if (value !== this.scoreValue) {
      this.scoreValue = value;
      this.scoreText = value.toLocaleString('en-US');
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = LABEL;
    ctx.font = FONTS.label;
    ctx.fillText('SCORE', b.x + 12, b.y + 16);
    ctx.fillStyle = '#ffffff';
    ctx.font = b.h > 50 ? FONTS.score : FONTS.scoreSmall;
    ctx.fillText(this.scoreText, b.x + 12, b.y + b.h - 10, b.w - 24);
    const inRange = race.inRange;
    const pw = inRange ? 84 : 30;
    this.pill(ctx, b.x + b.w - pw - 8, b.y + 7, pw, 18, inRange ? '#4ade80' : '#475569', inRange ? '#052e16' : '#e2e8f0', inRange ? '×2 in range' : '×1');
  }

  private drawLives(ctx: Ctx, race: Race): void {
    const b = this.lives;
    this.panel(ctx, b, 'rgba(255,255,255,0.16)');
    ctx.textAlign = 'left';
    ctx.fillStyle = LABEL;
    ctx.font = FONTS.label;
    ctx.fillText('LIVES', b.x + 12, b.y + 16);
    const size = b.h > 50 ? 24 : 19;
    const gap = size + 8;
    const startX = b.x + 12 + size / 2;
    const y = b.y + b.h - 4 - size / 2;
    for (let i = 0; i < MAX_LIVES; i += 1) {
      heart(ctx, startX + i * gap, y, size);
      if (i < race.lives) {
        ctx.fillStyle = '#f43f5e';
        ctx.fill();
        ctx.strokeStyle = '#fecdd3';
        ctx.lineWidth = 1.2;
        ctx.stroke();
      } else {
        ctx.strokeStyle = 'rgba(203,213,225,0.55)';
        ctx.lineWidth = 1.6;
        ctx.stroke();
      }
    }
    ctx.fillStyle = '#ffffff';
    ctx.font = FONTS.lives;
    ctx.textAlign = 'right';
    ctx.fillText(LIVES_TEXT[race.lives] ?? '', b.x + b.w - 12, b.y + 16);
  }

  private drawGauge(ctx: Ctx, race: Race, time: number): void {
    const b = this.gauge;
    const zone = race.zone;
    const warn = zone !== 'in-range';
    const pulse = warn && !this.reducedMotion ? 0.55 + 0.45 * Math.abs(Math.sin(time * 5)) : 1;
    const warnColour = zone === 'high' ? '#f59e0b' : '#ef4444';
    ctx.globalAlpha = 1;
    this.panel(ctx, b, warn ? warnColour : 'rgba(255,255,255,0.16)', warn ? 2.5 * pulse + 0.5 : 1);

    const g = Math.round(race.glucose);
    ctx.font = FONTS.value;
    if (g !== this.glucoseValue) {
      this.glucoseValue = g;
      this.glucoseText = String(g);
      this.glucoseWidth = ctx.measureText(this.glucoseText).width;
    }
    const left = Math.ceil(OUT_OF_RANGE_GRACE - race.outOfRange);
    const key = (zone === 'in-range' ? 0 : zone === 'high' ? 100 : 200) + Math.max(0, left);
    if (key !== this.tagKey) {
      this.tagKey = key;
      this.tagText = zone === 'in-range' ? 'IN RANGE' : `${zone === 'high' ? 'HIGH' : 'LOW'} · ${Math.max(0, left)}s`;
    }

    ctx.textAlign = 'left';
    ctx.fillStyle = LABEL;
    ctx.font = FONTS.label;
    ctx.fillText('GLUCOSE', b.x + 12, b.y + 15);
    ctx.fillStyle = '#ffffff';
    ctx.font = FONTS.value;
    ctx.fillText(this.glucoseText, b.x + 66, b.y + 18);
    ctx.fillStyle = LABEL;
    ctx.font = FONTS.unit;
    ctx.fillText('mg/dL', b.x + 66 + this.glucoseWidth + 4, b.y + 18);

    const tagW = 78;
    const bg = zone === 'in-range' ? '#4ade80' : warnColour;
    const fg = zone === 'in-range' ? '#052e16' : zone === 'high' ? '#1c1917' : '#ffffff';
    ctx.globalAlpha = warn ? pulse : 1;
    this.pill(ctx, b.x + b.w - tagW - 10, b.y + 5, tagW, 18, bg, fg, this.tagText);
    ctx.globalAlpha = 1;

    // The bar: low (red), in range (green), high (amber), with the needle at the reading.
    const x0 = b.x + 14;
    const x1 = b.x + b.w - 14;
    const y = b.y + b.h - 22;
    const h = 8;
    const lo = gaugeX(this.rules.target_low_mg_dl, x0, x1);
    const hi = gaugeX(this.rules.target_high_mg_dl, x0, x1);
    ctx.fillStyle = '#ef4444';
    roundRect(ctx, x0, y, lo - x0 + 4, h, 4);
    ctx.fill();
    ctx.fillStyle = '#f59e0b';
    roundRect(ctx, hi - 4, y, x1 - hi + 4, h, 4);
    ctx.fill();
    ctx.fillStyle = '#22c55e';
    ctx.fillRect(lo, y, hi - lo, h);
    ctx.fillStyle = LABEL;
    ctx.font = FONTS.tick;
    ctx.textAlign = 'center';
    ctx.fillText(this.rangeLowText, lo, y + h + 11);
    ctx.fillText(this.rangeHighText, hi, y + h + 11);

    const nx = gaugeX(race.glucose, x0, x1);
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = '#0f172a';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(nx - 6, y - 6);
    ctx.lineTo(nx + 6, y - 6);
    ctx.lineTo(nx, y + 3);
    ctx.closePath();
    ctx.stroke();
    ctx.fill();
    ctx.fillRect(nx - 1.5, y, 3, h + 3);
  }
}
