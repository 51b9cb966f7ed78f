/**
 * The game-over screen: the score and the race's numbers, then — for a signed-in player — the score posted to
 * the server (capped at what the rules allow for the session's age) with the rank and personal best it earned,
 * and the all-time top 10 with the player's row highlighted. Guests are asked to sign in to save scores.
 */
import type { User } from '../../api/accounts';
import { ApiError } from '../../api/client';
import { getLeaderboard, submitRacingScore, type Leaderboard, type RacingRules, type ScoreResult } from '../../api/games';
import { clear, h } from '../../ui/dom';
import { SIGNIN_PATH, SIGNUP_PATH, withNext } from '../../ui/navigation';
import { formatScore, leaderboardTable, ordinal } from '../../leaderboards/table';
import type { RaceResult } from './game';
import { submittableScore } from './rules';

export const RACING_PATH = '/racing.html';

export interface GameOverDeps {
  user: User | null;
  rules: RacingRules;
  onAgain: () => void;
  submit?: (sessionId: number, score: number) => Promise<ScoreResult>;
  board?: () => Promise<Leaderboard>;
}

const TITLES: Record<RaceResult['reason'], [string, string]> = {
  lives: ['Out of lives', 'Game over'],
  finish: ['Chequered flag!', 'You finished the race'],
  ended: ['Race over', 'Game over'],
};

function minutes(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Fills `container` with the game-over screen and focuses it. */
export function showGameOver(container: HTMLElement, result: RaceResult, deps: GameOverDeps): void {
  const submit = deps.submit ?? submitRacingScore;
  const board = deps.board ?? (() => getLeaderboard('racing', 'all', 10));
  const value = result.sessionId !== null ? submittableScore(result.score, result.elapsed, result.correctAnswers, deps.rules) : result.score;
  const [kicker, title] = TITLES[result.reason];

  clear(container);
  const scoreEl = h('p', { class: 'race-over-score' }, h('span', { class: 'race-over-number' }, formatScore(value)), h('span', { class: 'race-over-unit' }, 'points'));
  const status = h('div', { class: 'race-over-status', role: 'status' });
  const again = h('button', { type: 'button', class: 'button button--race' }, 'Race again');
  again.addEventListener('click', deps.onAgain);
  const boardHost = h('div', { class: 'race-over-board' }, h('p', { class: 'lb-loading' }, 'Loading the top 10…'));

  container.append(
    h(
      'div',
      { class: 'race-over-hero' },
      h('p', { class: 'race-kicker' }, kicker),
      h('h2', { id: 'race-over-title', class: 'race-over-title' }, title),
      scoreEl,
      h(
        'ul',
        { class: 'race-over-stats' },
        h('li', undefined, h('strong', undefined, minutes(result.time)), ' driven'),
        h('li', undefined, h('strong', undefined, String(result.healthy)), result.healthy === 1 ? ' healthy pick' : ' healthy picks'),
        h('li', undefined, h('strong', undefined, String(result.sugary)), result.sugary === 1 ? ' sugary hit' : ' sugary hits'),
        result.sessionId !== null
          ? h('li', undefined, h('strong', undefined, String(result.correctAnswers)), ' pit-stop ', result.correctAnswers === 1 ? 'answer right' : 'answers right')
          : null,
      ),
      status,
      h('div', { class: 'race-over-actions' }, again, h('a', { class: 'button button--ghost-dark', href: '/leaderboards.html' }, 'All leaderboards')),
    ),
    h('section', { class: 'race-over-top', 'aria-labelledby': 'race-top-title' }, h('h3', { id: 'race-top-title' }, 'Top 10 · All time'), boardHost),
  );
  container.hidden = false;
  container.focus();

  const showBoard = (): void => {
    board().then(
      (lb) => {
        clear(boardHost);
        if (lb.entries.length === 0) boardHost.append(h('p', { class: 'lb-empty' }, 'No scores yet: be the first on the board!'));
        else boardHost.append(leaderboardTable(lb.entries, { caption: 'Glucose Grand Prix, all time, top 10', captionHidden: true, meId: deps.user?.id ?? null }));
      },
      () => {
        clear(boardHost);
        boardHost.append(h('p', { class: 'lb-empty' }, 'The leaderboard could not be loaded right now.'));
      },
    );
  };

  if (!deps.user) {
    status.append(
      h('p', { class: 'race-over-guest' }, h('strong', undefined, 'Sign in to save your score'), ' and race for a place on the leaderboard (signed-in players also get pit-stop quizzes).'),
      h(
        'p',
        { class: 'race-over-links' },
        h('a', { class: 'button button--light', href: withNext(SIGNIN_PATH, RACING_PATH) }, 'Sign in'),
        h('a', { class: 'race-link', href: withNext(SIGNUP_PATH, RACING_PATH) }, 'Create an account'),
      ),
    );
    showBoard();
    return;
  }
  if (result.sessionId === null) {
    status.append(h('p', undefined, 'This race was not connected to the server, so it could not be saved. Race again to post a score.'));
    showBoard();
    return;
  }

  const sessionId = result.sessionId;
  const post = (): void => {
    clear(status);
    status.append(h('p', { class: 'race-over-saving' }, 'Saving your score…'));
    submit(sessionId, value).then(
      (saved) => {
        clear(status);
        const rank = h('p', { class: 'race-over-rank' }, 'Saved! You are ', h('strong', undefined, ordinal(saved.rank)), ' on the all-time leaderboard.');
        const best = saved.personal_best
          ? h('p', { class: 'race-over-best' }, h('span', { class: 'race-badge' }, 'New personal best!'), saved.in_top10 ? ' You made the top 10.' : '')
          : h('p', { class: 'race-over-best' }, `Your best is ${formatScore(saved.best)}.`);
        status.append(rank, best);
        if (value < result.score) status.append(h('p', { class: 'race-note' }, `Capped at ${formatScore(value)}: the most the rules allow for this race's time.`));
        showBoard();
      },
      (err: unknown) => {
        clear(status);
        if (err instanceof ApiError && err.status === 401) {
          status.append(
            h('p', undefined, 'Your session ended, so the score could not be saved. ', h('a', { class: 'race-link', href: withNext(SIGNIN_PATH, RACING_PATH) }, 'Sign in again')),
          );
        } else if (err instanceof ApiError && err.status > 0 && err.status < 500) {
          status.append(h('p', undefined, `This score could not be saved: ${err.message}.`));
        } else {
          const retry = h('button', { type: 'button', class: 'button button--light' }, 'Try again');
          retry.addEventListener('click', post);
          status.append(h('p', undefined, 'The score could not reach the server.'), retry);
        }
        showBoard();
      },
    );
  };
  post();
}

