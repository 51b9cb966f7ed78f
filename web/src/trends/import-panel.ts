/**
 * "Add readings": import a Dexcom Clarity CSV export (sent as text/csv) or Nightscout entries (.json, sent as
 * application/json) through POST /api/pin_dexcom/import, or load synthetic demo data (POST
 * /api/pin_dexcom/readings in batches). Shows progress while it works and a plain summary after.
 */
import {
  MAX_IMPORT_BYTES,
  addReadingsInBatches,
  deleteDemoReadings,
  importFormatOf,
  importReadings,
  type ImportResult,
} from '../api/cgm';
import { ApiError } from '../api/client';
import { clear, h } from '../ui/dom';
import { describeError, setBusy } from '../ui/forms';
import { sentence, type TrendsContext } from './context';
import { DEMO_DAYS, generateDemoReadings } from './demo-data';
import { formatDateTime } from './time';
import { formatCount } from './units';

export const IMPORT_INPUT_ID = 'trends-import-file';
/** Skipped lines listed one by one; the rest are counted. */
export const MAX_SKIPPED_SHOWN = 20;

export interface ImportPanelHooks {
  /** Readings were added: refresh what shows them. */
  onChanged: () => void;
  /** How many readings the report currently shows (demo data then asks before mixing in). */
  readingsShown: () => number;
}

/** "84 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why a chosen file cannot be sent, or null when it can. */
export function checkImportFile(file: { name: string; type: string; size: number }): string | null {
  if (!importFormatOf(file)) return `“${file.name}” is not a .csv or .json file. Choose a Dexcom Clarity CSV export or Nightscout entries (.json).`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_IMPORT_BYTES) return `“${file.name}” is ${formatBytes(file.size)}: the limit is 20 MB (20 MiB). Export a shorter period.`;
  return null;
}

/** The result in sentences: "288 new readings, 0 already imported, 2 events." */
export function importSummary(result: ImportResult): string {
  const parts = [
    `${formatCount(result.inserted)} new ${result.inserted === 1 ? 'reading' : 'readings'}`,
    `${formatCount(result.duplicates)} already imported`,
    `${formatCount(result.events)} ${result.events === 1 ? 'event' : 'events'}`,
  ];
  const skipped = result.skipped.length;
  return `${parts.join(', ')}. ${skipped === 0 ? 'No lines skipped.' : `${formatCount(skipped)} ${skipped === 1 ? 'line' : 'lines'} skipped:`}`;
}

