import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, resetApiBaseCache } from '../src/api/client';
import { DEFAULT_RACING_RULES, type Leaderboard, type QuizAnswer, type QuizQuestion, type ScoreResult } from '../src/api/games';
import { Announcer, MIN_GAP_MS } from '../src/games/racing/announcer';
import type { RaceResult } from '../src/games/racing/game';
import { showGameOver } from '../src/games/racing/gameover';
import { pitStop, type QuizApi } from '../src/games/racing/pitstop';
import { resetSessionForTests } from '../src/ui/session';
import { mount } from '../src/views/racing';
import { USER, json } from './fixtures';

const XSS = '<img src=x onerror=alert(1)>';

function result(overrides: Partial<RaceResult> = {}): RaceResult {
  return { score: 1234, time: 83, healthy: 12, sugary: 4, correctAnswers: 1, reason: 'lives', sessionId: 42, elapsed: 120, ...overrides };
}

const BOARD: Leaderboard = {
  game: 'racing',
  period: 'all',
  entries: [
    { rank: 1, user_id: 99, display_name: XSS, score: 5000, achieved_at: '2026-11-27T10:00:00Z' },
    { rank: 2, user_id: USER.id, display_name: USER.display_name, score: 1234, achieved_at: '2026-11-27T11:00:00Z' },
  ],
};

const SAVED: ScoreResult = { score: { id: 1, game: 'racing', value: 1234, created_at: '2026-11-27T11:00:00Z' }, rank: 2, best: 1234, personal_best: true, in_top10: true };

beforeEach(() => {
  document.body.replaceChildren();
  window.localStorage.clear();
  window.history.replaceState({}, '', '/racing.html');
  resetSessionForTests();
  resetApiBaseCache();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete window.__glucoplayRacing;
});

function container(): HTMLElement {
  const el = document.createElement('section');
  el.tabIndex = -1;
  el.hidden = true;
  document.body.append(el);
  return el;
}

describe('game over', () => {
  it('asks a guest to sign in to save, and still shows the top 10 with names as text', async () => {
    const el = container();
    const submit = vi.fn();
    showGameOver(el, result({ sessionId: null }), { user: null, rules: DEFAULT_RACING_RULES, onAgain: () => undefined, submit, board: async () => BOARD });
    expect(el.hidden).toBe(false);
    expect(document.activeElement).toBe(el);
    expect(el.querySelector('.race-over-number')?.textContent).toBe('1,234');
    expect(el.textContent).toContain('Sign in to save your score');
    const link = [...el.querySelectorAll('a')].find((a) => a.textContent === 'Sign in');
    expect(link?.getAttribute('href')).toBe('/signin.html?next=%2Fracing.html');
    expect(submit).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(el.querySelectorAll('.lb-table tbody tr')).toHaveLength(2));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('.lb-name')?.textContent).toBe(XSS);
  });

  it('posts the score, then shows the rank, personal best and the highlighted top 10', async () => {
    const el = container();
    const submit = vi.fn(async () => SAVED);
    const again = vi.fn();
    showGameOver(el, result(), { user: USER, rules: DEFAULT_RACING_RULES, onAgain: again, submit, board: async () => BOARD });
    expect(el.querySelector('.race-over-status')?.textContent).toBe('Saving your score…');
    await vi.waitFor(() => expect(el.querySelector('.race-over-rank')?.textContent).toBe('Saved! You are 2nd on the all-time leaderboard.'));
    expect(submit).toHaveBeenCalledWith(42, 1234);
    expect(el.querySelector('.race-badge')?.textContent).toBe('New personal best!');
    await vi.waitFor(() => expect(el.querySelector('tr.is-me .lb-name')?.textContent).toBe(USER.display_name));
    [...el.querySelectorAll('button')].find((b) => b.textContent === 'Race again')?.click();
    expect(again).toHaveBeenCalledOnce();
  });

  it('never submits more than the rules allow for the session’s age', async () => {
    const el = container();
    const submit = vi.fn(async () => SAVED);
    showGameOver(el, result({ score: 999_999, elapsed: 20.4, correctAnswers: 2 }), { user: USER, rules: DEFAULT_RACING_RULES, onAgain: () => undefined, submit, board: async () => BOARD });
    // (20.4 - 1) s → 19 whole seconds × 150 + 2 × 250.
    expect(submit).toHaveBeenCalledWith(42, 19 * 150 + 500);
    expect(el.querySelector('.race-over-number')?.textContent).toBe('3,350');
  });

  it('explains a refused score and offers a retry when the server cannot be reached', async () => {
    const el = container();
    const refused = vi.fn(async () => {
      throw new ApiError(422, 'unprocessable', 'this session expired; start a new game', 'session_id');
    });
    showGameOver(el, result(), { user: USER, rules: DEFAULT_RACING_RULES, onAgain: () => undefined, submit: refused, board: async () => BOARD });
    await vi.waitFor(() => expect(el.querySelector('.race-over-status')?.textContent).toBe('This score could not be saved: this session expired; start a new game.'));

    const el2 = container();
    let calls = 0;
    const flaky = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new ApiError(0, 'network_error', 'down');
      return SAVED;
    });
    showGameOver(el2, result(), { user: USER, rules: DEFAULT_RACING_RULES, onAgain: () => undefined, submit: flaky, board: async () => BOARD });
    await vi.waitFor(() => expect(el2.querySelector('.race-over-status button')).not.toBeNull());
    el2.querySelector<HTMLButtonElement>('.race-over-status button')?.click();
    await vi.waitFor(() => expect(el2.querySelector('.race-over-rank')).not.toBeNull());
    expect(flaky).toHaveBeenCalledTimes(2);
  });
});

