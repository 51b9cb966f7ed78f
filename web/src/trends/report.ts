/**
 * The Report tab: the AGP report of the last 14, 30 or 90 days from GET /api/pin_dexcom/trends — the latest
 * reading with its trend arrow, the time-in-ranges bar, the metric tiles with their targets, and the AGP chart with
 * its numbers in a table. When the server says the data are not sufficient, its reasons come first.
 */
import { getTrends, type AgpBin, type LatestReading, type Trends } from '../api/cgm';
import { renderAgpChart } from '../charts/trends-agp';
import { clear, h } from '../ui/dom';
import { describeError } from '../ui/forms';
import { trendArrow, trendInfo } from './arrows';
import { sentence, type TrendsContext } from './context';
import { buildTiles, rangeBands, type Tile } from './metrics';
import { dataTable, tableDetails } from './table';
import { dayInZone, formatAgo, formatDateTime, formatDay, formatMinute } from './time';
import {
  formatCount,
  formatGlucose,
  formatGlucoseNumber,
  formatGlucoseRange,
  formatPercent,
  formatRate,
  formatReading,
} from './units';

export type Period = 14 | 30 | 90;
export const PERIODS: readonly Period[] = [14, 30, 90];

/**
 * The query for a period ending now. 14 days is the server's default, so nothing is sent (a `from` computed from
 * this browser's clock could come out a moment short of 14 days on the server and be called insufficient).
 */
export function periodQuery(period: Period, now: number = Date.now()): { from?: Date } {
  return period === 14 ? {} : { from: new Date(now - period * 86_400_000) };
}

export interface ReportPanel {
  element: HTMLElement;
  /** Loads (again) the chosen period. */
  load(): Promise<void>;
  period(): Period;
  /** The last report shown (null before the first answer). */
  current(): Trends | null;
}

