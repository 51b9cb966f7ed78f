/**
 * End-to-end helpers: start the real `glucoplay serve` on free ports with a fresh data directory, and launch
 * Debian's chromium through playwright-core.
 *
 * Environment:
 *   GLUCOPLAY_BIN       server binary (default ../build/test/server/glucoplay, relative to web/)
 *   CHROMIUM_PATH       browser binary (default /usr/bin/chromium)
 *   E2E_SCREENSHOT_DIR  when set, screenshot() writes PNGs there
 *   E2E_SERVER_LOG      when set to 1, the server's output is echoed to this process's stderr
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The web/ directory. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The built UI that the server's web listener serves. */
export const WEB_DIST = join(WEB_DIR, 'dist');

export const DEFAULT_SERVER_BIN = '../build/test/server/glucoplay';
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const STARTUP_TIMEOUT_MS = 20_000;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

const API_LINE = /API listening on (https?:\/\/[^\s/]+:(\d+))/;
const WEB_LINE = /Web UI listening on (https?:\/\/[^\s/]+:(\d+))/;

/** The server binary: GLUCOPLAY_BIN, or the test build next to web/. */
export function serverBinary(): string {
  const fromEnv = process.env['GLUCOPLAY_BIN'];
  const bin = fromEnv && fromEnv.trim() !== '' ? fromEnv : DEFAULT_SERVER_BIN;
  return isAbsolute(bin) ? bin : resolve(WEB_DIR, bin);
}

export function chromiumPath(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : DEFAULT_CHROMIUM;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:41235 */
  readonly webUrl: string;
  readonly apiPort: number;
  readonly webPort: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Everything the server has printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, wait for the exit (SIGKILL after `graceMs`), remove the data directory. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServerOptions {
  /** Extra arguments after the defaults (e.g. ['--log-level', 'debug'] to override). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts `glucoplay serve --port 0 --web-port 0` and resolves once the server has logged both
 * "API listening on http://HOST:PORT" and "Web UI listening on http://HOST:PORT".
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const bin = serverBinary();
  if (!existsSync(bin)) {
    throw new Error(
      `glucoplay server binary not found at ${bin}. Build it first (the test build), or point GLUCOPLAY_BIN at it.`,
    );
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`The web UI is not built: ${join(WEB_DIST, 'index.html')} is missing. Run \`npm run build\` in web/.`);
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'glucoplay-e2e-'));
  const args = [
    'serve',
    '--port', '0',
    '--web-port', '0',
    '--bind', '127.0.0.1',
    '--data-dir', dataDir,
    '--web-root', WEB_DIST,
    '--log-level', 'info',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(bin, args, {
    cwd: dataDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const lines: string[] = [];
  const echo = process.env['E2E_SERVER_LOG'] === '1';
  let apiUrl: string | undefined;
  let webUrl: string | undefined;
  let onProgress: (() => void) | undefined;

  // Read stdout and stderr line by line for as long as the server runs (a full pipe would block it).
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', (line) => {
      lines.push(line);
      if (echo) process.stderr.write(`[glucoplay] ${line}\n`);
      apiUrl ??= API_LINE.exec(line)?.[1];
      webUrl ??= WEB_LINE.exec(line)?.[1];
      onProgress?.();
    });
  }
  const output = (): string => lines.join('\n');

  // 'close' (not 'exit') so that the output read above is complete when the exit is reported.
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolveExit) => {
    child.once('close', (code, signal) => {
      exited = { code, signal };
      onProgress?.();
      resolveExit();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
    onProgress?.();
  });

  const terminate = async (graceMs: number): Promise<void> => {
    if (exited === undefined && !spawnError) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((res) => {
        timer = setTimeout(() => {
          if (exited === undefined) child.kill('SIGKILL');
          res();
        }, graceMs);
      });
      await Promise.race([exitPromise, grace]);
      clearTimeout(timer);
      await exitPromise;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => (stopping ??= terminate(graceMs));

  const timeoutMs = options.timeoutMs ?? STARTUP_TIMEOUT_MS;
  try {
    await new Promise<void>((resolveReady, rejectReady) => {
      const timer = setTimeout(() => {
        finish(new Error(`glucoplay did not log both listening lines within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        onProgress = undefined;
        if (err) rejectReady(err);
        else resolveReady();
      };
      onProgress = (): void => {
        if (spawnError) finish(new Error(`could not start ${bin}: ${spawnError.message}`));
        else if (apiUrl !== undefined && webUrl !== undefined) finish();
        else if (exited !== undefined)
          finish(new Error(`glucoplay exited early (code ${exited.code}, signal ${exited.signal}).`));
      };
      onProgress();
    });
  } catch (err) {
    await stop(2_000);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `${message}\n  command: ${bin} ${args.join(' ')}\n  waiting for "API listening on http://…:PORT" ` +
        `(${apiUrl ? 'seen' : 'not seen'}) and "Web UI listening on http://…:PORT" (${webUrl ? 'seen' : 'not seen'})` +
        `\n  server output:\n${indent(output() || '(nothing)')}`,
    );
  }

  const api = apiUrl as string;
  const web = webUrl as string;
  return {
    apiUrl: api,
    webUrl: web,
    apiPort: Number(new URL(api).port),
    webPort: Number(new URL(web).port),
    dataDir,
    process: child,
    output,
    stop,
  };
}

/** Launches the system chromium headless with the project's flags. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`chromium not found at ${executablePath}. Install Debian's chromium or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  });
}

/** Collects uncaught page errors and console errors, to assert that a page ran cleanly. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  return errors;
}

/** Saves a full-page PNG to $E2E_SCREENSHOT_DIR/<name>.png when that variable is set; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  const dir = process.env['E2E_SCREENSHOT_DIR'];
  if (!dir) return undefined;
  await mkdir(dir, { recursive: true });
  const path = join(resolve(dir), `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(-60)
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * Runs one step of a browser test. A failure names the step and carries what the page said (alerts and status
 * messages), the page's console errors and the tail of the server's output.
 */
export async function runStep<T>(
  server: RunningServer | undefined,
  page: Page,
  errors: readonly string[],
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const messages = await page
      .locator('[role="status"], [role="alert"]')
      .allTextContents()
      .catch(() => [] as string[]);
    throw new Error(
      `step "${name}" failed at ${page.url()}: ${err instanceof Error ? err.message : String(err)}\n` +
        `  messages on the page: ${JSON.stringify(messages.filter((t) => t.trim() !== ''))}\n` +
        `  page errors: ${JSON.stringify(errors)}\n  server output (tail):\n${server?.output().split('\n').slice(-40).join('\n')}`,
      { cause: err },
    );
  }
}

/**
 * Posts a racing score for a game session through the API. The server allows at most 150 points per
 * second of session time, so a session younger than that answers 422: retried (every 100 ms) until
 * the deadline rather than waiting a fixed time.
 */
export async function postRacingScore(
  apiUrl: string,
  token: string,
  sessionId: number,
  value: number,
  deadlineMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const r = await fetch(`${apiUrl}/api/scores`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ game: 'racing', session_id: sessionId, score: value }),
    });
    if (r.status === 201) return;
    const text = await r.text();
    if (r.status !== 422 || Date.now() > deadline) throw new Error(`score ${value}: HTTP ${r.status} ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
