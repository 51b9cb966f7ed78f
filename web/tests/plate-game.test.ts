/**
 * The Perfect Plate game in jsdom: placing foods by click-then-click, by keyboard and by dragging; portions and
 * removal; the 5-second rule; the POST /api/scores body; results and errors; relaxed (guest) games.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { DEFAULT_PLATE_RULES, type LeaderboardEntry, type PlateSubmission } from '../src/api/plate';
import { PlateGame, type PlateApi } from '../src/games/plate/game';
import { USER } from './fixtures';
import { BROCCOLI, CATALOG, CHICKEN, QUINOA, ROMAINE, SALMON, SCORED, WATER } from './plate-fixtures';

const flush = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const ENTRIES: LeaderboardEntry[] = [
  { rank: 1, user_id: 3, display_name: 'Ana', score: 1200, achieved_at: '2026-11-26T10:00:00Z' },
  { rank: 2, user_id: USER.id, display_name: USER.display_name, score: 953, achieved_at: '2026-11-27T19:00:00Z' },
];

interface Harness {
  game: PlateGame;
  host: HTMLElement;
  announcer: HTMLElement;
  api: { [K in keyof PlateApi]: ReturnType<typeof vi.fn> } & PlateApi;
  setClock: (ms: number) => void;
}

function setup(options: { user?: typeof USER | null; roundSeconds?: number } = {}): Harness {
  document.body.replaceChildren();
  const host = document.createElement('div');
  const announcer = document.createElement('p');
  document.body.append(announcer, host);
  let clock = 0;
  const api = {
    startSession: vi.fn(async () => ({ session_id: 77, game: 'plate', started_at: '', expires_at: '', seed: 1 })),
    submit: vi.fn(async (_body: PlateSubmission) => SCORED),
    leaderboard: vi.fn(async () => ({ game: 'plate', period: 'all' as const, entries: ENTRIES })),
    standing: vi.fn(async () => ({ game: 'plate', period: 'all' as const, best: 953, rank: 2, players: 5, around: [] })),
    search: vi.fn(async (query: string) => CATALOG.filter((f) => f.name.toLowerCase().includes(query.toLowerCase()))),
  };
  const game = new PlateGame({
    host,
    announcer,
    catalog: CATALOG,
    rules: DEFAULT_PLATE_RULES,
    user: options.user === undefined ? USER : options.user,
    api: api as Harness['api'],
    now: () => clock,
    ...(options.roundSeconds ? { roundSeconds: options.roundSeconds } : {}),
  });
  game.showSetup();
  return { game, host, announcer, api: api as Harness['api'], setClock: (ms) => (clock = ms) };
}

/** A mouse click or tap (detail 1), or the click a keyboard's Enter makes on a button (detail 0). */
function click(el: Element | null, detail = 1): void {
  if (!el) throw new Error('nothing to click');
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail }));
}

function key(el: Element | null, name: string): void {
  if (!el) throw new Error('no element for the key');
  el.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
}

const card = (host: HTMLElement, id: number): HTMLButtonElement | null => host.querySelector(`.food-card[data-food-id="${id}"]`);
const section = (host: HTMLElement, name: string): SVGGElement | null => host.querySelector(`.plate-section--${name}`);

async function start(h: Harness, choice: { plates?: 1 | 3; relaxed?: boolean } = {}): Promise<void> {
  const radios = h.host.querySelectorAll<HTMLInputElement>('input[name="plate-count"]');
  for (const radio of radios) radio.checked = Number(radio.value) === (choice.plates ?? 1);
  const relaxed = h.host.querySelector<HTMLInputElement>('#plate-relaxed');
  if (relaxed && !relaxed.disabled) relaxed.checked = choice.relaxed ?? false;
  h.host.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
  await flush();
}

