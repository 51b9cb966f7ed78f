/**
 * Perfect Plate: the calls the game needs (API.md "Games and leaderboards", "Food log and glycemic index";
 * docs/openapi.yaml). Every call goes through {@link apiRequest}. The server scores every plate; the client only
 * sends what is on the plates and shows the answer.
 */
import { apiRequest } from './client';

export const PLATE_GAME = 'plate';

/** The plate's four places, in the order the game shows them. */
export type Section = 'vegetables' | 'protein' | 'carbohydrate' | 'drink';
export const SECTIONS: readonly Section[] = ['vegetables', 'protein', 'carbohydrate', 'drink'];

/** A catalog food's place by the Diabetes Plate Method; `fat` foods are extras that go in any section. */
export type PlateGroup = Section | 'fat';
export type Band = 'low' | 'medium' | 'high';

/** A catalog food (`GET /api/foods`), the fields the game uses. */
export interface PlateFood {
  id: number;
  /** Catalog text; rendered as text only. */
  name: string;
  category: string;
  plate_group: PlateGroup | (string & {});
  /** Glucose = 100; null where carbohydrate is negligible. */
  gi: number | null;
  gi_category: Band | null;
  carbs_per_100g: number;
  serving_g: number;
  /** e.g. "1 medium (182 g)". */
  serving_desc: string;
  gl_per_serving: number | null;
  gl_category?: Band | null;
}

export interface FoodPage {
  items: PlateFood[];
  next_cursor: string | null;
}

/** The plate game's rules as `GET /api/games` publishes them. */
export interface PlateRules {
  max_plates: number;
  max_items_per_plate: number;
  min_seconds_per_plate: number;
  session_ttl_seconds: number;
  max_plate_score: number;
  time_bonus_per_plate: number;
  sections: string[];
  source: string;
}

export interface GameInfo {
  id: string;
  name: string;
  description: string;
  rules: Record<string, unknown>;
}

/** What the game assumes when `GET /api/games` cannot be read (the values in server/src/games/rules.hpp). */
export const DEFAULT_PLATE_RULES: PlateRules = {
  max_plates: 3,
  max_items_per_plate: 12,
  min_seconds_per_plate: 5,
  session_ttl_seconds: 1800,
  max_plate_score: 1000,
  time_bonus_per_plate: 100,
  sections: [...SECTIONS],
  source: 'American Diabetes Association, Diabetes Plate Method',
};

/** `POST /api/games/plate/sessions` → 201. */
export interface GameSession {
  session_id: number;
  game: string;
  /** RFC 3339, UTC. */
  started_at: string;
  expires_at: string;
  seed: number;
}

export interface PlateItemInput {
  food_id: number;
  grams: number;
  section: Section;
}

export interface PlateSubmission {
  game: typeof PLATE_GAME;
  session_id: number;
  plates: Array<{ items: PlateItemInput[] }>;
}

export interface Feedback {
  kind: 'good' | 'tip' | (string & {});
  message: string;
}

/** One plate as the server scored it. */
export interface PlateResult {
  score: number;
  components: { balance: number; placement: number; drink: number; glycemic_load: number };
  /** The plate's glycemic load. */
  gl: number;
  /** Shares of the food (drinks and fats left out) by weight, 0..1. */
  shares: { vegetables: number; protein: number; carbohydrate: number };
  feedback: Feedback[];
}

/** `POST /api/scores` for the plate game → 201. */
export interface PlateScoreResult {
  score: { id: number; game: string; value: number; created_at: string };
  rank: number;
  best?: number;
  personal_best: boolean;
  in_top10: boolean;
  plates: PlateResult[];
  time_bonus: number;
}

export interface LeaderboardEntry {
  rank: number;
  user_id: number;
  /** Chosen by a user: text only. */
  display_name: string;
  score: number;
  achieved_at: string;
}

export type Period = 'all' | 'week' | 'day';

export interface Leaderboard {
  game: string;
  period: Period;
  entries: LeaderboardEntry[];
}

/** `GET /api/scores/me`. */
export interface Standing {
  game: string;
  period: Period;
  best: number | null;
  rank: number | null;
  players: number;
  around: LeaderboardEntry[];
}

/** `GET /api/foods?q=&plate_group=&limit=` (public). */
export function searchFoods(
  params: { q?: string; plate_group?: PlateGroup; limit?: number; cursor?: string },
  signal?: AbortSignal,
): Promise<FoodPage> {
  const query = { q: params.q, plate_group: params.plate_group, limit: params.limit, cursor: params.cursor };
  return apiRequest<FoodPage>('GET', '/api/foods', signal ? { query, signal } : { query });
}

/** The whole catalog (a few hundred foods), following `next_cursor`; stops after `maxPages` pages. */
export async function listAllFoods(signal?: AbortSignal, maxPages = 5): Promise<PlateFood[]> {
  const foods: PlateFood[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await searchFoods(cursor ? { limit: 500, cursor } : { limit: 500 }, signal);
    foods.push(...answer.items);
    if (!answer.next_cursor) break;
    cursor = answer.next_cursor;
  }
  return foods;
}

/** `GET /api/games` → the plate game's rules, with {@link DEFAULT_PLATE_RULES} filling anything missing. */
export async function getPlateRules(signal?: AbortSignal): Promise<PlateRules> {
  const answer = await apiRequest<{ items: GameInfo[] }>('GET', '/api/games', signal ? { signal } : {});
  const plate = answer.items.find((g) => g.id === PLATE_GAME);
  const rules = plate?.rules ?? {};
  const num = (key: keyof PlateRules): number => {
    const value = rules[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : (DEFAULT_PLATE_RULES[key] as number);
  };
  return {
    max_plates: num('max_plates'),
    max_items_per_plate: num('max_items_per_plate'),
    min_seconds_per_plate: num('min_seconds_per_plate'),
    session_ttl_seconds: num('session_ttl_seconds'),
    max_plate_score: num('max_plate_score'),
    time_bonus_per_plate: num('time_bonus_per_plate'),
    sections: Array.isArray(rules['sections']) ? (rules['sections'] as string[]) : [...DEFAULT_PLATE_RULES.sections],
    source: typeof rules['source'] === 'string' ? rules['source'] : DEFAULT_PLATE_RULES.source,
  };
}

/** `POST /api/games/plate/sessions` (signed in) → the session whose clock the server checks the plates against. */
export function startPlateSession(): Promise<GameSession> {
  return apiRequest<GameSession>('POST', `/api/games/${PLATE_GAME}/sessions`, { body: {} });
}

/** `POST /api/scores` with the plates: the server scores them, records the total and answers with the breakdown. */
export function submitPlates(submission: PlateSubmission): Promise<PlateScoreResult> {
  return apiRequest<PlateScoreResult>('POST', '/api/scores', { body: submission });
}

/** `GET /api/scores?game=plate&period=&limit=` (public). */
export function getLeaderboard(period: Period = 'all', limit = 10): Promise<Leaderboard> {
  return apiRequest<Leaderboard>('GET', '/api/scores', { query: { game: PLATE_GAME, period, limit } });
}

/** `GET /api/scores/me?game=plate` (signed in): best, rank and how many players. */
export function getMyStanding(period: Period = 'all'): Promise<Standing> {
  return apiRequest<Standing>('GET', '/api/scores/me', { query: { game: PLATE_GAME, period } });
}
