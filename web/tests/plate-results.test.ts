/** The results screens (the server's feedback made readable) and the page's mount and test hook. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetApiBaseCache } from '../src/api/client';
import { Plate } from '../src/games/plate/state';
import { leaderboardTable, practiceNotes, practiceResults, scoredResults } from '../src/games/plate/results';
import { resetSessionForTests } from '../src/ui/session';
import { mountPlate } from '../src/views/plate';
import { USER, json, mockRoutes } from './fixtures';
import { APPLE, CATALOG, CHICKEN, OLIVE_OIL, ROMAINE, SCORED, WATER } from './plate-fixtures';

function lunch(): Plate {
  const plate = new Plate('lunch');
  plate.add(ROMAINE, 'vegetables', 150);
  plate.add(CHICKEN, 'protein');
  plate.add(APPLE, 'carbohydrate');
  plate.add(WATER, 'drink');
  return plate;
}

describe('scored results', () => {
  it('explains each plate: feedback with words, the four parts out of their maximum, shares and GL', () => {
    const onPlayAgain = vi.fn();
    const el = scoredResults(
      { plates: [lunch()], result: SCORED, leaderboard: null, standing: null, userId: USER.id, maxPlateScore: 1000 },
      { onPlayAgain },
    );
    const parts = [...el.querySelectorAll('.score-part')].map((p) => [p.querySelector('.part-name')?.textContent, p.querySelector('.part-value')?.textContent]);
    expect(parts).toEqual([
      ['Balance', '334 / 400'],
      ['Placement', '200 / 200'],
      ['Drink', '150 / 150'],
      ['Glycemic load', '169 / 250'],
    ]);
    expect(el.querySelector('.score-part--glycemic_load .part-bar-fill')?.getAttribute('style')).toContain('width: 67.6%');
    expect(el.querySelector('.result-facts')?.textContent).toBe(
      'By weight: vegetables 40% (aim 50%), protein 19% (aim 25%), carbohydrate 41% (aim 25%). Glycemic load 19.7 (10 or less is low, 20 or more is high).',
    );
    expect([...el.querySelectorAll('.feedback--good .feedback-text')].map((n) => n.textContent)).toEqual(['Water or a zero-calorie drink: perfect.']);
    expect(el.querySelectorAll('.feedback--tip')).toHaveLength(2);
    expect(el.querySelector('.rating')?.textContent).toBe('Great plate');
    expect(el.querySelector('.total-sum')?.textContent).toBe('Plates 853, time bonus 100');
    expect(el.querySelector('#plate-rank')?.textContent).toBe('Rank #2New personal bestTop 10');
    expect(el.querySelector('.result-board')?.textContent).toContain('could not be loaded');
    // The little plate describes itself.
    expect(el.querySelector('svg.plate-board--mini')?.getAttribute('aria-label')).toBe(
      'Plate 1: Lunch. Romaine lettuce, raw 150 g in vegetables, Chicken breast, roasted 85 g in protein, Apple, raw 182 g in carbohydrate, Water 237 g in drink.',
    );
    el.querySelector<HTMLButtonElement>('#plate-play-again')?.click();
    expect(onPlayAgain).toHaveBeenCalled();
  });

  it('adds the player below the top 10 when they are not in it, marked in words', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, user_id: 100 + i, display_name: `P${i + 1}`, score: 2000 - i, achieved_at: '' }));
    const me = { rank: 14, user_id: USER.id, display_name: '<b>Jamie</b>', score: 900, achieved_at: '' };
    const table = leaderboardTable({ game: 'plate', period: 'all', entries }, USER.id, { game: 'plate', period: 'all', best: 900, rank: 14, players: 20, around: [me] });
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(12);
    const last = rows.at(-1);
    expect(last?.classList.contains('is-you')).toBe(true);
    expect(last?.textContent).toBe('#14<b>Jamie</b>You900');
    expect(table.querySelector('b')).toBeNull(); // a display name is text
  });
});

describe('relaxed results', () => {
  it('gives plain notes, no points', () => {
    const plate = new Plate('dinner');
    plate.add(APPLE, 'vegetables');
    plate.add(OLIVE_OIL, 'protein');
    expect(practiceNotes(plate)).toEqual([
      'Apple, raw is carbohydrate: its place is the carbohydrate section.',
      'Nothing in the carbohydrate quarter.',
      'No drink: the method pairs the plate with water or a zero-calorie drink.',
    ]);
    expect(practiceNotes(lunch())).toEqual(['Every section has food, and each food is in its own section.']);
    expect(practiceNotes(new Plate('lunch'))).toEqual(['The plate was empty.']);
  });

  it('invites a guest to sign in, and tells a signed-in player how to get scored', () => {
    const guest = practiceResults([lunch()], false, { onPlayAgain: () => undefined });
    expect(guest.querySelector('a[href="/signin.html?next=%2Fplate.html"]')?.textContent).toBe('Sign in to save scores');
    expect(guest.querySelector('.result-plate-score')).toBeNull();
    const member = practiceResults([lunch()], true, { onPlayAgain: () => undefined });
    expect(member.textContent).toContain('Relaxed games are not scored and do not go on the leaderboard.');
    expect(member.querySelector('a[href^="/signin.html"]')).toBeNull();
  });
});

describe('the page', () => {
  beforeEach(() => {
    resetApiBaseCache();
    resetSessionForTests();
    window.localStorage.clear();
    delete window.__glucoplayPlate;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    window.history.replaceState(null, '', '/');
  });

  const routes = (method: string, path: string): Response => {
    if (path === '/api/foods') return json({ items: CATALOG, next_cursor: null });
    if (path === '/api/games') return json({ items: [{ id: 'plate', name: 'Perfect Plate', description: '', rules: { max_plates: 3 } }] });
    return json({ error: { code: 'not_found', message: `${method} ${path}` } }, 404);
  };

  it('loads the catalog and shows the start screen; the test hook needs ?test=1', async () => {
    const calls = mockRoutes(routes, vi.stubGlobal);
    const root = document.createElement('main');
    document.body.replaceChildren(root);
    const game = await mountPlate(root);
    expect(game?.state()['screen']).toBe('setup');
    expect(root.querySelector('h1')?.textContent).toBe('Perfect Plate');
    // A guest (no session hint): no /api/users/me, relaxed only.
    expect(calls.map((c) => c.path).sort()).toEqual(['/api/foods', '/api/games']);
    expect(root.querySelector<HTMLInputElement>('#plate-relaxed')?.disabled).toBe(true);
    expect(window.__glucoplayPlate).toBeUndefined();

    window.history.replaceState(null, '', '/plate.html?test=1');
    root.replaceChildren();
    await mountPlate(root);
    expect(window.__glucoplayPlate?.state()['screen']).toBe('setup');
  });

  it('says so when the foods cannot be loaded', async () => {
    mockRoutes(() => json({ error: { code: 'internal', message: 'boom' } }, 500), vi.stubGlobal);
    const root = document.createElement('main');
    document.body.replaceChildren(root);
    expect(await mountPlate(root)).toBeNull();
    expect(root.querySelector('[role="alert"]')?.textContent).toMatch(/The foods could not be loaded/);
  });
});
