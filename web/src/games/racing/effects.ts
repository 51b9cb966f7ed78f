/**
 * Particles and floating labels ("+25", "Spike!") in road units, from fixed pools: nothing is allocated while
 * the race runs. With reduced motion, bursts are a few slow dots.
 */

interface Particle {
  active: boolean;
  x: number;
  y: number;
  vx: number;
  vy: number;
  life: number;
  max: number;
  size: number;
  colour: string;
}

interface Label {
  active: boolean;
  x: number;
  y: number;
  life: number;
  text: string;
  colour: string;
}

const HEALTHY_COLOURS = ['#4ade80', '#bbf7d0', '#fde047', '#ffffff'];
const SUGARY_COLOURS = ['#f472b6', '#fb7185', '#fde047', '#f9a8d4'];
const LABEL_LIFE = 0.9;

export class Effects {
  private readonly particles: Particle[] = [];
  private readonly labels: Label[] = [];
  private seed = 12345;

  constructor(private readonly reducedMotion: boolean) {
    for (let i = 0; i < 96; i += 1) {
      this.particles.push({ active: false, x: 0, y: 0, vx: 0, vy: 0, life: 0, max: 1, size: 2, colour: '#fff' });
    }
    for (let i = 0; i < 8; i += 1) this.labels.push({ active: false, x: 0, y: 0, life: 0, text: '', colour: '#fff' });
  }

  /** A cheap deterministic jitter (no Math.random: the effects do not need it). */
  private rand(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed / 0x7fffffff;
  }

  burst(x: number, y: number, healthy: boolean): void {
    const count = this.reducedMotion ? 4 : 18;
    const colours = healthy ? HEALTHY_COLOURS : SUGARY_COLOURS;
    let made = 0;
    for (const p of this.particles) {
      if (made >= count) break;
      if (p.active) continue;
      const angle = this.rand() * Math.PI * 2;
      const speed = (this.reducedMotion ? 30 : 90) + this.rand() * (this.reducedMotion ? 30 : 160);
      p.active = true;
      p.x = x;
      p.y = y;
      p.vx = Math.cos(angle) * speed;
      p.vy = Math.sin(angle) * speed - 40;
      p.max = 0.45 + this.rand() * 0.35;
      p.life = p.max;
      p.size = 2 + this.rand() * 3;
      p.colour = colours[made % colours.length] as string;
      made += 1;
    }
  }

  label(x: number, y: number, text: string, colour: string): void {
    let slot = this.labels[0] as Label;
    for (const l of this.labels) {
      if (!l.active) {
        slot = l;
        break;
      }
      if (l.life < slot.life) slot = l;
    }
    slot.active = true;
    slot.x = x;
    slot.y = y;
    slot.life = LABEL_LIFE;
    slot.text = text;
    slot.colour = colour;
  }

  clear(): void {
    for (const p of this.particles) p.active = false;
    for (const l of this.labels) l.active = false;
  }

  update(dt: number, scroll: number): void {
    for (const p of this.particles) {
      if (!p.active) continue;
      p.life -= dt;
      if (p.life <= 0) {
        p.active = false;
        continue;
      }
      p.x += p.vx * dt;
      p.y += (p.vy + scroll * 0.5) * dt;
      p.vx *= 0.96;
      p.vy *= 0.96;
    }
    for (const l of this.labels) {
      if (!l.active) continue;
      l.life -= dt;
      if (l.life <= 0) l.active = false;
      else l.y -= (this.reducedMotion ? 20 : 55) * dt;
    }
  }

  /** Draws in the current transform (road units). */
  draw(ctx: CanvasRenderingContext2D): void {
    for (const p of this.particles) {
      if (!p.active) continue;
      ctx.globalAlpha = Math.max(0, p.life / p.max);
      ctx.fillStyle = p.colour;
      ctx.fillRect(p.x - p.size / 2, p.y - p.size / 2, p.size, p.size);
    }
    ctx.globalAlpha = 1;
    ctx.font = '900 20px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    for (const l of this.labels) {
      if (!l.active) continue;
      ctx.globalAlpha = Math.min(1, l.life / (LABEL_LIFE * 0.5));
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(15,23,42,0.85)';
      ctx.strokeText(l.text, l.x, l.y);
      ctx.fillStyle = l.colour;
      ctx.fillText(l.text, l.x, l.y);
    }
    ctx.globalAlpha = 1;
  }
}
