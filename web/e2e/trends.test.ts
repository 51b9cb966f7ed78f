/**
 * Trends against the real server: sign up, import a Dexcom Clarity CSV export through the file input, see the
 * summary and a report whose figures match the file, look at the day, then load the synthetic demo data and see
 * the report become sufficient or not exactly as the server says. No console errors or CSP violations.
 *
 * The Clarity fixture (e2e/fixtures/clarity-sample.csv) is written when the test runs, with timestamps relative to
 * today, so that its readings always fall inside the last 14 days.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatPercent } from '../src/trends/units';
import { WEB_DIR, collectPageErrors, launchBrowser, screenshot, startServer, type RunningServer, runStep } from './support';

const USERNAME = `trends_${Date.now().toString(36)}`;
const PASSWORD = 'correct horse battery';
const FIXTURE = join(WEB_DIR, 'e2e', 'fixtures', 'clarity-sample.csv');

const CLARITY_HEADER =
  'Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device Info,Source Device ID,' +
  'Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate of Change (mg/dL/min),' +
  'Transmitter Time (Long Integer),Transmitter ID';

interface Fixture {
  /** The day of the readings (the new user's zone is UTC, as Clarity's local times are read in it). */
  day: string;
  /** mg/dL as stored: "Low" is 39. */
  values: number[];
  /** 1-based line number of the Calibration row, which the server skips and says so. */
  calibrationLine: number;
}

/** Two days ago (UTC), 00:00 to 23:55 every 5 minutes: 288 EGV rows, one of them "Low", plus events. */
function clarityCsv(now: Date): { text: string; fixture: Fixture } {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 2);
  const day = new Date(start).toISOString().slice(0, 10);
  const stamp = (minute: number): string => new Date(start + minute * 60_000).toISOString().slice(0, 19);
  const lines = [
    CLARITY_HEADER,
    '1,,FirstName,,Test,,,,,,,,,',
    '2,,LastName,,Patient,,,,,,,,,',
    '3,,Device,,,Dexcom G7 Mobile App,Android G7,,,,,,,',
  ];
  const values: number[] = [];
  let index = 4;
  for (let i = 0; i < 288; i += 1) {
    // A wave between about 55 and 255 mg/dL, and one "Low" at 03:00.
    const mg = Math.round(150 + 95 * Math.sin(i / 23) + 10 * Math.sin(i / 5));
    const text = i === 36 ? 'Low' : String(mg);
    values.push(i === 36 ? 39 : mg);
    lines.push(`${index},${stamp(i * 5)},EGV,,,,Android G7,${text},,,,,${1_000_000 + i * 300},8AB123`);
    index += 1;
  }
  lines.push(`${index},${stamp(7 * 60 + 30)},Carbs,,,,Android G7,,,45,,,,`);
  index += 1;
  lines.push(`${index},${stamp(7 * 60 + 25)},Insulin,Fast-Acting,,,Android G7,,4,,,,,`);
  index += 1;
  lines.push(`${index},${stamp(9 * 60)},Calibration,,,,Android G7,120,,,,,,`);
  const calibrationLine = lines.length; // the header is line 1
  return { text: `${lines.join('\r\n')}\r\n`, fixture: { day, values, calibrationLine } };
}

/** The consensus in-range share (70–180 mg/dL inclusive) as the page shows it. */
function inRangeText(values: readonly number[]): string {
  const inRange = values.filter((v) => v >= 70 && v <= 180).length;
  return percent((inRange / values.length) * 100);
}

/** A percentage as the page writes it, with an ordinary space (text() below turns no-break spaces into spaces). */
function percent(value: number): string {
  return formatPercent(value).replace(/\u00a0/g, ' ');
}

