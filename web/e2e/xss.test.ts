/**
 * Stored display names with markup are shown as text. Two players whose display names are script and
 * image-handler payloads post scores; the public leaderboard and each player's own profile show the names
 * verbatim, no element is created from them, and `window.__xss` stays undefined.
 *
 * The payload `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">` is 62 characters and a
 * display name is 1-40 (API.md), so its two halves are two players' names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, runStep, screenshot, startServer, type RunningServer } from './support';

const PASSWORD = 'correct horse battery';
const run = Date.now().toString(36);
const PLAYERS = [
  { username: `xss_script_${run}`, display_name: '<script>window.__xss=1</script>' },
  { username: `xss_img_${run}`, display_name: '<img src=x onerror="window.__xss=2">' },
];

describe('markup in display names stays inert', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  const xss = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
  const injected = (page: Page) =>
    page.evaluate(() => document.querySelectorAll('img[src="x"], img[onerror], body script:not([src])').length);

  it('shows the names as text on the leaderboard and the profile', async () => {
    if (!server || !browser) throw new Error('setup failed');
    const { apiUrl, webUrl } = server;

    // Each player signs up in their own browser context (which keeps the HttpOnly session cookie) and scores.
    for (const player of PLAYERS) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const signup = await context.request.post(`${apiUrl}/api/auth/signup`, { data: { ...player, password: PASSWORD } });
      expect(signup.status()).toBe(201);
      expect(((await signup.json()) as { user: { display_name: string } }).user.display_name).toBe(player.display_name);
      const session = await context.request.post(`${apiUrl}/api/games/racing/sessions`, { data: {} });
      expect(session.status()).toBe(201);
      const { session_id } = (await session.json()) as { session_id: number };
      const score = await context.request.post(`${apiUrl}/api/scores`, { data: { game: 'racing', session_id, score: 0 } });
      expect(score.status()).toBe(201);
      await context.addInitScript(() => window.localStorage.setItem('glucoplay.signed-in', '1'));
    }

    const guest = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(guest);
    const board = await guest.newPage();
    board.setDefaultTimeout(10_000);
    const boardErrors = collectPageErrors(board);
    await step(board, boardErrors, 'the leaderboard shows both names as text', async () => {
      await board.goto(`${webUrl}/leaderboards.html`, { waitUntil: 'load' });
      for (const { display_name } of PLAYERS) {
        const name = board.locator('#lb-panel .lb-table .lb-name', { hasText: display_name });
        await name.waitFor();
        await expect(name.textContent()).resolves.toBe(display_name);
      }
      await expect(injected(board)).resolves.toBe(0);
      await expect(xss(board)).resolves.toBeUndefined();
      await screenshot(board, 'xss-leaderboard-1280');
    });
    expect(boardErrors).toEqual([]);

    for (const [i, player] of PLAYERS.entries()) {
      const page = await contexts[i]!.newPage();
      page.setDefaultTimeout(10_000);
      const errors = collectPageErrors(page);
      await step(page, errors, `${player.username}'s profile shows the name as text`, async () => {
        await page.goto(`${webUrl}/profile.html`, { waitUntil: 'load' });
        const title = page.locator('h1.profile-name');
        await title.waitFor();
        await expect(title.textContent()).resolves.toBe(player.display_name);
        await expect(page.locator('header .account-name').textContent()).resolves.toBe(player.display_name);
        await expect(page.locator('input[name="display_name"]').inputValue()).resolves.toBe(player.display_name);
        await expect(injected(page)).resolves.toBe(0);
        await expect(xss(page)).resolves.toBeUndefined();
      });
      expect(errors).toEqual([]);
      await page.close();
    }
    await board.close();
  });
});