describe('pit stop', () => {
  const question: QuizQuestion = { question_id: 3, question: 'What is the 15-15 rule?', answers: [{ id: 1, text: 'Eat 15 g, check after 15 min' }, { id: 2, text: 'Rest 15 min' }] };

  it('asks, checks the answer on the server, and shows the explanation and its source', async () => {
    const answer: QuizAnswer = { correct: false, correct_answer_id: 1, explanation: 'Have 15 g of fast carbohydrate.', source: 'ADA, Hypoglycemia' };
    const api: QuizApi = { question: vi.fn(async () => question), answer: vi.fn(async () => answer) };
    const pit = pitStop(api);
    document.body.append(pit.el);
    const done = vi.fn();
    pit.show(42, 'life', 250, done);
    expect(pit.el.hidden).toBe(false);
    expect(pit.el.getAttribute('role')).toBe('dialog');
    expect(pit.el.textContent).toContain('You lost a life. Answer right to win it back, plus 250 points.');
    await vi.waitFor(() => expect(pit.el.querySelectorAll('.pit-answer')).toHaveLength(2));
    expect(document.activeElement?.classList.contains('pit-answer')).toBe(true);
    pit.el.querySelectorAll<HTMLButtonElement>('.pit-answer')[1]?.click();
    expect(api.answer).toHaveBeenCalledWith(42, 3, 2);
    await vi.waitFor(() => expect(pit.el.querySelector('.pit-explanation')?.textContent).toBe('Have 15 g of fast carbohydrate.'));
    expect(pit.el.querySelector('.pit-source')?.textContent).toBe('Source: ADA, Hypoglycemia');
    expect(pit.el.querySelector('.is-wrong .pit-verdict')?.textContent).toBe('✗ Your answer');
    expect(pit.el.querySelector('.is-correct .pit-verdict')?.textContent).toBe('✓ Correct answer');
    const back = pit.el.querySelector<HTMLButtonElement>('.race-panel-actions button');
    expect(document.activeElement).toBe(back);
    back?.click();
    expect(done).toHaveBeenCalledWith('wrong', 'Not quite.');
    expect(pit.el.hidden).toBe(true);
  });

  it('goes back to the race when no question is left', async () => {
    const api: QuizApi = {
      question: vi.fn(async () => {
        throw new ApiError(422, 'unprocessable', 'you have answered every question in this session');
      }),
      answer: vi.fn(),
    };
    const pit = pitStop(api);
    document.body.append(pit.el);
    const done = vi.fn();
    pit.show(42, 'scheduled', 250, done);
    await vi.waitFor(() => expect(pit.el.querySelector('.pit-result')?.textContent).toBe('No pit-stop question this time.'));
    pit.el.querySelector<HTMLButtonElement>('.race-panel-actions button')?.click();
    expect(done).toHaveBeenCalledWith('unavailable', 'No pit-stop question this time.');
  });
});

