/** Shared test data. */
import type { User } from '../src/api/accounts';

export const USER: User = {
  id: 7,
  username: 'jamie',
  display_name: 'Jamie',
  role: 'user',
  created_at: '2026-11-27T08:30:00Z',
  settings: {
    glucose_unit: 'mg/dL',
    target_low_mg_dl: 70,
    target_high_mg_dl: 180,
    time_zone: 'UTC',
    cgm_model: 'g7',
    age_group: 'adult',
  },
};

/** A copy of USER with some fields replaced. */
export function user(overrides: Partial<User> = {}): User {
  return { ...USER, ...overrides, settings: { ...USER.settings, ...overrides.settings } };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export interface ApiCall {
  method: string;
  path: string;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

/**
 * Stubs fetch: /config.json answers a same-origin api_base, /api/health is ok, and every other call goes to
 * `route(method, path, body, url)` (`url` for the query string). Returns the recorded API calls (health left out).
 */
export function mockRoutes(
  route: (method: string, path: string, body: unknown, url: URL) => Response | Promise<Response>,
  stub: (name: string, value: unknown) => unknown,
): ApiCall[] {
  const calls: ApiCall[] = [];
  stub('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: '' });
    if (url.pathname === '/api/health') return json({ status: 'ok', database: 'sqlite', version: '0.1.0' });
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path: url.pathname, body, credentials: init?.credentials });
    return route(method, url.pathname, body, url);
  });
  return calls;
}

/** One request an API-client test saw. */
export interface SeenRequest {
  method: string;
  url: string;
  body: unknown;
  credentials: RequestCredentials | undefined;
  contentType: string | undefined;
}

/**
 * Stubs fetch for API-client tests: /config.json points the client at http://api.test, every other request is
 * appended to `seen` and answered by `respond(url)`.
 */
export function stubApiFetch(
  respond: (url: string) => Response | Promise<Response>,
  seen: SeenRequest[],
  stub: (name: string, value: unknown) => unknown,
): void {
  stub('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith('/config.json')) return json({ api_base: 'http://api.test' });
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({
      method: init?.method ?? 'GET',
      url,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      credentials: init?.credentials,
      contentType: headers['Content-Type'],
    });
    return respond(url);
  });
}

export const healthy = async () => ({ status: 'ok', database: 'sqlite', version: '0.1.0' });

export const unauthorized = (): Response => json({ error: { code: 'unauthorized', message: 'sign in first' } }, 401);
