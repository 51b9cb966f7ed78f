import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer } from './support';

const NAV_LABELS = ['Home', 'Grand Prix', 'Perfect Plate', 'Food Log', 'Pin the Dexcom', 'Trends', 'Leaderboards', 'Sign in'];

describe('home page against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('shows the navigation and a healthy API status', async () => {
    if (!server || !context) throw new Error('setup failed');
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    const response = await page.goto(`${server.webUrl}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toContain('GlucoPlay');

    const nav = page.locator('nav[aria-label="Main"]');
    const links = nav.locator('a');
    await expect(links.count()).resolves.toBe(8);
    expect((await links.allTextContents()).map((t) => t.trim())).toEqual(NAV_LABELS);
    await expect(nav.locator('a[aria-current="page"]').textContent()).resolves.toBe('Home');

    const status = page.locator('#api-status[data-state="ok"]');
    try {
      await status.waitFor({ state: 'attached', timeout: 10_000 });
    } catch (err) {
      const text = await page.locator('#api-status').textContent().catch(() => null);
      const state = await page.locator('#api-status').getAttribute('data-state').catch(() => null);
      throw new Error(
        `#api-status never reached data-state="ok" (state ${state}, text ${JSON.stringify(text)}); ` +
          `page errors: ${JSON.stringify(errors)}\nserver output:\n${server.output()}`,
        { cause: err },
      );
    }
    await expect(status.textContent()).resolves.toMatch(/^Server: ok \((sqlite|postgres), v?\d+\.\d+\.\d+.*\)$/);

    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'home-1440');
    await page.setViewportSize({ width: 375, height: 812 });
    await screenshot(page, 'home-375');

    expect(errors).toEqual([]);
    await page.close();
  });
});
