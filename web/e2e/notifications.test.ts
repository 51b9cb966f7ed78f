/**
 * Notifications against the real server (issue 7, points 5 and 6): player A has a page open; another player's
 * racing score, posted through the HTTP API, pushes A out of the all-time top 10. A's bell count goes up without a
 * reload, a toast says so, and the bell's list shows the message (as text) with a link that leads to the racing
 * leaderboard and marks it read.
 *
 * Set-up through the API: A and nine other players each score once (A lowest), so the top 10 is full; then B scores
 * above A. Racing plausibility allows 150 points per second since the session started, so every session starts
 * first and a score answered 422 ("too soon") is retried until a deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectPageErrors, launchBrowser, postRacingScore, runStep, startServer, type RunningServer } from './support';

const RUN = Date.now().toString(36);
const PASSWORD = 'correct horse battery';
const A = { username: `nt_a_${RUN}`, display_name: 'Avery A' };
/** Markup in B's name must reach A's page as text. */
const B = { username: `nt_b_${RUN}`, display_name: 'Bea <b>Fast</b>' };
const OTHERS = Array.from({ length: 9 }, (_, i) => ({ username: `nt_p${i}_${RUN}`, display_name: `Player ${i + 1}` }));
const A_SCORE = 10;
const B_SCORE = 120;

