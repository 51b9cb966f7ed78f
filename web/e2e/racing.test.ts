/**
 * Glucose Grand Prix and the leaderboards against the real server: a fresh player races (keyboard only), ends the
 * run through the `?test=1` hook, sees the score saved with its rank, finds themself on the all-time board; and a
 * second browser with the leaderboard open sees another player's new score arrive live, without reloading.
 * Every page must run without console errors or CSP violations, and no name may become markup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, postRacingScore, screenshot, startServer, type RunningServer, runStep } from './support';

const RUN = Date.now().toString(36);
const PASSWORD = 'correct horse battery';
const DRIVER = { username: `gp_${RUN}`, display_name: `Racer ${RUN}` };
/** The second player's name is markup: it must arrive live as text. */
const RIVAL = { username: `rival_${RUN}`, display_name: '<img src=x onerror=alert(1)>' };

interface RaceState {
  phase: string;
  score: number;
  lives: number;
  carX: number;
  time: number;
  sessionId: number | null;
}

describe('Glucose Grand Prix and leaderboards against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let driver: BrowserContext | undefined;
  let watcher: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    driver = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watcher = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await driver?.close().catch(() => undefined);
    await watcher?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  const state = (page: Page): Promise<RaceState> =>
    page.evaluate(() => {
      const hook = (window as unknown as { __glucoplayRacing?: { state(): RaceState } }).__glucoplayRacing;
      if (!hook) throw new Error('no test hook');
      return hook.state();
    });

  it('races, saves the score with its rank, and shows the player on the all-time board', async () => {
    if (!server || !driver) throw new Error('setup failed');
    const { apiUrl, webUrl } = server;

    // Sign up through the API: the context keeps the HttpOnly cookie, which the pages then send to the API.
    const signup = await driver.request.post(`${apiUrl}/api/auth/signup`, { data: { ...DRIVER, password: PASSWORD } });
    expect(signup.status()).toBe(201);
    // The hint that makes pages ask who is signed in (what a sign-in through the form leaves behind).
    await driver.addInitScript(() => window.localStorage.setItem('glucoplay.signed-in', '1'));

    const page = await driver.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    await step(page, errors, 'open the game with the test hook', async () => {
      await page.goto(`${webUrl}/racing.html?test=1`, { waitUntil: 'load' });
      await page.locator('header .account-name', { hasText: DRIVER.display_name }).waitFor();
      await page.locator('canvas.race-canvas[aria-label]').waitFor();
      await expect(state(page)).resolves.toMatchObject({ phase: 'idle' });
    });

    await step(page, errors, 'start from the keyboard', async () => {
      await page.locator('.race-start').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.classList.contains('race-stage'));
      await page.waitForFunction(
        () => (window as unknown as { __glucoplayRacing: { state(): { phase: string } } }).__glucoplayRacing.state().phase === 'running',
        undefined,
        { timeout: 15_000 },
      );
      const s = await state(page);
      expect(typeof s.sessionId).toBe('number');
      await expect(page.locator('#race-live').textContent()).resolves.toMatch(/Score \d+, 3 lives, glucose \d+ mg\/dL/);
    });

    await step(page, errors, 'steer with the arrow keys', async () => {
      const start = (await state(page)).carX;
      await page.keyboard.down('ArrowLeft');
      await page.waitForTimeout(700);
      await page.keyboard.up('ArrowLeft');
      const left = (await state(page)).carX;
      expect(left).toBeLessThan(start);
      await page.keyboard.down('ArrowRight');
      await page.waitForTimeout(1200);
      await page.keyboard.up('ArrowRight');
      const right = (await state(page)).carX;
      expect(right).toBeGreaterThan(left);
      await page.waitForTimeout(1200);
      await screenshot(page, 'racing-play-1280');
      const s = await state(page);
      expect(s.time).toBeGreaterThan(2.5);
      expect(s.score).toBeGreaterThan(0);
    });

    await step(page, errors, 'pause with P and resume with Escape', async () => {
      await page.keyboard.press('p');
      const pause = page.locator('.race-overlay--pause');
      await pause.waitFor({ state: 'visible' });
      await expect(state(page)).resolves.toMatchObject({ phase: 'paused' });
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Resume');
      await screenshot(page, 'racing-paused-1280');
      await page.keyboard.press('Escape');
      await pause.waitFor({ state: 'hidden' });
      await expect(state(page)).resolves.toMatchObject({ phase: 'running' });
    });

    let finalScore = 0;
    await step(page, errors, 'end the run and see the score and rank', async () => {
      await page.waitForTimeout(500);
      await page.evaluate(() => (window as unknown as { __glucoplayRacing: { endRun(score?: number): void } }).__glucoplayRacing.endRun());
      const over = page.locator('section.race-over');
      await over.waitFor({ state: 'visible' });
      await expect(page.evaluate(() => document.activeElement?.classList.contains('race-over'))).resolves.toBe(true);
      finalScore = Number(((await over.locator('.race-over-number').textContent()) ?? '').replace(/,/g, ''));
      expect(finalScore).toBeGreaterThan(0);
      expect(finalScore).toBe((await state(page)).score);
      await expect(over.locator('.race-over-rank').textContent()).resolves.toBe('Saved! You are 1st on the all-time leaderboard.');
      await expect(over.locator('.race-badge').textContent()).resolves.toBe('New personal best!');
      const me = over.locator('.lb-table tr.is-me');
      await me.waitFor();
      await expect(me.locator('.lb-name').textContent()).resolves.toBe(DRIVER.display_name);
      await expect(me.locator('.lb-score').textContent()).resolves.toBe(finalScore.toLocaleString('en-US'));
      await screenshot(page, 'racing-over-1280');
    });

    await step(page, errors, 'find the player on the racing all-time board', async () => {
      await page.goto(`${webUrl}/leaderboards.html`, { waitUntil: 'load' });
      const me = page.locator('#lb-panel .lb-table tr.is-me');
      await me.waitFor();
      await expect(me.locator('.lb-name').textContent()).resolves.toBe(DRIVER.display_name);
      await expect(me.locator('.lb-rank').textContent()).resolves.toBe('1');
      await expect(page.locator('#lb-game-racing').getAttribute('aria-selected')).resolves.toBe('true');
      await expect(page.locator('#lb-period-all').getAttribute('aria-selected')).resolves.toBe('true');
      await page.locator('.lb-live[data-state="live"]').waitFor();
      await expect(page.locator('.lb-standing').textContent()).resolves.toContain('You are 1st of 1 player of all time');
      await screenshot(page, 'leaderboards-1280');
    });

    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a new score live in another browser, as text', async () => {
    if (!server || !watcher) throw new Error('setup failed');
    const { apiUrl, webUrl } = server;
    const page = await watcher.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    await step(page, errors, 'open the leaderboard as a guest and go live', async () => {
      await page.goto(`${webUrl}/leaderboards.html`, { waitUntil: 'load' });
      await page.locator('#lb-panel .lb-table .lb-name', { hasText: DRIVER.display_name }).waitFor();
      await page.locator('.lb-live[data-state="live"]').waitFor();
      // A marker that a reload would wipe out.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    });

    await step(page, errors, 'another player posts a score through the API', async () => {
      // A plain HTTP client with a bearer token, as a script or another device would.
      const signup = await fetch(`${apiUrl}/api/auth/signup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...RIVAL, password: PASSWORD }),
      });
      expect(signup.status).toBe(201);
      const { token } = (await signup.json()) as { token: string };
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const session = await fetch(`${apiUrl}/api/games/racing/sessions`, { method: 'POST', headers: auth, body: '{}' });
      expect(session.status).toBe(201);
      const { session_id } = (await session.json()) as { session_id: number };
      // Accepted once the session is a second old (150 points per second).
      await postRacingScore(apiUrl, token, session_id, 150);
    });

    await step(page, errors, 'see it arrive without reloading', async () => {
      const row = page.locator('#lb-panel .lb-table tr', { hasText: RIVAL.display_name });
      await row.waitFor({ timeout: 10_000 });
      await expect(row.locator('.lb-name').textContent()).resolves.toBe(RIVAL.display_name);
      await expect(row.locator('.lb-score').textContent()).resolves.toBe('150');
      await expect(page.locator('#lb-panel img').count()).resolves.toBe(0);
      await expect(page.locator('.lb-podium img').count()).resolves.toBe(0);
      await expect(page.locator('#lb-announcer').textContent()).resolves.toContain(`${RIVAL.display_name} is now`);
      // Still the same document: nothing reloaded.
      await expect(page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).resolves.toBe(true);
      await screenshot(page, 'leaderboards-live-1280');
    });

    expect(errors).toEqual([]);
    await page.close();
  });
});
