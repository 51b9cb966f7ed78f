/**
 * The typed GlucoPlay API client: the ONE module that calls `fetch`.
 *
 * Base URL: the page first asks its own origin for `/config.json` (`{"api_base": "http://127.0.0.1:8520"}` from
 * the C++ web listener; `{"api_base": ""}` behind nginx, meaning same origin). If that fails, it falls back to
 * port 8520 on the page's host. The resolution runs once per page load and is cached.
 *
 * Every request sends cookies (`credentials: 'include'`); JSON bodies carry `Content-Type: application/json`.
 * A non-2xx answer becomes an {@link ApiError} built from the API's one error shape
 * `{"error": {"code", "message", "field"?}}`.
 */

/** Default API port (see DESIGN.md: API on 8520, web UI on 4887). */
export const DEFAULT_API_PORT = 8520;

/** The path, on the page's own origin, of the runtime configuration document. */
export const CONFIG_PATH = '/config.json';

/** Error codes from API.md, plus `network_error` (no answer at all) and `bad_response` (unreadable body). */
export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal'
  | 'network_error'
  | 'bad_response'
  | (string & {});

/** A failed API call. `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  /** Seconds to wait before retrying, from the `Retry-After` header (429, 503); undefined when absent. */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/** `GET /api/health`. */
export interface Health {
  status: string;
  database: string;
  version: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is with this Content-Type instead of a JSON `body` (file uploads such as a CSV export). */
  raw?: { data: Blob | string; contentType: string };
  /** Appended as a query string; `null`/`undefined` values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

/** Status → code, for error answers that do not carry the API's error shape (e.g. from a proxy). */
const STATUS_CODES: Record<number, ApiErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

let apiBasePromise: Promise<string> | null = null;

/** The base URL that API paths are appended to ('' means the page's own origin). Cached after the first call. */
export function resolveApiBase(): Promise<string> {
  apiBasePromise ??= loadApiBase();
  return apiBasePromise;
}

/** Forget the cached base URL (tests; or after the configuration changed). */
export function resetApiBaseCache(): void {
  apiBasePromise = null;
}

/** `${protocol}//${hostname}:8520` of the current page. */
export function fallbackApiBase(loc: Pick<Location, 'protocol' | 'hostname'> = window.location): string {
  return `${loc.protocol}//${loc.hostname}:${DEFAULT_API_PORT}`;
}

async function loadApiBase(): Promise<string> {
  let response: Response;
  try {
    response = await fetch(CONFIG_PATH, {
      method: 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
  } catch {
    // No answer at all (usually the page is being left mid-request): guessing port 8520 now would
    // send this page's last calls to the wrong place. Fail, and ask again next time.
    apiBasePromise = null;
    throw new ApiError(0, 'network_error', 'The GlucoPlay server could not be reached.');
  }
  // A busy or failing server (429, 5xx) has not said there is no configuration: guessing now could
  // send the whole page to the wrong place, so fail as above and ask again next time.
  if (response.status === 429 || response.status >= 500) {
    apiBasePromise = null;
    throw new ApiError(0, 'network_error', 'The GlucoPlay server could not be reached.');
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    // The answer broke off (the page being left, a dropped connection): the same as no answer.
    apiBasePromise = null;
    throw new ApiError(0, 'network_error', 'The GlucoPlay server could not be reached.');
  }
  if (response.ok) {
    try {
      const config: unknown = JSON.parse(text);
      if (isRecord(config) && typeof config['api_base'] === 'string') {
        return config['api_base'].trim().replace(/\/+$/, '');
      }
    } catch {
      // Not JSON (HTML from an SPA fallback): use the default below.
    }
  }
  // No configuration document (404), or one without api_base: the default.
  return fallbackApiBase();
}

/** Calls the API and returns the parsed JSON answer (`undefined` for an empty body, e.g. 204). */
export async function apiRequest<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const base = await resolveApiBase();
  const url = base + path + queryString(options.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'include', headers };
  if (options.raw) {
    headers['Content-Type'] = options.raw.contentType;
    init.body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(0, 'network_error', 'The GlucoPlay server could not be reached.');
  }

  const text = await response.text().catch(() => '');
  const payload = parseJson(text);
  if (!response.ok) throw toApiError(response, payload);
  if (text === '') return undefined as T;
  if (payload === INVALID) throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
  return payload as T;
}

export const apiGet = <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> =>
  apiRequest<T>('GET', path, { query, signal });
export const apiPost = <T>(path: string, body?: unknown): Promise<T> => apiRequest<T>('POST', path, { body });
export const apiPatch = <T>(path: string, body: unknown): Promise<T> => apiRequest<T>('PATCH', path, { body });
export const apiDelete = <T = void>(path: string, body?: unknown): Promise<T> =>
  apiRequest<T>('DELETE', path, { body });

/** `GET /api/health` → `{status, database, version}`. */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return apiGet<Health>('/api/health', undefined, signal);
}

// ---- helpers -------------------------------------------------------------------------------------------------

const INVALID = Symbol('invalid-json');

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (isRecord(payload) && isRecord(payload['error'])) {
    const error = payload['error'];
    const code = typeof error['code'] === 'string' ? error['code'] : codeForStatus(response.status);
    const message = typeof error['message'] === 'string' ? error['message'] : defaultMessage(response);
    const field = typeof error['field'] === 'string' ? error['field'] : undefined;
    return new ApiError(response.status, code, message, field, retryAfter);
  }
  return new ApiError(response.status, codeForStatus(response.status), defaultMessage(response), undefined, retryAfter);
}

/**
 * `Retry-After: 30` → 30; an HTTP date → the whole seconds until then (at least 0); anything else → undefined.
 * Cross-origin, the header is only readable when the API lists it in `Access-Control-Expose-Headers`.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function codeForStatus(status: number): ApiErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_response');
}

function defaultMessage(response: Response): string {
  return `Request failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