function items(h: Harness): Array<{ food_id: number; grams: number; section: string }> {
  const plates = h.game.state()['plates'] as Array<{ served: boolean; items: Array<{ food_id: number; grams: number; section: string }> }>;
  const current = plates.find((p) => !p.served) ?? plates.at(-1);
  return (current?.items ?? []).map(({ food_id, grams, section: s }) => ({ food_id, grams, section: s }));
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('placing foods', () => {
  let h: Harness;
  beforeEach(async () => {
    h = setup();
    await start(h);
  });

  it('places a food by clicking it and then a section', () => {
    expect(h.game.state()['screen']).toBe('play');
    const broccoli = card(h.host, BROCCOLI.id);
    click(broccoli);
    expect(broccoli?.getAttribute('aria-pressed')).toBe('true');
    expect(h.announcer.textContent).toMatch(/Broccoli, boiled picked/);
    expect(section(h.host, 'vegetables')?.getAttribute('aria-label')).toMatch(/Put Broccoli, boiled here$/);
    click(section(h.host, 'vegetables'));
    expect(items(h)).toEqual([{ food_id: 1, grams: 78, section: 'vegetables' }]);
    expect(h.announcer.textContent).toBe('Broccoli, boiled, 78 g, added to vegetables.');
    expect(broccoli?.getAttribute('aria-pressed')).toBe('false');
    // The plate shows it, and its section's name lists it.
    expect(h.host.querySelectorAll('.plate-foods .plate-food')).toHaveLength(1);
    expect(section(h.host, 'vegetables')?.getAttribute('aria-label')).toContain('Broccoli, boiled 78 g');
    expect(h.host.querySelector('.placed-item .placed-name')?.textContent).toContain('Broccoli, boiled');
  });

  it('a second click on the picked food puts it back; a section with nothing picked says what to do', () => {
    click(card(h.host, CHICKEN.id));
    click(card(h.host, CHICKEN.id));
    expect(h.game.state()['selected']).toBeNull();
    click(section(h.host, 'protein'));
    expect(items(h)).toEqual([]);
    expect(h.announcer.textContent).toMatch(/Pick a food from the tray first/);
  });

  it('works from the keyboard: Enter on a food, Enter on a section, focus back on the food', () => {
    const chicken = card(h.host, CHICKEN.id);
    chicken?.focus();
    click(chicken, 0); // what Enter on a <button> does
    expect(document.activeElement).toBe(section(h.host, 'vegetables'));
    const protein = section(h.host, 'protein');
    protein?.focus();
    key(protein, 'Enter');
    expect(items(h)).toEqual([{ food_id: 106, grams: 85, section: 'protein' }]);
    expect(document.activeElement).toBe(card(h.host, CHICKEN.id));

    // Space works too, and Escape puts a picked food back.
    click(card(h.host, WATER.id), 0);
    key(document.activeElement, 'Escape');
    expect(h.game.state()['selected']).toBeNull();
    expect(document.activeElement).toBe(card(h.host, WATER.id));
    click(card(h.host, WATER.id), 0);
    key(section(h.host, 'drink'), ' ');
    expect(items(h)).toContainEqual({ food_id: 163, grams: 237, section: 'drink' });
  });

  it('places a food by dragging it onto a section (pointer events)', () => {
    const target = section(h.host, 'carbohydrate')?.querySelector('path') ?? null;
    document.elementFromPoint = vi.fn((x: number) => (x > 300 ? target : null)) as typeof document.elementFromPoint;
    const quinoa = card(h.host, QUINOA.id);
    if (!quinoa) throw new Error('no quinoa card');
    const pointer = (type: string, x: number, y: number): void => {
      const event = new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0 });
      Object.defineProperty(event, 'pointerId', { value: 1 });
      Object.defineProperty(event, 'pointerType', { value: 'mouse' });
      quinoa.dispatchEvent(event);
    };
    pointer('pointerdown', 10, 10);
    pointer('pointermove', 200, 40);
    expect(document.querySelector('.drag-ghost')).not.toBeNull();
    pointer('pointermove', 400, 60);
    expect(section(h.host, 'carbohydrate')?.classList.contains('is-drop-target')).toBe(true);
    pointer('pointerup', 400, 60);
    click(quinoa); // the click that ends the drag is not a pick
    expect(items(h)).toEqual([{ food_id: 59, grams: 185, section: 'carbohydrate' }]);
    expect(h.game.state()['selected']).toBeNull();
    expect(document.querySelector('.drag-ghost')).toBeNull();
    expect(h.announcer.textContent).toBe('Quinoa, boiled, 185 g, added to carbohydrate.');
  });

  it('changes portions with − / + and the grams field, and removes items', () => {
    click(card(h.host, BROCCOLI.id));
    click(section(h.host, 'vegetables'));
    click(card(h.host, SALMON.id));
    click(section(h.host, 'protein'));
    const more = h.host.querySelector<HTMLButtonElement>('[aria-label="More Broccoli, boiled"]');
    click(more);
    click(h.host.querySelector('[aria-label="More Broccoli, boiled"]'));
    expect(items(h)[0]?.grams).toBe(90);
    expect(h.announcer.textContent).toBe('Broccoli, boiled: 90 g.');
    click(h.host.querySelector('[aria-label="Less Broccoli, boiled"]'));
    expect(items(h)[0]?.grams).toBe(80);

    const grams = h.host.querySelector<HTMLInputElement>('[aria-label="Grams of Salmon, baked"]');
    if (!grams) throw new Error('no grams field');
    grams.value = '120';
    grams.dispatchEvent(new Event('change'));
    expect(items(h)[1]).toEqual({ food_id: 116, grams: 120, section: 'protein' });
    const again = h.host.querySelector<HTMLInputElement>('[aria-label="Grams of Salmon, baked"]');
    if (!again) throw new Error('no grams field');
    again.value = '';
    key(again, 'Enter');
    expect(items(h)[1]?.grams).toBe(120); // an empty field keeps the amount

    click(h.host.querySelector('[aria-label="Remove Broccoli, boiled from vegetables"]'));
    expect(items(h)).toEqual([{ food_id: 116, grams: 120, section: 'protein' }]);
    expect(h.announcer.textContent).toBe('Broccoli, boiled removed from vegetables.');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove Salmon, baked from protein');
  });

  it('searches the catalog', async () => {
    const input = h.host.querySelector<HTMLInputElement>('#plate-food-search');
    if (!input) throw new Error('no search');
    input.value = 'sal';
    input.dispatchEvent(new Event('input'));
    await flush(300);
    expect(h.api.search).toHaveBeenCalledWith('sal', expect.any(AbortSignal));
    expect(h.host.querySelector('.tray-status')?.textContent).toBe('1 food matches “sal”.');
    expect(h.host.querySelectorAll('.food-card')).toHaveLength(1);
    expect(h.host.querySelector('.food-card .gi-tag')?.textContent).toBe('No GI');
  });
});

