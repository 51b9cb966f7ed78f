/**
 * Glucose Grand Prix: a top-down canvas racer about keeping glucose in range. The page builds the track, the
 * touch controls, the live region and the side cards; {@link RaceGame} runs the race; the game-over screen
 * posts the score. Signed-in players race in a server session (its seed fixes the item sequence, and its
 * pit-stop quiz can win lives back); guests can play but not save.
 */
import '../games/racing/racing.css';
import '../leaderboards/leaderboards.css';
import type { User } from '../api/accounts';
import { ApiError } from '../api/client';
import { DEFAULT_RACING_RULES, racingRules, startSession, type RacingRules } from '../api/games';
import { RaceGame, type RaceResult, type RaceSnapshot } from '../games/racing/game';
import { RACING_PATH, showGameOver } from '../games/racing/gameover';
import { controlsStrip, legend, startScreen } from '../games/racing/screens';
import { h } from '../ui/dom';
import { featureIcon } from '../ui/icons';
import { SIGNIN_PATH, withNext } from '../ui/navigation';
import { loadSession } from '../ui/session';

/** The browser-test hook (only with `?test=1` in the URL). */
export interface RacingTestHook {
  endRun(score?: number): void;
  state(): RaceSnapshot;
}

declare global {
  interface Window {
    __glucoplayRacing?: RacingTestHook;
  }
}

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function randomSeed(): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return buffer[0] ?? 1;
}

export async function mount(root: HTMLElement): Promise<void> {
  const reducedMotion = prefersReducedMotion();
  let rules: RacingRules = { ...DEFAULT_RACING_RULES };
  let user: User | null = null;

  const canvas = h('canvas', {
    class: 'race-canvas',
    role: 'img',
    'aria-label': 'Race track seen from above: your car near the bottom, foods and drinks coming down the lanes, and the glucose gauge, score and lives at the top.',
  });
  const pauseButton = h('button', { type: 'button', class: 'race-pause', 'aria-label': 'Pause (P)', 'aria-keyshortcuts': 'P', disabled: true }, h('span', { class: 'race-pause-icon', 'aria-hidden': 'true' }));
  const stage = h(
    'div',
    {
      class: 'race-stage',
      tabindex: '-1',
      role: 'application',
      'aria-roledescription': 'racing game',
      'aria-label': 'Glucose Grand Prix track',
      'aria-describedby': 'race-keys-help',
    },
    canvas,
    pauseButton,
  );
  const keysHelp = h('p', { id: 'race-keys-help', class: 'visually-hidden' }, 'Left and right arrow keys, or A and D, steer. P or Escape pauses.');
  const touch = (cls: string, label: string, glyph: string): HTMLButtonElement =>
    h('button', { type: 'button', class: `race-touch-btn ${cls}`, 'aria-label': label }, h('span', { 'aria-hidden': 'true' }, glyph));
  const touchLeft = touch('race-touch-left', 'Steer left (hold)', '◀');
  const touchPause = touch('race-touch-pause', 'Pause (P)', 'II');
  const touchRight = touch('race-touch-right', 'Steer right (hold)', '▶');
  const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'race-live' });
  const over = h('section', { class: 'race-over', tabindex: '-1', 'aria-labelledby': 'race-over-title', hidden: true });
  const game = h(
    'div',
    { class: 'race-main', 'data-phase': 'idle' },
    stage,
    h('div', { class: 'race-touch' }, touchLeft, touchPause, touchRight),
    controlsStrip(),
    keysHelp,
    live,
    over,
  );

  const side = h('aside', { class: 'race-side', 'aria-label': 'How to play' }, legend(rules.target_low_mg_dl, rules.target_high_mg_dl));
  root.append(
    h(
      'div',
      { class: 'container racing' },
      h(
        'header',
        { class: 'race-head' },
        h('div', { class: 'race-head-icon' }, featureIcon('racing')),
        h(
          'div',
          undefined,
          h('p', { class: 'race-head-kicker' }, 'Game · Leaderboard'),
          h('h1', { id: 'page-title', class: 'race-head-title' }, 'Glucose Grand Prix'),
          h('p', { class: 'race-head-lead' }, 'Steer through the healthy stuff, dodge the sugar rush, and keep your glucose in range to score double.'),
        ),
      ),
      h('div', { class: 'race-layout' }, game, side),
    ),
  );

  let raceGame: RaceGame | null = null;
  const start = startScreen(() => void begin());
  stage.append(start.el);

  const onOver = (result: RaceResult): void => {
    stage.hidden = true;
    game.classList.add('is-over');
    showGameOver(over, result, {
      user,
      rules,
      onAgain: () => {
        over.hidden = true;
        stage.hidden = false;
        game.classList.remove('is-over');
        raceGame?.fit();
        void begin();
      },
    });
  };

  const make = (): RaceGame =>
    new RaceGame({ root: game, stage, canvas, pauseButton, touchLeft, touchRight, touchPause, live }, { rules, reducedMotion, onOver });

  // Ask for the rules and who is signed in while the player reads the start card.
  const ready = Promise.all([
    racingRules().then(
      (r) => {
        rules = r;
      },
      () => undefined,
    ),
    loadSession().then(
      (u) => {
        user = u;
      },
      () => undefined,
    ),
  ]).then(() => {
    if (!user) {
      start.note.append(
        'Playing as a guest: ',
        h('a', { class: 'race-link', href: withNext(SIGNIN_PATH, RACING_PATH) }, 'sign in'),
        ' to save your score and get pit-stop quizzes.',
      );
    }
  });

  /** Scrolls so the track (and the touch buttons under it) are on screen. */
  function showWholeTrack(): void {
    const rect = game.getBoundingClientRect();
    const touchRow = game.querySelector('.race-touch');
    const bottom = touchRow instanceof HTMLElement && touchRow.offsetParent !== null ? touchRow.getBoundingClientRect().bottom : stage.getBoundingClientRect().bottom;
    if (rect.top >= 0 && bottom <= window.innerHeight) return;
    // Align the bottom of the controls with the bottom of the window, unless that hides the top of the track.
    const delta = rect.top < 0 ? rect.top - 8 : Math.min(bottom - window.innerHeight + 8, rect.top - 8);
    window.scrollBy({ top: delta, behavior: 'auto' });
  }

  let starting = false;
  async function begin(): Promise<void> {
    if (starting) return;
    starting = true;
    start.setBusy(true);
    await ready;
    raceGame ??= make();
    let sessionId: number | null = null;
    let seed = randomSeed();
    if (user) {
      try {
        const session = await startSession('racing');
        sessionId = session.session_id;
        seed = session.seed;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) user = null;
        live.textContent = 'The race could not be connected to the server: you can play, but this score will not be saved.';
      }
    }
    start.el.hidden = true;
    start.setBusy(false);
    raceGame.start({ seed, sessionId, sessionStart: performance.now() });
    showWholeTrack();
    starting = false;
  }

  if (new URLSearchParams(window.location.search).get('test') === '1') {
    window.__glucoplayRacing = {
      endRun: (score?: number) => raceGame?.end(score),
      state: () =>
        raceGame?.snapshot() ?? {
          phase: 'idle',
          score: 0,
          lives: 3,
          glucose: 0,
          zone: 'in-range',
          time: 0,
          healthy: 0,
          sugary: 0,
          carX: 0,
          sessionId: null,
        },
    };
  }

  await ready;
  raceGame ??= make();
}