export function createImportPanel(ctx: TrendsContext, hooks: ImportPanelHooks): HTMLElement {
  const fileInput = h('input', {
    type: 'file',
    id: IMPORT_INPUT_ID,
    class: 'visually-hidden import-input',
    accept: '.csv,.json,text/csv,application/json',
    tabindex: '-1',
  });
  const fileLabel = h('label', { for: IMPORT_INPUT_ID, class: 'visually-hidden' }, 'Dexcom Clarity CSV or Nightscout JSON file');
  const importButton = h('button', { type: 'button', class: 'button button--primary' }, 'Import a file…');
  const demoButton = h('button', { type: 'button', class: 'button button--secondary' }, 'Load demo data');
  const removeDemoButton = h('button', { type: 'button', class: 'button button--secondary' }, 'Remove demo data');

  const progressText = h('span', { class: 'import-progress-text', id: 'import-progress-text' });
  const progressBar = h('progress', { class: 'import-progress-bar', 'aria-labelledby': 'import-progress-text' });
  const progress = h('div', { class: 'import-progress' }, progressText, progressBar);
  progress.hidden = true;
  const alert = h('div', { class: 'form-alert import-alert', role: 'alert' });
  const result = h('div', { class: 'import-result', role: 'status', 'aria-live': 'polite' });
  const confirmSlot = h('div', { class: 'import-confirm-slot' });

  let busy = false;
  const start = (label: string): void => {
    busy = true;
    setBusy(importButton, true);
    setBusy(demoButton, true);
    clear(alert);
    clear(result);
    clear(confirmSlot);
    progressText.textContent = label;
    progressBar.removeAttribute('value'); // indeterminate
    progress.hidden = false;
  };
  const finish = (): void => {
    busy = false;
    setBusy(importButton, false);
    setBusy(demoButton, false);
    progress.hidden = true;
  };
  const fail = (err: unknown, what: string): void => {
    const message =
      err instanceof ApiError && (err.status === 422 || err.status === 400 || err.status === 413 || err.status === 415)
        ? err.message
        : describeError(err);
    alert.textContent = `${what} ${sentence(message)}`;
  };

  importButton.addEventListener('click', () => {
    if (!busy) fileInput.click();
  });

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file || busy) return;
    const problem = checkImportFile(file);
    if (problem) {
      clear(result);
      alert.textContent = problem;
      fileInput.value = '';
      return;
    }
    const format = importFormatOf(file)!;
    start(`Uploading “${file.name}” (${formatBytes(file.size)})…`);
    importReadings(file, format).then(
      (res) => {
        finish();
        showImportResult(result, file.name, res, format === 'nightscout-json' ? 'Entry' : 'Line');
        if (res.inserted > 0 || res.events > 0) hooks.onChanged();
      },
      (err: unknown) => {
        finish();
        fail(err, `“${file.name}” could not be imported.`);
      },
    );
    fileInput.value = ''; // the same file can be chosen again
  });

  const loadDemo = (): void => {
    start('Making 14 days of demo readings…');
    // The newest reading one second ago: "now", yet strictly before the end of a report asked for right after
    // (the server's range is [from, to) in whole seconds).
    const end = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    // Let the progress text paint before the (short) generation work.
    window.setTimeout(() => {
      const readings = generateDemoReadings({ end, days: DEMO_DAYS, timeZone: ctx.zone });
      progressText.textContent = `Saving ${formatCount(readings.length)} demo readings…`;
      addReadingsInBatches(
        readings,
        (done, total) => {
          if (total > 1) progressText.textContent = `Saving demo readings: batch ${done} of ${total}…`;
          progressBar.max = total;
          progressBar.value = done;
        },
        undefined,
        'demo',
      ).then(
        (res) => {
          finish();
          result.append(
            h('p', { class: 'import-summary' }, h('strong', undefined, 'Demo data loaded. '), `${formatCount(res.inserted)} synthetic readings added${res.duplicates ? ` (${formatCount(res.duplicates)} were already there)` : ''}, 14 days ending ${formatDateTime(end, ctx.zone)}.`),
            h('p', { class: 'import-note' }, 'These readings are made up by GlucoPlay for trying the page: they are not your data.'),
          );
          hooks.onChanged();
        },
        (err: unknown) => {
          finish();
          fail(err, 'The demo data could not be saved.');
        },
      );
    }, 30);
  };

  removeDemoButton.addEventListener('click', () => {
    if (busy) return;
    clear(alert);
    clear(result);
    start('Removing demo readings…');
    deleteDemoReadings().then(
      (res) => {
        finish();
        result.append(
          h('p', { class: 'import-summary' }, res.deleted > 0 ? `${formatCount(res.deleted)} demo readings removed. Your own readings are untouched.` : 'There were no demo readings to remove.'),
        );
        if (res.deleted > 0) hooks.onChanged();
      },
      (err: unknown) => {
        finish();
        fail(err, 'The demo readings could not be removed.');
      },
    );
  });

  demoButton.addEventListener('click', () => {
    if (busy) return;
    clear(alert);
    const existing = hooks.readingsShown();
    if (existing === 0) {
      loadDemo();
      return;
    }
    // Mixing made-up readings into real ones cannot be undone: ask first.
    clear(confirmSlot);
    const yes = h('button', { type: 'button', class: 'button button--primary' }, 'Add demo data');
    const no = h('button', { type: 'button', class: 'button button--secondary' }, 'Cancel');
    const box = h(
      'div',
      { class: 'import-confirm', role: 'group', 'aria-labelledby': 'demo-confirm-title' },
      h('p', { id: 'demo-confirm-title' }, h('strong', undefined, `You already have ${formatCount(existing)} readings in this report.`)),
      h('p', undefined, 'Demo readings would be mixed with them until you remove them with “Remove demo data”. Add them anyway?'),
      h('div', { class: 'button-row button-row--start' }, yes, no),
    );
    yes.addEventListener('click', () => loadDemo());
    no.addEventListener('click', () => {
      clear(confirmSlot);
      demoButton.focus();
    });
    confirmSlot.append(box);
    yes.focus();
  });

  return h(
    'section',
    { class: 'card import-card', 'aria-labelledby': 'import-title' },
    h(
      'div',
      { class: 'import-head' },
      h(
        'div',
        { class: 'import-text' },
        h('h2', { id: 'import-title' }, 'Add readings'),
        h('p', { class: 'card-intro' }, 'Import a Dexcom Clarity CSV export or Nightscout entries (.json), up to 20 MB. Importing the same file again adds nothing twice.'),
        h('p', { class: 'import-demo-note' }, 'No sensor data? “Load demo data” adds 14 days of synthetic, made-up readings ending now to your account, so you can explore the report.'),
      ),
      h('div', { class: 'button-row import-actions' }, importButton, demoButton, removeDemoButton),
    ),
    fileLabel,
    fileInput,
    progress,
    confirmSlot,
    alert,
    result,
  );
}

function showImportResult(region: HTMLElement, name: string, res: ImportResult, unitName: 'Line' | 'Entry'): void {
  const nothingNew = res.inserted === 0 && res.events === 0;
  region.append(
    h(
      'p',
      { class: 'import-summary', 'data-inserted': String(res.inserted), 'data-duplicates': String(res.duplicates) },
      h('strong', undefined, nothingNew ? `Nothing new in “${name}”: ` : `Imported “${name}”: `),
      importSummary(res),
    ),
  );
  if (res.skipped.length > 0) {
    const list = h('ul', { class: 'import-skipped' });
    for (const s of res.skipped.slice(0, MAX_SKIPPED_SHOWN)) {
      list.append(h('li', undefined, s.line > 0 ? `${unitName} ${s.line}: ${s.reason}` : s.reason));
    }
    if (res.skipped.length > MAX_SKIPPED_SHOWN) list.append(h('li', undefined, `…and ${formatCount(res.skipped.length - MAX_SKIPPED_SHOWN)} more.`));
    region.append(list);
  }
}
