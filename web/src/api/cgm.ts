/**
 * CGM readings, imports, trends and diary events (openapi.yaml: /api/pin_dexcom/*, /api/events), plus the one
 * food-log call the Trends day view needs (GET /api/food_log?date=). Readings are stored in mg/dL; the user's
 * profile says how to show them.
 *
 * Range parameters (`from`, `to`) are either a day in the user's time zone (`2026-11-27`, meaning that whole day:
 * `from=D&to=D` is the one day D) or an RFC 3339 instant.
 */
import { apiRequest, type QueryValue } from './client';

/** The largest batch `POST /api/pin_dexcom/readings` takes. */
export const MAX_READINGS_PER_POST = 10_000;
/** The largest import `POST /api/pin_dexcom/import` takes (20 MiB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** The largest page `GET /api/pin_dexcom/readings` answers. */
export const MAX_READINGS_PAGE = 500;

export type ReadingFlag = 'low' | 'high';

/** One stored reading. `flag` is set for Dexcom's "Low" (stored as 39) and "High" (401). */
export interface Reading {
  /** RFC 3339, UTC. */
  at: string;
  mg_dl: number;
  mmol_l: number;
  flag: ReadingFlag | null;
}

/** A reading to add: whole mg/dL from 40 to 400. */
export interface NewReading {
  at: string;
  mg_dl: number;
}

export interface ReadingsPage {
  items: Reading[];
  next_cursor: string | null;
}

export interface AddReadingsResult {
  inserted: number;
  duplicates: number;
}

export interface ImportResult {
  inserted: number;
  duplicates: number;
  events: number;
  /** Lines (CSV, 1-based) or entries (JSON, 1-based) that were not imported, with the reason. */
  skipped: Array<{ line: number; reason: string }>;
}

/** Dexcom trend arrows (Nightscout's `direction`); `NONE` when too few recent readings give a rate. */
export type TrendName =
  | 'DoubleUp'
  | 'SingleUp'
  | 'FortyFiveUp'
  | 'Flat'
  | 'FortyFiveDown'
  | 'SingleDown'
  | 'DoubleDown'
  | 'NONE'
  | 'NOT COMPUTABLE'
  | 'RATE OUT OF RANGE'
  | (string & {});

export interface LatestReading {
  at: string;
  mg_dl: number;
  mmol_l: number;
  trend: TrendName;
  rate_mg_dl_per_min: number | null;
}

/** Percent of readings in each consensus range (mg/dL): <54, 54–69, 70–180, 181–250, >250. */
export interface Ranges {
  very_low: number;
  low: number;
  in_range: number;
  high: number;
  very_high: number;
}

/** The consensus targets (Battelino 2019) that the server reports beside the figures. */
export interface ConsensusTargets {
  in_range_pct_min: number;
  /** Below 70 mg/dL in total (very low included). */
  low_pct_max: number;
  very_low_pct_max: number;
  /** Above 180 mg/dL in total (very high included). */
  high_pct_max: number;
  very_high_pct_max: number;
  cv_pct_max: number;
}

