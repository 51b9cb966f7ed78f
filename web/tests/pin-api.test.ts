import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, resetApiBaseCache } from '../src/api/client';
import { getSites, listAttempts, postAttempt } from '../src/api/pin';
import { json, unauthorized, stubApiFetch, type SeenRequest } from './fixtures';
import { SITES_G7_ADULT } from './pin-fixtures';

let seen: SeenRequest[];
let answer: (url: string) => Response;

beforeEach(() => {
  resetApiBaseCache();
  seen = [];
  answer = () => json({});
  stubApiFetch((url) => answer(url), seen, vi.stubGlobal);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const last = (): SeenRequest => {
  const call = seen[seen.length - 1];
  if (!call) throw new Error('no request');
  return call;
};

describe('Pin the Dexcom API client', () => {
  it('asks for the sites of a model and age group', async () => {
    answer = () => json(SITES_G7_ADULT);
    const sites = await getSites('g7', 'adult');
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/pin_dexcom/sites?model=g7&age_group=adult', credentials: 'include' });
    expect(sites.zones.filter((z) => z.approved).map((z) => z.id)).toEqual(['upper_arm_back_left', 'upper_arm_back_right']);
    expect(sites.models.g6?.warm_up_minutes).toBe(120);
  });

  it('POSTs an attempt as JSON with its obstacles, and returns the verdict', async () => {
    const verdict = { id: 3, correct: true, zone: 'upper_arm_back_left', reason: 'Good spot', score: 99, distance: 0 };
    answer = () => json(verdict, 201);
    const result = await postAttempt({
      model: 'g7',
      age_group: 'adult',
      view: 'back',
      x: 0.277,
      y: 0.279,
      obstacles: [{ kind: 'tattoo', view: 'back', x: 0.282, y: 0.245 }],
    });
    expect(result).toEqual(verdict);
    expect(last()).toMatchObject({
      method: 'POST',
      url: 'http://api.test/api/pin_dexcom/attempts',
      contentType: 'application/json',
      credentials: 'include',
      body: { model: 'g7', age_group: 'adult', view: 'back', x: 0.277, y: 0.279, obstacles: [{ kind: 'tattoo', view: 'back', x: 0.282, y: 0.245 }] },
    });
  });

  it('leaves out an empty obstacles list', async () => {
    answer = () => json({ id: 1, correct: false, zone: null, reason: 'off', score: 0, distance: 0.2 }, 201);
    await postAttempt({ model: 'g6', age_group: 'teen', view: 'front', x: 0.5, y: 0.4, obstacles: [] });
    expect(last().body).toEqual({ model: 'g6', age_group: 'teen', view: 'front', x: 0.5, y: 0.4 });
  });

  it('lists the latest attempts with a limit, or the server default without one', async () => {
    answer = () => json({ items: [], next_cursor: null, attempts: 0, correct: 0, accuracy_pct: 0, streak: 0 });
    await listAttempts(10);
    expect(last()).toMatchObject({ method: 'GET', url: 'http://api.test/api/pin_dexcom/attempts?limit=10' });
    await listAttempts();
    expect(last().url).toBe('http://api.test/api/pin_dexcom/attempts');
  });

  it('turns a 401 into an ApiError the page can recognise', async () => {
    answer = unauthorized;
    const err = await postAttempt({ model: 'g7', age_group: 'adult', view: 'back', x: 0.3, y: 0.3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
