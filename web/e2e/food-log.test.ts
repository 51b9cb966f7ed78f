/**
 * Food Log against the real server: sign up through the form, pick foods with the keyboard from the search
 * combobox, add them to meals, check that the day's totals agree with the entries, edit and delete an entry (and
 * undo), and look at the charts' accessible parts. Every page must run without console errors or CSP violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer, runStep } from './support';

const USERNAME = `food_${Date.now().toString(36)}`;
const PASSWORD = 'correct horse battery';

/** "1,234.5 g carbs" → 1234.5 */
function parseNumber(text: string | null): number {
  const match = /-?[\d,]*\.?\d+/.exec(text ?? '');
  if (!match) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(match[0].replace(/,/g, ''));
}

/**
 * The server rounds each entry and each total to 0.1 separately (total = round(sum), not sum of rounded), so the
 * total can differ from the sum of the shown entries by up to 0.05 per entry.
 */
function expectSum(total: number, parts: number[]): void {
  const sum = parts.reduce((a, b) => a + b, 0);
  expect(Math.abs(total - sum)).toBeLessThanOrEqual(0.05 * parts.length + 1e-9);
}

describe('food log against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // CSP violations become console errors, which collectPageErrors reports.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  /** Types `query` into the food search, waits for the list and picks the option at `index` with ↓ and Enter. */
  async function pickFood(page: Page, query: string, expected: string, downs = 1): Promise<void> {
    const search = page.getByRole('combobox', { name: 'Search foods' });
    await search.focus();
    await page.keyboard.type(query, { delay: 20 });
    const listbox = page.getByRole('listbox', { name: 'Search foods' });
    await listbox.getByRole('option').first().waitFor({ state: 'visible' });
    await expect(search.getAttribute('aria-expanded')).resolves.toBe('true');
    for (let i = 0; i < downs; i++) await page.keyboard.press('ArrowDown');
    const activeId = await search.getAttribute('aria-activedescendant');
    expect(activeId).toBeTruthy();
    await expect(page.locator(`#${activeId}`).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator(`#${activeId} .food-option-name`).textContent()).resolves.toBe(expected);
    await page.keyboard.press('Enter');
    await expect(search.inputValue()).resolves.toBe(expected);
    await expect(search.getAttribute('aria-expanded')).resolves.toBe('false');
  }

  async function entryValues(page: Page): Promise<{ carbs: number[]; gl: number[] }> {
    const carbs = (await page.locator('.entry .entry-carbs').allTextContents()).map(parseNumber);
    const gl = (await page.locator('.entry .entry-gl').allTextContents()).map(parseNumber);
    return { carbs, gl };
  }

  async function totals(page: Page): Promise<{ carbs: number; gl: number }> {
    return {
      carbs: parseNumber(await page.locator('.day-carbs').textContent()),
      gl: parseNumber(await page.locator('.day-gl').textContent()),
    };
  }

  it('shows signed-out visitors the way to sign in', async () => {
    if (!server || !context) throw new Error('setup failed');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${server.webUrl}/food-log.html`, { waitUntil: 'load' });
    const link = page.locator('main a', { hasText: 'Sign in' });
    await link.waitFor();
    await expect(link.getAttribute('href')).resolves.toBe('/signin.html?next=%2Ffood-log.html');
    await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent()).resolves.toBe('Food Log');
    await screenshot(page, 'food-log-signed-out-1280');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('logs foods picked with the keyboard and keeps the day’s totals in step', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);

    await step(page, errors, 'sign up and come back to the food log', async () => {
      await page.goto(`${web}/signup.html?next=${encodeURIComponent('/food-log.html')}`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByLabel('Confirm password').press('Enter');
      await page.waitForURL(`${web}/food-log.html`);
      await page.locator('#day-title', { hasText: 'Today' }).waitFor();
      await expect(page.locator('.food-empty').isVisible()).resolves.toBe(true);
      await expect(page.locator('.day-carbs').textContent()).resolves.toBe('0 g');
    });

    await step(page, errors, 'search "apple", pick it with the keyboard, 150 g for breakfast', async () => {
      await pickFood(page, 'apple', 'Apple, raw');
      await expect(page.locator('.food-chosen').textContent()).resolves.toContain('Low GI 36');
      await page.getByLabel('Amount', { exact: true }).fill('150');
      await page.getByLabel('Meal', { exact: true }).selectOption('breakfast');
      await page.getByRole('button', { name: 'Add food' }).click();
      await page.locator('#add-food-status', { hasText: 'Added Apple, raw (150 g) to breakfast.' }).waitFor();
      await page.locator('[data-meal="breakfast"] .entry').first().waitFor();
      // Focus is back in the search box for the next food.
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-food-search');
    });

    await step(page, errors, 'add one serving of white rice to lunch, from the keyboard only', async () => {
      await pickFood(page, 'white rice', 'White rice, boiled');
      const serving = page.locator('.food-add .chip-button');
      await expect(serving.textContent()).resolves.toBe('1 serving: 1 cup cooked (158 g)');
      await serving.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByLabel('Amount', { exact: true }).inputValue()).resolves.toBe('158');
      await page.getByLabel('Meal', { exact: true }).selectOption('lunch');
      await page.getByLabel('Amount', { exact: true }).press('Enter'); // submits the form
      await page.locator('#add-food-status', { hasText: 'Added White rice, boiled (158 g) to lunch.' }).waitFor();
      await page.locator('[data-meal="lunch"] .entry').first().waitFor();
    });

    await step(page, errors, 'the entries show grams, carbs and bands; the totals add up', async () => {
      await expect(page.locator('.entry').count()).resolves.toBe(2);
      const apple = page.locator('[data-meal="breakfast"] .entry');
      await expect(apple.locator('.entry-food').textContent()).resolves.toBe('Apple, raw');
      await expect(apple.locator('.entry-grams').textContent()).resolves.toBe('150 g');
      await expect(apple.locator('.entry-carbs').textContent()).resolves.toBe('20.7 g carbs');
      await expect(apple.locator('.entry-bands').textContent()).resolves.toBe('Low GI 36, Low GL 6.2');
      const rice = page.locator('[data-meal="lunch"] .entry');
      await expect(rice.locator('.entry-bands').textContent()).resolves.toBe('High GI 73, High GL 32.1');

      await page.locator('.day-summary[data-entries="2"]').waitFor();
      const shown = await entryValues(page);
      const total = await totals(page);
      expectSum(total.carbs, shown.carbs);
      expectSum(total.gl, shown.gl);
      expect(total.carbs).toBe(65.3);
      await expect(page.locator('.day-gl-band').textContent()).resolves.toBe('Low for a day (under 80)');
      // Per-meal rows match their entries.
      await expect(page.locator('.meal-table tr[data-meal="breakfast"] td').allTextContents()).resolves.toEqual(['20.7 g', '6.2', 'Low 36']);
      await expect(page.locator('.meal-table tr[data-meal="lunch"] td').allTextContents()).resolves.toEqual(['44.6 g', '32.1', 'High 73']);
      await expect(page.locator('.meal-table tr[data-meal="dinner"] td').allTextContents()).resolves.toEqual(['—', '—', '—']);
    });

    await step(page, errors, 'the charts have labels and a table with the same numbers', async () => {
      const trend = page.locator('.food-history canvas').first();
      await page.waitForFunction(() => /highest GL/.test(document.querySelector('.food-history canvas')?.getAttribute('aria-label') ?? ''));
      await expect(trend.getAttribute('role')).resolves.toBe('img');
      await expect(page.locator('.food-history canvas').nth(1).getAttribute('aria-label')).resolves.toMatch(/^Stacked bar chart of glycemic load by meal/);
      await page.locator('.history-table summary').click();
      const today = await page.locator('#food-date').inputValue();
      const row = page.locator(`.chart-table tr[data-date="${today}"] td`);
      const cells = await row.allTextContents();
      expect(cells.slice(0, 3)).toEqual(['65.3', String((await totals(page)).gl), 'Low']);
      await expect(page.locator('.chart-table tbody tr').count()).resolves.toBe(14);
      await page.getByText('30 days', { exact: true }).click();
      await page.locator('#history-title', { hasText: 'Last 30 days' }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.chart-table tbody tr').length === 30);
    });

    await screenshot(page, 'food-log-1280');

    await step(page, errors, 'edit the rice to 100 g with the keyboard', async () => {
      const rice = page.locator('[data-meal="lunch"] .entry');
      await rice.getByRole('button', { name: 'Edit White rice, boiled' }).focus();
      await page.keyboard.press('Enter');
      const grams = page.getByLabel('Grams', { exact: true });
      await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('grams');
      await grams.fill('100');
      await grams.press('Enter');
      await page.locator('.entry-carbs', { hasText: '28.2 g carbs' }).waitFor();
      await page.locator('.day-carbs', { hasText: '48.9 g' }).waitFor();
      // Focus returns to the entry's Edit button.
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Edit White rice, boiled');
      const shown = await entryValues(page);
      const total = await totals(page);
      expectSum(total.carbs, shown.carbs);
      expectSum(total.gl, shown.gl);
    });

    let before = { carbs: 0, gl: 0 };
    await step(page, errors, 'delete the apple: the totals drop to the rice alone', async () => {
      before = await totals(page);
      await page.getByRole('button', { name: 'Delete Apple, raw' }).click();
      await page.locator('.entries-status', { hasText: 'Deleted Apple, raw.' }).waitFor();
      await page.locator('.day-summary[data-entries="1"]').waitFor();
      await expect(page.locator('.entry').count()).resolves.toBe(1);
      const after = await totals(page);
      expect(after.carbs).toBeLessThan(before.carbs);
      expect(after.gl).toBeLessThan(before.gl);
      const shown = await entryValues(page);
      expect(after.carbs).toBe(shown.carbs[0]);
      expect(after.gl).toBe(shown.gl[0]);
      await expect(page.locator('.meal-table tr[data-meal="breakfast"] td').first().textContent()).resolves.toBe('—');
      // Focus went to "Undo", not to the top of the page.
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Undo');
    });

    await step(page, errors, 'undo brings it back', async () => {
      await page.keyboard.press('Enter');
      await page.locator('.entries-status', { hasText: 'Restored Apple, raw.' }).waitFor();
      await page.locator('.day-summary[data-entries="2"]').waitFor();
      expect(await totals(page)).toEqual(before);
    });

    await step(page, errors, 'an earlier day is empty; the address keeps it', async () => {
      await page.getByRole('button', { name: 'Previous day' }).click();
      await page.locator('.food-empty').waitFor();
      expect(new URL(page.url()).searchParams.get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.reload({ waitUntil: 'load' });
      await page.locator('.food-empty').waitFor();
      await expect(page.locator('#day-title').textContent()).resolves.not.toMatch(/^Today/);
      await page.getByRole('button', { name: 'Today' }).click();
      await page.locator('#day-title', { hasText: 'Today' }).waitFor();
      await expect(page.locator('.entry').count()).resolves.toBe(2);
    });

    await step(page, errors, 'a custom food with a GI out of range is refused inline', async () => {
      await page.locator('label', { hasText: 'My own food' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Tess’s <b>flapjack</b>');
      await page.locator('#f-custom-gi').fill('120');
      await page.getByLabel('Carbs per 100 g').fill('60');
      await page.getByLabel('Amount', { exact: true }).fill('60');
      await page.getByRole('button', { name: 'Add food' }).click();
      await expect(page.locator('#f-custom-gi').getAttribute('aria-invalid')).resolves.toBe('true');
      await page.locator('#f-custom-gi').fill('66');
      await page.getByLabel('Meal', { exact: true }).selectOption('snack');
      await page.getByRole('button', { name: 'Add food' }).click();
      await page.locator('[data-meal="snack"] .entry-food', { hasText: 'Tess’s <b>flapjack</b>' }).waitFor();
      await expect(page.locator('[data-meal="snack"] .entry-food b').count()).resolves.toBe(0);
      await expect(page.locator('[data-meal="snack"] .entry-bands').textContent()).resolves.toBe('Medium GI 66, High GL 23.8');
    });

    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'food-log-1440');
    await page.setViewportSize({ width: 375, height: 812 });
    await step(page, errors, 'no sideways scrolling at 375 px', async () => {
      // The charts follow the new width on their next resize callback.
      // A deadline, not a delay: on a loaded machine the resize callback can take a few seconds.
      await page.waitForFunction(() => document.documentElement.scrollWidth <= 375, undefined, { timeout: 15_000 });
    });
    await screenshot(page, 'food-log-375');

    expect(errors).toEqual([]);
    await page.close();
  });
});
