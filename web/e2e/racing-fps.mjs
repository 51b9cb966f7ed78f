#!/usr/bin/env node
/**
 * Measures Glucose Grand Prix's frame rate in headless Chromium (not part of `npm test` / `npm run e2e`).
 *
 *   cd web && npm run build
 *   GLUCOPLAY_BIN=../build/dev/server/glucoplay node e2e/racing-fps.mjs [seconds] [WIDTHxHEIGHT ...]
 *
 * Starts `glucoplay serve` on free ports with a throw-away data directory, opens racing.html?test=1 as a guest,
 * starts a race, steers left and right every 0.6 s, and records requestAnimationFrame timestamps for `seconds`
 * (default 10). Prints the frame-time percentiles per viewport; exits 1 when p95 is over 20 ms.
 *
 * Environment: GLUCOPLAY_BIN (default ../build/dev/server/glucoplay), CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binArg = process.env.GLUCOPLAY_BIN || '../build/dev/server/glucoplay';
const BIN = isAbsolute(binArg) ? binArg : resolve(WEB_DIR, binArg);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SECONDS = Number(process.argv[2] ?? 10) || 10;
/** "1280x800", or "375x812@2" for a device pixel ratio of 2. */
const VIEWPORTS = (process.argv.slice(3).length ? process.argv.slice(3) : ['1280x800', '375x812@2']).map((v) => {
  const [size, dpr] = v.split('@');
  const [width, height] = size.split('x').map(Number);
  return { width, height, dpr: Number(dpr ?? 1) || 1 };
});
const TARGET_P95_MS = 20;

async function startServer() {
  const dataDir = await mkdtemp(join(tmpdir(), 'glucoplay-fps-'));
  const child = spawn(
    BIN,
    ['serve', '--port', '0', '--web-port', '0', '--bind', '127.0.0.1', '--data-dir', dataDir, '--web-root', join(WEB_DIR, 'dist'), '--log-level', 'info'],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const web = await new Promise((resolveWeb, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 20 s')), 20_000);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        const match = /Web UI listening on (http:\/\/\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolveWeb(match[1]);
        }
      });
    }
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  return {
    web,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(browser, web, viewport) {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: viewport.dpr });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${web}/racing.html?test=1`, { waitUntil: 'load' });
  await page.locator('.race-start').click();
  await page.waitForFunction(() => window.__glucoplayRacing?.state().phase === 'running', undefined, { timeout: 15_000 });

  // Record frame timestamps in the page while the keyboard steers from outside.
  await page.evaluate(() => {
    const stamps = [];
    window.__fps = stamps;
    window.__longTasks = 0;
    // Main-thread tasks over 50 ms (a frame's work that would show as a stutter).
    new PerformanceObserver((list) => {
      window.__longTasks += list.getEntries().length;
    }).observe({ type: 'longtask' });
    const tick = (t) => {
      stamps.push(t);
      if (!window.__fpsStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const until = Date.now() + SECONDS * 1000;
  let left = true;
  while (Date.now() < until) {
    const key = left ? 'ArrowLeft' : 'ArrowRight';
    await page.keyboard.down(key);
    await page.waitForTimeout(600);
    await page.keyboard.up(key);
    left = !left;
  }
  const { stamps, longTasks } = await page.evaluate(() => {
    window.__fpsStop = true;
    return { stamps: window.__fps, longTasks: window.__longTasks };
  });
  const state = await page.evaluate(() => window.__glucoplayRacing.state());
  await context.close();

  const deltas = [];
  for (let i = 1; i < stamps.length; i += 1) deltas.push(stamps[i] - stamps[i - 1]);
  const sorted = [...deltas].sort((a, b) => a - b);
  const span = (stamps[stamps.length - 1] - stamps[0]) / 1000;
  return {
    viewport: `${viewport.width}x${viewport.height}@${viewport.dpr}x`,
    longTasks,
    frames: stamps.length,
    fps: Math.round((deltas.length / span) * 10) / 10,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    over20ms: deltas.filter((d) => d > 20).length,
    phase: state.phase,
    raceTime: state.time,
    errors,
  };
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
let failed = false;
try {
  for (const viewport of VIEWPORTS) {
    const r = await measure(browser, server.web, viewport);
    const fmt = (n) => `${n.toFixed(1)} ms`;
    console.log(
      `${r.viewport}: ${r.frames} frames in ${SECONDS} s (${r.fps} fps); frame time p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, ` +
        `p99 ${fmt(r.p99)}, max ${fmt(r.max)}; ${r.over20ms} frames over 20 ms, ${r.longTasks} long tasks; race ${r.phase} at ${r.raceTime} s` +
        (r.errors.length ? `; page errors: ${JSON.stringify(r.errors)}` : ''),
    );
    if (r.p95 > TARGET_P95_MS || r.errors.length) failed = true;
  }
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