describe('a timed game', () => {
  it('opens a session, refuses a plate served too fast, then sends the plates and shows the server’s scores', async () => {
    const h = setup();
    await start(h, { plates: 1 });
    expect(h.api.startSession).toHaveBeenCalledTimes(1);
    expect(h.host.querySelector('.round-timer')?.textContent).toContain('1:00');
    for (const [food, where] of [[ROMAINE, 'vegetables'], [CHICKEN, 'protein'], [QUINOA, 'carbohydrate'], [WATER, 'drink']] as const) {
      click(card(h.host, food.id));
      click(section(h.host, where));
    }
    h.setClock(2_000);
    click(h.host.querySelector('#plate-serve'));
    expect(h.host.querySelector('.serve-note')?.textContent).toMatch(/at least 5 seconds: you can serve in 3 s/);
    expect(h.api.submit).not.toHaveBeenCalled();

    h.setClock(6_000);
    click(h.host.querySelector('#plate-serve'));
    await flush();
    await flush();
    expect(h.api.submit).toHaveBeenCalledWith({
      game: 'plate',
      session_id: 77,
      plates: [
        {
          items: [
            { food_id: 4, grams: 47, section: 'vegetables' },
            { food_id: 106, grams: 85, section: 'protein' },
            { food_id: 59, grams: 185, section: 'carbohydrate' },
            { food_id: 163, grams: 237, section: 'drink' },
          ],
        },
      ],
    });
    expect(h.game.state()['screen']).toBe('results');
    expect(h.host.querySelector('#plate-total')?.textContent).toBe('953');
    expect(h.host.querySelector('#plate-rank')?.textContent).toContain('Rank #2 of 5 players');
    expect(h.host.querySelector('.result-plate-score')?.textContent).toBe('853 / 1,000 points');
    const feedback = [...h.host.querySelectorAll('.feedback')].map((li) => li.textContent);
    expect(feedback).toEqual([
      '!TipNon-starchy vegetables are 40% of the plate; aim for half.',
      '!TipCarbohydrate foods are 41% of the plate; a quarter is enough.',
      '✓GoodWater or a zero-calorie drink: perfect.',
    ]);
    const you = h.host.querySelector('.board-table tr.is-you');
    expect(you?.textContent).toContain('Jamie');
    expect(you?.textContent).toContain('You');
    expect(h.announcer.textContent).toBe('Your score: 953 points. Rank 2. A new personal best!');
    expect(document.activeElement?.id).toBe('page-title');
  });

  it('serves the plate as it is when the time runs out, and pauses the clock', async () => {
    const h = setup({ roundSeconds: 8 });
    await start(h, { plates: 1 });
    vi.useFakeTimers();
    click(card(h.host, BROCCOLI.id));
    click(section(h.host, 'vegetables'));
    click(h.host.querySelector('#plate-pause'));
    expect(h.game.state()['paused']).toBe(true);
    expect(h.host.querySelector('.pause-overlay')?.hasAttribute('hidden')).toBe(false);
    expect(h.host.querySelector('.board-wrap')?.hasAttribute('inert')).toBe(true);
    expect(h.host.querySelector('.plate-tray')?.hasAttribute('inert')).toBe(true);
    h.setClock(60_000);
    vi.advanceTimersByTime(2_000);
    expect(h.game.state()['screen']).toBe('play');
    click(h.host.querySelector('#plate-resume'));
    h.setClock(68_500);
    vi.advanceTimersByTime(500);
    expect(h.game.state()['screen']).toBe('submitting');
    expect((h.game.state()['plates'] as Array<{ timedOut: boolean }>)[0]?.timedOut).toBe(true);
    vi.useRealTimers();
    await flush();
    await flush();
    expect(h.api.submit).toHaveBeenCalledTimes(1);
    expect(h.host.textContent).toContain('Served when time ran out');
  });

  it('shows a refused game plainly', async () => {
    const h = setup();
    h.api.submit.mockRejectedValueOnce(new ApiError(422, 'unprocessable', 'this session expired; start a new game', 'session_id'));
    await start(h, { plates: 1 });
    h.setClock(10_000);
    click(h.host.querySelector('#plate-serve'));
    await flush();
    expect(h.game.state()['screen']).toBe('error');
    expect(h.host.querySelector('[role="alert"]')?.textContent).toBe(
      'The server did not accept this game: this session expired; start a new game.',
    );
    click(h.host.querySelector('#plate-new-game'));
    expect(h.game.state()['screen']).toBe('setup');
  });

  it('offers to try again when the server cannot be reached, with the same plates', async () => {
    const h = setup();
    h.api.submit.mockRejectedValueOnce(new ApiError(0, 'network_error', 'The GlucoPlay server could not be reached.'));
    await start(h, { plates: 1 });
    click(card(h.host, WATER.id));
    click(section(h.host, 'drink'));
    h.setClock(7_000);
    click(h.host.querySelector('#plate-serve'));
    await flush();
    expect(h.host.querySelector('[role="alert"]')?.textContent).toMatch(/Could not reach the GlucoPlay server/);
    click(h.host.querySelector('#plate-retry'));
    await flush();
    await flush();
    expect(h.api.submit).toHaveBeenCalledTimes(2);
    expect(h.api.submit.mock.calls[1]?.[0]).toEqual(h.api.submit.mock.calls[0]?.[0]);
    expect(h.game.state()['screen']).toBe('results');
  });

  it('tells a signed-out player when the session cannot start', async () => {
    const h = setup();
    h.api.startSession.mockRejectedValueOnce(new ApiError(401, 'unauthorized', 'sign in first'));
    await start(h, { plates: 1 });
    expect(h.game.state()['screen']).toBe('setup');
    expect(h.host.querySelector('.form-alert')?.textContent).toMatch(/You are signed out/);
    // Now a guest: relaxed only.
    expect(h.host.querySelector<HTMLInputElement>('#plate-relaxed')?.disabled).toBe(true);
  });
});

