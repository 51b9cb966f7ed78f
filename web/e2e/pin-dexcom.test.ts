/**
 * Pin the Dexcom against the real server: sign up, choose Dexcom G7 + adult, do the routine in order (with one
 * step out of turn), drag the sensor to the back of the upper arm (correct), then click the sensor and click the
 * belly (incorrect, with the reason), and see 1 of 2 correct in the progress panel. A guest plays by keyboard
 * only and is asked to sign in. No console errors and no CSP violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer, runStep } from './support';

const USERNAME = `pin_${Date.now().toString(36)}`;
const PASSWORD = 'correct horse battery';

/** Records CSP violations in the page (they also show as console errors, but this names the directive). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/**
 * Client pixels of a normalised picture point on the figure: the SVG's box, with the viewBox (400 × 800) scaled to
 * fit and centred inside it (preserveAspectRatio xMidYMid meet).
 */
async function figurePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  await page.locator('svg.pin-figure').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await page.locator('svg.pin-figure').boundingBox();
  if (!box) throw new Error('the figure has no box');
  const scale = Math.min(box.width / 400, box.height / 800);
  const left = box.x + (box.width - 400 * scale) / 2;
  const top = box.y + (box.height - 800 * scale) / 2;
  return { x: left + x * 400 * scale, y: top + y * 800 * scale };
}

/** Screenshots at 1440 and at 375 px wide (back to 1440 afterwards). */
async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 375, height: 812 });
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function doStep(page: Page, label: RegExp): Promise<void> {
  await page.locator('.pin-choices button', { hasText: label }).click();
}