export function createReport(ctx: TrendsContext, options: { period?: Period; onPeriod?: (p: Period) => void } = {}): ReportPanel {
  let period: Period = options.period ?? 14;
  let trends: Trends | null = null;
  let charts: Array<{ destroy(): void }> = [];
  let controller: AbortController | null = null;

  const status = h('p', { class: 'report-status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'report-body' });
  const picker = periodPicker(period, (p) => {
    period = p;
    options.onPeriod?.(p);
    void load();
  });
  const element = h(
    'div',
    { class: 'report', 'data-state': 'loading' },
    h('div', { class: 'report-bar' }, picker.element, status),
    body,
  );

  const destroyCharts = (): void => {
    for (const chart of charts) chart.destroy();
    charts = [];
  };

  async function load(): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    element.dataset['state'] = 'loading';
    element.setAttribute('aria-busy', 'true');
    status.textContent = `Loading the last ${period} days…`;
    try {
      const result = await getTrends(periodQuery(period), mine.signal);
      if (controller !== mine) return;
      trends = result;
      destroyCharts();
      clear(body);
      status.textContent = '';
      render(result);
    } catch (err) {
      if (controller !== mine || (err instanceof DOMException && err.name === 'AbortError')) return;
      element.dataset['state'] = 'error';
      status.textContent = '';
      destroyCharts();
      clear(body);
      const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
      retry.addEventListener('click', () => void load());
      body.append(h('div', { class: 'card report-error' }, h('p', { role: 'alert' }, `The report could not be loaded. ${describeError(err)}`), retry));
    } finally {
      if (controller === mine) element.removeAttribute('aria-busy');
    }
  }

  function render(t: Trends): void {
    element.dataset['sufficient'] = String(t.sufficient);
    body.append(summaryLine(t, ctx));
    if (t.readings === 0) {
      element.dataset['state'] = 'empty';
      body.append(
        h(
          'div',
          { class: 'card report-empty' },
          h('h2', undefined, `No readings in the last ${period} days`),
          h('p', undefined, 'Import a Dexcom Clarity CSV export or Nightscout entries above, or load the synthetic demo data to see what the report looks like.'),
        ),
      );
      return;
    }
    element.dataset['state'] = 'ready';
    if (!t.sufficient) body.append(insufficientNotice(t));

    const agpCanvas = h('canvas', { role: 'img', 'aria-label': agpLabel(t, ctx) });
    body.append(
      h('div', { class: 'report-top' }, latestCard(t.latest, ctx), rangesCard(t, ctx)),
      tilesCard(buildTiles(t, ctx.unit)),
      agpCard(t, ctx, agpCanvas),
    );
    charts.push(renderAgpChart(agpCanvas, { bins: t.agp, unit: ctx.unit, targetLow: ctx.targetLow, targetHigh: ctx.targetHigh }));
  }

  return {
    element,
    load,
    period: () => period,
    current: () => trends,
  };
}

// ---- parts -----------------------------------------------------------------------------------------------------

function periodPicker(initial: Period, onChange: (p: Period) => void): { element: HTMLElement } {
  const segments = h('div', { class: 'segmented' });
  for (const p of PERIODS) {
    const id = `report-period-${p}`;
    const radio = h('input', { type: 'radio', id, name: 'report-period', value: String(p), class: 'segmented-input' });
    radio.checked = p === initial;
    radio.addEventListener('change', () => {
      if (radio.checked) onChange(p);
    });
    segments.append(radio, h('label', { for: id, class: 'segmented-label' }, `${p} days`));
  }
  return { element: h('fieldset', { class: 'report-period' }, h('legend', { class: 'label' }, 'Period'), segments) };
}

function summaryLine(t: Trends, ctx: TrendsContext): HTMLElement {
  const from = dayInZone(Date.parse(t.from), ctx.zone);
  const to = dayInZone(Date.parse(t.to) - 1000, ctx.zone);
  return h(
    'p',
    { class: 'report-summary' },
    h('strong', { id: 'report-readings', 'data-count': String(t.readings) }, formatCount(t.readings)),
    t.readings === 1 ? ' reading' : ' readings',
    ` from ${formatDay(from)} to ${formatDay(to)} · times in ${t.time_zone || ctx.zone}`,
  );
}

function insufficientNotice(t: Trends): HTMLElement {
  const list = h('ul', { class: 'notice-list' });
  for (const reason of t.insufficient_reasons) list.append(h('li', undefined, sentence(reason)));
  return h(
    'div',
    { class: 'notice notice--warn report-insufficient', role: 'note', 'aria-labelledby': 'insufficient-title' },
    h('p', { id: 'insufficient-title' }, h('strong', undefined, 'Not enough data for a reliable report.')),
    list,
    h('p', undefined, 'The figures below use the readings there are: read them with care. A full report needs 14 days with at least 70\u00a0% of the readings.'),
  );
}

function latestCard(latest: LatestReading | null, ctx: TrendsContext): HTMLElement {
  const card = h('section', { class: 'card latest-card', 'aria-labelledby': 'latest-title' }, h('h2', { id: 'latest-title' }, 'Latest reading'));
  if (!latest) {
    card.append(h('p', { class: 'card-intro' }, 'No reading in this period.'));
    return card;
  }
  const info = trendInfo(latest.trend, ctx.unit);
  const at = Date.parse(latest.at);
  const value = latest.mg_dl < 40 || latest.mg_dl > 400 ? formatReading(latest, ctx.unit) : formatGlucoseNumber(latest.mg_dl, ctx.unit);
  const where = latest.mg_dl < ctx.targetLow ? 'below your target' : latest.mg_dl > ctx.targetHigh ? 'above your target' : 'in your target range';
  card.append(
    h(
      'div',
      { class: 'latest-main' },
      h('p', { class: 'latest-value' }, h('span', { class: 'latest-number' }, value), latest.mg_dl >= 40 && latest.mg_dl <= 400 ? h('span', { class: 'latest-unit' }, ` ${ctx.unit}`) : null),
      h('div', { class: 'latest-trend' }, trendArrow(info), h('p', { class: 'latest-trend-label' }, h('strong', undefined, capitalise(info.label)), h('span', undefined, info.detail))),
    ),
    h(
      'p',
      { class: 'latest-meta' },
      `${capitalise(where)}. `,
      latest.rate_mg_dl_per_min !== null ? `Changing ${formatRate(latest.rate_mg_dl_per_min, ctx.unit)}. ` : '',
      h('time', { datetime: latest.at }, `${formatDateTime(at, ctx.zone)}`),
      ` (${formatAgo(at)}).`,
    ),
  );
  return card;
}

function rangesCard(t: Trends, ctx: TrendsContext): HTMLElement {
  const bands = rangeBands(t, ctx.unit);
  const bar = h('div', { class: 'tir-bar', 'aria-hidden': 'true' });
  const legend = h('ul', { class: 'tir-legend' });
  for (const band of bands) {
    const segment = h('div', { class: `tir-segment tir-${band.id}` });
    segment.style.flexGrow = String(band.pct);
    if (band.pct <= 0) segment.hidden = true;
    bar.append(segment);
    legend.append(
      h(
        'li',
        { class: `tir-item tir-item--${band.id}`, 'data-band': band.id },
        h('span', { class: `tir-swatch tir-${band.id}`, 'aria-hidden': 'true' }),
        h('span', { class: 'tir-name' }, h('strong', undefined, band.label), h('span', { class: 'tir-detail' }, band.detail)),
        h('span', { class: 'tir-pct' }, formatPercent(band.pct)),
      ),
    );
  }
  return h(
    'section',
    { class: 'card tir-card', 'aria-labelledby': 'tir-title' },
    h('h2', { id: 'tir-title' }, 'Time in ranges'),
    h('div', { class: 'tir' }, bar, legend),
    h('p', { class: 'tir-note' }, `Share of readings in each range (consensus ranges, ${formatGlucoseRange(70, 180, ctx.unit)} in range).`),
  );
}

const STATUS_MARK: Record<Tile['status'], string> = { met: '✓', 'not-met': '✗', info: 'i', unknown: '–' };

function tilesCard(tiles: Tile[]): HTMLElement {
  const list = h('ul', { class: 'tiles' });
  for (const tile of tiles) {
    list.append(
      h(
        'li',
        { class: 'tile', 'data-tile': tile.id, 'data-status': tile.status },
        h('p', { class: 'tile-label' }, tile.label),
        h('p', { class: 'tile-detail' }, tile.detail),
        tileValue(tile.display),
        tile.targetText ? h('p', { class: 'tile-target' }, tile.targetText) : null,
        h('p', { class: 'tile-status' }, h('span', { class: 'tile-mark', 'aria-hidden': 'true' }, STATUS_MARK[tile.status]), tile.statusText),
      ),
    );
  }
  return h(
    'section',
    { class: 'card tiles-card', 'aria-labelledby': 'tiles-title' },
    h('h2', { id: 'tiles-title' }, 'Glucose metrics'),
    h('p', { class: 'card-intro' }, 'Targets for most adults with type 1 or type 2 diabetes (International Consensus on Time in Range, 2019). Your care team may set others.'),
    list,
  );
}

/** "56.7 %" → a big "56.7" and a small "%"; "173 mg/dL" likewise. */
function tileValue(display: string): HTMLElement {
  const match = /^(\S+)\s+(.+)$/.exec(display);
  return match
    ? h('p', { class: 'tile-value' }, match[1], h('span', { class: 'tile-unit' }, `\u00a0${match[2]}`))
    : h('p', { class: 'tile-value' }, display);
}

function agpCard(t: Trends, ctx: TrendsContext, canvas: HTMLCanvasElement): HTMLElement {
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    legendItem('legend-median', 'Median (50 % of readings above, 50 % below)'),
    legendItem('legend-inner', '25–75 %: the middle half of readings'),
    legendItem('legend-outer', '5–95 %: all but the highest and lowest 5 %'),
    legendItem('legend-target', `Your target range ${formatGlucoseRange(ctx.targetLow, ctx.targetHigh, ctx.unit)}`),
  );
  return h(
    'section',
    { class: 'card agp-card', 'aria-labelledby': 'agp-title' },
    h('h2', { id: 'agp-title' }, 'Daily pattern (AGP)'),
    h('p', { class: 'card-intro' }, `Every day of the period laid over one 24-hour day, in 15-minute steps: where your glucose usually is at each time of day. Glucose in ${ctx.unit}.`),
    h('div', { class: 'chart-box chart-box--agp' }, canvas),
    legend,
    tableDetails('Show the AGP as a table', agpTable(t.agp, ctx)),
  );
}