describe('a relaxed game', () => {
  it('lets a guest play three plates with no timer and sends nothing', async () => {
    const h = setup({ user: null });
    const relaxed = h.host.querySelector<HTMLInputElement>('#plate-relaxed');
    expect(relaxed?.checked).toBe(true);
    expect(relaxed?.disabled).toBe(true);
    expect(h.host.textContent).toContain('not scored and do not go on the leaderboard');
    await start(h, { plates: 3 });
    expect(h.api.startSession).not.toHaveBeenCalled();
    expect(h.host.querySelector('.round-title')?.textContent).toBe('Breakfast');
    expect(h.host.querySelector('#plate-pause')?.hasAttribute('hidden')).toBe(true);
    expect(h.host.textContent).toContain('No timer · not scored');

    click(card(h.host, WATER.id));
    click(section(h.host, 'vegetables')); // water in the wrong place
    click(h.host.querySelector('#plate-serve'));
    expect(h.host.querySelector('.round-title')?.textContent).toBe('Lunch');
    click(h.host.querySelector('#plate-serve'));
    click(h.host.querySelector('#plate-serve'));
    await flush();
    expect(h.game.state()['screen']).toBe('results');
    expect(h.api.submit).not.toHaveBeenCalled();
    expect(h.host.textContent).toContain('Water is drink: its place is the drink section.');
    const signin = h.host.querySelector<HTMLAnchorElement>('a.button[href^="/signin.html"]');
    expect(signin?.getAttribute('href')).toBe('/signin.html?next=%2Fplate.html');
    expect(signin?.textContent).toBe('Sign in to save scores');
  });
});
