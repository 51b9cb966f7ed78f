import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  changePassword,
  deleteMe,
  exportMe,
  login,
  logout,
  me,
  signup,
  updateMe,
} from '../src/api/accounts';
import { ApiError, parseRetryAfter, resetApiBaseCache } from '../src/api/client';
import { USER, json } from './fixtures';



interface Call {
  url: string;
  method: string | undefined;
  body: unknown;
  credentials: RequestCredentials | undefined;
  contentType: string | undefined;
}

/** Answers /config.json with `{api_base: "http://api.test"}` and every API call with `answer()`; records the calls. */
function mockApi(answer: () => Response): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url === '/config.json') return json({ api_base: 'http://api.test' });
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({
        url,
        method: init?.method,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body,
        credentials: init?.credentials,
        contentType: headers['Content-Type'],
      });
      return answer();
    }),
  );
  return calls;
}

const noContent = (): Response => new Response(null, { status: 204 });

beforeEach(() => resetApiBaseCache());
afterEach(() => vi.unstubAllGlobals());

describe('accounts client', () => {
  it.each([
    [
      'signup',
      () => signup({ username: 'jamie', password: 'correct horse', display_name: 'Jamie' }),
      () => json({ user: USER, token: 't' }, 201),
      'POST',
      '/api/auth/signup',
      { username: 'jamie', password: 'correct horse', display_name: 'Jamie' },
    ],
    [
      'login',
      () => login({ username: 'jamie', password: 'correct horse' }),
      () => json({ user: USER, token: 't' }),
      'POST',
      '/api/auth/login',
      { username: 'jamie', password: 'correct horse' },
    ],
    ['logout', () => logout(), noContent, 'POST', '/api/auth/logout', {}],
    ['me', () => me(), () => json(USER), 'GET', '/api/users/me', undefined],
    [
      'updateMe',
      () => updateMe({ display_name: 'J', settings: { glucose_unit: 'mmol/L', time_zone: 'America/Los_Angeles' } }),
      () => json(USER),
      'PATCH',
      '/api/users/me',
      { display_name: 'J', settings: { glucose_unit: 'mmol/L', time_zone: 'America/Los_Angeles' } },
    ],
    [
      'changePassword',
      () => changePassword('old password', 'new password!'),
      noContent,
      'POST',
      '/api/users/me/password',
      { current_password: 'old password', new_password: 'new password!' },
    ],
    ['exportMe', () => exportMe(), () => json({ user: USER }), 'GET', '/api/users/me/export', undefined],
    ['deleteMe', () => deleteMe('my password'), noContent, 'DELETE', '/api/users/me', { password: 'my password' }],
  ] as const)('%s sends %s %s with credentials', async (_name, call, answer, method, path, body) => {
    const calls = mockApi(answer);
    await call();
    expect(calls).toHaveLength(1);
    const [sent] = calls;
    expect(sent?.url).toBe(`http://api.test${path}`);
    expect(sent?.method).toBe(method);
    expect(sent?.credentials).toBe('include');
    expect(sent?.body).toEqual(body);
    expect(sent?.contentType).toBe(body === undefined ? undefined : 'application/json');
  });

  it('returns the user from signup, login and me', async () => {
    mockApi(() => json({ user: USER, token: 'jwt' }, 201));
    await expect(signup({ username: 'jamie', password: 'correct horse' })).resolves.toEqual({ user: USER, token: 'jwt' });
    mockApi(() => json(USER));
    await expect(me()).resolves.toEqual(USER);
  });

  it('resolves undefined for the 204 answers', async () => {
    mockApi(noContent);
    await expect(logout()).resolves.toBeUndefined();
    await expect(deleteMe('pw')).resolves.toBeUndefined();
    await expect(changePassword('a', 'b')).resolves.toBeUndefined();
  });

  it('leaves display_name out of signup when it is not given', async () => {
    const calls = mockApi(() => json({ user: USER, token: 't' }, 201));
    await signup({ username: 'jamie', password: 'correct horse' });
    expect(calls[0]?.body).toEqual({ username: 'jamie', password: 'correct horse' });
  });

  it('carries the field of a validation error and the conflict code', async () => {
    mockApi(() => json({ error: { code: 'conflict', message: 'username taken', field: 'username' } }, 409));
    const err = await signup({ username: 'jamie', password: 'correct horse' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).code).toBe('conflict');
    expect((err as ApiError).field).toBe('username');
  });

  it('reads Retry-After on a 429', async () => {
    mockApi(() => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'Retry-After': '30' }));
    const err = (await login({ username: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(30);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-27T08:30:00Z');
    expect(parseRetryAfter('Fri, 27 Nov 2026 08:30:45 GMT', now)).toBe(45);
    expect(parseRetryAfter('Fri, 27 Nov 2026 08:00:00 GMT', now)).toBe(0);
  });
});
