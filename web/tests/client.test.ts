import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  apiPost,
  apiRequest,
  fallbackApiBase,
  getHealth,
  resetApiBaseCache,
  resolveApiBase,
} from '../src/api/client';

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A fetch mock that routes by URL: `/config.json` → `config()`, anything else → `api(url, init)`. */
function mockFetch(config: () => Promise<Response>, api: (url: string, init?: RequestInit) => Promise<Response>) {
  const fn = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    return url === '/config.json' ? config() : api(url, init);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

const HEALTH = { status: 'ok', database: 'sqlite', version: '0.1.0' };

function apiCalls(fn: ReturnType<typeof mockFetch>): FetchArgs[] {
  return fn.mock.calls.filter(([input]) => String(input) !== '/config.json');
}

beforeEach(() => resetApiBaseCache());
afterEach(() => vi.unstubAllGlobals());

describe('API base URL', () => {
  it('uses api_base from /config.json on the page origin', async () => {
    const fn = mockFetch(
      async () => json({ api_base: 'http://127.0.0.1:8520' }),
      async () => json(HEALTH),
    );
    await expect(getHealth()).resolves.toEqual(HEALTH);
    expect(fn.mock.calls[0]?.[0]).toBe('/config.json');
    expect(apiCalls(fn)[0]?.[0]).toBe('http://127.0.0.1:8520/api/health');
  });

  it('treats an empty api_base as the same origin', async () => {
    const fn = mockFetch(
      async () => json({ api_base: '' }),
      async () => json(HEALTH),
    );
    await getHealth();
    expect(apiCalls(fn)[0]?.[0]).toBe('/api/health');
  });

  it('drops a trailing slash from api_base', async () => {
    mockFetch(
      async () => json({ api_base: 'https://api.example.test/' }),
      async () => json(HEALTH),
    );
    await expect(resolveApiBase()).resolves.toBe('https://api.example.test');
  });

  it.each([
    ['a 404', async () => new Response('not found', { status: 404 })],
    ['HTML instead of JSON', async () => new Response('<!doctype html><title>x</title>', { status: 200 })],
    ['JSON without api_base', async () => json({ something: 'else' })],
    ['a non-string api_base', async () => json({ api_base: 8520 })],
  ])('falls back to port 8520 on the page host after %s', async (_label, config) => {
    const fn = mockFetch(config, async () => json(HEALTH));
    await getHealth();
    const expected = `${window.location.protocol}//${window.location.hostname}:8520`;
    expect(apiCalls(fn)[0]?.[0]).toBe(`${expected}/api/health`);
  });

  it('does not guess a base URL when /config.json got no answer, and asks again next time', async () => {
    let calls = 0;
    const fn = mockFetch(async () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new TypeError('Failed to fetch'));
      return json({ api_base: 'https://api.example.test' });
    }, async () => json(HEALTH));
    await expect(getHealth()).rejects.toMatchObject({ status: 0, code: 'network_error' });
    await getHealth();
    expect(apiCalls(fn)[0]?.[0]).toBe('https://api.example.test/api/health');
  });

  it.each([
    ['a 503', async () => new Response('busy', { status: 503 })],
    ['a 429', async () => new Response('slow down', { status: 429 })],
    [
      'an answer that broke off',
      async () => {
        const body = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"api_base": "http://127.0.0.1:'));
            controller.error(new TypeError('network error'));
          },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    ],
  ])('does not guess a base URL after %s, and asks again next time', async (_label, broken) => {
    let calls = 0;
    const fn = mockFetch(async () => {
      calls += 1;
      return calls === 1 ? broken() : json({ api_base: 'https://api.example.test' });
    }, async () => json(HEALTH));
    await expect(getHealth()).rejects.toMatchObject({ status: 0, code: 'network_error' });
    await getHealth();
    expect(apiCalls(fn)[0]?.[0]).toBe('https://api.example.test/api/health');
  });

  it('builds the fallback from protocol and hostname', () => {
    expect(fallbackApiBase({ protocol: 'https:', hostname: 'glucoplay.example' })).toBe(
      'https://glucoplay.example:8520',
    );
  });

  it('fetches /config.json once and caches the answer', async () => {
    const fn = mockFetch(
      async () => json({ api_base: 'http://127.0.0.1:8520' }),
      async () => json(HEALTH),
    );
    await Promise.all([getHealth(), getHealth()]);
    await getHealth();
    expect(fn.mock.calls.filter(([input]) => String(input) === '/config.json')).toHaveLength(1);
    expect(apiCalls(fn)).toHaveLength(3);
  });
});