/** One 15-minute bin of the ambulatory glucose profile, percentiles in mg/dL. */
export interface AgpBin {
  /** Start of the bin, minutes after local midnight. */
  minute: number;
  /** "HH:MM". */
  time: string;
  count: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface Trends {
  from: string;
  to: string;
  time_zone: string;
  days: number;
  readings: number;
  coverage_pct: number;
  mean_mg_dl: number | null;
  sd_mg_dl: number | null;
  cv_pct: number | null;
  gmi_pct: number | null;
  ranges: Ranges;
  targets: ConsensusTargets;
  sufficient: boolean;
  insufficient_reasons: string[];
  agp: AgpBin[];
  latest: LatestReading | null;
}

export type EventType = 'carbs' | 'insulin' | 'exercise' | 'sensor_insert' | 'note';

/** A diary event: value is grams (carbs), units (insulin) or minutes (exercise). */
export interface CgmEvent {
  id: number;
  type: EventType | (string & {});
  at: string;
  value: number | null;
  note: string | null;
}

export type Meal = 'breakfast' | 'lunch' | 'dinner' | 'snack';

/** The parts of a food-log entry the Trends day view shows. */
export interface FoodLogItem {
  id: number;
  food: { id: number | null; name: string; custom: boolean; gi: number | null };
  grams: number;
  meal: Meal | (string & {});
  eaten_at: string;
  carbs_g: number;
  available_carbs_g: number;
  gl: number | null;
}

export interface FoodLogDay {
  date: string;
  time_zone: string;
  items: FoodLogItem[];
  next_cursor: string | null;
}

/** A day (YYYY-MM-DD, user's time zone) or an instant. */
export type RangeArg = string | Date;

function rangeValue(value: RangeArg | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : toRfc3339(value);
}

/** `Date` → RFC 3339 in UTC without milliseconds ("2026-11-27T08:30:00Z"), as the API writes them. */
export function toRfc3339(date: Date | number): string {
  return new Date(typeof date === 'number' ? date : date.getTime()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `GET /api/pin_dexcom/trends`: the metrics and AGP for [from, to) (default the last 14 days). */
export function getTrends(range: { from?: RangeArg; to?: RangeArg } = {}, signal?: AbortSignal): Promise<Trends> {
  const query: Record<string, QueryValue> = { from: rangeValue(range.from), to: rangeValue(range.to) };
  return apiRequest<Trends>('GET', '/api/pin_dexcom/trends', signal ? { query, signal } : { query });
}

/** `GET /api/pin_dexcom/readings`: one page, oldest first. */
export function getReadingsPage(
  range: { from?: RangeArg; to?: RangeArg; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
): Promise<ReadingsPage> {
  const query: Record<string, QueryValue> = {
    from: rangeValue(range.from),
    to: rangeValue(range.to),
    limit: range.limit,
    cursor: range.cursor ?? undefined,
  };
  return apiRequest<ReadingsPage>('GET', '/api/pin_dexcom/readings', signal ? { query, signal } : { query });
}

/**
 * Every reading in [from, to), following `next_cursor` with the largest pages (at most `maxPages` pages, a guard
 * against a server that never stops).
 */
export async function getAllReadings(
  range: { from?: RangeArg; to?: RangeArg },
  signal?: AbortSignal,
  maxPages = 40,
): Promise<Reading[]> {
  const out: Reading[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const result: ReadingsPage = await getReadingsPage({ ...range, limit: MAX_READINGS_PAGE, cursor }, signal);
    out.push(...result.items);
    cursor = result.next_cursor;
    if (!cursor) break;
  }
  return out;
}

/** `POST /api/pin_dexcom/readings` with at most {@link MAX_READINGS_PER_POST} readings. */
export function addReadings(readings: readonly NewReading[], source?: 'demo'): Promise<AddReadingsResult> {
  const body = source ? { readings, source } : { readings };
  return apiRequest<AddReadingsResult>('POST', '/api/pin_dexcom/readings', { body });
}

/** `DELETE /api/pin_dexcom/readings?source=demo`: removes the synthetic demo readings only. */
export function deleteDemoReadings(): Promise<{ deleted: number }> {
  return apiRequest<{ deleted: number }>('DELETE', '/api/pin_dexcom/readings?source=demo');
}

/**
 * Adds any number of readings in batches the API accepts, one request after the other; `onBatch` hears about each
 * finished batch. Resolves with the totals.
 */
export async function addReadingsInBatches(
  readings: readonly NewReading[],
  onBatch?: (done: number, total: number) => void,
  batchSize: number = MAX_READINGS_PER_POST,
  source?: 'demo',
): Promise<AddReadingsResult> {
  const size = Math.max(1, Math.min(batchSize, MAX_READINGS_PER_POST));
  const batches = Math.ceil(readings.length / size);
  const total: AddReadingsResult = { inserted: 0, duplicates: 0 };
  for (let i = 0; i < batches; i += 1) {
    const result = await addReadings(readings.slice(i * size, (i + 1) * size), source);
    total.inserted += result.inserted;
    total.duplicates += result.duplicates;
    onBatch?.(i + 1, batches);
  }
  return total;
}

export type ImportFormat = 'clarity-csv' | 'nightscout-json';

export const IMPORT_CONTENT_TYPES: Record<ImportFormat, string> = {
  'clarity-csv': 'text/csv',
  'nightscout-json': 'application/json',
};

/** The format of a chosen file, by its name (.csv / .json), then its MIME type; null when neither says. */
export function importFormatOf(file: { name: string; type: string }): ImportFormat | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'clarity-csv';
  if (name.endsWith('.json')) return 'nightscout-json';
  const type = file.type.toLowerCase();
  if (type === 'text/csv' || type === 'application/vnd.ms-excel') return 'clarity-csv';
  if (type === 'application/json') return 'nightscout-json';
  return null;
}

/** `POST /api/pin_dexcom/import`: a Clarity CSV export as text/csv, or Nightscout entries as application/json. */
export function importReadings(data: Blob | string, format: ImportFormat): Promise<ImportResult> {
  return apiRequest<ImportResult>('POST', '/api/pin_dexcom/import', {
    raw: { data, contentType: IMPORT_CONTENT_TYPES[format] },
  });
}

/** `GET /api/events` for [from, to) (default the last 14 days). */
export async function getEvents(range: { from?: RangeArg; to?: RangeArg } = {}, signal?: AbortSignal): Promise<CgmEvent[]> {
  const query: Record<string, QueryValue> = { from: rangeValue(range.from), to: rangeValue(range.to) };
  const page = await apiRequest<{ items: CgmEvent[] }>('GET', '/api/events', signal ? { query, signal } : { query });
  return page.items;
}

/** `GET /api/food_log?date=`: the food-log entries of one day in the user's time zone. */
export function getFoodLogDay(date: string, signal?: AbortSignal): Promise<FoodLogDay> {
  const query = { date };
  return apiRequest<FoodLogDay>('GET', '/api/food_log', signal ? { query, signal } : { query });
}