describe('trends against the real server', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let fixture: Fixture;

  beforeAll(async () => {
    const csv = clarityCsv(new Date());
    fixture = csv.fixture;
    await mkdir(join(WEB_DIR, 'e2e', 'fixtures'), { recursive: true });
    await writeFile(FIXTURE, csv.text, 'utf8');
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

  /** What the server itself says about the last 14 days, asked from the page with its session cookie. */
  async function serverTrends(page: Page): Promise<{ readings: number; sufficient: boolean; insufficient_reasons: string[]; ranges: { in_range: number } }> {
    return page.evaluate(async (api) => {
      const res = await fetch(`${api}/api/pin_dexcom/trends`, { credentials: 'include' });
      return res.json();
    }, server!.apiUrl);
  }

  /** Resizes the window and waits until the charts have followed (Chart.js resizes a moment later). */
  async function resize(page: Page, width: number, height: number): Promise<void> {
    await page.setViewportSize({ width, height });
    await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, width);
    await page.waitForTimeout(400); // the charts' redraw after the resize
  }

  const text = async (page: Page, selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  it('explains itself to a signed-out visitor and links to sign in', async () => {
    if (!server || !browser) throw new Error('setup failed');
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await fresh.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.webUrl}/trends.html`, { waitUntil: 'load' });
    const link = page.locator('main a', { hasText: 'Sign in' });
    await link.waitFor();
    await expect(link.getAttribute('href')).resolves.toBe('/signin.html?next=%2Ftrends.html');
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe('Trends');
    expect(errors).toEqual([]);
    await fresh.close();
  });

  it('imports a Clarity export, shows the report and the day, then demo data', async () => {
    if (!server || !context) throw new Error('setup failed');
    const web = server.webUrl;
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    const report = page.locator('.report');
    const n = fixture.values.length;

    await step(page, errors, 'sign up', async () => {
      await page.goto(`${web}/signup.html`, { waitUntil: 'load' });
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${web}/`);
      // Let the home page finish its own requests before leaving it.
      await page.locator('header .account-name').waitFor();
      await page.locator('#api-status:not([data-state="pending"])').waitFor();
    });

    await step(page, errors, 'open Trends: an empty report', async () => {
      await page.goto(`${web}/trends.html`, { waitUntil: 'load' });
      await page.locator('.report[data-state="empty"]').waitFor();
      await expect(text(page, '.report-empty h2')).resolves.toBe('No readings in the last 14 days');
      await expect(page.getByRole('tab', { name: 'Report' }).getAttribute('aria-selected')).resolves.toBe('true');
    });

    await step(page, errors, 'import the Clarity CSV through the file input', async () => {
      await page.locator('#trends-import-file').setInputFiles(FIXTURE);
      const summary = page.locator('.import-summary');
      await summary.waitFor();
      await expect(text(page, '.import-summary')).resolves.toBe(
        `Imported “clarity-sample.csv”: ${n} new readings, 0 already imported, 2 events. 1 line skipped:`,
      );
      await expect(page.locator('.import-skipped li').allTextContents()).resolves.toEqual([
        `Line ${fixture.calibrationLine}: event type 'Calibration' is not imported`,
      ]);
      await expect(page.locator('.import-progress').isHidden()).resolves.toBe(true);
    });

    await step(page, errors, 'see the report match the file', async () => {
      await page.locator('.report[data-state="ready"]').waitFor();
      await expect(page.locator('#report-readings').getAttribute('data-count')).resolves.toBe(String(n));
      const expected = inRangeText(fixture.values);
      await expect(text(page, '[data-tile="in-range"] .tile-value')).resolves.toBe(expected);
      await expect(text(page, '[data-band="in_range"] .tir-pct')).resolves.toBe(expected);
      // Two days out of fourteen is not enough, and the page says why, in the server's words.
      const fromServer = await serverTrends(page);
      expect(fromServer.readings).toBe(n);
      expect(fromServer.sufficient).toBe(false);
      await expect(report.getAttribute('data-sufficient')).resolves.toBe('false');
      const notice = await text(page, '.report-insufficient');
      for (const reason of fromServer.insufficient_reasons) expect(notice.toLowerCase()).toContain(reason.toLowerCase());
      // The latest reading is the file's last row, with its trend in words.
      await expect(text(page, '.latest-number')).resolves.toBe(String(fixture.values.at(-1)));
      await expect(text(page, '.latest-trend-label strong')).resolves.toMatch(/^(Rising|Falling|Steady|Trend not available)/);
      await expect(page.locator('.agp-card canvas').getAttribute('aria-label')).resolves.toMatch(/^Daily glucose pattern/);
      await expect(page.locator('.agp-card table tbody tr').count()).resolves.toBeGreaterThan(90);
      // Hovering shows Chart.js tooltips (their callbacks format in the user unit); nothing may throw.
      await page.locator('.agp-card canvas').hover({ position: { x: 300, y: 120 } });
    });

    await step(page, errors, 'import the same file again: nothing new', async () => {
      await page.locator('#trends-import-file').setInputFiles(FIXTURE);
      await page.locator('.import-summary', { hasText: 'Nothing new' }).waitFor();
      await expect(page.locator('.import-summary').getAttribute('data-duplicates')).resolves.toBe(String(n));
    });

    await step(page, errors, 'a file that is not a Clarity export: the 422 message, plainly', async () => {
      const bad = join(tmpdir(), `not-clarity-${process.pid}.csv`);
      await writeFile(bad, 'name,value\nx,1\n', 'utf8');
      await page.locator('#trends-import-file').setInputFiles(bad);
      await page.locator('.import-alert', { hasText: 'Not a Dexcom Clarity export' }).waitFor();
      await rm(bad, { force: true });
    });

    await step(page, errors, 'look at the day of the readings', async () => {
      await page.getByRole('tab', { name: 'Day' }).click();
      await page.locator('.day[data-state]:not([data-state="loading"])').waitFor();
      await page.locator('#day-date').fill(fixture.day);
      await page.locator(`.day[data-state="ready"] .day-card`).waitFor();
      await expect(page.locator('#day-date').inputValue()).resolves.toBe(fixture.day);
      await expect(page.locator('.day-card tbody tr').count()).resolves.toBe(n);
      await expect(page.locator('.day-item-text').allTextContents()).resolves.toEqual(['Insulin: 4 units — Fast-Acting', 'Carbohydrate: 45 g']);
      await expect(page.locator('.day-card canvas').getAttribute('aria-label')).resolves.toContain(`${n} readings`);
      await expect(text(page, '.day-figures')).resolves.toContain(inRangeText(fixture.values));
      await page.locator('.day-card canvas').hover({ position: { x: 400, y: 150 } });
      expect(page.url()).toContain(`#view=day&date=${fixture.day}`);
      await resize(page, 1440, 900);
      await screenshot(page, 'trends-day-1440');
      await resize(page, 375, 812);
      await screenshot(page, 'trends-day-375');
      await resize(page, 1280, 900);
    });

    await step(page, errors, 'load the demo data: the report follows the server', async () => {
      await page.getByRole('tab', { name: 'Report' }).click();
      await page.getByRole('button', { name: 'Load demo data' }).click();
      // Readings exist already, so the page asks before mixing made-up ones in.
      await page.getByRole('button', { name: 'Add demo data' }).click();
      await page.locator('.import-result', { hasText: 'Demo data loaded.' }).waitFor({ timeout: 30_000 });
      await expect(text(page, '.import-result')).resolves.toMatch(/synthetic/);
      await page.locator('.report[data-state="ready"]').waitFor();
      const fromServer = await serverTrends(page);
      await page.locator(`#report-readings[data-count="${fromServer.readings}"]`).waitFor();
      // 14 days of 5-minute demo readings on top of the file's (a demo time equal to a file time counts once).
      expect(fromServer.readings).toBeGreaterThanOrEqual(14 * 288);
      await expect(report.getAttribute('data-sufficient')).resolves.toBe(String(fromServer.sufficient));
      await expect(page.locator('.report-insufficient').count()).resolves.toBe(fromServer.sufficient ? 0 : 1);
      await expect(text(page, '[data-tile="in-range"] .tile-value')).resolves.toBe(percent(fromServer.ranges.in_range));
      await resize(page, 1440, 900);
      await screenshot(page, 'trends-report-1440');
      await resize(page, 375, 812);
      await screenshot(page, 'trends-report-375');
      await resize(page, 1280, 900);
    });

    await step(page, errors, '30 days: 14 days of readings are not enough', async () => {
      await page.locator('label[for="report-period-30"]').click();
      await page.locator('.report[data-state="ready"][data-sufficient="false"]').waitFor();
      await expect(text(page, '.report-insufficient')).resolves.toContain('Less than 70% of the expected 5-minute readings are present.');
      expect(page.url()).toContain('#view=report&days=30');
    });

    // The one failed request on purpose is the 422 of the bad file (browsers log every non-2xx load).
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    expect(errors.filter((e) => /status of 422/.test(e))).toHaveLength(1);
    await page.close();
  }, 120_000);
});