describe('Pin the Dexcom against the real server', () => {
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

  it('places a sensor right by dragging, wrong by click-then-click, and counts 1 of 2', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);

    await step(page, errors, 'sign up', async () => {
      await page.goto(`${web}/signup.html`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByLabel('Confirm password').press('Enter');
      await page.waitForURL(`${web}/`);
    });

    await step(page, errors, 'open the game and choose Dexcom G7, adult, no obstacles', async () => {
      await page.goto(`${web}/pin-dexcom.html`, { waitUntil: 'load' });
      await page.locator('svg.pin-figure[role="img"]').waitFor();
      await page.locator('label', { hasText: 'Dexcom G6' }).click();
      await page.locator('.pin-sensor-name', { hasText: 'Dexcom G6 sensor' }).waitFor();
      await page.locator('label', { hasText: 'Dexcom G7' }).click();
      await page.locator('label', { hasText: 'Adult' }).click();
      await page.locator('.pin-sensor-name', { hasText: 'Dexcom G7 sensor' }).waitFor();
      await page.getByLabel('Add a pump site or a tattoo to some rounds').uncheck();
      await expect(page.locator('.pin-round-note').textContent()).resolves.toContain('nothing else on the body');
      // Signed in: no guest note, and the progress panel is empty.
      await expect(page.locator('.pin-guest-note').count()).resolves.toBe(0);
      await page.locator('.pin-progress-empty').waitFor();
      await shots(page, 'pin-front');
    });

    await step(page, errors, 'do the first steps, one of them out of turn', async () => {
      await doStep(page, /Start the sensor in the app/);
      await page.locator('.pin-step-status[data-tone="warn"]', { hasText: 'Not yet' }).waitFor();
      await doStep(page, /Wash your hands/);
      await doStep(page, /Clean the site/);
      await page.locator('.pin-step-status', { hasText: 'Step 2 done' }).waitFor();
      await expect(page.locator('.pin-routine-item[data-state="done"]').count()).resolves.toBe(2);
    });

    await step(page, errors, 'drag the sensor to the back of the upper arm', async () => {
      await page.getByRole('button', { name: 'Back', exact: true }).click();
      await expect(page.locator('svg.pin-figure').getAttribute('aria-label')).resolves.toContain('back view');
      await shots(page, 'pin-back');
      const sensor = await page.locator('button.pin-sensor').boundingBox();
      if (!sensor) throw new Error('no sensor');
      await page.mouse.move(sensor.x + 30, sensor.y + sensor.height / 2);
      await page.mouse.down();
      const target = await figurePoint(page, 0.277, 0.279);
      await page.mouse.move(sensor.x + 60, sensor.y + sensor.height / 2 + 20, { steps: 4 });
      await page.mouse.move(target.x, target.y, { steps: 12 });
      await page.mouse.up();
    });

    await step(page, errors, 'see "correct" with the zones revealed', async () => {
      const verdict = page.locator('.pin-verdict[data-verdict="correct"]');
      await verdict.waitFor();
      await expect(verdict.locator('.pin-verdict-title').textContent()).resolves.toContain('Correct');
      await expect(verdict.textContent()).resolves.toContain('Back of the upper arm (left) is an approved site');
      await expect(page.locator('.pin-zone--approved').count()).resolves.toBe(2);
      await expect(page.locator('.pin-avoid').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('.pin-label--approved').first().textContent()).resolves.toContain('✓ Approved');
      await expect(page.locator('.pin-legend').textContent()).resolves.toContain('✗ Avoid:');
      await expect(page.locator('.pin-marker--correct').count()).resolves.toBe(1);
      await page.locator('.pin-accuracy', { hasText: '1 of 1 correct (100%)' }).waitFor();
      await shots(page, 'pin-correct');
    });

    await step(page, errors, 'finish the routine: press, start, warm-up', async () => {
      await doStep(page, /Press the applicator/);
      await doStep(page, /Start the sensor in the app/);
      await doStep(page, /Wait for the warm-up: 30 minutes/);
      await page.locator('.pin-step-status', { hasText: 'Routine complete' }).waitFor();
    });

    await step(page, errors, 'next round: click the sensor, then click the belly', async () => {
      await page.getByRole('button', { name: 'Next round' }).click();
      await expect(page.locator('.pin-zone--approved').count()).resolves.toBe(0);
      await doStep(page, /Wash your hands/);
      await doStep(page, /Clean the site/);
      await page.getByRole('button', { name: 'Front', exact: true }).click();
      await page.locator('button.pin-sensor').click();
      await expect(page.locator('button.pin-sensor').getAttribute('aria-pressed')).resolves.toBe('true');
      const target = await figurePoint(page, 0.42, 0.4);
      await page.mouse.click(target.x, target.y);
    });

    await step(page, errors, 'see "incorrect" with the reason', async () => {
      const verdict = page.locator('.pin-verdict[data-verdict="incorrect"]');
      await verdict.waitFor();
      await expect(verdict.locator('.pin-verdict-title').textContent()).resolves.toContain('Incorrect');
      await expect(verdict.locator('.pin-verdict-reason').textContent()).resolves.toContain(
        'Belly (abdomen) is not an approved site for this sensor and age',
      );
      await expect(verdict.locator('.pin-verdict-hint').textContent()).resolves.toContain('on the back');
      await expect(page.locator('.pin-marker--incorrect').count()).resolves.toBe(1);
      await expect(page.locator('.pin-zone--other').count()).resolves.toBe(1);
    });

    await step(page, errors, 'the progress panel shows 1 of 2 correct (50%)', async () => {
      await page.locator('.pin-accuracy', { hasText: '1 of 2 correct (50%)' }).waitFor();
      await expect(page.locator('.pin-history-item').count()).resolves.toBe(2);
      await expect(page.locator('.pin-history-item').allTextContents()).resolves.toEqual([
        expect.stringContaining('Correct: Back of the upper arm (left)'),
        expect.stringContaining('Incorrect: Belly (abdomen)'),
      ]);
      await shots(page, 'pin-wrong');
    });

    expect(errors).toEqual([]);
    await expect(csp()).resolves.toEqual([]);
    await page.close();
  });

  it('lets a guest play by keyboard and asks them to sign in for a verdict', async () => {
    if (!server || !browser) throw new Error('setup failed');
    const guest = await browser.newContext({ viewport: { width: 375, height: 812 }, hasTouch: true });
    const page = await guest.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);

    await step(page, errors, 'open the game as a guest', async () => {
      await page.goto(`${server?.webUrl}/pin-dexcom.html`, { waitUntil: 'load' });
      await page.locator('svg.pin-figure').waitFor();
      await page.locator('.pin-guest-note').waitFor();
      await page.getByLabel('Add a pump site or a tattoo to some rounds').uncheck();
      // Fits 375 px without sideways scrolling; every control is a 44 px target or bigger.
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.pin button, .pin a.button, .pin summary, .pin .segmented-label, .pin .check-row')]
          .filter((el) => el.getClientRects().length > 0)
          .filter((el) => el.getBoundingClientRect().height < 44 || el.getBoundingClientRect().width < 44)
          .map((el) => `${el.className}: ${el.textContent ?? ''}`),
      );
      expect(small).toEqual([]);
      await screenshot(page, 'pin-guest-375');
    });

    await step(page, errors, 'do the routine and place the sensor with the keyboard only', async () => {
      for (const label of [/Wash your hands/, /Clean the site/]) {
        await page.locator('.pin-choices button', { hasText: label }).focus();
        await page.keyboard.press('Enter');
      }
      await page.locator('.pin-choices button', { hasText: /Place the sensor/ }).focus();
      await page.keyboard.press('Enter');
      // Focus moves to the body map, with the crosshair.
      await expect(page.evaluate(() => document.activeElement?.classList.contains('pin-stage'))).resolves.toBe(true);
      await page.locator('.pin-crosshair-ring').waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.locator('#pin-crosshair-position', { hasText: 'on the body' }).waitFor();
      await page.keyboard.press('Enter');
    });

    await step(page, errors, 'see the sign-in prompt and the revealed sites', async () => {
      const verdict = page.locator('.pin-verdict[data-verdict="guest"]');
      await verdict.waitFor();
      await expect(verdict.locator('a', { hasText: 'Sign in' }).getAttribute('href')).resolves.toBe('/signin.html?next=%2Fpin-dexcom.html');
      await expect(page.locator('.pin-avoid').count()).resolves.toBeGreaterThan(0);
      await screenshot(page, 'pin-guest-placed-375');
    });

    expect(errors).toEqual([]);
    await expect(csp()).resolves.toEqual([]);
    await guest.close();
  });
});