describe('requests', () => {
  it('sends credentials: include and asks for JSON', async () => {
    const fn = mockFetch(
      async () => json({ api_base: '' }),
      async () => json(HEALTH),
    );
    await getHealth();
    const init = apiCalls(fn)[0]?.[1];
    expect(init?.credentials).toBe('include');
    expect(init?.method).toBe('GET');
    expect((init?.headers as Record<string, string>)['Accept']).toBe('application/json');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('sends a JSON body with Content-Type: application/json', async () => {
    const fn = mockFetch(
      async () => json({ api_base: '' }),
      async () => json({ id: 1 }, 201),
    );
    await expect(apiPost('/api/food_log', { food_id: 3, grams: 120 })).resolves.toEqual({ id: 1 });
    const init = apiCalls(fn)[0]?.[1];
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('include');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init?.body).toBe('{"food_id":3,"grams":120}');
  });

  it('adds a query string and leaves out empty values', async () => {
    const fn = mockFetch(
      async () => json({ api_base: '' }),
      async () => json({ items: [] }),
    );
    await apiRequest('GET', '/api/foods', { query: { q: 'apple pie', limit: 20, cursor: undefined, x: null } });
    expect(apiCalls(fn)[0]?.[0]).toBe('/api/foods?q=apple+pie&limit=20');
  });

  it('returns undefined for 204 No Content', async () => {
    mockFetch(
      async () => json({ api_base: '' }),
      async () => new Response(null, { status: 204 }),
    );
    await expect(apiRequest('POST', '/api/auth/logout')).resolves.toBeUndefined();
  });
});

describe('ApiError', () => {
  async function failWith(response: () => Promise<Response>): Promise<ApiError> {
    mockFetch(async () => json({ api_base: '' }), response);
    try {
      await apiPost('/api/food_log', { grams: 0 });
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      return err as ApiError;
    }
    throw new Error('expected the request to fail');
  }

  it('maps the error shape to status, code, message and field', async () => {
    const err = await failWith(async () =>
      json(
        { error: { code: 'validation_failed', message: 'grams must be between 1 and 5000', field: 'grams' } },
        400,
      ),
    );
    expect(err.status).toBe(400);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('grams must be between 1 and 5000');
    expect(err.field).toBe('grams');
    expect(err.name).toBe('ApiError');
    expect(err).toBeInstanceOf(Error);
  });

  it('leaves field undefined when the error has none', async () => {
    const err = await failWith(async () => json({ error: { code: 'unauthorized', message: 'sign in first' } }, 401));
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
    expect(err.field).toBeUndefined();
  });

  it('derives a code from the status when the body is not the error shape', async () => {
    const err = await failWith(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(err.status).toBe(502);
    expect(err.code).toBe('internal');
    expect(err.message).toContain('502');

    const tooMany = await failWith(async () => new Response('', { status: 429 }));
    expect(tooMany.code).toBe('rate_limited');
  });

  it('reports an unreachable server as status 0, network_error', async () => {
    const err = await failWith(async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });

  it('rejects a 2xx answer that is not JSON', async () => {
    const err = await failWith(async () => new Response('not json', { status: 200 }));
    expect(err.code).toBe('bad_response');
  });
});
