/**
 * Accounts against the real server: sign up through the form, stay signed in across reloads, change the profile,
 * sign out. Every page must run without console errors or CSP violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer, runStep } from './support';

/** A fresh username per run (3–32 of [A-Za-z0-9_.-]). */
const USERNAME = `e2e_${Date.now().toString(36)}`;
const PASSWORD = 'correct horse battery';
/** Markup in a display name must come out as text. */
const DISPLAY_NAME = 'Tess <b>E2E</b>';
const NEW_NAME = 'Tess Renamed';

describe('accounts against the real server', () => {
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

  const step = <T>(page: Page, errors: string[], name: string, run: () => Promise<T>): Promise<T> =>
    runStep(server, page, errors, name, run);

  it('signs up, keeps the session, saves the profile and signs out', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    const accountName = page.locator('header .account-name');
    const signinLink = page.locator('nav[aria-label="Main"] a', { hasText: 'Sign in' });

    await step(page, errors, 'sign up through the form', async () => {
      await page.goto(`${web}/signup.html`, { waitUntil: 'load' });
      await expect(signinLink.isVisible()).resolves.toBe(true);
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Display name').fill(DISPLAY_NAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await screenshot(page, 'signup-filled-1280');
      // Submit from the keyboard.
      await page.getByLabel('Confirm password').press('Enter');
      await page.waitForURL(`${web}/`);
    });

    await step(page, errors, 'see the display name in the header', async () => {
      await accountName.waitFor({ state: 'visible' });
      await expect(accountName.textContent()).resolves.toBe(DISPLAY_NAME);
      // The name is text: no <b> element was made from it.
      await expect(page.locator('header .account-name b').count()).resolves.toBe(0);
      await expect(signinLink.isVisible()).resolves.toBe(false);
      await expect(page.locator('header button', { hasText: 'Sign out' }).isVisible()).resolves.toBe(true);
      // The session lives in an HttpOnly cookie only: nothing token-like in script-visible storage.
      const stored = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify(window.localStorage) }));
      expect(stored.cookie).not.toContain('glucoplay_session');
      expect(stored.local).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    });

    await step(page, errors, 'reload and still be signed in', async () => {
      await page.reload({ waitUntil: 'load' });
      await accountName.waitFor({ state: 'visible' });
      await expect(accountName.textContent()).resolves.toBe(DISPLAY_NAME);
    });

    await step(page, errors, 'open the profile from the header', async () => {
      await page.locator('header a.account-link').click();
      await page.waitForURL(`${web}/profile.html`);
      await page.locator('#settings-title').waitFor();
      await expect(page.getByLabel('Display name').inputValue()).resolves.toBe(DISPLAY_NAME);
      await expect(page.locator('h1').textContent()).resolves.toBe(DISPLAY_NAME);
      await expect(page.locator('header a.account-link').getAttribute('aria-current')).resolves.toBe('page');
      await screenshot(page, 'profile-1280');
    });

    await step(page, errors, 'change name, unit and time zone, and save', async () => {
      await page.getByLabel('Display name').fill(NEW_NAME);
      await page.locator('label', { hasText: 'mmol/L' }).click();
      await page.getByLabel('Search the list').fill('Los Angeles');
      await page.locator('#f-settings-time_zone').selectOption('America/Los_Angeles');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#settings-status', { hasText: 'Changes saved.' }).waitFor();
      await expect(accountName.textContent()).resolves.toBe(NEW_NAME);
    });

    await step(page, errors, 'reload and see the saved values', async () => {
      await page.reload({ waitUntil: 'load' });
      await page.locator('#settings-title').waitFor();
      await expect(page.getByLabel('Display name').inputValue()).resolves.toBe(NEW_NAME);
      await expect(page.locator('input[name="settings.glucose_unit"]:checked').getAttribute('value')).resolves.toBe('mmol/L');
      await expect(page.locator('#f-settings-time_zone').inputValue()).resolves.toBe('America/Los_Angeles');
      await expect(accountName.textContent()).resolves.toBe(NEW_NAME);
      await page.setViewportSize({ width: 1440, height: 900 });
      await screenshot(page, 'profile-saved-1440');
      await page.setViewportSize({ width: 375, height: 812 });
      await screenshot(page, 'profile-saved-375');
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step(page, errors, 'sign out', async () => {
      await page.locator('header button', { hasText: 'Sign out' }).click();
      await page.waitForURL(`${web}/`);
      await signinLink.waitFor({ state: 'visible' });
      await expect(accountName.count()).resolves.toBe(0);
      await page.reload({ waitUntil: 'load' });
      await signinLink.waitFor({ state: 'visible' });
      await expect(accountName.count()).resolves.toBe(0);
    });

    expect(errors).toEqual([]);

    await step(page, errors, 'the server session really ended', async () => {
      // The profile always asks the server; its 401 is expected here (and shows in the console as a failed load).
      await page.goto(`${web}/profile.html`, { waitUntil: 'load' });
      await page.locator('main a', { hasText: 'Sign in' }).waitFor();
      await expect(page.locator('#settings-title').count()).resolves.toBe(0);
    });
    const unexpected = errors.filter((e) => !/status of 401/.test(e));
    expect(unexpected).toEqual([]);
    await page.close();
  });

  it('signs in with the new account and shows inline errors without console noise', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);

    await step(page, errors, 'client-side checks on the sign-up form', async () => {
      await page.goto(`${web}/signup.html`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill('x');
      await page.getByRole('button', { name: 'Create account' }).click();
      const username = page.getByLabel('Username');
      await expect(username.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await username.getAttribute('aria-describedby')) ?? '';
      const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
      expect(errorId).toBeDefined();
      await expect(page.locator(`#${errorId}`).textContent()).resolves.toMatch(/3 to 32/);
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-username');
      await screenshot(page, 'signup-errors-1280');
    });

    await step(page, errors, 'sign in and come back to next=', async () => {
      await page.goto(`${web}/signin.html?next=${encodeURIComponent('/profile.html')}`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web}/profile.html`);
      await page.locator('#settings-title').waitFor();
      await expect(page.getByLabel('Display name').inputValue()).resolves.toBe(NEW_NAME);
    });

    await step(page, errors, 'sign out again', async () => {
      await page.locator('header button', { hasText: 'Sign out' }).click();
      await page.waitForURL(`${web}/`);
      await page.locator('nav[aria-label="Main"] a', { hasText: 'Sign in' }).waitFor({ state: 'visible' });
    });

    expect(errors).toEqual([]);
    await page.close();
  });
});
