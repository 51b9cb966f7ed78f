import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, resetApiBaseCache } from '../src/api/client';
import {
  DEFAULT_PLATE_RULES,
  getLeaderboard,
  getMyStanding,
  getPlateRules,
  listAllFoods,
  searchFoods,
  startPlateSession,
  submitPlates,
} from '../src/api/plate';
import { json, stubApiFetch, type SeenRequest } from './fixtures';
import { BROCCOLI, SCORED, WATER } from './plate-fixtures';

let seen: SeenRequest[];
let answer: (url: string) => Response;

beforeEach(() => {
  resetApiBaseCache();
  seen = [];
  answer = () => json({});
  stubApiFetch((url) => answer(url), seen, vi.stubGlobal);
});

afterEach(() => vi.unstubAllGlobals());

describe('api/plate', () => {
  it('searches the catalog with q and limit', async () => {
    answer = () => json({ items: [BROCCOLI], next_cursor: null });
    const page = await searchFoods({ q: 'broc', limit: 12 });
    expect(page.items[0]?.name).toBe('Broccoli, boiled');
    expect(seen[0]).toMatchObject({ method: 'GET', url: 'http://api.test/api/foods?q=broc&limit=12', credentials: 'include' });
  });

  it('loads the whole catalog, following next_cursor', async () => {
    answer = (url) =>
      url.includes('cursor=') ? json({ items: [WATER], next_cursor: null }) : json({ items: [BROCCOLI], next_cursor: '500' });
    const foods = await listAllFoods();
    expect(foods.map((f) => f.id)).toEqual([1, 163]);
    expect(seen.map((s) => s.url)).toEqual(['http://api.test/api/foods?limit=500', 'http://api.test/api/foods?limit=500&cursor=500']);
  });

  it('reads the plate rules from GET /api/games, with defaults for anything missing', async () => {
    answer = () =>
      json({
        items: [
          { id: 'racing', name: 'Glucose Grand Prix', description: '', rules: { max_run_seconds: 600 } },
          { id: 'plate', name: 'Perfect Plate', description: '', rules: { max_plates: 3, min_seconds_per_plate: 7, sections: ['vegetables'] } },
        ],
      });
    const rules = await getPlateRules();
    expect(seen[0]?.url).toBe('http://api.test/api/games');
    expect(rules.min_seconds_per_plate).toBe(7);
    expect(rules.max_items_per_plate).toBe(DEFAULT_PLATE_RULES.max_items_per_plate);
    expect(rules.sections).toEqual(['vegetables']);
  });

  it('starts a plate session', async () => {
    answer = () => json({ session_id: 5, game: 'plate', started_at: 'a', expires_at: 'b', seed: 1 }, 201);
    const session = await startPlateSession();
    expect(session.session_id).toBe(5);
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://api.test/api/games/plate/sessions', credentials: 'include' });
  });

  it('posts the plates and returns the server’s scores', async () => {
    answer = () => json(SCORED, 201);
    const body = { game: 'plate' as const, session_id: 5, plates: [{ items: [{ food_id: 1, grams: 80, section: 'vegetables' as const }] }] };
    const result = await submitPlates(body);
    expect(result.plates[0]?.components.balance).toBe(334);
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://api.test/api/scores', body });
  });

  it('turns a 422 into an ApiError with the server’s message', async () => {
    answer = () => json({ error: { code: 'unprocessable', message: 'this session expired; start a new game', field: 'session_id' } }, 422);
    const failure = submitPlates({ game: 'plate', session_id: 5, plates: [{ items: [] }] });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 422, message: 'this session expired; start a new game' });
  });

  it('reads the leaderboard and the player’s standing', async () => {
    answer = (url) =>
      url.includes('/me')
        ? json({ game: 'plate', period: 'all', best: 900, rank: 3, players: 8, around: [] })
        : json({ game: 'plate', period: 'all', entries: [] });
    await getLeaderboard();
    await getMyStanding();
    expect(seen.map((s) => s.url)).toEqual([
      'http://api.test/api/scores?game=plate&period=all&limit=10',
      'http://api.test/api/scores/me?game=plate&period=all',
    ]);
  });
});
