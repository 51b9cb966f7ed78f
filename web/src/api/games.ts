/**
 * Games, sessions, scores and leaderboards (API.md "Games and leaderboards"; docs/openapi.yaml). Every request
 * goes through {@link apiRequest}; the live leaderboard is an `EventSource` on the API base that client.ts
 * resolves, opened with credentials like every other call.
 */
import { apiRequest, resolveApiBase } from './client';

export type GameId = 'racing' | 'plate';
export type Period = 'all' | 'week' | 'day';

export const GAMES: ReadonlyArray<{ id: GameId; name: string }> = [
  { id: 'racing', name: 'Glucose Grand Prix' },
  { id: 'plate', name: 'Perfect Plate' },
];

export const PERIODS: ReadonlyArray<{ id: Period; label: string }> = [
  { id: 'all', label: 'All time' },
  { id: 'week', label: 'This week' },
  { id: 'day', label: 'Today' },
];

/** The numbers the server enforces for Glucose Grand Prix (`GET /api/games`, `rules` of `racing`). */
export interface RacingRules {
  max_points_per_second: number;
  max_run_seconds: number;
  quiz_bonus_points: number;
  session_ttl_seconds: number;
  target_low_mg_dl: number;
  target_high_mg_dl: number;
}

/** What the server published when this was written (server/src/games/rules.hpp); used until /api/games answers. */
export const DEFAULT_RACING_RULES: Readonly<RacingRules> = {
  max_points_per_second: 150,
  max_run_seconds: 600,
  quiz_bonus_points: 250,
  session_ttl_seconds: 900,
  target_low_mg_dl: 70,
  target_high_mg_dl: 180,
};

export interface GameInfo {
  id: GameId;
  name: string;
  description: string;
  rules: Record<string, unknown>;
}

export interface GameSession {
  session_id: number;
  game: GameId;
  /** RFC 3339, UTC. */
  started_at: string;
  expires_at: string;
  /** Seeds the game's item sequence (and, on the server, the quiz order). */
  seed: number;
}

export interface LeaderboardEntry {
  rank: number;
  user_id: number;
  /** Plain text chosen by the player: render it as text, never as markup. */
  display_name: string;
  score: number;
  /** RFC 3339, UTC. */
  achieved_at: string;
}

export interface Leaderboard {
  game: GameId;
  period: Period;
  entries: LeaderboardEntry[];
}

/** `GET /api/scores/me`: the caller's best and rank in the period (null when they have no score there). */
export interface Standing {
  game: GameId;
  period: Period;
  best: number | null;
  rank: number | null;
  players: number;
  /** The caller's row with up to two neighbours on each side. */
  around: LeaderboardEntry[];
}

export interface ScoreResult {
  score: { id: number; game: GameId; value: number; created_at: string };
  /** All-time rank of the player's best. */
  rank: number;
  best: number;
  personal_best: boolean;
  in_top10: boolean;
}

export interface QuizQuestion {
  question_id: number;
  question: string;
  answers: Array<{ id: number; text: string }>;
}

export interface QuizAnswer {
  correct: boolean;
  correct_answer_id: number;
  explanation: string;
  source: string;
}

/** `GET /api/games` → the games with the rules the server enforces. */
export async function listGames(signal?: AbortSignal): Promise<GameInfo[]> {
  const answer = await apiRequest<{ items: GameInfo[] }>('GET', '/api/games', signal ? { signal } : {});
  return answer.items;
}

/** The racing rules from `GET /api/games`, each number falling back to {@link DEFAULT_RACING_RULES}. */
export async function racingRules(signal?: AbortSignal): Promise<RacingRules> {
  const games = await listGames(signal);
  return parseRacingRules(games.find((g) => g.id === 'racing')?.rules);
}

export function parseRacingRules(raw: Record<string, unknown> | undefined): RacingRules {
  const rules: RacingRules = { ...DEFAULT_RACING_RULES };
  if (!raw) return rules;
  for (const key of Object.keys(rules) as (keyof RacingRules)[]) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) rules[key] = value;
  }
  return rules;
}

/** `POST /api/games/{game}/sessions` (signed in) → a session with its seed. */
export function startSession(game: GameId): Promise<GameSession> {
  // The server wants a JSON body on every POST, even an empty one.
  return apiRequest<GameSession>('POST', `/api/games/${game}/sessions`, { body: {} });
}

/** `POST /api/scores` for a racing session. 422 when the score is impossible or the session is used/expired. */
export function submitRacingScore(sessionId: number, score: number): Promise<ScoreResult> {
  return apiRequest<ScoreResult>('POST', '/api/scores', {
    body: { game: 'racing', session_id: sessionId, score: Math.max(0, Math.floor(score)) },
  });
}

/** `GET /api/scores?game=&period=&limit=` (public) → the top entries, one per player. */
export function getLeaderboard(game: GameId, period: Period = 'all', limit = 10, signal?: AbortSignal): Promise<Leaderboard> {
  return apiRequest<Leaderboard>('GET', '/api/scores', { query: { game, period, limit }, signal });
}

/** `GET /api/scores/me?game=&period=` (signed in) → the caller's best, rank and neighbours. */
export function getMyStanding(game: GameId, period: Period = 'all', signal?: AbortSignal): Promise<Standing> {
  return apiRequest<Standing>('GET', '/api/scores/me', { query: { game, period }, signal });
}

/** `GET /api/games/racing/question?session_id=` → the next pit-stop question (422 when none are left). */
export function getRacingQuestion(sessionId: number): Promise<QuizQuestion> {
  return apiRequest<QuizQuestion>('GET', '/api/games/racing/question', { query: { session_id: sessionId } });
}

/** `POST /api/games/racing/answer` → whether it was right, with the explanation and its source. */
export function answerRacingQuestion(sessionId: number, questionId: number, answerId: number): Promise<QuizAnswer> {
  return apiRequest<QuizAnswer>('POST', '/api/games/racing/answer', {
    body: { session_id: sessionId, question_id: questionId, answer_id: answerId },
  });
}

// ---- live leaderboard ---------------------------------------------------------------------------------------

/** The URL of `GET /api/scores/stream?game=` on the API base. */
export async function leaderboardStreamUrl(game: GameId): Promise<string> {
  const base = await resolveApiBase();
  return `${base}/api/scores/stream?${new URLSearchParams({ game }).toString()}`;
}

/** Opens the stream (credentials included, as for every other API call). Tests replace `eventSourceFactory.create`. */
export const eventSourceFactory = {
  create(url: string): EventSource {
    return new EventSource(url, { withCredentials: true });
  },
};

/** Reads a `leaderboard` event's data; null when it is not a leaderboard. */
export function parseLeaderboardEvent(data: string): Leaderboard | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const board = value as Partial<Leaderboard>;
  if ((board.game !== 'racing' && board.game !== 'plate') || !Array.isArray(board.entries)) return null;
  return { game: board.game, period: board.period ?? 'all', entries: board.entries };
}
