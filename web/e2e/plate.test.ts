/**
 * Perfect Plate against the real server: a new player signs up, plays a timed one-plate game (one food dragged
 * onto the plate, the others placed by click-then-click and by keyboard), serves it, and reads the server's score
 * with its feedback, the total and the rank; the public leaderboard then lists the player. The server refuses
 * plates built in under 5 s each, so the test waits that long on the real clock (a rule, not a flaky sleep).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer, runStep } from './support';

const USERNAME = `plate_${Date.now().toString(36)}`;
const PASSWORD = 'correct horse battery';
const DISPLAY_NAME = 'Plate Tester';
const MIN_SECONDS_PER_PLATE = 5;

interface PlateState {
  screen: string;
  sessionId: number | null;
  plates: Array<{ served: boolean; items: Array<{ name: string; grams: number; section: string }> }>;
  score: number | null;
  rank: number | null;
}

describe('Perfect Plate against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  const state = (page: Page): Promise<PlateState> => page.evaluate(() => window.__glucoplayPlate?.state() as unknown as PlateState);

  /** A tray card by the food's exact name. */
  const food = (page: Page, name: string): Locator =>
    page.locator('.food-card', { has: page.locator('.food-card-name', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }) }).first();
  const section = (page: Page, name: string): Locator => page.locator(`.plate-board--play .plate-section--${name}`);

  async function dragTo(page: Page, from: Locator, to: Locator): Promise<void> {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error('nothing to drag or nowhere to drop');
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    // Several moves, as a hand would: the first ones turn the press into a drag.
    await page.mouse.move(a.x + a.width / 2 - 20, a.y + a.height / 2, { steps: 4 });
    await page.mouse.move(b.x + b.width * 0.55, b.y + b.height * 0.5, { steps: 12 });
    await page.mouse.up();
  }

  it('plays a timed plate, shows the server’s feedback, total and rank, and reaches the leaderboard', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);

    await step(page, errors, 'sign up', async () => {
      await page.goto(`${web}/signup.html`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Display name').fill(DISPLAY_NAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${web}/`);
      // Let the home page finish its own requests before leaving it.
      await page.locator('header .account-name').waitFor();
      await page.locator('#api-status[data-state="ok"]').waitFor();
    });

    let startedAt = 0;
    await step(page, errors, 'start a timed one-plate game', async () => {
      await page.goto(`${web}/plate.html?test=1`, { waitUntil: 'load' });
      await page.locator('#plate-start').waitFor();
      await screenshot(page, 'plate-start-1440');
      await expect(page.locator('#plate-relaxed').isChecked()).resolves.toBe(false);
      await page.locator('label', { hasText: /^1 plate$/ }).click();
      await page.locator('#plate-start').click();
      await page.locator('.round-title', { hasText: 'Lunch' }).waitFor();
      startedAt = Date.now();
      const s = await state(page);
      expect(s.screen).toBe('play');
      expect(s.sessionId).toBeGreaterThan(0);
      await expect(page.locator('.round-timer .timer-value').textContent()).resolves.toMatch(/^[01]:\d\d$/);
      await screenshot(page, 'plate-empty-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await screenshot(page, 'plate-empty-375');
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    await step(page, errors, 'drag romaine onto the vegetables', async () => {
      await dragTo(page, food(page, 'Romaine lettuce, raw'), section(page, 'vegetables'));
      await page.locator('.placed-item', { hasText: 'Romaine lettuce, raw' }).waitFor();
      await expect(page.locator('#plate-announcer').textContent()).resolves.toBe('Romaine lettuce, raw, 47 g, added to vegetables.');
    });

    await step(page, errors, 'click a food, then a section', async () => {
      for (const [name, where] of [
        ['Chicken breast, roasted', 'protein'],
        ['Quinoa, boiled', 'carbohydrate'],
        ['Water', 'drink'],
      ] as const) {
        await food(page, name).click();
        await expect(food(page, name).getAttribute('aria-pressed')).resolves.toBe('true');
        await section(page, where).click();
        await page.locator(`.placed-group--${where} .placed-item`, { hasText: name }).waitFor();
      }
    });

    await step(page, errors, 'place a food with the keyboard and grow a portion', async () => {
      await food(page, 'Carrots, boiled').focus();
      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('data-section'))).resolves.toBe('vegetables');
      await page.keyboard.press('Enter');
      await page.locator('.placed-item', { hasText: 'Carrots, boiled' }).waitFor();
      await expect(page.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toContain('Carrots, boiled');
      await page.getByRole('button', { name: 'More Romaine lettuce, raw' }).click();
      await page.getByRole('button', { name: 'More Romaine lettuce, raw' }).click();
      await expect(page.getByLabel('Grams of Romaine lettuce, raw').inputValue()).resolves.toBe('60');
      const plate = (await state(page)).plates[0];
      expect(plate?.items.map((i) => [i.name, i.section])).toEqual([
        ['Romaine lettuce, raw', 'vegetables'],
        ['Chicken breast, roasted', 'protein'],
        ['Quinoa, boiled', 'carbohydrate'],
        ['Water', 'drink'],
        ['Carrots, boiled', 'vegetables'],
      ]);
      await screenshot(page, 'plate-built-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await screenshot(page, 'plate-built-375');
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    await step(page, errors, 'serve after the 5-second minimum and read the scores', async () => {
      const wait = MIN_SECONDS_PER_PLATE * 1000 + 600 - (Date.now() - startedAt);
      if (wait > 0) await page.waitForTimeout(wait);
      await page.locator('#plate-serve').click();
      await page.locator('#plate-total').waitFor({ timeout: 15_000 });
      const s = await state(page);
      expect(s.screen).toBe('results');
      expect(s.score).toBeGreaterThan(0);
      await expect(page.locator('#plate-total').textContent()).resolves.toBe((s.score ?? 0).toLocaleString('en-US'));
      await expect(page.locator('#plate-rank').textContent()).resolves.toMatch(/^Rank #1 of 1 player/);
      await expect(page.locator('.result-plate-score').textContent()).resolves.toMatch(/^\d[\d,]* \/ 1,000 points$/);
      const feedback = await page.locator('.result-plate .feedback').allTextContents();
      expect(feedback.length).toBeGreaterThan(0);
      expect(feedback.join(' ')).toMatch(/Water or a zero-calorie drink: perfect\./);
      await expect(page.locator('.score-part').count()).resolves.toBe(4);
      await expect(page.locator('.board-table tr.is-you').textContent()).resolves.toContain(DISPLAY_NAME);
      await expect(page.locator('#plate-announcer').textContent()).resolves.toMatch(/^Your score: [\d,]+ points\. Rank 1\./);
      await screenshot(page, 'plate-results-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await screenshot(page, 'plate-results-375');
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    await step(page, errors, 'the public leaderboard lists the player', async () => {
      const s = await state(page);
      const answer = await page.request.get(`${server?.apiUrl}/api/scores?game=plate`);
      expect(answer.status()).toBe(200);
      const board = (await answer.json()) as { entries: Array<{ rank: number; display_name: string; score: number }> };
      expect(board.entries).toContainEqual(expect.objectContaining({ rank: 1, display_name: DISPLAY_NAME, score: s.score }));
    });

    expect(errors).toEqual([]);
    await page.close();
  });
});