export function legendItem(kind: string, text: string): HTMLElement {
  return h('li', undefined, h('span', { class: `legend-key ${kind}`, 'aria-hidden': 'true' }), text);
}

function agpTable(bins: readonly AgpBin[], ctx: TrendsContext): HTMLTableElement {
  const g = (v: number): string => formatGlucoseNumber(v, ctx.unit);
  return dataTable(
    `Ambulatory glucose profile, ${ctx.unit}, by time of day`,
    ['Time', 'Readings', '5 %', '25 %', 'Median', '75 %', '95 %'],
    bins.map((b) => [`${formatMinute(b.minute)}–${formatMinute(b.minute + 15)}`, String(b.count), g(b.p5), g(b.p25), g(b.p50), g(b.p75), g(b.p95)]),
  );
}

/** The AGP in one sentence, for the canvas's aria-label. */
export function agpLabel(t: Trends, ctx: TrendsContext): string {
  if (t.agp.length === 0) return 'Daily glucose pattern: no readings.';
  let lowest = t.agp[0]!;
  let highest = t.agp[0]!;
  for (const b of t.agp) {
    if (b.p50 < lowest.p50) lowest = b;
    if (b.p50 > highest.p50) highest = b;
  }
  return (
    `Daily glucose pattern (AGP) for the last ${Math.round(t.days)} days. ` +
    `The median is highest at ${formatMinute(highest.minute)} (${formatGlucose(highest.p50, ctx.unit)}) ` +
    `and lowest at ${formatMinute(lowest.minute)} (${formatGlucose(lowest.p50, ctx.unit)}). ` +
    'The numbers are in the table below the chart.'
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}