/**
 * Saves what the viewport shows to $E2E_SCREENSHOT_DIR/<name>.png when that variable is set. Unlike support's
 * full-page screenshot, the toast (position: fixed) appears where a person sees it: at the bottom of the screen.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['E2E_SCREENSHOT_DIR'];
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(resolve(dir), `${name}.png`), animations: 'disabled' });
}

interface Player {
  username: string;
  display_name: string;
  token: string;
  session_id: number;
}

describe('notifications against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // Eleven sign-ups from one address in a few seconds: lift the per-address sign-up limit for this server.
    server = await startServer({ extraArgs: ['--auth-rate-limit', 'off'] });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const api = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Response> => {
    if (!server) throw new Error('no server');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.token) headers['Authorization'] = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${server.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  };

  const signUpAndStart = async (who: { username: string; display_name: string }): Promise<Player> => {
    const signup = await api('/api/auth/signup', { method: 'POST', body: { ...who, password: PASSWORD } });
    expect(signup.status, await signup.clone().text()).toBe(201);
    const { token } = (await signup.json()) as { token: string };
    const session = await api('/api/games/racing/sessions', { method: 'POST', token, body: {} });
    expect(session.status).toBe(201);
    const { session_id } = (await session.json()) as { session_id: number };
    return { ...who, token, session_id };
  };

  /** Posts a racing score once the session is old enough for it (see postRacingScore). */
  const score = async (player: Player, value: number): Promise<void> => {
    if (!server) throw new Error('no server');
    await postRacingScore(server.apiUrl, player.token, player.session_id, value);
  };

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  it("another player's score raises A's bell count live, with a toast and a working link", async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const bell = page.locator('header button.notif-bell');
    const panel = page.locator('#notif-panel');
    const toast = page.locator('.toast-region .toast');

    // All sessions start now, so the scores below are soon plausible.
    const [a, b, ...others] = await Promise.all([A, B, ...OTHERS].map(signUpAndStart));
    if (!a || !b) throw new Error('sign-up failed');

    await step(page, errors, 'fill the racing top 10 with A last', async () => {
      await score(a, A_SCORE);
      for (const [i, p] of others.entries()) await score(p, 20 + 10 * i); // 20 .. 100
      const board = await (await api('/api/scores?game=racing&period=all&limit=10')).json();
      const entries = (board as { entries: Array<{ display_name: string }> }).entries;
      expect(entries).toHaveLength(10);
      expect(entries.at(-1)?.display_name).toBe(A.display_name);
    });

    await step(page, errors, 'A signs in and sees the bell with one unread (entering the top 10)', async () => {
      await page.goto(`${web}/signin.html`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(A.username);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web}/`);
      await bell.waitFor({ state: 'visible' });
      await page.waitForFunction(() => document.querySelector('header .notif-bell')?.getAttribute('aria-label') === 'Notifications, 1 unread');
      await expect(page.locator('.notif-badge').textContent()).resolves.toBe('1');
      await page.locator('.notif[data-live="live"]').waitFor();
      // A marker that a reload would wipe out.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    });

    await step(page, errors, 'B scores above A through the API', async () => {
      await score(b, B_SCORE);
    });

    await step(page, errors, "A's bell goes to 2 and a toast says why, without a reload", async () => {
      await page.waitForFunction(() => document.querySelector('header .notif-bell')?.getAttribute('aria-label') === 'Notifications, 2 unread');
      await expect(page.locator('.notif-badge').textContent()).resolves.toBe('2');
      await toast.first().waitFor({ state: 'visible' });
      const text = await toast.first().locator('.toast-message').textContent();
      expect(text).toContain(`${B.display_name} pushed you out of the Glucose Grand Prix all-time top 10`);
      await expect(toast.first().locator('b').count()).resolves.toBe(0);
      await expect(page.locator('.toast-region').getAttribute('role')).resolves.toBe('status');
      await expect(page.locator('.notif [role="status"]').textContent()).resolves.toBe('2 unread notifications.');
      await expect(page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).resolves.toBe(true);
      // Focus inside the toast holds its timer while we take the pictures.
      await toast.first().locator('a').focus();
      await screenshot(page, 'notifications-toast-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await screenshot(page, 'notifications-toast-375');
      // Escape dismisses it; focus goes to the bell rather than being lost.
      await page.keyboard.press('Escape');
      await expect(toast.count()).resolves.toBe(0);
      await expect(bell.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    });

    await step(page, errors, 'open the list from the keyboard; Escape closes it and returns focus', async () => {
      await page.keyboard.press('Enter');
      await panel.waitFor({ state: 'visible' });
      await expect(bell.getAttribute('aria-expanded')).resolves.toBe('true');
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('notif-title');
      const first = panel.locator('.notif-item').first();
      await first.locator('.notif-text', { hasText: 'pushed you out' }).waitFor();
      await expect(first.getAttribute('data-unread')).resolves.toBe('true');
      await expect(first.locator('.notif-text b').count()).resolves.toBe(0);
      await expect(first.locator('time').textContent()).resolves.toBe('just now');
      await expect(panel.locator('.notif-item').count()).resolves.toBe(2);
      await screenshot(page, 'notifications-dropdown-375');
      await page.setViewportSize({ width: 1440, height: 900 });
      await screenshot(page, 'notifications-dropdown-1440');
      await page.keyboard.press('Tab'); // into the panel: Mark all read
      await page.keyboard.press('Escape');
      await expect(panel.isVisible()).resolves.toBe(false);
      await expect(bell.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    });

    await step(page, errors, 'the link leads to the racing leaderboard and marks the notification read', async () => {
      await bell.click();
      const first = panel.locator('.notif-item').first();
      const link = first.locator('a.notif-link');
      await expect(link.textContent()).resolves.toBe('See the leaderboard');
      await expect(link.getAttribute('href')).resolves.toBe('/leaderboards.html?game=racing');
      await link.click();
      await page.waitForURL(`${web}/leaderboards.html?game=racing`);
      await page.locator('#lb-game-racing[aria-selected="true"]').waitFor();
      await page.locator('#lb-panel .lb-table .lb-name', { hasText: B.display_name }).waitFor();
      await page.waitForFunction(() => document.querySelector('header .notif-bell')?.getAttribute('aria-label') === 'Notifications, 1 unread');
      const list = (await (await api('/api/notifications', { token: a.token })).json()) as {
        items: Array<{ kind: string; read_at: string | null }>;
        unread: number;
      };
      expect(list.unread).toBe(1);
      expect(list.items.find((n) => n.kind === 'top10_lost')?.read_at).not.toBeNull();
    });

    await step(page, errors, 'mark all read empties the badge', async () => {
      await bell.click();
      await panel.locator('.notif-item').first().waitFor();
      await panel.getByRole('button', { name: 'Mark all read' }).click();
      await page.waitForFunction(() => document.querySelector('header .notif-bell')?.getAttribute('aria-label') === 'Notifications, none unread');
      await expect(page.locator('.notif-badge').isVisible()).resolves.toBe(false);
      await expect(panel.locator('.notif-item[data-unread="true"]').count()).resolves.toBe(0);
    });

    await step(page, errors, 'switch a kind off in the profile; it stays off after a reload', async () => {
      await page.goto(`${web}/profile.html`, { waitUntil: 'load' });
      const lost = page.getByRole('switch', { name: 'Pushed out of the top 10' });
      await lost.waitFor();
      await expect(lost.isChecked()).resolves.toBe(true);
      await lost.focus();
      await page.keyboard.press('Space');
      await page.locator('#prefs-status', { hasText: 'Saved: “Pushed out of the top 10” notifications off.' }).waitFor();
      await page.locator('#notifications-title').scrollIntoViewIfNeeded();
      await screenshot(page, 'notifications-prefs-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await page.locator('#notifications-title').scrollIntoViewIfNeeded();
      await screenshot(page, 'notifications-prefs-375');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.reload({ waitUntil: 'load' });
      await lost.waitFor();
      await expect(lost.isChecked()).resolves.toBe(false);
      const prefs = (await (await api('/api/notifications/preferences', { token: a.token })).json()) as Record<string, boolean>;
      expect(prefs['top10_lost']).toBe(false);
      expect(prefs['personal_best']).toBe(true);
    });

    expect(errors).toEqual([]);
    await page.close();
  });
});