describe('announcer', () => {
  it('mirrors events with score, lives and gauge, at most one every 1.5 s', () => {
    vi.useFakeTimers();
    let now = 10_000;
    const region = document.createElement('div');
    const status = { score: 340.7, lives: 2, glucose: 132.4, zone: 'in-range' as const };
    const announcer = new Announcer(region, () => status, () => now);
    announcer.say('Collected apple: glucose steadier (+25)');
    expect(region.textContent).toBe('Collected apple: glucose steadier (+25) Score 340, 2 lives, glucose 132 mg/dL in range, points doubled.');
    now += 200;
    announcer.say('Hit a donut: glucose spiking');
    announcer.say('Collected water: glucose steadier (+25)');
    expect(region.textContent).toContain('apple');
    now += MIN_GAP_MS;
    vi.advanceTimersByTime(MIN_GAP_MS);
    expect(region.textContent).toContain('Collected water');
    announcer.say('Life lost: glucose too high for too long. 1 life left.', true);
    expect(region.textContent).toContain('Life lost');
  });
});

describe('racing page', () => {
  function stubServer(): void {
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://localhost');
      if (url.pathname === '/config.json') return json({ api_base: '' });
      if (url.pathname === '/api/games') return json({ items: [{ id: 'racing', name: 'Glucose Grand Prix', description: '', rules: DEFAULT_RACING_RULES }] });
      if (url.pathname === '/api/scores') return json(BOARD);
      return json({ error: { code: 'not_found', message: 'no' } }, 404);
    });
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  }

  it('has no test hook without ?test=1', async () => {
    stubServer();
    const root = document.createElement('main');
    document.body.append(root);
    await mount(root);
    expect(window.__glucoplayRacing).toBeUndefined();
    expect(root.querySelector('canvas.race-canvas')?.getAttribute('aria-label')).toMatch(/Race track/);
    expect(root.querySelector('#race-live')?.getAttribute('aria-live')).toBe('polite');
  });

  it('starts, steers with the keyboard, pauses, and ends through the test hook (as a guest)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    stubServer();
    window.history.replaceState({}, '', '/racing.html?test=1');
    const root = document.createElement('main');
    document.body.append(root);
    await mount(root);
    const hook = window.__glucoplayRacing;
    if (!hook) throw new Error('no hook');
    expect(hook.state().phase).toBe('idle');

    const start = root.querySelector<HTMLButtonElement>('.race-start');
    start?.click();
    await vi.advanceTimersByTimeAsync(50);
    const stage = root.querySelector<HTMLElement>('.race-stage');
    expect(document.activeElement).toBe(stage);
    expect(hook.state().phase).toBe('countdown');
    await vi.advanceTimersByTimeAsync(3500);
    expect(hook.state().phase).toBe('running');
    expect(hook.state().sessionId).toBeNull();

    const x0 = hook.state().carX;
    stage?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
    await vi.advanceTimersByTimeAsync(400);
    stage?.dispatchEvent(new KeyboardEvent('keyup', { key: 'ArrowLeft', bubbles: true }));
    expect(hook.state().carX).toBeLessThan(x0);
    expect(hook.state().time).toBeGreaterThan(0.3);

    stage?.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true, cancelable: true }));
    expect(hook.state().phase).toBe('paused');
    const pause = root.querySelector<HTMLElement>('.race-overlay--pause');
    expect(pause?.hidden).toBe(false);
    expect(document.activeElement?.textContent).toBe('Resume');
    const t = hook.state().time;
    await vi.advanceTimersByTimeAsync(500);
    expect(hook.state().time).toBe(t);
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(hook.state().phase).toBe('running');

    hook.endRun(777);
    expect(hook.state().phase).toBe('over');
    const over = root.querySelector<HTMLElement>('.race-over');
    expect(over?.hidden).toBe(false);
    expect(document.activeElement).toBe(over);
    expect(over?.querySelector('.race-over-number')?.textContent).toBe('777');
    expect(over?.textContent).toContain('Sign in to save your score');
  });
});
