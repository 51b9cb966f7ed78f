/**
 * The player's car, seen from above: a small open-wheel racer in GlucoPlay orange with white stripes, wings,
 * a glass cockpit and the driver's helmet. Drawn once per scale into an offscreen canvas ({@link carSprite}).
 */
export const CAR_ART_W = 58;
export const CAR_ART_H = 102;
/** Extra room around the car for its shadow. */
const PAD = 10;

type Ctx = CanvasRenderingContext2D;

function roundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

function wheel(ctx: Ctx, x: number, y: number, w: number, h: number): void {
  const g = ctx.createLinearGradient(x, 0, x + w, 0);
  g.addColorStop(0, '#0b0f19');
  g.addColorStop(0.5, '#374151');
  g.addColorStop(1, '#0b0f19');
  ctx.fillStyle = g;
  roundRect(ctx, x, y, w, h, 3.5);
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.12)';
  ctx.lineWidth = 1;
  for (let i = 1; i < 5; i += 1) {
    ctx.beginPath();
    ctx.moveTo(x + 1.5, y + (h * i) / 5);
    ctx.lineTo(x + w - 1.5, y + (h * i) / 5);
    ctx.stroke();
  }
}

/** Draws the car centred on (0, 0), nose up, in road units. */
export function drawCar(ctx: Ctx, body = '#f97316', dark = '#9a3412'): void {
  // Shadow.
  ctx.save();
  ctx.fillStyle = 'rgba(0,0,0,0.35)';
  ctx.beginPath();
  ctx.ellipse(4, 6, 30, 52, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();

  // Wheels (under the body).
  wheel(ctx, -29, -36, 11, 21);
  wheel(ctx, 18, -36, 11, 21);
  wheel(ctx, -30, 17, 13, 25);
  wheel(ctx, 17, 17, 13, 25);

  // Axles.
  ctx.strokeStyle = '#1f2937';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(-19, -26);
  ctx.lineTo(19, -26);
  ctx.moveTo(-18, 29);
  ctx.lineTo(18, 29);
  ctx.stroke();

  // Body: a long nose widening into the side pods.
  const g = ctx.createLinearGradient(-22, 0, 22, 0);
  g.addColorStop(0, dark);
  g.addColorStop(0.3, body);
  g.addColorStop(0.55, '#fdba74');
  g.addColorStop(0.75, body);
  g.addColorStop(1, dark);
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.moveTo(0, -50);
  ctx.bezierCurveTo(6, -50, 8, -40, 8, -30);
  ctx.lineTo(9, -14);
  ctx.bezierCurveTo(20, -12, 21, -6, 21, 4);
  ctx.lineTo(20, 30);
  ctx.bezierCurveTo(19, 40, 12, 44, 0, 44);
  ctx.bezierCurveTo(-12, 44, -19, 40, -20, 30);
  ctx.lineTo(-21, 4);
  ctx.bezierCurveTo(-21, -6, -20, -12, -9, -14);
  ctx.lineTo(-8, -30);
  ctx.bezierCurveTo(-8, -40, -6, -50, 0, -50);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = '#7c2d12';
  ctx.lineWidth = 1.3;
  ctx.stroke();

  // Racing stripes.
  ctx.save();
  ctx.clip();
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(-5, -52, 3, 100);
  ctx.fillRect(2, -52, 3, 100);
  ctx.restore();

  // Front wing.
  ctx.fillStyle = '#1e293b';
  roundRect(ctx, -25, -52, 50, 7, 3);
  ctx.fill();
  ctx.fillStyle = '#14b8a6';
  roundRect(ctx, -27, -54, 6, 11, 2);
  ctx.fill();
  roundRect(ctx, 21, -54, 6, 11, 2);
  ctx.fill();

  // Rear wing.
  ctx.fillStyle = '#1e293b';
  roundRect(ctx, -27, 40, 54, 9, 3);
  ctx.fill();
  ctx.fillStyle = '#14b8a6';
  ctx.fillRect(-22, 42, 44, 2.5);

  // Cockpit and helmet.
  const glass = ctx.createLinearGradient(0, -14, 0, 12);
  glass.addColorStop(0, '#0f172a');
  glass.addColorStop(1, '#334155');
  ctx.fillStyle = glass;
  ctx.beginPath();
  ctx.ellipse(0, -1, 9, 15, 0, 0, Math.PI * 2);
  ctx.fill();
  const helmet = ctx.createRadialGradient(-2, 0, 1, 0, 2, 8);
  helmet.addColorStop(0, '#fef08a');
  helmet.addColorStop(1, '#eab308');
  ctx.fillStyle = helmet;
  ctx.beginPath();
  ctx.arc(0, 2, 6.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#0f172a';
  ctx.beginPath();
  ctx.ellipse(0, -1.5, 5, 2.2, 0, Math.PI, 0);
  ctx.fill();
  ctx.fillStyle = 'rgba(255,255,255,0.45)';
  ctx.beginPath();
  ctx.ellipse(-3.5, -9, 2, 4, -0.3, 0, Math.PI * 2);
  ctx.fill();

  // Engine cover with the GlucoPlay drop.
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(0, 26, 6.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#0f766e';
  ctx.beginPath();
  ctx.moveTo(0, 21.5);
  ctx.bezierCurveTo(2, 24, 3.6, 26, 3.6, 27.6);
  ctx.arc(0, 27.6, 3.6, 0, Math.PI);
  ctx.bezierCurveTo(-3.6, 26, -2, 24, 0, 21.5);
  ctx.fill();

  // Exhaust.
  ctx.fillStyle = '#64748b';
  roundRect(ctx, -3, 44, 6, 5, 2);
  ctx.fill();
}

/** An offscreen canvas with the car at `scale` device pixels per road unit; returns it with its size in road units. */
export function carSprite(scale: number): { canvas: HTMLCanvasElement; w: number; h: number } {
  const w = CAR_ART_W + PAD * 2;
  const h = CAR_ART_H + PAD * 2;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(w * scale);
  canvas.height = Math.ceil(h * scale);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.scale(canvas.width / w, canvas.height / h);
    ctx.translate(w / 2, h / 2);
    drawCar(ctx);
  }
  return { canvas, w, h };
}
