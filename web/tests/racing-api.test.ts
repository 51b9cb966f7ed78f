import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, resetApiBaseCache } from '../src/api/client';
import {
  DEFAULT_RACING_RULES,
  answerRacingQuestion,
  eventSourceFactory,
  getLeaderboard,
  getMyStanding,
  getRacingQuestion,
  leaderboardStreamUrl,
  listGames,
  parseLeaderboardEvent,
  parseRacingRules,
  racingRules,
  startSession,
  submitRacingScore,
} from '../src/api/games';
import { json } from './fixtures';

interface Call {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
}

const API = 'http://127.0.0.1:8520';

/** Stubs fetch: /config.json names API as the base; everything else goes to `route`. */
function stubApi(route: (method: string, url: URL, body: unknown) => Response): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/config.json') return json({ api_base: API });
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, url: String(input), body, headers: (init?.headers ?? {}) as Record<string, string>, credentials: init?.credentials });
    return route(method, url, body);
  });
  return calls;
}

beforeEach(() => resetApiBaseCache());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const ENTRY = { rank: 1, user_id: 3, display_name: 'Ana', score: 900, achieved_at: '2026-11-27T10:00:00Z' };

describe('games API client', () => {
  it('starts a racing session with a JSON body and credentials', async () => {
    const session = { session_id: 12, game: 'racing', started_at: '2026-11-27T10:00:00Z', expires_at: '2026-11-27T10:15:00Z', seed: 368556039 };
    const calls = stubApi(() => json(session, 201));
    await expect(startSession('racing')).resolves.toEqual(session);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${API}/api/games/racing/sessions`, body: {}, credentials: 'include' });
    expect(calls[0]?.headers['Content-Type']).toBe('application/json');
  });

  it('submits a racing score as whole points', async () => {
    const result = { score: { id: 5, game: 'racing', value: 1234, created_at: '2026-11-27T10:05:00Z' }, rank: 2, best: 1234, personal_best: true, in_top10: true };
    const calls = stubApi(() => json(result, 201));
    await expect(submitRacingScore(12, 1234.8)).resolves.toEqual(result);
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${API}/api/scores`, body: { game: 'racing', session_id: 12, score: 1234 } });
  });

  it('maps a refused score to an ApiError', async () => {
    stubApi(() => json({ error: { code: 'unprocessable', message: 'a score of 99999 is impossible 3 s into the session (at most 450)', field: 'score' } }, 422));
    const err = await submitRacingScore(12, 99999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'unprocessable', field: 'score' });
  });

  it('reads a leaderboard with game, period and limit', async () => {
    const calls = stubApi(() => json({ game: 'plate', period: 'week', entries: [ENTRY] }));
    const board = await getLeaderboard('plate', 'week', 10);
    expect(board.entries).toEqual([ENTRY]);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.url).toBe(`${API}/api/scores?game=plate&period=week&limit=10`);
  });

  it('reads the player’s standing', async () => {
    const standing = { game: 'racing', period: 'day', players: 40, best: 300, rank: 14, around: [ENTRY] };
    const calls = stubApi(() => json(standing));
    await expect(getMyStanding('racing', 'day')).resolves.toEqual(standing);
    expect(calls[0]?.url).toBe(`${API}/api/scores/me?game=racing&period=day`);
  });

  it('asks for a pit-stop question and answers it', async () => {
    const question = { question_id: 3, question: 'What is the 15-15 rule?', answers: [{ id: 1, text: 'Eat 15 g…' }, { id: 2, text: 'Rest' }] };
    const answer = { correct: true, correct_answer_id: 1, explanation: 'Have 15 g…', source: 'ADA' };
    const calls = stubApi((method) => json(method === 'GET' ? question : answer));
    await expect(getRacingQuestion(12)).resolves.toEqual(question);
    await expect(answerRacingQuestion(12, 3, 1)).resolves.toEqual(answer);
    expect(calls[0]?.url).toBe(`${API}/api/games/racing/question?session_id=12`);
    expect(calls[1]).toMatchObject({ method: 'POST', url: `${API}/api/games/racing/answer`, body: { session_id: 12, question_id: 3, answer_id: 1 } });
  });

  it('reads the racing rules from /api/games, falling back per number', async () => {
    const rules = { ...DEFAULT_RACING_RULES, max_points_per_second: 120, target_low_mg_dl: 80 };
    stubApi(() => json({ items: [{ id: 'plate', name: 'Perfect Plate', description: '', rules: {} }, { id: 'racing', name: 'Glucose Grand Prix', description: '', rules }] }));
    await expect(racingRules()).resolves.toEqual(rules);
    await expect(listGames()).resolves.toHaveLength(2);
    expect(parseRacingRules(undefined)).toEqual(DEFAULT_RACING_RULES);
    expect(parseRacingRules({ max_run_seconds: 'lots', quiz_bonus_points: -1, session_ttl_seconds: 60 })).toEqual({
      ...DEFAULT_RACING_RULES,
      session_ttl_seconds: 60,
    });
  });

  it('builds the stream URL on the API base and opens it with credentials', async () => {
    stubApi(() => json({}));
    await expect(leaderboardStreamUrl('racing')).resolves.toBe(`${API}/api/scores/stream?game=racing`);
    const seen: Array<[string, EventSourceInit | undefined]> = [];
    class FakeEventSource {
      constructor(url: string, init?: EventSourceInit) {
        seen.push([url, init]);
      }
    }
    vi.stubGlobal('EventSource', FakeEventSource);
    eventSourceFactory.create('http://x/api/scores/stream?game=plate');
    expect(seen).toEqual([['http://x/api/scores/stream?game=plate', { withCredentials: true }]]);
  });

  it('parses leaderboard events and ignores anything else', () => {
    expect(parseLeaderboardEvent(JSON.stringify({ game: 'racing', period: 'all', entries: [ENTRY] }))).toEqual({ game: 'racing', period: 'all', entries: [ENTRY] });
    expect(parseLeaderboardEvent('not json')).toBeNull();
    expect(parseLeaderboardEvent(JSON.stringify({ game: 'chess', entries: [] }))).toBeNull();
    expect(parseLeaderboardEvent(JSON.stringify({ game: 'plate' }))).toBeNull();
    expect(parseLeaderboardEvent('null')).toBeNull();
  });
});
